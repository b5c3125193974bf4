package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"defus.de/portal/internal/defus"
)

// memberFormValues is a complete, valid member form for a new city.
func memberFormValues(shortName string) url.Values {
	return url.Values{
		"name": {"Stadt " + shortName}, "short_name": {shortName}, "slug": {""}, "kind": {"city"}, "state": {"Hessen"},
		"population": {"123.456"}, "population_year": {"2024"}, "member_since": {"2015"},
		"lat": {"50,1109"}, "lon": {"8.6821"}, "website": {"https://www.musterhausen.example/"},
		"description": {"## Profil\n\nEine **Musterstadt** im Netzwerk."}, "published": {"ja"}, "version": {"0"},
	}
}

// createMember posts form and returns the edit page's path.
func createMember(tb testing.TB, ts *httptest.Server, c *http.Cookie, form url.Values) string {
	tb.Helper()
	resp, _ := send(tb, ts, http.MethodPost, "/admin/mitglieder", c, form, http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	if !strings.HasPrefix(edit, "/admin/mitglieder/") {
		tb.Fatalf("create redirected to %q", edit)
	}
	return edit
}

// formVersion reads the hidden version field of the page at path.
func formVersion(tb testing.TB, ts *httptest.Server, c *http.Cookie, path string) string {
	tb.Helper()
	_, body := send(tb, ts, http.MethodGet, path, c, nil, http.StatusOK)
	return doc(tb, body).Find(`form.content-form input[name=version]`).AttrOr("value", "")
}

func TestAdminMemberCreateShowsOnThePublicSite(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "redaktion@defus.example", "Rita Redaktion", defus.RoleEditor)
	c := login(t, ts, "redaktion@defus.example")

	form := memberFormValues("Musterhausen")
	topics := topicIDs(t, seededPool(t))
	form["topics"] = topics[:2]
	edit := createMember(t, ts, c, form)

	// The form shows what was saved, numbers in German notation.
	_, body := send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
	d := doc(t, body)
	for sel, want := range map[string]string{
		"#member-slug": "musterhausen", "#member-population": "123.456", "#member-lat": "50,1109", "#member-lon": "8,6821",
		"#member-since": "2015", "#member-website": "https://www.musterhausen.example/",
	} {
		if got := d.Find(sel).AttrOr("value", ""); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if got := d.Find(`input[name=topics]:checked`).Length(); got != 2 {
		t.Errorf("%d topics ticked, want 2", got)
	}

	// Public: directory, profile, map, sitemap, home figures.
	_, body = get(t, ts, "/mitglieder", http.StatusOK)
	d = doc(t, body)
	if d.Find(`.member-list a[href="/mitglieder/musterhausen"]`).Length() != 1 || d.Find(`.map a[href="/mitglieder/musterhausen"]`).Length() != 1 {
		t.Error("new member missing from the directory or the map")
	}
	_, body = get(t, ts, "/mitglieder/musterhausen", http.StatusOK)
	d = doc(t, body)
	if d.Find("h1").Text() != "Stadt Musterhausen" || d.Find("main strong").Text() != "Musterstadt" {
		t.Errorf("profile not rendered: %s", d.Find("main").Text())
	}
	if !strings.Contains(d.Find(".facts").Text(), "123.456 (Stand 2024)") {
		t.Errorf("profile facts: %s", d.Find(".facts").Text())
	}
	if d.Find("#member-topics-title").Length() != 1 {
		t.Error("profile shows no topics")
	}
	_, body = get(t, ts, "/sitemap.xml", http.StatusOK)
	if !strings.Contains(body, "/mitglieder/musterhausen") {
		t.Error("sitemap lacks the new member")
	}
	_, body = get(t, ts, "/", http.StatusOK)
	if !strings.Contains(doc(t, body).Find("main").Text(), "18 Städte und 3 Organisationen") {
		t.Error("home figures do not count the new city")
	}

	// Unpublish it: gone from every public place at once.
	form.Set("published", "")
	form.Set("slug", "musterhausen")
	form.Set("version", formVersion(t, ts, c, edit))
	send(t, ts, http.MethodPost, edit, c, form, http.StatusSeeOther)
	get(t, ts, "/mitglieder/musterhausen", http.StatusNotFound)
	_, body = get(t, ts, "/mitglieder", http.StatusOK)
	if strings.Contains(body, "/mitglieder/musterhausen") {
		t.Error("draft still in the directory or on the map")
	}
	_, body = get(t, ts, "/sitemap.xml", http.StatusOK)
	if strings.Contains(body, "/mitglieder/musterhausen") {
		t.Error("draft still in the sitemap")
	}
	_, body = get(t, ts, "/", http.StatusOK)
	if !strings.Contains(doc(t, body).Find("main").Text(), "17 Städte und 3 Organisationen") {
		t.Error("home figures count the draft")
	}

	// The audit log names the person, the entity and the changed field.
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	text := doc(t, body).Find("main").Text()
	for _, want := range []string{"Rita Redaktion", "Mitglied: Stadt Musterhausen", "Veröffentlicht: ja → nein", "Einwohnerzahl: – → 123.456"} {
		if !strings.Contains(text, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

func TestAdminMembersListSearchFilterPaging(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "redaktion@defus.example", "Rita", defus.RoleEditor)
	c := login(t, ts, "redaktion@defus.example")
	rows := func(path string) []string {
		t.Helper()
		_, body := send(t, ts, http.MethodGet, path, c, nil, http.StatusOK)
		return texts(doc(t, body).Find("tbody th"))
	}
	all := rows("/admin/mitglieder")
	if len(all) != 20 {
		t.Fatalf("list shows %d members, want 20", len(all))
	}
	// German order: Ö with O, not after Z.
	pos := map[string]int{}
	for i, n := range all {
		pos[n] = i
	}
	if g, ok := pos["Göttingen"]; !ok || g < pos["Gladbeck"] || g > pos["Hannover"] {
		t.Errorf("German sorting broken: %v", all)
	}
	if got := rows("/admin/mitglieder?q=koeln"); len(got) != 1 || got[0] != "Köln" {
		t.Errorf("search by slug found %v", got)
	}
	if got := rows("/admin/mitglieder?q=K%C3%B6ln"); len(got) != 1 {
		t.Errorf("search by short name found %v", got)
	}
	if got := rows("/admin/mitglieder?art=organisation"); len(got) != 3 {
		t.Errorf("organisations: %v", got)
	}
	if got := rows("/admin/mitglieder?land=Nordrhein-Westfalen&art=stadt"); len(got) == 0 || len(got) >= 17 {
		t.Errorf("cities in NRW: %v", got)
	}
	if got := rows("/admin/mitglieder?status=draft"); len(got) != 0 {
		t.Errorf("drafts: %v", got)
	}
	// Unknown filter values are ignored, never a 500. (Bad bytes are
	// refused before: TestHostileRequests.)
	if got := rows("/admin/mitglieder?art=dorf&land=Atlantis&status=x&seite=-3"); len(got) != 20 {
		t.Errorf("bad filter values: %d rows", len(got))
	}
	_, body := send(t, ts, http.MethodGet, "/admin/mitglieder?art=stadt", c, nil, http.StatusOK)
	d := doc(t, body)
	if d.Find(`#filter-kind option[selected]`).AttrOr("value", "") != "stadt" || !strings.Contains(d.Find(".count").Text(), "17 Mitglieder") {
		t.Error("filter not shown as chosen, or count wrong")
	}
	if d.Find(`nav a[href="/admin/mitglieder"]`).Length() == 0 {
		t.Error("admin navigation lacks Mitglieder")
	}

	// Paging: 25 per page, so 26 members need two.
	var slugs []string
	for i := range 6 {
		slugs = append(slugs, fmt.Sprintf("zz-paging-%d", i))
	}
	for i := range 6 {
		f := memberFormValues(fmt.Sprintf("Zz Paging %d", i))
		f.Set("slug", slugs[i])
		f.Del("lat")
		f.Del("lon")
		f.Del("published")
		createMember(t, ts, c, f)
	}
	if got := rows("/admin/mitglieder"); len(got) != 25 {
		t.Errorf("page 1 shows %d rows, want 25", len(got))
	}
	if got := rows("/admin/mitglieder?seite=2"); len(got) != 1 || got[0] != "Zz Paging 5" {
		t.Errorf("page 2 shows %v", got)
	}
	if got := rows("/admin/mitglieder?status=draft&q=paging"); len(got) != 6 {
		t.Errorf("draft search: %v", got)
	}
}

func TestAdminMemberValidation(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "redaktion@defus.example", "Rita", defus.RoleEditor)
	c := login(t, ts, "redaktion@defus.example")
	topics := topicIDs(t, seededPool(t))
	for _, tc := range []struct {
		name, field, value, id, message string
	}{
		{"negative population", "population", "-5", "member-population", "größer als null"},
		{"population not a number", "population", "viele", "member-population", "ganze Zahl"},
		{"latitude out of range", "lat", "95,5", "member-lat", "Breitengrad"},
		{"longitude not a number", "lon", "8°40'", "member-lon", "Dezimalzahl"},
		{"javascript website", "website", "javascript:alert(1)", "member-website", "https://"},
		{"slug taken", "slug", "koeln", "member-slug", "schon vergeben"},
		{"bad slug", "slug", "Köln!", "member-slug", "Kleinbuchstaben"},
		{"empty name", "name", "  ", "member-name", "Namen"},
		{"empty short name", "short_name", "", "member-short-name", "Kurznamen"},
		{"no kind", "kind", "", "member-kind", "Stadt oder eine Organisation"},
		{"forged kind", "kind", "village", "member-kind", "Stadt oder eine Organisation"},
		{"forged state", "state", "Atlantis", "member-state", "aus der Liste"},
		{"city without state", "state", "", "member-state", "Bundesland"},
		{"member since too early", "member_since", "1950", "member-since", "1987"},
		{"forged logo", "logo", "999999", "member-logo", "Bild aus der Liste"},
		{"escape in name", "name", "Stadt\x1bMuster", "member-name", "Steuerzeichen"},
		{"bidi override in name", "name", "Stadt \u202eretsuM", "member-name", "unsichtbare Zeichen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := memberFormValues("Validierung")
			form.Set("slug", "validierung")
			form.Set(tc.field, tc.value)
			_, body := send(t, ts, http.MethodPost, "/admin/mitglieder", c, form, http.StatusUnprocessableEntity)
			d := doc(t, body)
			checkFieldError(t, d, tc.id, tc.message)
			// Everything typed stays.
			if got := d.Find("#member-description").Text(); got != form.Get("description") {
				t.Errorf("typed description lost: %q", got)
			}
			if tc.field != "population" {
				if got := d.Find("#member-population").AttrOr("value", ""); got != "123.456" {
					t.Errorf("typed population lost: %q", got)
				}
			}
			if tc.field != "name" {
				if got := d.Find("#member-name").AttrOr("value", ""); got != form.Get("name") {
					t.Errorf("typed name lost: %q", got)
				}
			}
			if d.Find("#member-published:checked").Length() != 1 {
				t.Error("published checkbox lost")
			}
		})
	}

	t.Run("forged topic id", func(t *testing.T) {
		form := memberFormValues("Validierung")
		form["topics"] = []string{topics[0], "999999"}
		_, body := send(t, ts, http.MethodPost, "/admin/mitglieder", c, form, http.StatusUnprocessableEntity)
		d := doc(t, body)
		first := d.Find(`input[name=topics]`).First().AttrOr("id", "")
		if d.Find(`.error-summary a[href="#`+first+`"]`).Length() != 1 {
			t.Error("error summary does not point at the topics")
		}
		if !strings.Contains(d.Find("fieldset.checkbox-group .field-error").Text(), "nur Themen aus der Liste") {
			t.Errorf("topics error: %q", d.Find("fieldset.checkbox-group").Text())
		}
		if d.Find("#member-topics-"+topics[0]+":checked").Length() != 1 {
			t.Error("the real topic ticked was lost")
		}
	})
	t.Run("one coordinate only", func(t *testing.T) {
		form := memberFormValues("Validierung")
		form.Set("lon", "")
		_, body := send(t, ts, http.MethodPost, "/admin/mitglieder", c, form, http.StatusUnprocessableEntity)
		checkFieldError(t, doc(t, body), "member-lon", "auch den Längengrad")
	})
	t.Run("organisation with population", func(t *testing.T) {
		form := memberFormValues("Validierung")
		form.Set("kind", "organisation")
		_, body := send(t, ts, http.MethodPost, "/admin/mitglieder", c, form, http.StatusUnprocessableEntity)
		checkFieldError(t, doc(t, body), "member-population", "Nur Städte")
	})
	t.Run("nothing saved", func(t *testing.T) {
		get(t, ts, "/mitglieder/validierung", http.StatusNotFound)
	})
}

// checkFieldError asserts the control with id is marked invalid, its German
// message stands beside it and the error summary links to it.
func checkFieldError(t *testing.T, d *goquery.Document, id, message string) {
	t.Helper()
	ctl := d.Find("#" + id)
	if ctl.AttrOr("aria-invalid", "") != "true" {
		t.Errorf("#%s not marked invalid", id)
	}
	if !strings.Contains(ctl.AttrOr("aria-describedby", ""), id+"-error") {
		t.Errorf("#%s not described by its error", id)
	}
	if msg := d.Find("#" + id + "-error").Text(); !strings.Contains(msg, message) {
		t.Errorf("#%s message %q lacks %q", id, msg, message)
	}
	if d.Find(`.error-summary a[href="#`+id+`"]`).Length() != 1 {
		t.Errorf("error summary does not link #%s", id)
	}
}

func TestAdminMemberConflict(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	addAccount(t, st, "b@defus.example", "Bernd", defus.RoleEditor)
	a, b := login(t, ts, "a@defus.example"), login(t, ts, "b@defus.example")
	edit := createMember(t, ts, a, memberFormValues("Gemeinsamstadt"))

	// Both open the form at version 1; Anna saves first.
	annas := memberFormValues("Gemeinsamstadt")
	annas.Set("version", "1")
	annas.Set("description", "Annas Fassung")
	annas.Set("population", "200.000")
	send(t, ts, http.MethodPost, edit, a, annas, http.StatusSeeOther)

	bernds := memberFormValues("Gemeinsamstadt")
	bernds.Set("version", "1")
	bernds.Set("description", "Bernds Fassung")
	_, body := send(t, ts, http.MethodPost, edit, b, bernds, http.StatusConflict)
	d := doc(t, body)
	conflict := d.Find(".conflict").Text()
	for _, want := range []string{"Annas Fassung", "Einwohnerzahl", "200.000"} {
		if !strings.Contains(conflict, want) {
			t.Errorf("conflict notice lacks %q: %s", want, conflict)
		}
	}
	if strings.Contains(conflict, "Kurzname") {
		t.Error("conflict lists a field nobody changed")
	}
	if got := d.Find("#member-description").Text(); got != "Bernds Fassung" {
		t.Errorf("Bernd's typed text lost: %q", got)
	}
	if got := d.Find("form.content-form input[name=version]").AttrOr("value", ""); got != "2" {
		t.Errorf("form carries version %q after the conflict, want 2", got)
	}
	_, pub := get(t, ts, "/mitglieder/gemeinsamstadt", http.StatusOK)
	if !strings.Contains(pub, "Annas Fassung") || strings.Contains(pub, "Bernds Fassung") {
		t.Error("the later save overwrote the earlier one")
	}
	// Saving again from the conflict page works.
	bernds.Set("version", "2")
	send(t, ts, http.MethodPost, edit, b, bernds, http.StatusSeeOther)
}

func TestAdminMemberDeleteListsDependants(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	pool := seededPool(t)
	ctx := context.Background()
	addAccount(t, st, "redaktion@defus.example", "Rita", defus.RoleEditor)
	c := login(t, ts, "redaktion@defus.example")
	edit := createMember(t, ts, c, memberFormValues("Löschstadt"))
	var id int64
	fmt.Sscan(strings.TrimPrefix(edit, "/admin/mitglieder/"), &id)

	// A hosted event, a linked account and two contacts.
	var eventID int64
	err := pool.QueryRow(ctx, `
INSERT INTO events (slug, title, kind, starts_at, ends_at, format, status, published, uid, host_member_id)
VALUES ('loeschstadt-treffen', 'Treffen in Löschstadt', 'meeting', $2::timestamptz, $2::timestamptz + interval '2 hours', 'in_person', 'scheduled', true, 'loeschstadt@defus.test', $1)
RETURNING id`, id, testNow).Scan(&eventID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Exec(ctx, `DELETE FROM events WHERE id = $1`, eventID) })
	rep := addAccount(t, st, "vertretung@loeschstadt.example", "Vera Vertretung", defus.RoleMember)
	if _, err := pool.Exec(ctx, `UPDATE users SET member_id = $1 WHERE id = $2`, id, rep.ID); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Erika Eins", "Zora Zwei"} {
		send(t, ts, http.MethodPost, edit+"/ansprechpersonen", c, url.Values{"name": {name}, "version": {"0"}}, http.StatusSeeOther)
	}

	_, body := send(t, ts, http.MethodGet, edit+"/loeschen", c, nil, http.StatusOK)
	d := doc(t, body)
	deps := texts(d.Find("main ul li"))
	joined := strings.Join(deps, "\n")
	for _, want := range []string{"Treffen in Löschstadt", "Vera Vertretung (vertretung@loeschstadt.example)", "2 Ansprechpersonen – werden gelöscht"} {
		if !strings.Contains(joined, want) {
			t.Errorf("dependants lack %q:\n%s", want, joined)
		}
	}
	if text := d.Find("main").Text(); !strings.Contains(text, "ohne Gastgeber") || !strings.Contains(text, "mit gelöscht") {
		t.Errorf("confirmation does not say what happens: %s", text)
	}

	// A stale version is refused; the current one deletes.
	send(t, ts, http.MethodPost, edit+"/loeschen", c, url.Values{"version": {"0"}}, http.StatusSeeOther)
	get(t, ts, "/mitglieder/loeschstadt", http.StatusOK)
	version := d.Find(`input[name=version]`).AttrOr("value", "")
	resp, _ := send(t, ts, http.MethodPost, edit+"/loeschen", c, url.Values{"version": {version}}, http.StatusSeeOther)
	if resp.Header.Get("Location") != "/admin/mitglieder" {
		t.Errorf("delete redirected to %q", resp.Header.Get("Location"))
	}
	get(t, ts, "/mitglieder/loeschstadt", http.StatusNotFound)
	send(t, ts, http.MethodGet, edit, c, nil, http.StatusNotFound)

	var host *int64
	if err := pool.QueryRow(ctx, `SELECT host_member_id FROM events WHERE id = $1`, eventID).Scan(&host); err != nil || host != nil {
		t.Errorf("event after deleting its host: host %v, err %v", host, err)
	}
	u, err := st.FindUser(ctx, rep.ID)
	if err != nil || u.MemberID != nil {
		t.Errorf("account after deleting its member: %+v, %v", u, err)
	}
	var contacts int
	pool.QueryRow(ctx, `SELECT count(*) FROM member_contacts WHERE member_id = $1`, id).Scan(&contacts)
	if contacts != 0 {
		t.Errorf("%d contacts left", contacts)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	if !strings.Contains(body, "Gelöscht") || !strings.Contains(body, "Mitglied: Stadt Löschstadt") {
		t.Error("audit log lacks the deletion")
	}
}

func TestAdminMembersUnknownIDsAreNotFound(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "redaktion@defus.example", "Rita", defus.RoleEditor)
	c := login(t, ts, "redaktion@defus.example")
	ctx := context.Background()
	koeln, err := st.FindMember(ctx, "koeln")
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.FindMember(ctx, "muenchen")
	if err != nil {
		t.Fatal(err)
	}
	if len(koeln.Contacts) == 0 {
		t.Fatal("seed gave Köln no contacts")
	}
	foreign := koeln.Contacts[0].ID // a contact of Köln, asked for under München
	form := memberFormValues("Unbekannt")
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/admin/mitglieder/999999"},
		{http.MethodGet, "/admin/mitglieder/abc"},
		{http.MethodGet, "/admin/mitglieder/-1"},
		{http.MethodPost, "/admin/mitglieder/999999"},
		{http.MethodGet, "/admin/mitglieder/999999/loeschen"},
		{http.MethodPost, "/admin/mitglieder/999999/loeschen"},
		{http.MethodGet, "/admin/mitglieder/999999/ansprechpersonen/neu"},
		{http.MethodPost, "/admin/mitglieder/999999/ansprechpersonen"},
		{http.MethodGet, fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/999999", koeln.ID)},
		{http.MethodGet, fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/x", koeln.ID)},
		{http.MethodGet, fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/%d", other.ID, foreign)},
		{http.MethodPost, fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/%d", other.ID, foreign)},
		{http.MethodGet, fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/%d/loeschen", other.ID, foreign)},
		{http.MethodPost, fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/%d/loeschen", other.ID, foreign)},
		{http.MethodPost, fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/%d/hoch", other.ID, foreign)},
		{http.MethodPost, fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/%d/runter", other.ID, foreign)},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			var f url.Values
			if tc.method == http.MethodPost {
				f = url.Values{"name": {"X"}, "version": {"1"}}
				if !strings.Contains(tc.path, "ansprechpersonen") {
					f = form
				}
			}
			send(t, ts, tc.method, tc.path, c, f, http.StatusNotFound)
		})
	}
	// Köln's contact is untouched.
	after, _ := st.FindMember(ctx, "koeln")
	if after.Contacts[0].Name != koeln.Contacts[0].Name || after.Contacts[0].Version != koeln.Contacts[0].Version {
		t.Error("a contact changed through another member's URL")
	}
}

func TestAdminMembersNeedOfficeRole(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "m@defus.example", "Max Mitglied", defus.RoleMember)
	addAccount(t, st, "e@defus.example", "Eva Editor", defus.RoleEditor)
	m := login(t, ts, "m@defus.example")
	koeln, err := st.FindMember(context.Background(), "koeln")
	if err != nil {
		t.Fatal(err)
	}
	edit := fmt.Sprintf("/admin/mitglieder/%d", koeln.ID)
	for _, tc := range []struct {
		method, path string
		form         url.Values
	}{
		{http.MethodGet, "/admin/mitglieder", nil},
		{http.MethodGet, edit, nil},
		{http.MethodPost, "/admin/mitglieder", memberFormValues("Verboten")},
		{http.MethodPost, edit, memberFormValues("Verboten")},
		{http.MethodPost, edit + "/loeschen", url.Values{"version": {"1"}}},
		{http.MethodPost, edit + "/ansprechpersonen", url.Values{"name": {"X"}}},
		{http.MethodPost, fmt.Sprintf("%s/ansprechpersonen/%d/hoch", edit, koeln.Contacts[len(koeln.Contacts)-1].ID), url.Values{}},
	} {
		send(t, ts, tc.method, tc.path, m, tc.form, http.StatusForbidden)
	}
	resp, _ := send(t, ts, http.MethodGet, "/admin/mitglieder", nil, nil, http.StatusSeeOther)
	if !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
		t.Errorf("not logged in: redirect to %q", resp.Header.Get("Location"))
	}
	e := login(t, ts, "e@defus.example")
	send(t, ts, http.MethodGet, "/admin/mitglieder", e, nil, http.StatusOK)
	_, body := send(t, ts, http.MethodGet, edit, e, nil, http.StatusOK)
	if doc(t, body).Find("#member-name").AttrOr("value", "") != koeln.Name {
		t.Error("editor does not see Köln's form")
	}
}

func TestAdminMemberHostileMarkdownNeverRuns(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	c := login(t, ts, "a@defus.example")
	hostile := "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\n[Efus](https://efus.eu)"
	form := memberFormValues("Bösestadt")
	form.Set("name", "<b>Böse</b> Stadt")
	form.Set("description", hostile)
	createMember(t, ts, c, form)
	_, body := get(t, ts, "/mitglieder/boesestadt", http.StatusOK)
	lower := strings.ToLower(body)
	for _, bad := range []string{"<script>alert", "javascript:", "onerror", "<b>böse</b>"} {
		if strings.Contains(lower, bad) {
			t.Errorf("public profile contains %q", bad)
		}
	}
	if doc(t, body).Find(`main a[href="https://efus.eu"]`).Length() != 1 {
		t.Error("the harmless link was lost")
	}
	// The preview renders the same way, marked as preview, even with a
	// website that could never be saved.
	form.Set("website", "javascript:alert(2)")
	_, body = send(t, ts, http.MethodPost, "/admin/mitglieder/vorschau", c, form, http.StatusOK)
	lower = strings.ToLower(body)
	if strings.Contains(lower, "<script>alert") || strings.Contains(lower, "javascript:") || strings.Contains(lower, "onerror") {
		t.Error("preview unsafe")
	}
	d := doc(t, body)
	if d.Find(".preview-banner").Length() != 1 || d.Find("h1").Text() != "<b>Böse</b> Stadt" {
		t.Error("preview unmarked or name not shown as text")
	}
}

func TestAdminMemberLogo(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	c := login(t, ts, "a@defus.example")
	ctx := context.Background()
	png := &defus.Media{Name: "wappen-logostadt.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\nfake"), AltText: "Wappen der Stadt Logostadt"}
	pdf := &defus.Media{Name: "satzung.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 fake")}
	for _, m := range []*defus.Media{png, pdf} {
		if err := st.CreateMedia(ctx, defus.Actor{}, m); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.DeleteMedia(ctx, defus.Actor{}, m.ID, m.Version) })
	}

	_, body := send(t, ts, http.MethodGet, "/admin/mitglieder/neu", c, nil, http.StatusOK)
	opts := doc(t, body).Find("#member-logo option")
	if !strings.Contains(opts.Text(), "wappen-logostadt.png") || strings.Contains(opts.Text(), "satzung.pdf") {
		t.Errorf("logo choices: %q", opts.Text())
	}

	// A document is no logo.
	form := memberFormValues("Logostadt")
	form.Set("logo", fmt.Sprint(pdf.ID))
	_, body = send(t, ts, http.MethodPost, "/admin/mitglieder", c, form, http.StatusUnprocessableEntity)
	checkFieldError(t, doc(t, body), "member-logo", "Bild aus der Liste")

	form.Set("logo", fmt.Sprint(png.ID))
	edit := createMember(t, ts, c, form)
	_, body = get(t, ts, "/mitglieder/logostadt", http.StatusOK)
	img := doc(t, body).Find("img.member-logo")
	if got, want := img.AttrOr("src", ""), fmt.Sprintf("/medien/%d/192x128/wappen-logostadt.png", png.ID); got != want {
		t.Errorf("logo src %q, want %q", got, want)
	}
	if img.AttrOr("alt", "") != "Wappen der Stadt Logostadt" {
		t.Errorf("logo alt %q", img.AttrOr("alt", ""))
	}
	_, body = send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
	if doc(t, body).Find("#member-logo option[selected]").AttrOr("value", "") != fmt.Sprint(png.ID) {
		t.Error("edit form does not show the chosen logo")
	}

	// Deleting the picture leaves the member without a logo.
	if err := st.DeleteMedia(ctx, defus.Actor{}, png.ID, png.Version); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, ts, "/mitglieder/logostadt", http.StatusOK)
	if doc(t, body).Find("img.member-logo").Length() != 0 {
		t.Error("profile shows a deleted logo")
	}
}

func TestAdminMemberContacts(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	addAccount(t, st, "b@defus.example", "Bernd", defus.RoleEditor)
	a, b := login(t, ts, "a@defus.example"), login(t, ts, "b@defus.example")
	edit := createMember(t, ts, a, memberFormValues("Kontaktstadt"))

	add := func(name, function, email string, public bool) {
		t.Helper()
		f := url.Values{"name": {name}, "function": {function}, "email": {email}, "phone": {"0221 123-45"}, "version": {"0"}}
		if public {
			f.Set("public", "ja")
		}
		resp, _ := send(t, ts, http.MethodPost, edit+"/ansprechpersonen", a, f, http.StatusSeeOther)
		if got := resp.Header.Get("Location"); got != edit+"#ansprechpersonen" {
			t.Errorf("add redirected to %q", got)
		}
	}
	// The form, and a bad e-mail address refused with everything kept.
	_, body := send(t, ts, http.MethodGet, edit+"/ansprechpersonen/neu", a, nil, http.StatusOK)
	if doc(t, body).Find("#contact-public:checked").Length() != 0 {
		t.Error("a new contact is public before anyone decided so")
	}
	_, body = send(t, ts, http.MethodPost, edit+"/ansprechpersonen", a,
		url.Values{"name": {"Petra Prüfer"}, "function": {"Leitung"}, "email": {"petra@@stadt"}, "public": {"ja"}, "version": {"0"}}, http.StatusUnprocessableEntity)
	d := doc(t, body)
	checkFieldError(t, d, "contact-email", "gültige E-Mail-Adresse")
	if d.Find("#contact-name").AttrOr("value", "") != "Petra Prüfer" || d.Find("#contact-email").AttrOr("value", "") != "petra@@stadt" ||
		d.Find("#contact-public:checked").Length() != 1 {
		t.Error("typed contact values lost")
	}
	_, body = send(t, ts, http.MethodPost, edit+"/ansprechpersonen", a, url.Values{"name": {""}, "phone": {"abc"}, "version": {"0"}}, http.StatusUnprocessableEntity)
	checkFieldError(t, doc(t, body), "contact-name", "Namen")
	checkFieldError(t, doc(t, body), "contact-phone", "Ziffern")

	add("Anton Erster", "Leitung Ordnungsamt", "anton@kontaktstadt.example", true)
	add("Berta Intern", "Sachbearbeitung", "berta@kontaktstadt.example", false)
	add("Carl Dritter", "Präventionsrat", "carl@kontaktstadt.example", true)

	publicNames := func() []string {
		t.Helper()
		_, body := get(t, ts, "/mitglieder/kontaktstadt", http.StatusOK)
		return texts(doc(t, body).Find(".contacts .contact-name"))
	}
	if got := strings.Join(publicNames(), ","); got != "Anton Erster,Carl Dritter" {
		t.Errorf("public contacts %q", got)
	}
	_, body = get(t, ts, "/mitglieder/kontaktstadt", http.StatusOK)
	if strings.Contains(body, "berta@kontaktstadt.example") || strings.Contains(body, "Berta") {
		t.Error("a members-only contact is on the public profile")
	}

	// The edit page lists all three in order, marked, with their actions.
	_, body = send(t, ts, http.MethodGet, edit, a, nil, http.StatusOK)
	d = doc(t, body)
	items := d.Find("#ansprechpersonen .contact-list > li")
	if items.Length() != 3 {
		t.Fatalf("edit page lists %d contacts", items.Length())
	}
	if !strings.Contains(items.Eq(1).Text(), "nur für Mitglieder") || !strings.Contains(items.Eq(0).Text(), "öffentlich") {
		t.Error("contacts not marked public / members only")
	}
	if items.Eq(0).Find(`form[action$="/hoch"]`).Length() != 0 || items.Eq(2).Find(`form[action$="/runter"]`).Length() != 0 {
		t.Error("first can move up or last down")
	}
	carlUp := items.Eq(2).Find(`form[action$="/hoch"]`).AttrOr("action", "")
	carlEdit := strings.TrimSuffix(carlUp, "/hoch")

	// Move Carl up twice: first in the list and on the profile.
	send(t, ts, http.MethodPost, carlUp, a, url.Values{}, http.StatusSeeOther)
	send(t, ts, http.MethodPost, carlUp, a, url.Values{}, http.StatusSeeOther)
	send(t, ts, http.MethodPost, carlUp, a, url.Values{}, http.StatusSeeOther) // already first: nothing happens
	if got := strings.Join(publicNames(), ","); got != "Carl Dritter,Anton Erster" {
		t.Errorf("after moving up: %q", got)
	}
	_, body = send(t, ts, http.MethodGet, edit, a, nil, http.StatusOK)
	if got := strings.Join(texts(doc(t, body).Find("#ansprechpersonen .contact-list > li .contact-name")), "|"); !strings.HasPrefix(got, "Carl Dritter") || !strings.Contains(got, "Anton Erster") {
		t.Errorf("edit list order %q", got)
	}

	// Edit Carl: Bernd saves first, Anna's stale save is refused and keeps her text.
	_, body = send(t, ts, http.MethodGet, carlEdit, a, nil, http.StatusOK)
	v := doc(t, body).Find(`input[name=version]`).AttrOr("value", "")
	send(t, ts, http.MethodPost, carlEdit, b, url.Values{"name": {"Carl Dritter"}, "function": {"Vorsitz Präventionsrat"},
		"email": {"carl@kontaktstadt.example"}, "public": {"ja"}, "version": {v}}, http.StatusSeeOther)
	_, body = send(t, ts, http.MethodPost, carlEdit, a, url.Values{"name": {"Carl Dritter"}, "function": {"Annas Funktion"},
		"email": {"carl@kontaktstadt.example"}, "public": {"ja"}, "version": {v}}, http.StatusConflict)
	d = doc(t, body)
	if !strings.Contains(d.Find(".conflict").Text(), "Vorsitz Präventionsrat") {
		t.Errorf("contact conflict does not show the stored function: %s", d.Find(".conflict").Text())
	}
	if d.Find("#contact-function").AttrOr("value", "") != "Annas Funktion" {
		t.Error("Anna's typed function lost")
	}
	_, body = get(t, ts, "/mitglieder/kontaktstadt", http.StatusOK)
	if !strings.Contains(body, "Vorsitz Präventionsrat") {
		t.Error("Bernd's save not on the profile")
	}

	// Berta goes public; Anton is deleted after a confirmation.
	items = func() *goquery.Selection {
		_, body := send(t, ts, http.MethodGet, edit, a, nil, http.StatusOK)
		return doc(t, body).Find("#ansprechpersonen .contact-list > li")
	}()
	var bertaEdit, antonDelete string
	items.Each(func(_ int, li *goquery.Selection) {
		if strings.Contains(li.Text(), "Berta") {
			bertaEdit = li.Find(`a[href*="/ansprechpersonen/"]`).First().AttrOr("href", "")
		}
		if strings.Contains(li.Text(), "Anton") {
			antonDelete = li.Find(`a[href$="/loeschen"]`).AttrOr("href", "")
		}
	})
	send(t, ts, http.MethodPost, bertaEdit, a, url.Values{"name": {"Berta Intern"}, "function": {"Sachbearbeitung"}, "public": {"ja"},
		"version": {formVersion(t, ts, a, bertaEdit)}}, http.StatusSeeOther)
	_, body = send(t, ts, http.MethodGet, antonDelete, a, nil, http.StatusOK)
	if !strings.Contains(doc(t, body).Find("h1").Text(), "Anton Erster") {
		t.Error("confirmation does not name the contact")
	}
	cv := doc(t, body).Find(`input[name=version]`).AttrOr("value", "")
	send(t, ts, http.MethodPost, antonDelete, a, url.Values{"version": {cv}}, http.StatusSeeOther)
	if got := strings.Join(publicNames(), ","); got != "Carl Dritter,Berta Intern" {
		t.Errorf("after publishing Berta and deleting Anton: %q", got)
	}

	// The audit log records contact changes without e-mail addresses.
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll?bereich=contact", a, nil, http.StatusOK)
	text := doc(t, body).Find("main").Text()
	if !strings.Contains(text, "Ansprechperson: Carl Dritter (Kontaktstadt)") || !strings.Contains(text, "Stelle in der Reihenfolge") {
		t.Errorf("audit log lacks the contact changes:\n%s", text)
	}
	if strings.Contains(text, "@kontaktstadt.example") || strings.Contains(text, "0221 123-45") {
		t.Error("audit log holds a contact's e-mail address or phone number")
	}
}

// formValues collects what a browser would send for the form matching sel.
func formValues(d *goquery.Document, sel string) url.Values {
	v := url.Values{}
	form := d.Find(sel)
	form.Find("input").Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		switch in.AttrOr("type", "text") {
		case "checkbox", "radio":
			if _, checked := in.Attr("checked"); checked {
				v.Add(name, in.AttrOr("value", "on"))
			}
		default:
			v.Add(name, in.AttrOr("value", ""))
		}
	})
	form.Find("textarea").Each(func(_ int, ta *goquery.Selection) { v.Add(ta.AttrOr("name", ""), ta.Text()) })
	form.Find("select").Each(func(_ int, s *goquery.Selection) {
		opt := s.Find("option[selected]")
		if opt.Length() == 0 {
			opt = s.Find("option").First()
		}
		v.Add(s.AttrOr("name", ""), opt.AttrOr("value", ""))
	})
	return v
}

func TestAdminMemberFormRoundTripsEverySeededMember(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "redaktion@defus.example", "Rita", defus.RoleEditor)
	c := login(t, ts, "redaktion@defus.example")
	ctx := context.Background()
	members, _, err := st.FindMembersAdmin(ctx, defus.MemberListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		t.Run(m.Slug, func(t *testing.T) {
			before, err := st.FindMemberByID(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			edit := fmt.Sprintf("/admin/mitglieder/%d", m.ID)
			_, body := send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
			send(t, ts, http.MethodPost, edit, c, formValues(doc(t, body), "form.member-form"), http.StatusSeeOther)
			after, err := st.FindMemberByID(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			after.Version, after.UpdatedAt = before.Version, before.UpdatedAt
			if fmt.Sprintf("%+v", deref(*before)) != fmt.Sprintf("%+v", deref(*after)) {
				t.Errorf("saving the unchanged form changed the member:\nbefore %+v\nafter  %+v", deref(*before), deref(*after))
			}
		})
	}
	// Nothing changed, so nothing was logged as a change.
	entries, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityMember})
	if err != nil || len(entries) != 0 {
		t.Errorf("unchanged saves logged %d changes (%v)", len(entries), err)
	}
}

// deref writes out a member's pointer fields for comparing.
func deref(m defus.Member) string {
	s := func(p any) string {
		switch p := p.(type) {
		case *int:
			if p != nil {
				return fmt.Sprint(*p)
			}
		case *float64:
			if p != nil {
				return fmt.Sprint(*p)
			}
		case *int64:
			if p != nil {
				return fmt.Sprint(*p)
			}
		}
		return "nil"
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s/%s|%s|%s,%s|%s|%q|%s|%t|%v|%d contacts",
		m.Slug, m.Name, m.ShortName, m.Kind, m.State, s(m.Population), s(m.PopulationYear), s(m.MemberSince),
		s(m.Lat), s(m.Lon), m.Website, m.Description, s(m.LogoMediaID), m.Published, m.TopicIDs, len(m.Contacts))
}
