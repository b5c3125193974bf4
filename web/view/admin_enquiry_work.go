package view

import (
	"fmt"
	"strings"
	"time"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
)

// The office's daily work on an enquiry's page: its mails, answering the
// sender, the follow-up day; and the follow-ups due on the dashboard.

// EnquiryWork is what an enquiry's page shows of the office's daily work:
// its mails, the answer form and the follow-up form.
type EnquiryWork struct {
	Mails      []defus.Mail
	MailServer bool // SMTP_URL is set: queued mail goes out
	Reply      Form[ReplyForm]
	FollowUp   Form[FollowUpForm]
}

// ReplyForm is the answer to the sender, as typed.
type ReplyForm struct{ defus.Reply }

// FollowUpForm is the follow-up form as typed: the day as text, so a day
// that cannot be read comes back as typed; the enquiry's version.
type FollowUpForm struct {
	On      string
	Note    string
	Version int
}

// replyFields is the answer form's field list.
func (d EnquiryData) replyFields(f ReplyForm) Fields {
	to := d.Enquiry.ContactName + " <" + d.Enquiry.Email + ">"
	return Fields{
		{ID: "reply-subject", Name: "subject", Label: "Betreff", Value: f.Subject, Required: true},
		{ID: "reply-body", Name: "body", Label: "Nachricht", Value: f.Body, Rows: 14, Required: true,
			Hint: "Geht an " + to + ", von der Adresse der Geschäftsstelle mit Ihrem Namen als Absender. " +
				"Antwortet die Person, kommt das bei der Geschäftsstelle an."},
	}
}

// followUpFields is the follow-up form's field list.
func followUpFields(f FollowUpForm) Fields {
	shown := f.On
	if day, ok := defus.ParseDate(f.On); ok {
		shown = germanDate(day)
	}
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "follow-up-on", Name: "follow_up_on", Label: "Wiedervorlage am", Type: "date", Value: f.On, Shown: shown, Required: true,
			Hint: "Ab diesem Tag steht die Anfrage auf der Übersicht, zum Beispiel 01.12.2026."},
		{ID: "follow-up-note", Name: "follow_up_note", Label: "Notiz zur Wiedervorlage", Value: f.Note, Optional: true,
			Hint: "Was dann zu tun ist, in einer Zeile. Höchstens " + defus.FormatNumber(defus.MaxFollowUpNote) + " Zeichen."},
	}
}

// ReplyControls lays out the answer form.
func (d EnquiryData) ReplyControls() Controls { return d.Reply.Controls(d.replyFields) }

// FollowUpControls lays out the follow-up form.
func (d EnquiryData) FollowUpControls() Controls { return d.FollowUp.Controls(followUpFields) }

func replyURL(id int64) templ.SafeURL {
	return templ.SafeURL(fmt.Sprintf("/admin/anfragen/%d/antwort", id))
}

func followUpURL(id int64) templ.SafeURL {
	return templ.SafeURL(fmt.Sprintf("/admin/anfragen/%d/wiedervorlage", id))
}

// mailTitle names a mail of enquiry e as the office thinks of it.
func mailTitle(m defus.Mail, e defus.Enquiry) string {
	switch {
	case m.Kind == defus.MailReply && m.AuthorName != "":
		return "Antwort von " + m.AuthorName
	case m.Kind == defus.MailReply:
		return "Antwort der Geschäftsstelle"
	case strings.EqualFold(m.To, e.Email):
		return "Eingangsbestätigung an " + e.ContactName
	}
	return "Benachrichtigung an die Geschäftsstelle"
}

// mailStatusName is a mail's status in a word, for its badge.
func mailStatusName(s defus.MailStatus) string {
	switch s {
	case defus.MailSent:
		return "Gesendet"
	case defus.MailFailed:
		return "Nicht zugestellt"
	}
	return "In der Warteschlange"
}

// mailAnchor is the element id of a mail on its enquiry's page.
func mailAnchor(id int64) string { return fmt.Sprintf("mail-%d", id) }

func resendURL(enquiryID, mailID int64) templ.SafeURL {
	return templ.SafeURL(fmt.Sprintf("/admin/anfragen/%d/e-mails/%d/erneut-senden", enquiryID, mailID))
}

// germanDate is a day as the office types it: 01.12.2026.
func germanDate(t time.Time) string { return t.In(defus.Berlin).Format("02.01.2006") }

// isoDay is a day for <time datetime> and date inputs: 2026-12-01.
func isoDay(t time.Time) string { return t.In(defus.Berlin).Format(time.DateOnly) }

// followUpAge says when a follow-up day is, seen from now: "heute",
// "seit gestern", "seit 3 Tagen", "morgen", "in 5 Tagen".
func followUpAge(on, now time.Time) string {
	switch n := defus.DaysBetween(now, on); {
	case n == 0:
		return "heute"
	case n == -1:
		return "seit gestern"
	case n < 0:
		return fmt.Sprintf("seit %d Tagen", -n)
	case n == 1:
		return "morgen"
	default:
		return fmt.Sprintf("in %d Tagen", n)
	}
}
