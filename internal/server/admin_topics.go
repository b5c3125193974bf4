package server

import (
	"fmt"
	"net/http"
	"strconv"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// GET /admin/themen
func (s *Server) handleAdminTopicsIndex(w http.ResponseWriter, r *http.Request) {
	f, page := readListFilter(r)
	topics, total, err := s.store.FindTopicsAdmin(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.TopicsIndexData{Query: f.Query, State: f.State, Total: total, Topics: topics, Paging: paging(r, page, total),
		Reorder: f.Query == "" && f.State == ""}
	// Back from a move: the same button gets the focus again, so keyboard
	// users can move a topic several places in a row.
	if id, err := strconv.ParseInt(r.URL.Query().Get("verschoben"), 10, 64); err == nil {
		d.Moved, d.MovedUp = id, r.URL.Query().Get("richtung") == "oben"
	}
	s.render(w, r, http.StatusOK, view.AdminTopicsIndex(s.adminMeta(r, "Themen"), d))
}

// readTopicForm reads the topic form over t (id and position stay) and
// checks it.
func readTopicForm(r *http.Request, t defus.Topic) (view.TopicForm, defus.FieldErrors) {
	t.Title = formText(r, "title")
	t.Slug = formText(r, "slug")
	if t.Slug == "" {
		t.Slug = defus.Slugify(t.Title)
	}
	t.Summary = formText(r, "summary")
	t.Description = formText(r, "description")
	t.Pillar = formChecked(r, "pillar")
	t.Published = formChecked(r, "published")
	t.Version = formVersion(r)
	return view.TopicForm{Topic: t}, t.Validate()
}

func topicFormOf(t *defus.Topic) view.TopicForm { return view.TopicForm{Topic: *t} }

// renderTopicForm shows the topic form: t as stored (nil for a new topic),
// f as typed with its errors and, after a conflict, what is stored now.
func (s *Server) renderTopicForm(w http.ResponseWriter, r *http.Request, status int, t *defus.Topic, f view.TopicForm, errs defus.FieldErrors, current *defus.Topic) {
	d := view.TopicFormData{Topic: t, Form: view.Form[view.TopicForm]{Values: f, Errors: errs, Current: formOf(current, topicFormOf)}}
	title := "Neues Thema"
	if t != nil {
		title = "Thema „" + t.Title + "“ bearbeiten"
	}
	s.render(w, r, status, view.AdminTopicForm(s.adminMeta(r, title), d))
}

// GET /admin/themen/neu
func (s *Server) handleAdminTopicNew(w http.ResponseWriter, r *http.Request) {
	s.renderTopicForm(w, r, http.StatusOK, nil, view.TopicForm{}, nil, nil)
}

// POST /admin/themen
func (s *Server) handleAdminTopicCreate(w http.ResponseWriter, r *http.Request) {
	f, errs := readTopicForm(r, defus.Topic{})
	if errs.Any() {
		s.renderTopicForm(w, r, http.StatusUnprocessableEntity, nil, f, errs, nil)
		return
	}
	t := &f.Topic
	if err := s.store.CreateTopic(r.Context(), actor(r), t); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderTopicForm(w, r, status, nil, f, errs, nil)
		})
		return
	}
	s.flash(r, "Das Thema „"+t.Title+"“ ist angelegt.")
	http.Redirect(w, r, fmt.Sprintf("/admin/themen/%d", t.ID), http.StatusSeeOther)
}

func (s *Server) topicOfRequest(r *http.Request) (*defus.Topic, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindTopicByID(r.Context(), id)
}

// GET /admin/themen/{id}
func (s *Server) handleAdminTopicEdit(w http.ResponseWriter, r *http.Request) {
	t, err := s.topicOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderTopicForm(w, r, http.StatusOK, t, topicFormOf(t), nil, nil)
}

// POST /admin/themen/{id}
func (s *Server) handleAdminTopicUpdate(w http.ResponseWriter, r *http.Request) {
	t, err := s.topicOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readTopicForm(r, *t)
	if errs.Any() {
		s.renderTopicForm(w, r, http.StatusUnprocessableEntity, t, f, errs, nil)
		return
	}
	current, err := s.store.UpdateTopic(r.Context(), actor(r), &f.Topic)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderTopicForm(w, r, status, t, f, errs, current)
		})
		return
	}
	s.flash(r, "Das Thema „"+f.Title+"“ ist gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/themen/%d", t.ID), http.StatusSeeOther)
}

// POST /admin/themen/vorschau shows the typed topic as visitors would see
// it, without saving anything. For a topic that exists (the form's id),
// its members and events are shown too.
func (s *Server) handleAdminTopicPreview(w http.ResponseWriter, r *http.Request) {
	f, _ := readTopicForm(r, defus.Topic{})
	t := f.Topic
	if t.Title == "" {
		t.Title = "(ohne Titel)"
	}
	t.Title, t.Summary, t.Description = defus.CleanText(t.Title), defus.CleanText(t.Summary), defus.CleanText(t.Description)
	d := view.TopicData{Topic: t}
	if id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64); err == nil && id > 0 {
		if _, err := s.store.FindTopicByID(r.Context(), id); err == nil {
			if d.Members, err = s.store.FindMembers(r.Context(), defus.MemberFilter{TopicID: id}); err != nil {
				s.error(w, r, err)
				return
			}
			if d.Events, err = s.relatedEvents(r.Context(), defus.EventFilter{TopicID: id}, ""); err != nil {
				s.error(w, r, err)
				return
			}
		}
	}
	m := s.meta(r, t.Title, t.Summary)
	m.Preview, m.NoIndex, m.Canonical, m.Path = true, true, "", "/themen/"+t.Slug
	s.render(w, r, http.StatusOK, view.TopicShow(m, d))
}

// POST /admin/themen/{id}/nach-oben and /nach-unten move a topic one
// place within its kind; the public pages show the new order at once.
func (s *Server) handleAdminTopicMove(dir defus.Direction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := s.topicOfRequest(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		place, err := s.store.MoveTopic(r.Context(), actor(r), t.ID, dir)
		if err != nil {
			s.error(w, r, err)
			return
		}
		kind := "der weiteren Themen"
		if t.Pillar {
			kind = "der Schwerpunkte"
		}
		s.flash(r, fmt.Sprintf("„%s“ steht jetzt an Stelle %d %s.", t.Title, place, kind))
		back := fmt.Sprintf("/admin/themen?verschoben=%d&richtung=unten", t.ID)
		if dir == defus.Up {
			back = fmt.Sprintf("/admin/themen?verschoben=%d&richtung=oben", t.ID)
		}
		if page, err := strconv.Atoi(r.PostFormValue("seite")); err == nil && page > 1 && page <= 100000 {
			back += fmt.Sprintf("&seite=%d", page)
		}
		// No #fragment: browsers skip autofocus when the URL targets an element.
		http.Redirect(w, r, back, http.StatusSeeOther)
	}
}

// GET /admin/themen/{id}/loeschen asks before deleting and names the
// members, events and enquiries that lose their link to the topic.
func (s *Server) handleAdminTopicDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	t, err := s.topicOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	deps, err := s.store.FindTopicDependants(r.Context(), t.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.ConfirmDeleteData{
		Title: "Thema „" + t.Title + "“ löschen?",
		Text: "Das Thema verschwindet sofort von der Website; /themen/" + t.Slug + " führt dann zur Fehlerseite „Seite nicht gefunden“. " +
			"Die Verknüpfungen mit Mitgliedern, Terminen und Anfragen werden entfernt; die Mitglieder, Termine und Anfragen selbst bleiben erhalten. " +
			"Das Protokoll behält, dass das Thema gelöscht wurde.",
		Action:  fmt.Sprintf("/admin/themen/%d/loeschen", t.ID),
		Back:    fmt.Sprintf("/admin/themen/%d", t.ID),
		Version: t.Version,
	}
	for _, m := range deps.Members {
		d.Dependants = append(d.Dependants, "Mitglied „"+m.Name+"“"+draftNote(m.Published)+": Verknüpfung wird entfernt")
	}
	for _, e := range deps.Events {
		d.Dependants = append(d.Dependants, "Termin „"+e.Title+"“ am "+defus.FormatDate(e.StartsAt)+draftNote(e.Published)+": Verknüpfung wird entfernt")
	}
	switch deps.Enquiries {
	case 0:
	case 1:
		d.Dependants = append(d.Dependants, "1 Anfrage nennt dieses Thema: der Hinweis darauf wird entfernt, die Anfrage bleibt")
	default:
		d.Dependants = append(d.Dependants, fmt.Sprintf("%d Anfragen nennen dieses Thema: der Hinweis darauf wird entfernt, die Anfragen bleiben", deps.Enquiries))
	}
	s.render(w, r, http.StatusOK, view.AdminConfirmDelete(s.adminMeta(r, d.Title), d))
}

func draftNote(published bool) string {
	if published {
		return ""
	}
	return " (Entwurf)"
}

// POST /admin/themen/{id}/loeschen
func (s *Server) handleAdminTopicDelete(w http.ResponseWriter, r *http.Request) {
	t, err := s.topicOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.store.DeleteTopic(r.Context(), actor(r), t.ID, formVersion(r))
	s.answerDelete(w, r, err, deleted{
		done:   "Das Thema „" + t.Title + "“ ist gelöscht. Mitglieder, Termine und Anfragen sind erhalten.",
		list:   "/admin/themen",
		stale:  "Das Thema wurde inzwischen geändert. Bitte prüfen Sie es, bevor Sie es löschen.",
		record: fmt.Sprintf("/admin/themen/%d", t.ID),
	})
}
