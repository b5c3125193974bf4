package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestHomeFiguresComeFromTheDatabase(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := newServer(t, pool)
	_, body := get(t, ts, "/", http.StatusOK)
	d := doc(t, body)
	figures := map[string]string{}
	d.Find(".figures div").Each(func(_ int, s *goquery.Selection) {
		figures[strings.TrimSpace(s.Find("dt").Text())] = strings.TrimSpace(s.Find("dd").Text())
	})
	for k, want := range map[string]string{"Städte": "17", "Organisationen": "3", "Gegründet": "2010"} {
		if got := figures[k]; got != want {
			t.Errorf("figure %s = %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(d.Find("main").Text(), "17 Städte und 3 Organisationen") {
		t.Error(`home page does not say "17 Städte und 3 Organisationen"`)
	}
	if got := d.Find(`.cards a[href^="/themen/"]`).Length(); got != 4 {
		t.Errorf("home shows %d topic pillars, want 4", got)
	}
	if d.Find(`main a[href="/mitgliedschaft"]`).Length() == 0 {
		t.Error("home has no call to join linking to /mitgliedschaft")
	}

	// The figures follow the data: a city leaving the network shows at once.
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `UPDATE members SET published = false WHERE slug = 'gladbeck'`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Exec(ctx, `UPDATE members SET published = true WHERE slug = 'gladbeck'`) })
	_, body = get(t, ts, "/", http.StatusOK)
	if !strings.Contains(doc(t, body).Find("main").Text(), "16 Städte und 3 Organisationen") {
		t.Error("home page figures did not follow the database")
	}
}

func TestMembersIndexListsAllSortedTheGermanWay(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/mitglieder", http.StatusOK)
	d := doc(t, body)
	names := texts(d.Find(".member-list .member-item > a"))
	if len(names) != 20 {
		t.Fatalf("list shows %d members, want 20: %v", len(names), names)
	}
	pos := map[string]int{}
	for i, n := range names {
		pos[n] = i
	}
	// Göttingen sorts with "Gottingen", between Gladbeck and Hannover.
	if !(pos["Gladbeck"] < pos["Göttingen"] && pos["Göttingen"] < pos["Hannover"]) {
		t.Errorf("Göttingen not sorted between Gladbeck and Hannover: %v", names)
	}
	if !(pos["Mannheim"] < pos["München"] && pos["München"] < pos["Nürnberg"]) {
		t.Errorf("München not between Mannheim and Nürnberg: %v", names)
	}
	if got := strings.TrimSpace(d.Find(".count").Text()); got != "20 Mitglieder" {
		t.Errorf("count = %q, want %q", got, "20 Mitglieder")
	}
}

func TestMembersMapLinksEveryMember(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/mitglieder", http.StatusOK)
	d := doc(t, body)
	dots := d.Find("svg a.map-dot")
	if dots.Length() != 20 {
		t.Fatalf("map has %d dots, want 20", dots.Length())
	}
	seen := map[string]bool{}
	dots.Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		label, _ := s.Attr("aria-label")
		if !strings.HasPrefix(href, "/mitglieder/") || label == "" {
			t.Errorf("dot without link or accessible name: href=%q label=%q", href, label)
		}
		seen[href] = true
	})
	if len(seen) != 20 {
		t.Errorf("map links %d distinct profiles, want 20", len(seen))
	}
	// Hannover and the two organisations there share coordinates but not a spot.
	spots := map[string]string{}
	dots.Each(func(_ int, s *goquery.Selection) {
		c := s.Find("circle, polygon")
		key := c.AttrOr("cx", "") + "," + c.AttrOr("cy", "") + c.AttrOr("points", "")
		href, _ := s.Attr("href")
		if other, dup := spots[key]; dup {
			t.Errorf("%s and %s are drawn on the same spot", other, href)
		}
		spots[key] = href
	})
}

// TestMembersIndexComesInPages: with more members than a page holds, the
// list comes in pages of 50 with links between them that keep the filter;
// the map still shows every member, and links those of the page.
func TestMembersIndexComesInPages(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := newServer(t, pool)
	// 60 more cities in Bavaria, after the seed's 20 members in the list.
	_, err := pool.Exec(context.Background(), `
INSERT INTO members (slug, name, short_name, kind, state, lat, lon)
SELECT 'zettstadt-' || g, 'Zettstadt ' || lpad(g::text, 2, '0'), 'Zettstadt ' || lpad(g::text, 2, '0'),
       'city', 'Bayern', 47.5 + g * 0.04, 9.5 + g * 0.05
FROM generate_series(1, 60) g`)
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, ts, "/mitglieder", http.StatusOK)
	d := doc(t, body)
	names := texts(d.Find(".member-list .member-item > a"))
	if len(names) != 50 || names[0] != "Augsburg" || names[49] != "Zettstadt 30" {
		t.Fatalf("first page lists %d members, %q to %q; want 50, Augsburg to Zettstadt 30", len(names), names[0], names[len(names)-1])
	}
	if got := strings.TrimSpace(d.Find(".count").Text()); got != "80 Mitglieder" {
		t.Errorf("count = %q, want all 80", got)
	}
	pager := d.Find(`nav.pager[aria-label="Seiten der Mitglieder"]`)
	if !strings.Contains(pager.Text(), "Seite 1 von 2") || pager.Find("a[rel=next]").AttrOr("href", "") != "/mitglieder?seite=2" {
		t.Errorf("pager of page 1: %q, next %q", pager.Text(), pager.Find("a[rel=next]").AttrOr("href", ""))
	}
	if n := d.Find("svg a.map-dot").Length(); n != 50 {
		t.Errorf("map links %d members on page 1, want the page's 50", n)
	}
	if d.Find("svg path.map-others").Length() == 0 || !strings.Contains(d.Find("figcaption").Text(), "Mitglieder dieser Seite") {
		t.Error("the map does not show the other 30 members, or does not say which dots are links")
	}

	_, body = get(t, ts, "/mitglieder?seite=2", http.StatusOK)
	d = doc(t, body)
	names = texts(d.Find(".member-list .member-item > a"))
	if len(names) != 30 || names[0] != "Zettstadt 31" || names[29] != "Zettstadt 60" {
		t.Errorf("second page lists %d members: %v", len(names), names)
	}
	if prev := d.Find(".pager a[rel=prev]").AttrOr("href", ""); prev != "/mitglieder" || d.Find(".pager a[rel=next]").Length() != 0 {
		t.Errorf("pager of the last page: previous %q, next links %d", prev, d.Find(".pager a[rel=next]").Length())
	}
	var dots []string
	d.Find("svg a.map-dot").Each(func(_ int, s *goquery.Selection) { dots = append(dots, s.AttrOr("href", "")) })
	if len(dots) != 30 || dots[0] != "/mitglieder/zettstadt-31" || dots[29] != "/mitglieder/zettstadt-60" {
		t.Errorf("map links %d members on page 2, want the 30 in the list's order (keyboard): %v", len(dots), dots)
	}

	// The filter stays in the pager's links; a page past the end shows the last.
	_, body = get(t, ts, "/mitglieder?land=Bayern", http.StatusOK)
	d = doc(t, body)
	if next := d.Find(".pager a[rel=next]").AttrOr("href", ""); next != "/mitglieder?land=Bayern&seite=2" {
		t.Errorf("next page of Bavaria: %q", next)
	}
	if got := strings.TrimSpace(d.Find(".count").Text()); got != "63 von 80 Mitglieder gezeigt" {
		t.Errorf("count = %q", got)
	}
	_, body = get(t, ts, "/mitglieder?land=Bayern&seite=9", http.StatusOK)
	if names := texts(doc(t, body).Find(".member-list .member-item > a")); len(names) != 13 {
		t.Errorf("a page past the end shows %d members, want the last page's 13", len(names))
	}
}

func TestMembersFilter(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	for _, tc := range []struct {
		query string
		want  int
		has   string
	}{
		{"art=stadt", 17, "Köln"},
		{"art=organisation", 3, "Kreis Lippe"},
		{"land=Bayern", 3, "Nürnberg"},
		{"art=stadt&land=Niedersachsen", 2, "Göttingen"},
		{"art=organisation&land=Niedersachsen", 2, "Deutscher Präventionstag"},
		{"land=" + url.QueryEscape("Baden-Württemberg"), 5, "Freiburg"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			_, body := get(t, ts, "/mitglieder?"+tc.query, http.StatusOK)
			d := doc(t, body)
			names := texts(d.Find(".member-list .member-item > a"))
			if len(names) != tc.want {
				t.Errorf("%d members shown, want %d: %v", len(names), tc.want, names)
			}
			if !strings.Contains(strings.Join(names, "|"), tc.has) {
				t.Errorf("%q missing from %v", tc.has, names)
			}
			if got, want := strings.TrimSpace(d.Find(".count").Text()), fmt.Sprintf("%d von 20 Mitglieder gezeigt", tc.want); got != want {
				t.Errorf("count = %q, want %q", got, want)
			}
			if got := d.Find("svg a.map-dot").Length(); got != tc.want {
				t.Errorf("map shows %d dots, want %d", got, tc.want)
			}
			// The form keeps the choice.
			params, _ := url.ParseQuery(tc.query)
			if v := params.Get("art"); v != "" {
				if got := d.Find(`select[name=art] option[selected]`).AttrOr("value", ""); got != v {
					t.Errorf("art select shows %q, want %q", got, v)
				}
			}
		})
	}
}

func TestMembersFilterBadInput(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	long := strings.Repeat("x", 10000)
	for name, query := range map[string]string{
		"unknown state":   "land=Atlantis",
		"unknown kind":    "art=unbekannt",
		"long value":      "land=" + long,
		"script":          "land=" + url.QueryEscape("<script>alert(1)</script>"),
		"repeated params": "art=stadt&art=organisation&land=Bayern&land=Hessen",
	} {
		t.Run(name, func(t *testing.T) {
			_, body := get(t, ts, "/mitglieder?"+query, http.StatusOK)
			d := doc(t, body)
			if strings.Contains(body, "<script>alert") {
				t.Error("query value rendered unescaped")
			}
			if strings.Contains(body, long) {
				t.Error("10,000-character value echoed in full")
			}
			if strings.ContainsRune(body, 0) {
				t.Error("NUL byte echoed into the page")
			}
			if name != "repeated params" && d.Find(".note").Length() == 0 {
				t.Error("no German note about the ignored value")
			}
			if d.Find(".member-list .member-item").Length() == 0 {
				t.Error("no members shown")
			}
		})
	}
}

func TestMemberProfile(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := newServer(t, pool)
	ctx := context.Background()
	// A public and a members-only contact, with all fields.
	_, err := pool.Exec(ctx, `
INSERT INTO member_contacts (member_id, position, name, function, email, phone, public)
SELECT id, 90, 'Erika Öffentlich', 'Leitung Ordnungsamt', 'erika@example.org', '0201 12345', true FROM members WHERE slug = 'essen'
UNION ALL
SELECT id, 91, 'Max Intern', 'Sachbearbeitung', 'max.intern@example.org', '0201 99999', false FROM members WHERE slug = 'essen'`)
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, ts, "/mitglieder/essen", http.StatusOK)
	d := doc(t, body)
	if got := strings.TrimSpace(d.Find("h1").Text()); got != "Stadt Essen" {
		t.Errorf("h1 = %q, want Stadt Essen", got)
	}
	facts := d.Find(".facts").Text()
	for _, want := range []string{"Stadt", "Nordrhein-Westfalen", "584.000", "2015"} {
		if !strings.Contains(facts, want) {
			t.Errorf("facts lack %q: %s", want, facts)
		}
	}
	if d.Find(`.facts a[href="https://www.essen.de"]`).Length() != 1 {
		t.Error("website link missing")
	}
	contacts := d.Find(".contacts").Text()
	if !strings.Contains(contacts, "Erika Öffentlich") || d.Find(`a[href="mailto:erika@example.org"]`).Length() != 1 || d.Find(`a[href="tel:020112345"]`).Length() != 1 {
		t.Errorf("public contact not shown with e-mail and phone: %s", contacts)
	}
	if strings.Contains(body, "Max Intern") || strings.Contains(body, "max.intern@example.org") {
		t.Error("members-only contact shown on the public profile")
	}
	if d.Find(`a[href^="/themen/"]`).Length() == 0 {
		t.Error("profile shows no topics")
	}
}

func TestOrganisationProfileHasNoPopulation(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/mitglieder/kreis-lippe", http.StatusOK)
	d := doc(t, body)
	if strings.Contains(d.Find(".facts").Text(), "Einwohner") {
		t.Error("organisation profile shows a population")
	}
}

func TestTopics(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	_, body := get(t, ts, "/themen", http.StatusOK)
	d := doc(t, body)
	links := d.Find(`main .card h3 a`)
	if links.Length() != 8 {
		t.Fatalf("/themen lists %d topics, want 8", links.Length())
	}
	links.Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		_, body := get(t, ts, href, http.StatusOK)
		td := doc(t, body)
		if td.Find("h1").Text() != strings.TrimSpace(s.Text()) {
			t.Errorf("%s: h1 %q, want %q", href, td.Find("h1").Text(), s.Text())
		}
		if td.Find(".prose").Text() == "" {
			t.Errorf("%s: no description", href)
		}
		if td.Find(`.member-list a[href^="/mitglieder/"]`).Length() == 0 {
			t.Errorf("%s: no members", href)
		}
	})
}

func TestContentPages(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	for path, want := range map[string][]string{
		"/ueber-uns":        {"2010", "Efus", "Kurt-Schumacher-Straße 29"},
		"/mitgliedschaft":   {"/mitgliedschaft/anfrage"},
		"/impressum":        {"§ 5 DDG", "Vorstand", "30159 Hannover"},
		"/datenschutz":      {"Cookie", "IP-Adresse", "365 Tage nach ihrem Abschluss", "30 Tage", "/mitgliedschaft/anfrage"},
		"/barrierefreiheit": {"WCAG", "mailto:defus@defus.de"},
		"/kontakt":          {"0511 36739420", "defus@defus.de"},
	} {
		t.Run(path, func(t *testing.T) {
			_, body := get(t, ts, path, http.StatusOK)
			d := doc(t, body)
			if d.Find("h1").Length() != 1 {
				t.Errorf("want one h1, got %d", d.Find("h1").Length())
			}
			main, _ := d.Find("main").Html()
			for _, w := range want {
				if !strings.Contains(main, w) && !strings.Contains(d.Find("main").Text(), w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}

func TestEveryPageHasFooterLinksAndHeaders(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/", 200}, {"/mitglieder", 200}, {"/mitglieder/koeln", 200}, {"/themen", 200},
		{"/themen/urbane-resilienz", 200}, {"/impressum", 200}, {"/gibt-es-nicht", 404},
	} {
		resp, body := get(t, ts, tc.path, tc.status)
		d := doc(t, body)
		for _, href := range []string{"/impressum", "/datenschutz", "/barrierefreiheit", "/kontakt"} {
			if d.Find(`footer a[href="`+href+`"]`).Length() != 1 {
				t.Errorf("%s: footer lacks a link to %s", tc.path, href)
			}
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP = %q", tc.path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: security headers missing: %v", tc.path, resp.Header)
		}
		if d.Find("script:not([src])").Length() != 0 {
			t.Errorf("%s: inline script found", tc.path)
		}
		d.Find(`link[rel=stylesheet], link[rel=icon], script[src], img[src]`).Each(func(_ int, s *goquery.Selection) {
			ref := s.AttrOr("href", s.AttrOr("src", ""))
			if strings.Contains(ref, "//") {
				t.Errorf("%s: third-party resource %q", tc.path, ref)
			}
		})
		if d.Find("html[lang=de]").Length() != 1 {
			t.Errorf("%s: html lang is not de", tc.path)
		}
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	for _, path := range []string{"/gibt-es-nicht", "/mitglieder/atlantis", "/themen/atlantis", "/mitglieder/ESSEN", "/mitglieder/essen/extra"} {
		_, body := get(t, ts, path, http.StatusNotFound)
		d := doc(t, body)
		if got := d.Find("h1").Text(); got != "Seite nicht gefunden" {
			t.Errorf("%s: h1 = %q", path, got)
		}
		if d.Find(`link[rel=stylesheet]`).Length() != 1 {
			t.Errorf("%s: 404 page is not styled", path)
		}
	}
}
