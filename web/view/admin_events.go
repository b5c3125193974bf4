package view

import (
	"strconv"
	"time"

	"defus.de/portal/internal/defus"
)

// AdminEventsData is the office's list of events.
type AdminEventsData struct {
	Query  string // search in title and place, as typed
	Period string // "kommende", "vergangene", "alle"
	Kind   string // German kind parameter, "" for all
	State  string // "", "published", "draft"
	Total  int
	Events []defus.Event
	Paging Paging
	Now    time.Time
}

// EventPeriods are the time filter's choices, the default first.
var EventPeriods = []Option{{"kommende", "Kommende"}, {"vergangene", "Vergangene"}, {"alle", "Alle"}}

// EventStatusOptions and EventFormatOptions are the event form's choices.
var (
	EventStatusOptions = []Option{{string(defus.StatusScheduled), "Findet statt"},
		{string(defus.StatusCancelled), "Abgesagt"}, {string(defus.StatusPostponed), "Verschoben"}}
	EventFormatOptions = []Option{{string(defus.FormatInPerson), "vor Ort"},
		{string(defus.FormatOnline), "online"}, {string(defus.FormatHybrid), "vor Ort und online (hybrid)"}}
)

func (d AdminEventsData) filtered() bool {
	return d.Query != "" || d.Kind != "" || d.State != "" || d.Period != EventPeriods[0].Value
}

func eventKindOptions() []Option {
	var opts []Option
	for _, k := range defus.EventKinds {
		opts = append(opts, Option{k.Param(), k.Label()})
	}
	return opts
}

// adminEventsWord is "1 Termin" or "12 Termine".
func adminEventsWord(n int) string {
	if n == 1 {
		return "1 Termin"
	}
	return defus.FormatNumber(n) + " Termine"
}

// EventFormData is the form for a new, copied or existing event.
type EventFormData struct {
	Event   *defus.Event // the stored event being edited; nil for a new one
	CopyOf  *defus.Event // the original when the form starts as a copy
	Version int

	Title, Slug, Kind, Status, Format      Field
	AllDay                                 Field // checkbox
	StartDate, StartTime, EndDate, EndTime Field
	PlaceName, Street, Postcode, City      Field
	OnlineURL                              Field
	OnlinePublic                           Field // checkbox
	Host, Partners                         Field
	Topics                                 CheckboxGroup
	Summary, Description                   Field
	RegistrationNote, RegistrationURL      Field
	Published                              Field // checkbox

	Errors   []ErrorLink
	Conflict []ConflictField
}

// Action is where the form posts.
func (d EventFormData) Action() string {
	if d.Event == nil {
		return "/admin/termine"
	}
	return "/admin/termine/" + strconv.FormatInt(d.Event.ID, 10)
}

// eventStateText is "veröffentlicht" or "Entwurf", with the status when the
// event does not take place as planned.
func eventStateText(e defus.Event) string {
	s := publishedLabel(e.Published)
	if l := e.Status.Label(); l != "" {
		s += ", " + l
	}
	return s
}
