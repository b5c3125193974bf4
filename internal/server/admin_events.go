package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// GET /admin/termine
func (s *Server) handleAdminEventsIndex(w http.ResponseWriter, r *http.Request) {
	lf, page := readListFilter(r)
	f := defus.EventListFilter{ListFilter: lf, Now: s.now(), Period: defus.PeriodUpcoming}
	d := view.AdminEventsData{Query: lf.Query, State: lf.State, Period: view.EventPeriods[0].Value, Now: f.Now}
	q := r.URL.Query()
	switch q.Get("zeit") {
	case "vergangene":
		f.Period, d.Period = defus.PeriodPast, "vergangene"
	case "alle":
		f.Period, d.Period = defus.PeriodAll, "alle"
	}
	if k, ok := defus.EventKindFromParam(q.Get("art")); ok {
		f.Kind, d.Kind = k, k.Param()
	}
	events, total, err := s.store.FindEventsAdmin(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ids := make([]int64, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	if d.Counts, err = s.store.CountRegistrationsByEvent(r.Context(), ids); err != nil {
		s.error(w, r, err)
		return
	}
	d.Events, d.Total, d.Paging = events, total, paging(r, page, total)
	s.render(w, r, http.StatusOK, view.AdminEventsIndex(s.adminMeta(r, "Termine"), d))
}

// eventChoices are what the event form offers: every member as a possible
// host and every topic.
type eventChoices struct {
	members []defus.Member
	topics  []defus.Topic
}

func (s *Server) eventChoices(ctx context.Context) (eventChoices, error) {
	members, err := s.store.FindMembers(ctx, defus.MemberFilter{WithDrafts: true})
	if err != nil {
		return eventChoices{}, err
	}
	topics, err := s.store.FindAllTopics(ctx)
	return eventChoices{members: members, topics: topics}, err
}

// Messages of the event form's own checks.
const (
	msgDateInvalid = "Bitte geben Sie ein gültiges Datum an, zum Beispiel 16.09.2025."
	msgTimeInvalid = "Bitte geben Sie eine gültige Uhrzeit an, zum Beispiel 10:00."
	msgTimeSkipped = "Diese Uhrzeit gibt es am %s wegen der Zeitumstellung nicht."
)

// readEventForm reads the posted form over e (id, uid and sequence stay)
// and checks what only this form knows: the dates and times as typed, and
// the host and topics against the choices offered. The domain's rules
// follow in checkEvent.
func readEventForm(r *http.Request, e defus.Event, ch eventChoices) (view.EventForm, defus.FieldErrors) {
	errs := defus.FieldErrors{}
	in := view.EventForm{Event: e}
	ev := &in.Event
	ev.Title = formText(r, "title")
	ev.Slug = formText(r, "slug")
	if ev.Slug == "" {
		ev.Slug, in.SlugProposed = defus.Slugify(ev.Title), true
	}
	ev.Kind = defus.EventKind(r.PostFormValue("kind"))
	ev.Status = defus.EventStatus(r.PostFormValue("status"))
	ev.Format = defus.EventFormat(r.PostFormValue("format"))
	ev.AllDay = formChecked(r, "all_day")
	ev.PlaceName = formText(r, "place_name")
	ev.Street = formText(r, "street")
	ev.Postcode = formText(r, "postcode")
	ev.City = formText(r, "city")
	ev.OnlineURL = formText(r, "online_url")
	ev.OnlineURLPublic = formChecked(r, "online_url_public")
	ev.Partners = formText(r, "partners")
	ev.Summary = formText(r, "summary")
	ev.Description = formText(r, "description")
	ev.RegistrationNote = formText(r, "registration_note")
	ev.RegistrationURL = formText(r, "registration_url")
	ev.Published = formChecked(r, "published")
	ev.Version = formVersion(r)
	readRegistrationSettings(r, &in, errs)

	in.StartDate, in.StartTime = formText(r, "start_date"), formText(r, "start_time")
	in.EndDate, in.EndTime = formText(r, "end_date"), formText(r, "end_time")
	readTimes(&in, errs)

	in.Host = formText(r, "host")
	ev.HostMemberID = nil
	if in.Host != "" {
		id, err := strconv.ParseInt(in.Host, 10, 64)
		if err != nil || !slices.ContainsFunc(ch.members, func(m defus.Member) bool { return m.ID == id }) {
			errs.Add("host", "Bitte wählen Sie einen Gastgeber aus der Liste.")
		} else {
			ev.HostMemberID = &id
		}
	}
	in.Topics = r.PostForm["topics"]
	ev.TopicIDs = nil
	for _, v := range in.Topics {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !slices.ContainsFunc(ch.topics, func(t defus.Topic) bool { return t.ID == id }) {
			errs.Add("topics", "Bitte wählen Sie nur Themen aus der Liste.")
			continue
		}
		if !slices.Contains(ev.TopicIDs, id) {
			ev.TopicIDs = append(ev.TopicIDs, id)
		}
	}
	return in, errs
}

// readTimes turns the typed dates and times (Berlin wall clock) into the
// event's instants. An all-day event runs from midnight of the first day to
// midnight after the last; a timed one without an end time is a moment.
func readTimes(in *view.EventForm, errs defus.FieldErrors) {
	date := func(field string, v *string) (time.Time, bool) {
		t, ok := defus.ParseDate(*v)
		if ok {
			*v = fmt.Sprintf("%04d-%02d-%02d", t.Year(), t.Month(), t.Day())
		} else if *v != "" {
			errs.Add(field, msgDateInvalid)
		}
		return t, ok
	}
	clock := func(field string, v *string) (h, m int, ok bool) {
		h, m, ok = defus.ParseClock(*v)
		if ok {
			*v = fmt.Sprintf("%02d:%02d", h, m)
		} else if *v != "" {
			errs.Add(field, msgTimeInvalid)
		}
		return h, m, ok
	}
	e := &in.Event
	e.StartsAt, e.EndsAt = time.Time{}, time.Time{}
	first, okFirst := date("start_date", &in.StartDate)
	if in.StartDate == "" {
		errs.Add("start_date", "Bitte geben Sie das Datum des Beginns an.")
	}
	last, okLast := first, okFirst
	if in.EndDate != "" {
		last, okLast = date("end_date", &in.EndDate)
	}
	if e.AllDay {
		switch {
		case !okFirst || !okLast:
		case last.Before(first):
			errs.Add("end_date", "Das Ende darf nicht vor dem Beginn liegen.")
		default:
			e.StartsAt, e.EndsAt = defus.AllDayRange(first, last)
		}
		return
	}
	sh, sm, okStart := clock("start_time", &in.StartTime)
	if in.StartTime == "" {
		errs.Add("start_time", "Bitte geben Sie die Uhrzeit des Beginns an – oder kreuzen Sie „Ganztägig“ an.")
	}
	eh, em, okEnd := sh, sm, okStart
	if in.EndTime != "" {
		eh, em, okEnd = clock("end_time", &in.EndTime)
	} else if okFirst && okLast && !last.Equal(first) {
		errs.Add("end_time", "Bitte geben Sie die Uhrzeit des Endes an.")
	}
	if okFirst && okLast && okStart && okEnd {
		// A time in the hour skipped when summer time begins does not
		// exist; one in the hour that repeats in autumn is the first.
		var ok1, ok2 bool
		e.StartsAt, ok1 = defus.BerlinClock(first, sh, sm)
		e.EndsAt, ok2 = defus.BerlinClock(last, eh, em)
		if !ok1 {
			errs.Add("start_time", fmt.Sprintf(msgTimeSkipped, first.Format("02.01.2006")))
		}
		if !ok2 && in.EndTime != "" {
			errs.Add("end_time", fmt.Sprintf(msgTimeSkipped, last.Format("02.01.2006")))
		}
	}
}

// checkEvent adds the domain's rules to the form's own errors. Start and
// end are judged there only when the form could read them.
func checkEvent(in *view.EventForm, errs defus.FieldErrors) {
	timesTyped := !errs.Has("start_date") && !errs.Has("start_time") && !errs.Has("end_date") && !errs.Has("end_time")
	for field, msg := range in.Event.Validate() {
		switch field {
		case "starts_at":
			if timesTyped {
				errs.Add("start_date", msg)
			}
		case "ends_at":
			if timesTyped {
				errs.Add("end_date", msg)
			}
		case "slug":
			// An address still to be proposed from a missing title: the
			// title's message says what to do.
			if !(in.SlugProposed && in.Event.Title == "") {
				errs.Add(field, msg)
			}
		default:
			errs.Add(field, msg)
		}
	}
}

// inputOf shows a stored event in the form.
func inputOf(e defus.Event) view.EventForm {
	in := view.EventForm{Event: e}
	if e.HostMemberID != nil {
		in.Host = strconv.FormatInt(*e.HostMemberID, 10)
	}
	for _, id := range e.TopicIDs {
		in.Topics = append(in.Topics, strconv.FormatInt(id, 10))
	}
	registrationSettingsInput(&in)
	if e.StartsAt.IsZero() {
		return in
	}
	const date, clock = "2006-01-02", "15:04"
	if e.AllDay {
		in.StartDate = e.FirstDay().Format(date)
		if e.MultiDay() {
			in.EndDate = e.LastDay().Format(date)
		}
		return in
	}
	start, end := e.StartsAt.In(defus.Berlin), e.EndsAt.In(defus.Berlin)
	in.StartDate, in.StartTime = start.Format(date), start.Format(clock)
	if !end.Equal(start) {
		in.EndTime = end.Format(clock)
		if e.MultiDay() {
			in.EndDate = end.Format(date)
		}
	}
	return in
}

// eventForm is how the event form is shown: what is edited or copied, what
// was typed, its errors and, after a conflict, what is stored now.
type eventForm struct {
	existing *defus.Event // the stored event being edited; nil for a new one
	copyOf   *defus.Event // the original of a copy
	in       view.EventForm
	errs     defus.FieldErrors
	current  *defus.Event // stored meanwhile by someone else
}

// renderEventForm shows the event form.
func (s *Server) renderEventForm(w http.ResponseWriter, r *http.Request, status int, ch eventChoices, f eventForm) {
	d := view.EventFormData{Event: f.existing, CopyOf: f.copyOf, Members: ch.members, Topics: ch.topics,
		Form: view.Form[view.EventForm]{Values: f.in, Errors: f.errs, Current: formOf(f.current, func(e *defus.Event) view.EventForm { return inputOf(*e) })}}
	title := "Neuer Termin"
	switch {
	case f.existing != nil:
		title = "Termin „" + f.existing.Title + "“ bearbeiten"
	case f.copyOf != nil:
		title = "Neuer Termin als Kopie"
	}
	s.render(w, r, status, view.AdminEventForm(s.adminMeta(r, title), d))
}

// GET /admin/termine/neu
func (s *Server) handleAdminEventNew(w http.ResponseWriter, r *http.Request) {
	ch, err := s.eventChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	e := defus.Event{Status: defus.StatusScheduled, Format: defus.FormatInPerson,
		Registration: defus.RegistrationSettings{Mode: defus.RegistrationOff}}
	s.renderEventForm(w, r, http.StatusOK, ch, eventForm{in: inputOf(e)})
}

// GET /admin/termine/{id}/kopie opens the new-event form filled with a copy
// of the event: same title, texts, place and times; no address (proposed on
// saving), taking place, not published. Nothing is stored until it is saved.
func (s *Server) handleAdminEventDuplicate(w http.ResponseWriter, r *http.Request) {
	orig, err := s.eventOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ch, err := s.eventChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	c := *orig
	c.ID, c.Slug, c.UID, c.Sequence, c.Version, c.Published = 0, "", "", 0, 0, false
	c.Status = defus.StatusScheduled // a cancelled event's copy is a new date
	s.renderEventForm(w, r, http.StatusOK, ch, eventForm{copyOf: orig, in: inputOf(c)})
}

// POST /admin/termine
func (s *Server) handleAdminEventCreate(w http.ResponseWriter, r *http.Request) {
	ch, err := s.eventChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	in, errs := readEventForm(r, defus.Event{}, ch)
	checkEvent(&in, errs)
	if errs.Any() {
		s.renderEventForm(w, r, http.StatusUnprocessableEntity, ch, eventForm{in: in, errs: errs})
		return
	}
	e := &in.Event
	err = s.store.CreateEvent(r.Context(), actor(r), e)
	if defus.FieldErrorsOf(err).Has("slug") && in.SlugProposed {
		// A copy keeps its original's title: propose the title with the date.
		e.Slug = defus.Slugify(e.Title + " " + e.StartsAt.In(defus.Berlin).Format("2006-01-02"))
		err = s.store.CreateEvent(r.Context(), actor(r), e)
	}
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderEventForm(w, r, status, ch, eventForm{in: in, errs: errs})
		})
		return
	}
	s.flash(r, "Der Termin „"+e.Title+"“ ist angelegt.")
	http.Redirect(w, r, fmt.Sprintf("/admin/termine/%d", e.ID), http.StatusSeeOther)
}

func (s *Server) eventOfRequest(r *http.Request) (*defus.Event, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindEventByID(r.Context(), id)
}

// GET /admin/termine/{id}
func (s *Server) handleAdminEventEdit(w http.ResponseWriter, r *http.Request) {
	e, err := s.eventOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ch, err := s.eventChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderEventForm(w, r, http.StatusOK, ch, eventForm{existing: e, in: inputOf(*e)})
}

// POST /admin/termine/{id}
func (s *Server) handleAdminEventUpdate(w http.ResponseWriter, r *http.Request) {
	e, err := s.eventOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ch, err := s.eventChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	in, errs := readEventForm(r, *e, ch)
	checkEvent(&in, errs)
	if errs.Any() {
		s.renderEventForm(w, r, http.StatusUnprocessableEntity, ch, eventForm{existing: e, in: in, errs: errs})
		return
	}
	current, err := s.store.UpdateEvent(r.Context(), actor(r), &in.Event)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderEventForm(w, r, status, ch, eventForm{existing: e, in: in, errs: errs, current: current})
		})
		return
	}
	s.flash(r, "Der Termin „"+in.Event.Title+"“ ist gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/termine/%d", e.ID), http.StatusSeeOther)
}

// POST /admin/termine/vorschau shows the typed event as visitors would see
// it, without saving anything.
func (s *Server) handleAdminEventPreview(w http.ResponseWriter, r *http.Request) {
	ch, err := s.eventChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	in, errs := readEventForm(r, defus.Event{}, ch)
	var timeErrs []string
	for _, f := range []string{"start_date", "start_time", "end_date", "end_time"} {
		if msg := errs[f]; msg != "" {
			timeErrs = append(timeErrs, msg)
		}
	}
	if len(timeErrs) > 0 {
		s.adminErrorPage(w, r, http.StatusUnprocessableEntity, view.ErrorData{Title: "Vorschau nicht möglich",
			Text: "Die Vorschau braucht Datum und Uhrzeit: " + strings.Join(timeErrs, " ") + " Bitte schließen Sie dieses Fenster und ergänzen Sie die Angaben im Formular."})
		return
	}
	e := in.Event
	if e.Title == "" {
		e.Title = "(ohne Titel)"
	}
	e.Title, e.Summary, e.Description = defus.CleanText(e.Title), defus.CleanText(e.Summary), defus.CleanText(e.Description)
	// Only what visitors would see: a published host, published topics,
	// links that are web addresses.
	for _, m := range ch.members {
		if e.HostMemberID != nil && m.ID == *e.HostMemberID && m.Published {
			e.Host = &defus.EventHost{ID: m.ID, Slug: m.Slug, Name: m.Name, ShortName: m.ShortName}
		}
	}
	for _, t := range ch.topics {
		if slices.Contains(e.TopicIDs, t.ID) && t.Published {
			e.Topics = append(e.Topics, t)
		}
	}
	if !defus.ValidWebURL(e.OnlineURL) {
		e.OnlineURL = "" // never a link the saved event could not have
	}
	if !defus.ValidWebURL(e.RegistrationURL) {
		e.RegistrationURL = ""
	}
	m := s.meta(r, e.Title, e.Summary)
	m.Preview, m.NoIndex, m.Canonical, m.Path = true, true, "", "/termine/"+e.Slug
	s.render(w, r, http.StatusOK, view.EventShow(m, view.EventData{Event: e, Now: s.now()}))
}

// GET /admin/termine/{id}/loeschen asks before deleting and, for an event
// still to come, suggests cancelling it instead.
func (s *Server) handleAdminEventDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	e, err := s.eventOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	edit := fmt.Sprintf("/admin/termine/%d", e.ID)
	d := view.ConfirmDeleteData{
		Title:   "Termin „" + e.Title + "“ löschen?",
		Action:  edit + "/loeschen",
		Back:    edit,
		Version: e.Version,
	}
	if e.Upcoming(s.now()) {
		d.Text = "Der Termin verschwindet sofort von der Website und aus den abonnierten Kalendern. " +
			"Wer die Termine abonniert hat, sieht ihn ohne Erklärung verschwinden. Das Protokoll behält, dass er gelöscht wurde."
		if e.Status != defus.StatusCancelled {
			d.Instead = "Fällt der Termin aus? Setzen Sie ihn besser auf „Abgesagt“: Er bleibt sichtbar, und wer den Kalender abonniert hat, sieht die Absage."
			d.InsteadHref = edit + "#event-status"
		}
	} else {
		d.Text = "Der Termin hat schon stattgefunden. Gelöscht fehlt er im Archiv der Termine, das zeigt, was das Netzwerk getan hat. " +
			"Löschen Sie vergangene Termine nur, wenn sie nie stattfanden oder doppelt angelegt sind. Das Protokoll behält, dass er gelöscht wurde."
	}
	if e.Published {
		d.Dependants = append(d.Dependants, "die öffentliche Seite /termine/"+e.Slug+" und ihr Kalendereintrag (.ics)")
		if e.Host != nil {
			d.Dependants = append(d.Dependants, "die Terminliste auf der Seite von "+e.Host.Name)
		}
	}
	if n := len(e.TopicIDs); n > 0 {
		d.Dependants = append(d.Dependants, fmt.Sprintf("die Zuordnung zu %d %s", n, map[bool]string{true: "Thema", false: "Themen"}[n == 1]))
	}
	s.render(w, r, http.StatusOK, view.AdminConfirmDelete(s.adminMeta(r, d.Title), d))
}

// POST /admin/termine/{id}/loeschen
func (s *Server) handleAdminEventDelete(w http.ResponseWriter, r *http.Request) {
	e, err := s.eventOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.store.DeleteEvent(r.Context(), actor(r), e.ID, formVersion(r))
	s.answerDelete(w, r, err, deleted{
		done:   "Der Termin „" + e.Title + "“ ist gelöscht.",
		list:   "/admin/termine",
		stale:  "Der Termin wurde inzwischen geändert. Bitte prüfen Sie ihn, bevor Sie ihn löschen.",
		record: fmt.Sprintf("/admin/termine/%d", e.ID),
	})
}
