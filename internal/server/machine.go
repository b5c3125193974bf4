package server

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"time"

	"defus.de/portal/internal/defus"
)

// handleHealthz serves GET /healthz: the process answers.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// handleReadyz serves GET /readyz: 200 when the database answers and its
// schema is the version this binary is written for, else 503, so a load
// balancer sends visitors elsewhere while a migration runs or the database
// is gone.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	notReady := func(msg string, args ...any) {
		s.log.WarnContext(r.Context(), "not ready: "+msg, args...)
		w.Header().Set("Retry-After", retryAfter)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, msg)
	}
	have, err := s.store.SchemaVersion(ctx)
	if err != nil {
		notReady("database unavailable", "err", err)
		return
	}
	if have != s.schemaVersion {
		notReady("schema version differs from the binary's", "database", have, "binary", s.schemaVersion)
		return
	}
	w.Write([]byte("ok\n"))
}

// handleRobots serves GET /robots.txt.
func (s *Server) handleRobots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("User-agent: *\nDisallow: /admin\nDisallow: /intern\n\nSitemap: " + s.cfg.BaseURLString() + "/sitemap.xml\n"))
}

// handleFavicon serves GET /favicon.ico, which browsers and feed readers
// ask for without reading a page, by pointing at the icon of the moment:
// the one made from the association's logo, or the SVG icon. The icon
// changes with the logo, so the redirect is temporary and cached briefly.
func (s *Server) handleFavicon(w http.ResponseWriter, r *http.Request) {
	target := s.assets.URL("img/favicon.svg")
	if a := s.site(r); a != nil && a.Logo != nil {
		target = a.Logo.IconURL(defus.IconFavicon)
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.Redirect(w, r, target, http.StatusFound)
}

// sitemapURL is one <url> of the sitemap.
type sitemapURL struct {
	Loc     string
	LastMod string // YYYY-MM-DD; "" for none
}

// sitemapXML renders the sitemap for the given absolute URLs, as
// encoding/xml would indent it, written directly: thousands of <url>s
// through reflection cost more than reading them from the database.
func sitemapXML(urls []sitemapURL) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(130 * (len(urls) + 2)) // about what a <url> takes
	b.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	text := func(s string) error {
		if plainXML(s) {
			b.WriteString(s)
			return nil
		}
		return xml.EscapeText(&b, []byte(s))
	}
	for _, u := range urls {
		b.WriteString("\n  <url>\n    <loc>")
		if err := text(u.Loc); err != nil {
			return nil, err
		}
		b.WriteString("</loc>")
		if u.LastMod != "" {
			b.WriteString("\n    <lastmod>")
			if err := text(u.LastMod); err != nil {
				return nil, err
			}
			b.WriteString("</lastmod>")
		}
		b.WriteString("\n  </url>")
	}
	b.WriteString("\n</urlset>\n")
	return b.Bytes(), nil
}

// plainXML reports whether s is printable ASCII that XML text takes as it
// is (as nearly every address of the sitemap is: slugs are [a-z0-9-]).
func plainXML(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '&', c == '<', c == '>', c == '"', c == '\'':
			return false
		}
	}
	return true
}

// handleSitemap serves GET /sitemap.xml with every published public page.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	base := s.cfg.BaseURLString()
	day := func(t time.Time) string { return t.In(defus.Berlin).Format("2006-01-02") }
	urls := []sitemapURL{{Loc: base + "/"}, {Loc: base + "/mitglieder"}, {Loc: base + "/termine"},
		{Loc: base + "/termine/archiv"}, {Loc: base + "/themen"}}

	pages, err := s.store.FindPages(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, p := range pages {
		if p.Slug == defus.HomeSlug {
			urls[0].LastMod = day(p.UpdatedAt)
			continue
		}
		urls = append(urls, sitemapURL{Loc: base + "/" + p.Slug, LastMod: day(p.UpdatedAt)})
	}
	urls = append(urls, sitemapURL{Loc: base + "/mitgliedschaft/anfrage"})
	entries, err := s.store.FindSitemapEntries(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	paths := map[string]string{"member": "/mitglieder/", "topic": "/themen/", "event": "/termine/"}
	for _, e := range entries {
		urls = append(urls, sitemapURL{Loc: base + paths[e.Kind] + e.Slug, LastMod: day(e.UpdatedAt)})
	}
	urls = append(urls, sitemapURL{Loc: base + "/aktuelles"})
	articles, _, err := s.store.FindArticles(ctx, defus.ArticleFilter{Now: s.now()})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, a := range articles {
		urls = append(urls, sitemapURL{Loc: base + a.Path(), LastMod: day(a.Revised())})
	}
	body, err := sitemapXML(urls)
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(body)
}
