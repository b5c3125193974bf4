package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"defus.de/portal/internal/defus"
)

// longBody is a page of n paragraphs that differ only in their number.
func longBody(n int) string {
	var paras []string
	for i := 1; i <= n; i++ {
		paras = append(paras, fmt.Sprintf("Absatz %d: Das Netzwerk trifft sich in Köln zum Austausch über Prävention und Sicherheit.", i))
	}
	return strings.Join(paras, "\n\n")
}

// seen is the text a sighted reader sees in sel: without the visually
// hidden words for screen readers, whitespace collapsed.
func seen(sel *goquery.Selection) string {
	c := sel.Clone()
	c.Find(".visually-hidden").Remove()
	return strings.Join(strings.Fields(c.Text()), " ")
}

// editLongPage creates a page at slug with a long body as Rita and changes one
// word in paragraph 20, inserts one in paragraph 35 and renames the page.
// get fetches a page as Rita.
func editLongPage(t *testing.T, slug string) (get func(path string, want int) string, oldBody, newBody string) {
	t.Helper()
	ts, st := adminSite(t)
	addAccount(t, st, "redaktion@defus.example", "Rita Redaktion", defus.RoleEditor)
	c := login(t, ts, "redaktion@defus.example")
	get = func(path string, want int) string {
		t.Helper()
		_, body := send(t, ts, http.MethodGet, path, c, nil, want)
		return body
	}
	oldBody = longBody(60)
	resp, _ := send(t, ts, http.MethodPost, "/admin/seiten", c, pageForm("Hausordnung", slug, oldBody, false, 0), http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	newBody = strings.Replace(oldBody, "Absatz 20: Das Netzwerk trifft sich in Köln", "Absatz 20: Das Netzwerk trifft sich in Düsseldorf", 1)
	newBody = strings.Replace(newBody, "Absatz 35: Das Netzwerk trifft sich", "Absatz 35: Das Netzwerk trifft sich ausdrücklich", 1)
	version := doc(t, get(edit, http.StatusOK)).Find(`input[name=version]`).AttrOr("value", "")
	send(t, ts, http.MethodPost, edit, c, pageForm("Hausordnung des Vereins", slug, newBody, false, atoi(t, version)), http.StatusSeeOther)
	return get, oldBody, newBody
}

func TestAuditShowsOnlyTheChangedWordsOfALongText(t *testing.T) {
	get, oldBody, newBody := editLongPage(t, "hausordnung-protokoll")

	// The log: the page's edit shows the changed passages, not the page.
	d := doc(t, get("/admin/protokoll", http.StatusOK))
	row := d.Find("table.audit tbody tr").First() // newest first
	if got := row.Find("td").Eq(2).Text(); got != "Geändert" {
		t.Fatalf("newest entry is %q, want the page's edit", got)
	}
	cell := row.Find("td").Last()
	// Eight words either side; "KölnDüsseldorf" is the struck-through old
	// word right before the underlined new one.
	wantPassages := "…Sicherheit. Absatz 20: Das Netzwerk trifft sich in KölnDüsseldorf zum Austausch über Prävention und Sicherheit. Absatz 21:…" +
		"und Sicherheit. Absatz 35: Das Netzwerk trifft sich ausdrücklich in Köln zum Austausch über Prävention und Sicherheit.…"
	if got := seen(cell.Find(".diff")); got != wantPassages {
		t.Errorf("passages in the log\n got %q\nwant %q", got, wantPassages)
	}
	if got := len(cell.Text()); got > 700 {
		t.Errorf("the change of a %d-character text takes %d characters in the log", len(oldBody), got)
	}
	if strings.Contains(cell.Text(), "Absatz 5:") {
		t.Error("the log shows unchanged paragraphs far from the changes")
	}
	for _, want := range []string{"Text:", "Titel: Hausordnung → Hausordnung des Vereins"} {
		if !strings.Contains(cell.Text(), want) {
			t.Errorf("log lacks %q:\n%s", want, cell.Text())
		}
	}

	// Deletions and insertions are marked for screen readers, in words.
	if got := cell.Find("del").First().Text(); got != "gelöscht: Köln (Ende gelöscht)" {
		t.Errorf("del reads %q", got)
	}
	ins := cell.Find("ins")
	if got := ins.First().Text(); got != "eingefügt: Düsseldorf (Ende eingefügt)" {
		t.Errorf("first ins reads %q", got)
	}
	if got := ins.Last().Text(); got != "eingefügt: ausdrücklich  (Ende eingefügt)" {
		t.Errorf("second ins reads %q", got)
	}

	// The entry's own page: the same passages, the whole texts on request,
	// exactly as stored.
	href, ok := row.Find(`a[href^="/admin/protokoll/"]`).Attr("href")
	if !ok {
		t.Fatal("log row has no link to its entry")
	}
	d = doc(t, get(href, http.StatusOK))
	if got := strings.Join(strings.Fields(d.Find("h1").Text()), " "); got != "Geändert: Seite „Hausordnung des Vereins“" {
		t.Errorf("entry page h1 %q", got)
	}
	var fields []string
	d.Find("dl.changes-full > dt").Each(func(_ int, s *goquery.Selection) { fields = append(fields, s.Text()) })
	if got := strings.Join(fields, ", "); got != "Text, Titel" {
		t.Errorf("changed fields %q, want Text, Titel", got)
	}
	text := d.Find("dl.changes-full > dd").First()
	if got := seen(text.Find(".diff")); got != wantPassages {
		t.Errorf("passages on the entry page\n got %q\nwant %q", got, wantPassages)
	}
	full := text.Find("details .diff-full")
	if full.Length() != 2 || full.Eq(0).Text() != oldBody || full.Eq(1).Text() != newBody {
		t.Error("entry page does not hold both whole texts")
	}
	if got := strings.TrimSpace(d.Find("dl.changes-full > dd").Eq(1).Text()); got != "Hausordnung → Hausordnung des Vereins" {
		t.Errorf("short change shown as %q", got)
	}
	if !strings.Contains(d.Find("dl.audit-entry").Text(), "Rita Redaktion (redaktion@defus.example)") {
		t.Errorf("entry page lacks who: %s", d.Find("dl.audit-entry").Text())
	}
}

func TestDashboardShowsOneLinePerChange(t *testing.T) {
	get, _, _ := editLongPage(t, "hausordnung-uebersicht")
	d := doc(t, get("/admin", http.StatusOK))
	items := d.Find("ul.recent-changes > li")
	if items.Length() != 3 {
		t.Fatalf("%d recent changes, want Rita's account, the page's creation and its edit", items.Length())
	}
	first := items.First()
	got := strings.Join(strings.Fields(first.Text()), " ")
	if want := "Geändert: Seite „Hausordnung des Vereins“ (Text und Titel) – Rita Redaktion, 24.11.2026, 11:00 Uhr"; got != want {
		t.Errorf("dashboard line\n got %q\nwant %q", got, want)
	}
	if strings.Contains(first.Text(), "\n") || strings.Contains(first.Text(), "Netzwerk") {
		t.Error("dashboard line holds the changed text")
	}
	links := first.Find("a")
	href := links.AttrOr("href", "")
	if links.Length() != 1 || !regexp.MustCompile(`^/admin/protokoll/\d+$`).MatchString(href) {
		t.Fatalf("dashboard line links to %q (%d links), want its entry", href, links.Length())
	}
	if first.Find("time").AttrOr("datetime", "") == "" {
		t.Error("dashboard line has no machine-readable time")
	}
	if h1 := doc(t, get(href, http.StatusOK)).Find("h1").Text(); !strings.Contains(h1, "Hausordnung des Vereins") {
		t.Errorf("dashboard link leads to %q", h1)
	}
	if strings.Contains(d.Find("main").Text(), "Absatz 20") {
		t.Error("dashboard shows the page's text")
	}
}

// TestAuditLabelsAndNamesAreGerman records changes whose fields are ids or
// internal names and checks that the log shows German labels and the names
// of the records, also after a record is gone.
func TestAuditLabelsAndNamesAreGerman(t *testing.T) {
	s := newInboxSite(t)
	st := s.st
	ctx := context.Background()

	// A member with a logo, through the form.
	logo := &defus.Media{Name: "wappen-logostadt.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\nfake"), AltText: "Wappen"}
	if err := st.CreateMedia(ctx, defus.Actor{}, logo); err != nil {
		t.Fatal(err)
	}
	form := memberFormValues("Logostadt")
	form.Set("logo", fmt.Sprint(logo.ID))
	s.send(t, http.MethodPost, "/admin/mitglieder", s.editor, form, http.StatusSeeOther)
	// An account that speaks for a member.
	koeln, err := st.FindMember(ctx, "koeln")
	if err != nil {
		t.Fatal(err)
	}
	rep := &defus.User{Email: "vertretung@koeln.example", Name: "Vera Vertretung", Role: defus.RoleMember, MemberID: &koeln.ID, PasswordHash: testHash()}
	if err := st.CreateUser(ctx, s.adminUser.Actor(""), rep); err != nil {
		t.Fatal(err)
	}
	// A note on an enquiry and an export with a search.
	e := addEnquiry(t, st, time.Hour, defus.Enquiry{Organisation: "Stadt Notizheim", Email: "n@notizheim.example"})
	s.send(t, http.MethodPost, fmt.Sprintf("/admin/anfragen/%d/notizen", e.ID), s.editor, url.Values{"body": {"Rückruf vereinbart"}}, http.StatusSeeOther)
	s.send(t, http.MethodGet, "/admin/anfragen/export.csv?q=notizheim", s.editor, nil, http.StatusOK)

	changes := func() string {
		t.Helper()
		_, body := s.send(t, http.MethodGet, "/admin/protokoll", s.admin, nil, http.StatusOK)
		return strings.Join(strings.Fields(doc(t, body).Find("table.audit").Text()), " ")
	}
	log := changes()
	for _, want := range []string{
		"Logo: – → wappen-logostadt.png",
		"Art: – → " + defus.KindCity.Label(),
		"Einwohnerzahl: – → 123.456",
		"Mitglied: – → " + koeln.Name,
		"Rolle: – → " + defus.RoleMember.Label(),
		"Notiz: – → Notiz vom 24. November 2026, 11:00 Uhr",
		"Mit Suchbegriff: – → ja",
		"Statusfilter: – → alle",
		"Zeilen: – → 1",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if strings.Contains(log, "Rückruf vereinbart") {
		t.Error("log shows the note's text")
	}
	for _, key := range regexp.MustCompile(`\b[a-z]+_[a-z_]+\b`).FindAllString(log, -1) {
		t.Errorf("log shows the internal name %q", key)
	}
	if strings.Contains(log, "Bild-Nr") {
		t.Error("log shows an image number")
	}

	// Gone records are named by number.
	if err := st.DeleteMedia(ctx, defus.Actor{}, logo.ID, logo.Version); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Logo: – → Nr. %d (gelöscht)", logo.ID); !strings.Contains(changes(), want) {
		t.Errorf("log lacks %q", want)
	}
}

func TestAuditEntryPageAccessAndUnknownIDs(t *testing.T) {
	s := newInboxSite(t)
	_, body := s.send(t, http.MethodGet, "/admin/protokoll", s.admin, nil, http.StatusOK)
	href, ok := doc(t, body).Find(`table.audit a[href^="/admin/protokoll/"]`).Attr("href")
	if !ok {
		t.Fatal("no entry in the log")
	}
	s.send(t, http.MethodGet, href, s.editor, nil, http.StatusOK)
	s.send(t, http.MethodGet, href, s.member, nil, http.StatusForbidden)
	for _, p := range []string{"/admin/protokoll/999999", "/admin/protokoll/abc", "/admin/protokoll/0", "/admin/protokoll/-1"} {
		s.send(t, http.MethodGet, p, s.admin, nil, http.StatusNotFound)
	}
}

// BenchmarkAuditLogPage renders a full page of the log whose 50 entries
// are edits of a 18 KB page: 45 that change one word and 5 that change a
// word in each of its 200 paragraphs.
func BenchmarkAuditLogPage(b *testing.B) {
	ts, st := adminSite(b)
	addAccount(b, st, "redaktion@defus.example", "Rita Redaktion", defus.RoleEditor)
	c := login(b, ts, "redaktion@defus.example")
	ctx := context.Background()
	removePages := func() {
		if _, err := seededPool(b).Exec(ctx, `DELETE FROM pages WHERE slug = 'protokoll-last'`); err != nil {
			b.Fatal(err)
		}
	}
	removePages()
	b.Cleanup(removePages)
	p := &defus.Page{Title: "Last", Slug: "protokoll-last", Body: longBody(200)}
	if err := st.CreatePage(ctx, defus.Actor{Name: "Rita"}, p); err != nil {
		b.Fatal(err)
	}
	for i := range 50 {
		if i%10 == 9 {
			p.Body = strings.ReplaceAll(longBody(200), "Netzwerk", fmt.Sprintf("Forum %d", i)) // every paragraph changes
		} else {
			p.Body = strings.Replace(p.Body, fmt.Sprintf("Absatz %d:", 3*i+1), fmt.Sprintf("Abschnitt %d:", 3*i+1), 1)
		}
		if _, err := st.UpdatePage(ctx, defus.Actor{Name: "Rita"}, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		send(b, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	}
}
