package defus

import (
	"strconv"
	"strings"
	"time"
)

// EventKind says what sort of event an event is.
type EventKind string

// The kinds of event.
const (
	EventMeeting    EventKind = "meeting"
	EventWorkshop   EventKind = "workshop"
	EventTraining   EventKind = "training"
	EventConference EventKind = "conference"
	EventOther      EventKind = "other"
)

// EventKinds lists every kind in the order forms offer them.
var EventKinds = []EventKind{EventMeeting, EventWorkshop, EventTraining, EventConference, EventOther}

var eventKindParams = map[EventKind]string{
	EventMeeting:    "treffen",
	EventWorkshop:   "workshop",
	EventTraining:   "fortbildung",
	EventConference: "konferenz",
	EventOther:      "sonstiges",
}

// EventKindFromParam maps the German URL parameter value (?art=fortbildung) to a kind.
func EventKindFromParam(s string) (EventKind, bool) {
	for k, p := range eventKindParams {
		if p == s {
			return k, true
		}
	}
	return "", false
}

// Param is the German URL parameter value of the kind.
func (k EventKind) Param() string { return eventKindParams[k] }

// Valid reports whether k is one of the known kinds.
func (k EventKind) Valid() bool { _, ok := eventKindParams[k]; return ok }

// Label is the German name of the kind.
func (k EventKind) Label() string {
	switch k {
	case EventMeeting:
		return "Mitgliederversammlung/Treffen"
	case EventWorkshop:
		return "Workshop"
	case EventTraining:
		return "Fortbildung"
	case EventConference:
		return "Konferenz"
	case EventOther:
		return "Sonstiges"
	}
	return string(k)
}

// EventFormat says where an event takes place.
type EventFormat string

// The formats of an event.
const (
	FormatInPerson EventFormat = "in_person"
	FormatOnline   EventFormat = "online"
	FormatHybrid   EventFormat = "hybrid"
)

// Label is the German name of the format.
func (f EventFormat) Label() string {
	switch f {
	case FormatInPerson:
		return "vor Ort"
	case FormatOnline:
		return "online"
	case FormatHybrid:
		return "vor Ort und online"
	}
	return string(f)
}

// EventStatus says whether an event takes place as planned.
type EventStatus string

// The states of an event.
const (
	StatusScheduled EventStatus = "scheduled"
	StatusCancelled EventStatus = "cancelled"
	StatusPostponed EventStatus = "postponed"
)

// Label is the German word for the status; empty for a scheduled event.
func (s EventStatus) Label() string {
	switch s {
	case StatusCancelled:
		return "Abgesagt"
	case StatusPostponed:
		return "Verschoben"
	}
	return ""
}

// EventHost is the member that hosts an event, as far as event pages need it.
type EventHost struct {
	ID        int64
	Slug      string
	Name      string
	ShortName string
}

// Event is a meeting, workshop, training or conference of the network.
//
// StartsAt and EndsAt are instants. For an all-day event StartsAt is midnight
// (Berlin) of the first day and EndsAt midnight (Berlin) after the last day:
// EndsAt is always the moment the event is over, so "upcoming" is simply
// EndsAt > now, and iCalendar's exclusive DTEND comes for free.
type Event struct {
	ID               int64
	Slug             string
	Title            string
	Kind             EventKind
	StartsAt         time.Time
	EndsAt           time.Time
	AllDay           bool
	Format           EventFormat
	PlaceName        string
	Street           string
	Postcode         string
	City             string
	OnlineURL        string
	OnlineURLPublic  bool // the link may be shown to everyone
	HostMemberID     *int64
	Partners         string // cooperation partners, free text
	Summary          string // plain text, one or two sentences
	Description      string // Markdown
	RegistrationNote string
	RegistrationURL  string
	Status           EventStatus
	// PreviousStartsAt is the start before the last move, or before the
	// event was postponed (kept by the database, see migration 00016);
	// nil when neither happened.
	PreviousStartsAt *time.Time
	Published        bool
	UID              string // iCalendar UID, never changes
	Sequence         int    // iCalendar SEQUENCE, raised when the event itself changes
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Version          int

	Host   *EventHost // filled by the store when the host is published
	Topics []Topic    // filled by the store: the published topics, without their texts (Summary, Description)

	// TopicIDs are all linked topics, published or not: filled by
	// FindEventByID for the office's form, written by CreateEvent and
	// UpdateEvent.
	TopicIDs []int64

	// Registration is how people register through the portal (see
	// registration.go).
	Registration RegistrationSettings
}

// Period selects events relative to EventFilter.Now.
type Period int

// The periods of an event list.
const (
	PeriodAll      Period = iota // every event, oldest first
	PeriodUpcoming               // not over yet at Now (see Event.Upcoming), soonest first
	PeriodPast                   // over at Now, latest first
)

// EventFilter narrows an event list. Zero values mean "all".
type EventFilter struct {
	Now        time.Time // the split between upcoming and past; required for those periods
	Period     Period
	Kind       EventKind
	TopicID    int64
	HostID     int64
	From, To   time.Time // when set, only events overlapping [From, To)
	WithDrafts bool      // include unpublished events (admin views)
	Limit      int       // 0: no limit
	Offset     int       // skip as many first (a later page of a list)
}

// EventListFilter narrows the office's event list, drafts included.
// Upcoming events come soonest first; past ones and "all" latest first.
type EventListFilter struct {
	ListFilter           // Query searches title, place name and city
	Now        time.Time // the split between upcoming and past
	Period     Period
	Kind       EventKind
}

// MonthRange returns the instants that bound a calendar month in Berlin.
func MonthRange(year int, month time.Month) (from, to time.Time) {
	from = time.Date(year, month, 1, 0, 0, 0, 0, Berlin)
	return from, from.AddDate(0, 1, 0)
}

// ParseMonth reads "2026-06" as a month between 1900 and 2200.
func ParseMonth(s string) (year int, month time.Month, ok bool) {
	if len(s) != 7 || s[4] != '-' {
		return 0, 0, false
	}
	y, err1 := strconv.Atoi(s[:4])
	m, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || !ValidYear(y) || m < 1 || m > 12 {
		return 0, 0, false
	}
	return y, time.Month(m), true
}

// ValidYear reports whether the portal deals with dates in year y.
func ValidYear(y int) bool { return y >= 1900 && y <= 2200 }

// ReservedEventSlugs are paths below /termine that are not events.
var ReservedEventSlugs = []string{"archiv", "kalender", "abonnieren", "meine"}

// EntityEvent is the audit log's entity name for events.
const EntityEvent = "event"

// The years an event may fall in: wide enough for the archive (founded
// 2010) and long-term planning, narrow enough to catch a mistyped year.
const (
	MinEventYear = 1990
	MaxEventYear = 2100
)

// Text limits of an event's shorter fields.
const (
	maxEventLineLen = 300   // place, street, partners, links
	maxEventNoteLen = 2_000 // registration note
)

// Validate checks the rules every event must follow, whoever saves it, and
// returns German messages by field: title, slug, kind, format, status,
// starts_at, ends_at, place_name, street, postcode, city, online_url,
// partners, summary, description, registration_note, registration_url.
// Values are expected trimmed.
func (e *Event) Validate() FieldErrors {
	v := FieldErrors{}
	if strings.TrimSpace(e.Title) == "" {
		v.Add("title", "Bitte geben Sie einen Titel an.")
	}
	v.Check("title", CheckText(e.Title, "Der Titel", false, MaxTitleLen, false))
	v.Check("slug", CheckSlug(e.Slug))
	if contains(ReservedEventSlugs, e.Slug) {
		v.Add("slug", "Diese Adresse ist für eine andere Seite unter /termine reserviert. Bitte wählen Sie eine andere.")
	}
	if !e.Kind.Valid() {
		v.Add("kind", "Bitte wählen Sie eine Art.")
	}
	switch e.Format {
	case FormatInPerson, FormatOnline, FormatHybrid:
	default:
		v.Add("format", "Bitte wählen Sie, ob der Termin vor Ort, online oder hybrid stattfindet.")
	}
	switch e.Status {
	case StatusScheduled, StatusCancelled, StatusPostponed:
	default:
		v.Add("status", "Bitte wählen Sie einen Status.")
	}
	e.validateTimes(v)
	for _, f := range []struct {
		field, value, label string
		max                 int
		multiline           bool
	}{
		{"place_name", e.PlaceName, "Der Veranstaltungsort", maxEventLineLen, false},
		{"street", e.Street, "Die Straße", maxEventLineLen, false},
		{"postcode", e.Postcode, "Die Postleitzahl", 10, false},
		{"city", e.City, "Die Stadt", maxEventLineLen, false},
		{"online_url", e.OnlineURL, "Der Online-Link", maxEventLineLen, false},
		{"partners", e.Partners, "Die Angabe der Partner", maxEventLineLen, false},
		{"summary", e.Summary, "Die Kurzbeschreibung", MaxSummaryLen, false},
		{"description", e.Description, "Die Beschreibung", MaxBodyLen, true},
		{"registration_note", e.RegistrationNote, "Der Hinweis zur Anmeldung", maxEventNoteLen, true},
		{"registration_url", e.RegistrationURL, "Der Anmeldelink", maxEventLineLen, false},
	} {
		v.Check(f.field, CheckText(f.value, f.label, false, f.max, f.multiline))
	}
	if e.Format != FormatOnline && e.PlaceName == "" && e.City == "" {
		v.Add("city", "Bitte geben Sie an, wo der Termin stattfindet: die Stadt oder den Veranstaltungsort.")
	}
	if e.OnlineURL != "" && !ValidWebURL(e.OnlineURL) {
		v.Add("online_url", "Der Online-Link muss mit https:// oder http:// beginnen.")
	}
	// The link of an online meeting is often sent only after registration;
	// then the registration says how to take part.
	if e.Format != FormatInPerson && e.OnlineURL == "" && e.RegistrationNote == "" && e.RegistrationURL == "" {
		v.Add("online_url", "Bitte geben Sie den Online-Link an – oder unter „Anmeldung“, wie Teilnehmende den Link erhalten.")
	}
	if e.RegistrationURL != "" && !ValidWebURL(e.RegistrationURL) {
		v.Add("registration_url", "Der Anmeldelink muss mit https:// oder http:// beginnen.")
	}
	e.Registration.validate(v)
	return v
}

// validateTimes checks start and end: both set, in the years the portal
// deals with, the end not before the start, all-day events from midnight
// to midnight.
func (e *Event) validateTimes(v FieldErrors) {
	year := func(t time.Time) bool {
		y := t.In(Berlin).Year()
		return y >= MinEventYear && y <= MaxEventYear
	}
	years := "Das Datum muss zwischen " + strconv.Itoa(MinEventYear) + " und " + strconv.Itoa(MaxEventYear) + " liegen."
	switch {
	case e.StartsAt.IsZero():
		v.Add("starts_at", "Bitte geben Sie den Beginn an.")
	case !year(e.StartsAt):
		v.Add("starts_at", years)
	}
	switch {
	case e.EndsAt.IsZero():
		v.Add("ends_at", "Bitte geben Sie das Ende an.")
	case !year(e.EndsAt):
		v.Add("ends_at", years)
	case v.Has("starts_at"):
	case e.EndsAt.Before(e.StartsAt):
		v.Add("ends_at", "Das Ende darf nicht vor dem Beginn liegen.")
	case e.AllDay && (!isMidnight(e.StartsAt) || !isMidnight(e.EndsAt) || !e.EndsAt.After(e.StartsAt)):
		v.Add("ends_at", "Ganztägige Termine beginnen und enden um Mitternacht und dauern mindestens einen Tag.")
	}
}

func isMidnight(t time.Time) bool {
	h, m, s := t.In(Berlin).Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// AllDayRange returns the instants of an all-day event from its first to its
// last day (inclusive), in Berlin.
func AllDayRange(first, last time.Time) (start, end time.Time) {
	f, l := first.In(Berlin), last.In(Berlin)
	start = time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, Berlin)
	end = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, Berlin)
	return start, end
}

// FirstDay is the Berlin date the event starts on, as midnight Berlin.
func (e *Event) FirstDay() time.Time { return day(e.StartsAt) }

// LastDay is the Berlin date the event ends on, as midnight Berlin. For an
// all-day event that is the day before EndsAt.
func (e *Event) LastDay() time.Time {
	if e.AllDay && e.EndsAt.After(e.StartsAt) {
		return day(e.EndsAt).AddDate(0, 0, -1)
	}
	return day(e.EndsAt)
}

// OnDay reports whether the event takes place (partly) on the Berlin date of d.
func (e *Event) OnDay(d time.Time) bool {
	d = day(d)
	return !d.Before(e.FirstDay()) && !d.After(e.LastDay())
}

// Upcoming reports whether the event is not over at now. An event without
// duration counts as upcoming up to and including its moment.
func (e *Event) Upcoming(now time.Time) bool {
	return e.EndsAt.After(now) || e.EndsAt.Equal(now) && e.StartsAt.Equal(e.EndsAt)
}

// MultiDay reports whether the event spans more than one Berlin date.
func (e *Event) MultiDay() bool { return !e.FirstDay().Equal(e.LastDay()) }

// Online reports whether the event takes place only online.
func (e *Event) Online() bool { return e.Format == FormatOnline }

// PublicOnlineURL is the online link when it may be shown to everyone, else "".
func (e *Event) PublicOnlineURL() string {
	if e.OnlineURLPublic && e.Format != FormatInPerson {
		return e.OnlineURL
	}
	return ""
}

// Place is the short place for lists: "Stuttgart", "online", "Hannover und online".
func (e *Event) Place() string {
	place := e.City
	if place == "" {
		place = e.PlaceName
	}
	switch {
	case e.Format == FormatOnline:
		return "online"
	case e.Format == FormatHybrid && place != "":
		return place + " und online"
	case e.Format == FormatHybrid:
		return "vor Ort und online"
	}
	return place
}

// Address is the full address, one line: "Rathaus, Marktplatz 1, 70173 Stuttgart".
func (e *Event) Address() string {
	var parts []string
	for _, p := range []string{e.PlaceName, e.Street, strings.TrimSpace(e.Postcode + " " + e.City)} {
		if p != "" && !contains(parts, p) {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// day is midnight Berlin of the Berlin date of t.
func day(t time.Time) time.Time {
	t = t.In(Berlin)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Berlin)
}

// monthAbbr are the German month abbreviations as Duden writes them.
var monthAbbr = [12]string{"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni",
	"Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."}

// DateRange writes the days of the event without times:
// "Dienstag, 16. September 2025", "16.–17. September 2025",
// "30. Sept. – 2. Okt. 2025", "30. Dez. 2025 – 2. Jan. 2026".
func (e *Event) DateRange() string {
	f, l := e.FirstDay(), e.LastDay()
	switch {
	case f.Equal(l):
		return WeekdayNames[f.Weekday()] + ", " + FormatDate(f)
	case f.Year() == l.Year() && f.Month() == l.Month():
		return strconv.Itoa(f.Day()) + ".–" + FormatDate(l)
	case f.Year() == l.Year():
		return shortDate(f) + " – " + shortDate(l) + " " + strconv.Itoa(l.Year())
	}
	return shortDate(f) + " " + strconv.Itoa(f.Year()) + " – " + shortDate(l) + " " + strconv.Itoa(l.Year())
}

func shortDate(t time.Time) string {
	return strconv.Itoa(t.Day()) + ". " + monthAbbr[t.Month()-1]
}

// When writes date and time the way people say it:
// "Dienstag, 16. September 2025, 10:00–17:00 Uhr" for a timed event on one
// day, the DateRange for all-day events, and both ends with their times for
// a timed event over several days.
func (e *Event) When() string {
	if e.AllDay {
		return e.DateRange()
	}
	s, end := e.StartsAt.In(Berlin), e.EndsAt.In(Berlin)
	if !e.MultiDay() {
		d := WeekdayNames[s.Weekday()] + ", " + FormatDate(s) + ", "
		if s.Equal(end) {
			return d + FormatTime(s)
		}
		return d + s.Format("15:04") + "–" + FormatTime(end)
	}
	return WeekdayNames[s.Weekday()] + ", " + FormatDate(s) + ", " + FormatTime(s) + " bis " +
		WeekdayNames[end.Weekday()] + ", " + FormatDate(end) + ", " + FormatTime(end)
}

// Countdown says how far off the event is at now, in calendar days in
// Berlin: "heute", "morgen", "in 29 Tagen"; "läuft" for an event that began
// on an earlier day and is not over; "" for a past event.
func (e *Event) Countdown(now time.Time) string {
	if !e.Upcoming(now) {
		return ""
	}
	n := DaysBetween(now, e.StartsAt)
	switch {
	case n < 0:
		return "läuft"
	case n == 0:
		return "heute"
	case n == 1:
		return "morgen"
	}
	return "in " + strconv.Itoa(n) + " Tagen"
}

// DaysBetween counts the Berlin calendar days from a to b, whatever the
// clock times and daylight-saving changes in between.
func DaysBetween(a, b time.Time) int {
	a, b = a.In(Berlin), b.In(Berlin)
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// MonthTitle writes a month as "Juni 2026".
func MonthTitle(year int, month time.Month) string {
	return MonthNames[month-1] + " " + strconv.Itoa(year)
}
