package server

import (
	"fmt"
	"net/http"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// GET /admin/seiten
func (s *Server) handleAdminPagesIndex(w http.ResponseWriter, r *http.Request) {
	f, page := readListFilter(r)
	pages, total, err := s.store.FindPagesAdmin(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.PagesIndexData{
		Filter: view.ListFilterData{Action: "/admin/seiten", Label: "Seiten filtern", Query: f.Query, State: f.State,
			Total: total, Noun: [2]string{"Seite", "Seiten"}},
		Pages:  pages,
		Paging: paging(r, page, total),
	}
	s.render(w, r, http.StatusOK, view.AdminPagesIndex(s.adminMeta(r, "Seiten"), d))
}

// readPageForm reads the page form into p (id and required flag stay; a
// required page keeps its address, which the navigation links to).
func readPageForm(r *http.Request, p *defus.Page) {
	p.Title = formText(r, "title")
	if !p.Required {
		p.Slug = formText(r, "slug")
	}
	if p.Slug == "" {
		p.Slug = defus.Slugify(p.Title)
	}
	p.Summary = formText(r, "summary")
	p.Body = formText(r, "body")
	p.Published = formChecked(r, "published") || p.Required
	p.Version = formVersion(r)
}

// renderPageForm shows the page form with what was typed, errors and, after
// a conflict, what is stored now.
func (s *Server) renderPageForm(w http.ResponseWriter, r *http.Request, status int, existing, typed *defus.Page, errs defus.FieldErrors, current *defus.Page) {
	d := view.PageFormData{
		Page:     existing,
		Version:  typed.Version,
		Required: typed.Required,
		Title:    view.Field{ID: "page-title", Name: "title", Label: "Titel", Value: defus.CleanText(typed.Title), Error: errs["title"], Required: true},
		Slug: view.Field{ID: "page-slug", Name: "slug", Label: "Adresse", Value: defus.CleanText(typed.Slug), Error: errs["slug"],
			Hint: "Der Teil nach dem Schrägstrich, zum Beispiel „jahresbericht-2025“ für /jahresbericht-2025. Leer lassen, um sie aus dem Titel zu bilden."},
		Summary: view.Field{ID: "page-summary", Name: "summary", Label: "Kurzbeschreibung", Value: defus.CleanText(typed.Summary), Error: errs["summary"], Rows: 2,
			Hint: "Ein Satz für Suchmaschinen und Vorschauen."},
		Body: view.Field{ID: "page-body", Name: "body", Label: "Text", Value: defus.CleanText(typed.Body), Error: errs["body"], Rows: 20,
			Hint: "In Markdown: ## Zwischenüberschrift, **fett**, [Linktext](https://…), Listen mit „- “."},
		Publish:  typed.Published,
		PubError: errs["published"],
	}
	d.Errors = errorLinks(errs, []fieldID{{"title", "page-title"}, {"slug", "page-slug"}, {"summary", "page-summary"},
		{"body", "page-body"}, {"published", "page-published"}})
	if current != nil {
		d.Version = current.Version
		d.Required = current.Required
		d.Conflict = conflictFields([]conflictRow{
			{"Titel", current.Title, typed.Title},
			{"Adresse", current.Slug, typed.Slug},
			{"Kurzbeschreibung", current.Summary, typed.Summary},
			{"Text", current.Body, typed.Body},
			{"Status", publishedLabelOf(current.Published), publishedLabelOf(typed.Published)},
		})
	}
	title := "Neue Seite"
	if existing != nil {
		title = "Seite „" + existing.Title + "“ bearbeiten"
	}
	s.render(w, r, status, view.AdminPageForm(s.adminMeta(r, title), d))
}

// GET /admin/seiten/neu
func (s *Server) handleAdminPageNew(w http.ResponseWriter, r *http.Request) {
	s.renderPageForm(w, r, http.StatusOK, nil, &defus.Page{}, nil, nil)
}

// POST /admin/seiten
func (s *Server) handleAdminPageCreate(w http.ResponseWriter, r *http.Request) {
	var p defus.Page
	readPageForm(r, &p)
	if errs := p.Validate(); errs.Any() {
		s.renderPageForm(w, r, http.StatusUnprocessableEntity, nil, &p, errs, nil)
		return
	}
	if err := s.store.CreatePage(r.Context(), actor(r), &p); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderPageForm(w, r, status, nil, &p, errs, nil)
		})
		return
	}
	s.flash(r, "Die Seite „"+p.Title+"“ ist angelegt.")
	http.Redirect(w, r, fmt.Sprintf("/admin/seiten/%d", p.ID), http.StatusSeeOther)
}

func (s *Server) pageOfRequest(r *http.Request) (*defus.Page, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindPageByID(r.Context(), id)
}

// GET /admin/seiten/{id}
func (s *Server) handleAdminPageEdit(w http.ResponseWriter, r *http.Request) {
	p, err := s.pageOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderPageForm(w, r, http.StatusOK, p, p, nil, nil)
}

// POST /admin/seiten/{id}
func (s *Server) handleAdminPageUpdate(w http.ResponseWriter, r *http.Request) {
	p, err := s.pageOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	typed := *p
	readPageForm(r, &typed)
	if errs := typed.Validate(); errs.Any() {
		s.renderPageForm(w, r, http.StatusUnprocessableEntity, p, &typed, errs, nil)
		return
	}
	current, err := s.store.UpdatePage(r.Context(), actor(r), &typed)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderPageForm(w, r, status, p, &typed, errs, current)
		})
		return
	}
	s.flash(r, "Die Seite „"+typed.Title+"“ ist gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/seiten/%d", p.ID), http.StatusSeeOther)
}

// POST /admin/seiten/vorschau shows the typed page as visitors would see it,
// without saving anything.
func (s *Server) handleAdminPagePreview(w http.ResponseWriter, r *http.Request) {
	var p defus.Page
	readPageForm(r, &p)
	if p.Title == "" {
		p.Title = "(ohne Titel)"
	}
	p.Title, p.Body = defus.CleanText(p.Title), defus.CleanText(p.Body)
	m := s.meta(r, p.Title, p.Summary)
	m.Preview, m.NoIndex, m.Canonical, m.Path = true, true, "", p.Path()
	s.render(w, r, http.StatusOK, view.PageShow(m, p))
}

// GET /admin/seiten/{id}/loeschen asks before deleting.
func (s *Server) handleAdminPageDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	p, err := s.pageOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.ConfirmDeleteData{
		Title:   "Seite „" + p.Title + "“ löschen?",
		Text:    "Die Seite verschwindet sofort von der Website; ihre Adresse /" + p.Slug + " führt dann zur Fehlerseite „Seite nicht gefunden“. Das Protokoll behält, dass sie gelöscht wurde.",
		Action:  fmt.Sprintf("/admin/seiten/%d/loeschen", p.ID),
		Back:    fmt.Sprintf("/admin/seiten/%d", p.ID),
		Version: p.Version,
	}
	if p.Required {
		d.Blocked = "Pflichtseiten können nicht gelöscht werden: die gesetzlich vorgeschriebenen (Impressum, Datenschutz, Barrierefreiheit), der Text der Startseite und die Seiten, auf die Navigation und Fußzeile verweisen. Ihren Text können Sie jederzeit ändern."
	}
	s.render(w, r, http.StatusOK, view.AdminConfirmDelete(s.adminMeta(r, d.Title), d))
}

// POST /admin/seiten/{id}/loeschen
func (s *Server) handleAdminPageDelete(w http.ResponseWriter, r *http.Request) {
	p, err := s.pageOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.store.DeletePage(r.Context(), actor(r), p.ID, formVersion(r))
	if defus.FieldErrorsOf(err).Has("required") {
		s.adminErrorPage(w, r, http.StatusUnprocessableEntity, view.ErrorData{Title: "Löschen nicht möglich",
			Text: defus.MsgRequiredPage})
		return
	}
	s.answerDelete(w, r, err, deleted{
		done:   "Die Seite „" + p.Title + "“ ist gelöscht.",
		list:   "/admin/seiten",
		stale:  "Die Seite wurde inzwischen geändert. Bitte prüfen Sie sie, bevor Sie sie löschen.",
		record: fmt.Sprintf("/admin/seiten/%d", p.ID),
	})
}
