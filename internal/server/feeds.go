package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/markdown"
)

// feedEntries is how many of the newest articles a feed carries.
const feedEntries = 20

// atomFeed is an Atom feed (RFC 4287) as encoding/xml writes it.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Links      []atomLink     `xml:"link"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    atomText       `xml:"content"`
}

// atomTime writes t as RFC 3339 in UTC, as Atom's date constructs want.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// tagURI is a stable Atom id (RFC 4151) under the site's host: it names a
// record by its number, so it stays when the title or address changes.
func (s *Server) tagURI(date time.Time, specific string) string {
	return "tag:" + s.cfg.BaseURL.Hostname() + "," + date.In(defus.Berlin).Format("2006-01-02") + ":" + specific
}

// feedFounded is the date in the feeds' own ids: the association's founding.
var feedFounded = time.Date(2010, 5, 10, 0, 0, 0, 0, defus.Berlin)

// absolutise makes the site's own links and pictures in rendered HTML
// absolute, since a feed reader shows them away from the site.
func (s *Server) absolutise(h string) string {
	base := s.cfg.BaseURLString()
	return strings.NewReplacer(`href="/`, `href="`+base+`/`, `src="/`, `src="`+base+`/`).Replace(h)
}

// articleHTML is the whole article as HTML for a feed: picture, text and
// interview, sanitised like the page.
func (s *Server) articleHTML(a defus.Article) string {
	var b strings.Builder
	if a.ImageID != nil {
		fmt.Fprintf(&b, `<p><img src="/medien/%d/%s" alt="%s"></p>`, *a.ImageID, html.EscapeString(a.ImageName), html.EscapeString(a.ImageAlt))
	}
	if a.Lead != "" {
		b.WriteString("<p><strong>" + html.EscapeString(a.Lead) + "</strong></p>")
	}
	b.WriteString(markdown.HTML(a.Body))
	if qas, _ := defus.ParseInterview(a.Interview); len(qas) > 0 {
		if a.Interviewee != "" {
			b.WriteString("<p>Im Gespräch: " + html.EscapeString(a.Interviewee) + "</p>")
		}
		b.WriteString("<dl>")
		for _, qa := range qas {
			b.WriteString("<dt>" + html.EscapeString(qa.Question) + "</dt><dd>" + markdown.HTML(qa.Answer) + "</dd>")
		}
		b.WriteString("</dl>")
	}
	return s.absolutise(b.String())
}

// handleNewsFeed serves GET /aktuelles.atom: the newest visible articles.
func (s *Server) handleNewsFeed(w http.ResponseWriter, r *http.Request) {
	s.serveNewsFeed(w, r, nil)
}

// handleTopicFeed serves GET /themen/{slug}.atom: the newest visible
// articles of a topic; an old slug gets a 301.
func (s *Server) handleTopicFeed(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	t, err := findTopic(r.Context(), s, slug)
	if err != nil {
		s.errorOrMoved(w, r, err, defus.EntityTopic, slug, func(slug string) string { return "/themen/" + slug + ".atom" })
		return
	}
	s.serveNewsFeed(w, r, t)
}

// serveNewsFeed writes the feed of all articles, or of topic t, with an
// ETag (the hash of the body) and Last-Modified (the latest change of an
// article or publication date it shows), and answers 304 to a client that
// has it already.
func (s *Server) serveNewsFeed(w http.ResponseWriter, r *http.Request, t *defus.Topic) {
	ctx := r.Context()
	// Read before the articles, like the calendar's stamp (see calendarSite).
	changed, err := s.store.FindNewsChange(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	feed, lastMod, err := s.newsFeed(ctx, r, t)
	if err != nil {
		s.error(w, r, err)
		return
	}
	body, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		s.error(w, r, fmt.Errorf("write feed: %w", err))
		return
	}
	body = append([]byte(xml.Header), append(body, '\n')...)
	s.serveMachine(w, r, body, latest(changed, lastMod), "application/atom+xml; charset=utf-8", "")
}

// newsFeed builds the feed and says when its newest entry changed.
func (s *Server) newsFeed(ctx context.Context, r *http.Request, t *defus.Topic) (atomFeed, time.Time, error) {
	base := s.cfg.BaseURLString()
	f := defus.ArticleFilter{Now: s.now(), Limit: feedEntries}
	feed := atomFeed{Lang: "de", ID: s.tagURI(feedFounded, "aktuelles"), Title: "DEFUS – Aktuelles",
		Subtitle: "Meldungen, Interviews und Pressemitteilungen des Deutsch-Europäischen Forums für Urbane Sicherheit",
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/aktuelles.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/aktuelles"}}}
	if t != nil {
		f.TopicID = t.ID
		feed.ID = s.tagURI(feedFounded, "themen/"+strconv.FormatInt(t.ID, 10))
		feed.Title = "DEFUS – Aktuelles zum Thema " + t.Title
		feed.Links = []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/themen/" + t.Slug + ".atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/themen/" + t.Slug}}
	}
	feed.Author = atomPerson{Name: "Deutsch-Europäisches Forum für Urbane Sicherheit e.V.", URI: base + "/"}
	if a := s.site(r); a != nil && a.Name != "" {
		feed.Author.Name = a.Name
	}
	articles, _, err := s.store.FindArticles(ctx, f)
	if err != nil {
		return feed, time.Time{}, err
	}
	updated := time.Time{}
	for _, a := range articles {
		// Topics are read per entry: at most feedEntries small queries.
		full, err := s.store.FindArticle(ctx, a.Slug, f.Now)
		if err != nil {
			return feed, time.Time{}, err
		}
		e := atomEntry{
			ID:         s.tagURI(a.CreatedAt, "aktuelles/"+strconv.FormatInt(a.ID, 10)),
			Title:      a.Title,
			Updated:    atomTime(a.Revised()),
			Published:  atomTime(a.PublishedAt),
			Links:      []atomLink{{Rel: "alternate", Type: "text/html", Href: base + a.Path()}},
			Content:    atomText{Type: "html", Body: s.articleHTML(*full)},
			Categories: []atomCategory{{Term: a.Kind.Param(), Label: a.Kind.Label()}},
		}
		if a.Lead != "" {
			e.Summary = &atomText{Type: "text", Body: a.Lead}
		}
		if a.Member != nil {
			e.Author = &atomPerson{Name: a.Member.Name, URI: base + "/mitglieder/" + a.Member.Slug}
		}
		for _, tp := range full.Topics {
			e.Categories = append(e.Categories, atomCategory{Term: tp.Slug, Label: tp.Title})
		}
		feed.Entries = append(feed.Entries, e)
		updated = latest(updated, a.Revised())
	}
	if updated.IsZero() {
		updated = feedFounded
	}
	feed.Updated = atomTime(updated)
	return feed, updated, nil
}

// serveMachine writes a machine format (a calendar, a feed) with a
// validator pair. The body depends only on the data, so its hash is a
// stable ETag. lastMod is the latest change of anything in it, but never
// later than now (RFC 9110 §8.8.2.1). A matching If-None-Match (or,
// without one, an If-Modified-Since not older than lastMod) gets 304.
func (s *Server) serveMachine(w http.ResponseWriter, r *http.Request, body []byte, lastMod time.Time, contentType, filename string) {
	sum := sha256.Sum256(body)
	// Weak, because the compression middleware may change the bytes on the wire.
	etag := `W/"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=900")
	if now := s.now(); lastMod.After(now) {
		lastMod = now
	}
	if !lastMod.IsZero() {
		h.Set("Last-Modified", lastMod.UTC().Format(http.TimeFormat))
	}
	if notModified(r, etag, lastMod) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", contentType)
	if filename != "" {
		h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	}
	w.Write(body)
}
