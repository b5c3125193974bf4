package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"

	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
	"defus.de/portal/internal/testclock"
)

// newsSite is the seeded site on a clock the test moves, with Rita from
// the office logged in.
func newsSite(t *testing.T) (*httptest.Server, *clock, *http.Cookie, *store.Store) {
	t.Helper()
	pool := seededPool(t)
	c := testclock.New(testNow)
	ts := startSite(t, pool, siteOptions{now: c.Now})
	st := store.New(pool, c.Now)
	addAccount(t, st, "redaktion@defus.example", "Rita Redaktion", defus.RoleEditor)
	return ts, c, login(t, ts, "redaktion@defus.example"), st
}

// articleForm is a complete article form for the seeded topic
// "Urbane Resilienz" and member Essen, at version v.
func articleForm(t *testing.T, st *store.Store, title, date, clock string) url.Values {
	t.Helper()
	topic, err := st.FindTopic(t.Context(), "urbane-resilienz")
	if err != nil {
		t.Fatal(err)
	}
	essen, err := st.FindMember(t.Context(), "essen")
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{
		"kind": {"interview"}, "title": {title}, "lead": {"Ein Vorspann <mit> Zeichen & mehr."},
		"body": {"Einleitung mit [Link](/mitglieder/essen)."}, "interviewee": {"Max Fiktiv, Ordnungsamt"},
		"interview": {"F: Wie geht es?\nA: Gut, **danke**.\n\nF: Und sonst?\nA: Auch gut."},
		"date":      {date}, "time": {clock}, "topics": {strconv.FormatInt(topic.ID, 10)}, "members": {strconv.FormatInt(essen.ID, 10)},
		"published": {"ja"}, "version": {"0"},
	}
}

func TestScheduledArticleAppearsEverywhereAtItsMoment(t *testing.T) {
	t.Parallel()
	ts, c, cookie, st := newsSite(t)
	// Tomorrow, 9:00 Berlin.
	resp, _ := send(t, ts, http.MethodPost, "/admin/aktuelles", cookie, articleForm(t, st, "Geplanter Beitrag", "25.11.2026", "09:00"), http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	_, body := send(t, ts, http.MethodGet, "/admin/aktuelles", cookie, nil, http.StatusOK)
	if !strings.Contains(body, "geplant für 25. November 2026, 09:00") {
		t.Errorf("the office's list does not say the article is scheduled")
	}
	pages := []string{"/aktuelles", "/", "/themen/urbane-resilienz", "/mitglieder/essen", "/aktuelles.atom",
		"/themen/urbane-resilienz.atom", "/sitemap.xml", "/suche?q=Geplanter"}
	for _, p := range pages {
		if _, body := get(t, ts, p, http.StatusOK); strings.Contains(body, "geplanter-beitrag") {
			t.Errorf("%s shows the article before its moment", p)
		}
	}
	get(t, ts, "/aktuelles/geplanter-beitrag", http.StatusNotFound)

	c.Add(22 * time.Hour) // 25 November, 9:00 Berlin
	for _, p := range pages {
		if _, body := get(t, ts, p, http.StatusOK); !strings.Contains(body, "geplanter-beitrag") {
			t.Errorf("%s lacks the article at its moment", p)
		}
	}
	_, body = get(t, ts, "/aktuelles/geplanter-beitrag", http.StatusOK)
	d := doc(t, body)
	if got := texts(d.Find(".interview-qa dt")); len(got) != 2 || !strings.Contains(got[0], "Wie geht es?") {
		t.Errorf("questions %q", got)
	}
	if d.Find(".interview-qa dd strong").Text() != "danke" {
		t.Error("answers are not rendered as Markdown")
	}
	if d.Find(`link[rel=alternate][type="application/atom+xml"]`).Length() == 0 {
		t.Error("no feed link in the head")
	}
	// An edit keeps the address and moves nothing else.
	_, body = send(t, ts, http.MethodGet, edit, cookie, nil, http.StatusOK)
	if v := doc(t, body).Find(`form.content-form input[name=version]`).AttrOr("value", ""); v != "1" {
		t.Errorf("version %q", v)
	}
}

func TestArticleFormRefusesWhatIsWrong(t *testing.T) {
	t.Parallel()
	ts, _, cookie, st := newsSite(t)
	form := articleForm(t, st, "Fehlerhaft", "31.02.2026", "")
	form.Set("interview", "A: Eine Antwort ohne Frage")
	form.Set("kind", "member_news")
	form.Set("image", "999999")
	_, body := send(t, ts, http.MethodPost, "/admin/aktuelles", cookie, form, http.StatusUnprocessableEntity)
	d := doc(t, body)
	for _, id := range []string{"article-date", "article-interview", "article-member", "article-image"} {
		if d.Find("#"+id+"-error").Length() == 0 {
			t.Errorf("no message at %s", id)
		}
	}
	if d.Find("#article-title").AttrOr("value", "") != "Fehlerhaft" {
		t.Error("the title typed is gone")
	}
	// A stale version is a conflict, with what is stored now.
	resp, _ := send(t, ts, http.MethodPost, "/admin/aktuelles", cookie, articleForm(t, st, "Zweimal", "", ""), http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	form = articleForm(t, st, "Zweimal geändert", "24.11.2026", "10:00")
	form.Set("version", "1")
	send(t, ts, http.MethodPost, edit, cookie, form, http.StatusSeeOther)
	form.Set("title", "Veraltet")
	send(t, ts, http.MethodPost, edit, cookie, form, http.StatusConflict)
}

// TestAtomFeedsReadByAnIndependentParser reads both feeds with gofeed and
// checks what feed readers rely on: stable ids, dates, absolute links and
// escaped HTML content; an edit moves "updated" and keeps the id.
func TestAtomFeedsReadByAnIndependentParser(t *testing.T) {
	t.Parallel()
	ts, c, cookie, st := newsSite(t)
	resp, _ := send(t, ts, http.MethodPost, "/admin/aktuelles", cookie, articleForm(t, st, "Feed <Test> & Co", "24.11.2026", "10:30"), http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	c.Add(time.Hour)

	read := func(path string) (*atom.Feed, http.Header) {
		t.Helper()
		resp, body := get(t, ts, path, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
			t.Errorf("%s: content type %q", path, ct)
		}
		if ft := gofeed.DetectFeedType(strings.NewReader(body)); ft != gofeed.FeedTypeAtom {
			t.Fatalf("%s: detected as %v", path, ft)
		}
		f, err := (&atom.Parser{}).Parse(strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return f, resp.Header
	}
	for _, path := range []string{"/aktuelles.atom", "/themen/urbane-resilienz.atom"} {
		f, h := read(path)
		if !strings.HasPrefix(f.ID, "tag:www.defus.example,") || f.Updated == "" || f.UpdatedParsed == nil {
			t.Errorf("%s: feed id %q updated %q", path, f.ID, f.Updated)
		}
		self := false
		for _, l := range f.Links {
			if l.Rel == "self" && l.Href == "https://www.defus.example"+path {
				self = true
			}
		}
		if !self {
			t.Errorf("%s: no absolute self link: %+v", path, f.Links)
		}
		if len(f.Entries) == 0 {
			t.Fatalf("%s: no entries", path)
		}
		e := f.Entries[0]
		if e.Title != "Feed <Test> & Co" || !strings.HasPrefix(e.ID, "tag:www.defus.example,2026-11-24:aktuelles/") {
			t.Errorf("%s: entry %q id %q", path, e.Title, e.ID)
		}
		if e.PublishedParsed == nil || !e.PublishedParsed.Equal(time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)) {
			t.Errorf("%s: published %v", path, e.Published)
		}
		if len(e.Links) == 0 || e.Links[0].Href != "https://www.defus.example/aktuelles/feed-test-co" {
			t.Errorf("%s: entry links %+v", path, e.Links)
		}
		if e.Content == nil || e.Content.Type != "html" || !strings.Contains(e.Content.Value, `href="https://www.defus.example/mitglieder/essen"`) ||
			!strings.Contains(e.Content.Value, "<dt>Wie geht es?</dt>") || strings.Contains(e.Content.Value, "<mit>") {
			t.Errorf("%s: content %+v", path, e.Content)
		}
		// The same feed again is not modified.
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Header.Set("If-None-Match", h.Get("ETag"))
		request(t, req, http.StatusNotModified)
	}
	before, _ := read("/aktuelles.atom")

	c.Add(time.Hour)
	form := articleForm(t, st, "Feed <Test> & Co", "24.11.2026", "10:30")
	form.Set("version", "1")
	form.Set("body", "Neue Fassung.")
	send(t, ts, http.MethodPost, edit, cookie, form, http.StatusSeeOther)
	after, _ := read("/aktuelles.atom")
	if after.Entries[0].ID != before.Entries[0].ID {
		t.Errorf("the entry's id changed with an edit: %s → %s", before.Entries[0].ID, after.Entries[0].ID)
	}
	if !after.Entries[0].UpdatedParsed.After(*before.Entries[0].UpdatedParsed) {
		t.Errorf("updated did not move: %s → %s", before.Entries[0].Updated, after.Entries[0].Updated)
	}
	get(t, ts, "/themen/gibt-es-nicht.atom", http.StatusNotFound)
}

func TestSearchAnswersEveryQuery(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/suche", http.StatusOK)
	if doc(t, body).Find("#search-q").Length() == 0 {
		t.Error("the empty search shows no form")
	}
	_, body = get(t, ts, "/suche?q="+url.QueryEscape("Gottingen"), http.StatusOK)
	if d := doc(t, body); d.Find(`.search-hit a[href="/mitglieder/goettingen"]`).Length() == 0 {
		t.Errorf("Gottingen does not find Göttingen: %q", texts(d.Find(".search-hit-title")))
	}
	_, body = get(t, ts, "/suche?q=Resil", http.StatusOK)
	if doc(t, body).Find(".search-snippet mark").Length() == 0 {
		t.Error("no highlighted passage for Resil")
	}
	for _, q := range []string{
		strings.Repeat("Sicherheit ", 1000)[:10000], `"`, `&`, `|`, `!`, `:*`, `" & | ! :*`, `'; DROP TABLE articles; --`,
		`1' OR '1'='1`, `<script>alert(1)</script>`, `""""`, `(a | b) & !c:*`,
	} {
		_, body := get(t, ts, "/suche?q="+url.QueryEscape(q), http.StatusOK)
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%.30q is echoed as markup", q)
		}
	}
	// What the browser never sends as typed text: 400.
	for _, raw := range []string{"q=Stadt%00", "q=%FF%FE"} {
		get(t, ts, "/suche?"+raw, http.StatusBadRequest)
	}
	_, body = get(t, ts, "/suche?q=Stadt&art=quatsch", http.StatusOK)
	if !strings.Contains(doc(t, body).Find(".note").Text(), "„quatsch“ gibt es nicht") {
		t.Error("an unknown kind has no note")
	}
	_, body = get(t, ts, "/suche?q=Zzyzxquorp", http.StatusOK)
	d := doc(t, body)
	if !strings.Contains(d.Find(".search-empty").Text(), "„Zzyzxquorp“") || d.Find(`.search-empty a[href^="/themen/"]`).Length() == 0 {
		t.Error("no result: no note with the spelling and no topics")
	}
	_, body = get(t, ts, "/", http.StatusOK)
	if f := doc(t, body).Find(`header form[role=search][action="/suche"] input[name=q]`); f.Length() != 1 {
		t.Error("the header has no search box")
	}
}

func TestNewsListFilters(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/aktuelles?art=interview", http.StatusOK)
	if d := doc(t, body); d.Find(".article-item").Length() != 1 {
		t.Errorf("interviews: %q", texts(d.Find(".article-title")))
	}
	_, body = get(t, ts, "/aktuelles?jahr=2010", http.StatusOK)
	if d := doc(t, body); d.Find(`.article-title a[href="/aktuelles/defus-gegruendet"]`).Length() != 1 || d.Find(".article-item").Length() != 1 {
		t.Errorf("2010: %q", texts(d.Find(".article-title")))
	}
	for _, q := range []string{"art=quatsch", "thema=gibt-es-nicht", "jahr=zwanzig", "jahr=99999", "thema=%C3%A4"} {
		_, body := get(t, ts, "/aktuelles?"+q, http.StatusOK)
		if doc(t, body).Find(".note").Length() == 0 {
			t.Errorf("%s: no note", q)
		}
	}
}

// TestSearchShowsMembersOnlyContactsToAccountsOnly: a contact person marked
// "nur für Mitglieder" is found by a logged-in member, never by a visitor,
// and the member's results are not stored by caches.
func TestSearchShowsMembersOnlyContactsToAccountsOnly(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, st := newServer(t, pool), store.New(pool, testClock)
	_, err := pool.Exec(t.Context(), `INSERT INTO member_contacts (member_id, name, function, public)
		SELECT id, 'Wiltrud Verborgen', 'Stabsstelle', false FROM members WHERE slug = 'essen'`)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, ts, "/suche?q=Verborgen", http.StatusOK)
	if strings.Contains(body, "Wiltrud") {
		t.Error("a visitor found the members-only contact")
	}
	if sessionCookie(resp) != nil {
		t.Error("the search set a session cookie for a visitor")
	}
	addAccount(t, st, "m@defus.example", "Max Mitglied", defus.RoleMember)
	c := login(t, ts, "m@defus.example")
	resp, body = send(t, ts, http.MethodGet, "/suche?q=Verborgen", c, nil, http.StatusOK)
	if !strings.Contains(body, "Wiltrud Verborgen") {
		t.Error("a logged-in member did not find the members-only contact")
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q for a member's results", resp.Header.Get("Cache-Control"))
	}
}

// TestRenamedTopicKeepsItsNewsAddresses: a topic's old address still leads
// to its feed and to the news filtered by it.
func TestRenamedTopicKeepsItsNewsAddresses(t *testing.T) {
	t.Parallel()
	ts, _, cookie, st := newsSite(t)
	topic, err := st.FindTopic(t.Context(), "urbane-resilienz")
	if err != nil {
		t.Fatal(err)
	}
	topic.Slug = "resilienz"
	if _, err := st.UpdateTopic(t.Context(), defus.Actor{Name: "Test"}, topic); err != nil {
		t.Fatal(err)
	}
	resp, _ := send(t, ts, http.MethodGet, "/themen/urbane-resilienz.atom", cookie, nil, http.StatusMovedPermanently)
	if got := resp.Header.Get("Location"); got != "/themen/resilienz.atom" {
		t.Errorf("feed moved to %q", got)
	}
	resp, _ = get(t, ts, "/aktuelles?thema=urbane-resilienz&jahr=2023", http.StatusMovedPermanently)
	if got := resp.Header.Get("Location"); got != "/aktuelles?jahr=2023&thema=resilienz" {
		t.Errorf("list moved to %q", got)
	}
}

// TestDeletedArticleLeavesTheFeed: after a deletion the feed has a new
// ETag and a Last-Modified no older than the deletion, and the article is gone.
func TestDeletedArticleLeavesTheFeed(t *testing.T) {
	t.Parallel()
	ts, c, cookie, st := newsSite(t)
	resp, _ := send(t, ts, http.MethodPost, "/admin/aktuelles", cookie, articleForm(t, st, "Bald gelöscht", "", ""), http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	before, body := get(t, ts, "/aktuelles.atom", http.StatusOK)
	if !strings.Contains(body, "bald-geloescht") {
		t.Fatal("the new article is not in the feed")
	}
	c.Add(time.Minute)
	send(t, ts, http.MethodPost, edit+"/loeschen", cookie, url.Values{"version": {"1"}}, http.StatusSeeOther)
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/aktuelles.atom", nil)
	req.Header.Set("If-None-Match", before.Header.Get("ETag"))
	after, body := request(t, req, http.StatusOK)
	if strings.Contains(body, "bald-geloescht") {
		t.Error("the deleted article is still in the feed")
	}
	lm, err := http.ParseTime(after.Header.Get("Last-Modified"))
	if err != nil || lm.Before(testNow.Add(time.Minute)) {
		t.Errorf("Last-Modified %q after the deletion at %v", after.Header.Get("Last-Modified"), testNow.Add(time.Minute))
	}
}
