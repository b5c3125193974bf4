package server_test

import (
	"context"
	"fmt"
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
	"defus.de/portal/internal/store"
)

// eventForm is a complete, valid event form as a person fills it, German
// date format included; change adjusts it.
func eventForm(change func(url.Values)) url.Values {
	f := url.Values{
		"title": {"Workshop Sichere Innenstädte"}, "slug": {""}, "kind": {"workshop"}, "status": {"scheduled"},
		"start_date": {"16.09.2027"}, "start_time": {"10:00"}, "end_date": {""}, "end_time": {"16:30"},
		"format": {"in_person"}, "place_name": {"Neues Rathaus"}, "street": {"Marktplatz 1"}, "postcode": {"70173"},
		"city": {"Stuttgart"}, "partners": {"Deutsches Institut für Urbanistik"},
		"summary": {"Ein Tag zum Austausch über sichere Innenstädte."}, "description": {"## Ablauf\n\nViel **Austausch**."},
		"registration_note": {"Bitte bis 1. September anmelden."}, "published": {"ja"}, "version": {"0"},
	}
	if change != nil {
		change(f)
	}
	return f
}

// createEvent posts the form and returns the edit path of the new event.
func createEvent(t *testing.T, ts *httptest.Server, c *http.Cookie, f url.Values) string {
	t.Helper()
	resp, _ := send(t, ts, http.MethodPost, "/admin/termine", c, f, http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	if !regexp.MustCompile(`^/admin/termine/\d+$`).MatchString(edit) {
		t.Fatalf("create redirected to %q", edit)
	}
	return edit
}

// idOf is the numeric id at the end of an edit path.
func idOf(t *testing.T, edit string) int64 {
	t.Helper()
	return int64(atoi(t, edit[strings.LastIndex(edit, "/")+1:]))
}

func topicID(t *testing.T, pool *pgxpool.Pool, slug string) string {
	t.Helper()
	var id int64
	if err := pool.QueryRow(context.Background(), `SELECT id FROM topics WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(id)
}

func memberID(t *testing.T, pool *pgxpool.Pool, slug string) string {
	t.Helper()
	var id int64
	if err := pool.QueryRow(context.Background(), `SELECT id FROM members WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(id)
}

func TestAdminEventCreateShowsEverywhereAtOnce(t *testing.T) {
	t.Parallel()
	ts, c, pool := eventsAdmin(t)
	topic := topicID(t, pool, "urbane-resilienz")
	// The day after "now": it becomes the next event on the home page.
	edit := createEvent(t, ts, c, eventForm(func(f url.Values) {
		f.Set("start_date", "25.11.2026")
		f.Set("host", memberID(t, pool, "stuttgart"))
		f["topics"] = []string{topic}
	}))

	// The form shows what was stored, in the browser's formats.
	_, body := send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
	d := doc(t, body)
	for sel, want := range map[string]string{
		"#event-slug": "workshop-sichere-innenstaedte", "#event-start-date": "2026-11-25",
		"#event-start-time": "10:00", "#event-end-time": "16:30", "#event-end-date": "",
	} {
		if got := d.Find(sel).AttrOr("value", "?"); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if d.Find(`#event-topic-`+topic+`[checked]`).Length() != 1 || d.Find(`#event-published[checked]`).Length() != 1 {
		t.Error("topic or published not ticked after saving")
	}
	if !strings.Contains(d.Find(".flash").Text(), "angelegt") {
		t.Errorf("no flash after creating: %q", d.Find(".flash").Text())
	}

	// Detail page, list, feed and home page show it without delay.
	_, body = get(t, ts, "/termine/workshop-sichere-innenstaedte", http.StatusOK)
	d = doc(t, body)
	if got := d.Find("main h1").Text(); got != "Workshop Sichere Innenstädte" {
		t.Errorf("detail h1 = %q", got)
	}
	facts := d.Find(".facts").Text()
	for _, want := range []string{"Mittwoch, 25. November 2026, 10:00–16:30 Uhr", "Neues Rathaus, Marktplatz 1, 70173 Stuttgart",
		"Stuttgart", "Deutsches Institut für Urbanistik", "Urbane Resilienz"} {
		if !strings.Contains(facts, want) {
			t.Errorf("detail facts lack %q: %s", want, facts)
		}
	}
	if d.Find("main .prose h2").Text() != "Ablauf" {
		t.Error("description not rendered from Markdown")
	}
	for _, path := range []string{"/termine", "/"} {
		_, body = get(t, ts, path, http.StatusOK)
		if doc(t, body).Find(`a[href="/termine/workshop-sichere-innenstaedte"]`).Length() == 0 {
			t.Errorf("%s does not list the new event", path)
		}
	}
	_, ics := getICS(t, ts, "/termine.ics")
	if !strings.Contains(ics, "SUMMARY:Workshop Sichere Innenstädte") || !strings.Contains(ics, "DTSTART;TZID=Europe/Berlin:20261125T100000") {
		t.Error("feed lacks the new event")
	}

	// The office's list finds it; the audit log names it a Termin.
	_, body = send(t, ts, http.MethodGet, "/admin/termine?q=innenst%C3%A4dte", c, nil, http.StatusOK)
	if got := texts(doc(t, body).Find("tbody th a")); !slices.Equal(got, []string{"Workshop Sichere Innenstädte"}) {
		t.Errorf("search found %q", got)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	if !strings.Contains(body, "Termin: Workshop Sichere Innenstädte") || !strings.Contains(body, "Tina Termin") {
		t.Error("audit log lacks the created event")
	}
}

func TestAdminEventValidation(t *testing.T) {
	t.Parallel()
	ts, c, pool := eventsAdmin(t)
	topic := topicID(t, pool, "urbane-resilienz")
	for _, tc := range []struct {
		name   string
		change func(url.Values)
		field  string // element id
		msg    string // part of the German message
	}{
		{"missing title", func(f url.Values) { f.Set("title", "  ") }, "event-title", "Titel"},
		{"end before start", func(f url.Values) { f.Set("end_time", "09:00") }, "event-end-date", "nicht vor dem Beginn"},
		{"end day before start day", func(f url.Values) { f.Set("end_date", "15.09.2027"); f.Set("end_time", "18:00") }, "event-end-date", "nicht vor dem Beginn"},
		{"all-day end before start", func(f url.Values) { f.Set("all_day", "ja"); f.Set("end_date", "2027-09-01") }, "event-end-date", "nicht vor dem Beginn"},
		{"year 0", func(f url.Values) { f.Set("start_date", "0000-09-16") }, "event-start-date", "zwischen 1990 und 2100"},
		{"year far ahead", func(f url.Values) { f.Set("start_date", "16.09.2207") }, "event-start-date", "zwischen 1990 und 2100"},
		{"nonsense date", func(f url.Values) { f.Set("start_date", "31.02.2026") }, "event-start-date", "gültiges Datum"},
		{"nonsense time", func(f url.Values) { f.Set("start_time", "25:00") }, "event-start-time", "gültige Uhrzeit"},
		{"start in the hour skipped by summer time", func(f url.Values) { f.Set("start_date", "29.03.2026"); f.Set("start_time", "02:30") },
			"event-start-time", "Diese Uhrzeit gibt es am 29.03.2026 wegen der Zeitumstellung nicht."},
		{"end in the hour skipped by summer time", func(f url.Values) {
			f.Set("start_date", "2026-03-29")
			f.Set("start_time", "01:00")
			f.Set("end_time", "2:15")
		},
			"event-end-time", "Diese Uhrzeit gibt es am 29.03.2026 wegen der Zeitumstellung nicht."},
		{"missing date", func(f url.Values) { f.Set("start_date", "") }, "event-start-date", "Datum des Beginns"},
		{"missing time", func(f url.Values) { f.Set("start_time", "") }, "event-start-time", "Ganztägig"},
		{"javascript link", func(f url.Values) { f.Set("format", "online"); f.Set("online_url", "javascript:alert(1)") }, "event-online-url", "https://"},
		{"online without link", func(f url.Values) { f.Set("format", "hybrid"); f.Set("registration_note", "") }, "event-online-url", "Online-Link"},
		{"javascript registration", func(f url.Values) { f.Set("registration_url", "JavaScript:alert(1)") }, "event-registration-url", "https://"},
		{"in person without place", func(f url.Values) { f.Set("place_name", ""); f.Set("city", "") }, "event-city", "Stadt"},
		{"forged topic", func(f url.Values) { f["topics"] = []string{topic, "999999"} }, "topics", "Themen aus der Liste"},
		{"topic not a number", func(f url.Values) { f["topics"] = []string{"1 OR 1=1"} }, "topics", "Themen aus der Liste"},
		{"unknown host", func(f url.Values) { f.Set("host", "999999") }, "event-host", "Gastgeber aus der Liste"},
		{"unknown kind", func(f url.Values) { f.Set("kind", "party") }, "event-kind", "Art"},
		{"reserved slug", func(f url.Values) { f.Set("slug", "archiv") }, "event-slug", "reserviert"},
		{"slug taken", func(f url.Values) { f.Set("slug", "fachtag-urbane-resilienz") }, "event-slug", "vergeben"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := eventForm(tc.change)
			_, body := send(t, ts, http.MethodPost, "/admin/termine", c, form, http.StatusUnprocessableEntity)
			d := doc(t, body)
			ctl, described := d.Find("#"+tc.field), d.Find("#"+tc.field)
			if tc.field == "topics" { // a group: the summary links the first box, the fieldset has the message
				ctl, described = d.Find("input[name=topics]").First(), d.Find("fieldset.checkbox-group")
			}
			id := ctl.AttrOr("id", "")
			if ctl.AttrOr("aria-invalid", "") != "true" {
				t.Errorf("%s not marked invalid", id)
			}
			if link := d.Find(`.error-summary a[href="#` + id + `"]`); !strings.Contains(link.Text(), tc.msg) {
				t.Errorf("error summary for %s: %q, want it to mention %q", id, link.Text(), tc.msg)
			}
			ids := strings.Fields(described.AttrOr("aria-describedby", ""))
			if len(ids) == 0 || !strings.Contains(d.Find("#"+ids[len(ids)-1]).Text(), tc.msg) {
				t.Errorf("message beside %s does not say %q", id, tc.msg)
			}
			// Everything typed is kept, the wrong value included.
			if got := d.Find("#event-summary").Text(); got != form.Get("summary") {
				t.Errorf("summary lost: %q", got)
			}
			if got := d.Find("#event-description").Text(); got != form.Get("description") {
				t.Errorf("description lost: %q", got)
			}
			if d.Find("#event-published[checked]").Length() != 1 {
				t.Error("published box lost")
			}
			if form.Get("start_date") == "31.02.2026" && d.Find("#event-start-date").AttrOr("value", "") != "31.02.2026" {
				t.Errorf("typed date not kept: %q", d.Find("#event-start-date").AttrOr("value", ""))
			}
			if form.Get("online_url") != "" && d.Find("#event-online-url").AttrOr("value", "") != form.Get("online_url") {
				t.Error("typed link not kept")
			}
			if form.Get("place_name") != "" && d.Find("#event-place-name").AttrOr("value", "") != form.Get("place_name") {
				t.Error("typed place not kept")
			}
		})
	}
	// A missing title is one message, not a second one for the address.
	_, body := send(t, ts, http.MethodPost, "/admin/termine", c, eventForm(func(f url.Values) { f.Set("title", "") }), http.StatusUnprocessableEntity)
	if d := doc(t, body); d.Find(".error-summary li").Length() != 1 || d.Find("#event-slug[aria-invalid]").Length() != 0 {
		t.Errorf("missing title: %q", texts(d.Find(".error-summary li")))
	}
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM events WHERE title = 'Workshop Sichere Innenstädte'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("invalid forms stored %d events (%v)", n, err)
	}
}

// veventOf is the unfolded VEVENT with uid in an iCalendar body.
func veventOf(t *testing.T, ics, uid string) string {
	t.Helper()
	ics = strings.ReplaceAll(ics, "\r\n ", "")
	for _, block := range strings.Split(ics, "BEGIN:VEVENT") {
		if strings.Contains(block, "\r\nUID:"+uid+"\r\n") {
			return block
		}
	}
	t.Fatalf("no VEVENT with UID %s in\n%s", uid, ics)
	return ""
}

func icsProp(t *testing.T, vevent, name string) string {
	t.Helper()
	m := regexp.MustCompile(`\r\n` + name + `(;[^:]*)?:([^\r]*)\r\n`).FindStringSubmatch(vevent)
	if m == nil {
		t.Fatalf("no %s in\n%s", name, vevent)
	}
	return m[2]
}

func TestAdminEventUpdateRaisesSequenceAndLastModified(t *testing.T) {
	t.Parallel()
	ts, c, pool := eventsAdmin(t)
	edit := createEvent(t, ts, c, eventForm(nil))
	ctx := context.Background()
	var uid string
	if err := pool.QueryRow(ctx, `SELECT uid FROM events WHERE id = $1`, idOf(t, edit)).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	// Date the last change back an hour, past the trigger, so the edit
	// below shows as a later LAST-MODIFIED without waiting for the clock.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`SET LOCAL session_replication_role = replica`,
		`UPDATE events SET updated_at = updated_at - interval '1 hour' WHERE uid = '` + uid + `'`} {
		if _, err := tx.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	_, before := getICS(t, ts, "/termine.ics")
	vBefore := veventOf(t, before, uid)
	if got := icsProp(t, vBefore, "SEQUENCE"); got != "0" {
		t.Fatalf("new event has SEQUENCE %s", got)
	}

	// Move it by an hour: the feed announces a new revision.
	send(t, ts, http.MethodPost, edit, c, eventForm(func(f url.Values) {
		f.Set("start_time", "11:00")
		f.Set("version", "1")
	}), http.StatusSeeOther)
	_, after := getICS(t, ts, "/termine.ics")
	vAfter := veventOf(t, after, uid)
	if got := icsProp(t, vAfter, "SEQUENCE"); got != "1" {
		t.Errorf("SEQUENCE after the change = %s, want 1", got)
	}
	if got := icsProp(t, vAfter, "DTSTART"); got != "20270916T110000" {
		t.Errorf("DTSTART after the change = %s", got)
	}
	lmBefore, lmAfter := icsProp(t, vBefore, "LAST-MODIFIED"), icsProp(t, vAfter, "LAST-MODIFIED")
	if lmAfter <= lmBefore {
		t.Errorf("LAST-MODIFIED %s → %s, want later", lmBefore, lmAfter)
	}
	// The single event's .ics agrees.
	_, one := getICS(t, ts, "/termine/workshop-sichere-innenstaedte.ics")
	if got := icsProp(t, veventOf(t, one, uid), "SEQUENCE"); got != "1" {
		t.Errorf("event .ics SEQUENCE = %s, want 1", got)
	}

	// Cancelling raises it again and says so in the title.
	send(t, ts, http.MethodPost, edit, c, eventForm(func(f url.Values) {
		f.Set("start_time", "11:00")
		f.Set("status", "cancelled")
		f.Set("version", "2")
	}), http.StatusSeeOther)
	_, cancelled := getICS(t, ts, "/termine.ics")
	v := veventOf(t, cancelled, uid)
	if icsProp(t, v, "SEQUENCE") != "2" || icsProp(t, v, "STATUS") != "CANCELLED" || !strings.HasPrefix(icsProp(t, v, "SUMMARY"), "Abgesagt: ") {
		t.Errorf("cancelled event in feed:\n%s", v)
	}

	// The audit log names what changed.
	_, body := send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	if !strings.Contains(body, "16. September 2027, 11:00–16:30 Uhr") || !strings.Contains(body, "Abgesagt") {
		t.Error("audit log lacks the changed time or status")
	}
}

func TestAdminEventConflictKeepsTypedValues(t *testing.T) {
	t.Parallel()
	ts, c, pool := eventsAdmin(t)
	addAccount(t, store.New(pool, testClock), "zweite@defus.example", "Zora Zweite", defus.RoleEditor)
	other := login(t, ts, "zweite@defus.example")
	edit := createEvent(t, ts, c, eventForm(nil))

	// Both opened version 1; Zora saves a new time first.
	send(t, ts, http.MethodPost, edit, other, eventForm(func(f url.Values) {
		f.Set("start_time", "09:00")
		f.Set("version", "1")
	}), http.StatusSeeOther)
	_, body := send(t, ts, http.MethodPost, edit, c, eventForm(func(f url.Values) {
		f.Set("description", "Tinas Fassung")
		f.Set("start_date", "17.09.2027")
		f.Set("version", "1")
	}), http.StatusConflict)
	d := doc(t, body)
	conflict := d.Find(".conflict").Text()
	if !strings.Contains(conflict, "Wann") || !strings.Contains(conflict, "16. September 2027, 09:00–16:30 Uhr") {
		t.Errorf("conflict does not show the stored time: %s", conflict)
	}
	if d.Find("#event-description").Text() != "Tinas Fassung" || d.Find("#event-start-date").AttrOr("value", "") != "2027-09-17" {
		t.Error("typed values lost after the conflict")
	}
	if got := d.Find("input[name=version]").AttrOr("value", ""); got != "2" {
		t.Errorf("form carries version %q, want 2", got)
	}
	_, pub := get(t, ts, "/termine/workshop-sichere-innenstaedte", http.StatusOK)
	if strings.Contains(pub, "Tinas Fassung") || !strings.Contains(pub, "09:00–16:30 Uhr") {
		t.Error("the stale save overwrote the earlier one")
	}
}

func TestAdminEventDelete(t *testing.T) {
	t.Parallel()
	ts, c, pool := eventsAdmin(t)
	edit := createEvent(t, ts, c, eventForm(nil))

	_, body := send(t, ts, http.MethodGet, edit+"/loeschen", c, nil, http.StatusOK)
	d := doc(t, body)
	if !strings.Contains(d.Find("main").Text(), "abonniert") {
		t.Error("confirmation does not warn calendar subscribers lose the event")
	}
	if d.Find(`a[href="`+edit+`#event-status"]`).Length() != 1 || !strings.Contains(d.Find("main").Text(), "Abgesagt") {
		t.Error("confirmation does not suggest cancelling instead")
	}
	version := d.Find(`.confirm-form input[name=version]`).AttrOr("value", "")

	// A stale confirmation deletes nothing.
	send(t, ts, http.MethodPost, edit+"/loeschen", c, url.Values{"version": {"0"}}, http.StatusSeeOther)
	get(t, ts, "/termine/workshop-sichere-innenstaedte", http.StatusOK)

	resp, _ := send(t, ts, http.MethodPost, edit+"/loeschen", c, url.Values{"version": {version}}, http.StatusSeeOther)
	if resp.Header.Get("Location") != "/admin/termine" {
		t.Errorf("after delete: redirect to %q", resp.Header.Get("Location"))
	}
	get(t, ts, "/termine/workshop-sichere-innenstaedte", http.StatusNotFound)
	send(t, ts, http.MethodGet, edit, c, nil, http.StatusNotFound)
	if _, ics := getICS(t, ts, "/termine.ics"); strings.Contains(ics, "Sichere Innenstädte") {
		t.Error("deleted event still in the feed")
	}

	// A past event: deleting it takes it out of the archive.
	var past int64
	if err := pool.QueryRow(context.Background(), `SELECT id FROM events WHERE slug = 'gruendung-von-defus-2010'`).Scan(&past); err != nil {
		t.Fatal(err)
	}
	_, body = send(t, ts, http.MethodGet, fmt.Sprintf("/admin/termine/%d/loeschen", past), c, nil, http.StatusOK)
	if text := doc(t, body).Find("main").Text(); !strings.Contains(text, "Archiv") || strings.Contains(text, "Abgesagt") {
		t.Errorf("past event confirmation: %s", text)
	}
}

func TestAdminEventUnknownIDsAreNotFound(t *testing.T) {
	t.Parallel()
	ts, c, _ := eventsAdmin(t)
	for _, path := range []string{"/admin/termine/999999", "/admin/termine/999999/kopie", "/admin/termine/999999/loeschen",
		"/admin/termine/abc", "/admin/termine/-1", "/admin/termine/0"} {
		send(t, ts, http.MethodGet, path, c, nil, http.StatusNotFound)
	}
	send(t, ts, http.MethodPost, "/admin/termine/999999", c, eventForm(nil), http.StatusNotFound)
	send(t, ts, http.MethodPost, "/admin/termine/999999/loeschen", c, url.Values{"version": {"1"}}, http.StatusNotFound)
}

func TestAdminEventDuplicatePrefills(t *testing.T) {
	t.Parallel()
	ts, c, pool := eventsAdmin(t)
	ctx := context.Background()
	var id int64
	var topics int
	if err := pool.QueryRow(ctx, `SELECT id, (SELECT count(*) FROM event_topics WHERE event_id = id) FROM events WHERE slug = 'workshop-sicherheitsaudits-im-quartier'`).Scan(&id, &topics); err != nil {
		t.Fatal(err)
	}
	_, body := send(t, ts, http.MethodGet, fmt.Sprintf("/admin/termine/%d", id), c, nil, http.StatusOK)
	orig := doc(t, body)
	if orig.Find(fmt.Sprintf(`a[href="/admin/termine/%d/kopie"]`, id)).Length() != 1 {
		t.Fatal("edit page offers no copy")
	}

	var before int
	pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&before)
	_, body = send(t, ts, http.MethodGet, fmt.Sprintf("/admin/termine/%d/kopie", id), c, nil, http.StatusOK)
	d := doc(t, body)
	if d.Find(`form.event-form`).AttrOr("action", "") != "/admin/termine" || d.Find(`input[name=version]`).AttrOr("value", "") != "0" {
		t.Error("copy does not post as a new event")
	}
	for _, sel := range []string{"#event-title", "#event-start-date", "#event-start-time", "#event-end-time", "#event-city", "#event-place-name"} {
		if got, want := d.Find(sel).AttrOr("value", ""), orig.Find(sel).AttrOr("value", ""); got != want || got == "" {
			t.Errorf("copy %s = %q, want the original's %q", sel, got, want)
		}
	}
	for _, sel := range []string{"#event-summary", "#event-kind option[selected]", "#event-host option[selected]"} {
		if got, want := d.Find(sel).Text(), orig.Find(sel).Text(); got != want || got == "" {
			t.Errorf("copy %s = %q, want the original's %q", sel, got, want)
		}
	}
	if got := d.Find(`input[name=topics][checked]`).Length(); got != topics || got == 0 {
		t.Errorf("copy ticks %d topics, want %d", got, topics)
	}
	if d.Find("#event-slug").AttrOr("value", "x") != "" || d.Find("#event-published[checked]").Length() != 0 {
		t.Error("copy keeps the address or is published")
	}
	var cancelled int64
	if err := pool.QueryRow(ctx, `SELECT id FROM events WHERE status = 'cancelled' LIMIT 1`).Scan(&cancelled); err != nil {
		t.Fatal(err)
	}
	_, copied := send(t, ts, http.MethodGet, fmt.Sprintf("/admin/termine/%d/kopie", cancelled), c, nil, http.StatusOK)
	if got := doc(t, copied).Find("#event-status option[selected]").AttrOr("value", ""); got != "scheduled" {
		t.Errorf("copy of a cancelled event has status %q", got)
	}
	if !strings.Contains(d.Find(".copy-note").Text(), "neue Datum") || !strings.Contains(d.Find("#event-start-date-hint").Text(), "Original") {
		t.Error("copy does not ask to adjust the date")
	}
	var after int
	pool.QueryRow(ctx, `SELECT count(*) FROM events`).Scan(&after)
	if after != before {
		t.Error("opening a copy stored something")
	}

	// Saved as it is (a new date typed), the address is proposed from the
	// title and the date, since the title's own is taken.
	f := url.Values{}
	d.Find("form.event-form input, form.event-form textarea, form.event-form select").Each(func(_ int, s *goqueryS) {
		formValue(f, s)
	})
	f.Set("start_date", "2027-03-10")
	resp, _ := send(t, ts, http.MethodPost, "/admin/termine", c, f, http.StatusSeeOther)
	_, body = send(t, ts, http.MethodGet, resp.Header.Get("Location"), c, nil, http.StatusOK)
	if got := doc(t, body).Find("#event-slug").AttrOr("value", ""); got != "workshop-sicherheitsaudits-im-quartier-2027-03-10" {
		t.Errorf("copy's address = %q", got)
	}
	get(t, ts, "/termine/workshop-sicherheitsaudits-im-quartier-2027-03-10", http.StatusNotFound) // a draft
}

func TestAdminEventHostileMarkdownNeverRuns(t *testing.T) {
	t.Parallel()
	ts, c, _ := eventsAdmin(t)
	hostile := "<script>alert(1)</script>\n\n[klick](javascript:alert(2))\n\n<img src=x onerror=alert(3)>\n\n<a href=\"https://evil.example\" onclick=\"alert(4)\">x</a>\n\n[Efus](https://efus.eu)"
	form := eventForm(func(f url.Values) {
		f.Set("title", "<b>Böser</b> Termin")
		f.Set("slug", "boeser-termin")
		f.Set("description", hostile)
		f.Set("partners", `<script>alert(5)</script>`)
	})
	createEvent(t, ts, c, form)
	_, body := get(t, ts, "/termine/boeser-termin", http.StatusOK)
	lower := strings.ToLower(body)
	for _, bad := range []string{"<script>alert", "javascript:", "onerror", "onclick", "<b>böser</b>"} {
		if strings.Contains(lower, bad) {
			t.Errorf("public page contains %q", bad)
		}
	}
	if doc(t, body).Find(`main a[href="https://efus.eu"]`).Length() != 1 {
		t.Error("harmless link dropped")
	}

	// The preview renders the same way, marked, without JSON-LD, and drops
	// a javascript: link it cannot save anyway.
	form.Set("format", "hybrid")
	form.Set("online_url", "javascript:alert(6)")
	form.Set("online_url_public", "ja")
	_, body = send(t, ts, http.MethodPost, "/admin/termine/vorschau", c, form, http.StatusOK)
	lower = strings.ToLower(body)
	d := doc(t, body)
	if strings.Contains(lower, "<script>alert") || strings.Contains(lower, "javascript:") || d.Find(".preview-banner").Length() != 1 {
		t.Error("preview unsafe or unmarked")
	}
	if d.Find(`script[type="application/ld+json"]`).Length() != 0 || d.Find(`meta[name=robots][content*=noindex]`).Length() != 1 {
		t.Error("preview carries JSON-LD or may be indexed")
	}
	if got := d.Find("main h1").Text(); got != "<b>Böser</b> Termin" {
		t.Errorf("preview h1 = %q", got)
	}
}

func TestAdminEventPreviewNeedsDates(t *testing.T) {
	t.Parallel()
	ts, c, _ := eventsAdmin(t)
	_, body := send(t, ts, http.MethodPost, "/admin/termine/vorschau", c, eventForm(func(f url.Values) { f.Set("start_date", "31.02.2026") }),
		http.StatusUnprocessableEntity)
	if !strings.Contains(doc(t, body).Find("main").Text(), "gültiges Datum") {
		t.Error("preview of a nonsense date does not say why")
	}
}

func TestAdminEventTimesAreBerlinWallClock(t *testing.T) {
	t.Parallel()
	ts, c, pool := eventsAdmin(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, date, time string
		allDay           bool
		wantStart        time.Time
		wantEnd          time.Time
	}{
		{"winter (CET)", "2027-01-15", "10:00", false, time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC), time.Date(2027, 1, 15, 15, 30, 0, 0, time.UTC)},
		{"summer (CEST)", "15.07.2027", "10:00", false, time.Date(2027, 7, 15, 8, 0, 0, 0, time.UTC), time.Date(2027, 7, 15, 14, 30, 0, 0, time.UTC)},
		{"day of the change to summer time", "28.03.2027", "10 Uhr", false, time.Date(2027, 3, 28, 8, 0, 0, 0, time.UTC), time.Date(2027, 3, 28, 14, 30, 0, 0, time.UTC)},
		{"all day in summer", "15.07.2027", "", true, time.Date(2027, 7, 14, 22, 0, 0, 0, time.UTC), time.Date(2027, 7, 15, 22, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			edit := createEvent(t, ts, c, eventForm(func(f url.Values) {
				f.Set("title", "Zeittest "+tc.name)
				f.Set("start_date", tc.date)
				f.Set("start_time", tc.time)
				if tc.allDay {
					f.Set("all_day", "ja")
				}
			}))
			var start, end time.Time
			var allDay bool
			if err := pool.QueryRow(ctx, `SELECT starts_at, ends_at, all_day FROM events WHERE id = $1`, idOf(t, edit)).Scan(&start, &end, &allDay); err != nil {
				t.Fatal(err)
			}
			if !start.Equal(tc.wantStart) || !end.Equal(tc.wantEnd) || allDay != tc.allDay {
				t.Errorf("stored %s – %s (all day %v), want %s – %s", start.UTC(), end.UTC(), allDay, tc.wantStart, tc.wantEnd)
			}
		})
	}
}

func TestAdminEventsListFiltersAndSorts(t *testing.T) {
	t.Parallel()
	ts, c, _ := eventsAdmin(t)
	createEvent(t, ts, c, eventForm(func(f url.Values) {
		f.Set("title", "Entwurf Fachgespräch")
		f.Set("city", "Wolfsburg")
		f.Del("published")
	}))
	starts := func(path string) []string {
		_, body := send(t, ts, http.MethodGet, path, c, nil, http.StatusOK)
		var out []string
		doc(t, body).Find("tbody time").Each(func(_ int, s *goqueryS) { out = append(out, s.AttrOr("datetime", "")) })
		if len(out) == 0 {
			t.Fatalf("%s lists no events", path)
		}
		return out
	}
	up := starts("/admin/termine")
	if !slices.IsSorted(up) {
		t.Errorf("upcoming not soonest first: %v", up)
	}
	for _, s := range up {
		if s < "2026-11-24" {
			t.Errorf("upcoming list shows %s", s)
		}
	}
	past := starts("/admin/termine?zeit=vergangene")
	if !slices.IsSortedFunc(past, func(a, b string) int { return strings.Compare(b, a) }) || past[0] > "2026-11-24" {
		t.Errorf("past not newest first: %v", past)
	}

	_, body := send(t, ts, http.MethodGet, "/admin/termine?zeit=alle&status=draft", c, nil, http.StatusOK)
	if got := texts(doc(t, body).Find("tbody th a")); !slices.Equal(got, []string{"Entwurf Fachgespräch"}) {
		t.Errorf("drafts: %q", got)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/termine?q=wolfsburg", c, nil, http.StatusOK)
	if got := texts(doc(t, body).Find("tbody th a")); !slices.Equal(got, []string{"Entwurf Fachgespräch"}) {
		t.Errorf("search by city: %q", got)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/termine?zeit=alle&art=fortbildung", c, nil, http.StatusOK)
	d := doc(t, body)
	for _, kind := range texts(d.Find("tbody td:nth-of-type(3)")) {
		if kind != "Fortbildung" {
			t.Errorf("kind filter shows %q", kind)
		}
	}
	if d.Find(`#filter-art option[value=fortbildung][selected]`).Length() != 1 {
		t.Error("kind filter not kept in the form")
	}
	_, body = send(t, ts, http.MethodGet, "/admin/termine?zeit=alle", c, nil, http.StatusOK)
	d = doc(t, body)
	if d.Find("tbody tr").Length() != 25 || !strings.Contains(d.Find(".pager").Text(), "Seite 1 von 2") {
		t.Errorf("all events: %d rows, pager %q", d.Find("tbody tr").Length(), d.Find(".pager").Text())
	}
	if href := d.Find(`.pager a[rel=next]`).AttrOr("href", ""); href != "/admin/termine?seite=2&zeit=alle" {
		t.Errorf("next page link %q", href)
	}
	send(t, ts, http.MethodGet, "/admin/termine?zeit=alle&seite=2", c, nil, http.StatusOK)
}

func TestAdminEventsNeedOfficeRole(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "m@defus.example", "Max Mitglied", defus.RoleMember)
	c := login(t, ts, "m@defus.example")
	send(t, ts, http.MethodGet, "/admin/termine", c, nil, http.StatusForbidden)
	send(t, ts, http.MethodPost, "/admin/termine", c, eventForm(nil), http.StatusForbidden)
	send(t, ts, http.MethodPost, "/admin/termine/vorschau", c, eventForm(nil), http.StatusForbidden)
}

type goqueryS = goquery.Selection

// formValue adds what a browser would submit for the form control s.
func formValue(f url.Values, s *goquery.Selection) {
	name, ok := s.Attr("name")
	if !ok {
		return
	}
	switch {
	case goquery.NodeName(s) == "textarea":
		f.Add(name, s.Text())
	case goquery.NodeName(s) == "select":
		opt := s.Find("option[selected]")
		if opt.Length() == 0 {
			opt = s.Find("option").First()
		}
		f.Add(name, opt.AttrOr("value", ""))
	case s.AttrOr("type", "") == "checkbox":
		if _, checked := s.Attr("checked"); checked {
			f.Add(name, s.AttrOr("value", "on"))
		}
	default:
		f.Add(name, s.AttrOr("value", ""))
	}
}

// The event form keeps the registration settings, and refuses what it
// cannot read with a message at the field, keeping what was typed.
func TestAdminEventRegistrationSettings(t *testing.T) {
	t.Parallel()
	ts, c, pool := eventsAdmin(t)
	_, body := send(t, ts, http.MethodPost, "/admin/termine", c, eventForm(func(f url.Values) {
		f.Set("registration_mode", "open")
		f.Set("capacity", "zwanzig")
		f.Set("places_per_member", "0")
	}), http.StatusUnprocessableEntity)
	d := doc(t, body)
	if got := d.Find("#event-capacity").AttrOr("value", ""); got != "zwanzig" {
		t.Errorf("capacity kept as %q", got)
	}
	for _, id := range []string{"event-capacity", "event-places-per-member"} {
		if d.Find("#"+id+"-error").Length() == 0 && !strings.Contains(d.Find("#"+id).AttrOr("aria-describedby", ""), "error") {
			t.Errorf("no message at %s", id)
		}
	}
	edit := createEvent(t, ts, c, eventForm(func(f url.Values) {
		f.Set("registration_mode", "members")
		f.Set("capacity", "20")
		f.Set("places_per_member", "2")
		f.Set("registration_deadline", "10.09.2027")
		f.Set("online_url_members", "ja")
	}))
	var mode string
	var capacity, perMember int
	var deadline time.Time
	var members bool
	err := pool.QueryRow(context.Background(), `SELECT registration_mode, capacity, places_per_member, registration_deadline, online_url_members FROM events WHERE id = $1`,
		idOf(t, edit)).Scan(&mode, &capacity, &perMember, &deadline, &members)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2027, 9, 11, 0, 0, 0, 0, defus.Berlin); mode != "members" || capacity != 20 || perMember != 2 || !deadline.Equal(want) || !members {
		t.Errorf("stored %s %d %d %v %v", mode, capacity, perMember, deadline, members)
	}
	_, body = send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
	if got := doc(t, body).Find("#event-registration-deadline").AttrOr("value", ""); got != "2027-09-10" {
		t.Errorf("deadline shown as %q", got)
	}
}
