package defus

import (
	"fmt"
	"slices"
	"time"
)

// EnquiryKind says what kind of body sends a membership enquiry.
type EnquiryKind string

// The kinds of enquirer, in the order the form offers them.
const (
	EnquiryCity         EnquiryKind = "city"
	EnquiryDistrict     EnquiryKind = "district"
	EnquiryOrganisation EnquiryKind = "organisation"
	EnquiryOther        EnquiryKind = "other"
)

// EnquiryKinds lists the kinds the form offers.
var EnquiryKinds = []EnquiryKind{EnquiryCity, EnquiryDistrict, EnquiryOrganisation, EnquiryOther}

// Label is the German name of the kind.
func (k EnquiryKind) Label() string {
	switch k {
	case EnquiryCity:
		return "Stadt/Gemeinde"
	case EnquiryDistrict:
		return "Landkreis"
	case EnquiryOrganisation:
		return "Organisation/Verein"
	case EnquiryOther:
		return "Sonstiges"
	}
	return string(k)
}

// Valid reports whether k is one of EnquiryKinds or empty (not given).
func (k EnquiryKind) Valid() bool {
	if k == "" {
		return true
	}
	for _, x := range EnquiryKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Abroad is the choice of federal state for enquirers outside Germany.
const Abroad = "außerhalb Deutschlands"

// EnquiryStates are the choices for the federal state: the 16 Länder and Abroad.
var EnquiryStates = append(append([]string{}, States...), Abroad)

// EnquiryStatus is where an enquiry stands in the office's work.
type EnquiryStatus string

// The statuses of an enquiry. New and InProgress are open, all others closed.
const (
	StatusNew          EnquiryStatus = "new"
	StatusInProgress   EnquiryStatus = "in_progress"
	StatusAnswered     EnquiryStatus = "answered"
	StatusBecameMember EnquiryStatus = "became_member"
	StatusRejected     EnquiryStatus = "rejected"
	StatusSpam         EnquiryStatus = "spam"
)

// EnquiryStatuses lists every status in the order the office works through them.
var EnquiryStatuses = []EnquiryStatus{StatusNew, StatusInProgress, StatusAnswered, StatusBecameMember, StatusRejected, StatusSpam}

// Label is the German name of the status.
func (s EnquiryStatus) Label() string {
	switch s {
	case StatusNew:
		return "neu"
	case StatusInProgress:
		return "in Bearbeitung"
	case StatusAnswered:
		return "beantwortet"
	case StatusBecameMember:
		return "Mitglied geworden"
	case StatusRejected:
		return "abgelehnt"
	case StatusSpam:
		return "Spam"
	}
	return string(s)
}

// Closed reports whether the status ends the office's work; closed enquiries
// carry a closed time from which retention counts.
func (s EnquiryStatus) Closed() bool { return s != StatusNew && s != StatusInProgress }

// SpamRetention is how long enquiries marked as spam are kept after closing.
const SpamRetention = 30 * 24 * time.Hour

// Field limits of the enquiry form, in characters.
const (
	MaxEnquiryLine    = 200
	MaxEnquiryEmail   = 254
	MaxEnquiryPhone   = 40
	MaxEnquiryHeard   = 500
	MaxEnquiryMessage = 5000
	MaxPopulation     = 100_000_000
)

// Enquiry is a prospective member's message to the office.
type Enquiry struct {
	ID              int64
	Organisation    string
	Kind            EnquiryKind // "" when not given
	State           string      // one of EnquiryStates or ""
	ContactName     string
	Function        string
	Email           string
	Phone           string
	Population      *int
	Message         string
	HeardFrom       string
	TopicIDs        []int64
	Topics          []string // titles of TopicIDs, for mails and the inbox
	ConsentAt       time.Time
	PrivacyNoticeID int64
	Status          EnquiryStatus
	SpamReason      string
	AssignedTo      *int64
	AssignedName    string // the assigned staff member's name, "" when none
	ClosedAt        *time.Time
	FollowUpOn      *time.Time // the follow-up day (Wiedervorlage), midnight Berlin; nil when none
	FollowUpNote    string     // what to do on that day; "" without a day
	IdempotencyKey  string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int
}

// Validate checks the rules for an enquiry's own fields, keyed by the form's
// field names. Values must already be trimmed. Whether topic ids exist is for
// the caller to check against the database.
func (e *Enquiry) Validate() FieldErrors {
	errs := FieldErrors{}
	required := func(field, v, msg string) {
		if v == "" {
			errs.Add(field, msg)
		}
	}
	required("organisation", e.Organisation, "Bitte geben Sie Ihre Organisation an.")
	errs.Check("organisation", CheckText(e.Organisation, "Der Name der Organisation", false, MaxEnquiryLine, false))
	if !e.Kind.Valid() {
		errs.Add("kind", "Bitte wählen Sie eine Art aus der Liste.")
	}
	if e.State != "" && !slices.Contains(EnquiryStates, e.State) {
		errs.Add("state", "Bitte wählen Sie ein Bundesland aus der Liste.")
	}
	required("contact_name", e.ContactName, "Bitte geben Sie eine Ansprechperson an.")
	errs.Check("contact_name", CheckText(e.ContactName, "Der Name der Ansprechperson", false, MaxEnquiryLine, false))
	errs.Check("function", CheckText(e.Function, "Die Funktion", false, MaxEnquiryLine, false))
	required("email", e.Email, "Bitte geben Sie Ihre E-Mail-Adresse an.")
	errs.Check("email", CheckEmail(e.Email, "Die E-Mail-Adresse"))
	if msg := CheckText(e.Phone, "Die Telefonnummer", false, MaxEnquiryPhone, false); msg != "" {
		errs.Add("phone", msg)
	} else if e.Phone != "" && !ValidPhone(e.Phone) {
		errs.Add("phone", "Bitte geben Sie eine Telefonnummer nur mit Ziffern, Leerzeichen und + ( ) / - an.")
	}
	if e.Population != nil && (*e.Population < 1 || *e.Population > MaxPopulation) {
		errs.Add("population", "Bitte geben Sie die Einwohnerzahl als ganze Zahl größer als null an.")
	}
	required("message", e.Message, "Bitte geben Sie eine Nachricht an.")
	errs.Check("message", CheckText(e.Message, "Die Nachricht", false, MaxEnquiryMessage, true))
	errs.Check("heard_from", CheckText(e.HeardFrom, "Die Angabe, wie Sie von DEFUS erfahren haben,", false, MaxEnquiryHeard, false))
	if e.ConsentAt.IsZero() {
		errs.Add("consent", "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu, damit wir Ihre Anfrage bearbeiten können.")
	}
	return errs
}

// ValidPhone reports whether s looks like a telephone number: digits, spaces
// and + ( ) / - . only, a leading + at most, and at least five digits.
func ValidPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '(' || r == ')' || r == '/' || r == '-' || r == '.':
		default:
			return false
		}
	}
	return digits >= 5
}

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
	SkipCount   bool // count nothing: the page shows no total
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
	Accounts  []User    // accounts that log in with the address
	Sessions  []Session // their logged-in sessions
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
