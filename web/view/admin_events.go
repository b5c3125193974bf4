package view

import (
	"slices"
	"strconv"
	"strings"
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
	Counts map[int64]defus.RegistrationCounts // registrations by event
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

// EventForm is the event form as typed: the event, and as text the dates
// and times (in the browser's format when they could be read), the host
// and the topics, so a wrong entry comes back exactly as it was typed.
type EventForm struct {
	defus.Event
	StartDate, StartTime, EndDate, EndTime string
	Host                                   string   // the host member's id
	Topics                                 []string // ticked topic ids
	SlugProposed                           bool     // the address was left empty and made from the title
	// The registration settings as typed: places, last day, places per member.
	Capacity, Deadline, PlacesPerMember string
}

// RegistrationModeOptions are the event form's choices of who registers.
var RegistrationModeOptions = []Option{{string(defus.RegistrationOff), "Keine Anmeldung über das Portal"},
	{string(defus.RegistrationMembers), "Nur Mitglieder (mit Mitgliederkonto)"},
	{string(defus.RegistrationOpen), "Alle (Gäste bestätigen per E-Mail)"}}

// EventFormData is the form for a new, copied or existing event.
type EventFormData struct {
	Event   *defus.Event   // as stored; nil for a new one
	CopyOf  *defus.Event   // the original when the form starts as a copy
	Members []defus.Member // the hosts to choose from
	Topics  []defus.Topic  // the topics to choose from
	Form[EventForm]
}

// fields is the event form's field list. The conflict table shows the
// dates and times as one row "Wann" and the place as one row "Ort".
func (d EventFormData) fields(f EventForm) Fields {
	id := func(name string) string { return "event-" + strings.ReplaceAll(name, "_", "-") }
	slug := f.Slug
	if f.SlugProposed && d.Errors.Any() && !d.Errors.Has("slug") {
		slug = "" // still to be proposed from the title
	}
	startHint := ""
	if d.CopyOf != nil {
		startHint = "Vom Original übernommen – bitte das neue Datum eintragen."
	}
	when, place := f.When(), f.Address()
	var kinds []Option
	for _, k := range defus.EventKinds {
		kinds = append(kinds, Option{Value: string(k), Label: k.Label()})
	}
	hosts := make([]Option, len(d.Members))
	host := "kein Gastgeber"
	for i, m := range d.Members {
		label := m.Name
		if !m.Published {
			label += " (nicht veröffentlicht)"
		}
		hosts[i] = Option{Value: itoa64(m.ID), Label: label}
		if f.HostMemberID != nil && *f.HostMemberID == m.ID {
			host = m.Name
		}
	}
	var topics []string
	for _, t := range d.Topics {
		if slices.Contains(f.TopicIDs, t.ID) {
			topics = append(topics, t.Title)
		}
	}
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: id("title"), Name: "title", Label: "Titel", Value: f.Title, Required: true},
		{ID: id("slug"), Name: "slug", Label: "Adresse", Value: slug,
			Hint: "Der Teil nach /termine/, zum Beispiel „workshop-nachtleben-2027“. Leer lassen, um sie aus dem Titel zu bilden."},
		{ID: id("kind"), Name: "kind", Label: "Art", Value: string(f.Kind), Required: true, Placeholder: "Bitte wählen", Options: kinds},
		{ID: id("status"), Name: "status", Label: "Status", Value: string(f.Status), Options: EventStatusOptions,
			Hint: "Fällt ein Termin aus, wählen Sie „Abgesagt“, statt ihn zu löschen: Wer den Kalender abonniert hat, sieht dann die Absage."},
		{ID: id("all_day"), Name: "all_day", Type: TypeCheckbox, Label: "Ganztägig (ohne Uhrzeit, ein oder mehrere ganze Tage)",
			Value: checked(f.AllDay), Hint: "Die Uhrzeiten werden dann nicht beachtet.", Short: "Wann", Shown: when},
		{ID: id("start_date"), Name: "start_date", Type: "date", Label: "Beginn: Datum", Value: f.StartDate, Required: true, Hint: startHint,
			Short: "Wann", Shown: when},
		{ID: id("start_time"), Name: "start_time", Type: "time", Label: "Beginn: Uhrzeit", Value: f.StartTime, Short: "Wann", Shown: when},
		{ID: id("end_date"), Name: "end_date", Type: "date", Label: "Ende: Datum", Value: f.EndDate, Optional: true,
			Hint: "Leer lassen, wenn der Termin am selben Tag endet.", Short: "Wann", Shown: when},
		{ID: id("end_time"), Name: "end_time", Type: "time", Label: "Ende: Uhrzeit", Value: f.EndTime, Optional: true, Short: "Wann", Shown: when},
		{ID: id("format"), Name: "format", Label: "Format", Value: string(f.Format), Options: EventFormatOptions, Shown: f.Format.Label()},
		{ID: id("place_name"), Name: "place_name", Label: "Veranstaltungsort", Value: f.PlaceName, Short: "Ort", Shown: place,
			Hint: "Zum Beispiel „Neues Rathaus, Ratssaal“. Vor Ort und hybrid: Veranstaltungsort oder Stadt angeben."},
		{ID: id("street"), Name: "street", Label: "Straße und Hausnummer", Value: f.Street, Optional: true, Short: "Ort", Shown: place},
		{ID: id("postcode"), Name: "postcode", Label: "Postleitzahl", Value: f.Postcode, Optional: true, InputMode: "numeric", Short: "Ort", Shown: place},
		{ID: id("city"), Name: "city", Label: "Stadt", Value: f.City, Short: "Ort", Shown: place},
		{ID: id("online_url"), Name: "online_url", Type: "url", Label: "Online-Link", Value: f.OnlineURL,
			Hint: "Beginnt mit https://. Online und hybrid nötig – oder ein Hinweis unter „Anmeldung“, wie man den Link erhält."},
		{ID: id("online_url_public"), Name: "online_url_public", Type: TypeCheckbox, Label: "Link öffentlich zeigen (sonst nur für Teilnehmende, siehe „Anmeldung“)",
			Value: checked(f.OnlineURLPublic), Short: "Link öffentlich"},
		{ID: id("host"), Name: "host", Label: "Gastgeber (Mitglied)", Value: f.Host, Placeholder: "Kein Gastgeber", Options: hosts,
			Short: "Gastgeber", Shown: host},
		{ID: id("partners"), Name: "partners", Label: "In Kooperation mit", Value: f.Partners, Optional: true,
			Hint: "Zum Beispiel „Deutsches Institut für Urbanistik (Difu)“."},
		{ID: "event-topic", Name: "topics", Type: TypeCheckboxes, Label: "Themen", Checked: f.Topics, Options: topicOptions(d.Topics),
			Shown: strings.Join(topics, ", ")},
		{ID: id("summary"), Name: "summary", Label: "Kurzbeschreibung", Value: f.Summary, Rows: 2, Optional: true,
			Hint: "Ein oder zwei Sätze für die Terminliste, Kalender und Suchmaschinen."},
		{ID: id("description"), Name: "description", Label: "Beschreibung", Value: f.Description, Rows: 12, Optional: true, Hint: markdownHint},
		{ID: id("registration_note"), Name: "registration_note", Label: "Hinweis zur Anmeldung", Value: f.RegistrationNote, Rows: 2, Optional: true,
			Hint: "Zum Beispiel „Bitte melden Sie sich bis 1. März bei der Geschäftsstelle an.“"},
		{ID: id("registration_url"), Name: "registration_url", Type: "url", Label: "Anmeldelink", Value: f.RegistrationURL, Optional: true},
		{ID: id("registration_mode"), Name: "registration_mode", Label: "Anmeldung über das Portal", Value: string(f.Registration.Mode),
			Options: RegistrationModeOptions, Shown: f.Registration.Mode.Label()},
		{ID: id("capacity"), Name: "capacity", Label: "Plätze", Value: f.Capacity, Optional: true, InputMode: "numeric",
			Hint: "Leer lassen für unbegrenzt. Sind alle Plätze vergeben, kommen weitere Anmeldungen auf die Warteliste."},
		{ID: id("registration_deadline"), Name: "registration_deadline", Type: "date", Label: "Anmeldeschluss", Value: f.Deadline, Optional: true,
			Hint: "Anmeldungen sind bis zum Ende dieses Tages möglich. Leer lassen: bis zum Beginn."},
		{ID: id("places_per_member"), Name: "places_per_member", Label: "Höchstens so viele Plätze je Mitglied", Value: f.PlacesPerMember,
			Optional: true, InputMode: "numeric", Hint: "Zum Beispiel 2 je Stadt. Leer lassen: ohne Grenze."},
		{ID: id("online_url_members"), Name: "online_url_members", Type: TypeCheckbox,
			Label: "Angemeldete Mitglieder sehen den Online-Link auch ohne Anmeldung zum Termin",
			Value: checked(f.Registration.OnlineURLMembers), Short: "Link für Mitglieder",
			Hint: "Bestätigte Teilnehmende sehen ihn immer; alle anderen lesen „" + defus.OnlineURLHidden + "“."},
		{ID: id("show_participants"), Name: "show_participants", Type: TypeCheckbox,
			Label: "Mitglieder sehen, welche Organisationen angemeldet sind („Teilnehmende Städte“)",
			Value: checked(f.Registration.ShowParticipants), Short: "Teilnehmende Städte",
			Hint: "Nur Organisationen, deren Teilnehmende zugestimmt haben; nie Namen von Personen."},
		{ID: id("published"), Name: "published", Type: TypeCheckbox, Label: "Veröffentlicht (sonst Entwurf, nur hier sichtbar)",
			Value: checked(f.Published), Short: "Veröffentlicht"},
	}
}

// Controls lays out the event form.
func (d EventFormData) Controls() Controls { return d.Form.Controls(d.fields) }

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
