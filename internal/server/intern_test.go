package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
)

// internSite is the seeded site with a representative of Essen (A), one
// of Bochum (B), an editor and an admin, each logged in.
type internSite struct {
	ts               *httptest.Server
	st               *store.Store
	essen, bochum    *defus.Member
	anon             *http.Cookie // nil: not logged in
	memberA, memberB *http.Cookie
	editor, admin    *http.Cookie
	userA            *defus.User
}

func newInternSite(tb testing.TB) *internSite {
	tb.Helper()
	pool := seededPool(tb)
	return newInternSiteOn(tb, newServer(tb, pool), pool)
}

// newInternSiteOn is newInternSite on a server over pool.
func newInternSiteOn(tb testing.TB, ts *httptest.Server, pool *pgxpool.Pool) *internSite {
	tb.Helper()
	st := store.New(pool, testClock)
	s := &internSite{ts: ts, st: st}
	ctx := context.Background()
	var err error
	if s.essen, err = st.FindMember(ctx, "essen"); err != nil {
		tb.Fatal(err)
	}
	if s.bochum, err = st.FindMember(ctx, "bochum"); err != nil {
		tb.Fatal(err)
	}
	s.userA = addMemberAccount(tb, st, "vertretung@essen.example", "Erika Essen", s.essen.ID)
	addMemberAccount(tb, st, "vertretung@bochum.example", "Bernd Bochum", s.bochum.ID)
	addAccount(tb, st, "e@defus.de", "Erik Editor", defus.RoleEditor)
	addAccount(tb, st, "a@defus.de", "Anna Admin", defus.RoleAdmin)
	s.memberA, s.memberB = login(tb, ts, "vertretung@essen.example"), login(tb, ts, "vertretung@bochum.example")
	s.editor, s.admin = login(tb, ts, "e@defus.de"), login(tb, ts, "a@defus.de")
	return s
}

// addMemberAccount creates a representative of the member memberID.
func addMemberAccount(tb testing.TB, st *store.Store, email, name string, memberID int64) *defus.User {
	tb.Helper()
	u := &defus.User{Email: email, Name: name, Role: defus.RoleMember, MemberID: &memberID, PasswordHash: testHash()}
	if err := st.CreateUser(context.Background(), defus.Actor{}, u); err != nil {
		tb.Fatal(err)
	}
	return u
}

func (s *internSite) get(tb testing.TB, path string, c *http.Cookie, want int) (*http.Response, string) {
	tb.Helper()
	return send(tb, s.ts, http.MethodGet, path, c, nil, want)
}

// addContact adds a contact person to a member.
func (s *internSite) addContact(tb testing.TB, memberID int64, c defus.Contact) *defus.Contact {
	tb.Helper()
	c.MemberID = memberID
	if err := s.st.CreateContact(context.Background(), defus.Actor{}, &c); err != nil {
		tb.Fatal(err)
	}
	return &c
}

// addDocument stores a tiny PDF as a document.
func (s *internSite) addDocument(tb testing.TB, title string, v defus.Visibility, topics ...int64) *defus.Document {
	tb.Helper()
	d := &defus.Document{Title: title, DatedOn: time.Date(2026, 10, 1, 0, 0, 0, 0, defus.Berlin), Visibility: v,
		FileName: defus.Slugify(title) + ".pdf", ContentType: defus.TypePDF, Data: tinyPDF(title), TopicIDs: topics}
	if err := s.st.CreateDocument(context.Background(), defus.Actor{}, d); err != nil {
		tb.Fatal(err)
	}
	return d
}

// tinyPDF is a small valid PDF with one page.
func tinyPDF(title string) []byte {
	return []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj " +
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% " + title + "\ntrailer<</Root 1 0 R>>\n%%EOF\n")
}

// internGetRoutes are the pages of the members' area every account with
// access reads.
var internGetRoutes = []string{"/intern", "/intern/kontakte", "/intern/kontakte.vcf", "/intern/dokumente"}

func TestInternPagesAnswerByRole(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	c := s.addContact(t, s.essen.ID, defus.Contact{Name: "Jörg Müller", Function: "Prävention", Phone: "0201 88-1234"})
	routes := append(internGetRoutes, "/intern/kontakte/"+itoa(c.ID)+".vcf")
	for _, path := range routes {
		t.Run(path, func(t *testing.T) {
			resp, _ := s.get(t, path, nil, http.StatusSeeOther)
			if got, want := resp.Header.Get("Location"), "/admin/login?next="+url.QueryEscape(path); got != want {
				t.Errorf("anonymous: Location %q, want %q", got, want)
			}
			for name, cookie := range map[string]*http.Cookie{"member A": s.memberA, "member B": s.memberB, "editor": s.editor, "admin": s.admin} {
				resp, _ := s.get(t, path, cookie, http.StatusOK)
				if got := resp.Header.Get("Cache-Control"); !strings.Contains(got, "no-store") {
					t.Errorf("%s: Cache-Control %q, want no-store", name, got)
				}
			}
		})
	}
	t.Run("member account without member", func(t *testing.T) {
		addAccount(t, s.st, "ohne@mitglied.example", "Olga Ohne", defus.RoleMember)
		c := login(t, s.ts, "ohne@mitglied.example")
		_, body := s.get(t, "/intern", c, http.StatusForbidden)
		if !strings.Contains(body, "keinem Mitglied zugeordnet") {
			t.Errorf("403 page does not say why:\n%s", body)
		}
	})
}

func TestInternHomeShowsOwnProfileEventsAndDocuments(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	s.addDocument(t, "Leitfaden Präventionsräte", defus.VisibilityMembers)
	s.addDocument(t, "Interner Haushaltsplan", defus.VisibilityOffice)

	_, body := s.get(t, "/intern", s.memberA, http.StatusOK)
	d := doc(t, body)
	if got := d.Find("#profile-title").Text(); got != "Profil von Essen" {
		t.Errorf("profile heading %q, want Profil von Essen", got)
	}
	if got := d.Find("section[aria-labelledby=profile-title]").Text(); !strings.Contains(got, "noch nie bestätigt") {
		t.Errorf("profile status %q lacks noch nie bestätigt", got)
	}
	titles := texts(d.Find(".document-title"))
	if !slices.Contains(titles, "Leitfaden Präventionsräte") || slices.Contains(titles, "Interner Haushaltsplan") {
		t.Errorf("documents %q, want the members' one and not the office's", titles)
	}
	if d.Find(".event-item").Length() == 0 {
		t.Error("no upcoming events on the start page")
	}

	_, body = s.get(t, "/intern", s.editor, http.StatusOK)
	d = doc(t, body)
	if d.Find("#profile-title").Length() != 0 {
		t.Error("the office sees a profile section, but speaks for no member")
	}
	if got := texts(d.Find(".document-title")); !slices.Contains(got, "Interner Haushaltsplan") {
		t.Errorf("office sees documents %q, want the office's too", got)
	}
}

func TestInternContactsFindMembersOnlyContactsAcrossUmlautSpellings(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	s.addContact(t, s.essen.ID, defus.Contact{Name: "Jörg Müller", Function: "Leitung Ordnungsamt", Email: "j.mueller@essen.example", Phone: "+49 201 88-1234"})
	s.addContact(t, s.bochum.ID, defus.Contact{Name: "Petra Public", Function: "Pressestelle", Public: true})

	for _, q := range []string{"Müller", "mueller", "MULLER", "ordnungsamt"} {
		_, body := s.get(t, "/intern/kontakte?q="+url.QueryEscape(q), s.memberB, http.StatusOK)
		d := doc(t, body)
		rows := d.Find(".contacts-table tbody tr")
		if rows.Length() != 1 || !strings.Contains(rows.Text(), "Jörg Müller") {
			t.Errorf("?q=%s: rows %q, want Jörg Müller only", q, texts(rows))
			continue
		}
		if got := rows.Find("a[href^='tel:']").Text(); got != "+49 201 88-1234" {
			t.Errorf("?q=%s: phone %q", q, got)
		}
		if rows.Find(".badge").Text() != "nur für Mitglieder" {
			t.Errorf("?q=%s: members-only contact not marked", q)
		}
	}

	_, body := s.get(t, "/intern/kontakte?mitglied=bochum", s.memberA, http.StatusOK)
	names := texts(doc(t, body).Find(".contacts-table tbody th"))
	if len(names) != 1 || names[0] != "Petra Public" {
		t.Errorf("?mitglied=bochum: %q, want Petra Public", names)
	}
	_, body = s.get(t, "/intern/kontakte?land="+url.QueryEscape(s.essen.State)+"&q=m%C3%BCller", s.memberA, http.StatusOK)
	if got := doc(t, body).Find(".contacts-table tbody tr").Length(); got != 1 {
		t.Errorf("filter by state %s: %d rows, want 1", s.essen.State, got)
	}
}

// A long directory comes in pages of 50 with the filter kept in the
// pager's links; the address book file holds the whole selection.
func TestInternContactsComeInPages(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	for i := range 60 {
		s.addContact(t, s.essen.ID, defus.Contact{Name: fmt.Sprintf("Person %02d Seitentest", i), Function: "Sachbearbeitung"})
	}
	_, body := s.get(t, "/intern/kontakte?q=seitentest", s.memberA, http.StatusOK)
	d := doc(t, body)
	if rows := d.Find(".contacts-table tbody tr").Length(); rows != 50 {
		t.Errorf("first page: %d rows, want 50", rows)
	}
	if got := d.Find(".count").Text(); !strings.Contains(got, "60") {
		t.Errorf("count %q, want all 60", got)
	}
	next := d.Find(`.pager a[rel=next]`).AttrOr("href", "")
	if next != "/intern/kontakte?q=seitentest&seite=2" {
		t.Fatalf("next page link %q", next)
	}
	_, body = s.get(t, next, s.memberA, http.StatusOK)
	d = doc(t, body)
	if rows := texts(d.Find(".contacts-table tbody th")); len(rows) != 10 || !strings.HasPrefix(rows[0], "Person 50") {
		t.Errorf("second page: %q", rows)
	}
	// Past the end: the last page.
	_, body = s.get(t, "/intern/kontakte?q=seitentest&seite=99", s.memberA, http.StatusOK)
	if got := doc(t, body).Find(".pager [aria-current=page]").Text(); got != "Seite 2 von 2" {
		t.Errorf("page 99 shows %q, want the last", got)
	}
	_, all := s.get(t, "/intern/kontakte.vcf?q=seitentest", s.memberA, http.StatusOK)
	if got := strings.Count(all, "BEGIN:VCARD"); got != 60 {
		t.Errorf("address book of the selection: %d cards, want 60", got)
	}
}

func TestInternContactsAsVCard(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	c := s.addContact(t, s.essen.ID, defus.Contact{Name: "Jörg Müller", Function: "Leitung; Ordnungsamt", Email: "j.mueller@essen.example", Phone: "+49 201 88-1234"})

	resp, body := s.get(t, "/intern/kontakte/"+itoa(c.ID)+".vcf", s.memberB, http.StatusOK)
	if got := resp.Header.Get("Content-Type"); got != "text/vcard; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	for _, want := range []string{"BEGIN:VCARD\r\nVERSION:4.0\r\n", "FN:Jörg Müller\r\n", "ORG:Essen\r\n", `TITLE:Leitung\; Ordnungsamt`,
		"EMAIL;TYPE=work:j.mueller@essen.example\r\n", "TEL;TYPE=work,voice;VALUE=uri:tel:+49201881234\r\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("card lacks %q:\n%s", want, body)
		}
	}
	s.get(t, "/intern/kontakte/999999.vcf", s.memberB, http.StatusNotFound)
	s.get(t, "/intern/kontakte/abc.vcf", s.memberB, http.StatusNotFound)

	_, all := s.get(t, "/intern/kontakte.vcf", s.memberA, http.StatusOK)
	_, page := s.get(t, "/intern/kontakte", s.memberA, http.StatusOK)
	if got, want := strings.Count(all, "BEGIN:VCARD"), doc(t, page).Find(".contacts-table tbody tr").Length(); got != want || got < 2 {
		t.Errorf("whole list has %d cards, the page %d rows", got, want)
	}
	_, one := s.get(t, "/intern/kontakte.vcf?mitglied=essen&q=joerg", s.memberA, http.StatusOK)
	if got := strings.Count(one, "BEGIN:VCARD"); got != 1 {
		t.Errorf("filtered list has %d cards, want 1", got)
	}
}

func TestDocumentFilesOnlyToWhomTheirVisibilityAllows(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	public := s.addDocument(t, "Jahresbericht", defus.VisibilityPublic)
	members := s.addDocument(t, "Leitfaden Präventionsräte", defus.VisibilityMembers)
	office := s.addDocument(t, "Haushaltsplan", defus.VisibilityOffice)
	_, notFound := s.get(t, "/dokumente/AAAAAAAAAAAAAAAAAAAAAA/x.pdf", nil, http.StatusNotFound)

	cases := []struct {
		name   string
		cookie *http.Cookie
		doc    *defus.Document
		want   int
		cache  string
	}{
		{"anonymous, public", nil, public, http.StatusOK, "public, no-cache"},
		{"anonymous, members", nil, members, http.StatusNotFound, ""},
		{"anonymous, office", nil, office, http.StatusNotFound, ""},
		{"member, members", s.memberA, members, http.StatusOK, "private, no-cache"},
		{"member, office", s.memberB, office, http.StatusNotFound, ""},
		{"editor, office", s.editor, office, http.StatusOK, "private, no-cache"},
		{"admin, members", s.admin, members, http.StatusOK, "private, no-cache"},
	}
	for _, c := range cases {
		resp, body := s.get(t, c.doc.URL(), c.cookie, c.want)
		if c.want == http.StatusNotFound {
			if body != notFound {
				t.Errorf("%s: the 404 differs from an unknown address's", c.name)
			}
			continue
		}
		if got := resp.Header.Get("Cache-Control"); got != c.cache {
			t.Errorf("%s: Cache-Control %q, want %q", c.name, got, c.cache)
		}
		if !strings.HasPrefix(body, "%PDF-") || resp.Header.Get("Content-Type") != defus.TypePDF {
			t.Errorf("%s: not the PDF", c.name)
		}
	}
	if len(members.Token) < 22 || strings.Contains(members.URL(), itoa(members.ID)+"/") {
		t.Errorf("address %s is guessable", members.URL())
	}
}

func TestInternDocumentsByTopicAndYear(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	topic, err := s.st.FindTopic(context.Background(), "sicherheit-im-oeffentlichen-raum")
	if err != nil {
		t.Fatal(err)
	}
	s.addDocument(t, "Leitfaden öffentlicher Raum", defus.VisibilityMembers, topic.ID)
	s.addDocument(t, "Protokoll Mitgliederversammlung", defus.VisibilityMembers)
	s.addDocument(t, "Haushaltsplan", defus.VisibilityOffice, topic.ID)
	titles := func(query string) []string {
		t.Helper()
		_, body := s.get(t, "/intern/dokumente"+query, s.memberA, http.StatusOK)
		return texts(doc(t, body).Find(".document-title"))
	}

	if got := titles("?thema=" + topic.Slug); !slices.Contains(got, "Leitfaden öffentlicher Raum") ||
		slices.Contains(got, "Protokoll Mitgliederversammlung") || slices.Contains(got, "Haushaltsplan") {
		t.Errorf("by topic: %q", got)
	}
	if got := titles("?q=Leitfaden+oeffentlicher"); len(got) != 1 || got[0] != "Leitfaden öffentlicher Raum" {
		t.Errorf("search with oe: %q", got)
	}
	all := titles("")
	if got := titles("?jahr=2026"); !slices.Contains(got, "Protokoll Mitgliederversammlung") || len(got) >= len(all) {
		t.Errorf("2026: %q of %q", got, all)
	}
	if got := titles("?jahr=2019"); len(got) != len(all) {
		t.Errorf("an unknown year is ignored: %q, want %q", got, all)
	}
}

func TestPublicDocumentsAppearOnTheirTopicPage(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	topic, err := s.st.FindTopic(context.Background(), "urbane-resilienz")
	if err != nil {
		t.Fatal(err)
	}
	public := s.addDocument(t, "Resilienz-Check für Kommunen", defus.VisibilityPublic, topic.ID)
	s.addDocument(t, "Interne Auswertung Resilienz", defus.VisibilityMembers, topic.ID)

	_, body := s.get(t, "/themen/urbane-resilienz", nil, http.StatusOK)
	links := doc(t, body).Find("#topic-documents-title").Parent().Find(".document-title a")
	if got := texts(links); len(got) != 1 || got[0] != "Resilienz-Check für Kommunen" {
		t.Errorf("topic page lists %q, want the public document only", got)
	}
	if href, _ := links.Attr("href"); href != public.URL() {
		t.Errorf("link %q, want %q", href, public.URL())
	}
}

// TestEveryInternRouteKeepsMembersApart walks every route of /intern in the
// route table and asks each as anonymous, as the representative of Essen
// (A, whose proposal the ids name), of Bochum (B), as editor and as admin.
// A representative reaches only their own member's data: B gets 403 on
// A's proposal. A new /intern route fails here until it is in the table.
func TestEveryInternRouteKeepsMembersApart(t *testing.T) {
	t.Parallel()
	var routes chi.Routes
	pool := seededPool(t)
	ts := startServer(t, pool, nil, func(srv *server.Server) { routes = srv.Handler().(chi.Routes) })
	s := newInternSiteOn(t, ts, pool)
	c := s.addContact(t, s.essen.ID, defus.Contact{Name: "Jörg Müller", Phone: "0201 1"})
	proposal := &defus.ProfileProposal{MemberID: s.essen.ID, Description: "Vorschlag von Essen",
		NewLogo: &defus.Media{Name: "logo.png", ContentType: "image/png", Data: pngFile(t, 40, 30)}}
	if _, err := s.st.SaveProposal(context.Background(), s.userA.Actor(""), proposal); err != nil {
		t.Fatal(err)
	}
	pid := itoa(proposal.ID)

	const (
		all     = iota // every account with access: 200 (GET) or 303 (POST)
		ownOnly        // representatives: their own; B gets 403 on A's; staff 403
		repOnly        // representatives, each for their own member; staff 403
	)
	type check struct {
		path string
		kind int
		form url.Values
	}
	table := map[string]check{
		"GET /intern/":                                {"/intern", all, nil},
		"GET /intern/kontakte":                        {"/intern/kontakte", all, nil},
		"GET /intern/kontakte.vcf":                    {"/intern/kontakte.vcf", all, nil},
		"GET /intern/kontakte/{file}":                 {"/intern/kontakte/" + itoa(c.ID) + ".vcf", all, nil},
		"GET /intern/dokumente":                       {"/intern/dokumente", all, nil},
		"GET /intern/profil":                          {"/intern/profil", repOnly, nil},
		"POST /intern/profil":                         {"/intern/profil", repOnly, url.Values{"description": {"x"}, "version": {"0"}}},
		"POST /intern/profil/bestaetigen":             {"/intern/profil/bestaetigen", repOnly, url.Values{}},
		"GET /intern/vorschlaege/{id}":                {"/intern/vorschlaege/" + pid, ownOnly, nil},
		"GET /intern/vorschlaege/{id}/logo":           {"/intern/vorschlaege/" + pid + "/logo", ownOnly, nil},
		"POST /intern/vorschlaege/{id}/zurueckziehen": {"/intern/vorschlaege/" + pid + "/zurueckziehen", ownOnly, url.Values{"version": {"0"}}},
	}
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.HasPrefix(route, "/intern") {
			return nil
		}
		key := method + " " + route
		ch, ok := table[key]
		if !ok {
			t.Errorf("%s is not in this test's table", key)
			return nil
		}
		t.Run(key, func(t *testing.T) {
			method, okStatus := http.MethodGet, http.StatusOK
			if ch.form != nil {
				method = http.MethodPost
			}
			answer := func(who string, c *http.Cookie, want int) {
				t.Helper()
				resp, body := send(t, s.ts, method, ch.path, c, ch.form, want)
				if want == http.StatusForbidden && strings.Contains(body, "Vorschlag von Essen") {
					t.Errorf("%s: the 403 page shows the other member's data", who)
				}
				if c == nil && !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
					t.Errorf("anonymous: sent to %q, want the login", resp.Header.Get("Location"))
				}
			}
			// A form that goes through answers 303, one refused by its
			// checks 422: both mean the guard let the account in.
			passed := okStatus
			if ch.form != nil {
				passed = http.StatusSeeOther
				if key == "POST /intern/profil" {
					passed = http.StatusConflict // an open proposal exists; version 0 is stale
				}
			}
			answer("anonymous", nil, http.StatusSeeOther)
			switch ch.kind {
			case all:
				answer("member A", s.memberA, passed)
				answer("member B", s.memberB, passed)
				answer("editor", s.editor, passed)
				answer("admin", s.admin, passed)
			case repOnly:
				passedB := passed
				if key == "POST /intern/profil" {
					passedB = http.StatusSeeOther // Bochum has no open proposal: a new one
				}
				answer("member B", s.memberB, passedB)
				answer("member A", s.memberA, passed)
				answer("editor", s.editor, http.StatusForbidden)
				answer("admin", s.admin, http.StatusForbidden)
			case ownOnly:
				answer("member B", s.memberB, http.StatusForbidden)
				answer("editor", s.editor, http.StatusForbidden)
				answer("admin", s.admin, http.StatusForbidden)
				answer("member A", s.memberA, passed)
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
