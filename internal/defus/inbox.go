package defus

import (
	"fmt"
	"slices"
	"time"
)

// EntityEnquiry is the audit log's entity name for enquiries.
const EntityEnquiry = "enquiry"

// StatusOpen is the inbox filter value for all open enquiries (new and in
// progress); it is not a status an enquiry can have.
const StatusOpen EnquiryStatus = "open"

// Valid reports whether s is one of EnquiryStatuses.
func (s EnquiryStatus) Valid() bool { return slices.Contains(EnquiryStatuses, s) }

// EnquiryFilter selects enquiries for the inbox and its CSV export; zero
// fields do not filter.
type EnquiryFilter struct {
	Status EnquiryStatus // one of EnquiryStatuses, StatusOpen, or "" for all
	Query  string        // part of the organisation or the contact person, any case
	// OldestFirst lists by sending time ascending (the longest waiting
	// first) instead of newest first.
	OldestFirst bool
	Limit       int // 0: no limit
	Offset      int
}

// MaxNoteLength is the most characters an internal note may have.
const MaxNoteLength = 10_000

// EnquiryNote is an internal note of the office on an enquiry.
type EnquiryNote struct {
	ID         int64
	EnquiryID  int64
	AuthorID   *int64 // nil once the author's account is deleted
	AuthorName string // a snapshot of the author's name, kept after deletion
	Body       string
	CreatedAt  time.Time
}

// ValidateNote checks a note's text, already trimmed, and returns a German
// message or "".
func ValidateNote(body string) string {
	if body == "" {
		return "Bitte geben Sie einen Text für die Notiz an."
	}
	return CheckText(body, "Die Notiz", false, MaxNoteLength, true)
}

// PrivacyNotice is the text of /datenschutz that an enquirer consented to.
type PrivacyNotice struct {
	ID          int64
	PageVersion int
	Body        string
	CreatedAt   time.Time
}

// SubjectData is everything stored about one e-mail address, for a
// data subject's request for access (GDPR Art. 15).
type SubjectData struct {
	Email     string
	Enquiries []Enquiry
	Notes     []EnquiryNote
	Mails     []Mail
}

// FormatAge says in German how long ago then was from now: "gerade eben",
// "vor 5 Minuten", "vor 3 Stunden", "gestern", "vor 3 Tagen", "vor 2 Wochen",
// "vor 4 Monaten", "vor 2 Jahren".
func FormatAge(then, now time.Time) string {
	d := now.Sub(then)
	if d < time.Minute {
		return "gerade eben"
	}
	if d < time.Hour {
		return plural(int(d/time.Minute), "vor 1 Minute", "vor %d Minuten")
	}
	if d < 24*time.Hour {
		return plural(int(d/time.Hour), "vor 1 Stunde", "vor %d Stunden")
	}
	days := int(d / (24 * time.Hour))
	switch {
	case days == 1:
		return "gestern"
	case days < 14:
		return fmt.Sprintf("vor %d Tagen", days)
	case days < 60:
		return fmt.Sprintf("vor %d Wochen", days/7)
	case days < 730:
		return plural(days/30, "vor 1 Monat", "vor %d Monaten")
	}
	return fmt.Sprintf("vor %d Jahren", days/365)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}
