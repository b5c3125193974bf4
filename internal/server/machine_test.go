package server_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/dbtest"
)

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	get(t, ts, "/healthz", http.StatusOK)
	get(t, ts, "/readyz", http.StatusOK)
}

// brokenServer runs the real handler over a pool whose database is gone.
func brokenServer(t *testing.T) string {
	t.Helper()
	dbtest.Pool(t)
	pool, err := pgxpool.New(context.Background(), dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	pool.Close()
	return newServer(t, pool).URL
}

func TestReadyzWithoutDatabase(t *testing.T) {
	t.Parallel()
	base := brokenServer(t)
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.StatusCode, http.StatusServiceUnavailable; got != want {
		t.Errorf("/readyz status = %d, want %d", got, want)
	}
	resp, err = http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz status = %d without database, want 200: the process still answers", resp.StatusCode)
	}
}

func TestServerErrorPageHidesInternals(t *testing.T) {
	t.Parallel()
	base := brokenServer(t)
	req, _ := http.NewRequest(http.MethodGet, base+"/mitglieder", nil)
	resp, body := request(t, req, http.StatusInternalServerError)
	d := doc(t, body)
	id := resp.Header.Get("X-Request-Id")
	if id == "" || !strings.Contains(d.Find(".request-id").Text(), id) {
		t.Errorf("500 page does not show the request id %q", id)
	}
	for _, leak := range []string{"pool", "SELECT", "goroutine", ".go:", "closed"} {
		if strings.Contains(body, leak) {
			t.Errorf("500 page leaks %q", leak)
		}
	}
	if d.Find(`link[rel=stylesheet]`).Length() != 1 || d.Find("h1").Text() == "" {
		t.Error("500 page is not the styled German page")
	}
}

func TestStaticAssets(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/", http.StatusOK)
	css := doc(t, body).Find(`link[rel=stylesheet]`).AttrOr("href", "")
	if !regexp.MustCompile(`^/static/css/site\.[0-9a-f]{10}\.css$`).MatchString(css) {
		t.Fatalf("stylesheet URL %q carries no content hash", css)
	}
	resp, _ := get(t, ts, css, http.StatusOK)
	if got := resp.Header.Get("Cache-Control"); !strings.Contains(got, "max-age=31536000") || !strings.Contains(got, "immutable") {
		t.Errorf("Cache-Control = %q", got)
	}
	if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/css") {
		t.Errorf("Content-Type = %q", got)
	}
	// Unknown names and every trick to climb out of the asset folder: 404.
	for _, p := range []string{"/static/css/site.css", "/static/../go.mod", "/static/%2e%2e/go.mod",
		"/static/..%2fgo.mod", "/static/css%2f..%2f..%2fgo.mod", "/static/web.go", "/static//etc/passwd"} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+p, nil)
		req.URL.RawPath = p // send it as written
		req.URL.Opaque = p
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("%s: status 200, want not found", p)
		}
	}
}

func TestRobotsAndSitemap(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, robots := get(t, ts, "/robots.txt", http.StatusOK)
	if !strings.Contains(robots, "Sitemap: https://www.defus.example/sitemap.xml") || !strings.Contains(robots, "Disallow: /admin") {
		t.Errorf("robots.txt = %q", robots)
	}
	resp, sm := get(t, ts, "/sitemap.xml", http.StatusOK)
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xml") {
		t.Errorf("Content-Type = %q", resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"<loc>https://www.defus.example/</loc>", "<loc>https://www.defus.example/mitglieder/goettingen</loc>",
		"<loc>https://www.defus.example/themen/urbane-resilienz</loc>", "<loc>https://www.defus.example/impressum</loc>"} {
		if !strings.Contains(sm, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	if got := strings.Count(sm, "/mitglieder/"); got != 20 {
		t.Errorf("sitemap has %d member URLs, want 20", got)
	}
}

func TestRequestLimits(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	// A declared oversized body is refused before it is read.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/", strings.NewReader("x"))
	req.ContentLength = 50 << 20
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("oversized POST: status %d, want 413", resp.StatusCode)
		}
	}
	// A cross-site POST is refused.
	req, _ = http.NewRequest(http.MethodPost, ts.URL+"/mitglieder", strings.NewReader("a=b"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	request(t, req, http.StatusForbidden)
}

// TestQueriesPerPageAreBounded shows each page runs as many queries with 20
// members as with 60.
func TestQueriesPerPageAreBounded(t *testing.T) {
	t.Parallel()
	pool, n := countingPool(t)
	ts := newServer(t, pool)
	paths := []string{"/", "/mitglieder", "/mitglieder/essen", "/themen", "/themen/urbane-resilienz", "/sitemap.xml", "/impressum",
		"/termine", "/termine/archiv", "/termine?thema=kommunale-praevention&gastgeber=hannover", "/termine/kalender/2026/12",
		"/termine.ics", "/termine/29-mitgliederversammlung-2025"}
	count := func() map[string]int64 {
		out := map[string]int64{}
		for _, p := range paths {
			n.Store(0)
			get(t, ts, p, http.StatusOK)
			out[p] = n.Load()
		}
		return out
	}
	before := count()
	ctx := context.Background()
	for i := 0; i < 40; i++ {
		_, err := pool.Exec(ctx, `
WITH m AS (INSERT INTO members (slug, name, short_name, kind, state, lat, lon)
           VALUES ($1, $2, $2, 'city', 'Hessen', 50.1, 8.6) RETURNING id)
INSERT INTO member_topics (member_id, topic_id) SELECT m.id, t.id FROM m, topics t`,
			fmt.Sprintf("teststadt-%d", i), fmt.Sprintf("Teststadt %d", i))
		if err != nil {
			t.Fatal(err)
		}
		_, err = pool.Exec(ctx, `
WITH e AS (INSERT INTO events (slug, title, kind, starts_at, ends_at, host_member_id)
           SELECT $1, $1, 'workshop', '2026-12-10 10:00+01', '2026-12-10 12:00+01', id FROM members WHERE slug = 'essen' RETURNING id)
INSERT INTO event_topics (event_id, topic_id) SELECT e.id, t.id FROM e, topics t`, fmt.Sprintf("testtermin-%d", i))
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		pool.Exec(ctx, `DELETE FROM members WHERE slug LIKE 'teststadt-%'`)
		pool.Exec(ctx, `DELETE FROM events WHERE slug LIKE 'testtermin-%'`)
	})
	after := count()
	for _, p := range paths {
		// 7: the home page and profiles have a section of news of their own.
		if before[p] != after[p] || after[p] > 7 {
			t.Errorf("%s: %d queries with 20 members, %d with 60", p, before[p], after[p])
		}
	}
}

func TestHeadIsAnsweredLikeGet(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	for _, p := range []string{"/", "/termine.ics", "/mitglieder/essen", "/sitemap.xml"} {
		req, _ := http.NewRequest(http.MethodHead, ts.URL+p, nil)
		resp, body := request(t, req, http.StatusOK)
		if body != "" || resp.Header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s: body %d bytes, Content-Type %q", p, len(body), resp.Header.Get("Content-Type"))
		}
	}
	req, _ := http.NewRequest(http.MethodHead, ts.URL+"/gibt-es-nicht", nil)
	request(t, req, http.StatusNotFound)
}
