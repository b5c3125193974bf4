package defus

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	check := func(field, v, label string, required bool, max int, multiline bool) {
		if msg := CheckText(v, label, required, max, multiline); msg != "" {
			errs.Add(field, msg)
		}
	}
	check("organisation", e.Organisation, "Ihre Organisation", true, MaxEnquiryLine, false)
	if !e.Kind.Valid() {
		errs.Add("kind", "Bitte wählen Sie eine Art aus der Liste.")
	}
	if e.State != "" && !slices.Contains(EnquiryStates, e.State) {
		errs.Add("state", "Bitte wählen Sie ein Bundesland aus der Liste.")
	}
	check("contact_name", e.ContactName, "eine Ansprechperson", true, MaxEnquiryLine, false)
	check("function", e.Function, "Die Funktion", false, MaxEnquiryLine, false)
	if msg := CheckText(e.Email, "Ihre E-Mail-Adresse", true, MaxEnquiryEmail, false); msg != "" {
		errs.Add("email", msg)
	} else if !ValidEmail(e.Email) {
		errs.Add("email", "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@stadt.de.")
	}
	if msg := CheckText(e.Phone, "Die Telefonnummer", false, MaxEnquiryPhone, false); msg != "" {
		errs.Add("phone", msg)
	} else if e.Phone != "" && !ValidPhone(e.Phone) {
		errs.Add("phone", "Bitte geben Sie eine Telefonnummer nur mit Ziffern, Leerzeichen und + ( ) / - an.")
	}
	if e.Population != nil && (*e.Population < 1 || *e.Population > MaxPopulation) {
		errs.Add("population", "Bitte geben Sie die Einwohnerzahl als ganze Zahl größer als null an.")
	}
	check("message", e.Message, "eine Nachricht", true, MaxEnquiryMessage, true)
	check("heard_from", e.HeardFrom, "Die Angabe, wie Sie von DEFUS erfahren haben,", false, MaxEnquiryHeard, false)
	if e.ConsentAt.IsZero() {
		errs.Add("consent", "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu, damit wir Ihre Anfrage bearbeiten können.")
	}
	return errs
}

// ValidEmail reports whether s is a plain e-mail address such as
// name@stadt.de: no display name, no angle brackets, no quoted or IP-literal
// parts, and a domain of at least two labels with a top-level domain of
// letters. It refuses the almost-valid addresses people mistype.
func ValidEmail(s string) bool {
	if len(s) > MaxEnquiryEmail || strings.ContainsAny(s, " <>\"()[]\\,;:") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if local == "" || utf8.RuneCountInString(local) > 64 || strings.HasPrefix(local, ".") ||
		strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || utf8.RuneCountInString(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
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
