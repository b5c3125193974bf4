package server_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
)

// helpIDs are the element ids of the help page.
func helpIDs(t *testing.T, d *goquery.Document) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	d.Find("[id]").Each(func(_ int, s *goquery.Selection) { ids[s.AttrOr("id", "")] = true })
	return ids
}

// accessibleName is the text a screen reader announces for s: its text
// without what is aria-hidden, spaces collapsed.
func accessibleName(s *goquery.Selection) string {
	c := s.Clone()
	c.Find("[aria-hidden='true']").Remove()
	return strings.Join(strings.Fields(c.Text()), " ")
}

func TestAdminHelpPage(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := startServer(t, pool, map[string]string{"ENQUIRY_RETENTION_DAYS": "200"}, nil)
	st := store.New(pool, testClock)
	addAccount(t, st, "redaktion@defus.example", "Rita Redaktion", defus.RoleEditor)
	addAccount(t, st, "mitglied@koeln.example", "Max Mitglied", defus.RoleMember)
	editor := login(t, ts, "redaktion@defus.example")

	_, body := send(t, ts, http.MethodGet, "/admin/hilfe", editor, nil, http.StatusOK)
	d := doc(t, body)
	if got := strings.TrimSpace(d.Find("main h1").Text()); got != "Hilfe für die Geschäftsstelle" {
		t.Errorf("heading %q", got)
	}
	ids := helpIDs(t, d)
	// A section for each daily task the office asked about.
	for _, id := range []string{"allgemein", "markdown", "uebersicht",
		"anfragen", "anfragen-status", "anfragen-notizen", "anfragen-export", "auskunft", "anfragen-loeschen",
		"termine", "termine-anlegen", "termine-zeiten", "termine-kopieren", "termine-absagen",
		"mitglieder", "mitglieder-karte", "mitglieder-logo", "ansprechpersonen",
		"seiten", "pflichtseiten", "themen", "medien", "medien-grenzen", "verein",
		"konten", "anmeldesperre", "protokoll"} {
		if !ids[id] {
			t.Errorf("no section #%s", id)
		}
	}
	// The table of contents and every in-page link lead somewhere.
	toc := d.Find("nav.help-toc a")
	if toc.Length() < 20 {
		t.Errorf("table of contents has %d entries", toc.Length())
	}
	d.Find("main a[href^='#']").Each(func(_ int, a *goquery.Selection) {
		if href := a.AttrOr("href", ""); !ids[href[1:]] {
			t.Errorf("link %q (%s) leads nowhere", href, a.Text())
		}
	})
	// Numbers come from the running portal, not from the text.
	text := strings.Join(strings.Fields(d.Find("main").Text()), " ")
	for _, want := range []string{
		"200 Tage nach dem Abschluss", "als Spam markierte nach 30 Tagen",
		"bis 2 MB und höchstens 40 Megapixel", "PDF-Dokumente bis 10 MB",
		"Nach 5 falschen Passwörtern innerhalb von 15 Minuten",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("help text lacks %q", want)
		}
	}
	// The help page is in the navigation and marked as the current page;
	// it has no help link to itself.
	if got := d.Find(`nav[aria-label="Verwaltung"] a[aria-current="page"]`).Text(); got != "Hilfe" {
		t.Errorf("current navigation entry %q", got)
	}
	if n := d.Find(".help-link").Length(); n != 0 {
		t.Errorf("help page links to help %d times", n)
	}

	// Office staff only.
	send(t, ts, http.MethodGet, "/admin/hilfe", login(t, ts, "mitglied@koeln.example"), nil, http.StatusForbidden)
	resp, _ := send(t, ts, http.MethodGet, "/admin/hilfe", nil, nil, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/login") {
		t.Errorf("anonymous visitor sent to %q", loc)
	}
}

// TestAdminPagesLinkToHelp walks every page of the admin area in the route
// table, with a real record behind each {id}, and checks that each one
// links to a section of the help page that exists, with a name that says
// which. A new admin page without a section, or a section renamed, fails here.
func TestAdminPagesLinkToHelp(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	var srv *server.Server
	ts := startServer(t, pool, nil, func(s *server.Server) { srv = s })
	st := store.New(pool, testClock)
	admin := addAccount(t, st, "admin@defus.example", "Anna Admin", defus.RoleAdmin)
	c := login(t, ts, "admin@defus.example")

	// One record of each kind for the pages that show one.
	enquiry := addEnquiry(t, st, time.Hour, defus.Enquiry{})
	upload(t, ts, c, "logo.png", pngFile(t, 40, 30), "Ein Testbild", "", http.StatusSeeOther)
	ids := map[string]any{
		"anfragen":    enquiry.ID,
		"datenschutz": enquiry.PrivacyNoticeID,
		"benutzer":    admin.ID,
	}
	ctx := context.Background()
	const qProposal = `INSERT INTO profile_proposals (member_id, base_version, description, logo_data, logo_type, logo_name)
SELECT id, version, 'Vorschlag', $1, 'image/png', 'logo.png' FROM members ORDER BY id LIMIT 1`
	if _, err := pool.Exec(ctx, qProposal, pngFile(t, 40, 30)); err != nil {
		t.Fatal(err)
	}
	for area, q := range map[string]string{
		"mitglieder":        `SELECT member_id FROM member_contacts ORDER BY id LIMIT 1`,
		"ansprechpersonen":  `SELECT id FROM member_contacts ORDER BY id LIMIT 1`,
		"termine":           `SELECT id FROM events ORDER BY id LIMIT 1`,
		"seiten":            `SELECT id FROM pages ORDER BY id LIMIT 1`,
		"themen":            `SELECT id FROM topics ORDER BY id LIMIT 1`,
		"aktuelles":         `SELECT id FROM articles ORDER BY id LIMIT 1`,
		"medien":            `SELECT max(id) FROM media`,
		"protokoll":         `SELECT max(id) FROM audit_log`,
		"dokumente":         `SELECT max(id) FROM documents`,
		"profilvorschlaege": `SELECT max(id) FROM profile_proposals`,
	} {
		var id int64
		if err := pool.QueryRow(ctx, q).Scan(&id); err != nil {
			t.Fatalf("a record for /admin/%s/{id}: %v", area, err)
		}
		ids[area] = id
	}

	_, body := send(t, ts, http.MethodGet, "/admin/hilfe", c, nil, http.StatusOK)
	sections := helpIDs(t, doc(t, body))

	param := regexp.MustCompile(`\{[a-z]+\}`)
	var paths []string
	err := chi.Walk(srv.Handler().(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodGet || !strings.HasPrefix(route, "/admin") || strings.HasPrefix(route, "/admin/login") || route == "/admin/hilfe" {
			return nil
		}
		segs := strings.Split(route, "/")
		for i, seg := range segs {
			if !param.MatchString(seg) {
				continue
			}
			id, ok := ids[segs[i-1]]
			if !ok {
				return fmt.Errorf("%s: the test has no record for %s after /%s/", route, seg, segs[i-1])
			}
			segs[i] = fmt.Sprint(id)
		}
		paths = append(paths, strings.Join(segs, "/"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 30 {
		t.Fatalf("walked only %d admin pages: %v", len(paths), paths)
	}
	slices.Sort(paths)

	named := map[string]string{} // accessible name by path, for the spot checks below
	for _, path := range paths {
		resp, body := send(t, ts, http.MethodGet, path, c, nil, http.StatusOK)
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue // the CSV export
		}
		links := doc(t, body).Find("main .help-link a")
		if links.Length() != 1 {
			t.Errorf("%s: %d help links, want 1", path, links.Length())
			continue
		}
		href := links.AttrOr("href", "")
		id, ok := strings.CutPrefix(href, "/admin/hilfe#")
		if !ok || !sections[id] {
			t.Errorf("%s: help link %q leads to no section of the help page", path, href)
		}
		name := accessibleName(links)
		if !regexp.MustCompile(`^Hilfe zu[mr]? \S`).MatchString(name) {
			t.Errorf("%s: help link named %q", path, name)
		}
		named[path] = name + " → #" + id
	}
	for path, want := range map[string]string{
		"/admin/":                  "Hilfe zur Übersicht → #uebersicht",
		"/admin/termine/neu":       "Hilfe zu Terminen → #termine",
		"/admin/anfragen":          "Hilfe zu Anfragen → #anfragen",
		"/admin/benutzer":          "Hilfe zu Benutzerkonten → #konten",
		"/admin/medien/neu":        "Hilfe zu Medien → #medien",
		"/admin/protokoll":         "Hilfe zum Protokoll → #protokoll",
		"/admin/anfragen/auskunft": "Hilfe zur Auskunft → #auskunft",
		fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/neu", ids["mitglieder"]): "Hilfe zu Ansprechpersonen → #ansprechpersonen",
	} {
		if got := named[path]; got != want {
			t.Errorf("%s: help link %q, want %q", path, got, want)
		}
	}
}
