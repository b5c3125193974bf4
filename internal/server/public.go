package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// handleHome serves GET /.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	stats, err := s.store.FindMemberStats(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	assoc, err := s.association(r) // the layout shows it too
	if err != nil {
		s.error(w, r, err)
		return
	}
	topics, err := s.store.FindTopics(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	events, err := s.store.FindEvents(ctx, defus.EventFilter{Now: s.now(), Period: defus.PeriodUpcoming, Limit: 3})
	if err != nil {
		s.error(w, r, err)
		return
	}
	news, err := s.newsSection(ctx, defus.ArticleFilter{}, "/aktuelles", "/aktuelles.atom")
	if err != nil {
		s.error(w, r, err)
		return
	}
	intro, err := s.store.FindPage(ctx, defus.HomeSlug)
	if err != nil && !errors.Is(err, defus.ErrNotFound) {
		s.error(w, r, err)
		return
	}
	m := s.meta(r, "", "DEFUS verbindet Städte und Organisationen in Deutschland, die sich für urbane Sicherheit und kommunale Kriminalprävention einsetzen.")
	if intro != nil && intro.Summary != "" {
		m.Description = intro.Summary
	}
	s.render(w, r, http.StatusOK, view.Home(m, view.HomeData{
		Stats:        stats,
		FoundedYear:  assoc.FoundedOn.Year(),
		FoundedPlace: assoc.FoundedPlace,
		Topics:       topics,
		Events:       events,
		Intro:        intro,
		News:         news,
		Now:          s.now(),
	}))
}

// GET /{slug}: a content page the office edits (/ueber-uns, /impressum, …);
// an old slug of a page gets a 301 to its address now.
func (s *Server) handlePageShow(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	if !defus.ValidSlug(slug) {
		s.handleNotFound(w, r)
		return
	}
	if slug == defus.HomeSlug { // its text opens the home page
		http.Redirect(w, r, "/", http.StatusMovedPermanently)
		return
	}
	p, err := s.store.FindPage(r.Context(), slug)
	if err != nil {
		s.errorOrMoved(w, r, err, defus.EntityPage, slug, func(slug string) string { return "/" + slug })
		return
	}
	s.render(w, r, http.StatusOK, view.PageShow(s.meta(r, p.Title, p.Summary), *p))
}

// handleTopicsIndex serves GET /themen.
func (s *Server) handleTopicsIndex(w http.ResponseWriter, r *http.Request) {
	topics, err := s.store.FindTopics(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	m := s.meta(r, "Themen", "Die Themenschwerpunkte des DEFUS-Netzwerks und die Mitglieder, die daran arbeiten.")
	s.render(w, r, http.StatusOK, view.TopicsIndex(m, topics))
}

// handleTopicShow serves GET /themen/{slug}; an old slug of the topic gets
// a 301 to its address now.
func (s *Server) handleTopicShow(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	t, err := s.store.FindTopic(r.Context(), slug)
	if err != nil {
		s.errorOrMoved(w, r, err, defus.EntityTopic, slug, func(slug string) string { return "/themen/" + slug })
		return
	}
	members, err := s.store.FindMembers(r.Context(), defus.MemberFilter{TopicID: t.ID})
	if err != nil {
		s.error(w, r, err)
		return
	}
	events, err := s.relatedEvents(r.Context(), defus.EventFilter{TopicID: t.ID}, "/termine?thema="+t.Slug)
	if err != nil {
		s.error(w, r, err)
		return
	}
	news, err := s.newsSection(r.Context(), defus.ArticleFilter{TopicID: t.ID}, "/aktuelles?thema="+t.Slug, "/themen/"+t.Slug+".atom")
	if err != nil {
		s.error(w, r, err)
		return
	}
	m := s.meta(r, t.Title, t.Summary)
	m.Feeds = []view.FeedLink{{Title: "DEFUS – Aktuelles zum Thema " + t.Title, Href: "/themen/" + t.Slug + ".atom"}}
	s.render(w, r, http.StatusOK, view.TopicShow(m, view.TopicData{Topic: *t, Members: members, Events: events, News: news}))
}
