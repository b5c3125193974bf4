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
	// FollowUpDue keeps the enquiries whose follow-up day has come (today
	// or earlier, Berlin date of the store's clock), by that day.
	FollowUpDue bool
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

// MaxFollowUpNote is the most characters the note of a follow-up may have.
const MaxFollowUpNote = 200

// FollowUpHorizon is how far ahead a follow-up day may lie.
const FollowUpHorizon = 5 // years

// FollowUp is the day an enquiry comes back onto the office's dashboard
// (Wiedervorlage), with an optional note of what to do then.
type FollowUp struct {
	On   time.Time // midnight Berlin of the day
	Note string
}

// Validate checks a follow-up set on the Berlin day today, keyed by the
// form's field names. The day may not lie in the past, except when it is
// the day already stored (was), so the note of a follow-up that is due can
// still be changed.
func (f FollowUp) Validate(today time.Time, was *time.Time) FieldErrors {
	errs := FieldErrors{}
	today = day(today)
	switch on := day(f.On); {
	case f.On.IsZero():
		errs.Add("follow_up_on", "Bitte geben Sie einen Tag an, zum Beispiel "+today.AddDate(0, 0, 7).Format("02.01.2006")+".")
	case on.Before(today) && (was == nil || !day(*was).Equal(on)):
		errs.Add("follow_up_on", "Dieser Tag ist schon vorbei. Bitte wählen Sie heute oder einen späteren Tag.")
	case on.After(today.AddDate(FollowUpHorizon, 0, 0)):
		errs.Add("follow_up_on", "Bitte wählen Sie einen Tag in den nächsten fünf Jahren.")
	}
	errs.Check("follow_up_note", CheckText(f.Note, "Die Notiz zur Wiedervorlage", false, MaxFollowUpNote, false))
	return errs
}

// BerlinDay is midnight Berlin of the Berlin date of t: a day as the
// office counts days, whatever the time and offset of t.
func BerlinDay(t time.Time) time.Time { return day(t) }

// FollowUpDue reports whether e's follow-up day has come at now (Berlin date).
func (e *Enquiry) FollowUpDue(now time.Time) bool {
	return e.FollowUpOn != nil && !day(*e.FollowUpOn).After(day(now))
}
