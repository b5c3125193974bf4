package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/ical"
	"defus.de/portal/web/view"
)

// eventQuery is the event filter of a list or feed request, as understood.
type eventQuery struct {
	filter defus.EventFilter
	form   view.EventFilterForm
	notes  []string   // German notes about values that were ignored
	names  []string   // what the filter selects, for a feed's name
	moved  url.Values // the query with the new slugs of renamed topics or hosts; nil when none moved
}

// eventsPageSize is how many events a page of the list or archive shows.
const eventsPageSize = 50

// eventParams are the parameters parseEventQuery reads.
var eventParams = []string{"art", "thema", "gastgeber", "monat"}

// parseEventQuery reads ?art, ?thema, ?gastgeber and ?monat. Values it does
// not know are dropped with a German note; hosts are the members to choose
// from and may gain the requested one. A topic or host named by an old slug
// sets eq.moved, for a 301 to the query with its new one.
func (s *Server) parseEventQuery(ctx context.Context, q url.Values, hosts *[]defus.EventHost) (eventQuery, error) {
	var eq eventQuery
	if v := q.Get("art"); v != "" {
		if kind, ok := defus.EventKindFromParam(v); ok {
			eq.filter.Kind, eq.form.Kind = kind, v
			eq.names = append(eq.names, kind.Label())
		} else {
			eq.notes = append(eq.notes, fmt.Sprintf("Die Art „%s“ gibt es nicht. Es werden Termine aller Arten gezeigt.", cleanParam(v)))
		}
	}
	if v := q.Get("thema"); v != "" {
		t, err := findTopic(ctx, s, v)
		switch {
		case err == nil:
			eq.filter.TopicID, eq.form.Topic = t.ID, t.Slug
			eq.names = append(eq.names, t.Title)
		case errors.Is(err, defus.ErrNotFound):
			note := fmt.Sprintf("Das Thema „%s“ gibt es nicht. Es werden Termine zu allen Themen gezeigt.", cleanParam(v))
			if err := s.missingParam(ctx, &eq, q, "thema", defus.EntityTopic, note); err != nil {
				return eq, err
			}
		default:
			return eq, err
		}
	}
	if v := q.Get("gastgeber"); v != "" {
		h, err := findHost(ctx, s, *hosts, v)
		switch {
		case err == nil:
			eq.filter.HostID, eq.form.Host = h.ID, h.Slug
			eq.names = append(eq.names, h.ShortName)
			if !hasHost(*hosts, h.Slug) {
				*hosts = append(*hosts, *h) // a member without events: the list says "none"
			}
		case errors.Is(err, defus.ErrNotFound):
			note := fmt.Sprintf("Den Gastgeber „%s“ gibt es nicht. Es werden Termine aller Gastgeber gezeigt.", cleanParam(v))
			if err := s.missingParam(ctx, &eq, q, "gastgeber", defus.EntityMember, note); err != nil {
				return eq, err
			}
		default:
			return eq, err
		}
	}
	if v := q.Get("monat"); v != "" {
		if y, m, ok := defus.ParseMonth(v); ok {
			eq.filter.From, eq.filter.To = defus.MonthRange(y, m)
			eq.form.Month = v
			eq.names = append(eq.names, defus.MonthTitle(y, m))
		} else {
			eq.notes = append(eq.notes, fmt.Sprintf("Den Monat „%s“ gibt es nicht (erwartet wird zum Beispiel 2026-06). Es werden alle Monate gezeigt.", cleanParam(v)))
		}
	}
	return eq, nil
}

// missingParam handles a filter value param that names no record of kind:
// when a record had that slug before, eq.moved gets the query with its slug
// now (a subscribed feed follows the 301); otherwise eq gets the note.
func (s *Server) missingParam(ctx context.Context, eq *eventQuery, q url.Values, param, kind, note string) error {
	now, err := s.movedSlug(ctx, kind, q.Get(param))
	switch {
	case err == nil:
		if eq.moved == nil {
			eq.moved = maps.Clone(q)
		}
		eq.moved.Set(param, now)
	case errors.Is(err, defus.ErrNotFound):
		eq.notes = append(eq.notes, note)
	default:
		return err
	}
	return nil
}

// findTopic asks the store only about a well-formed slug, so that no odd
// byte sequence ever reaches the database.
func findTopic(ctx context.Context, s *Server, slug string) (*defus.Topic, error) {
	if !defus.ValidSlug(slug) {
		return nil, defus.ErrNotFound
	}
	return s.store.FindTopic(ctx, slug)
}

// findHost finds a host by its slug (as the filter's links and the select
// send it) or by its short name or name (as typed into the text field that
// replaces the select when there are many hosts).
func findHost(ctx context.Context, s *Server, hosts []defus.EventHost, v string) (*defus.EventHost, error) {
	if defus.ValidSlug(v) {
		for _, h := range hosts {
			if h.Slug == v {
				return &h, nil
			}
		}
		if h, err := s.store.FindEventHost(ctx, v); !errors.Is(err, defus.ErrNotFound) {
			return h, err
		}
	}
	if v == "" || cleanParam(v) != v {
		return nil, defus.ErrNotFound // nothing a name could be; never sent to the database
	}
	return s.store.FindEventHostByName(ctx, v)
}

// maxHostChoices is how many hosts the event filter offers in a select;
// with more, it has a text field for the host's name instead (a select of
// thousands is neither usable nor small).
const maxHostChoices = 100

func hasHost(hosts []defus.EventHost, slug string) bool {
	for _, h := range hosts {
		if h.Slug == slug {
			return true
		}
	}
	return false
}

// feedLinks are the https and webcal addresses of the feed for a filter query.
func (s *Server) feedLinks(path, query string) view.FeedLinks {
	u := s.cfg.BaseURLString() + path
	if query != "" {
		u += "?" + query
	}
	webcal := u
	if i := strings.Index(webcal, "://"); i >= 0 {
		webcal = "webcal" + webcal[i:]
	}
	return view.FeedLinks{HTTPS: u, Webcal: webcal, MonthsBack: feedMonthsBack}
}

// handleEventsIndex serves GET /termine: upcoming events by month.
func (s *Server) handleEventsIndex(w http.ResponseWriter, r *http.Request) {
	s.eventsList(w, r, false)
}

// handleEventsArchive serves GET /termine/archiv: past events by year, newest first.
func (s *Server) handleEventsArchive(w http.ResponseWriter, r *http.Request) {
	s.eventsList(w, r, true)
}

func (s *Server) eventsList(w http.ResponseWriter, r *http.Request, archive bool) {
	ctx := r.Context()
	hosts, err := s.store.FindEventHosts(ctx, maxHostChoices+1)
	if err != nil {
		s.error(w, r, err)
		return
	}
	manyHosts := len(hosts) > maxHostChoices
	if manyHosts {
		hosts = nil // parseEventQuery adds the chosen one
	}
	eq, err := s.parseEventQuery(ctx, r.URL.Query(), &hosts)
	if err != nil {
		s.error(w, r, err)
		return
	}
	hostName := ""
	if manyHosts {
		if len(hosts) > 0 {
			hostName = hosts[0].ShortName
		}
		hosts = nil
	}
	if eq.moved != nil {
		movedPermanently(w, r, r.URL.Path+"?"+eq.moved.Encode())
		return
	}
	topics, err := s.store.FindTopics(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.now()
	eq.filter.Now, eq.filter.Period = now, defus.PeriodUpcoming
	if archive {
		eq.filter.Period = defus.PeriodPast
	}
	count, err := s.store.CountEvents(ctx, eq.filter)
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	page, pages := pageNumber(q), max((count+eventsPageSize-1)/eventsPageSize, 1)
	page = min(page, pages)
	eq.filter.Limit, eq.filter.Offset = eventsPageSize, (page-1)*eventsPageSize
	events, err := s.store.FindEvents(ctx, eq.filter)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.EventsData{
		Archive: archive, Count: count, Filter: eq.form, Topics: topics, Hosts: hosts, ManyHosts: manyHosts, HostName: hostName,
		Notes: eq.notes, Feed: s.feedLinks("/termine.ics", eq.form.Query()), Now: now, Page: page, Pages: pages,
	}
	d.Groups = groupEvents(events, archive)
	if len(eq.notes) == 0 && onlyParams(q, append(eventParams, "seite")...) && (!q.Has("seite") || q.Get("seite") == strconv.Itoa(page)) {
		knownQuery(r)
	}
	title, desc := "Termine", "Kommende Mitgliederversammlungen, Workshops, Fortbildungen und Konferenzen des DEFUS-Netzwerks."
	if archive {
		title, desc = "Archiv der Termine", "Vergangene Veranstaltungen des DEFUS-Netzwerks seit der Gründung 2010."
	}
	s.render(w, r, http.StatusOK, view.EventsIndex(s.meta(r, title, desc), d))
}

// groupEvents groups by start month (upcoming) or start year (archive), in the given order.
func groupEvents(events []defus.Event, byYear bool) []view.EventGroup {
	var groups []view.EventGroup
	for _, e := range events {
		t := e.StartsAt.In(defus.Berlin)
		id, title := fmt.Sprintf("monat-%04d-%02d", t.Year(), t.Month()), defus.MonthTitle(t.Year(), t.Month())
		if byYear {
			id, title = fmt.Sprintf("jahr-%04d", t.Year()), strconv.Itoa(t.Year())
		}
		if len(groups) == 0 || groups[len(groups)-1].ID != id {
			groups = append(groups, view.EventGroup{ID: id, Title: title})
		}
		g := &groups[len(groups)-1]
		g.Events = append(g.Events, e)
	}
	return groups
}

// handleEventShow serves GET /termine/{slug}; an old slug of the event
// gets a 301 to its address now.
func (s *Server) handleEventShow(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	e, err := s.store.FindEvent(r.Context(), slug)
	if err != nil {
		s.errorOrMoved(w, r, err, defus.EntityEvent, slug, func(slug string) string { return "/termine/" + slug })
		return
	}
	s.renderEventShow(w, r, http.StatusOK, e, view.Form[view.RegistrationForm]{})
}

// renderEventShow shows the event's page with the visitor's registration
// (or the form to register, as typed).
func (s *Server) renderEventShow(w http.ResponseWriter, r *http.Request, status int, e *defus.Event, form view.Form[view.RegistrationForm]) {
	desc := e.Summary
	if desc == "" {
		desc = e.Title + ": " + e.When()
	}
	d := view.EventData{
		Event:  *e,
		Now:    s.now(),
		ICS:    "/termine/" + e.Slug + ".ics",
		JSONLD: eventJSONLD(e, s.cfg.BaseURLString()),
	}
	if err := s.eventRegistration(r, e, &d, form); err != nil {
		s.error(w, r, err)
		return
	}
	if d.Registration != nil || d.SeesOnlineURL {
		w.Header().Set("Cache-Control", "private, no-cache") // what this visitor sees
	}
	s.render(w, r, status, view.EventShow(s.meta(r, e.Title, desc), d))
}

// handleEventsCalendarNow serves GET /termine/kalender: the current month.
func (s *Server) handleEventsCalendarNow(w http.ResponseWriter, r *http.Request) {
	now := s.now().In(defus.Berlin)
	http.Redirect(w, r, calendarPath(now.Year(), now.Month()), http.StatusSeeOther)
}

func calendarPath(year int, month time.Month) string {
	return fmt.Sprintf("/termine/kalender/%04d/%02d", year, month)
}

// handleEventsCalendar serves GET /termine/kalender/{jahr}/{monat}: the month
// as a table. A year outside 1900–2200 or a month outside 1–12 is not found.
func (s *Server) handleEventsCalendar(w http.ResponseWriter, r *http.Request) {
	year, err1 := strconv.Atoi(chi.URLParam(r, "jahr"))
	month, err2 := strconv.Atoi(chi.URLParam(r, "monat"))
	if err1 != nil || err2 != nil || !defus.ValidYear(year) || month < 1 || month > 12 {
		s.handleNotFound(w, r)
		return
	}
	from, to := defus.MonthRange(year, time.Month(month))
	events, err := s.store.FindEvents(r.Context(), defus.EventFilter{From: from, To: to})
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := monthView(year, time.Month(month), events, s.now())
	m := s.meta(r, "Kalender "+defus.MonthTitle(year, time.Month(month)), "Die Termine des DEFUS-Netzwerks im "+defus.MonthTitle(year, time.Month(month))+".")
	s.render(w, r, http.StatusOK, view.EventsCalendar(m, d))
}

// monthView lays the month out in weeks from Monday to Sunday.
func monthView(year int, month time.Month, events []defus.Event, now time.Time) view.CalendarData {
	d := view.CalendarData{Year: year, Month: month, Count: len(events)}
	first := time.Date(year, month, 1, 0, 0, 0, 0, defus.Berlin)
	if prev := first.AddDate(0, -1, 0); defus.ValidYear(prev.Year()) {
		d.Prev, d.PrevTitle = calendarPath(prev.Year(), prev.Month()), defus.MonthTitle(prev.Year(), prev.Month())
	}
	if next := first.AddDate(0, 1, 0); defus.ValidYear(next.Year()) {
		d.Next, d.NextTitle = calendarPath(next.Year(), next.Month()), defus.MonthTitle(next.Year(), next.Month())
	}
	today := now.In(defus.Berlin)
	lead := (int(first.Weekday()) + 6) % 7 // days before the 1st in the first week
	week := make([]view.CalendarDay, lead, 7)
	for day := first; day.Month() == month; day = day.AddDate(0, 0, 1) {
		cell := view.CalendarDay{Day: day.Day(), Today: day.Year() == today.Year() && day.YearDay() == today.YearDay()}
		for _, e := range events {
			if e.OnDay(day) {
				cell.Events = append(cell.Events, e)
			}
		}
		week = append(week, cell)
		if len(week) == 7 {
			d.Weeks = append(d.Weeks, week)
			week = make([]view.CalendarDay, 0, 7)
		}
	}
	if len(week) > 0 {
		d.Weeks = append(d.Weeks, append(week, make([]view.CalendarDay, 7-len(week))...))
	}
	return d
}

// handleEventsSubscribe serves GET /termine/abonnieren: how to subscribe.
func (s *Server) handleEventsSubscribe(w http.ResponseWriter, r *http.Request) {
	m := s.meta(r, "Termine abonnieren", "So abonnieren Sie die Termine von DEFUS in Outlook, Apple Kalender, Google Kalender und Thunderbird.")
	s.render(w, r, http.StatusOK, view.EventsSubscribe(m, s.feedLinks("/termine.ics", "")))
}

// feedMonthsBack is how far back the subscribable feed reaches: as
// calendar subscriptions commonly do, it holds the upcoming events and
// those of the last 12 months, so that it stays small however long the
// archive grows (the archive has the older ones).
const feedMonthsBack = 12

// feedFrom is where the feed begins at now: the start of the same day in
// Berlin 12 months back, so that the feed changes at midnight (when the
// page cache renews pages anyway), not at every second.
func feedFrom(now time.Time) time.Time {
	return defus.BerlinDay(now).AddDate(0, -feedMonthsBack, 0)
}

// handleEventsFeed serves GET /termine.ics: the subscribable feed of the
// published events that end on or after feedFrom, filtered like the list. Unknown
// filter values are refused with 400 so a calendar never silently
// subscribes to something else than asked.
func (s *Server) handleEventsFeed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var hosts []defus.EventHost
	eq, err := s.parseEventQuery(ctx, r.URL.Query(), &hosts)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if eq.moved != nil {
		movedPermanently(w, r, r.URL.Path+"?"+eq.moved.Encode())
		return
	}
	if len(eq.notes) > 0 {
		s.badRequest(w, r, strings.Join(eq.notes, " "))
		return
	}
	if onlyParams(r.URL.Query(), eventParams...) {
		knownQuery(r)
	}
	if eq.filter.From.IsZero() {
		eq.filter.From = feedFrom(s.now())
	}
	site, changed, err := s.calendarSite(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	events, err := s.store.FindFeedEvents(ctx, eq.filter)
	if err != nil {
		s.error(w, r, err)
		return
	}
	feed := ical.Feed{Name: "DEFUS-Termine", Description: "Termine des Deutsch-Europäischen Forums für Urbane Sicherheit"}
	if len(eq.names) > 0 {
		feed.Name += ": " + strings.Join(eq.names, ", ")
	}
	var buf bytes.Buffer
	if err := ical.WriteFeed(&buf, site, feed, events); err != nil {
		s.error(w, r, fmt.Errorf("write feed: %w", err))
		return
	}
	s.serveICS(w, r, buf.Bytes(), latest(changed, ical.LastModified(events)), "")
}

// handleEventICS serves GET /termine/{slug}.ics: one event for one's own
// calendar; an old slug of the event gets a 301 to its .ics now.
func (s *Server) handleEventICS(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	site, changed, err := s.calendarSite(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	e, err := s.store.FindEvent(r.Context(), slug)
	if err != nil {
		s.errorOrMoved(w, r, err, defus.EntityEvent, slug, func(slug string) string { return "/termine/" + slug + ".ics" })
		return
	}
	var buf bytes.Buffer
	if err := ical.WriteEvent(&buf, site, e); err != nil {
		s.error(w, r, fmt.Errorf("write ics: %w", err))
		return
	}
	s.serveICS(w, r, buf.Bytes(), latest(changed, e.UpdatedAt), e.Slug+".ics")
}

// calendarSite is what every calendar says about its events (the office as
// ORGANIZER, from the association's record), and when anything calendars
// show last changed. It must be read before the events: a change committed
// in between then shows in the body (and ETag) but not in the date, so a
// client asks again next time; read after, a client could keep the older
// body under the newer date and never ask for the change.
func (s *Server) calendarSite(r *http.Request) (ical.Site, time.Time, error) {
	changed, err := s.store.FindCalendarChange(r.Context())
	if err != nil {
		return ical.Site{}, time.Time{}, err
	}
	a, err := s.association(r) // the one read of the request, shared with the layout
	if err != nil {
		return ical.Site{}, time.Time{}, err
	}
	email, err := defus.ASCIIEmail(a.Email)
	if a.Email == "" || err != nil {
		email = s.cfg.OfficeEmail // validated at start
	}
	return ical.Site{BaseURL: s.cfg.BaseURLString(), Organizer: ical.Organizer{Name: a.Name, Email: email}}, changed, nil
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// serveICS writes a calendar as text/calendar (see serveMachine). lastMod
// may be a second or two ahead of the clock (see store.FindCalendarChange).
func (s *Server) serveICS(w http.ResponseWriter, r *http.Request, body []byte, lastMod time.Time, filename string) {
	s.serveMachine(w, r, body, lastMod, "text/calendar; charset=utf-8", filename)
}

// notModified applies RFC 9110 §13.2.2: If-None-Match wins over If-Modified-Since.
func notModified(r *http.Request, etag string, lastMod time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !lastMod.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !lastMod.Truncate(time.Second).After(t)
	}
	return false
}

// jsonLDEvent is a schema.org Event for search engines.
type jsonLDEvent struct {
	Context             string    `json:"@context"`
	Type                string    `json:"@type"`
	Name                string    `json:"name"`
	URL                 string    `json:"url"`
	StartDate           string    `json:"startDate"`
	EndDate             string    `json:"endDate"`
	PreviousStartDate   string    `json:"previousStartDate,omitempty"`
	EventStatus         string    `json:"eventStatus"`
	EventAttendanceMode string    `json:"eventAttendanceMode"`
	Location            []any     `json:"location"`
	Organizer           jsonLDOrg `json:"organizer"`
	Description         string    `json:"description,omitempty"`

	Keywords   []string `json:"keywords,omitempty"`
	InLanguage string   `json:"inLanguage"`
}

type jsonLDOrg struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonLDPlace struct {
	Type    string         `json:"@type"`
	Name    string         `json:"name"`
	Address *jsonLDAddress `json:"address,omitempty"`
}

type jsonLDAddress struct {
	Type            string `json:"@type"`
	StreetAddress   string `json:"streetAddress,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
	AddressLocality string `json:"addressLocality,omitempty"`
}

type jsonLDVirtual struct {
	Type string `json:"@type"`
	URL  string `json:"url"`
}

// eventJSONLD describes e as schema.org Event. Times carry the offset that
// holds in Berlin on that date (+01:00 or +02:00); all-day events use dates.
func eventJSONLD(e *defus.Event, base string) jsonLDEvent {
	url := base + "/termine/" + e.Slug
	j := jsonLDEvent{
		Context: "https://schema.org", Type: "Event", Name: e.Title, URL: url,
		Description: e.Summary, InLanguage: "de",
		Organizer: jsonLDOrg{Type: "Organization", Name: "Deutsch-Europäisches Forum für Urbane Sicherheit e.V. (DEFUS)", URL: base + "/"},
	}
	date := func(t time.Time) string { return t.In(defus.Berlin).Format(time.RFC3339) }
	if e.AllDay {
		date = func(t time.Time) string { return t.In(defus.Berlin).Format("2006-01-02") }
		j.StartDate, j.EndDate = date(e.FirstDay()), date(e.LastDay())
	} else {
		j.StartDate, j.EndDate = date(e.StartsAt), date(e.EndsAt)
	}
	if e.Status == defus.StatusPostponed && e.PreviousStartsAt != nil {
		// The start it had when it was postponed, or before it last moved.
		j.PreviousStartDate = date(*e.PreviousStartsAt)
	}
	j.EventStatus = map[defus.EventStatus]string{
		defus.StatusScheduled: "https://schema.org/EventScheduled",
		defus.StatusCancelled: "https://schema.org/EventCancelled",
		defus.StatusPostponed: "https://schema.org/EventPostponed",
	}[e.Status]
	j.EventAttendanceMode = map[defus.EventFormat]string{
		defus.FormatInPerson: "https://schema.org/OfflineEventAttendanceMode",
		defus.FormatOnline:   "https://schema.org/OnlineEventAttendanceMode",
		defus.FormatHybrid:   "https://schema.org/MixedEventAttendanceMode",
	}[e.Format]
	if e.Format != defus.FormatOnline {
		p := jsonLDPlace{Type: "Place", Name: e.PlaceName}
		if p.Name == "" {
			p.Name = e.City
		}
		if e.Street != "" || e.Postcode != "" || e.City != "" {
			p.Address = &jsonLDAddress{Type: "PostalAddress", StreetAddress: e.Street, PostalCode: e.Postcode, AddressLocality: e.City}
		}
		j.Location = append(j.Location, p)
	}
	if e.Format != defus.FormatInPerson {
		link := e.PublicOnlineURL()
		if link == "" {
			link = url // the page says how to take part
		}
		j.Location = append(j.Location, jsonLDVirtual{Type: "VirtualLocation", URL: link})
	}
	for _, t := range e.Topics {
		j.Keywords = append(j.Keywords, t.Title)
	}
	return j
}

// relatedPast is how many past events a member or topic page shows, and
// relatedUpcoming how many upcoming ones; the link leads to all.
const (
	relatedPast     = 5
	relatedUpcoming = 20
)

// relatedEvents finds the next upcoming and the latest past events for a
// member or topic page, each list limited in the query; more links to the
// filtered list.
func (s *Server) relatedEvents(ctx context.Context, f defus.EventFilter, more string) (view.RelatedEvents, error) {
	now := s.now()
	r := view.RelatedEvents{Now: now, MoreHref: more}
	f.Now = now
	var err error
	r.Upcoming, r.Past, err = s.store.FindRelatedEvents(ctx, f, relatedUpcoming, relatedPast)
	return r, err
}
