package server_test

import (
	"compress/gzip"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/brotli"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
	"defus.de/portal/internal/testclock"
)

// cachedSite is an instance of the portal with its page cache on: it
// listens for changes as `defus serve` does.
type cachedSite struct {
	ts  *httptest.Server
	srv *server.Server
	st  *store.Store // the instance's store: its writes are the instance's
	app string       // application_name of its listening connection
	off atomic.Bool  // when set, the listening connection cannot be opened
}

var listenerNumber atomic.Int64

func startCachedSite(t testing.TB, pool *pgxpool.Pool, now func() time.Time) *cachedSite {
	t.Helper()
	c := &cachedSite{st: store.New(pool, now)}
	c.ts = startSite(t, pool, siteOptions{now: now, store: c.st, configure: func(s *server.Server) { c.srv = s }})
	c.app = "defus_listen_" + strconv.FormatInt(listenerNumber.Add(1), 10) + "_" + rand.Text()[:8]
	cfg := pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = c.app
	connect := func(ctx context.Context) (*pgx.Conn, error) {
		if c.off.Load() {
			return nil, context.DeadlineExceeded
		}
		return pgx.ConnectConfig(ctx, cfg.Copy())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.srv.WatchChanges(ctx, connect) }()
	t.Cleanup(func() { cancel(); <-done })
	c.waitLive(t, true)
	return c
}

// waitLive waits until the cache is on (or off).
func (c *cachedSite) waitLive(t testing.TB, live bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); c.srv.PageCache().Live() != live; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("page cache live = %v, want %v", !live, live)
		}
	}
}

// sync returns once the instance has heard every change committed so far.
func (c *cachedSite) sync(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.srv.SyncChanges(ctx); err != nil {
		t.Fatal(err)
	}
}

// fetchPage GETs path with headers (name, value, …) and returns the answer and
// its body, decoded.
func fetchPage(t *testing.T, ts *httptest.Server, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	switch resp.Header.Get("Content-Encoding") {
	case "gzip":
		if r, err = gzip.NewReader(resp.Body); err != nil {
			t.Fatal(err)
		}
	case "br":
		r = brotli.NewReader(resp.Body)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// changeSilently changes the title of the topic "kriminalpraevention"
// behind the portal's back: no notification, so only a page that is not
// kept shows it.
func changeSilently(t *testing.T, pool *pgxpool.Pool, title string) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `UPDATE topics SET title = $1 WHERE id = (SELECT min(id) FROM topics WHERE published)`, title); err != nil {
		t.Fatal(err)
	}
}

func TestPageCacheServesCompressedFormsWithStrongETag(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	c := startCachedSite(t, pool, testClock)

	_, plain := fetchPage(t, c.ts, "/themen")
	// A kept page is answered before the route table and its middlewares,
	// with what every answer carries all the same.
	first, _ := fetchPage(t, c.ts, "/themen")
	second, _ := fetchPage(t, c.ts, "/themen")
	for _, resp := range []*http.Response{first, second} {
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("a kept page without the security headers: %v", resp.Header)
		}
	}
	if a, b := first.Header.Get("X-Request-Id"), second.Header.Get("X-Request-Id"); a == "" || a == b {
		t.Errorf("kept pages' request ids %q and %q, want one each", a, b)
	}
	for _, enc := range []string{"br", "gzip"} {
		resp, body := fetchPage(t, c.ts, "/themen", "Accept-Encoding", enc)
		if got := resp.Header.Get("Content-Encoding"); got != enc {
			t.Errorf("Accept-Encoding %s: Content-Encoding %q", enc, got)
		}
		if body != plain {
			t.Errorf("%s: the decoded page differs from the plain one", enc)
		}
		etag := resp.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) {
			t.Errorf("%s: ETag %q, want a strong one", enc, etag)
		}
		if v := resp.Header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") || !strings.Contains(v, "Cookie") {
			t.Errorf("%s: Vary %q", enc, v)
		}
		again, body := fetchPage(t, c.ts, "/themen", "Accept-Encoding", enc, "If-None-Match", etag)
		if again.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("%s with If-None-Match: status %d, %d bytes; want 304 without body", enc, again.StatusCode, len(body))
		}
	}
	resp, _ := fetchPage(t, c.ts, "/themen", "Accept-Encoding", "gzip;q=0, br;q=0")
	if enc := resp.Header.Get("Content-Encoding"); enc != "" {
		t.Errorf("every coding refused: Content-Encoding %q", enc)
	}
	// The page is kept: a change nobody announced does not show.
	changeSilently(t, pool, "Ungesehenes Thema")
	if _, body := fetchPage(t, c.ts, "/themen"); strings.Contains(body, "Ungesehenes Thema") {
		t.Error("the page was made again: it was not kept")
	}
	// Pages with a form token are never kept.
	_, a := fetchPage(t, c.ts, "/mitgliedschaft/anfrage")
	_, b := fetchPage(t, c.ts, "/mitgliedschaft/anfrage")
	if a == b {
		t.Error("the enquiry form was served twice with the same token")
	}
}

func TestPageCacheChangeOnOneInstanceShowsOnTheOther(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	a := startCachedSite(t, pool, testClock)
	b := startCachedSite(t, pool, testClock)
	ctx := context.Background()
	st := a.st // instance a's writes, as its handlers make them

	topics, err := st.FindAllTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := st.FindTopicByID(ctx, topics[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, site := range []*cachedSite{a, b} {
		if _, body := fetchPage(t, site.ts, "/themen"); !strings.Contains(body, tp.Title) {
			t.Fatalf("/themen lacks %q", tp.Title)
		}
	}
	tp.Title = "Sicherheit im Quartier neu gedacht"
	if _, err := st.UpdateTopic(ctx, defus.Actor{Name: "Test"}, tp); err != nil {
		t.Fatal(err)
	}
	// Instance a made the change and knows at once.
	if _, body := fetchPage(t, a.ts, "/themen"); !strings.Contains(body, tp.Title) {
		t.Error("instance a serves the old /themen after its own change")
	}
	b.sync(t)
	if _, body := fetchPage(t, b.ts, "/themen"); !strings.Contains(body, tp.Title) {
		t.Error("instance b serves the old /themen after the change on instance a")
	}
}

func TestPageCacheRolledBackChangeInvalidatesNothing(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	c := startCachedSite(t, pool, testClock)
	ctx := context.Background()
	fetchPage(t, c.ts, "/themen")

	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, store.ChangesChannel, defus.EntityTopic); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	// A store write that fails rolls back its audit entry and notification.
	st := store.New(pool, testClock)
	tp, err := st.FindTopic(ctx, "kriminalpraevention")
	if err == nil {
		tp.Version-- // stale: refused after reading
		if _, err := st.UpdateTopic(ctx, defus.Actor{Name: "Test"}, tp); err == nil {
			t.Fatal("a stale version was saved")
		}
	}
	changeSilently(t, pool, "Ungesehenes Thema")
	c.sync(t)
	if _, body := fetchPage(t, c.ts, "/themen"); strings.Contains(body, "Ungesehenes Thema") {
		t.Error("a rolled-back change flushed the page cache")
	}
}

func TestPageCacheNeverSharesAPersonsPage(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	c := startCachedSite(t, pool, testClock)

	// A request with a session cookie fills nothing…
	fetchPage(t, c.ts, "/", "Cookie", "defus_session=abc")
	if n, _ := c.srv.PageCache().Len(); n != 0 {
		t.Fatalf("%d pages kept after a request with a session cookie", n)
	}
	changeSilently(t, pool, "Thema für alle")
	if _, body := fetchPage(t, c.ts, "/"); !strings.Contains(body, "Thema für alle") {
		t.Error("an anonymous visitor got a page made for a logged-in person")
	}
	// …and reads nothing: the anonymous page is kept, a member gets the page made now.
	changeSilently(t, pool, "Thema für Mitglieder")
	if _, body := fetchPage(t, c.ts, "/"); strings.Contains(body, "Thema für Mitglieder") {
		t.Fatal("the anonymous page was not kept")
	}
	resp, body := fetchPage(t, c.ts, "/", "Cookie", "defus_session=abc")
	if !strings.Contains(body, "Thema für Mitglieder") {
		t.Error("a request with a session cookie got the shared page")
	}
	if v := resp.Header.Get("Vary"); !strings.Contains(v, "Cookie") {
		t.Errorf("Vary %q without Cookie", v)
	}
}

func TestPageCacheTurnsOverWithTime(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	clk := testclock.New(testNow)
	c := startCachedSite(t, pool, clk.Now)
	ctx := context.Background()
	st := store.New(pool, clk.Now)
	upcoming, err := st.FindEvents(ctx, defus.EventFilter{Now: testNow, Period: defus.PeriodUpcoming})
	if err != nil {
		t.Fatal(err)
	}
	// An event that starts after tomorrow: its countdown changes at midnight.
	var e defus.Event
	for _, u := range upcoming {
		if defus.DaysBetween(testNow, u.StartsAt) >= 2 {
			e = u
			break
		}
	}
	if e.ID == 0 {
		t.Fatal("the seed has no event two days ahead")
	}
	countdown := func() (string, bool) {
		_, body := fetchPage(t, c.ts, "/termine")
		d := doc(t, body)
		li := d.Find(`a[href="/termine/` + e.Slug + `"]`).Closest("li")
		return strings.TrimSpace(li.Find(".event-countdown").Text()), li.Length() > 0
	}
	if got, ok := countdown(); !ok || got != e.Countdown(testNow) {
		t.Fatalf("countdown %q (listed %v), want %q", got, ok, e.Countdown(testNow))
	}
	b := testNow.In(defus.Berlin)
	midnight := time.Date(b.Year(), b.Month(), b.Day()+1, 0, 0, 0, 0, defus.Berlin)
	clk.Add(midnight.Sub(testNow) - time.Nanosecond)
	if got, _ := countdown(); got != e.Countdown(testNow) {
		t.Errorf("a moment before midnight: countdown %q, want %q", got, e.Countdown(testNow))
	}
	clk.Add(time.Nanosecond)
	if got, _ := countdown(); got != e.Countdown(midnight) || got == e.Countdown(testNow) {
		t.Errorf("at midnight in Berlin: countdown %q, want %q", got, e.Countdown(midnight))
	}
	// At its end the event leaves the upcoming ones for the archive.
	clk.Add(e.EndsAt.Sub(clk.Now()))
	if _, ok := countdown(); ok && !e.Upcoming(e.EndsAt) {
		t.Error("the event is still listed as upcoming at its end")
	}
	_, body := fetchPage(t, c.ts, "/termine/archiv")
	if !strings.Contains(body, `href="/termine/`+e.Slug+`"`) {
		t.Error("the event is not in the archive at its end")
	}
}

func TestPageCacheOffWhileNotificationsAreLost(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	c := startCachedSite(t, pool, testClock)
	ctx := context.Background()
	fetchPage(t, c.ts, "/themen")

	c.off.Store(true)
	if _, err := pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, c.app); err != nil {
		t.Fatal(err)
	}
	c.waitLive(t, false)
	changeSilently(t, pool, "Frisch aus der Datenbank")
	if _, body := fetchPage(t, c.ts, "/themen"); !strings.Contains(body, "Frisch aus der Datenbank") {
		t.Error("without notifications a kept page was served")
	}
	c.off.Store(false)
	c.waitLive(t, true)
	changeSilently(t, pool, "Nach dem Wiederverbinden")
	if _, body := fetchPage(t, c.ts, "/themen"); !strings.Contains(body, "Nach dem Wiederverbinden") {
		t.Error("after reconnecting, a page from before was served")
	}
}

func TestPageCacheKeepsNoMadeUpQueries(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	c := startCachedSite(t, pool, testClock)
	for i := range 200 {
		fetchPage(t, c.ts, "/termine?x="+strconv.Itoa(i))
		fetchPage(t, c.ts, "/termine?art=unbekannt"+strconv.Itoa(i))
		fetchPage(t, c.ts, "/mitglieder?land=Atlantis"+strconv.Itoa(i))
		fetchPage(t, c.ts, "/themen?utm_source="+strconv.Itoa(i))
	}
	if n, _ := c.srv.PageCache().Len(); n != 0 {
		t.Errorf("%d pages kept for made-up queries", n)
	}
	fetchPage(t, c.ts, "/termine?art=workshop")
	if n, _ := c.srv.PageCache().Len(); n != 1 {
		t.Errorf("%d pages kept for a known filter, want 1", n)
	}
}

func TestArchiveComesInPages(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `
INSERT INTO events (slug, title, kind, starts_at, ends_at)
SELECT 'altes-treffen-' || g, 'Altes Treffen ' || g, 'meeting',
       timestamptz '2015-01-05 10:00+01' + g * interval '1 day', timestamptz '2015-01-05 12:00+01' + g * interval '1 day'
FROM generate_series(1, 120) g`)
	if err != nil {
		t.Fatal(err)
	}
	ts := newServer(t, pool)
	var past int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE published AND ends_at <= $1`, testNow).Scan(&past); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	pages := (past + 49) / 50
	for page := 1; page <= pages; page++ {
		_, body := get(t, ts, "/termine/archiv?seite="+strconv.Itoa(page), http.StatusOK)
		d := doc(t, body)
		links := d.Find(".event-group a[href^='/termine/']")
		if n := links.Length(); n > 50 || n == 0 {
			t.Errorf("page %d lists %d events", page, n)
		}
		links.Each(func(_ int, a *goquery.Selection) { seen[a.AttrOr("href", "")] = true })
		if !strings.Contains(d.Find(".pager").Text(), "Seite "+strconv.Itoa(page)+" von "+strconv.Itoa(pages)) {
			t.Errorf("page %d: pager says %q", page, d.Find(".pager").Text())
		}
		if strings.TrimSpace(d.Find(".count").Text()) != strconv.Itoa(past)+" Termine" {
			t.Errorf("page %d: count %q, want all %d", page, d.Find(".count").Text(), past)
		}
	}
	if len(seen) != past {
		t.Errorf("the pages list %d events, want all %d past ones", len(seen), past)
	}
}

func TestPageCacheShowsAScheduledArticleWhenItAppears(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	clk := testclock.New(testNow)
	c := startCachedSite(t, pool, clk.Now)
	at := testNow.Add(90 * time.Minute) // the same day in Berlin
	a := &defus.Article{Slug: "geplante-meldung", Kind: defus.ArticleNews, Title: "Geplante Meldung zur Sicherheit",
		Lead: "Sie erscheint später.", Body: "Text.", PublishedAt: at, Published: true}
	if err := c.st.CreateArticle(context.Background(), defus.Actor{Name: "Test"}, a); err != nil {
		t.Fatal(err)
	}
	if _, body := fetchPage(t, c.ts, "/aktuelles"); strings.Contains(body, a.Title) {
		t.Fatal("the article shows before its time")
	}
	clk.Add(at.Sub(testNow) - time.Nanosecond)
	if _, body := fetchPage(t, c.ts, "/aktuelles"); strings.Contains(body, a.Title) {
		t.Error("the article shows a moment before its time")
	}
	clk.Add(time.Nanosecond)
	if _, body := fetchPage(t, c.ts, "/aktuelles"); !strings.Contains(body, a.Title) {
		t.Error("the article does not show at its time: the kept list outlived it")
	}
}
