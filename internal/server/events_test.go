package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/ical"
	"defus.de/portal/internal/ical/icaltest"
	"defus.de/portal/internal/store"
)

const testBase = "https://www.defus.example"

// testSite is what the seeded site's calendars say about their events.
var testSite = ical.Site{BaseURL: testBase, Organizer: ical.Organizer{
	Name: "Deutsch-Europäisches Forum für Urbane Sicherheit e.V.", Email: "defus@defus.de"}}

// addEvent inserts an event for one test and removes it afterwards.
// starts and ends are Berlin wall-clock times "2026-03-29 01:00".
func addEvent(tb testing.TB, pool *pgxpool.Pool, slug, title, starts, ends string, extra string) {
	tb.Helper()
	ctx := context.Background()
	s, err := time.ParseInLocation("2006-01-02 15:04", starts, defus.Berlin)
	if err != nil {
		tb.Fatal(err)
	}
	e, err := time.ParseInLocation("2006-01-02 15:04", ends, defus.Berlin)
	if err != nil {
		tb.Fatal(err)
	}
	q := `INSERT INTO events (slug, title, kind, starts_at, ends_at, city, summary) VALUES ($1, $2, 'workshop', $3, $4, 'Essen', 'Testtermin')`
	if _, err := pool.Exec(ctx, q, slug, title, s, e); err != nil {
		tb.Fatal(err)
	}
	if extra != "" {
		if _, err := pool.Exec(ctx, `UPDATE events SET `+extra+` WHERE slug = $1`, slug); err != nil {
			tb.Fatal(err)
		}
	}
	tb.Cleanup(func() { pool.Exec(ctx, `DELETE FROM events WHERE slug = $1`, slug) })
}

// getICS fetches a calendar and checks its media type.
func getICS(tb testing.TB, ts *httptest.Server, path string) (*http.Response, string) {
	tb.Helper()
	resp, body := get(tb, ts, path, http.StatusOK)
	if got := resp.Header.Get("Content-Type"); got != "text/calendar; charset=utf-8" {
		tb.Errorf("%s: Content-Type %q", path, got)
	}
	return resp, body
}

func eventLinks(d *goquery.Document) []string {
	return texts(d.Find(".event-list .event-title a"))
}

func TestEventsIndexListsUpcomingByMonth(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/termine", http.StatusOK)
	d := doc(t, body)
	if got := d.Find("h1").Length(); got != 1 {
		t.Errorf("%d h1, want 1", got)
	}
	if d.Find(`.site-nav a[href="/termine"][aria-current="page"]`).Length() != 1 {
		t.Error("Termine not marked as the current navigation entry")
	}
	links := eventLinks(d)
	if len(links) < 10 {
		t.Fatalf("%d upcoming events, want 10+", len(links))
	}
	months := texts(d.Find(".event-group h2"))
	if len(months) == 0 || months[0] != "November 2026" {
		t.Errorf("month headings %v, want November 2026 first", months)
	}
	dateInName := regexp.MustCompile(`, (Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag, )?.*\d{4}`)
	for _, l := range links {
		if !dateInName.MatchString(l) {
			t.Errorf("link %q has no full date in its accessible name", l)
		}
	}
	if strings.Contains(body, "29. Mitgliederversammlung") {
		t.Error("a past event is listed as upcoming")
	}
	// The seed puts the online consultation two days after "now": a
	// Thursday, as testNow is a Tuesday.
	item := d.Find(".event-item").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "EU-Förderung")
	})
	if got := strings.TrimSpace(item.Find(".event-countdown").Text()); got != "in 2 Tagen" {
		t.Errorf("countdown %q, want %q", got, "in 2 Tagen")
	}
	if !strings.Contains(item.Find(".event-meta").Text(), "online") {
		t.Errorf("online event meta: %q", item.Find(".event-meta").Text())
	}
	if d.Find(`a[href="webcal://www.defus.example/termine.ics"]`).Length() != 1 ||
		!strings.Contains(d.Find(".feed-url").Text(), testBase+"/termine.ics") {
		t.Error("list does not link its feed as https and webcal")
	}
	cancelled := d.Find(".event-cancelled")
	if cancelled.Length() != 1 || !strings.Contains(cancelled.Text(), "Abgesagt") {
		t.Error("the cancelled event does not say so")
	}
}

// TestEventsHostFilterWithManyHosts: with more hosts than a select can
// sensibly offer, the filter has a text field for the host's name; a typed
// name filters like the chosen host, and the links keep the host's address.
func TestEventsHostFilterWithManyHosts(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := newServer(t, pool)
	_, err := pool.Exec(context.Background(), `
WITH m AS (
  INSERT INTO members (slug, name, short_name, kind, state)
  SELECT 'gastgeberstadt-' || g, 'Gastgeberstadt ' || g, 'Gastgeberstadt ' || g, 'city', 'Hessen'
  FROM generate_series(1, 100) g
  RETURNING id, slug)
INSERT INTO events (slug, title, kind, starts_at, ends_at, city, host_member_id, published)
SELECT 'termin-' || m.slug, 'Termin in ' || m.slug, 'meeting', $1::timestamptz + interval '30 days', $1::timestamptz + interval '30 days 2 hours', 'Wiesbaden', m.id, true
FROM m`, testNow)
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, ts, "/termine", http.StatusOK)
	d := doc(t, body)
	if d.Find("select[name=gastgeber]").Length() != 0 || d.Find(`input#filter-gastgeber[name=gastgeber]`).Length() != 1 ||
		d.Find(`label[for=filter-gastgeber]`).Length() != 1 {
		t.Fatal("with over 100 hosts the filter still offers a select, or its text field has no label")
	}
	for _, query := range []string{"gastgeber=K%C3%B6ln", "gastgeber=k%C3%B6ln", "gastgeber=koeln"} {
		_, body = get(t, ts, "/termine?"+query, http.StatusOK)
		d = doc(t, body)
		var titles []string
		d.Find(".event-title").Each(func(_ int, s *goquery.Selection) { titles = append(titles, strings.TrimSpace(s.Text())) })
		if len(titles) != 2 || !strings.Contains(titles[1], "Workshop Nachtleben und Sicherheit") || d.Find(".note").Length() != 0 {
			t.Errorf("%s: events %q, notes %q", query, titles, d.Find(".note").Text())
		}
		if got := d.Find("input#filter-gastgeber").AttrOr("value", ""); got != "Köln" {
			t.Errorf("%s: the field shows %q, want Köln", query, got)
		}
		if !strings.Contains(d.Find(".feed-url").Text(), "/termine.ics?gastgeber=koeln") {
			t.Errorf("%s: feed link %q does not name the host by its address", query, d.Find(".feed-url").Text())
		}
	}
	_, body = get(t, ts, "/termine?gastgeber=Atlantis", http.StatusOK)
	if !strings.Contains(doc(t, body).Find(".note").Text(), "Den Gastgeber „Atlantis“ gibt es nicht") {
		t.Error("an unknown name gets no note")
	}
}

func TestEventsFiltersCombine(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"art=fortbildung", []string{"Fortbildung Deeskalation im Bürgerservice", "Fortbildung Krisenkommunikation für Städte", "Online-Fortbildung Kriminalprävention im Städtebau"}},
		{"art=konferenz&thema=urbane-resilienz", []string{"Fachtag Urbane Resilienz", "Efus-Konferenz mit deutscher Delegation"}},
		{"gastgeber=koeln", []string{"Arbeitskreis Radikalisierungsprävention", "Workshop Nachtleben und Sicherheit"}},
		{"gastgeber=koeln&art=workshop&thema=friedliches-zusammenleben", []string{"Workshop Nachtleben und Sicherheit"}},
		{"monat=2026-12", []string{"Workshop Sicherheitsaudits im Quartier", "Fortbildung Deeskalation im Bürgerservice", "Fachgespräch Drogenkonsum im öffentlichen Raum", "Arbeitskreis Radikalisierungsprävention"}},
		{"monat=2026-12&thema=drogen-und-sucht", []string{"Fachgespräch Drogenkonsum im öffentlichen Raum"}},
		{"gastgeber=bochum", nil}, // a member without events
	} {
		t.Run(tc.query, func(t *testing.T) {
			_, body := get(t, ts, "/termine?"+tc.query, http.StatusOK)
			d := doc(t, body)
			var got []string
			d.Find(".event-list .event-title a").Each(func(_ int, s *goquery.Selection) {
				c := s.Clone()
				c.Find(".visually-hidden, .badge").Remove()
				got = append(got, strings.TrimSpace(c.Text()))
			})
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
			if d.Find(".note").Length() != 0 {
				t.Errorf("unexpected note: %s", d.Find(".note").Text())
			}
			params, _ := url.ParseQuery(tc.query)
			for name, sel := range map[string]string{"art": "select[name=art]", "thema": "select[name=thema]", "gastgeber": "select[name=gastgeber]"} {
				if v := params.Get(name); v != "" {
					if got := d.Find(sel+" option[selected]").AttrOr("value", ""); got != v {
						t.Errorf("%s keeps %q, want %q", name, got, v)
					}
				}
			}
			if v := params.Get("monat"); v != "" && d.Find("input[name=monat]").AttrOr("value", "") != v {
				t.Error("month input does not keep its value")
			}
			if d.Find("input[type=month][placeholder]").Length() != 0 {
				t.Error("the month input has a placeholder, which HTML does not allow there")
			}
			// The page links the feed of exactly this selection.
			feed := d.Find(`.feed-box a[href^="webcal:"]`).AttrOr("href", "")
			fu, err := url.Parse(feed)
			if err != nil || fu.Path != "/termine.ics" || fu.Query().Encode() != params.Encode() {
				t.Errorf("feed link %q does not carry the filter %q", feed, tc.query)
			}
		})
	}
}

func TestEventsArchiveByYearNewestFirst(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/termine/archiv", http.StatusOK)
	d := doc(t, body)
	years := texts(d.Find(".event-group h2"))
	if len(years) < 8 || years[0] != "2026" || years[len(years)-1] != "2010" {
		t.Errorf("years %v, want 2026 … 2010", years)
	}
	for i := 1; i < len(years); i++ {
		if years[i] >= years[i-1] {
			t.Errorf("years not newest first: %v", years)
		}
	}
	mv := d.Find(".event-item").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Find("h3").Text(), "29. Mitgliederversammlung")
	})
	if got := strings.TrimSpace(mv.Find(".event-date").Text()); got != "16.–17. September 2025" {
		t.Errorf("29. MV date %q", got)
	}
	if mv.Find(".event-countdown").Length() != 0 {
		t.Error("a past event has a countdown")
	}
	_, body = get(t, ts, "/termine/archiv?gastgeber=stuttgart&art=treffen", http.StatusOK)
	got := eventLinks(doc(t, body))
	if len(got) != 2 || !strings.HasPrefix(got[0], "29. Mitgliederversammlung") || !strings.HasPrefix(got[1], "15. Mitgliederversammlung") {
		t.Errorf("Stuttgart meetings in the archive: %v", got)
	}
}

func TestEventsBadInput(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	long := strings.Repeat("x", 10000)
	for name, query := range map[string]string{
		"month 13":        "monat=2026-13",
		"month year 0":    "monat=0000-01",
		"month garbage":   "monat=" + url.QueryEscape("juni"),
		"unknown kind":    "art=unbekannt",
		"unknown topic":   "thema=gibt-es-nicht",
		"unknown host":    "gastgeber=atlantis",
		"script":          "thema=" + url.QueryEscape("<script>alert(1)</script>"),
		"long":            "gastgeber=" + long,
		"all bad at once": "art=x&thema=y&gastgeber=z&monat=2026-13",
	} {
		for _, path := range []string{"/termine", "/termine/archiv"} {
			t.Run(name+" "+path, func(t *testing.T) {
				_, body := get(t, ts, path+"?"+query, http.StatusOK)
				d := doc(t, body)
				if d.Find(".note").Length() == 0 {
					t.Error("no German note about the ignored value")
				}
				if strings.Contains(body, "<script>alert") || strings.Contains(body, long) || strings.ContainsRune(body, 0) {
					t.Error("query value echoed unsafely")
				}
				if len(eventLinks(d)) == 0 {
					t.Error("no events shown")
				}
			})
		}
		t.Run(name+" feed", func(t *testing.T) {
			get(t, ts, "/termine.ics?"+query, http.StatusBadRequest)
		})
	}
	for _, path := range []string{"/termine/kalender/0/01", "/termine/kalender/99999/01", "/termine/kalender/2026/13",
		"/termine/kalender/2026/00", "/termine/kalender/abc/01", "/termine/kalender/1899/12", "/termine/gibt-es-nicht",
		"/termine/gibt-es-nicht.ics", "/termine/kalender/2026/-1"} {
		t.Run(path, func(t *testing.T) { get(t, ts, path, http.StatusNotFound) })
	}
}

func TestEventShow(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := newServer(t, pool)
	_, body := get(t, ts, "/termine/29-mitgliederversammlung-2025", http.StatusOK)
	d := doc(t, body)
	if got := d.Find("h1").Text(); got != "29. Mitgliederversammlung" {
		t.Errorf("h1 %q", got)
	}
	facts := d.Find(".facts").Text()
	for _, want := range []string{"16.–17. September 2025", "Mitgliederversammlung/Treffen", "Stuttgart", "Landeshauptstadt Stuttgart"} {
		if !strings.Contains(facts, want) {
			t.Errorf("facts lack %q: %s", want, facts)
		}
	}
	if d.Find(`a[href="/mitglieder/stuttgart"]`).Length() == 0 || d.Find(`.facts a[href^="/themen/"]`).Length() == 0 {
		t.Error("host or topics not linked")
	}
	if d.Find(`a[href="/termine/29-mitgliederversammlung-2025.ics"]`).Length() != 1 {
		t.Error("no .ics link")
	}
	ld := jsonLD(t, d)
	for k, want := range map[string]any{
		"@type": "Event", "name": "29. Mitgliederversammlung", "startDate": "2025-09-16", "endDate": "2025-09-17",
		"eventStatus":         "https://schema.org/EventScheduled",
		"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
		"url":                 testBase + "/termine/29-mitgliederversammlung-2025",
	} {
		if ld[k] != want {
			t.Errorf("JSON-LD %s = %v, want %v", k, ld[k], want)
		}
	}
	loc, _ := ld["location"].([]any)
	place, _ := func() (map[string]any, bool) {
		if len(loc) == 0 {
			return nil, false
		}
		m, ok := loc[0].(map[string]any)
		return m, ok
	}()
	if place["@type"] != "Place" || place["address"].(map[string]any)["@type"] != "PostalAddress" {
		t.Errorf("JSON-LD location %v", ld["location"])
	}
	if org, _ := ld["organizer"].(map[string]any); org["@type"] != "Organization" || !strings.Contains(org["name"].(string), "DEFUS") {
		t.Errorf("JSON-LD organizer %v", ld["organizer"])
	}
}

func jsonLD(tb testing.TB, d *goquery.Document) map[string]any {
	tb.Helper()
	s := d.Find(`script[type="application/ld+json"]`)
	if s.Length() != 1 {
		tb.Fatalf("%d JSON-LD scripts, want 1", s.Length())
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s.Text()), &m); err != nil {
		tb.Fatalf("JSON-LD: %v\n%s", err, s.Text())
	}
	return m
}

func TestEventShowAcrossDSTAndStatus(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := newServer(t, pool)
	addEvent(t, pool, "test-vor-der-umstellung", "Vor der Umstellung", "2026-03-28 10:00", "2026-03-28 12:00", "")
	addEvent(t, pool, "test-nacht-der-umstellung", "Nacht der Umstellung", "2026-03-29 01:00", "2026-03-29 04:00",
		"status = 'postponed', format = 'hybrid', online_url = 'https://meet.example/geheim'")
	addEvent(t, pool, "test-herbst-umstellung", "Herbst</script><script>alert(1)</script>", "2026-10-25 01:30", "2026-10-25 04:00",
		"status = 'cancelled', format = 'online', online_url = 'https://meet.example/offen', online_url_public = true, city = ''")
	for _, tc := range []struct {
		slug, when, start, end, status, mode string
	}{
		{"test-vor-der-umstellung", "Samstag, 28. März 2026, 10:00–12:00 Uhr", "2026-03-28T10:00:00+01:00", "2026-03-28T12:00:00+01:00",
			"EventScheduled", "OfflineEventAttendanceMode"},
		{"test-nacht-der-umstellung", "Sonntag, 29. März 2026, 01:00–04:00 Uhr", "2026-03-29T01:00:00+01:00", "2026-03-29T04:00:00+02:00",
			"EventPostponed", "MixedEventAttendanceMode"},
		{"test-herbst-umstellung", "Sonntag, 25. Oktober 2026, 01:30–04:00 Uhr", "2026-10-25T01:30:00+02:00", "2026-10-25T04:00:00+01:00",
			"EventCancelled", "OnlineEventAttendanceMode"},
	} {
		t.Run(tc.slug, func(t *testing.T) {
			_, body := get(t, ts, "/termine/"+tc.slug, http.StatusOK)
			d := doc(t, body)
			if got := strings.TrimSpace(d.Find(".facts time").Text()); got != tc.when {
				t.Errorf("when %q, want %q", got, tc.when)
			}
			ld := jsonLD(t, d)
			if ld["startDate"] != tc.start || ld["endDate"] != tc.end {
				t.Errorf("JSON-LD %v – %v, want %s – %s", ld["startDate"], ld["endDate"], tc.start, tc.end)
			}
			if ld["eventStatus"] != "https://schema.org/"+tc.status || ld["eventAttendanceMode"] != "https://schema.org/"+tc.mode {
				t.Errorf("JSON-LD status %v, mode %v", ld["eventStatus"], ld["eventAttendanceMode"])
			}
			if strings.Contains(body, "</script><script>alert") {
				t.Error("title breaks out of the JSON-LD script")
			}
			if strings.Contains(body, "meet.example/geheim") {
				t.Error("private online link shown")
			}
			switch tc.status {
			case "EventCancelled":
				if !strings.Contains(d.Find(".event-status").Text(), "abgesagt") || d.Find(`a[href="https://meet.example/offen"]`).Length() != 1 {
					t.Error("cancelled online event: no notice or no public link")
				}
			case "EventPostponed":
				if !strings.Contains(d.Find(".event-status").Text(), "verschoben") {
					t.Error("postponed event does not say so")
				}
			}
		})
	}
	// The feed exports the same instants; an independent parser reads them back.
	st := store.New(pool, testClock)
	from, to := defus.MonthRange(2026, time.March)
	want, err := st.FindEvents(context.Background(), defus.EventFilter{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, ts, "/termine.ics?monat=2026-03", http.StatusOK)
	icaltest.CompareFeed(t, []byte(body), testSite, want)
	if !strings.Contains(body, "DTSTART;TZID=Europe/Berlin:20260329T010000\r\n") || !strings.Contains(body, "DTEND;TZID=Europe/Berlin:20260329T040000\r\n") {
		t.Error("DST night not exported in Berlin wall-clock time")
	}
	_, body = get(t, ts, "/termine/test-herbst-umstellung.ics", http.StatusOK)
	if !strings.Contains(body, "STATUS:CANCELLED\r\n") || !strings.Contains(body, "DTEND;TZID=Europe/Berlin:20261025T040000\r\n") {
		t.Errorf("cancelled autumn event exported wrongly:\n%s", body)
	}
}

func TestUnpublishedEventIsInvisible(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := newServer(t, pool)
	addEvent(t, pool, "test-entwurf", "Geheimer Entwurf", "2026-12-10 10:00", "2026-12-10 12:00", "published = false")
	addEvent(t, pool, "test-alter-entwurf", "Alter geheimer Entwurf", "2026-01-10 10:00", "2026-01-10 12:00", "published = false")
	get(t, ts, "/termine/test-entwurf", http.StatusNotFound)
	get(t, ts, "/termine/test-entwurf.ics", http.StatusNotFound)
	for _, path := range []string{"/termine", "/termine/archiv", "/termine.ics", "/termine/kalender/2026/12",
		"/termine/kalender/2026/01", "/sitemap.xml", "/", "/mitglieder/essen", "/termine?monat=2026-12", "/termine/archiv?monat=2026-01"} {
		_, body := get(t, ts, path, http.StatusOK)
		if strings.Contains(body, "Entwurf") || strings.Contains(body, "test-entwurf") || strings.Contains(body, "test-alter-entwurf") {
			t.Errorf("%s shows an unpublished event", path)
		}
	}
}

func TestEventsCalendarMonth(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/termine/kalender/2025/09", http.StatusOK)
	d := doc(t, body)
	table := d.Find("table.month-calendar")
	if got := strings.TrimSpace(table.Find("caption").Text()); !strings.HasPrefix(got, "Termine im September 2025") {
		t.Errorf("caption %q", got)
	}
	if got := table.Find(`thead th[scope="col"]`).Length(); got != 7 {
		t.Errorf("%d column heads, want 7", got)
	}
	if first := table.Find("thead th .visually-hidden").First().Text(); first != "Montag" {
		t.Errorf("week starts with %q, want Montag", first)
	}
	// 1 September 2025 is a Monday: 30 days fill five rows.
	if got := table.Find("tbody tr").Length(); got != 5 {
		t.Errorf("%d weeks, want 5", got)
	}
	days := map[string]int{}
	table.Find("td").Each(func(_ int, s *goquery.Selection) {
		if s.Find(`a[href="/termine/29-mitgliederversammlung-2025"]`).Length() > 0 {
			days[s.Find(".cal-day").Text()]++
		}
	})
	if days["16"] != 1 || days["17"] != 1 || len(days) != 2 {
		t.Errorf("two-day meeting shown on days %v, want 16 and 17", days)
	}
	if d.Find(`a[href="/termine/kalender/2025/08"][rel=prev]`).Length() != 1 || d.Find(`a[href="/termine/kalender/2025/10"][rel=next]`).Length() != 1 {
		t.Error("previous/next month links missing")
	}
	_, body = get(t, ts, "/termine/kalender/1900/01", http.StatusOK)
	if doc(t, body).Find("a[rel=prev]").Length() != 0 {
		t.Error("January 1900 links to a month the portal does not show")
	}
	resp, _ := get(t, ts, "/termine/kalender", http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/termine/kalender/2026/11" {
		t.Errorf("current month redirects to %q", got)
	}
	_, body = get(t, ts, "/termine/kalender/2026/11", http.StatusOK)
	if doc(t, body).Find("td.cal-today .cal-day").Text() != "24" {
		t.Error("today is not marked in the current month")
	}
}

// The month view also lists its days with events, for narrow screens
// (site.css shows either the list or the table): an event over two days is
// on both, and a month without events says so.
func TestEventsCalendarAgenda(t *testing.T) {
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/termine/kalender/2025/09", http.StatusOK)
	days := doc(t, body).Find(".month-agenda .agenda-days > li")
	var got []string
	days.Each(func(_ int, s *goquery.Selection) {
		date, _ := s.Find("time").Attr("datetime")
		got = append(got, date+" "+strings.TrimSpace(s.Find(".agenda-date").Text())+": "+s.Find(`a[href="/termine/29-mitgliederversammlung-2025"]`).Text())
	})
	want := []string{"2025-09-16 Dienstag, 16. September: 29. Mitgliederversammlung, 16.–17. September 2025",
		"2025-09-17 Mittwoch, 17. September: 29. Mitgliederversammlung, 16.–17. September 2025"}
	if !slices.Equal(got, want) {
		t.Errorf("agenda of September 2025:\n got %q\nwant %q", got, want)
	}
	_, body = get(t, ts, "/termine/kalender/1900/01", http.StatusOK)
	if got := doc(t, body).Find(".month-agenda p").Text(); got != "In diesem Monat sind keine Termine eingetragen." {
		t.Errorf("agenda of an empty month says %q", got)
	}
}

func TestEventsFeed(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := newServer(t, pool)
	resp, body := getICS(t, ts, "/termine.ics")
	want, err := store.New(pool, testClock).FindEvents(context.Background(), defus.EventFilter{From: testNow.AddDate(-1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	icaltest.CompareFeed(t, []byte(body), testSite, want)
	// 12 months back from 24 November 2026: the KI training (January 2026) is in,
	// the so-par meeting (19 November 2025) is out.
	if strings.Contains(body, "so-par") || !strings.Contains(body, "KI für die kommunale") {
		t.Error("feed does not reach exactly 12 months back")
	}
	if !strings.Contains(body, "STATUS:CANCELLED") {
		t.Error("cancelled event not kept in the feed")
	}

	// Conditional requests.
	etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || lastMod == "" {
		t.Fatalf("ETag %q, Last-Modified %q", etag, lastMod)
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/termine.ics", nil)
	req.Header.Set("If-None-Match", etag)
	request(t, req, http.StatusNotModified)
	req, _ = http.NewRequest(http.MethodGet, ts.URL+"/termine.ics", nil)
	req.Header.Set("If-Modified-Since", lastMod)
	request(t, req, http.StatusNotModified)
	req, _ = http.NewRequest(http.MethodGet, ts.URL+"/termine.ics", nil)
	req.Header.Set("If-None-Match", `W/"anders"`)
	req.Header.Set("If-Modified-Since", lastMod)
	request(t, req, http.StatusOK)

	// A change gives a new ETag.
	addEvent(t, pool, "test-neu", "Neuer Termin", "2026-12-20 10:00", "2026-12-20 12:00", "")
	resp2, _ := get(t, ts, "/termine.ics", http.StatusOK)
	if resp2.Header.Get("ETag") == etag {
		t.Error("ETag unchanged after a new event")
	}

	// The filtered feed has just the topic's events and says so in its name.
	_, body = get(t, ts, "/termine.ics?thema=urbane-resilienz", http.StatusOK)
	if !strings.Contains(body, "X-WR-CALNAME:DEFUS-Termine: Urbane Resilienz\r\n") {
		t.Error("filtered feed name does not name the topic")
	}
	if strings.Contains(body, "Workshop Nachtleben") || !strings.Contains(body, "Fachtag Urbane Resilienz") {
		t.Error("filtered feed has the wrong events")
	}
}

func TestEventICS(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := newServer(t, pool)
	resp, body := getICS(t, ts, "/termine/29-mitgliederversammlung-2025.ics")
	if !strings.Contains(resp.Header.Get("Content-Disposition"), "29-mitgliederversammlung-2025.ics") {
		t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
	}
	e, err := store.New(pool, testClock).FindEvent(context.Background(), "29-mitgliederversammlung-2025")
	if err != nil {
		t.Fatal(err)
	}
	icaltest.CompareEvent(t, []byte(body), testSite, *e)
	for _, want := range []string{"DTSTART;VALUE=DATE:20250916\r\n", "DTEND;VALUE=DATE:20250918\r\n", "UID:" + e.UID + "\r\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("ics lacks %q", want)
		}
	}
}

func TestEventsElsewhere(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/", http.StatusOK)
	if got := len(eventLinks(doc(t, body))); got != 3 {
		t.Errorf("home shows %d events, want the next 3", got)
	}
	_, body = get(t, ts, "/mitglieder/koeln", http.StatusOK)
	d := doc(t, body)
	if got := len(texts(d.Find("section[aria-labelledby=member-events-title] .event-title a"))); got != 2 {
		t.Errorf("Köln profile shows %d hosted events, want 2", got)
	}
	_, body = get(t, ts, "/mitglieder/stuttgart", http.StatusOK)
	if !strings.Contains(doc(t, body).Find(".past-events").Text(), "29. Mitgliederversammlung") {
		t.Error("Stuttgart profile does not show its past meeting")
	}
	_, body = get(t, ts, "/themen/drogen-und-sucht", http.StatusOK)
	if !strings.Contains(doc(t, body).Find("section[aria-labelledby=topic-events-title]").Text(), "Fachgespräch Drogenkonsum") {
		t.Error("topic page does not show its events")
	}
	_, body = get(t, ts, "/sitemap.xml", http.StatusOK)
	for _, want := range []string{testBase + "/termine</loc>", testBase + "/termine/29-mitgliederversammlung-2025</loc>"} {
		if !strings.Contains(body, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	_, body = get(t, ts, "/termine/abonnieren", http.StatusOK)
	text := doc(t, body).Find("main").Text()
	for _, want := range []string{"Outlook", "Apple Kalender", "Google Kalender", "Thunderbird", "ein- bis zweimal am Tag", testBase + "/termine.ics"} {
		if !strings.Contains(text, want) {
			t.Errorf("help page lacks %q", want)
		}
	}
}
