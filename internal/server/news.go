package server

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// newsPageSize is how many articles a page of /aktuelles lists.
const newsPageSize = 10

// newsQuery is the article filter of /aktuelles as understood.
type newsQuery struct {
	filter defus.ArticleFilter
	kind   string
	topic  string
	year   string
	notes  []string
	moved  url.Values // the query with a renamed topic's slug now; nil when none moved
}

// parseNewsQuery reads ?art, ?thema and ?jahr. Values it does not know are
// dropped with a German note; a topic named by an old slug sets moved.
func (s *Server) parseNewsQuery(ctx context.Context, q url.Values) (newsQuery, error) {
	var nq newsQuery
	if v := q.Get("art"); v != "" {
		if k, ok := defus.ArticleKindFromParam(v); ok {
			nq.filter.Kind, nq.kind = k, v
		} else {
			nq.notes = append(nq.notes, fmt.Sprintf("Die Art „%s“ gibt es nicht. Es werden Beiträge aller Arten gezeigt.", cleanParam(v)))
		}
	}
	if v := q.Get("thema"); v != "" {
		t, err := findTopic(ctx, s, v)
		switch {
		case err == nil:
			nq.filter.TopicID, nq.topic = t.ID, t.Slug
		case errors.Is(err, defus.ErrNotFound):
			now, err := s.movedSlug(ctx, defus.EntityTopic, v)
			switch {
			case err == nil:
				nq.moved = maps.Clone(q)
				nq.moved.Set("thema", now)
			case errors.Is(err, defus.ErrNotFound):
				nq.notes = append(nq.notes, fmt.Sprintf("Das Thema „%s“ gibt es nicht. Es werden Beiträge zu allen Themen gezeigt.", cleanParam(v)))
			default:
				return nq, err
			}
		default:
			return nq, err
		}
	}
	if v := q.Get("jahr"); v != "" {
		if y, err := strconv.Atoi(v); err == nil && defus.ValidYear(y) && len(v) == 4 {
			nq.filter.Year, nq.year = y, v
		} else {
			nq.notes = append(nq.notes, fmt.Sprintf("Das Jahr „%s“ gibt es nicht (erwartet wird zum Beispiel 2026). Es werden alle Jahre gezeigt.", cleanParam(v)))
		}
	}
	return nq, nil
}

// handleNewsIndex serves GET /aktuelles: the visible articles, newest
// first, filtered by kind, topic and year, ten a page.
func (s *Server) handleNewsIndex(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	nq, err := s.parseNewsQuery(ctx, r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	if nq.moved != nil {
		movedPermanently(w, r, r.URL.Path+"?"+nq.moved.Encode())
		return
	}
	page := pageNumber(r.URL.Query())
	f := nq.filter
	f.Now, f.Limit, f.Offset = s.now(), newsPageSize, (page-1)*newsPageSize
	articles, total, err := s.store.FindArticles(ctx, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	topics, err := s.publishedTopics(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	years, err := s.store.FindArticleYears(ctx, f.Now)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.NewsIndexData{Articles: articles, Total: total, Kind: nq.kind, Topic: nq.topic, Year: nq.year,
		Topics: topics, Years: years, Notes: nq.notes,
		Paging: view.Paging{Page: page, Pages: max((total+newsPageSize-1)/newsPageSize, 1), Base: r.URL.Path, Query: r.URL.Query()}}
	m := s.meta(r, "Aktuelles", "Meldungen, Interviews und Pressemitteilungen aus dem DEFUS-Netzwerk für urbane Sicherheit.")
	s.render(w, r, http.StatusOK, view.NewsIndex(m, d))
}

// publishedTopics lists the published topics, pillars first.
func (s *Server) publishedTopics(ctx context.Context) ([]defus.Topic, error) {
	counts, err := s.store.FindTopics(ctx)
	if err != nil {
		return nil, err
	}
	topics := make([]defus.Topic, len(counts))
	for i, t := range counts {
		topics[i] = t.Topic
	}
	return topics, nil
}

// handleArticleShow serves GET /aktuelles/{slug}: one visible article with
// its topics, members and related articles; an old slug gets a 301.
func (s *Server) handleArticleShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	if !defus.ValidSlug(slug) {
		s.handleNotFound(w, r)
		return
	}
	a, err := s.store.FindArticle(ctx, slug, s.now())
	if err != nil {
		s.errorOrMoved(w, r, err, defus.EntityArticle, slug, func(slug string) string { return "/aktuelles/" + slug })
		return
	}
	d, err := s.articleData(ctx, *a)
	if err != nil {
		s.error(w, r, err)
		return
	}
	desc := a.Lead
	if desc == "" {
		desc = a.Kind.Label() + " aus dem DEFUS-Netzwerk"
	}
	s.render(w, r, http.StatusOK, view.ArticleShow(s.meta(r, a.Title, desc), d))
}

// articleData is the page of a: its interview read into questions and
// answers, and up to three related articles (same first topic, else the newest).
func (s *Server) articleData(ctx context.Context, a defus.Article) (view.ArticleData, error) {
	d := view.ArticleData{Article: a}
	d.Interview, _ = defus.ParseInterview(a.Interview) // stored only when it parsed
	if a.ID == 0 {
		return d, nil // a preview of a new article
	}
	f := defus.ArticleFilter{Now: s.now(), Limit: 3, Exclude: a.ID}
	if len(a.Topics) > 0 {
		f.TopicID = a.Topics[0].ID
	}
	related, _, err := s.store.FindArticles(ctx, f)
	if err != nil {
		return d, err
	}
	d.Related = related
	return d, nil
}

// newsSection is up to three visible articles of f for another page.
func (s *Server) newsSection(ctx context.Context, f defus.ArticleFilter, more, feed string) (view.NewsSection, error) {
	f.Now, f.Limit = s.now(), 3
	articles, _, err := s.store.FindArticles(ctx, f)
	return view.NewsSection{Articles: articles, MoreHref: more, FeedHref: feed}, err
}

// searchPageSize is how many hits a page of /suche lists.
const searchPageSize = 20

// handleSearch serves GET /suche?q=…&art=…: the search form, and for a
// query the hits of everything public (for logged-in accounts also what
// only members see), best first. Whatever is typed is read into words and
// phrases of letters and digits only (defus.ParseSearch), so no input can
// make a query the database refuses.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	typed := strings.TrimSpace(q.Get("q"))
	if rs := []rune(typed); len(rs) > defus.MaxSearchLen {
		typed = string(rs[:defus.MaxSearchLen])
	}
	d := view.SearchData{Query: defus.CleanText(typed), Members: currentUser(ctx) != nil}
	w.Header().Set("Vary", "Cookie")
	if d.Members {
		w.Header().Set("Cache-Control", "no-store")
	}
	if v := q.Get("art"); v != "" {
		if defus.SearchKind(v).Valid() {
			d.Kind = v
		} else {
			d.Notes = append(d.Notes, fmt.Sprintf("Die Art „%s“ gibt es nicht. Es werden Ergebnisse aller Arten gezeigt.", cleanParam(v)))
		}
	}
	sq := defus.ParseSearch(typed)
	title := "Suche"
	if typed != "" && sq.Empty() {
		d.Notes = append(d.Notes, "Bitte geben Sie mindestens ein Wort mit zwei oder mehr Buchstaben oder Ziffern ein.")
	}
	if !sq.Empty() {
		d.Searched = sq.String()
		title = "Suche nach „" + d.Query + "“"
		page := pageNumber(q)
		hits, counts, err := s.store.Search(ctx, defus.SearchFilter{Query: sq, Kind: defus.SearchKind(d.Kind), Members: d.Members,
			Now: s.now(), Limit: searchPageSize, Offset: (page - 1) * searchPageSize})
		if err != nil {
			s.error(w, r, err)
			return
		}
		d.Hits, d.Counts = hits, counts
		n := d.Total()
		if d.Kind != "" {
			n = counts[defus.SearchKind(d.Kind)]
		}
		d.Paging = view.Paging{Page: page, Pages: max((n+searchPageSize-1)/searchPageSize, 1), Base: r.URL.Path, Query: q}
		if d.Total() == 0 {
			if d.Topics, err = s.store.FindTopics(ctx); err != nil {
				s.error(w, r, err)
				return
			}
		}
	}
	m := s.meta(r, title, "Durchsuchen Sie Mitglieder, Termine, Themen, Beiträge und Seiten von DEFUS.")
	m.NoIndex = typed != ""
	s.render(w, r, http.StatusOK, view.SearchPage(m, d))
}
