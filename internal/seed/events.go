package seed

import (
	"context"
	"fmt"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// eventSeed is one event as the seed knows it. Past events have fixed
// dates; demo events are placed relative to the seed's "now".
type eventSeed struct {
	Slug      string
	Title     string
	Kind      defus.EventKind
	Format    defus.EventFormat
	PlaceName string
	City      string
	Host      string // member slug, "" for none
	Partners  string
	Summary   string
	Topics    []string
	Status    defus.EventStatus // "" means scheduled

	// Fixed dates (past events): an all-day event from First to Last.
	First, Last string // "2006-01-02"; Last "" for a single day

	// Relative dates (demo events): Days after today in Berlin, from Start
	// to End o'clock (Berlin), ending Span days later; AllDayFor > 0 makes it
	// an all-day event of that many days instead.
	Days         int
	Start, End   float64
	Span         int
	AllDayFor    int
	OnlineURL    string
	OnlinePublic bool
	Registration string
}

// demoNote opens the description of every demo event, so that whoever
// opens one (the office in the admin form, a visitor on its page) sees that
// it came from the demo data and not from the office. The documented past
// events are the network's real history and part of the real seed.
const demoNote = "*Beispieltermin aus den Demo-Daten* (`defus seed -demo`): Dieser Termin ist erfunden " +
	"und findet nicht statt. Steht er in einer echten Datenbank, löschen Sie ihn bitte."

// Online events need a link or a word on how to get it (defus.Event.Validate).
const (
	onlineAccess     = "Den Link zur Online-Teilnahme erhalten Sie nach Ihrer Anmeldung bei der Geschäftsstelle."
	pastOnlineAccess = "Den Link zur Online-Teilnahme erhielten die Angemeldeten von der Geschäftsstelle."
)

// pastEvents are the network's documented events (../shared/data/events.json).
// Their times of day are not known, so they are all-day events.
var pastEvents = []eventSeed{
	{Title: "Gründung von DEFUS", Kind: defus.EventMeeting, First: "2010-05-10", City: "Berlin",
		Partners: "Deutscher Präventionstag", Topics: []string{topicPrevention},
		Summary: "Am Rande des 15. Deutschen Präventionstags gründeten Städte und Organisationen das Deutsch-Europäische Forum für Urbane Sicherheit."},
	{Title: "1. Mitgliederversammlung", Kind: defus.EventMeeting, First: "2010-11-29", City: "Mannheim", Host: "mannheim",
		Topics:  []string{topicPublicSpace, topicPrevention},
		Summary: "Die erste Versammlung des jungen Vereins befasste sich mit Sicherheitsaudits als Werkzeug der kommunalen Prävention."},
	{Title: "4. Mitgliederversammlung", Kind: defus.EventMeeting, First: "2012-04-17", City: "München", Host: "muenchen",
		Partners: "Deutscher Präventionstag", Topics: []string{topicPrevention},
		Summary: "Die Mitglieder trafen sich während des 17. Deutschen Präventionstags in München."},
	{Title: "7. Mitgliederversammlung", Kind: defus.EventMeeting, First: "2013-11-08", City: "Leer",
		Topics:  []string{topicDrugs, topicPrevention},
		Summary: "Im Mittelpunkt stand die Prävention von Alkoholmissbrauch im öffentlichen Raum."},
	{Title: "8. Mitgliederversammlung", Kind: defus.EventMeeting, First: "2014-05-12", City: "Karlsruhe", Host: "karlsruhe",
		Partners: "Deutscher Präventionstag", Topics: []string{topicPrevention},
		Summary: "Die Versammlung fand im Rahmen des 19. Deutschen Präventionstags in Karlsruhe statt."},
	{Title: "12. Mitgliederversammlung", Kind: defus.EventMeeting, First: "2016-05-20", City: "München", Host: "muenchen",
		Topics:  []string{topicGovernance},
		Summary: "Die Mitglieder wählten einen neuen Vorstand."},
	{Title: "13. Mitgliederversammlung", Kind: defus.EventMeeting, First: "2016-10-28", City: "Essen", Host: "essen",
		Topics:  []string{topicGovernance},
		Summary: "Thema waren kommunale Strategien für mehr Sicherheit und ihre Umsetzung in der Verwaltung."},
	{Title: "15. Mitgliederversammlung", Kind: defus.EventMeeting, First: "2017-10-05", Last: "2017-10-06", City: "Stuttgart", Host: "stuttgart",
		Topics:  []string{topicPublicSpace, topicGovernance},
		Summary: "Zwei Tage mit einem Strategieworkshop des Vereins und einem Austausch über die Sicherheit von Großveranstaltungen."},
	{Title: "Fachtagung Sicherheit im öffentlichen Raum", Kind: defus.EventConference, First: "2019-01-29", Last: "2019-01-30", City: "Münster",
		Partners: "Deutsche Hochschule der Polizei (DHPol)", Topics: []string{topicPublicSpace},
		Summary: "Eine gemeinsame Fachtagung mit der Deutschen Hochschule der Polizei über Sicherheit auf Straßen und Plätzen."},
	{Title: "Fortbildung Sicherheit für Veranstaltungen im öffentlichen Raum", Kind: defus.EventTraining, First: "2019-10-24", Last: "2019-10-25", City: "Berlin",
		Partners: "Deutsches Institut für Urbanistik (Difu)", Topics: []string{topicPublicSpace},
		Summary: "Zweitägige Fortbildung mit dem Difu zur Planung sicherer Veranstaltungen in Städten."},
	{Title: "20. Mitgliederversammlung", Kind: defus.EventMeeting, First: "2020-09-28", City: "Essen", Host: "essen",
		Topics:  []string{topicGovernance},
		Summary: "Die Versammlung wählte den Vorstand neu."},
	{Title: "27. Mitgliederversammlung", Kind: defus.EventMeeting, First: "2024-09-19", Last: "2024-09-20", City: "Gelsenkirchen", Host: "gelsenkirchen",
		Topics:  []string{topicPublicSpace, topicCoexistence},
		Summary: "Die Mitglieder beschlossen Leitlinien zum Umgang mit marginalisierten Gruppen im öffentlichen Raum."},
	{Title: "29. Mitgliederversammlung", Kind: defus.EventMeeting, First: "2025-09-16", Last: "2025-09-17", City: "Stuttgart", Host: "stuttgart",
		Topics:  []string{topicPublicSpace, topicDrugs, topicPrevention},
		Summary: "Messerangriffe, Drogen und das Nachtleben standen auf der Tagesordnung, dazu ein Workshop zu kommunalen Sicherheitsbefragungen."},
	{Title: "so-par Städtetreffen", Kind: defus.EventWorkshop, First: "2025-11-19", City: "Hannover", Host: "hannover",
		Partners: "Deutsche Aidshilfe", Topics: []string{topicDrugs},
		Summary: "Städte aus dem Projekt so-par tauschten sich über den Umgang mit synthetischen Opioiden aus."},
	{Title: "Fortbildung: KI für die kommunale Präventions- und Sicherheitsarbeit nutzen", Kind: defus.EventTraining, First: "2026-01-15",
		Format: defus.FormatOnline, Partners: "Efus", Topics: []string{topicGovernance, topicPrevention},
		Summary:      "Online-Fortbildung gemeinsam mit Efus: wie Künstliche Intelligenz die Präventionsarbeit der Kommunen unterstützen kann.",
		Registration: pastOnlineAccess},
	{Title: "DEFUS auf dem Deutschen Präventionstag", Kind: defus.EventConference, First: "2026-04-13", City: "Hannover", Host: "deutscher-praeventionstag",
		Topics:  []string{topicPrevention},
		Summary: "DEFUS stellte seine Arbeit auf dem Deutschen Präventionstag vor, der ab 2026 in Hannover stattfindet."},
	{Title: "SiBa-Workshop", Kind: defus.EventWorkshop, First: "2026-06-15", Format: defus.FormatOnline,
		Topics:       []string{topicPrevention},
		Summary:      "Ein Online-Workshop des Netzwerks für die Fachleute der Mitgliedsstädte.",
		Registration: pastOnlineAccess},
}

// demoEvents fill the calendar ahead of "now" with plausible events. Their
// slugs carry no date, so a later run finds them and adds nothing: "running
// it twice changes nothing" holds even on different days. The price is that
// on an old development database the demo events drift into the archive;
// a fresh database (or deleting them) brings new ones.
var demoEvents = []eventSeed{
	{Slug: "online-sprechstunde-eu-foerderung", Title: "Online-Sprechstunde: EU-Förderung für Kommunen", Kind: defus.EventOther,
		Format: defus.FormatOnline, Days: 3, Start: 14, End: 15.5, Topics: []string{topicGovernance},
		Summary:      "Die Geschäftsstelle beantwortet Fragen zu europäischen Förderprogrammen und zur Suche nach Projektpartnern über Efus.",
		Registration: "Den Link zur Sprechstunde erhalten Sie nach Ihrer Anmeldung bei der Geschäftsstelle."},
	{Slug: "workshop-sicherheitsaudits-im-quartier", Title: "Workshop Sicherheitsaudits im Quartier", Kind: defus.EventWorkshop,
		Format: defus.FormatInPerson, PlaceName: "Stadthaus N1", City: "Mannheim", Host: "mannheim",
		Days: 9, Start: 10, End: 16, Topics: []string{topicPublicSpace, topicPrevention},
		Summary: "Wie ein Quartier systematisch auf Angsträume und Konflikte untersucht wird: Methoden, Beispiele und ein Rundgang vor Ort."},
	{Slug: "fortbildung-deeskalation-im-buergerservice", Title: "Fortbildung Deeskalation im Bürgerservice", Kind: defus.EventTraining,
		Format: defus.FormatHybrid, PlaceName: "Rathaus Essen", City: "Essen", Host: "essen",
		Days: 16, Start: 9.5, End: 16.5, Topics: []string{topicStaffSafety},
		Partners:     "Unfallkasse Nordrhein-Westfalen",
		Summary:      "Beschäftigte mit Publikumsverkehr lernen, angespannte Gespräche zu beruhigen und sich selbst zu schützen.",
		Registration: onlineAccess},
	{Slug: "fachgespraech-drogenkonsum-im-oeffentlichen-raum", Title: "Fachgespräch Drogenkonsum im öffentlichen Raum", Kind: defus.EventWorkshop,
		Format: defus.FormatOnline, Days: 23, Start: 10, End: 12, Topics: []string{topicDrugs, topicPublicSpace},
		OnlineURL: "https://konferenz.example.org/defus-fachgespraech", OnlinePublic: true,
		Summary: "Ordnungs- und Gesundheitsämter berichten, wie sie mit offenen Drogenszenen umgehen. Offen für alle Interessierten."},
	{Slug: "arbeitskreis-radikalisierungspraevention", Title: "Arbeitskreis Radikalisierungsprävention", Kind: defus.EventWorkshop,
		Format: defus.FormatInPerson, City: "Köln", Host: "koeln", Days: 30, Start: 13, End: 17,
		Topics: []string{topicRadical}, Status: defus.StatusCancelled,
		Summary: "Austausch der kommunalen Fachstellen über Präventionsangebote gegen Extremismus. Der Termin entfällt; ein neuer folgt."},
	{Slug: "mitgliederversammlung-des-netzwerks", Title: "Mitgliederversammlung des Netzwerks", Kind: defus.EventMeeting,
		Format: defus.FormatInPerson, PlaceName: "Neues Rathaus", City: "Hannover", Host: "hannover",
		Days: 41, AllDayFor: 2, Topics: []string{topicPrevention, topicGovernance},
		Summary:      "Zwei Tage Versammlung mit Berichten aus dem Vorstand, der Geschäftsstelle und den Arbeitsgruppen.",
		Registration: "Die Einladung mit Tagesordnung geht den Mitgliedern per E-Mail zu."},
	{Slug: "fortbildung-krisenkommunikation", Title: "Fortbildung Krisenkommunikation für Städte", Kind: defus.EventTraining,
		Format: defus.FormatInPerson, City: "Düsseldorf", Host: "duesseldorf", Days: 55, Start: 10, End: 16,
		Topics:  []string{topicResilience},
		Summary: "Was eine Stadt in den ersten Stunden einer Krise sagen sollte – und über welche Kanäle."},
	{Slug: "fachtag-urbane-resilienz", Title: "Fachtag Urbane Resilienz", Kind: defus.EventConference,
		Format: defus.FormatInPerson, City: "Freiburg", Host: "freiburg", Days: 63, AllDayFor: 1,
		Topics:  []string{topicResilience, topicPublicSpace},
		Summary: "Ein Tag mit Vorträgen und Gesprächsrunden über Städte, die Hitze, Starkregen und anderen Krisen standhalten."},
	{Slug: "workshop-nachtleben-und-sicherheit", Title: "Workshop Nachtleben und Sicherheit", Kind: defus.EventWorkshop,
		Format: defus.FormatInPerson, City: "Köln", Host: "koeln", Days: 77, Start: 16, End: 20,
		Topics:  []string{topicCoexistence, topicPublicSpace},
		Summary: "Nachtbürgermeisterinnen, Ordnungsämter und Clubs im Gespräch über ein entspanntes Miteinander in der Nacht."},
	{Slug: "online-fortbildung-kriminalpraevention-im-staedtebau", Title: "Online-Fortbildung Kriminalprävention im Städtebau", Kind: defus.EventTraining,
		Format: defus.FormatOnline, Days: 90, Start: 9, End: 12, Topics: []string{topicPrevention, topicPublicSpace},
		Partners:     "Landespräventionsrat Niedersachsen",
		Summary:      "Grundlagen der städtebaulichen Kriminalprävention für Planung und Ordnungsverwaltung.",
		Registration: onlineAccess},
	{Slug: "netzwerktreffen-niedersachsen", Title: "Netzwerktreffen Niedersachsen", Kind: defus.EventMeeting,
		Format: defus.FormatInPerson, City: "Göttingen", Host: "goettingen", Days: 120, Start: 10, End: 15,
		Topics: []string{topicPrevention}, Status: defus.StatusPostponed, Partners: "Landespräventionsrat Niedersachsen",
		Summary: "Die niedersächsischen Mitglieder treffen sich zum Austausch. Der Termin wird verschoben; das neue Datum steht noch nicht fest."},
	{Slug: "efus-konferenz-deutsche-delegation", Title: "Efus-Konferenz mit deutscher Delegation", Kind: defus.EventConference,
		Format: defus.FormatHybrid, City: "Brüssel", Days: 150, Start: 9, End: 16, Span: 2, Partners: "Efus",
		Topics:       []string{topicResilience, topicCoexistence},
		Summary:      "DEFUS reist mit einer Delegation der Mitgliedsstädte zur Konferenz des Europäischen Forums für Urbane Sicherheit.",
		Registration: onlineAccess},
}

// times computes the instants of an event seed relative to now.
func (e eventSeed) times(now time.Time) (start, end time.Time, allDay bool, err error) {
	if e.First != "" {
		first, err := time.ParseInLocation("2006-01-02", e.First, defus.Berlin)
		if err != nil {
			return start, end, false, err
		}
		last := first
		if e.Last != "" {
			if last, err = time.ParseInLocation("2006-01-02", e.Last, defus.Berlin); err != nil {
				return start, end, false, err
			}
		}
		start, end = defus.AllDayRange(first, last)
		return start, end, true, nil
	}
	n := now.In(defus.Berlin)
	if e.AllDayFor > 0 {
		first := time.Date(n.Year(), n.Month(), n.Day()+e.Days, 0, 0, 0, 0, defus.Berlin)
		start, end = defus.AllDayRange(first, first.AddDate(0, 0, e.AllDayFor-1))
		return start, end, true, nil
	}
	start = time.Date(n.Year(), n.Month(), n.Day()+e.Days, 0, int(e.Start*60), 0, 0, defus.Berlin)
	end = time.Date(n.Year(), n.Month(), n.Day()+e.Days+e.Span, 0, int(e.End*60), 0, 0, defus.Berlin)
	return start, end, false, nil
}

// slug is the given slug or, for past events, the title and year.
func (e eventSeed) slug() string {
	if e.Slug != "" {
		return e.Slug
	}
	return defus.Slugify(e.Title + " " + e.First[:4])
}

// seedEvents adds those of events that are missing. Upcoming (demo)
// events are placed relative to now and marked as demo.
func seedEvents(ctx context.Context, st *store.Store, events []eventSeed, now time.Time) (int, error) {
	topicID, err := topicIDs(ctx, st)
	if err != nil {
		return 0, err
	}
	hosts, err := st.FindMembers(ctx, defus.MemberFilter{WithDrafts: true})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range events {
		slug := e.slug()
		start, end, allDay, err := e.times(now)
		if err != nil {
			return 0, fmt.Errorf("event %s: %w", slug, err)
		}
		format, status := e.Format, e.Status
		if format == "" {
			format = defus.FormatInPerson
		}
		if status == "" {
			status = defus.StatusScheduled
		}
		note := ""
		if e.First == "" {
			note = demoNote
		}
		ev := &defus.Event{Slug: slug, Title: e.Title, Kind: e.Kind, StartsAt: start, EndsAt: end, AllDay: allDay,
			Format: format, Status: status, PlaceName: e.PlaceName, City: e.City, OnlineURL: e.OnlineURL,
			OnlineURLPublic: e.OnlinePublic, Partners: e.Partners, Summary: e.Summary, Description: note,
			RegistrationNote: e.Registration, Published: true}
		for _, m := range hosts {
			if m.Slug == e.Host {
				ev.HostMemberID = &m.ID
			}
		}
		for _, t := range e.Topics {
			if id, ok := topicID[t]; ok {
				ev.TopicIDs = append(ev.TopicIDs, id)
			}
		}
		if errs := ev.Validate(); errs.Any() {
			return 0, fmt.Errorf("event %s: %v", slug, errs)
		}
		err = st.CreateEvent(ctx, Setup, ev)
		switch {
		case exists(err):
		case err != nil:
			return 0, err
		default:
			n++
		}
	}
	return n, nil
}
