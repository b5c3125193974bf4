package defus

import (
	"strconv"
	"strings"
	"time"
)

// RegistrationMode says who may register for an event through the portal.
type RegistrationMode string

// The registration modes.
const (
	RegistrationOff     RegistrationMode = "off"     // no registration through the portal
	RegistrationMembers RegistrationMode = "members" // logged-in member representatives only
	RegistrationOpen    RegistrationMode = "open"    // everybody; guests confirm by mail
)

// Label is the German name of the mode.
func (m RegistrationMode) Label() string {
	switch m {
	case RegistrationMembers:
		return "nur für Mitglieder"
	case RegistrationOpen:
		return "für alle offen"
	}
	return "keine Anmeldung über das Portal"
}

// RegistrationSettings are the office's choices for registering for one event.
type RegistrationSettings struct {
	Mode            RegistrationMode
	Capacity        *int       // nil: unlimited
	Deadline        *time.Time // nil: until the event starts
	PlacesPerMember *int       // at most so many places per member organisation; nil: no limit
	// OnlineURLMembers: logged-in members see the online link too;
	// confirmed participants always do.
	OnlineURLMembers bool
	// ShowParticipants: members see which organisations registered (of
	// those who agreed).
	ShowParticipants bool
}

// Limits of the settings.
const (
	MaxCapacity        = 10_000
	MaxPlacesPerMember = 100
)

func (s *RegistrationSettings) validate(v FieldErrors) {
	switch s.Mode {
	case "", RegistrationOff, RegistrationMembers, RegistrationOpen:
	default:
		v.Add("registration_mode", "Bitte wählen Sie, wer sich anmelden kann.")
	}
	if s.Capacity != nil && (*s.Capacity < 1 || *s.Capacity > MaxCapacity) {
		v.Add("capacity", "Die Zahl der Plätze muss zwischen 1 und "+FormatNumber(MaxCapacity)+" liegen – oder leer bleiben für unbegrenzt.")
	}
	if s.PlacesPerMember != nil && (*s.PlacesPerMember < 1 || *s.PlacesPerMember > MaxPlacesPerMember) {
		v.Add("places_per_member", "Die Plätze je Mitglied müssen zwischen 1 und "+strconv.Itoa(MaxPlacesPerMember)+" liegen – oder leer bleiben.")
	}
}

// RegistrationClosed says why the event takes no registrations at now, or
// "" when it does: registration switched on, published, taking place, not
// started, deadline not passed.
func (e *Event) RegistrationClosed(now time.Time) RegistrationRefusal {
	switch {
	case e.Registration.Mode == RegistrationOff || e.Registration.Mode == "" || !e.Published:
		return RefusedNoRegistration
	case e.Status == StatusCancelled:
		return RefusedCancelled
	case e.Status == StatusPostponed:
		return RefusedPostponed
	case !e.StartsAt.After(now):
		return RefusedPast
	case e.Registration.Deadline != nil && !e.Registration.Deadline.After(now):
		return RefusedDeadline
	}
	return ""
}

// CanSeeOnlineURL reports whether someone sees the event's online link: a
// public link everybody; otherwise confirmed participants, and logged-in
// members where the office allows it.
func (e *Event) CanSeeOnlineURL(member, participant bool) bool {
	if e.OnlineURL == "" || e.Format == FormatInPerson {
		return false
	}
	return e.OnlineURLPublic || participant || member && e.Registration.OnlineURLMembers
}

// OnlineURLHidden is what people read who may not see the online link.
const OnlineURLHidden = "Zugangslink für Mitglieder nach Anmeldung"

// RegistrationRefusal says why a registration, confirmation or link was
// refused; Message is the German text for the person.
type RegistrationRefusal string

// The reasons for refusing.
const (
	RefusedNoRegistration RegistrationRefusal = "no_registration"
	RefusedCancelled      RegistrationRefusal = "cancelled"
	RefusedPostponed      RegistrationRefusal = "postponed"
	RefusedPast           RegistrationRefusal = "past"
	RefusedDeadline       RegistrationRefusal = "deadline"
	RefusedMembersOnly    RegistrationRefusal = "members_only"
	RefusedMemberLimit    RegistrationRefusal = "member_limit"
	RefusedRegistered     RegistrationRefusal = "registered" // already holds a place or waits
	RefusedLinkInvalid    RegistrationRefusal = "link_invalid"
	RefusedLinkExpired    RegistrationRefusal = "link_expired"
	RefusedLinkUsed       RegistrationRefusal = "link_used"
)

func (r RegistrationRefusal) Error() string { return "registration refused: " + string(r) }

// Message is the German explanation with what to do.
func (r RegistrationRefusal) Message() string {
	switch r {
	case RefusedNoRegistration:
		return "Für diesen Termin ist keine Anmeldung über das Portal möglich. Bitte wenden Sie sich an die Geschäftsstelle."
	case RefusedCancelled:
		return "Dieser Termin ist abgesagt. Eine Anmeldung ist nicht mehr möglich."
	case RefusedPostponed:
		return "Dieser Termin wird verschoben. Die Anmeldung öffnet wieder, sobald der neue Termin feststeht."
	case RefusedPast:
		return "Dieser Termin hat schon begonnen oder ist vorbei. Eine Anmeldung ist nicht mehr möglich."
	case RefusedDeadline:
		return "Die Anmeldefrist für diesen Termin ist abgelaufen. Bitte wenden Sie sich an die Geschäftsstelle, wenn Sie noch teilnehmen möchten."
	case RefusedMembersOnly:
		return "Die Anmeldung zu diesem Termin ist den Mitgliedern vorbehalten. Bitte melden Sie sich mit Ihrem Mitgliederkonto an."
	case RefusedMemberLimit:
		return "Für Ihre Organisation sind bei diesem Termin schon alle Plätze vergeben, die je Mitglied vorgesehen sind. Bitte sprechen Sie sich in Ihrer Organisation ab oder wenden Sie sich an die Geschäftsstelle."
	case RefusedRegistered:
		return "Mit dieser E-Mail-Adresse besteht schon eine Anmeldung zu diesem Termin."
	case RefusedLinkInvalid:
		return "Dieser Link ist ungültig. Bitte prüfen Sie, ob Sie ihn vollständig aus der E-Mail übernommen haben, oder melden Sie sich auf der Seite des Termins neu an."
	case RefusedLinkExpired:
		return "Dieser Link ist abgelaufen. Bitte melden Sie sich auf der Seite des Termins neu an."
	case RefusedLinkUsed:
		return "Dieser Link wurde schon verwendet."
	}
	return "Die Anmeldung ist nicht möglich."
}

// RegistrationState is where a registration stands.
type RegistrationState string

// The states of a registration. Places are held by confirmed and offered
// registrations.
const (
	RegPending   RegistrationState = "pending"   // guest, waiting for the mail confirmation; holds no place
	RegConfirmed RegistrationState = "confirmed" // holds a place
	RegWaiting   RegistrationState = "waiting"   // on the waitlist
	RegOffered   RegistrationState = "offered"   // a place opened; held until OfferedUntil
	RegCancelled RegistrationState = "cancelled"
)

// Label is the German name of the state.
func (s RegistrationState) Label() string {
	switch s {
	case RegPending:
		return "unbestätigt"
	case RegConfirmed:
		return "angemeldet"
	case RegWaiting:
		return "Warteliste"
	case RegOffered:
		return "Platz angeboten"
	case RegCancelled:
		return "abgemeldet"
	}
	return string(s)
}

// HoldsPlace reports whether the state takes one of the event's places.
func (s RegistrationState) HoldsPlace() bool { return s == RegConfirmed || s == RegOffered }

// How long links hold.
const (
	PendingTTL = 24 * time.Hour // a guest's unconfirmed registration
	OfferTTL   = 48 * time.Hour // a place offered to the first on the waitlist
)

// Registration is one person's registration for one event.
type Registration struct {
	ID               int64
	EventID          int64
	Email            string
	Name             string
	Organisation     string
	MemberID         *int64
	UserID           *int64
	State            RegistrationState
	QueuePos         int64
	LinkKey          []byte
	ShowOrganisation bool
	OfferedUntil     *time.Time
	ConfirmedAt      *time.Time
	CancelledAt      *time.Time
	Attended         *bool
	ByOffice         bool
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Version          int

	// Position is the place on the waitlist (1 = next), filled for
	// waiting registrations where the store reads it.
	Position int
}

// EmailKey is an address as registrations compare it: trimmed, lower
// case, the domain in its ASCII form.
func EmailKey(email string) string {
	email = strings.TrimSpace(email)
	if a, err := ASCIIEmail(email); err == nil {
		email = a
	}
	return strings.ToLower(email)
}

// EntityRegistration is the audit log's entity name for registrations.
const EntityRegistration = "registration"

// The entity's German name joins the audit log's label table here, beside
// its constant, so the shared table keeps its alignment.
func init() { entityLabels[EntityRegistration] = "Anmeldung zu einem Termin" }

// RegistrationInput is what a person gives to register. Guests give name,
// e-mail and organisation; the waitlist needs name and e-mail only.
type RegistrationInput struct {
	Name             string
	Email            string
	Organisation     string
	ShowOrganisation bool
	MemberID         *int64 // a member representative's organisation
	UserID           *int64 // the logged-in member account
	Waitlist         bool   // the event is full: name and e-mail only
}

// Validate checks what a person typed and returns German messages by
// field: name, email, organisation. Values are expected trimmed.
func (in *RegistrationInput) Validate() FieldErrors {
	v := FieldErrors{}
	v.Check("name", CheckText(in.Name, "Der Name", true, 200, false))
	if in.Email == "" {
		v.Add("email", "Bitte geben Sie Ihre E-Mail-Adresse an.")
	}
	v.Check("email", CheckEmail(in.Email, "Die E-Mail-Adresse"))
	if !in.Waitlist {
		v.Check("organisation", CheckText(in.Organisation, "Die Organisation", true, maxEventLineLen, false))
	} else {
		v.Check("organisation", CheckText(in.Organisation, "Die Organisation", false, maxEventLineLen, false))
	}
	return v
}

// RegistrationCounts are an event's registrations by state.
type RegistrationCounts struct {
	Confirmed, Offered, Waiting, Pending, Cancelled int
}

// Held is the number of places taken.
func (c RegistrationCounts) Held() int { return c.Confirmed + c.Offered }

// FreePlaces is how many places are left under capacity (nil: unlimited);
// never below zero.
func FreePlaces(capacity *int, c RegistrationCounts) *int {
	if capacity == nil {
		return nil
	}
	n := max(*capacity-c.Held(), 0)
	return &n
}

// RegistrationMailKind says which mail a change of a registration sends.
type RegistrationMailKind string

// The mails of registrations.
const (
	MailRegConfirmLink RegistrationMailKind = "confirm_link" // guest: please confirm
	MailRegConfirmed   RegistrationMailKind = "confirmed"    // with .ics and cancel link
	MailRegWaiting     RegistrationMailKind = "waiting"      // on the waitlist, with position
	MailRegOffered     RegistrationMailKind = "offered"      // a place opened: link valid 48 h
	MailRegCancelled   RegistrationMailKind = "cancelled"    // confirmation of the cancellation
	MailRegOfferLapsed RegistrationMailKind = "offer_lapsed" // the 48 h passed
	MailRegChanged     RegistrationMailKind = "changed"      // the office changed time, place, format or status
	MailRegCertificate RegistrationMailKind = "certificate"  // the certificate of attendance is ready
	MailRegReminder    RegistrationMailKind = "reminder"     // two days before, with the online link
	MailRegAlready     RegistrationMailKind = "already"      // a guest's address registered again: where it stands
)

// DurationText is how long the event lasts, for certificates: "6 Stunden",
// "1,5 Stunden" for a timed event (rounded to half hours), "1 Tag",
// "2 Tage" for an all-day one; "" for a moment without duration.
func (e *Event) DurationText() string {
	if e.AllDay {
		days := DaysBetween(e.StartsAt, e.EndsAt)
		if days == 1 {
			return "1 Tag"
		}
		return strconv.Itoa(days) + " Tage"
	}
	halves := int(e.EndsAt.Sub(e.StartsAt).Minutes()/30 + 0.5)
	switch {
	case halves == 0:
		return ""
	case halves == 2:
		return "1 Stunde"
	case halves%2 == 0:
		return strconv.Itoa(halves/2) + " Stunden"
	}
	return strconv.Itoa(halves/2) + ",5 Stunden"
}

// RegistrationMailer writes the mail of kind for r at event e, or ok=false
// when the kind sends none. The server implements it: the mails hold
// signed links.
type RegistrationMailer interface {
	RegistrationMail(kind RegistrationMailKind, e *Event, r *Registration) (m Mail, ok bool)
}
