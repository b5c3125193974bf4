package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// enquirySeq numbers the enquiries of all tests, which run in parallel.
var enquirySeq atomic.Int64

// addEnquiry stores an enquiry sent age before the test clock, with two
// mails and the first topic. Fields not given get harmless defaults.
func addEnquiry(tb testing.TB, st *store.Store, age time.Duration, e defus.Enquiry) *defus.Enquiry {
	tb.Helper()
	seq := enquirySeq.Add(1)
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&e.Organisation, "Stadt Musterhausen")
	def(&e.ContactName, "Jürgen Weiß")
	def(&e.Email, "j.weiss@musterhausen.de")
	def(&e.Message, "Wir möchten Mitglied werden.")
	if e.Status == "" {
		e.Status = defus.StatusNew
	}
	e.CreatedAt = testNow.Add(-age)
	e.ConsentAt = e.CreatedAt
	e.IdempotencyKey = fmt.Sprintf("inbox-test-%d-%d", time.Now().UnixNano(), seq)
	ctx := context.Background()
	topics, err := st.FindTopics(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if len(topics) > 0 && e.TopicIDs == nil {
		e.TopicIDs = []int64{topics[0].ID}
	}
	mails := []defus.Mail{
		{From: "office@defus.de", To: "office@defus.de", ReplyTo: e.Email, Subject: "Neue Anfrage: " + e.Organisation, Body: e.Message},
		{From: "office@defus.de", To: e.Email, Subject: "Ihre Anfrage", Body: "Sie schrieben: " + e.Message},
	}
	if _, err := st.CreateEnquiry(ctx, &e, mails); err != nil {
		tb.Fatal(err)
	}
	got, err := st.FindEnquiry(ctx, e.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return got
}

func TestInboxAccessPerRole(t *testing.T) {
	t.Parallel()
	s := newInboxSite(t)
	e := addEnquiry(t, s.st, time.Hour, defus.Enquiry{})
	id := fmt.Sprint(e.ID)
	paths := []string{"/admin/anfragen", "/admin/anfragen/" + id, "/admin/anfragen/export.csv",
		"/admin/anfragen/" + id + "/loeschen", "/admin/anfragen/auskunft", fmt.Sprintf("/admin/anfragen/datenschutz/%d", e.PrivacyNoticeID)}
	for _, p := range paths {
		t.Run("anonymous "+p, func(t *testing.T) {
			resp, _ := s.send(t, "GET", p, nil, nil, http.StatusSeeOther)
			if got, want := resp.Header.Get("Location"), "/admin/login?next="+url.QueryEscape(p); got != want {
				t.Errorf("Location %q, want %q", got, want)
			}
		})
		t.Run("member "+p, func(t *testing.T) {
			_, body := s.send(t, "GET", p, s.member, nil, http.StatusForbidden)
			if !strings.Contains(body, "Kein Zugriff") {
				t.Error("403 page not in German")
			}
		})
		t.Run("editor "+p, func(t *testing.T) { s.send(t, "GET", p, s.editor, nil, http.StatusOK) })
		t.Run("admin "+p, func(t *testing.T) { s.send(t, "GET", p, s.admin, nil, http.StatusOK) })
	}
	for _, p := range []string{"/status", "/spam", "/kein-spam", "/zuweisung", "/notizen", "/loeschen"} {
		t.Run("member POST "+p, func(t *testing.T) {
			s.send(t, "POST", "/admin/anfragen/"+id+p, s.member, url.Values{"version": {"1"}}, http.StatusForbidden)
		})
		t.Run("anonymous POST "+p, func(t *testing.T) {
			s.send(t, "POST", "/admin/anfragen/"+id+p, nil, url.Values{"version": {"1"}}, http.StatusSeeOther)
		})
	}
	s.send(t, "POST", "/admin/anfragen/auskunft", s.member, url.Values{"email": {e.Email}}, http.StatusForbidden)
	s.send(t, "POST", "/admin/anfragen/auskunft/download", s.member, url.Values{"email": {e.Email}}, http.StatusForbidden)

	// The editor works on it.
	s.send(t, "POST", "/admin/anfragen/"+id+"/status", s.editor, url.Values{"version": {"1"}, "status": {"in_progress"}}, http.StatusSeeOther)
	_, body := s.send(t, "GET", "/admin", s.editor, nil, http.StatusOK)
	if doc(t, body).Find(`nav a[href="/admin/anfragen"]`).Length() != 1 {
		t.Error("no Anfragen link in the admin navigation")
	}
	if got, _ := s.st.FindEnquiry(context.Background(), e.ID); got.Status != defus.StatusInProgress {
		t.Errorf("status = %q after the editor's change", got.Status)
	}
}

func TestInboxCrossSiteAndUnknownIDs(t *testing.T) {
	t.Parallel()
	s := newInboxSite(t)
	e := addEnquiry(t, s.st, time.Hour, defus.Enquiry{})
	id := fmt.Sprint(e.ID)
	for _, p := range []string{"/status", "/spam", "/zuweisung", "/notizen", "/loeschen"} {
		req, err := http.NewRequest(http.MethodPost, s.url+"/admin/anfragen/"+id+p, strings.NewReader("version=1&status=spam&body=x"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		req.AddCookie(s.editor)
		request(t, req, http.StatusForbidden)
	}
	got, err := s.st.FindEnquiry(context.Background(), e.ID)
	if err != nil || got.Status != defus.StatusNew || got.Version != 1 {
		t.Fatalf("cross-site POSTs changed the enquiry: %+v %v", got, err)
	}
	notes, _ := s.st.FindEnquiryNotes(context.Background(), e.ID)
	if len(notes) != 0 {
		t.Error("cross-site POST added a note")
	}

	for _, p := range []string{"/admin/anfragen/999999", "/admin/anfragen/abc", "/admin/anfragen/-1", "/admin/anfragen/1.5",
		"/admin/anfragen/999999/loeschen", "/admin/anfragen/datenschutz/999999", "/admin/anfragen/datenschutz/x"} {
		_, body := s.send(t, "GET", p, s.editor, nil, http.StatusNotFound)
		if !strings.Contains(body, "nicht gefunden") {
			t.Errorf("%s: 404 page not in German", p)
		}
	}
	for _, p := range []string{"/status", "/spam", "/kein-spam", "/zuweisung", "/notizen", "/loeschen"} {
		s.send(t, "POST", "/admin/anfragen/999999"+p, s.editor, url.Values{"version": {"1"}, "status": {"spam"}, "body": {"x"}}, http.StatusNotFound)
		s.send(t, "POST", "/admin/anfragen/abc"+p, s.editor, url.Values{"version": {"1"}}, http.StatusNotFound)
	}
}

func TestInboxShowsScriptAsText(t *testing.T) {
	t.Parallel()
	s := newInboxSite(t)
	const x = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	e := addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Org " + x, ContactName: "Person " + x, Function: "Funktion " + x,
		Email: "x@example.org", Phone: "Telefon " + x, State: "Land " + x, Message: "Nachricht " + x, HeardFrom: "Gehört " + x,
		SpamReason: "Grund " + x})
	s.send(t, "POST", fmt.Sprintf("/admin/anfragen/%d/notizen", e.ID), s.editor, url.Values{"body": {"Notiz " + x}}, http.StatusSeeOther)
	s.send(t, "POST", fmt.Sprintf("/admin/anfragen/%d/spam", e.ID), s.editor, url.Values{"version": {"1"}}, http.StatusSeeOther)

	for _, p := range []string{"/admin", "/admin/anfragen", "/admin/anfragen?status=spam", fmt.Sprintf("/admin/anfragen/%d", e.ID),
		fmt.Sprintf("/admin/anfragen/%d/loeschen", e.ID), "/admin/protokoll"} {
		_, body := s.send(t, "GET", p, s.editor, nil, http.StatusOK)
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s: script or markup from an enquiry is not escaped", p)
		}
		d := doc(t, body)
		if d.Find("img[onerror]").Length() > 0 {
			t.Errorf("%s: injected element", p)
		}
		if p != "/admin" && !strings.Contains(d.Find("main").Text(), "Org "+x) {
			t.Errorf("%s: the organisation is not shown as text", p)
		}
	}
	_, body := s.send(t, "GET", fmt.Sprintf("/admin/anfragen/%d", e.ID), s.editor, nil, http.StatusOK)
	main := doc(t, body).Find("main").Text()
	for _, want := range []string{"Person ", "Funktion ", "Telefon ", "Land ", "Nachricht ", "Gehört ", "Notiz "} {
		if !strings.Contains(main, want+x) {
			t.Errorf("detail page does not show %q as text", want+x)
		}
	}
	// The dashboard lists it while it is new (before the spam mark it was);
	// check a new one there.
	addEnquiry(t, s.st, time.Minute, defus.Enquiry{Organisation: "Neu " + x, ContactName: "P " + x})
	_, body = s.send(t, "GET", "/admin", s.editor, nil, http.StatusOK)
	if strings.Contains(body, "<script>alert") || !strings.Contains(doc(t, body).Find("main").Text(), "Neu "+x) {
		t.Error("dashboard does not show the enquiry escaped")
	}
}

func TestInboxListFilterSearchAndAge(t *testing.T) {
	t.Parallel()
	s := newInboxSite(t)
	old := addEnquiry(t, s.st, 3*24*time.Hour+time.Hour, defus.Enquiry{Organisation: "Landkreis Görlitz", ContactName: "Erika Müller"})
	mid := addEnquiry(t, s.st, 5*time.Hour, defus.Enquiry{Organisation: "Stadt Essen", ContactName: "Ali Kaya"})
	addEnquiry(t, s.st, 2*time.Hour, defus.Enquiry{Organisation: "100% Sicher_heit e. V.", ContactName: "Bea Blau"})
	spam := addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Cheap Pills", Status: defus.StatusSpam, SpamReason: "honeypot"})
	ctx := context.Background()
	if err := s.st.UpdateEnquiryStatus(ctx, defus.Actor{}, mid.ID, mid.Version, defus.StatusInProgress); err != nil {
		t.Fatal(err)
	}

	rows := func(path string) []string {
		t.Helper()
		_, body := s.send(t, "GET", path, s.editor, nil, http.StatusOK)
		return texts(doc(t, body).Find("table.enquiries tbody th"))
	}
	eq := func(path string, want ...string) {
		t.Helper()
		if got := rows(path); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: rows %q, want %q", path, got, want)
		}
	}
	eq("/admin/anfragen", "Cheap Pills", "100% Sicher_heit e. V.", "Stadt Essen", "Landkreis Görlitz")
	eq("/admin/anfragen?status=new", "100% Sicher_heit e. V.", "Landkreis Görlitz")
	eq("/admin/anfragen?status=open", "100% Sicher_heit e. V.", "Stadt Essen", "Landkreis Görlitz")
	eq("/admin/anfragen?status=spam", "Cheap Pills")
	eq("/admin/anfragen?status=quatsch", "Cheap Pills", "100% Sicher_heit e. V.", "Stadt Essen", "Landkreis Görlitz")
	eq("/admin/anfragen?q=g%C3%B6rl", "Landkreis Görlitz")
	eq("/admin/anfragen?q=M%C3%9CLLER", "Landkreis Görlitz")
	eq("/admin/anfragen?q=%25", "100% Sicher_heit e. V.")
	eq("/admin/anfragen?q=_", "100% Sicher_heit e. V.")
	eq("/admin/anfragen?q=%27%3B+DROP+TABLE+enquiries%3B--")
	eq("/admin/anfragen?status=open&q=essen", "Stadt Essen")

	_, body := s.send(t, "GET", "/admin/anfragen", s.editor, nil, http.StatusOK)
	d := doc(t, body)
	row := d.Find(fmt.Sprintf(`table.enquiries tr:has(a[href="/admin/anfragen/%d"])`, old.ID))
	if got := row.Find("time").Text(); got != "vor 3 Tagen" {
		t.Errorf("age = %q, want vor 3 Tagen", got)
	}
	if got := row.Find(".status").Text(); got != "Neu" {
		t.Errorf("status = %q, want Neu", got)
	}
	if got := d.Find(fmt.Sprintf(`tr:has(a[href="/admin/anfragen/%d"]) .status`, spam.ID)).Text(); got != "Spam" {
		t.Errorf("spam status = %q", got)
	}
	if href, _ := d.Find(`a[href^="/admin/anfragen/export.csv"]`).Attr("href"); href != "/admin/anfragen/export.csv" {
		t.Errorf("export link = %q", href)
	}
	_, body = s.send(t, "GET", "/admin/anfragen?status=open&q=essen", s.editor, nil, http.StatusOK)
	if href, _ := doc(t, body).Find(`a[href^="/admin/anfragen/export.csv"]`).Attr("href"); href != "/admin/anfragen/export.csv?q=essen&status=open" {
		t.Errorf("export link keeps no filter: %q", href)
	}

	// Paging: 25 a page.
	for i := range 26 {
		addEnquiry(t, s.st, time.Duration(10+i)*24*time.Hour, defus.Enquiry{Organisation: fmt.Sprintf("Gemeinde %02d", i)})
	}
	if got := len(rows("/admin/anfragen?q=Gemeinde")); got != 25 {
		t.Errorf("page 1 has %d rows, want 25", got)
	}
	eq("/admin/anfragen?q=Gemeinde&seite=2", "Gemeinde 25")
	if got := len(rows("/admin/anfragen?q=Gemeinde&seite=99")); got != 0 {
		t.Errorf("page 99 has %d rows", got)
	}
}

func TestDashboardSections(t *testing.T) {
	t.Parallel()
	s := newInboxSite(t)
	addEnquiry(t, s.st, 10*24*time.Hour, defus.Enquiry{Organisation: "Älteste offene"})
	addEnquiry(t, s.st, 30*time.Minute, defus.Enquiry{Organisation: "Ganz neu"})
	addEnquiry(t, s.st, 20*24*time.Hour, defus.Enquiry{Organisation: "Alter Spam", Status: defus.StatusSpam})
	_, body := s.send(t, "GET", "/admin", s.editor, nil, http.StatusOK)
	d := doc(t, body)
	section := func(id string) string { return d.Find(`section[aria-labelledby="` + id + `"]`).Text() }
	if got := texts(d.Find(`section[aria-labelledby="new-title"] tbody th`)); strings.Join(got, "|") != "Ganz neu|Älteste offene" {
		t.Errorf("Neue Anfragen = %q", got)
	}
	if !strings.Contains(section("new-title"), "vor 30 Minuten") {
		t.Error("Neue Anfragen shows no age")
	}
	if got := texts(d.Find(`section[aria-labelledby="open-title"] tbody th`)); len(got) == 0 || got[0] != "Älteste offene" {
		t.Errorf("Am längsten offen = %q", got)
	}
	if strings.Contains(body, "Alter Spam") {
		t.Error("spam on the dashboard")
	}
	if d.Find(`#events-title`).Text() != "Nächste Termine" || d.Find(`section[aria-labelledby="events-title"] a[href^="/termine/"]`).Length() == 0 {
		t.Errorf("no next events: %q", section("events-title"))
	}
	if d.Find("#recent-title").Length() != 1 {
		t.Error("recent changes gone")
	}
}

func TestEnquiryStatusAssignmentAndNotes(t *testing.T) {
	t.Parallel()
	s := newInboxSite(t)
	ctx := context.Background()
	e := addEnquiry(t, s.st, time.Hour, defus.Enquiry{})
	base := fmt.Sprintf("/admin/anfragen/%d", e.ID)

	t.Run("status sets and clears the closed time and is audited", func(t *testing.T) {
		s.send(t, "POST", base+"/status", s.editor, url.Values{"version": {"1"}, "status": {"answered"}}, http.StatusSeeOther)
		got, _ := s.st.FindEnquiry(ctx, e.ID)
		if got.Status != defus.StatusAnswered || got.ClosedAt == nil || !got.ClosedAt.Equal(testNow) || got.Version != 2 {
			t.Fatalf("after answered: %s closed %v version %d", got.Status, got.ClosedAt, got.Version)
		}
		s.send(t, "POST", base+"/status", s.editor, url.Values{"version": {"2"}, "status": {"in_progress"}}, http.StatusSeeOther)
		got, _ = s.st.FindEnquiry(ctx, e.ID)
		if got.Status != defus.StatusInProgress || got.ClosedAt != nil {
			t.Fatalf("after in_progress: %s closed %v", got.Status, got.ClosedAt)
		}
		entries, _, _ := s.st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityEnquiry, EntityID: e.ID})
		if len(entries) != 2 || entries[0].Action != defus.ActionStatusChange || entries[0].Actor.Name != "Erik Editor" {
			t.Fatalf("audit = %+v", entries)
		}
		if c := entries[0].Changes["status"]; c[0] != "beantwortet" || c[1] != "in Bearbeitung" {
			t.Errorf("audit status change = %v", c)
		}
		s.send(t, "POST", base+"/status", s.editor, url.Values{"version": {"3"}, "status": {"erfunden"}}, http.StatusBadRequest)
	})

	t.Run("stale version gives a conflict", func(t *testing.T) {
		_, body := s.send(t, "POST", base+"/status", s.editor, url.Values{"version": {"1"}, "status": {"rejected"}}, http.StatusConflict)
		if !strings.Contains(doc(t, body).Find(".error-summary").Text(), "inzwischen geändert") {
			t.Errorf("no German conflict message:\n%s", body)
		}
		s.send(t, "POST", base+"/zuweisung", s.editor, url.Values{"version": {"1"}, "user": {fmt.Sprint(s.editorUser.ID)}}, http.StatusConflict)
		s.send(t, "POST", base+"/spam", s.editor, url.Values{}, http.StatusConflict)
		if got, _ := s.st.FindEnquiry(ctx, e.ID); got.Status != defus.StatusInProgress || got.AssignedTo != nil {
			t.Errorf("stale change saved: %s %v", got.Status, got.AssignedTo)
		}
	})

	t.Run("assign to active staff only", func(t *testing.T) {
		cur, _ := s.st.FindEnquiry(ctx, e.ID)
		v := fmt.Sprint(cur.Version)
		s.send(t, "POST", base+"/zuweisung", s.editor, url.Values{"version": {v}, "user": {fmt.Sprint(s.memberUser.ID)}}, http.StatusBadRequest)
		s.send(t, "POST", base+"/zuweisung", s.editor, url.Values{"version": {v}, "user": {"abc"}}, http.StatusBadRequest)
		s.send(t, "POST", base+"/zuweisung", s.editor, url.Values{"version": {v}, "user": {fmt.Sprint(s.adminUser.ID)}}, http.StatusSeeOther)
		_, body := s.send(t, "GET", base, s.editor, nil, http.StatusOK)
		if v, _ := doc(t, body).Find(`#enquiry-assignee option[selected]`).Attr("value"); v != fmt.Sprint(s.adminUser.ID) {
			t.Errorf("assignee = %q", v)
		}
		_, body = s.send(t, "GET", "/admin/anfragen", s.editor, nil, http.StatusOK)
		if !strings.Contains(doc(t, body).Find("table.enquiries").Text(), "Anna Admin") {
			t.Error("list does not show who is assigned")
		}
		entries, _, _ := s.st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityEnquiry, EntityID: e.ID, Limit: 1})
		if c := entries[0].Changes["assigned_to"]; c[1] != "Anna Admin" {
			t.Errorf("audit assignment = %v", entries[0].Changes)
		}
	})

	t.Run("notes with author and time", func(t *testing.T) {
		resp, _ := s.send(t, "POST", base+"/notizen", s.editor, url.Values{"body": {"  Rückruf am Montag. \r\nZweite Zeile  "}}, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, base) {
			t.Errorf("Location %q", loc)
		}
		_, body := s.send(t, "GET", base, s.admin, nil, http.StatusOK)
		d := doc(t, body)
		note := d.Find("ol.notes li")
		if note.Length() != 1 || !strings.Contains(note.Find(".message").Text(), "Rückruf am Montag.") {
			t.Fatalf("note not shown: %q", note.Text())
		}
		if meta := note.Find(".note-meta").Text(); !strings.Contains(meta, "Erik Editor") || !strings.Contains(meta, "Uhr") {
			t.Errorf("note meta = %q", meta)
		}
	})

	t.Run("bad notes", func(t *testing.T) {
		_, body := s.send(t, "POST", base+"/notizen", s.editor, url.Values{"body": {"   "}}, http.StatusUnprocessableEntity)
		if v, _ := doc(t, body).Find("#note-body").Attr("aria-invalid"); v != "true" {
			t.Error("empty note not marked invalid")
		}
		long := strings.Repeat("ä", defus.MaxNoteLength+1)
		_, body = s.send(t, "POST", base+"/notizen", s.editor, url.Values{"body": {long}}, http.StatusUnprocessableEntity)
		d := doc(t, body)
		if got := d.Find("#note-body-error").Text(); !strings.Contains(got, "höchstens 10.000 Zeichen") {
			t.Errorf("long note message = %q", got)
		}
		if d.Find(`.error-summary a[href="#note-body"]`).Length() != 1 {
			t.Error("error summary does not link to the note")
		}
		if got := d.Find("#note-body").Text(); got != long {
			t.Error("typed note not kept")
		}
		s.send(t, "POST", base+"/notizen", s.editor, url.Values{"body": {strings.Repeat("x", 20_000)}}, http.StatusUnprocessableEntity)
		s.send(t, "POST", base+"/notizen", s.editor, url.Values{"body": {"a\x1bb"}}, http.StatusUnprocessableEntity)
		s.send(t, "POST", base+"/notizen", s.editor, url.Values{"body": {"a\x00b"}}, http.StatusBadRequest)
		// Enormous: refused by the route's body limit before it is read.
		s.send(t, "POST", base+"/notizen", s.editor, url.Values{"body": {strings.Repeat("x", 2<<20)}}, http.StatusRequestEntityTooLarge)
		notes, _ := s.st.FindEnquiryNotes(ctx, e.ID)
		if len(notes) != 1 {
			t.Errorf("%d notes stored, want 1", len(notes))
		}
	})

	t.Run("spam and not spam", func(t *testing.T) {
		cur, _ := s.st.FindEnquiry(ctx, e.ID)
		s.send(t, "POST", base+"/spam", s.editor, url.Values{"version": {fmt.Sprint(cur.Version)}}, http.StatusSeeOther)
		got, _ := s.st.FindEnquiry(ctx, e.ID)
		if got.Status != defus.StatusSpam || got.ClosedAt == nil {
			t.Fatalf("after spam: %s %v", got.Status, got.ClosedAt)
		}
		_, body := s.send(t, "GET", base, s.editor, nil, http.StatusOK)
		if doc(t, body).Find(`form[action$="/kein-spam"] button`).Length() != 1 {
			t.Error("no not-spam button on a spam enquiry")
		}
		s.send(t, "POST", base+"/kein-spam", s.editor, url.Values{"version": {fmt.Sprint(got.Version)}}, http.StatusSeeOther)
		if got, _ = s.st.FindEnquiry(ctx, e.ID); got.Status != defus.StatusNew || got.ClosedAt != nil {
			t.Errorf("after not spam: %s %v", got.Status, got.ClosedAt)
		}
	})

	t.Run("deleting the author's account keeps the note's author", func(t *testing.T) {
		pool := seededPool(t)
		if _, err := pool.Exec(ctx, `DELETE FROM users WHERE id = $1`, s.editorUser.ID); err != nil {
			t.Fatal(err)
		}
		notes, _ := s.st.FindEnquiryNotes(ctx, e.ID)
		if len(notes) != 1 || notes[0].AuthorID != nil || notes[0].AuthorName != "Erik Editor" {
			t.Errorf("note after deleting its author: %+v", notes)
		}
	})
}

func TestEnquiriesCSVExport(t *testing.T) {
	t.Parallel()
	s := newInboxSite(t)
	addEnquiry(t, s.st, 2*time.Hour, defus.Enquiry{Organisation: "=1+1", ContactName: "@SUM(A1:A2)", Function: "-x",
		Phone: "+49 30 123456", Message: "Zeile 1\nZeile 2; mit \"Anführung\"", HeardFrom: "\tTab"})
	addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Stadt Köln", Status: defus.StatusSpam})

	resp, body := s.send(t, "GET", "/admin/anfragen/export.csv?status=new", s.editor, nil, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="anfragen-2026-11-24.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !strings.HasPrefix(body, "\uFEFFNr.;Eingang;Status;Organisation;") {
		t.Fatalf("no BOM or not ; separated: %q", body[:min(len(body), 60)])
	}
	if !strings.HasSuffix(body, "\r\n") || strings.Count(body, "\n") != strings.Count(body, "\r\n") {
		t.Errorf("lines not CRLF: %q", body)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF")))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 2 {
		t.Fatalf("%d records, want header + 1 (the filter)", len(records))
	}
	head, row := records[0], records[1]
	col := func(name string) string {
		for i, h := range head {
			if h == name {
				return row[i]
			}
		}
		t.Fatalf("no column %q", name)
		return ""
	}
	for name, want := range map[string]string{
		"Organisation":           "'=1+1",
		"Ansprechperson":         "'@SUM(A1:A2)",
		"Funktion":               "'-x",
		"Telefon":                "'+49 30 123456",
		"Wie von DEFUS erfahren": "'\tTab",
		"Nachricht":              "Zeile 1\nZeile 2; mit \"Anführung\"",
		"Eingang":                "24.11.2026 09:00",
		"Status":                 "neu",
	} {
		if got := col(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	entries, _, _ := s.st.FindAuditEntries(context.Background(), defus.AuditFilter{Entity: defus.EntityEnquiry, Limit: 1})
	if len(entries) != 1 || entries[0].Action != defus.ActionExport || entries[0].Actor.Name != "Erik Editor" {
		t.Fatalf("export not audited: %+v", entries)
	}
	js, _ := json.Marshal(entries[0])
	if strings.Contains(string(js), "1+1") || strings.Contains(string(js), "SUM") || strings.Contains(string(js), "musterhausen") {
		t.Errorf("audit entry holds personal data: %s", js)
	}
	if c := entries[0].Changes["filter_status"]; c[1] != "new" {
		t.Errorf("audit changes = %v", entries[0].Changes)
	}
}

func TestEnquiryErase(t *testing.T) {
	t.Parallel()
	s := newInboxSite(t)
	ctx := context.Background()
	pool := seededPool(t)
	e := addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Gemeinde Löschbar", Email: "loesch@bar.de"})
	keep := addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Bleibt"})
	base := fmt.Sprintf("/admin/anfragen/%d", e.ID)
	s.send(t, "POST", base+"/notizen", s.editor, url.Values{"body": {"Bitte löschen"}}, http.StatusSeeOther)
	s.send(t, "POST", base+"/status", s.editor, url.Values{"version": {"1"}, "status": {"answered"}}, http.StatusSeeOther)

	_, body := s.send(t, "GET", base+"/loeschen", s.editor, nil, http.StatusOK)
	d := doc(t, body)
	if txt := d.Find("main").Text(); !strings.Contains(txt, "1 interne Notiz") || !strings.Contains(txt, "2 E-Mail") || !strings.Contains(txt, "Gemeinde Löschbar") {
		t.Errorf("confirmation does not say what goes:\n%s", txt)
	}
	if d.Find(`form[method=post][action="`+base+`/loeschen"] button`).Length() != 1 {
		t.Error("no confirmation button")
	}
	// Nothing is gone after the confirmation page.
	if _, err := s.st.FindEnquiry(ctx, e.ID); err != nil {
		t.Fatal(err)
	}

	resp, _ := s.send(t, "POST", base+"/loeschen", s.editor, url.Values{}, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/anfragen" {
		t.Errorf("Location %q", loc)
	}
	var n int
	err := pool.QueryRow(ctx, `
SELECT (SELECT count(*) FROM enquiries WHERE id = $1) + (SELECT count(*) FROM enquiry_notes WHERE enquiry_id = $1)
     + (SELECT count(*) FROM enquiry_topics WHERE enquiry_id = $1)
     + (SELECT count(*) FROM mails WHERE enquiry_id = $1 OR to_addr = 'loesch@bar.de' OR reply_to = 'loesch@bar.de')`, e.ID).Scan(&n)
	if err != nil || n != 0 {
		t.Errorf("left after erasing: %d rows (%v)", n, err)
	}
	if _, err := s.st.FindEnquiry(ctx, keep.ID); err != nil {
		t.Errorf("the other enquiry is gone: %v", err)
	}
	if c, _ := s.st.CountEnquiryMails(ctx, keep.ID); c != 2 {
		t.Errorf("the other enquiry's mails: %d", c)
	}
	s.send(t, "GET", base, s.editor, nil, http.StatusNotFound)
	s.send(t, "POST", base+"/loeschen", s.editor, url.Values{}, http.StatusNotFound)

	entries, _, _ := s.st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityEnquiry, EntityID: e.ID})
	if len(entries) == 0 || entries[0].Action != defus.ActionErase || entries[0].EntityID != e.ID || entries[0].Actor.Name != "Erik Editor" {
		t.Fatalf("erasure not audited: %+v", entries)
	}
	js, _ := json.Marshal(entries)
	for _, personal := range []string{"Löschbar", "loesch@bar.de", "Bitte löschen", "Jürgen"} {
		if strings.Contains(string(js), personal) {
			t.Errorf("audit log still holds %q: %s", personal, js)
		}
	}
	_, body = s.send(t, "GET", "/admin/protokoll", s.admin, nil, http.StatusOK)
	if !strings.Contains(body, "Endgültig gelöscht") || strings.Contains(body, "Löschbar") {
		t.Error("audit log page: erasure missing or personal data shown")
	}
}

func TestSubjectAccessExport(t *testing.T) {
	t.Parallel()
	s := newInboxSite(t)
	ctx := context.Background()
	e := addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Stadt Auskunft", Email: "Frau.Auskunft@stadt.de", Message: "Meine Nachricht ✓"})
	addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Andere", Email: "andere@stadt.de"})
	s.send(t, "POST", fmt.Sprintf("/admin/anfragen/%d/notizen", e.ID), s.editor, url.Values{"body": {"Notiz zur Auskunft"}}, http.StatusSeeOther)

	_, body := s.send(t, "GET", "/admin/anfragen/auskunft", s.editor, nil, http.StatusOK)
	if doc(t, body).Find(`form[action="/admin/anfragen/auskunft"] #access-email`).Length() != 1 {
		t.Fatal("no e-mail form")
	}
	_, body = s.send(t, "POST", "/admin/anfragen/auskunft", s.editor, url.Values{"email": {"kein-at<b>"}}, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if v, _ := d.Find("#access-email").Attr("value"); v != "kein-at<b>" {
		t.Errorf("typed address not kept: %q", v)
	}
	if d.Find("#access-email-error").Length() != 1 {
		t.Error("no German field message")
	}

	_, body = s.send(t, "POST", "/admin/anfragen/auskunft", s.editor, url.Values{"email": {"frau.auskunft@STADT.de"}}, http.StatusOK)
	d = doc(t, body)
	if txt := d.Find("main").Text(); !strings.Contains(txt, "1 Anfrage") || !strings.Contains(txt, "1 interne Notiz") || !strings.Contains(txt, "2 E-Mail") {
		t.Errorf("confirmation = %q", txt)
	}
	if d.Find(`form[action="/admin/anfragen/auskunft/download"] button`).Length() != 1 {
		t.Fatal("no download button")
	}

	resp, body := s.send(t, "POST", "/admin/anfragen/auskunft/download", s.editor, url.Values{"email": {"frau.auskunft@STADT.de"}}, http.StatusOK)
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var out struct {
		Anfragen []struct {
			Organisation, Nachricht string
			Themen                  []string
		} `json:"anfragen"`
		Notizen []struct{ Text string }     `json:"interne_notizen"`
		EMails  []struct{ An, Text string } `json:"e_mails"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err, body)
	}
	if len(out.Anfragen) != 1 || out.Anfragen[0].Organisation != "Stadt Auskunft" || out.Anfragen[0].Nachricht != "Meine Nachricht ✓" || len(out.Anfragen[0].Themen) != 1 {
		t.Errorf("enquiries = %+v", out.Anfragen)
	}
	if len(out.Notizen) != 1 || out.Notizen[0].Text != "Notiz zur Auskunft" {
		t.Errorf("notes = %+v", out.Notizen)
	}
	if len(out.EMails) != 2 {
		t.Errorf("mails = %+v", out.EMails)
	}
	if strings.Contains(body, "Andere") {
		t.Error("another person's data in the export")
	}

	entries, _, _ := s.st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityEnquiry, Limit: 1})
	if len(entries) != 1 || entries[0].Action != defus.ActionExport {
		t.Fatalf("access export not audited: %+v", entries)
	}
	js, _ := json.Marshal(entries[0])
	if strings.Contains(strings.ToLower(string(js)), "auskunft@stadt") || strings.Contains(string(js), "Meine Nachricht") {
		t.Errorf("audit entry holds the data: %s", js)
	}
}
