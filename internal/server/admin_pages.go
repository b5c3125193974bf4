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
	d := view.PagesIndexData{Query: f.Query, State: f.State, Total: total, Pages: pages, Paging: paging(r, page, total)}
	s.render(w, r, http.StatusOK, view.AdminPagesIndex(s.adminMeta(r, "Seiten"), d))
}

// readPageForm reads the page form over p and checks it. The id and the
// required flag stay; a required page keeps its address, which the
// navigation links to, and stays published.
func readPageForm(r *http.Request, p defus.Page) (view.PageForm, defus.FieldErrors) {
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
	return view.PageForm{Page: p}, p.Validate()
}

func pageFormOf(p *defus.Page) view.PageForm { return view.PageForm{Page: *p} }

// renderPageForm shows the page form: p as stored (nil for a new page), f
// as typed with its errors and, after a conflict, what is stored now.
func (s *Server) renderPageForm(w http.ResponseWriter, r *http.Request, status int, p *defus.Page, f view.PageForm, errs defus.FieldErrors, current *defus.Page) {
	d := view.PageFormData{Page: p, Form: view.Form[view.PageForm]{Values: f, Errors: errs, Current: formOf(current, pageFormOf)}}
	title := "Neue Seite"
	if p != nil {
		title = "Seite „" + p.Title + "“ bearbeiten"
	}
	s.render(w, r, status, view.AdminPageForm(s.adminMeta(r, title), d))
}

// GET /admin/seiten/neu
func (s *Server) handleAdminPageNew(w http.ResponseWriter, r *http.Request) {
	s.renderPageForm(w, r, http.StatusOK, nil, view.PageForm{}, nil, nil)
}

// POST /admin/seiten
func (s *Server) handleAdminPageCreate(w http.ResponseWriter, r *http.Request) {
	f, errs := readPageForm(r, defus.Page{})
	if errs.Any() {
		s.renderPageForm(w, r, http.StatusUnprocessableEntity, nil, f, errs, nil)
		return
	}
	p := &f.Page
	if err := s.store.CreatePage(r.Context(), actor(r), p); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderPageForm(w, r, status, nil, f, errs, nil)
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
	s.renderPageForm(w, r, http.StatusOK, p, pageFormOf(p), nil, nil)
}

// POST /admin/seiten/{id}
func (s *Server) handleAdminPageUpdate(w http.ResponseWriter, r *http.Request) {
	p, err := s.pageOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readPageForm(r, *p)
	if errs.Any() {
		s.renderPageForm(w, r, http.StatusUnprocessableEntity, p, f, errs, nil)
		return
	}
	current, err := s.store.UpdatePage(r.Context(), actor(r), &f.Page)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderPageForm(w, r, status, p, f, errs, current)
		})
		return
	}
	s.flash(r, "Die Seite „"+f.Title+"“ ist gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/seiten/%d", p.ID), http.StatusSeeOther)
}

// POST /admin/seiten/vorschau shows the typed page as visitors would see it,
// without saving anything.
func (s *Server) handleAdminPagePreview(w http.ResponseWriter, r *http.Request) {
	f, _ := readPageForm(r, defus.Page{})
	p := f.Page
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
