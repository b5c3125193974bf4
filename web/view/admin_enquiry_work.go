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
