package defus

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// MailStatus is where an outgoing mail stands.
type MailStatus string

// The statuses of an outgoing mail.
const (
	MailQueued MailStatus = "queued" // waiting for (another) attempt
	MailSent   MailStatus = "sent"   // accepted by the SMTP server
	MailFailed MailStatus = "failed" // given up after the last retry
)

// Mail is one outgoing plain-text e-mail.
type Mail struct {
	ID            int64
	EnquiryID     *int64
	UserID        *int64   // the account a mail about an account (invitation, reset) belongs to
	Kind          MailKind // "" is MailAutomatic
	AuthorName    string   // MailReply: who wrote it, kept after the account is gone
	FromName      string
	From          string
	To            string
	ReplyTo       string
	Subject       string
	Body          string // plain text, UTF-8, lines separated by \n
	MessageID     string // without angle brackets; stable across retries
	InReplyTo     string // the Message-ID of the mail this one answers, or ""
	Status        MailStatus
	Attempts      int
	NextAttemptAt time.Time
	LastError     string      // the last failed attempt's error as the server or network gave it
	Problem       MailProblem // why the last attempt failed, for the office ("" before it)
	SentAt        *time.Time
	CreatedAt     time.Time

	// One attachment, or none: the .ics of a confirmed registration.
	AttachmentName string
	AttachmentType string // e.g. "text/calendar; method=PUBLISH"
	Attachment     []byte
}

// MailRetryDelays are the waits after the 1st, 2nd, … failed attempt. After
// the last one fails too, the mail is given up as failed.
var MailRetryDelays = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 12 * time.Hour}

// NextMailAttempt says when to try again after attempts failed attempts, or
// ok=false when the mail is to be given up.
func NextMailAttempt(now time.Time, attempts int) (next time.Time, ok bool) {
	if attempts < 1 || attempts > len(MailRetryDelays) {
		return time.Time{}, false
	}
	return now.Add(MailRetryDelays[attempts-1]), true
}

// EnquiryMailSettings is what the enquiry mails need besides the enquiry.
type EnquiryMailSettings struct {
	Office   string // OFFICE_EMAIL: sender of both mails, recipient of the announcement
	BaseURL  string // the site's address without a trailing slash
	Phone    string // the office's telephone number, for the confirmation
	SiteName string // "DEFUS-Geschäftsstelle"
}

// EnquiryMails writes the two mails of a new enquiry: the announcement to the
// office (Reply-To: the sender) and the confirmation to the sender, which
// repeats what they sent. IDs and times are set by the store.
func EnquiryMails(e *Enquiry, s EnquiryMailSettings) []Mail {
	summary := enquirySummary(e)
	office := Mail{
		FromName: s.SiteName,
		From:     s.Office,
		To:       s.Office,
		ReplyTo:  e.Email,
		Subject:  "Neue Anfrage zur Mitgliedschaft: " + e.Organisation,
		Body: "Über das Formular auf " + s.BaseURL + "/mitgliedschaft/anfrage ist eine neue Anfrage zur Mitgliedschaft eingegangen.\n" +
			"Eine Antwort auf diese E-Mail geht direkt an " + e.ContactName + " <" + e.Email + ">.\n\n" +
			summary + "\n" +
			"Zustimmung zur Datenschutzerklärung: " + FormatDate(e.ConsentAt) + ", " + FormatTime(e.ConsentAt) + "\n",
	}
	greeting := "Guten Tag " + e.ContactName + ","
	confirm := Mail{
		FromName: s.SiteName,
		From:     s.Office,
		To:       e.Email,
		Subject:  "Ihre Anfrage zur Mitgliedschaft bei DEFUS",
		Body: greeting + "\n\n" +
			"vielen Dank für Ihr Interesse an einer Mitgliedschaft im Deutsch-Europäischen Forum für Urbane Sicherheit (DEFUS). " +
			"Ihre Anfrage ist bei uns eingegangen. Die Geschäftsstelle meldet sich in der Regel innerhalb weniger Arbeitstage bei Ihnen.\n\n" +
			"Zur Kontrolle hier Ihre Angaben:\n\n" +
			summary + "\n" +
			"Wenn Sie etwas ergänzen möchten, antworten Sie einfach auf diese E-Mail" + phoneHint(s.Phone) + ".\n\n" +
			"Wie wir Ihre Angaben verarbeiten und wann wir sie löschen, steht in unserer Datenschutzerklärung: " + s.BaseURL + "/datenschutz\n\n" +
			"Mit freundlichen Grüßen\n" +
			"Ihre DEFUS-Geschäftsstelle\n" +
			s.BaseURL + "\n",
	}
	return []Mail{office, confirm}
}

func phoneHint(phone string) string {
	if phone == "" {
		return ""
	}
	return " oder rufen Sie uns an: " + phone
}

// enquirySummary lists what the sender entered, one labelled line per field
// and the message as a block.
func enquirySummary(e *Enquiry) string {
	var b strings.Builder
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", label, v)
		}
	}
	line("Organisation", e.Organisation)
	if e.Kind != "" {
		line("Art", e.Kind.Label())
	}
	line("Bundesland", e.State)
	line("Ansprechperson", e.ContactName)
	line("Funktion", e.Function)
	line("E-Mail", e.Email)
	line("Telefon", e.Phone)
	if e.Population != nil {
		line("Einwohnerzahl", FormatNumber(*e.Population))
	}
	line("Interessante Themen", strings.Join(e.Topics, ", "))
	line("Wie von DEFUS erfahren", e.HeardFrom)
	b.WriteString("\nNachricht:\n")
	b.WriteString(e.Message)
	b.WriteString("\n")
	return b.String()
}

// MailKind says who wrote a mail.
type MailKind string

// The kinds of outgoing mail.
const (
	MailAutomatic MailKind = "automatic" // written by the portal (announcement, confirmation)
	MailReply     MailKind = "reply"     // an answer the office wrote on an enquiry's page
)

// MailProblem names why an attempt to send a mail failed, so the office reads
// a sentence instead of a mail server's reply. The mailer tells it from the
// error (see MailProblemOf); the server's reply is kept beside it.
type MailProblem string

// The reasons a mail could not be sent.
const (
	ProblemUnreachable MailProblem = "unreachable" // no connection to the mail server
	ProblemTimeout     MailProblem = "timeout"     // the mail server stopped answering
	ProblemTLS         MailProblem = "tls"         // no encrypted connection (certificate, TLS version)
	ProblemLogin       MailProblem = "login"       // the mail server refused the portal's login
	ProblemSender      MailProblem = "sender"      // the sender address was refused for good
	ProblemRecipient   MailProblem = "recipient"   // the recipient address was refused for good
	ProblemTemporary   MailProblem = "temporary"   // refused for now (4xx): full mailbox, busy server
	ProblemContent     MailProblem = "content"     // the message itself was refused (spam filter, size)
	ProblemAddress     MailProblem = "address"     // umlauts before the @, which this server cannot take
	ProblemOther       MailProblem = "other"       // none of the above
)

// Explain says in plain German what went wrong and what helps.
func (p MailProblem) Explain() string {
	switch p {
	case ProblemUnreachable:
		return "Das Portal hat den Mailserver nicht erreicht. Meist ist das nur vorübergehend. " +
			"Hält es an, stimmt vielleicht die Einstellung SMTP_URL nicht: Bitte sagen Sie der technischen Betreuung Bescheid."
	case ProblemTimeout:
		return "Der Mailserver hat nicht rechtzeitig geantwortet. Meist ist das nur vorübergehend."
	case ProblemTLS:
		return "Die verschlüsselte Verbindung zum Mailserver kam nicht zustande, etwa wegen eines ungültigen Zertifikats. " +
			"Das muss die technische Betreuung prüfen."
	case ProblemLogin:
		return "Der Mailserver hat die Anmeldung des Portals abgelehnt (Benutzername oder Passwort in SMTP_URL). " +
			"Das muss die technische Betreuung prüfen."
	case ProblemSender:
		return "Der Mailserver hat die Absenderadresse der Geschäftsstelle abgelehnt. Das muss die technische Betreuung prüfen."
	case ProblemRecipient:
		return "Die Empfängeradresse wurde abgelehnt: Es gibt sie vermutlich nicht, oder sie ist falsch geschrieben. " +
			"Erneut senden hilft dann nicht; bitte erreichen Sie die Person auf anderem Weg, etwa telefonisch."
	case ProblemTemporary:
		return "Die E-Mail wurde vorübergehend abgewiesen, etwa weil das Postfach voll oder der Mailserver überlastet ist. " +
			"Später erneut senden hilft meist."
	case ProblemContent:
		return "Der Mailserver hat die E-Mail selbst abgelehnt, etwa wegen eines Spamfilters oder ihrer Größe."
	case ProblemAddress:
		return "Die Empfängeradresse enthält vor dem @ Umlaute oder andere Sonderzeichen, die dieser Mailserver nicht annimmt."
	}
	return "Der Versand ist fehlgeschlagen; der Grund ist unbekannt. Die Meldung des Mailservers steht darunter."
}

// MailProblemOf is the problem an error of a failed attempt names: errors
// that know their problem (the mailer's) have a method MailProblem; every
// other error is ProblemOther.
func MailProblemOf(err error) MailProblem {
	var p interface{ MailProblem() MailProblem }
	if errors.As(err, &p) {
		return p.MailProblem()
	}
	return ProblemOther
}

// Limits of an answer to an enquiry, in characters.
const (
	MaxReplySubject = 200
	MaxReplyBody    = 20_000
)

// MsgReplyToSpam refuses an answer to an enquiry marked as spam.
const MsgReplyToSpam = "Auf eine als Spam markierte Anfrage antwortet das Portal nicht: Die Absenderadresse kann die einer anderen Person sein. " +
	"Ist es kein Spam, setzen Sie die Anfrage bitte zuerst mit „Kein Spam“ zurück."

// Reply is the office's answer to an enquiry, as typed on its page.
type Reply struct {
	Subject string
	Body    string
}

// Validate checks an answer's subject and text, already trimmed, keyed by
// the form's field names.
func (r Reply) Validate() FieldErrors {
	errs := FieldErrors{}
	if r.Subject == "" {
		errs.Add("subject", "Bitte geben Sie einen Betreff an.")
	}
	errs.Check("subject", CheckText(r.Subject, "Der Betreff", false, MaxReplySubject, false))
	if r.Body == "" {
		errs.Add("body", "Bitte schreiben Sie eine Nachricht.")
	}
	errs.Check("body", CheckText(r.Body, "Die Nachricht", false, MaxReplyBody, true))
	return errs
}

// ReplyMail is the mail that carries an answer by the staff member by: from
// the office's address under the staff member's name, Reply-To the office,
// to the enquiry's sender. The store fills in the recipient and the mail
// it answers from the enquiry as stored.
func ReplyMail(r Reply, by Actor, office string) Mail {
	return Mail{
		Kind:       MailReply,
		AuthorName: by.Name,
		FromName:   strings.TrimSpace(by.Name + " (DEFUS-Geschäftsstelle)"),
		From:       office,
		ReplyTo:    office,
		Subject:    r.Subject,
		Body:       r.Body,
	}
}

// ReplySubject is the subject an answer to e starts with: "Re: " and the
// subject of the last mail the sender got, or a plain one when they got none.
func ReplySubject(mails []Mail, e *Enquiry) string {
	for i := len(mails) - 1; i >= 0; i-- {
		if m := mails[i]; strings.EqualFold(m.To, e.Email) && m.Subject != "" {
			if strings.HasPrefix(strings.ToLower(m.Subject), "re:") {
				return m.Subject
			}
			return "Re: " + m.Subject
		}
	}
	return "Ihre Anfrage bei DEFUS"
}

// ReplyGreeting is the text an answer to e starts with, signed by the staff
// member name.
func ReplyGreeting(e *Enquiry, name string) string {
	return "Guten Tag " + e.ContactName + ",\n\n\n\nMit freundlichen Grüßen\n" + name + "\nDEFUS-Geschäftsstelle\n"
}
