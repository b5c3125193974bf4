package defus

import (
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
	FromName      string
	From          string
	To            string
	ReplyTo       string
	Subject       string
	Body          string // plain text, UTF-8, lines separated by \n
	MessageID     string // without angle brackets; stable across retries
	Status        MailStatus
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	SentAt        *time.Time
	CreatedAt     time.Time
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
