package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/imaging"
	"defus.de/portal/internal/imaging/imagingtest"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
)

// screen is a window size the pages must fit.
type screen struct{ width, height int64 }

var (
	phone   = screen{375, 812}
	desktop = screen{1280, 900}
)

// notPages are the GET routes that serve no HTML page of their own.
var notPages = map[string]bool{
	"/healthz": true, "/readyz": true, "/robots.txt": true, "/sitemap.xml": true, "/favicon.ico": true,
	"/static/*": true, "/termine.ics": true, "/termine/{slug}.ics": true,
	"/medien/{id}/{name}": true, "/medien/{id}/{box}/{name}": true, "/favicon/{id}/{file}": true, "/admin/anfragen/export.csv": true,
	"/termine/kalender":    true, // redirects to the current month's page
	"/admin/login":         true, // checked before logging in
	"/intern/kontakte.vcf": true, "/intern/kontakte/{file}": true, "/dokumente/{token}/{name}": true,
	"/intern/vorschlaege/{id}/logo": true, "/admin/profilvorschlaege/{id}/logo": true,
	"/aktuelles.atom": true, "/themen/{slug}.atom": true,
	// A download, and the pages behind signed links (registration_test.go checks them).
	"/admin/termine/{id}/anmeldungen.csv": true, "/admin/termine/{id}/bescheinigungen.zip": true,
	"/anmeldung/{id}/{sig}/{action}": true, "/termine/meine/{token}": true,
	"/admin/login/code": true, // checked in TestTwoFactorLoginInTheBrowser
}

// layout is what measureLayout finds on a page.
type layout struct {
	ScrollWidth  int      `json:"scrollWidth"`
	InnerWidth   int      `json:"innerWidth"`
	InnerHeight  int      `json:"innerHeight"`
	FooterBottom float64  `json:"footerBottom"` // from the top of the page
	Scrollers    []string `json:"scrollers"`    // parts that scroll sideways but are no named, focusable region
}

// measureLayout measures the page: its width, where its footer ends, and
// every part that scrolls sideways without being a region a keyboard can
// reach and a screen reader can name (WCAG 2.1.1 for scrollable regions).
const measureLayout = `(() => {
	const footer = document.querySelector('body > footer');
	const scrollers = [...document.querySelectorAll('body *')].filter(e => {
		const x = getComputedStyle(e).overflowX;
		return (x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth && !e.matches('textarea, select, input');
	}).filter(e => !(e.getAttribute('role') === 'region' && e.tabIndex === 0 &&
		(e.hasAttribute('aria-label') || e.hasAttribute('aria-labelledby'))
	)).map(e => e.outerHTML.slice(0, 120));
	return {
		scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, innerHeight: window.innerHeight,
		footerBottom: footer.getBoundingClientRect().bottom + window.scrollY, scrollers: scrollers,
	};
})()`

// checkPage opens path in tab at the size of s and fails the test when
// the page has another status than want, is wider than the window, has a
// sideways scroller a keyboard cannot reach, ends above the bottom of the
// window, or has an axe finding.
func checkPage(t *testing.T, b *Browser, tab context.Context, base, path string, s screen, want int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	name := fmt.Sprintf("%s at %dpx", path, s.width)
	resp, err := chromedp.RunResponse(ctx, chromedp.EmulateViewport(s.width, s.height), chromedp.Navigate(base+path))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if resp.Status != int64(want) {
		t.Fatalf("%s: status %d, want %d", name, resp.Status, want)
	}
	l, err := chromedp.Run(ctx, chromedp.Evaluate[layout](measureLayout))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if l.ScrollWidth > l.InnerWidth {
		t.Errorf("%s: page is %dpx wide, the window %dpx: it scrolls sideways", name, l.ScrollWidth, l.InnerWidth)
	}
	for _, sc := range l.Scrollers {
		t.Errorf("%s: scrolls sideways but is no focusable region with a name: %s", name, sc)
	}
	if l.FooterBottom < float64(l.InnerHeight)-1 {
		t.Errorf("%s: footer ends at %.0fpx, above the bottom of the %dpx window", name, l.FooterBottom, l.InnerHeight)
	}
	b.CheckA11y(t, ctx, name)
}

// TestEveryPageFitsPhoneAndDesktop opens every page of the route table,
// public and admin (logged in as admin), at the width of a phone and of a
// desktop: none may scroll sideways as a whole, wide tables scroll in
// their own region, the footer reaches the bottom of the window, and axe
// finds nothing. A new GET route fails the test until it gets an example
// path here (or is listed in notPages), so no page is left out.
func TestEveryPageFitsPhoneAndDesktop(t *testing.T) {
	b := NewBrowser(t)
	var routes chi.Routes
	base := site(t, func(s *server.Server) { routes = s.Handler().(chi.Routes) })
	ex := phoneFixtures(t)

	// An example path for every route with parameters; the data is long
	// where long data broke layouts before (a long file name in the logo
	// select widened the member form).
	examples := map[string][]string{
		"/mitglieder/{slug}":                                     {"/mitglieder/essen"},
		"/termine/kalender/{jahr}/{monat}":                       {"/termine/kalender/2025/09", "/termine/kalender/2026/11"},
		"/termine/{slug}":                                        {"/termine/29-mitgliederversammlung-2025"},
		"/themen/{slug}":                                         {"/themen/urbane-resilienz"},
		"/{slug}":                                                {"/" + ex.pageSlug, "/datenschutz"},
		"/admin/":                                                {"/admin"},
		"/admin/anfragen/{id}":                                   {ex.path("/admin/anfragen/%d", ex.enquiry)},
		"/admin/anfragen/{id}/loeschen":                          {ex.path("/admin/anfragen/%d/loeschen", ex.enquiry)},
		"/admin/anfragen/datenschutz/{id}":                       {ex.path("/admin/anfragen/datenschutz/%d", ex.notice)},
		"/admin/mitglieder/{id}":                                 {ex.path("/admin/mitglieder/%d", ex.member)},
		"/admin/mitglieder/{id}/loeschen":                        {ex.path("/admin/mitglieder/%d/loeschen", ex.member)},
		"/admin/mitglieder/{id}/ansprechpersonen/neu":            {ex.path("/admin/mitglieder/%d/ansprechpersonen/neu", ex.member)},
		"/admin/mitglieder/{id}/ansprechpersonen/{cid}":          {ex.path("/admin/mitglieder/%d/ansprechpersonen/%d", ex.member, ex.contact)},
		"/admin/mitglieder/{id}/ansprechpersonen/{cid}/loeschen": {ex.path("/admin/mitglieder/%d/ansprechpersonen/%d/loeschen", ex.member, ex.contact)},
		"/admin/termine/{id}":                                    {ex.path("/admin/termine/%d", ex.event)},
		"/admin/termine/{id}/kopie":                              {ex.path("/admin/termine/%d/kopie", ex.event)},
		"/admin/termine/{id}/loeschen":                           {ex.path("/admin/termine/%d/loeschen", ex.event)},
		"/admin/termine/{id}/anmeldungen":                        {ex.path("/admin/termine/%d/anmeldungen", ex.event)},
		"/admin/termine/{id}/teilnahmeliste":                     {ex.path("/admin/termine/%d/teilnahmeliste", ex.event)},
		"/admin/seiten/{id}":                                     {ex.path("/admin/seiten/%d", ex.page)},
		"/admin/seiten/{id}/loeschen":                            {ex.path("/admin/seiten/%d/loeschen", ex.page)},
		"/admin/themen/{id}":                                     {ex.path("/admin/themen/%d", ex.topic)},
		"/admin/themen/{id}/loeschen":                            {ex.path("/admin/themen/%d/loeschen", ex.topic)},
		"/admin/medien/{id}":                                     {ex.path("/admin/medien/%d", ex.media)},
		"/admin/medien/{id}/loeschen":                            {ex.path("/admin/medien/%d/loeschen", ex.media)},
		"/admin/protokoll/{id}":                                  {ex.path("/admin/protokoll/%d", ex.audit)},
		"/admin/benutzer/{id}":                                   {ex.path("/admin/benutzer/%d", ex.user)},
		"/admin/dokumente/{id}":                                  {ex.path("/admin/dokumente/%d", ex.document)},
		"/admin/dokumente/{id}/loeschen":                         {ex.path("/admin/dokumente/%d/loeschen", ex.document)},
		"/admin/profilvorschlaege/{id}":                          {ex.path("/admin/profilvorschlaege/%d", ex.proposal)},
		"/intern/vorschlaege/{id}":                               {ex.path("/intern/vorschlaege/%d", ex.proposal)},
		"/admin/benutzer/{id}/loeschen":                          {ex.path("/admin/benutzer/%d/loeschen", ex.user)},
		"/konto/einladung/{token}":                               {ex.invitation},
		"/konto/passwort-neu/{token}":                            {ex.reset},
		"/konto/e-mail/{token}":                                  {ex.emailChange},
		"/aktuelles/{slug}":                                      {"/aktuelles/beispiel-interview-resilienz", "/aktuelles/defus-gegruendet"},
		"/suche":                                                 {"/suche", "/suche?q=Resilienz", "/suche?q=Zzyzxquorp"},
		"/admin/aktuelles/{id}":                                  {ex.path("/admin/aktuelles/%d", ex.article)},
		"/admin/aktuelles/{id}/loeschen":                         {ex.path("/admin/aktuelles/%d/loeschen", ex.article)},
	}
	var public, admin, member []string
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodGet || notPages[route] {
			return nil
		}
		paths, ok := examples[route]
		if !ok && strings.Contains(route, "{") {
			t.Errorf("route %s has no example path in this test", route)
		}
		if !ok {
			paths = []string{route}
		}
		if strings.HasPrefix(route, "/intern/profil") || strings.HasPrefix(route, "/intern/vorschlaege") {
			member = append(member, paths...) // a representative's own profile
		} else if strings.HasPrefix(route, "/admin/") || strings.HasPrefix(route, "/intern") || strings.HasPrefix(route, "/konto/") {
			// the office may read /intern; /konto: the own account, logged in
			admin = append(admin, paths...)
		} else {
			public = append(public, paths...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(public)
	slices.Sort(admin)

	tab := b.LongTab(t)
	check := func(path string, want int) {
		for _, s := range []screen{phone, desktop} {
			t.Run(fmt.Sprintf("%d%s", s.width, path), func(t *testing.T) { checkPage(t, b, tab, base, path, s, want) })
		}
	}
	for _, path := range public {
		check(path, http.StatusOK)
	}
	check("/gibt-es-nicht", http.StatusNotFound)

	check("/admin/login", http.StatusOK)

	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	logIn(t, ctx, base)
	for _, path := range admin {
		check(path, http.StatusOK)
	}

	// The pages of a representative's own profile, logged in as one.
	tab = b.LongTab(t)
	ctx, cancel = context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	logInMember(t, ctx, base, phoneMember)
	for _, path := range member {
		check(path, http.StatusOK)
	}
}

// fixtures are the records the example paths of
// TestEveryPageFitsPhoneAndDesktop show.
type fixtures struct {
	enquiry, notice, member, contact, event, page, topic, media, user, audit int64
	document, proposal, article                                              int64
	pageSlug                                                                 string
	invitation, reset, emailChange                                           string // paths of live links
}

func (fixtures) path(format string, ids ...any) string { return fmt.Sprintf(format, ids...) }

// phoneFixtures adds what the seed lacks (an enquiry, an uploaded picture,
// a page with a wide table) and looks up the ids of seeded records.
func phoneFixtures(t *testing.T) fixtures {
	t.Helper()
	ctx := context.Background()
	st := store.New(dbtest.Pool(t), clock)
	var f fixtures
	email, _ := adminAccount(t)
	u, err := st.FindUserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	f.user = u.ID

	now := clock()
	e := &defus.Enquiry{Organisation: "Stadtverwaltung Langenbrückenfeldhausen an der Oberen Donau",
		ContactName: "Maximiliane Musterfrau-Langname", Email: "maximiliane.musterfrau-langname@langenbrueckenfeldhausen.example",
		Message: "Wir möchten Mitglied werden.", Status: defus.StatusNew, ConsentAt: now, CreatedAt: now,
		IdempotencyKey: fmt.Sprintf("e2e-phone-%d", now.UnixNano())}
	if _, err := st.CreateEnquiry(ctx, e, nil); err != nil {
		t.Fatal(err)
	}
	f.enquiry, f.notice = e.ID, e.PrivacyNoticeID

	data := imagingtest.PNG(t, imagingtest.Drawn(400, 200, false))
	res, err := imaging.NewProcessor(imaging.DefaultBudget).Process(ctx, data, "image/png", defus.ImageBoxes)
	if err != nil {
		t.Fatal(err)
	}
	m := &defus.Media{Name: "logo-der-stadtverwaltung-langenbrueckenfeldhausen-an-der-oberen-donau.png",
		ContentType: "image/png", Data: data, AltText: "Wappen der Stadt", Width: res.Width, Height: res.Height, Variants: res.Variants}
	if err := st.CreateMedia(ctx, defus.Actor{}, m); err != nil {
		t.Fatal(err)
	}
	f.media = m.ID

	p := &defus.Page{Slug: fmt.Sprintf("termine-in-zahlen-%d", now.UnixNano()), Title: "Termine in Zahlen", Published: true,
		Body: "| Jahr | Mitgliederversammlungen | Fortbildungsveranstaltungen | Arbeitskreissitzungen | Veranstaltungsorte |\n" +
			"|---|---|---|---|---|\n| 2025 | 2 | 14 | 9 | Stuttgart, Hannover, Essen, Mannheim |\n"}
	if err := st.CreatePage(ctx, defus.Actor{}, p); err != nil {
		t.Fatal(err)
	}
	f.page, f.pageSlug = p.ID, p.Slug
	// The page's creation is the newest audit entry: its page shows the changes.
	if err := dbtest.Pool(t).QueryRow(ctx, `SELECT max(id) FROM audit_log`).Scan(&f.audit); err != nil {
		t.Fatal(err)
	}

	mem, err := st.FindMember(ctx, "essen")
	if err != nil {
		t.Fatal(err)
	}
	if len(mem.Contacts) == 0 {
		t.Fatal("the seed gives Essen no contact to edit")
	}
	f.member, f.contact = mem.ID, mem.Contacts[0].ID
	f.invitation = phoneInvitation(t, st, mem.ID)
	tok := defus.NewToken()
	err = st.RequestPasswordReset(ctx, email, tok, func(u *defus.User, expires time.Time) defus.Mail {
		return defus.PasswordResetMail(u, tok.Raw, expires, defus.AccountMailSettings{Office: "buero@defus.de", BaseURL: "http://localhost"})
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.reset = "/konto/passwort-neu/" + tok.Raw
	tok = defus.NewToken()
	err = st.RequestEmailChange(ctx, defus.Actor{}, u.ID, "neue-adresse-der-geschaeftsstelle@langenbrueckenfeldhausen.example", tok,
		func(u *defus.User, expires time.Time) defus.Mail {
			return defus.EmailChangeMail(u, "neu@example.org", tok.Raw, expires, defus.AccountMailSettings{Office: "buero@defus.de", BaseURL: "http://localhost"})
		})
	if err != nil {
		t.Fatal(err)
	}
	f.emailChange = "/konto/e-mail/" + tok.Raw
	ev, err := st.FindEvent(ctx, "29-mitgliederversammlung-2025")
	if err != nil {
		t.Fatal(err)
	}
	f.event = ev.ID
	top, err := st.FindTopic(ctx, "urbane-resilienz")
	if err != nil {
		t.Fatal(err)
	}
	f.topic = top.ID

	// A representative of Essen with a long proposal, and a document.
	memberAccount(t, "essen", phoneMember, "Maximiliane Musterfrau-Langname")
	rep, err := st.FindUserByEmail(ctx, phoneMember)
	if err != nil {
		t.Fatal(err)
	}
	prop := &defus.ProfileProposal{MemberID: mem.ID, Description: strings.Repeat("Sicherheitspartnerschaftsvereinbarung ", 20),
		Website: "https://www.essen.de/leben/sicherheit_und_ordnung/kommunale_kriminalpraevention_und_sicherheitspartnerschaft.de.html"}
	if _, err := st.SaveProposal(ctx, rep.Actor(""), prop); err != nil {
		t.Fatal(err)
	}
	f.proposal = prop.ID
	if err := dbtest.Pool(t).QueryRow(ctx, `SELECT max(id) FROM documents`).Scan(&f.document); err != nil {
		t.Fatal(err)
	}
	if err := dbtest.Pool(t).QueryRow(ctx, `SELECT id FROM articles WHERE slug = 'beispiel-interview-resilienz'`).Scan(&f.article); err != nil {
		t.Fatal(err)
	}
	return f
}

// phoneMember is the representative whose pages the phone test opens.
const phoneMember = "vertretung-phone@essen.example"

// TestMonthViewIsAListOnAPhone: on a phone the month view lists its days
// with events instead of the seven-column table, which is hidden (so no
// weekday lies beyond the edge); on a desktop it is the other way round.
func TestMonthViewIsAListOnAPhone(t *testing.T) {
	b := NewBrowser(t)
	base := site(t)
	const visible = `[...document.querySelectorAll(%q)].filter(e => e.getClientRects().length > 0).map(e => e.textContent.replace(/\s+/g, ' ').trim())`
	for _, tc := range []struct {
		screen
		table bool
	}{{phone, false}, {desktop, true}} {
		ctx := b.Tab(t)
		must(t, ctx, chromedp.EmulateViewport(tc.width, tc.height), chromedp.Navigate(base+"/termine/kalender/2025/09"))
		days, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(visible, ".agenda-days > li")))
		if err != nil {
			t.Fatal(err)
		}
		heads, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(visible, "table.month-calendar thead th")))
		if err != nil {
			t.Fatal(err)
		}
		if tc.table {
			if len(days) != 0 || len(heads) != 7 {
				t.Errorf("at %dpx: list shows %q, table %d weekdays; want the table only", tc.width, days, len(heads))
			}
			continue
		}
		if len(heads) != 0 {
			t.Errorf("at %dpx the table shows %d weekdays, want it hidden", tc.width, len(heads))
		}
		// The two-day member meeting (16 and 17 September) on both its days.
		want := []string{"Dienstag, 16. September 29. Mitgliederversammlung",
			"Mittwoch, 17. September 29. Mitgliederversammlung"}
		if len(days) != len(want) {
			t.Fatalf("at %dpx the list shows %q, want %q", tc.width, days, want)
		}
		for i := range want {
			if !strings.HasPrefix(days[i], want[i]) || !strings.Contains(days[i], "16.–17. September 2025") {
				t.Errorf("at %dpx day %d of the list = %q, want %q… with the meeting's dates", tc.width, i, days[i], want[i])
			}
		}
	}
}

// TestFigureLabelsStayWhole: the home page's figures ("Organisationen",
// "Bundesländer") keep each label on one line on a phone instead of
// breaking it inside the word.
func TestFigureLabelsStayWhole(t *testing.T) {
	b := NewBrowser(t)
	base := site(t)
	for _, s := range []screen{{320, 640}, phone, desktop} {
		ctx := b.Tab(t)
		must(t, ctx, chromedp.EmulateViewport(s.width, s.height), chromedp.Navigate(base+"/"))
		broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.figures dt')]
			.filter(dt => dt.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(dt).lineHeight))
			.map(dt => dt.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		if len(broken) > 0 {
			t.Errorf("at %dpx these figure labels break over two lines: %q", s.width, broken)
		}
	}
}

// phoneInvitation invites a representative of member and returns the path
// of the invitation link.
func phoneInvitation(t *testing.T, st *store.Store, member int64) string {
	t.Helper()
	tok := defus.NewToken()
	u := &defus.User{Name: "Maximiliane Musterfrau-Langname", MemberID: &member,
		Email: fmt.Sprintf("eingeladen-%d@langenbrueckenfeldhausen.example", clock().UnixNano())}
	err := st.InviteUser(context.Background(), defus.Actor{}, u, tok, func(u *defus.User, expires time.Time) defus.Mail {
		return defus.InvitationMail(u, "Essen", tok.Raw, expires, defus.AccountMailSettings{Office: "buero@defus.de", BaseURL: "http://localhost"})
	})
	if err != nil {
		t.Fatal(err)
	}
	return "/konto/einladung/" + tok.Raw
}
