package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
)

func pageForm(title, slug, body string, published bool, version int) url.Values {
	f := url.Values{"title": {title}, "slug": {slug}, "summary": {"Kurz."}, "body": {body}, "version": {fmt.Sprint(version)}}
	if published {
		f.Set("published", "1")
	}
	return f
}

func TestAdminPagesCreateEditPublishDelete(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "redaktion@defus.example", "Rita Redaktion", defus.RoleEditor)
	c := login(t, ts, "redaktion@defus.example")

	// A draft with the slug proposed from the title.
	resp, _ := send(t, ts, http.MethodPost, "/admin/seiten", c,
		pageForm("Jahresbericht Öffentlichkeit 2025", "", "## Rückblick\n\nViel **geschafft**.", false, 0), http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	if !strings.HasPrefix(edit, "/admin/seiten/") {
		t.Fatalf("create redirected to %q", edit)
	}
	get(t, newServer(t, seededPool(t)), "/jahresbericht-oeffentlichkeit-2025", http.StatusNotFound) // draft: invisible

	// Publish it: visible at once, Markdown rendered.
	_, body := send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
	version := doc(t, body).Find(`input[name=version]`).AttrOr("value", "")
	send(t, ts, http.MethodPost, edit, c, pageForm("Jahresbericht Öffentlichkeit 2025", "jahresbericht-oeffentlichkeit-2025",
		"## Rückblick\n\nViel **geschafft**.", true, atoi(t, version)), http.StatusSeeOther)
	_, body = get(t, ts, "/jahresbericht-oeffentlichkeit-2025", http.StatusOK)
	if d := doc(t, body); d.Find("main h2").Text() != "Rückblick" || d.Find("main strong").Text() != "geschafft" {
		t.Errorf("published page not rendered from Markdown:\n%s", body)
	}

	// The list finds it by search; the audit log knows who did it.
	_, body = send(t, ts, http.MethodGet, "/admin/seiten?q=jahresbericht", c, nil, http.StatusOK)
	if got := doc(t, body).Find("tbody tr").Length(); got != 1 {
		t.Errorf("search found %d pages, want 1", got)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	if !strings.Contains(body, "Rita Redaktion") || !strings.Contains(body, "Jahresbericht") {
		t.Error("audit log lacks the page changes")
	}

	// Delete with a confirmation step.
	_, body = send(t, ts, http.MethodGet, edit+"/loeschen", c, nil, http.StatusOK)
	version = doc(t, body).Find(`input[name=version]`).AttrOr("value", "")
	send(t, ts, http.MethodPost, edit+"/loeschen", c, url.Values{"version": {version}}, http.StatusSeeOther)
	get(t, ts, "/jahresbericht-oeffentlichkeit-2025", http.StatusNotFound)
	send(t, ts, http.MethodGet, edit, c, nil, http.StatusNotFound)
}

func TestAdminPageValidation(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "redaktion@defus.example", "Rita", defus.RoleEditor)
	c := login(t, ts, "redaktion@defus.example")
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"empty title", pageForm("   ", "", "x", true, 0), "page-title"},
		{"bad slug", pageForm("Titel", "Über Uns!", "x", true, 0), "page-slug"},
		{"reserved slug", pageForm("Titel", "mitglieder", "x", true, 0), "page-slug"},
		{"slug taken", pageForm("Titel", "impressum", "x", true, 0), "page-slug"},
		{"huge body", pageForm("Titel", "gross", strings.Repeat("x", 100_001), true, 0), "page-body"},
		{"control character", pageForm("Ti\x07tel", "steuerzeichen", "x", true, 0), "page-title"},
		{"zero-width space", pageForm("Ti\u200btel", "unsichtbar", "x", true, 0), "page-title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, body := send(t, ts, http.MethodPost, "/admin/seiten", c, tc.form, http.StatusUnprocessableEntity)
			d := doc(t, body)
			if d.Find("#"+tc.field+"[aria-invalid=true]").Length() != 1 {
				t.Errorf("%s not marked invalid", tc.field)
			}
			if d.Find(`.error-summary a[href="#`+tc.field+`"]`).Length() != 1 {
				t.Errorf("error summary does not link %s", tc.field)
			}
			if got := d.Find("#page-summary").Text(); got != "Kurz." {
				t.Errorf("typed summary lost: %q", got)
			}
		})
	}
}

func TestAdminLegalPagesStayPublished(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "admin@defus.example", "Ada", defus.RoleAdmin)
	c := login(t, ts, "admin@defus.example")
	p, err := st.FindPage(context.Background(), "impressum")
	if err != nil {
		t.Fatal(err)
	}
	edit := fmt.Sprintf("/admin/seiten/%d", p.ID)
	// The form offers no unpublishing, and a forged one is refused.
	_, body := send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
	if doc(t, body).Find(`input[type=checkbox][name=published]`).Length() != 0 {
		t.Error("legal page form offers unpublishing")
	}
	if !strings.Contains(doc(t, body).Find("form").Text(), "Pflichtseite") {
		t.Error("legal page form does not say why")
	}
	_, body = send(t, ts, http.MethodGet, edit+"/loeschen", c, nil, http.StatusOK)
	if doc(t, body).Find(`form[action$="/loeschen"]`).Length() != 0 {
		t.Error("legal page offers deletion")
	}
	send(t, ts, http.MethodPost, edit+"/loeschen", c, url.Values{"version": {fmt.Sprint(p.Version)}}, http.StatusUnprocessableEntity)
	get(t, ts, "/impressum", http.StatusOK)

	// The footer links to /impressum: the form offers no other address, and
	// a forged one is ignored.
	if doc(t, body).Find(`input[name=slug]:not([type=hidden])`).Length() != 0 {
		t.Error("required page form offers to change the address")
	}
	send(t, ts, http.MethodPost, edit, c, pageForm("Impressum", "anbieter", p.Body, true, p.Version), http.StatusSeeOther)
	get(t, ts, "/impressum", http.StatusOK)
	get(t, ts, "/anbieter", http.StatusNotFound)
}

func TestAdminNavigationPagesAreRequired(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	c := login(t, ts, "a@defus.example")
	for _, slug := range []string{"ueber-uns", "mitgliedschaft", "kontakt"} {
		p, err := st.FindPage(context.Background(), slug)
		if err != nil {
			t.Fatal(err)
		}
		edit := fmt.Sprintf("/admin/seiten/%d", p.ID)
		// Unpublishing is refused; deleting is refused.
		send(t, ts, http.MethodPost, edit+"/loeschen", c, url.Values{"version": {fmt.Sprint(p.Version)}}, http.StatusUnprocessableEntity)
		if err := st.DeletePage(context.Background(), defus.Actor{}, p.ID, p.Version); !defus.FieldErrorsOf(err).Has("required") {
			t.Errorf("delete %s: %v, want a field error on required", slug, err)
		}
		get(t, ts, "/"+slug, http.StatusOK)
	}
}

func TestAdminEditsTheHomePageText(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	c := login(t, ts, "a@defus.example")
	p, err := st.FindPage(context.Background(), defus.HomeSlug)
	if err != nil {
		t.Fatal(err)
	}
	_, body := send(t, ts, http.MethodGet, "/admin/seiten", c, nil, http.StatusOK)
	if doc(t, body).Find(fmt.Sprintf(`a[href="/admin/seiten/%d"]`, p.ID)).Closest("tr").Find(`a[href="/"]`).Length() != 1 {
		t.Error("page list does not show the home text at /")
	}
	if row := doc(t, body).Find(fmt.Sprintf(`a[href="/admin/seiten/%d"]`, p.ID)).Closest("tr").Text(); !strings.Contains(row, "Text der Startseite") {
		t.Errorf("page list does not say which page is the home text: %q", row)
	}

	send(t, ts, http.MethodPost, fmt.Sprintf("/admin/seiten/%d", p.ID), c, url.Values{
		"title": {"Sicher leben in Städten"}, "summary": {"Ein Netzwerk für <Prävention>."},
		"body":    {"## Unsere Arbeit\n\nWir treffen uns **zweimal** im Jahr.\n\n<script>alert(1)</script>"},
		"version": {fmt.Sprint(p.Version)}}, http.StatusSeeOther)

	_, body = get(t, ts, "/", http.StatusOK)
	d := doc(t, body)
	if got := d.Find("h1").Text(); got != "Sicher leben in Städten" {
		t.Errorf("home h1 %q", got)
	}
	if got := d.Find(".hero .lead").Text(); got != "Ein Netzwerk für <Prävention>." {
		t.Errorf("home lead %q", got)
	}
	if d.Find(".home-intro h2").Text() != "Unsere Arbeit" || d.Find(".home-intro strong").Text() != "zweimal" {
		t.Errorf("home text not rendered from Markdown: %s", d.Find(".home-intro").Text())
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("home page runs script from the office's Markdown")
	}
	if got := d.Find(`meta[name=description]`).AttrOr("content", ""); got != "Ein Netzwerk für <Prävention>." {
		t.Errorf("home description %q", got)
	}

	// The text has no address of its own.
	resp, _ := get(t, ts, "/startseite", http.StatusMovedPermanently)
	if resp.Header.Get("Location") != "/" {
		t.Errorf("/startseite redirects to %q", resp.Header.Get("Location"))
	}
	_, body = get(t, ts, "/sitemap.xml", http.StatusOK)
	if strings.Contains(body, "/startseite") {
		t.Error("sitemap lists /startseite")
	}
}

func TestAdminPageConflict(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	addAccount(t, st, "b@defus.example", "Bernd", defus.RoleEditor)
	a, b := login(t, ts, "a@defus.example"), login(t, ts, "b@defus.example")
	resp, _ := send(t, ts, http.MethodPost, "/admin/seiten", a, pageForm("Gemeinsame Seite", "gemeinsam", "Anfang", true, 0), http.StatusSeeOther)
	edit := resp.Header.Get("Location")

	// Both open the form at version 1; Anna saves first.
	send(t, ts, http.MethodPost, edit, a, pageForm("Gemeinsame Seite", "gemeinsam", "Annas Fassung", true, 1), http.StatusSeeOther)
	_, body := send(t, ts, http.MethodPost, edit, b, pageForm("Gemeinsame Seite", "gemeinsam", "Bernds Fassung", true, 1), http.StatusConflict)
	d := doc(t, body)
	if !strings.Contains(d.Find(".conflict").Text(), "Annas Fassung") {
		t.Errorf("conflict does not show what changed meanwhile: %s", d.Find(".conflict").Text())
	}
	if got := d.Find("#page-body").Text(); got != "Bernds Fassung" {
		t.Errorf("Bernd's typed text lost: %q", got)
	}
	if got := d.Find("input[name=version]").AttrOr("value", ""); got != "2" {
		t.Errorf("form carries version %q after the conflict, want 2", got)
	}
	_, pub := get(t, ts, "/gemeinsam", http.StatusOK)
	if !strings.Contains(pub, "Annas Fassung") || strings.Contains(pub, "Bernds Fassung") {
		t.Error("the later save overwrote the earlier one")
	}
}

func TestAdminPageHostileMarkdownNeverRuns(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	c := login(t, ts, "a@defus.example")
	hostile := "<script>alert(1)</script>\n\n[klick](javascript:alert(2))\n\n<img src=x onerror=alert(3)>\n\n<a href=\"https://evil.example\" onclick=\"alert(4)\">x</a>\n\n[Efus](https://efus.eu)"
	send(t, ts, http.MethodPost, "/admin/seiten", c, pageForm("<b>Böse</b> Seite", "boese", hostile, true, 0), http.StatusSeeOther)
	_, body := get(t, ts, "/boese", http.StatusOK)
	lower := strings.ToLower(body)
	for _, bad := range []string{"<script>alert", "javascript:", "onerror", "onclick", "<b>böse</b>"} {
		if strings.Contains(lower, bad) {
			t.Errorf("public page contains %q", bad)
		}
	}
	if doc(t, body).Find(`a[href="https://efus.eu"][rel=noopener]`).Length() != 1 {
		t.Error("external link lacks rel=noopener")
	}
	// Preview renders the same way, marked as preview.
	_, body = send(t, ts, http.MethodPost, "/admin/seiten/vorschau", c, pageForm("Vorschau", "v", hostile, false, 0), http.StatusOK)
	if strings.Contains(strings.ToLower(body), "<script>alert") || doc(t, body).Find(".preview-banner").Length() != 1 {
		t.Error("preview unsafe or unmarked")
	}
}

func TestAdminPagesNeedOfficeRole(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "m@defus.example", "Max Mitglied", defus.RoleMember)
	c := login(t, ts, "m@defus.example")
	send(t, ts, http.MethodGet, "/admin/seiten", c, nil, http.StatusForbidden)
	send(t, ts, http.MethodPost, "/admin/seiten", c, pageForm("X", "x", "x", true, 0), http.StatusForbidden)
	resp, _ := send(t, ts, http.MethodGet, "/admin/seiten", nil, nil, http.StatusSeeOther)
	if !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
		t.Errorf("not logged in: redirect to %q", resp.Header.Get("Location"))
	}
	send(t, ts, http.MethodGet, "/admin/seiten/999999", login(t, ts, addAccount(t, st, "e@defus.example", "E", defus.RoleEditor).Email), nil, http.StatusNotFound)
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}
