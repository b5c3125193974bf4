package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/ical/icaltest"
	"defus.de/portal/internal/store"
	"defus.de/portal/internal/testclock"
)

// calendarSite starts the real server over the seeded database on a clock
// the test moves (clock, as in the enquiry tests). It starts a minute after every change stored so far
// (the seed writes some with the database's clock), never before testNow.
func calendarSite(t *testing.T) (*httptest.Server, *store.Store, *clock, *pgxpool.Pool) {
	t.Helper()
	pool := seededPool(t)
	const q = `
SELECT greatest((SELECT max(updated_at) FROM events), (SELECT max(changed_at) FROM change_stamps), $1::timestamptz)`
	var start time.Time
	if err := pool.QueryRow(context.Background(), q, testNow).Scan(&start); err != nil {
		t.Fatal(err)
	}
	c := testclock.New(start.Add(time.Minute).Truncate(time.Second))
	return startSite(t, pool, siteOptions{now: c.Now}), store.New(pool, c.Now), c, pool
}

// conditionalGet asks for path as a calendar client that holds a copy:
// with If-Modified-Since when lastMod is set, If-None-Match when etag is.
func conditionalGet(t *testing.T, ts *httptest.Server, path, lastMod, etag string, want int) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastMod != "" {
		req.Header.Set("If-Modified-Since", lastMod)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	return request(t, req, want)
}

// feedEvent is the VEVENT with uid in a parsed calendar, or nil.
func feedEvent(cal *goical.Calendar, uid string) *goical.Event {
	for _, e := range cal.Events() {
		if got, _ := e.Props.Text(goical.PropUID); got == uid {
			return &e
		}
	}
	return nil
}

// checkFeed parses the unfiltered feed with go-ical and compares it with
// the published events of the last 12 months (from the start of that day
// in Berlin) as the store has them.
func checkFeed(t *testing.T, st *store.Store, body string) *goical.Calendar {
	t.Helper()
	want, err := st.FindEvents(context.Background(), defus.EventFilter{From: defus.BerlinDay(st.Now()).AddDate(0, -12, 0)})
	if err != nil {
		t.Fatal(err)
	}
	icaltest.CompareFeed(t, []byte(body), testSite, want)
	return icaltest.Parse(t, []byte(body))
}

// addTestEvent stores a published event through the store and removes it
// (and what hangs on it) after the test.
func addTestEvent(t *testing.T, st *store.Store, pool *pgxpool.Pool, e *defus.Event) {
	t.Helper()
	e.Kind, e.Format, e.Status, e.Published = defus.EventWorkshop, defus.FormatInPerson, defus.StatusScheduled, true
	if e.City == "" {
		e.City = "Essen"
	}
	if err := st.CreateEvent(context.Background(), defus.Actor{Name: "Test"}, e); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Exec(context.Background(), `DELETE FROM events WHERE id = $1`, e.ID) })
}

// TestFeedAfterSlugChangeAndDelete follows one event through the feed as a
// subscribed calendar sees it, parsed with go-ical: a new address is a new
// revision at the new URL, the old addresses lead there, and a deleted
// event leaves the feed with a new Last-Modified, so that clients which
// revalidate by date drop it too.
func TestFeedAfterSlugChangeAndDelete(t *testing.T) {
	ts, st, clock, pool := calendarSite(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Test"}
	start := time.Date(2026, 12, 8, 10, 0, 0, 0, defus.Berlin)
	e := &defus.Event{Slug: "test-kalender-alt", Title: "Kalendertest", StartsAt: start, EndsAt: start.Add(2 * time.Hour)}
	addTestEvent(t, st, pool, e)

	clock.Add(time.Hour)
	resp, body := getICS(t, ts, "/termine.ics")
	lastMod, etag := resp.Header.Get("Last-Modified"), resp.Header.Get("ETag")
	if v := feedEvent(checkFeed(t, st, body), e.UID); v == nil {
		t.Fatal("new event not in the feed")
	}
	conditionalGet(t, ts, "/termine.ics", lastMod, "", http.StatusNotModified)

	// A new address.
	clock.Add(time.Hour)
	e.Slug = "test-kalender-neu"
	if _, err := st.UpdateEvent(ctx, by, e); err != nil {
		t.Fatal(err)
	}
	conditionalGet(t, ts, "/termine.ics", "", etag, http.StatusOK)
	resp, body = conditionalGet(t, ts, "/termine.ics", lastMod, "", http.StatusOK)
	if resp.Header.Get("Last-Modified") == lastMod {
		t.Error("Last-Modified unchanged after the slug change")
	}
	lastMod, etag = resp.Header.Get("Last-Modified"), resp.Header.Get("ETag")
	v := feedEvent(checkFeed(t, st, body), e.UID)
	if v == nil {
		t.Fatal("renamed event left the feed")
	}
	if u := v.Props.Get(goical.PropURL); u == nil || u.Value != testBase+"/termine/test-kalender-neu" {
		t.Errorf("URL after the slug change: %v", u)
	}
	if seq, _ := v.Props.Get(goical.PropSequence).Int(); seq != 1 {
		t.Errorf("SEQUENCE %d after the slug change, want 1", seq)
	}
	for old, now := range map[string]string{
		"/termine/test-kalender-alt":     "/termine/test-kalender-neu",
		"/termine/test-kalender-alt.ics": "/termine/test-kalender-neu.ics",
	} {
		resp, _ := get(t, ts, old, http.StatusMovedPermanently)
		if got := resp.Header.Get("Location"); got != now {
			t.Errorf("%s leads to %q, want %s", old, got, now)
		}
	}
	_, one := getICS(t, ts, "/termine/test-kalender-neu.ics")
	stored, err := st.FindEvent(ctx, "test-kalender-neu")
	if err != nil {
		t.Fatal(err)
	}
	icaltest.CompareEvent(t, []byte(one), testSite, *stored)

	// Deleted: gone from the feed, for clients that ask by date or by ETag.
	clock.Add(time.Hour)
	if err := st.DeleteEvent(ctx, by, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	conditionalGet(t, ts, "/termine.ics", "", etag, http.StatusOK)
	resp, body = conditionalGet(t, ts, "/termine.ics", lastMod, "", http.StatusOK)
	if feedEvent(checkFeed(t, st, body), e.UID) != nil {
		t.Error("deleted event still in the feed")
	}
	newLastMod := resp.Header.Get("Last-Modified")
	if a, b := parseHTTPTime(t, lastMod), parseHTTPTime(t, newLastMod); !b.After(a) {
		t.Errorf("Last-Modified %s → %s after the delete, want later", lastMod, newLastMod)
	}
	conditionalGet(t, ts, "/termine.ics", newLastMod, "", http.StatusNotModified)
	conditionalGet(t, ts, "/termine.ics", "", resp.Header.Get("ETag"), http.StatusNotModified)
	for _, path := range []string{"/termine/test-kalender-neu", "/termine/test-kalender-alt", "/termine/test-kalender-alt.ics"} {
		get(t, ts, path, http.StatusNotFound)
	}
}

func parseHTTPTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := http.ParseTime(s)
	if err != nil {
		t.Fatalf("Last-Modified %q: %v", s, err)
	}
	return tm
}

// TestFeedRevalidatesWhatItShows: unpublishing an event, renaming its
// host, the topic a feed is filtered by or the office each move the
// feed's Last-Modified and ETag; the event's SEQUENCE and LAST-MODIFIED
// stay, since the event itself did not change. A save without changes
// keeps the ETag.
func TestFeedRevalidatesWhatItShows(t *testing.T) {
	ts, st, clock, pool := calendarSite(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Test"}
	m := &defus.Member{Slug: "test-gastgeberin", Name: "Stadt Gastgeberin", ShortName: "Gastgeberin", Kind: defus.KindCity,
		State: "Hessen", Published: true}
	if err := st.CreateMember(ctx, by, m); err != nil {
		t.Fatal(err)
	}
	tp := &defus.Topic{Slug: "test-kalenderthema", Title: "Kalenderthema", Summary: "Für den Test.", Published: true}
	if err := st.CreateTopic(ctx, by, tp); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pool.Exec(ctx, `DELETE FROM members WHERE id = $1`, m.ID)
		pool.Exec(ctx, `DELETE FROM topics WHERE id = $1`, tp.ID)
	})
	start := time.Date(2026, 12, 9, 14, 0, 0, 0, defus.Berlin)
	e := &defus.Event{Slug: "test-gastgeberin-workshop", Title: "Workshop bei der Gastgeberin", StartsAt: start,
		EndsAt: start.Add(3 * time.Hour), HostMemberID: &m.ID, TopicIDs: []int64{tp.ID}}
	addTestEvent(t, st, pool, e)
	revision := func(body string) (int, time.Time) {
		t.Helper()
		v := feedEvent(icaltest.Parse(t, []byte(body)), e.UID)
		if v == nil {
			t.Fatalf("event not in the feed:\n%s", body)
		}
		seq, _ := v.Props.Get(goical.PropSequence).Int()
		lm, _ := v.Props.DateTime(goical.PropLastModified, nil)
		return seq, lm
	}

	const feed, filtered = "/termine.ics", "/termine.ics?thema=test-kalenderthema"
	held := map[string]*http.Response{}
	for _, path := range []string{feed, filtered} {
		clock.Add(time.Minute)
		held[path], _ = getICS(t, ts, path)
	}
	_, body := getICS(t, ts, feed)
	seq, lm := revision(body)

	// changed makes a change and checks that path is fetched anew by date
	// and by ETag, shows it (want), and is 304 again afterwards.
	changed := func(name, path string, change func(), want string) string {
		t.Helper()
		clock.Add(time.Hour)
		change()
		old := held[path]
		conditionalGet(t, ts, path, "", old.Header.Get("ETag"), http.StatusOK)
		resp, body := conditionalGet(t, ts, path, old.Header.Get("Last-Modified"), "", http.StatusOK)
		if resp.Header.Get("Last-Modified") == old.Header.Get("Last-Modified") || resp.Header.Get("ETag") == old.Header.Get("ETag") {
			t.Errorf("%s: Last-Modified or ETag unchanged", name)
		}
		if unfolded := strings.ReplaceAll(body, "\r\n ", ""); !strings.Contains(unfolded, want) {
			t.Errorf("%s: %s lacks %q:\n%s", name, path, want, body)
		}
		conditionalGet(t, ts, path, resp.Header.Get("Last-Modified"), "", http.StatusNotModified)
		held[path] = resp
		return body
	}
	unchangedEvent := func(name, body string) {
		t.Helper()
		if s, l := revision(body); s != seq || !l.Equal(lm) {
			t.Errorf("%s: the event's SEQUENCE %d → %d, LAST-MODIFIED %v → %v; want both unchanged", name, seq, s, lm, l)
		}
	}

	body = changed("host renamed", feed, func() {
		m.Name = "Große Kreisstadt Gastgeberin"
		if _, err := st.UpdateMember(ctx, by, m); err != nil {
			t.Fatal(err)
		}
	}, `Gastgeber: Große Kreisstadt Gastgeberin\n`)
	unchangedEvent("host renamed", body)

	body = changed("topic renamed", filtered, func() {
		tp.Title = "Kalenderthema neu"
		if _, err := st.UpdateTopic(ctx, by, tp); err != nil {
			t.Fatal(err)
		}
	}, "X-WR-CALNAME:DEFUS-Termine: Kalenderthema neu\r\n")
	unchangedEvent("topic renamed", body)

	a, err := st.FindAssociation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	oldName := a.Name
	t.Cleanup(func() {
		a, err := st.FindAssociation(ctx)
		if err == nil {
			a.Name = oldName
			_, err = st.UpdateAssociation(ctx, by, a)
		}
		if err != nil {
			t.Error(err)
		}
	})
	body = changed("office renamed", feed, func() {
		a.Name = "DEFUS, Geschäftsstelle"
		if _, err := st.UpdateAssociation(ctx, by, a); err != nil {
			t.Fatal(err)
		}
	}, `ORGANIZER;CN="DEFUS, Geschäftsstelle":mailto:defus@defus.de`)
	unchangedEvent("office renamed", body)

	// Saved without changes: the same calendar, the same ETag.
	clock.Add(time.Hour)
	if _, err := st.UpdateEvent(ctx, by, e); err != nil {
		t.Fatal(err)
	}
	resp, _ := conditionalGet(t, ts, feed, "", held[feed].Header.Get("ETag"), http.StatusNotModified)
	if resp.Header.Get("ETag") != held[feed].Header.Get("ETag") {
		t.Error("a save without changes changed the feed")
	}

	body = changed("unpublished", feed, func() {
		e.Published = false
		if _, err := st.UpdateEvent(ctx, by, e); err != nil {
			t.Fatal(err)
		}
	}, "END:VCALENDAR")
	if feedEvent(icaltest.Parse(t, []byte(body)), e.UID) != nil {
		t.Error("unpublished event still in the feed")
	}
}

// TestOldAddressesAnswer301: a changed slug of an event (its .ics too), a
// member, a topic or a page answers the old address with a 301 to the new
// one, also as the filter of a list or feed, for as long as the record is
// there and published; a record that takes the old slug wins.
func TestOldAddressesAnswer301(t *testing.T) {
	ts, st, _, pool := calendarSite(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Test"}
	start := time.Date(2026, 12, 10, 10, 0, 0, 0, defus.Berlin)
	e := &defus.Event{Slug: "test-umzug-alt", Title: "Umzugstest", StartsAt: start, EndsAt: start.Add(time.Hour)}
	addTestEvent(t, st, pool, e)
	m := &defus.Member{Slug: "test-mitglied-alt", Name: "Stadt Umzug", ShortName: "Umzug", Kind: defus.KindCity, State: "Hessen", Published: true}
	tp := &defus.Topic{Slug: "test-thema-alt", Title: "Umzugsthema", Summary: "Für den Test.", Published: true}
	p := &defus.Page{Slug: "test-seite-alt", Title: "Umzugsseite", Body: "Text", Published: true}
	if err := st.CreateMember(ctx, by, m); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateTopic(ctx, by, tp); err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePage(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pool.Exec(ctx, `DELETE FROM members WHERE id = $1`, m.ID)
		pool.Exec(ctx, `DELETE FROM topics WHERE id = $1`, tp.ID)
		pool.Exec(ctx, `DELETE FROM pages WHERE id = $1`, p.ID)
	})
	e.Slug, e.HostMemberID, e.TopicIDs = "test-umzug-neu", &m.ID, []int64{tp.ID}
	m.Slug, tp.Slug, p.Slug = "test-mitglied-neu", "test-thema-neu", "test-seite-neu"
	if _, err := st.UpdateEvent(ctx, by, e); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateMember(ctx, by, m); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdateTopic(ctx, by, tp); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpdatePage(ctx, by, p); err != nil {
		t.Fatal(err)
	}

	for old, now := range map[string]string{
		"/termine/test-umzug-alt":                            "/termine/test-umzug-neu",
		"/termine/test-umzug-alt?utm_source=newsletter":      "/termine/test-umzug-neu?utm_source=newsletter",
		"/termine/test-umzug-alt.ics":                        "/termine/test-umzug-neu.ics",
		"/mitglieder/test-mitglied-alt":                      "/mitglieder/test-mitglied-neu",
		"/themen/test-thema-alt":                             "/themen/test-thema-neu",
		"/test-seite-alt":                                    "/test-seite-neu",
		"/termine.ics?art=workshop&thema=test-thema-alt":     "/termine.ics?art=workshop&thema=test-thema-neu",
		"/termine.ics?gastgeber=test-mitglied-alt":           "/termine.ics?gastgeber=test-mitglied-neu",
		"/termine?gastgeber=test-mitglied-alt":               "/termine?gastgeber=test-mitglied-neu",
		"/termine/archiv?thema=test-thema-alt&monat=2026-01": "/termine/archiv?monat=2026-01&thema=test-thema-neu",
	} {
		t.Run(old, func(t *testing.T) {
			resp, _ := get(t, ts, old, http.StatusMovedPermanently)
			if got := resp.Header.Get("Location"); got != now {
				t.Errorf("Location %q, want %s", got, now)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
				t.Errorf("Cache-Control %q: browsers would keep the redirect for ever", cc)
			}
			get(t, ts, now, http.StatusOK)
		})
	}
	_, body := getICS(t, ts, "/termine.ics?thema=test-thema-neu")
	if feedEvent(icaltest.Parse(t, []byte(body)), e.UID) == nil {
		t.Error("the filtered feed at the new address lacks the event")
	}

	// A new event takes the old slug: it is shown there, no redirect.
	n := &defus.Event{Slug: "test-umzug-alt", Title: "Neuer Termin am alten Ort", StartsAt: start, EndsAt: start.Add(time.Hour)}
	addTestEvent(t, st, pool, n)
	_, body = get(t, ts, "/termine/test-umzug-alt", http.StatusOK)
	if got := doc(t, body).Find("h1").Text(); got != n.Title {
		t.Errorf("old slug shows %q, want the new event", got)
	}

	// Unpublished or deleted: the old addresses are gone with the record.
	m.Published = false
	if _, err := st.UpdateMember(ctx, by, m); err != nil {
		t.Fatal(err)
	}
	get(t, ts, "/mitglieder/test-mitglied-alt", http.StatusNotFound)
	if err := st.DeleteTopic(ctx, by, tp.ID, tp.Version); err != nil {
		t.Fatal(err)
	}
	get(t, ts, "/themen/test-thema-alt", http.StatusNotFound)
	get(t, ts, "/termine.ics?thema=test-thema-alt", http.StatusBadRequest)
	if err := st.DeletePage(ctx, by, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	get(t, ts, "/test-seite-alt", http.StatusNotFound)
}

// TestAdminEventTimesAroundTheClockChanges: in the hour that repeats when
// summer time ends, a typed time is its first occurrence and the calendar
// writes it in UTC; a time in the hour skipped when summer time begins is
// refused at its field with what was typed kept; no end time, no DTEND.
func TestAdminEventTimesAroundTheClockChanges(t *testing.T) {
	ts, c, pool := eventsAdmin(t)
	ctx := context.Background()
	st := store.New(pool, testClock)

	edit := createEvent(t, ts, c, eventForm(func(f url.Values) {
		f.Set("title", "Nachtcafé zur Zeitumstellung")
		f.Set("start_date", "25.10.2026")
		f.Set("start_time", "02:30")
		f.Set("end_time", "03:30")
	}))
	var start, end time.Time
	if err := pool.QueryRow(ctx, `SELECT starts_at, ends_at FROM events WHERE id = $1`, idOf(t, edit)).Scan(&start, &end); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC); !start.Equal(want) {
		t.Errorf("02:30 on 25.10.2026 stored as %v, want the first 02:30 (%v)", start.UTC(), want)
	}
	if want := time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC); !end.Equal(want) {
		t.Errorf("03:30 on 25.10.2026 stored as %v, want %v", end.UTC(), want)
	}
	_, body := getICS(t, ts, "/termine/nachtcafe-zur-zeitumstellung.ics")
	for _, want := range []string{"\r\nDTSTART:20261025T003000Z\r\n", "\r\nDTEND;TZID=Europe/Berlin:20261025T033000\r\n"} {
		if !strings.Contains(body, want) {
			t.Errorf(".ics lacks %q:\n%s", strings.TrimSpace(want), body)
		}
	}
	e, err := st.FindEvent(ctx, "nachtcafe-zur-zeitumstellung")
	if err != nil {
		t.Fatal(err)
	}
	icaltest.CompareEvent(t, []byte(body), testSite, *e)
	_, body = send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
	if got := doc(t, body).Find("#event-start-time").AttrOr("value", ""); got != "02:30" {
		t.Errorf("the form shows the start as %q, want 02:30", got)
	}

	// 02:30 on 29.03.2026 does not exist.
	_, body = send(t, ts, http.MethodPost, "/admin/termine", c, eventForm(func(f url.Values) {
		f.Set("title", "Nachtwanderung")
		f.Set("start_date", "29.03.2026")
		f.Set("start_time", "2:30")
		f.Set("end_time", "04:00")
	}), http.StatusUnprocessableEntity)
	d := doc(t, body)
	if got := d.Find("#event-start-time").AttrOr("value", ""); got != "02:30" {
		t.Errorf("typed start time not kept: %q", got)
	}
	if !strings.Contains(d.Find(".error-summary").Text(), "Diese Uhrzeit gibt es am 29.03.2026 wegen der Zeitumstellung nicht.") {
		t.Errorf("error summary: %q", d.Find(".error-summary").Text())
	}
	get(t, ts, "/termine/nachtwanderung", http.StatusNotFound)

	// Without an end time the event is a moment: no DTEND.
	createEvent(t, ts, c, eventForm(func(f url.Values) {
		f.Set("title", "Pressegespräch")
		f.Set("end_time", "")
	}))
	_, body = getICS(t, ts, "/termine/pressegespraech.ics")
	if strings.Contains(body, "DTEND") {
		t.Errorf("event without an end time has a DTEND:\n%s", body)
	}
	if e, err = st.FindEvent(ctx, "pressegespraech"); err != nil {
		t.Fatal(err)
	}
	icaltest.CompareEvent(t, []byte(body), testSite, *e)
}

// TestPostponedEventCarriesPreviousStartDate: schema.org's previousStartDate
// is the start before the event was postponed, and stays when the new date
// is set. Saving without changes keeps the calendar's SEQUENCE.
func TestPostponedEventCarriesPreviousStartDate(t *testing.T) {
	ts, c, pool := eventsAdmin(t)
	form := func(version string, change func(url.Values)) url.Values {
		return eventForm(func(f url.Values) {
			f.Set("title", "Verschiebetest")
			f.Set("start_date", "10.12.2026")
			f.Set("end_time", "12:00")
			f.Set("version", version)
			if change != nil {
				change(f)
			}
		})
	}
	edit := createEvent(t, ts, c, form("0", nil))
	var uid string
	if err := pool.QueryRow(context.Background(), `SELECT uid FROM events WHERE id = $1`, idOf(t, edit)).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	sequence := func() string {
		t.Helper()
		_, ics := getICS(t, ts, "/termine/verschiebetest.ics")
		return icsProp(t, veventOf(t, ics, uid), "SEQUENCE")
	}
	ld := func() map[string]any {
		t.Helper()
		_, body := get(t, ts, "/termine/verschiebetest", http.StatusOK)
		return jsonLD(t, doc(t, body))
	}

	send(t, ts, http.MethodPost, edit, c, form("1", nil), http.StatusSeeOther)
	if got := sequence(); got != "0" {
		t.Errorf("SEQUENCE %s after a save without changes, want 0", got)
	}
	if j := ld(); j["previousStartDate"] != nil {
		t.Errorf("scheduled event has previousStartDate %v", j["previousStartDate"])
	}

	send(t, ts, http.MethodPost, edit, c, form("2", func(f url.Values) { f.Set("status", "postponed") }), http.StatusSeeOther)
	j := ld()
	if j["eventStatus"] != "https://schema.org/EventPostponed" || j["previousStartDate"] != "2026-12-10T10:00:00+01:00" || j["startDate"] != "2026-12-10T10:00:00+01:00" {
		t.Errorf("postponed: status %v, start %v, previous start %v", j["eventStatus"], j["startDate"], j["previousStartDate"])
	}
	if got := sequence(); got != "1" {
		t.Errorf("SEQUENCE %s after postponing, want 1", got)
	}

	send(t, ts, http.MethodPost, edit, c, form("3", func(f url.Values) {
		f.Set("status", "postponed")
		f.Set("start_date", "14.01.2027")
	}), http.StatusSeeOther)
	j = ld()
	if j["startDate"] != "2027-01-14T10:00:00+01:00" || j["previousStartDate"] != "2026-12-10T10:00:00+01:00" {
		t.Errorf("new date: start %v, previous start %v", j["startDate"], j["previousStartDate"])
	}
}

// TestFeedHoldsUpcomingEventsAndTwelveMonthsBack: the subscription holds
// what is coming and the last 12 months, counted in whole Berlin days. An
// event that ended just before midnight a year ago is out, one that ended
// just after is in, until the next midnight; the help page says how far
// back the feed reaches.
func TestFeedHoldsUpcomingEventsAndTwelveMonthsBack(t *testing.T) {
	ts, st, clock, pool := calendarSite(t)
	now := clock.Now()
	day := defus.BerlinDay(now)
	clock.Set(day.Add(22 * time.Hour)) // 22:00 in Berlin: the day turns in two hours
	boundary := day.AddDate(-1, 0, 0)  // midnight a year ago, in Berlin
	in := &defus.Event{Slug: "test-gerade-noch", Title: "Gerade noch im Abo", StartsAt: boundary.Add(-time.Hour), EndsAt: boundary.Add(30 * time.Minute)}
	out := &defus.Event{Slug: "test-zu-alt", Title: "Zu alt fürs Abo", StartsAt: boundary.Add(-2 * time.Hour), EndsAt: boundary.Add(-30 * time.Minute)}
	next := &defus.Event{Slug: "test-bald", Title: "Bald", StartsAt: day.AddDate(0, 2, 0).Add(10 * time.Hour), EndsAt: day.AddDate(0, 2, 0).Add(12 * time.Hour)}
	for _, e := range []*defus.Event{in, out, next} {
		addTestEvent(t, st, pool, e)
	}
	feed := func() string {
		t.Helper()
		_, body := conditionalGet(t, ts, "/termine.ics", "", "", http.StatusOK)
		checkFeed(t, st, body)
		return body
	}
	body := feed()
	cal := icaltest.Parse(t, []byte(body))
	if feedEvent(cal, in.UID) == nil || feedEvent(cal, next.UID) == nil {
		t.Error("the feed lacks the upcoming event or the one that ended after midnight a year ago")
	}
	if feedEvent(cal, out.UID) != nil {
		t.Error("the feed holds an event that ended before midnight a year ago")
	}

	clock.Add(3 * time.Hour) // the next day in Berlin
	cal = icaltest.Parse(t, []byte(feed()))
	if feedEvent(cal, in.UID) != nil || feedEvent(cal, next.UID) == nil {
		t.Error("a day later, the feed still holds the event of a year and a day ago, or lost the upcoming one")
	}
	_, help := get(t, ts, "/termine/abonnieren", http.StatusOK)
	if !strings.Contains(doc(t, help).Find("main").Text(), "alle kommenden Termine und die der letzten 12 Monate") {
		t.Error("the help page does not say how far back the subscription reaches")
	}
}
