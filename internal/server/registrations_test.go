package server_test

import (
	"archive/zip"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	goical "github.com/emersion/go-ical"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/retention"
)

// regEvent stores an upcoming hybrid event with registration in mode,
// capacity places (0: unlimited) and an online link only participants see.
func regEvent(t *testing.T, s *workSite, slug string, mode defus.RegistrationMode, capacity int) *defus.Event {
	t.Helper()
	start := time.Date(2026, 12, 8, 10, 0, 0, 0, defus.Berlin)
	e := &defus.Event{Slug: slug, Title: "Fortbildung Sicherheit im Quartier", Kind: defus.EventTraining,
		StartsAt: start, EndsAt: start.Add(6 * time.Hour), Format: defus.FormatHybrid, PlaceName: "Rathaus",
		City: "Essen", OnlineURL: "https://meet.example.org/quartier", Status: defus.StatusScheduled, Published: true,
		Registration: defus.RegistrationSettings{Mode: mode}}
	if capacity > 0 {
		e.Registration.Capacity = &capacity
	}
	if err := s.st.CreateEvent(context.Background(), defus.Actor{}, e); err != nil {
		t.Fatal(err)
	}
	return e
}

// part is one part of a received mail, decoded.
type part struct {
	contentType string
	body        string
}

// parts decodes a received mail: its text, and its attachment if any.
func parts(t *testing.T, m *mail.Message) []part {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	decode := func(enc string, r io.Reader) string {
		switch enc {
		case "quoted-printable":
			r = quotedprintable.NewReader(r)
		case "base64":
			r = base64Reader(r)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		return []part{{mt, decode(m.Header.Get("Content-Transfer-Encoding"), m.Body)}}
	}
	var out []part
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, part{p.Header.Get("Content-Type"), decode(p.Header.Get("Content-Transfer-Encoding"), p)})
	}
}

// mailTo returns the text and attachments of the last mail to addr whose
// subject starts with subject.
func mailTo(t *testing.T, s *workSite, addr, subject string) []part {
	t.Helper()
	s.deliver(t)
	var found []part
	for _, m := range s.smtp.received(t) {
		subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		if strings.Contains(m.Header.Get("To"), addr) && strings.HasPrefix(subj, subject) {
			found = parts(t, m)
		}
	}
	if found == nil {
		t.Fatalf("no mail %q to %s", subject, addr)
	}
	return found
}

var registrationLinkPattern = regexp.MustCompile(`https?://[^/\s]+(/anmeldung/\d+/[0-9a-f]+/[a-z]+)`)

// link is the path of the registration link for action in a mail's text.
func link(t *testing.T, text, action string) string {
	t.Helper()
	for _, m := range registrationLinkPattern.FindAllStringSubmatch(text, -1) {
		if strings.HasSuffix(m[1], "/"+action) {
			return m[1]
		}
	}
	t.Fatalf("no %s link in:\n%s", action, text)
	return ""
}

func TestGuestRegistersConfirmsAndCancels(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	e := regEvent(t, s, "fortbildung-quartier", defus.RegistrationOpen, 2)
	page := "/termine/" + e.Slug

	_, body := s.send(t, http.MethodGet, page, nil, nil, http.StatusOK)
	d := doc(t, body)
	if !strings.Contains(d.Find(".facts").Text(), defus.OnlineURLHidden) || strings.Contains(body, e.OnlineURL) {
		t.Errorf("a visitor sees the online link or no note about it")
	}
	if d.Find("#registration-organisation").Length() != 1 {
		t.Fatal("no registration form for guests")
	}

	// A form with mistakes comes back with messages and what was typed.
	_, body = s.send(t, http.MethodPost, page+"/anmeldung", nil,
		url.Values{"name": {""}, "email": {"kim@beispiel"}, "organisation": {"Stadt Essen"}}, http.StatusUnprocessableEntity)
	d = doc(t, body)
	if d.Find(".error-summary li").Length() != 2 || d.Find("#registration-organisation").AttrOr("value", "") != "Stadt Essen" {
		t.Errorf("422 page: %d errors, organisation %q", d.Find(".error-summary li").Length(), d.Find("#registration-organisation").AttrOr("value", ""))
	}

	resp, _ := s.send(t, http.MethodPost, page+"/anmeldung", nil,
		url.Values{"name": {"Kim Gast"}, "email": {"kim@beispiel.de"}, "organisation": {"Stadt Essen"}}, http.StatusSeeOther)
	c := sessionCookie(resp)
	if c == nil {
		t.Fatal("no session after registering")
	}
	_, body = s.send(t, http.MethodGet, page, c, nil, http.StatusOK)
	if !strings.Contains(body, "Bitte bestätigen Sie Ihre Anmeldung") {
		t.Errorf("the guest's page does not ask for the confirmation")
	}

	text := mailTo(t, s, "kim@beispiel.de", "Bitte bestätigen")[0].body
	confirm := link(t, text, "bestaetigen")
	// Forged, swapped and malformed links: a German page, never a 500.
	for _, bad := range []string{
		regexp.MustCompile(`/[0-9a-f]{32}/`).ReplaceAllString(confirm, "/"+strings.Repeat("0", 32)+"/"),
		strings.TrimSuffix(confirm, "bestaetigen") + "abmelden",
		strings.TrimSuffix(confirm, "bestaetigen") + "loeschen",
		"/anmeldung/999999/" + strings.Repeat("a", 32) + "/bestaetigen",
		"/anmeldung/x/y/bestaetigen",
	} {
		_, body := s.send(t, http.MethodPost, bad, nil, url.Values{}, http.StatusNotFound)
		if !strings.Contains(body, "Dieser Link ist ungültig") {
			t.Errorf("%s: no German explanation", bad)
		}
	}
	_, body = s.send(t, http.MethodGet, confirm, nil, nil, http.StatusOK)
	if doc(t, body).Find("main form button").Text() != "Anmeldung bestätigen" {
		t.Errorf("the link does not ask before confirming")
	}
	_, body = s.send(t, http.MethodPost, confirm, nil, url.Values{}, http.StatusOK)
	if !strings.Contains(body, "Sie sind angemeldet") {
		t.Errorf("confirmation page: %s", doc(t, body).Find("main").Text())
	}
	// Somebody else typing Kim's address learns nothing of where she stands:
	// the answer is that of a new registration, and the mail goes to Kim.
	resp, _ = s.send(t, http.MethodPost, page+"/anmeldung", nil,
		url.Values{"name": {"Fremd"}, "email": {"KIM@beispiel.de"}, "organisation": {"X"}}, http.StatusSeeOther)
	_, body = s.send(t, http.MethodGet, page, sessionCookie(resp), nil, http.StatusOK)
	if strings.Contains(body, "kim@beispiel.de") || strings.Contains(body, "Sie sind angemeldet") {
		t.Errorf("a stranger's page shows Kim's registration")
	}
	if got := doc(t, body).Find(".registration-state").Text(); got != "Fast geschafft: Bitte bestätigen Sie Ihre Anmeldung." {
		t.Errorf("the stranger's answer differs from a new registration's: %q", got)
	}
	already := mailTo(t, s, "kim@beispiel.de", "Sie sind schon angemeldet")
	if len(already) != 1 || !strings.Contains(already[0].body, "Guten Tag Kim Gast") || !strings.Contains(already[0].body, "/abmelden") {
		t.Errorf("Kim is not told of the second registration with her address: %+v", already)
	}

	_, body = s.send(t, http.MethodPost, confirm, nil, url.Values{}, http.StatusConflict)
	if !strings.Contains(body, "schon verwendet") {
		t.Errorf("reused link: no explanation")
	}

	// The confirmation brings the event as .ics, read by an independent parser.
	ps := mailTo(t, s, "kim@beispiel.de", "Anmeldung bestätigt")
	if len(ps) != 2 || !strings.HasPrefix(ps[1].contentType, "text/calendar") {
		t.Fatalf("confirmation parts: %+v", ps)
	}
	if !strings.Contains(ps[0].body, e.OnlineURL) {
		t.Errorf("the participant's mail lacks the online link")
	}
	cal, err := goical.NewDecoder(strings.NewReader(ps[1].body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events in the attachment", len(events))
	}
	uid, _ := events[0].Props.Text(goical.PropUID)
	summary, _ := events[0].Props.Text(goical.PropSummary)
	start, err := events[0].DateTimeStart(defus.Berlin)
	desc, _ := events[0].Props.Text(goical.PropDescription)
	if !strings.Contains(desc, e.OnlineURL) {
		t.Errorf("the participant's calendar entry lacks the online link: %q", desc)
	}
	if uid != e.UID || summary != e.Title || err != nil || !start.Equal(e.StartsAt) {
		t.Errorf("attachment: uid %q summary %q start %v (%v)", uid, summary, start, err)
	}

	_, body = s.send(t, http.MethodGet, page, c, nil, http.StatusOK)
	d = doc(t, body)
	if !strings.Contains(d.Find("#anmeldung").Text(), "Sie sind angemeldet.") || d.Find("#anmeldung button").Length() != 0 {
		t.Errorf("the participant's page: %q", d.Find("#anmeldung").Text())
	}
	if !strings.Contains(body, e.OnlineURL) {
		t.Errorf("the participant does not see the online link")
	}

	// Cancelling by the signed link, no login.
	cancel := link(t, ps[0].body, "abmelden")
	s.send(t, http.MethodGet, cancel, nil, nil, http.StatusOK)
	_, body = s.send(t, http.MethodPost, cancel, nil, url.Values{}, http.StatusOK)
	if !strings.Contains(body, "Sie sind abgemeldet") {
		t.Errorf("after cancelling: %s", doc(t, body).Find("main").Text())
	}
	_, body = s.send(t, http.MethodPost, confirm, nil, url.Values{}, http.StatusConflict)
	if !strings.Contains(body, "abgemeldet") {
		t.Errorf("the old confirmation link after cancelling: %s", doc(t, body).Find("main").Text())
	}
}

// memberAccount makes a member representative of the first member and logs in.
func memberAccount(t *testing.T, s *workSite, email string) *http.Cookie {
	t.Helper()
	m, err := s.st.FindMembers(context.Background(), defus.MemberFilter{})
	if err != nil || len(m) == 0 {
		t.Fatal("no member", err)
	}
	u := &defus.User{Email: email, Name: "Rita Vertreterin", Role: defus.RoleMember, MemberID: &m[0].ID, PasswordHash: testHash()}
	if err := s.st.CreateUser(context.Background(), defus.Actor{}, u); err != nil {
		t.Fatal(err)
	}
	resp, _ := s.send(t, http.MethodPost, "/admin/login", nil, url.Values{"email": {email}, "password": {testPassword}}, http.StatusSeeOther)
	return sessionCookie(resp)
}

func TestMemberRegistersWithOneClick(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	e := regEvent(t, s, "mitgliederversammlung", defus.RegistrationMembers, 1)
	page := "/termine/" + e.Slug
	rita := memberAccount(t, s, "rita@essen.de")

	// Nobody logged in: members only.
	_, body := s.send(t, http.MethodGet, page, nil, nil, http.StatusOK)
	if doc(t, body).Find(`#anmeldung a[href^="/admin/login"]`).Length() != 1 {
		t.Errorf("no way to log in for members")
	}
	_, body = s.send(t, http.MethodPost, page+"/anmeldung", nil,
		url.Values{"name": {"Gast"}, "email": {"gast@example.org"}, "organisation": {"X"}}, http.StatusForbidden)
	if !strings.Contains(body, "den Mitgliedern vorbehalten") {
		t.Errorf("members-only refusal: %s", doc(t, body).Find("main").Text())
	}

	_, body = s.send(t, http.MethodGet, page, rita, nil, http.StatusOK)
	if got := strings.TrimSpace(doc(t, body).Find("#anmeldung form button").Text()); got != "Verbindlich anmelden" {
		t.Errorf("member's button %q", got)
	}
	s.send(t, http.MethodPost, page+"/anmeldung", rita, url.Values{}, http.StatusSeeOther)
	_, body = s.send(t, http.MethodGet, page, rita, nil, http.StatusOK)
	if !strings.Contains(doc(t, body).Find("#anmeldung").Text(), "Sie sind angemeldet.") || !strings.Contains(body, e.OnlineURL) {
		t.Errorf("after one click: %q", doc(t, body).Find("#anmeldung").Text())
	}
	_, body = s.send(t, http.MethodPost, page+"/anmeldung", rita, url.Values{}, http.StatusConflict)
	if !strings.Contains(body, "besteht schon eine Anmeldung") {
		t.Errorf("registering twice: %s", doc(t, body).Find("main").Text())
	}
	mailTo(t, s, "rita@essen.de", "Anmeldung bestätigt")

	// Full: the next member joins the waitlist and sees the position.
	tom := memberAccount(t, s, "tom@essen.de")
	s.send(t, http.MethodPost, page+"/anmeldung", tom, url.Values{}, http.StatusSeeOther)
	_, body = s.send(t, http.MethodGet, page, tom, nil, http.StatusOK)
	if !strings.Contains(body, "Sie stehen auf der Warteliste, an Stelle 1.") {
		t.Errorf("waiting member: %q", doc(t, body).Find("#anmeldung").Text())
	}
	// Rita cancels; Tom is offered the place by mail and takes it.
	s.send(t, http.MethodPost, page+"/abmeldung", rita, url.Values{}, http.StatusSeeOther)
	offer := link(t, mailTo(t, s, "tom@essen.de", "Ein Platz ist frei")[0].body, "platz")
	_, body = s.send(t, http.MethodPost, offer, nil, url.Values{"organisation": {""}}, http.StatusUnprocessableEntity)
	if doc(t, body).Find("#registration-organisation-error").Length() != 1 {
		t.Errorf("no message at the organisation")
	}
	_, body = s.send(t, http.MethodPost, offer, nil, url.Values{"organisation": {"Stadt Essen"}}, http.StatusOK)
	if !strings.Contains(body, "Sie sind angemeldet") {
		t.Errorf("after taking the place: %s", doc(t, body).Find("main").Text())
	}

	// After the deadline, for a cancelled event: clear refusals.
	deadline := s.clock.Now()
	e.Registration.Deadline = &deadline
	if _, err := s.st.UpdateEvent(context.Background(), defus.Actor{}, e); err != nil {
		t.Fatal(err)
	}
	_, body = s.send(t, http.MethodPost, page+"/anmeldung", memberAccount(t, s, "uwe@essen.de"), url.Values{}, http.StatusConflict)
	if !strings.Contains(body, "Anmeldefrist") {
		t.Errorf("after the deadline: %s", doc(t, body).Find("main").Text())
	}
}

func base64Reader(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) }

func TestOfficeManagesRegistrations(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	e := regEvent(t, s, "arbeitskreis", defus.RegistrationOpen, 1)
	base := "/admin/termine/" + itoa64(e.ID) + "/anmeldungen"

	// Add by hand: a form with mistakes keeps what was typed.
	_, body := s.send(t, http.MethodPost, base, s.editor, url.Values{"name": {"Ada"}, "email": {"ada@"}, "state": {"confirmed"}}, http.StatusUnprocessableEntity)
	if doc(t, body).Find("#add-name").AttrOr("value", "") != "Ada" || doc(t, body).Find("#add-email-error").Length() != 1 {
		t.Errorf("422 page of adding by hand")
	}
	for _, p := range []struct{ name, email, state string }{
		{"Ada Lovelace", "ada@example.org", "confirmed"},
		{"=Bob", "bob@example.org", "confirmed"}, // beyond the capacity: the office may
		{"Cem", "cem@example.org", "waiting"},
	} {
		s.send(t, http.MethodPost, base, s.editor, url.Values{"name": {p.name}, "email": {p.email}, "organisation": {"Stadt Köln"}, "state": {p.state}}, http.StatusSeeOther)
	}
	_, body = s.send(t, http.MethodGet, base, s.editor, nil, http.StatusOK)
	d := doc(t, body)
	if got := d.Find(".count").Text(); !strings.Contains(got, "2 von 1 Plätzen") || !strings.Contains(got, "1 auf der Warteliste") {
		t.Errorf("counts: %q", got)
	}
	_, list := s.send(t, http.MethodGet, "/admin/termine", s.editor, nil, http.StatusOK)
	if !strings.Contains(doc(t, list).Find("table.admin-events").Text(), "2/1, 1 warten") {
		t.Errorf("the events list lacks the counts")
	}

	// Two staff move the same person: the second, at the old version, is refused.
	form := d.Find(`form[action$="/verschieben"]`).FilterFunction(func(_ int, f *goquery.Selection) bool {
		return f.Find(`input[name=to]`).AttrOr("value", "") == "cancelled"
	}).First()
	action, version := form.AttrOr("action", ""), form.Find(`input[name=version]`).AttrOr("value", "")
	s.send(t, http.MethodPost, action, s.editor, url.Values{"version": {version}, "to": {"cancelled"}}, http.StatusSeeOther)
	_, body = s.send(t, http.MethodPost, action, s.editor, url.Values{"version": {version}, "to": {"waiting"}}, http.StatusConflict)
	if !strings.Contains(body, "inzwischen geändert") {
		t.Errorf("stale move: no explanation")
	}

	// CSV as the enquiry export: BOM, semicolons, formulas neutralised.
	resp, csvBody := s.send(t, http.MethodGet, base+".csv", s.editor, nil, http.StatusOK)
	if !strings.HasPrefix(csvBody, "\uFEFFName;Organisation;E-Mail;Stand") || !strings.Contains(csvBody, "'=Bob;") ||
		resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Errorf("CSV:\n%s", csvBody)
	}
	_, body = s.send(t, http.MethodGet, "/admin/termine/"+itoa64(e.ID)+"/teilnahmeliste", s.editor, nil, http.StatusOK)
	if n := doc(t, body).Find("table.attendance-list tbody tr").Length(); n != 1 {
		t.Errorf("attendance list has %d rows", n)
	}

	// After the event: attendance.
	s.setNow(e.EndsAt.Add(time.Hour))
	_, body = s.send(t, http.MethodGet, base, s.editor, nil, http.StatusOK)
	box := doc(t, body).Find(`input[name=attended]`)
	if box.Length() == 0 {
		t.Fatal("no attendance form after the event")
	}
	s.send(t, http.MethodPost, "/admin/termine/"+itoa64(e.ID)+"/teilnahme", s.editor, url.Values{"attended": {box.First().AttrOr("value", "")}}, http.StatusSeeOther)
	_, body = s.send(t, http.MethodGet, base, s.editor, nil, http.StatusOK)
	if doc(t, body).Find(`input[name=attended][checked]`).Length() != 1 {
		t.Errorf("attendance not kept")
	}

	// Certificates: all at once as a zip, and to each attendee by mail.
	resp, zipBody := s.send(t, http.MethodGet, "/admin/termine/"+itoa64(e.ID)+"/bescheinigungen.zip", s.editor, nil, http.StatusOK)
	zr, err := zip.NewReader(strings.NewReader(zipBody), int64(len(zipBody)))
	if err != nil || len(zr.File) != 1 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("zip: %v, %d files", err, len(zr.File))
	}
	s.send(t, http.MethodPost, "/admin/termine/"+itoa64(e.ID)+"/bescheinigungen", s.editor, url.Values{}, http.StatusSeeOther)
	var attendee string
	for _, r := range []string{"ada@example.org", "bob@example.org"} {
		s.deliver(t)
		for _, m := range s.smtp.received(t) {
			if strings.Contains(m.Header.Get("To"), r) && strings.Contains(m.Header.Get("Subject"), "Teilnahmebescheinigung") {
				attendee = r
			}
		}
	}
	text := mailTo(t, s, attendee, "Ihre Teilnahmebescheinigung")[0].body
	resp, pdf := s.send(t, http.MethodGet, link(t, text, "bescheinigung"), nil, nil, http.StatusOK)
	if !strings.HasPrefix(pdf, "%PDF-") || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("certificate download: %s", resp.Header.Get("Content-Type"))
	}

	// Erasing (Art. 17) removes the person.
	erase := doc(t, body).Find(`form[action$="/loeschen"]`).First().AttrOr("action", "")
	s.send(t, http.MethodPost, erase, s.editor, url.Values{}, http.StatusSeeOther)
	_, csvBody = s.send(t, http.MethodGet, base+".csv", s.editor, nil, http.StatusOK)
	if strings.Count(csvBody, "\r\n") != 3 {
		t.Errorf("after erasing one of three:\n%s", csvBody)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// The privacy page states both periods from the settings; registrations
// show in the Art. 15 file and go with Art. 17; the retention job deletes
// past registrations after the period, attendees' only after the longer one.
func TestRegistrationPrivacyAndRetention(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	_, body := s.send(t, http.MethodGet, "/datenschutz", nil, nil, http.StatusOK)
	if !strings.Contains(body, "<strong>12 Monate</strong>") || !strings.Contains(body, "<strong>60 Monate</strong>") {
		t.Errorf("the privacy page does not state the periods")
	}
	e := regEvent(t, s, "fortbildung-alt", defus.RegistrationOpen, 0)
	ctx := context.Background()
	var ids []int64
	for _, email := range []string{"war-da@example.org", "fehlte@example.org"} {
		r, err := s.st.AddRegistration(ctx, defus.Actor{}, e.ID, defus.RegistrationInput{Name: "P", Email: email, Organisation: "Stadt X"}, defus.RegConfirmed)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if err := s.st.SetAttendance(ctx, defus.Actor{}, e.ID, ids[:1]); err != nil {
		t.Fatal(err)
	}

	_, body = s.send(t, http.MethodPost, "/admin/anfragen/auskunft/download", s.editor, url.Values{"email": {"War-Da@example.org"}}, http.StatusOK)
	if !strings.Contains(body, `"anmeldungen_zu_terminen"`) || !strings.Contains(body, e.Title) || !strings.Contains(body, `"teilgenommen": "ja"`) {
		t.Errorf("Art. 15 file:\n%s", body)
	}

	job := &retention.Job{Store: s.st, Log: slog.New(slog.DiscardHandler), RegistrationMonths: 12, CertificateMonths: 60}
	s.setNow(e.EndsAt.AddDate(1, 0, 1))
	// (The seeded demo has registrations of its own: count only ours.)
	if _, err := job.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.FindRegistration(ctx, ids[1]); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("after 12 months the absentee's registration is still there: %v", err)
	}
	if _, err := s.st.FindRegistration(ctx, ids[0]); err != nil {
		t.Errorf("the attendee's registration went with the others: %v", err)
	}
	s.setNow(e.EndsAt.AddDate(5, 0, 1))
	if _, err := job.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.FindRegistration(ctx, ids[0]); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("after 60 months the attendee's registration is still there: %v", err)
	}

	// Art. 17 by address. Five years on, the retention has ended the
	// editor's session too: she logs in again.
	editor := login(t, s.ts, "e@defus.de")
	r, err := s.st.AddRegistration(ctx, defus.Actor{}, regEvent(t, s, "neu", defus.RegistrationOpen, 0).ID,
		defus.RegistrationInput{Name: "Q", Email: "weg@example.org"}, defus.RegConfirmed)
	if err != nil {
		t.Fatal(err)
	}
	s.send(t, http.MethodPost, "/admin/anfragen/auskunft/anmeldungen-loeschen", editor, url.Values{"email": {"weg@example.org"}}, http.StatusSeeOther)
	if _, err := s.st.FindRegistration(ctx, r.ID); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("after erasing: %v", err)
	}
}

// A member's personal calendar: a secret address, renewable, with the
// events they hold a place at and the online link; members see which
// organisations take part where the office allows.
func TestMemberCalendarAndParticipants(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	e := regEvent(t, s, "workshop-mit-liste", defus.RegistrationOpen, 0)
	e.Registration.ShowParticipants = true
	if _, err := s.st.UpdateEvent(context.Background(), defus.Actor{}, e); err != nil {
		t.Fatal(err)
	}
	s.send(t, http.MethodPost, "/termine/"+e.Slug+"/anmeldung", nil,
		url.Values{"name": {"Gast Verborgen"}, "email": {"g@example.org"}, "organisation": {"Geheime Organisation"}}, http.StatusSeeOther)
	rita := memberAccount(t, s, "rita@essen.de")
	s.send(t, http.MethodPost, "/termine/"+e.Slug+"/anmeldung", rita, url.Values{}, http.StatusSeeOther)

	_, body := s.send(t, http.MethodGet, "/termine/"+e.Slug, rita, nil, http.StatusOK)
	list := doc(t, body).Find("#anmeldung ul").Text()
	if list == "" || strings.Contains(list, "Geheime") || strings.Contains(body, "Rita Vertreterin</li>") {
		t.Errorf("participants list: %q", list)
	}
	_, body = s.send(t, http.MethodGet, "/termine/"+e.Slug, nil, nil, http.StatusOK)
	if strings.Contains(body, "Teilnehmende Städte und Organisationen") {
		t.Errorf("visitors see the participants")
	}

	resp, _ := s.send(t, http.MethodGet, "/termine/meine", nil, nil, http.StatusSeeOther)
	if !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login?next=") {
		t.Errorf("anonymous: %s", resp.Header.Get("Location"))
	}
	_, body = s.send(t, http.MethodPost, "/termine/meine/kalender", rita, url.Values{}, http.StatusOK)
	feed := doc(t, body).Find("code.feed-url").Text()
	path := strings.TrimPrefix(feed, "https://www.defus.example")
	_, ics := s.send(t, http.MethodGet, path, nil, nil, http.StatusOK)
	cal, err := goical.NewDecoder(strings.NewReader(ics)).Decode()
	if err != nil || len(cal.Events()) != 1 || !strings.Contains(ics, e.OnlineURL) {
		t.Fatalf("feed: %v, %d events\n%s", err, len(cal.Events()), ics)
	}
	// Renewed: the old address is gone.
	s.send(t, http.MethodPost, "/termine/meine/kalender", rita, url.Values{}, http.StatusOK)
	s.send(t, http.MethodGet, path, nil, nil, http.StatusNotFound)
	s.send(t, http.MethodGet, "/termine/meine/nicht-geheim.ics", nil, nil, http.StatusNotFound)
}

// When the office moves an event, everybody registered and waiting hears of
// it; participants get the calendar entry again, same UID, higher SEQUENCE.
func TestEventChangeNotifiesRegistered(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	e := regEvent(t, s, "fortbildung-verlegt", defus.RegistrationOpen, 1)
	base := "/admin/termine/" + itoa64(e.ID)
	// Through the office's pages: the site's store writes the mails.
	s.send(t, http.MethodPost, base+"/anmeldungen", s.editor, url.Values{"name": {"Ada"}, "email": {"ada@example.org"}, "organisation": {"X"}, "state": {"confirmed"}}, http.StatusSeeOther)
	s.send(t, http.MethodPost, base+"/anmeldungen", s.editor, url.Values{"name": {"Bo"}, "email": {"bo@example.org"}, "state": {"waiting"}}, http.StatusSeeOther)
	before := e.Sequence
	s.send(t, http.MethodPost, base, s.editor, url.Values{"title": {e.Title}, "slug": {e.Slug}, "kind": {"training"}, "status": {"scheduled"},
		"start_date": {"10.12.2026"}, "start_time": {"10:00"}, "end_time": {"16:00"}, "format": {"hybrid"}, "place_name": {"Rathaus"},
		"city": {"Essen"}, "online_url": {e.OnlineURL}, "registration_mode": {"open"}, "capacity": {"1"}, "published": {"ja"},
		"version": {strconv.Itoa(e.Version)}}, http.StatusSeeOther)
	e, err := s.st.FindEventByID(context.Background(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	ps := mailTo(t, s, "ada@example.org", "Änderung")
	if len(ps) != 2 || !strings.Contains(ps[0].body, e.When()) {
		t.Fatalf("participant's notice: %+v", ps)
	}
	cal, err := goical.NewDecoder(strings.NewReader(ps[1].body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	ev := cal.Events()[0]
	uid, _ := ev.Props.Text(goical.PropUID)
	seq := ev.Props.Get(goical.PropSequence)
	if uid != e.UID || seq == nil || seq.Value == strconv.Itoa(before) {
		t.Errorf("notice's entry: uid %q sequence %v (was %d)", uid, seq, before)
	}
	if waiting := mailTo(t, s, "bo@example.org", "Änderung"); len(waiting) != 1 {
		t.Errorf("the waiting person's notice has %d parts", len(waiting))
	}
}

// Every guest registration sends a mail, so the form sends only so many to
// one address (and from one network) in an hour; then a German 429.
func TestGuestRegistrationsAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	e := regEvent(t, s, "fachtag-grenzen", defus.RegistrationOpen, 0)
	form := url.Values{"name": {"Kim Gast"}, "email": {"kim@beispiel.de"}, "organisation": {"Stadt Essen"}}
	for range 5 { // registrationsPerAddress
		s.send(t, http.MethodPost, "/termine/"+e.Slug+"/anmeldung", nil, form, http.StatusSeeOther)
	}
	form.Set("email", "KIM@Beispiel.de") // the same address
	resp, body := s.send(t, http.MethodPost, "/termine/"+e.Slug+"/anmeldung", nil, form, http.StatusTooManyRequests)
	if resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Mit dieser E-Mail-Adresse sind in kurzer Zeit sehr viele Anmeldungen") ||
		!strings.Contains(body, "Bitte warten Sie") {
		t.Errorf("429 without Retry-After or German explanation of the address's limit")
	}
	form.Set("email", "lou@beispiel.de") // another address still may
	s.send(t, http.MethodPost, "/termine/"+e.Slug+"/anmeldung", nil, form, http.StatusSeeOther)
}
