package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// articleChoices are the topics, members and pictures the article form offers.
type articleChoices struct {
	memberChoices
	members []defus.Member
}

func (s *Server) articleChoices(ctx context.Context) (articleChoices, error) {
	mc, err := s.memberChoices(ctx)
	if err != nil {
		return articleChoices{}, err
	}
	members, _, err := s.store.FindMembersAdmin(ctx, defus.MemberListFilter{})
	if err != nil {
		return articleChoices{}, err
	}
	return articleChoices{memberChoices: mc, members: members}, nil
}

func (ch articleChoices) member(id int64) bool {
	return slices.ContainsFunc(ch.members, func(m defus.Member) bool { return m.ID == id })
}

// GET /admin/aktuelles
func (s *Server) handleAdminArticlesIndex(w http.ResponseWriter, r *http.Request) {
	f, page := readListFilter(r)
	articles, total, err := s.store.FindArticlesAdmin(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.ArticlesAdminData{Query: f.Query, State: f.State, Total: total, Articles: articles,
		Paging: paging(r, page, total), Now: s.now()}
	s.render(w, r, http.StatusOK, view.AdminArticlesIndex(s.adminMeta(r, "Aktuelles"), d))
}

// readArticleForm reads the article form over a (the id stays) and checks
// it: first what only the form knows (date and time as typed, choices
// from the lists offered), then the domain's rules.
func readArticleForm(r *http.Request, a defus.Article, ch articleChoices) (view.ArticleForm, defus.FieldErrors) {
	errs := defus.FieldErrors{}
	a.Kind = defus.ArticleKind(formText(r, "kind"))
	a.Title = formText(r, "title")
	a.Slug = formText(r, "slug")
	if a.Slug == "" {
		a.Slug = defus.Slugify(a.Title)
	}
	a.Lead = formText(r, "lead")
	a.Body = formText(r, "body")
	a.Interviewee = formText(r, "interviewee")
	a.Interview = formText(r, "interview")
	a.ImageAlt = formText(r, "image_alt")
	a.Published = formChecked(r, "published")
	a.Version = formVersion(r)
	f := view.ArticleForm{Date: formText(r, "date"), Time: formText(r, "time"), Image: formText(r, "image"), Member: formText(r, "member")}

	a.PublishedAt = timeOf(errs, f.Date, f.Time)
	a.ImageID = nil
	if f.Image != "" {
		id, err := strconv.ParseInt(f.Image, 10, 64)
		if img, found := ch.image(id); err != nil || !found {
			errs.Add("image", "Bitte wählen Sie ein Bild aus der Liste.")
		} else {
			a.ImageID, a.ImageName = &id, img.Name
		}
	}
	a.MemberID = nil
	if f.Member != "" {
		if id, err := strconv.ParseInt(f.Member, 10, 64); err != nil || !ch.member(id) {
			errs.Add("member", "Bitte wählen Sie ein Mitglied aus der Liste.")
		} else {
			a.MemberID = &id
		}
	}
	a.TopicIDs, f.Topics = readIDs(r, "topics", errs, "Bitte wählen Sie nur Themen aus der Liste.", func(id int64) bool { _, ok := ch.topic(id); return ok })
	a.MemberIDs, f.Members = readIDs(r, "members", errs, "Bitte wählen Sie nur Mitglieder aus der Liste.", ch.member)
	for field, msg := range a.Validate() {
		errs.Add(field, msg)
	}
	f.Article = a
	return f, errs
}

// timeOf reads the publication date and time (Berlin wall clock); both
// empty is the zero time (now, for a new article). Errors go to errs.
func timeOf(errs defus.FieldErrors, date, clock string) time.Time {
	if date == "" {
		if clock != "" {
			errs.Add("date", "Bitte geben Sie zur Uhrzeit auch das Datum an, zum Beispiel 24.11.2026.")
		}
		return time.Time{}
	}
	day, ok := defus.ParseDate(date)
	if !ok {
		errs.Add("date", "Bitte geben Sie das Datum als TT.MM.JJJJ an, zum Beispiel 24.11.2026.")
		return time.Time{}
	}
	h, m := 0, 0
	if clock != "" {
		if h, m, ok = defus.ParseClock(clock); !ok {
			errs.Add("time", "Bitte geben Sie die Uhrzeit als SS:MM an, zum Beispiel 09:30.")
			return time.Time{}
		}
	}
	t, ok := defus.BerlinClock(day, h, m)
	if !ok {
		errs.Add("time", "Diese Uhrzeit gibt es an diesem Tag wegen der Zeitumstellung nicht. Bitte wählen Sie eine andere.")
	}
	return t
}

// readIDs reads the ticked ids of a checkbox group, each one offered (ok);
// others give msg at the group.
func readIDs(r *http.Request, name string, errs defus.FieldErrors, msg string, ok func(int64) bool) ([]int64, []string) {
	var ids []int64
	var typed []string
	for _, v := range r.PostForm[name] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !ok(id) {
			errs.Add(name, msg)
			continue
		}
		if !slices.Contains(ids, id) {
			ids, typed = append(ids, id), append(typed, v)
		}
	}
	return ids, typed
}

// articleFormOf is the form of a stored article.
func articleFormOf(a *defus.Article) view.ArticleForm {
	f := view.ArticleForm{Article: *a,
		Date: a.PublishedAt.In(defus.Berlin).Format("2006-01-02"), Time: a.PublishedAt.In(defus.Berlin).Format("15:04")}
	if a.ImageID != nil {
		f.Image = strconv.FormatInt(*a.ImageID, 10)
	}
	if a.MemberID != nil {
		f.Member = strconv.FormatInt(*a.MemberID, 10)
	}
	for _, id := range a.TopicIDs {
		f.Topics = append(f.Topics, strconv.FormatInt(id, 10))
	}
	for _, id := range a.MemberIDs {
		f.Members = append(f.Members, strconv.FormatInt(id, 10))
	}
	return f
}

// renderArticleForm shows the article form: a as stored (nil for a new
// one), f as typed with its errors and, after a conflict, what is stored now.
func (s *Server) renderArticleForm(w http.ResponseWriter, r *http.Request, status int, a *defus.Article, ch articleChoices, f view.ArticleForm, errs defus.FieldErrors, current *defus.Article) {
	d := view.ArticleFormData{Article: a, Topics: ch.topics, Members: ch.members, Images: ch.images,
		Form: view.Form[view.ArticleForm]{Values: f, Errors: errs, Current: formOf(current, articleFormOf)}}
	title := "Neuer Beitrag"
	if a != nil {
		title = "Beitrag „" + a.Title + "“ bearbeiten"
	}
	s.render(w, r, status, view.AdminArticleForm(s.adminMeta(r, title), d))
}

// GET /admin/aktuelles/neu
func (s *Server) handleAdminArticleNew(w http.ResponseWriter, r *http.Request) {
	ch, err := s.articleChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderArticleForm(w, r, http.StatusOK, nil, ch, view.ArticleForm{Article: defus.Article{Kind: defus.ArticleNews}}, nil, nil)
}

// POST /admin/aktuelles
func (s *Server) handleAdminArticleCreate(w http.ResponseWriter, r *http.Request) {
	ch, err := s.articleChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readArticleForm(r, defus.Article{}, ch)
	if errs.Any() {
		s.renderArticleForm(w, r, http.StatusUnprocessableEntity, nil, ch, f, errs, nil)
		return
	}
	a := &f.Article
	if err := s.store.CreateArticle(r.Context(), actor(r), a); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderArticleForm(w, r, status, nil, ch, f, errs, nil)
		})
		return
	}
	s.flash(r, "Der Beitrag „"+a.Title+"“ ist angelegt.")
	http.Redirect(w, r, fmt.Sprintf("/admin/aktuelles/%d", a.ID), http.StatusSeeOther)
}

func (s *Server) articleOfRequest(r *http.Request) (*defus.Article, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindArticleByID(r.Context(), id)
}

// articleAndChoices is the article of the request with what its form offers.
func (s *Server) articleAndChoices(r *http.Request) (*defus.Article, articleChoices, error) {
	a, err := s.articleOfRequest(r)
	if err != nil {
		return nil, articleChoices{}, err
	}
	ch, err := s.articleChoices(r.Context())
	return a, ch, err
}

// GET /admin/aktuelles/{id}
func (s *Server) handleAdminArticleEdit(w http.ResponseWriter, r *http.Request) {
	a, ch, err := s.articleAndChoices(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderArticleForm(w, r, http.StatusOK, a, ch, articleFormOf(a), nil, nil)
}

// POST /admin/aktuelles/{id}
func (s *Server) handleAdminArticleUpdate(w http.ResponseWriter, r *http.Request) {
	a, ch, err := s.articleAndChoices(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readArticleForm(r, *a, ch)
	if errs.Any() {
		s.renderArticleForm(w, r, http.StatusUnprocessableEntity, a, ch, f, errs, nil)
		return
	}
	current, err := s.store.UpdateArticle(r.Context(), actor(r), &f.Article)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderArticleForm(w, r, status, a, ch, f, errs, current)
		})
		return
	}
	s.flash(r, "Der Beitrag „"+f.Title+"“ ist gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/aktuelles/%d", a.ID), http.StatusSeeOther)
}

// POST /admin/aktuelles/vorschau shows the typed article as visitors would
// see it, without saving anything.
func (s *Server) handleAdminArticlePreview(w http.ResponseWriter, r *http.Request) {
	ch, err := s.articleChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, _ := readArticleForm(r, defus.Article{}, ch)
	a := f.Article
	if a.Title == "" {
		a.Title = "(ohne Titel)"
	}
	if a.PublishedAt.IsZero() {
		a.PublishedAt = s.now()
	}
	a.Title, a.Lead, a.Body, a.Interview, a.Interviewee, a.ImageAlt = defus.CleanText(a.Title), defus.CleanText(a.Lead),
		defus.CleanText(a.Body), defus.CleanText(a.Interview), defus.CleanText(a.Interviewee), defus.CleanText(a.ImageAlt)
	if !a.Kind.Valid() {
		a.Kind = defus.ArticleNews
	}
	for _, t := range ch.topics {
		if slices.Contains(a.TopicIDs, t.ID) && t.Published {
			a.Topics = append(a.Topics, t)
		}
	}
	for _, m := range ch.members {
		if slices.Contains(a.MemberIDs, m.ID) {
			a.Members = append(a.Members, defus.ArticleMember{ID: m.ID, Slug: m.Slug, ShortName: m.ShortName, Name: m.Name})
		}
		if a.MemberID != nil && *a.MemberID == m.ID {
			a.Member = &defus.ArticleMember{ID: m.ID, Slug: m.Slug, ShortName: m.ShortName, Name: m.Name}
		}
	}
	d, err := s.articleData(r.Context(), a)
	if err != nil {
		s.error(w, r, err)
		return
	}
	m := s.meta(r, a.Title, a.Lead)
	m.Preview, m.NoIndex, m.Canonical, m.Path = true, true, "", a.Path()
	s.render(w, r, http.StatusOK, view.ArticleShow(m, d))
}

// GET /admin/aktuelles/{id}/loeschen asks before deleting.
func (s *Server) handleAdminArticleDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	a, err := s.articleOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.ConfirmDeleteData{
		Title: "Beitrag „" + a.Title + "“ löschen?",
		Text: "Der Beitrag verschwindet sofort von der Website und aus den Feeds; " + a.Path() +
			" führt dann zur Fehlerseite „Seite nicht gefunden“. Das Protokoll behält, dass er gelöscht wurde.",
		Action:  fmt.Sprintf("/admin/aktuelles/%d/loeschen", a.ID),
		Back:    fmt.Sprintf("/admin/aktuelles/%d", a.ID),
		Version: a.Version,
	}
	s.render(w, r, http.StatusOK, view.AdminConfirmDelete(s.adminMeta(r, d.Title), d))
}

// POST /admin/aktuelles/{id}/loeschen
func (s *Server) handleAdminArticleDelete(w http.ResponseWriter, r *http.Request) {
	a, err := s.articleOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.store.DeleteArticle(r.Context(), actor(r), a.ID, formVersion(r))
	s.answerDelete(w, r, err, deleted{
		done:   "Der Beitrag „" + a.Title + "“ ist gelöscht.",
		list:   "/admin/aktuelles",
		stale:  "Der Beitrag wurde inzwischen geändert. Bitte prüfen Sie ihn, bevor Sie ihn löschen.",
		record: fmt.Sprintf("/admin/aktuelles/%d", a.ID),
	})
}
