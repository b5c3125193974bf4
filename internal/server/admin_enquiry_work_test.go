package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
)

// mailItem finds a mail's entry on an enquiry's page by its title.
func mailItem(t *testing.T, body, title string) string {
	t.Helper()
	var found string
	d := doc(t, body)
	for i := range d.Find("ol.mails > li").Length() {
		li := d.Find("ol.mails > li").Eq(i)
		if strings.TrimSpace(li.Find("h3").Text()) == title {
			found = strings.Join(strings.Fields(li.Text()), " ")
		}
	}
	if found == "" {
		t.Fatalf("no mail %q on the page:\n%s", title, d.Find("ol.mails").Text())
	}
	return found
}

func TestEnquiryPageShowsItsMailsAndSendsAFailedOneAgain(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	e := addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Stadt Fehlhausen", Email: "weg@fehlhausen.de"})
	other := addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Andere Stadt", Email: "da@andere.de"})
	page := fmt.Sprintf("/admin/anfragen/%d", e.ID)

	_, body := s.send(t, "GET", page, s.editor, nil, http.StatusOK)
	if got := mailItem(t, body, "Eingangsbestätigung an Jürgen Weiß"); !strings.Contains(got, "In der Warteschlange") ||
		!strings.Contains(got, "An weg@fehlhausen.de") || !strings.Contains(got, "Betreff: Ihre Anfrage") {
		t.Errorf("queued mail shows %q", got)
	}

	// The recipient's address does not exist: six attempts over a day, then given up.
	s.smtp.setRefused("weg@fehlhausen.de", true)
	for range 6 {
		s.deliver(t)
		s.clock.Add(13 * time.Hour)
	}
	_, body = s.send(t, "GET", page, s.editor, nil, http.StatusOK)
	if got := mailItem(t, body, "Benachrichtigung an die Geschäftsstelle"); !strings.Contains(got, "Gesendet am 24.11.2026, 11:00 Uhr") {
		t.Errorf("sent mail shows %q", got)
	}
	failed := mailItem(t, body, "Eingangsbestätigung an Jürgen Weiß")
	for _, want := range []string{"Nicht zugestellt", "Die Empfängeradresse wurde abgelehnt", "Meldung des Mailservers: RCPT TO: 550", "Erneut senden"} {
		if !strings.Contains(failed, want) {
			t.Errorf("failed mail lacks %q: %s", want, failed)
		}
	}
	mails, _ := s.st.FindEnquiryMails(context.Background(), e.ID)
	confirmation := mails[1]
	resend := fmt.Sprintf("%s/e-mails/%d/erneut-senden", page, confirmation.ID)
	if doc(t, body).Find(fmt.Sprintf(`form[action="%s"] button`, resend)).Length() != 1 {
		t.Fatalf("no resend button for %s", resend)
	}
	if n := doc(t, body).Find(`form[action$="/erneut-senden"]`).Length(); n != 1 {
		t.Errorf("%d resend buttons, want one: only for the failed mail", n)
	}

	s.send(t, "POST", resend, s.member, url.Values{}, http.StatusForbidden)
	s.send(t, "POST", fmt.Sprintf("/admin/anfragen/%d/e-mails/%d/erneut-senden", other.ID, confirmation.ID), s.editor, url.Values{}, http.StatusNotFound)
	s.send(t, "POST", page+"/e-mails/abc/erneut-senden", s.editor, url.Values{}, http.StatusNotFound)

	resp, _ := s.send(t, "POST", resend, s.editor, url.Values{}, http.StatusSeeOther)
	if got, want := resp.Header.Get("Location"), fmt.Sprintf("%s#mail-%d", page, confirmation.ID); got != want {
		t.Errorf("after resending: Location %q, want %q", got, want)
	}
	_, body = s.send(t, "GET", page, s.editor, nil, http.StatusOK)
	if flash := doc(t, body).Find(".flash").Text(); !strings.Contains(flash, "wieder in der Warteschlange") {
		t.Errorf("flash %q", flash)
	}
	if got := mailItem(t, body, "Eingangsbestätigung an Jürgen Weiß"); !strings.Contains(got, "In der Warteschlange Das Portal versendet sie in Kürze.") ||
		!strings.Contains(got, "Der letzte Versuch ist fehlgeschlagen: Die Empfängeradresse wurde abgelehnt") {
		t.Errorf("resent mail shows %q", got)
	}
	if n := doc(t, body).Find(`form[action$="/erneut-senden"]`).Length(); n != 0 {
		t.Errorf("%d resend buttons while the mail is queued", n)
	}
	// A second click finds it queued: nothing changes, a flash says so.
	s.send(t, "POST", resend, s.editor, url.Values{}, http.StatusSeeOther)
	_, body = s.send(t, "GET", page, s.editor, nil, http.StatusOK)
	if flash := doc(t, body).Find(".flash").Text(); !strings.Contains(flash, "schon wieder in der Warteschlange") {
		t.Errorf("flash after a second click %q", flash)
	}

	// The address works again: the same message arrives.
	s.smtp.setRefused("weg@fehlhausen.de", false)
	s.deliver(t)
	_, body = s.send(t, "GET", page, s.editor, nil, http.StatusOK)
	if got := mailItem(t, body, "Eingangsbestätigung an Jürgen Weiß"); !strings.Contains(got, "Gesendet am") || strings.Contains(got, "fehlgeschlagen") {
		t.Errorf("delivered after resend: %q", got)
	}
	var ids []string
	for _, m := range s.smtp.received(t) {
		if m.Header.Get("To") == "<weg@fehlhausen.de>" {
			ids = append(ids, m.Header.Get("Message-ID"))
		}
	}
	if len(ids) != 1 || ids[0] != "<"+confirmation.MessageID+">" {
		t.Errorf("received for the sender: %v, want the confirmation <%s> once", ids, confirmation.MessageID)
	}
	entries, _, _ := s.st.FindAuditEntries(context.Background(), defus.AuditFilter{Entity: defus.EntityEnquiry, EntityID: e.ID})
	if len(entries) != 1 || entries[0].Actor.Name != "Erik Editor" || entries[0].Changes["mail_resent"][1] == nil {
		t.Errorf("resend audit: %+v", entries)
	}
}

func TestAnswerTheSenderFromTheEnquiryPage(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	e := addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Stadt Antworthausen", Email: "kim@antworthausen.de", ContactName: "Kim Kurz"})
	page := fmt.Sprintf("/admin/anfragen/%d", e.ID)
	s.deliver(t)

	_, body := s.send(t, "GET", page, s.editor, nil, http.StatusOK)
	d := doc(t, body)
	if v, _ := d.Find(`form[action="` + page + `/antwort"] #reply-subject`).Attr("value"); v != "Re: Ihre Anfrage" {
		t.Errorf("subject prefilled %q, want the confirmation's with Re:", v)
	}
	if v := d.Find("#reply-body").Text(); !strings.HasPrefix(v, "Guten Tag Kim Kurz,") || !strings.Contains(v, "Erik Editor") {
		t.Errorf("body prefilled %q", v)
	}
	if hint := d.Find("#reply-body-hint").Text(); !strings.Contains(hint, "Kim Kurz <kim@antworthausen.de>") {
		t.Errorf("the form does not say where the answer goes: %q", hint)
	}

	t.Run("bad input", func(t *testing.T) {
		typed := "Guten Tag,\n\ndas ist \x1b[31mrot\x1b[0m."
		_, body := s.send(t, "POST", page+"/antwort", s.editor, url.Values{"subject": {"  "}, "body": {typed}}, http.StatusUnprocessableEntity)
		d := doc(t, body)
		if got := d.Find("#reply-subject-error").Text(); !strings.Contains(got, "Bitte geben Sie einen Betreff an.") {
			t.Errorf("subject error %q", got)
		}
		if got := d.Find("#reply-body-error").Text(); !strings.Contains(got, "Steuerzeichen") {
			t.Errorf("body error %q", got)
		}
		if got := d.Find("#reply-body").Text(); got != "Guten Tag,\n\ndas ist [31mrot[0m." {
			t.Errorf("typed body not kept (without the control characters): %q", got)
		}
		if n := d.Find(`.error-summary a[href="#reply-subject"], .error-summary a[href="#reply-body"]`).Length(); n != 2 {
			t.Errorf("error summary links %d of 2 fields", n)
		}
		long := strings.Repeat("ä", defus.MaxReplyBody+1)
		_, body = s.send(t, "POST", page+"/antwort", s.editor, url.Values{"subject": {"Re"}, "body": {long}}, http.StatusUnprocessableEntity)
		if got := doc(t, body).Find("#reply-body-error").Text(); !strings.Contains(got, "höchstens 20.000 Zeichen") {
			t.Errorf("too long: %q", got)
		}
		if n, _ := s.st.CountEnquiryMails(context.Background(), e.ID); n != 2 {
			t.Errorf("%d mails after refused answers, want 2", n)
		}
	})

	t.Run("cross-site post", func(t *testing.T) {
		form := url.Values{"subject": {"Re"}, "body": {"x"}}
		r, _ := http.NewRequest("POST", s.url+page+"/antwort", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.Header.Set("Origin", "https://evil.example")
		r.AddCookie(s.editor)
		request(t, r, http.StatusForbidden)
	})

	subject := "Re: Ihre Anfrage <script>alert(1)</script>"
	text := "Guten Tag Kim Kurz,\n\ngern laden wir Sie ein. <b>Willkommen</b> & bis bald!\n\nErik Editor"
	s.clock.Add(time.Hour)
	resp, _ := s.send(t, "POST", page+"/antwort", s.editor, url.Values{"subject": {subject}, "body": {text}}, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, page+"#mail-") {
		t.Errorf("after answering: Location %q", loc)
	}
	_, body = s.send(t, "GET", page, s.editor, nil, http.StatusOK)
	d = doc(t, body)
	if flash := d.Find(".flash").Text(); !strings.Contains(flash, "kim@antworthausen.de") {
		t.Errorf("flash %q", flash)
	}
	answer := mailItem(t, body, "Antwort von Erik Editor")
	if !strings.Contains(answer, "In der Warteschlange") || !strings.Contains(answer, "<b>Willkommen</b> & bis bald!") ||
		!strings.Contains(answer, "<script>alert(1)</script>") {
		t.Errorf("the answer in the history: %q", answer)
	}
	if d.Find("main script, main b").Length() != 0 {
		t.Error("typed markup rendered as HTML")
	}

	// It leaves through the outbox like every mail.
	s.deliver(t)
	got := s.smtp.received(t)
	m := got[len(got)-1]
	h := m.Header
	var dec mime.WordDecoder
	from, _ := mail.ParseAddress(h.Get("From"))
	subj, _ := dec.DecodeHeader(h.Get("Subject"))
	mails, _ := s.st.FindEnquiryMails(context.Background(), e.ID)
	if from == nil || from.Name != "Erik Editor (DEFUS-Geschäftsstelle)" || from.Address != "buero@defus.de" ||
		h.Get("Reply-To") != "<buero@defus.de>" || h.Get("To") != "<kim@antworthausen.de>" || subj != subject ||
		h.Get("In-Reply-To") != "<"+mails[1].MessageID+">" || h.Get("Auto-Submitted") != "" {
		t.Errorf("the answer as sent: %v, subject %q", h, subj)
	}
	_, body = s.send(t, "GET", page, s.editor, nil, http.StatusOK)
	if answer := mailItem(t, body, "Antwort von Erik Editor"); !strings.Contains(answer, "Gesendet am 24.11.2026, 12:00 Uhr") {
		t.Errorf("sent answer shows %q", answer)
	}
	// The next answer starts from the answer's subject.
	if v, _ := doc(t, body).Find("#reply-subject").Attr("value"); v != subject {
		t.Errorf("next subject prefilled %q", v)
	}

	_, body = s.send(t, "GET", fmt.Sprintf("/admin/protokoll?bereich=enquiry&id=%d", e.ID), s.editor, nil, http.StatusOK)
	if log := doc(t, body).Find("main").Text(); !strings.Contains(log, "Antwort vom 24. November 2026, 12:00 Uhr") ||
		strings.Contains(log, "Willkommen") || strings.Contains(log, "reply") {
		t.Errorf("the audit log page on the answer: %s", strings.Join(strings.Fields(log), " "))
	}

	// The request for access has it, erasure takes it along.
	_, js := s.send(t, "POST", "/admin/anfragen/auskunft/download", s.editor, url.Values{"email": {"KIM@antworthausen.de"}}, http.StatusOK)
	var out struct {
		EMails []struct{ Art, Status, Text, Gesendet string } `json:"e_mails"`
	}
	if err := json.Unmarshal([]byte(js), &out); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, m := range out.EMails {
		found = found || (m.Art == "Antwort der Geschäftsstelle" && m.Text == text && m.Status == "gesendet" && m.Gesendet == "24.11.2026 12:00")
	}
	if !found {
		t.Errorf("access export lacks the answer: %+v", out.EMails)
	}
	_, body = s.send(t, "GET", page+"/loeschen", s.editor, nil, http.StatusOK)
	if !strings.Contains(doc(t, body).Find("main").Text(), "3 E-Mail(s) zu dieser Anfrage, auch die Antworten") {
		t.Errorf("erase confirmation does not count the answer: %s", doc(t, body).Find("main ul").Text())
	}
	s.send(t, "POST", page+"/loeschen", s.editor, url.Values{}, http.StatusSeeOther)
	data, _ := s.st.FindSubjectData(context.Background(), "kim@antworthausen.de")
	if len(data.Mails) != 0 || len(data.Enquiries) != 0 {
		t.Errorf("after erasure: %d mails, %d enquiries", len(data.Mails), len(data.Enquiries))
	}
}

func TestNoAnswerToSpam(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	e := addEnquiry(t, s.st, time.Hour, defus.Enquiry{Status: defus.StatusSpam})
	page := fmt.Sprintf("/admin/anfragen/%d", e.ID)
	_, body := s.send(t, "GET", page, s.editor, nil, http.StatusOK)
	if doc(t, body).Find("#reply-body").Length() != 0 || !strings.Contains(body, "antwortet das Portal nicht") {
		t.Error("spam offers an answer form")
	}
	_, body = s.send(t, "POST", page+"/antwort", s.editor, url.Values{"subject": {"Re"}, "body": {"Hallo"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(doc(t, body).Find(".error-summary").Text(), "als Spam markierte Anfrage") {
		t.Errorf("no reason given: %s", doc(t, body).Find(".error-summary").Text())
	}
	if n, _ := s.st.CountEnquiryMails(context.Background(), e.ID); n != 2 {
		t.Errorf("%d mails, want the two it came with", n)
	}
}

func TestFollowUpBringsTheEnquiryBackOntoTheDashboard(t *testing.T) {
	t.Parallel()
	s := newWorkSite(t)
	e := addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Stadt Später", Status: defus.StatusAnswered})
	addEnquiry(t, s.st, time.Hour, defus.Enquiry{Organisation: "Stadt Ohne"})
	page := fmt.Sprintf("/admin/anfragen/%d", e.ID)
	version := fmt.Sprint(e.Version)
	// dueOnDashboard is the dashboard's follow-up section: its rows' cells
	// joined by " | ", or its text when it has no table.
	dueOnDashboard := func() string {
		t.Helper()
		_, body := s.send(t, "GET", "/admin", s.editor, nil, http.StatusOK)
		sec := doc(t, body).Find(`section[aria-labelledby="follow-ups-title"]`)
		if sec.Find("tbody tr").Length() == 0 {
			return strings.Join(strings.Fields(sec.Text()), " ")
		}
		var rows []string
		for i := range sec.Find("tbody tr").Length() {
			rows = append(rows, strings.Join(texts(sec.Find("tbody tr").Eq(i).Children()), " | "))
		}
		return strings.Join(rows, "\n")
	}

	for _, tc := range []struct {
		name, on, note, field, msg string
	}{
		{"no day", "", "Rückruf", "follow-up-on", "Bitte geben Sie einen Tag an"},
		{"not a day", "31.02.2026", "Rückruf", "follow-up-on", "TT.MM.JJJJ"},
		{"past", "2026-11-23", "", "follow-up-on", "schon vorbei"},
		{"control character", "2026-12-01", "Rück\x1bruf", "follow-up-note", "Steuerzeichen"},
		{"line break", "2026-12-01", "Zeile\neins", "follow-up-note", "Steuerzeichen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, body := s.send(t, "POST", page+"/wiedervorlage", s.editor,
				url.Values{"version": {version}, "follow_up_on": {tc.on}, "follow_up_note": {tc.note}}, http.StatusUnprocessableEntity)
			d := doc(t, body)
			if got := d.Find("#" + tc.field + "-error").Text(); !strings.Contains(got, tc.msg) {
				t.Errorf("%s error %q, want %q", tc.field, got, tc.msg)
			}
			if v, _ := d.Find("#follow-up-on").Attr("value"); v != tc.on {
				t.Errorf("typed day not kept: %q", v)
			}
			if v, _ := d.Find("#follow-up-note").Attr("value"); v != defus.CleanText(tc.note) {
				t.Errorf("typed note not kept: %q", v)
			}
			if d.Find(`.error-summary a[href="#`+tc.field+`"]`).Length() != 1 {
				t.Error("no link in the error summary")
			}
		})
	}
	// Someone changed the enquiry meanwhile: refused, what was typed stays.
	_, body := s.send(t, "POST", page+"/wiedervorlage", s.editor,
		url.Values{"version": {"99"}, "follow_up_on": {"01.12.2026"}, "follow_up_note": {"Rückruf Frau Kurz"}}, http.StatusConflict)
	d := doc(t, body)
	if v, _ := d.Find("#follow-up-note").Attr("value"); v != "Rückruf Frau Kurz" || !strings.Contains(d.Find("#conflict-title").Text(), "inzwischen geändert") {
		t.Errorf("conflict: note %q, message %q", v, d.Find("#conflict-title").Text())
	}
	if v, _ := d.Find(`form[action="` + page + `/wiedervorlage"] input[name=version]`).Attr("value"); v != version {
		t.Errorf("version after the conflict %q, want the current %s", v, version)
	}
	if got := dueOnDashboard(); !strings.Contains(got, "Heute ist keine Anfrage zur Wiedervorlage fällig.") {
		t.Errorf("dashboard before: %q", got)
	}

	// Typed the German way, on Monday 30 November.
	s.send(t, "POST", page+"/wiedervorlage", s.editor,
		url.Values{"version": {version}, "follow_up_on": {"1.12.2026"}, "follow_up_note": {"Rückruf Frau Kurz"}}, http.StatusSeeOther)
	_, body = s.send(t, "GET", page, s.editor, nil, http.StatusOK)
	d = doc(t, body)
	if got := strings.Join(strings.Fields(d.Find(".lead + .follow-up").Text()), " "); got != "Wiedervorlage: 01.12.2026 (in 7 Tagen) – Rückruf Frau Kurz" {
		t.Errorf("page says %q", got)
	}
	if v, _ := d.Find("#follow-up-on").Attr("value"); v != "2026-12-01" {
		t.Errorf("date field holds %q", v)
	}

	for _, tc := range []struct {
		at   time.Time
		want string // "" when not listed
	}{
		{time.Date(2026, 11, 30, 22, 59, 0, 0, time.UTC), ""},     // 23:59 on 30 November in Berlin
		{time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), "heute"}, // midnight in Berlin
		{time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC), "seit 2 Tagen"},
	} {
		s.setNow(tc.at)
		got := dueOnDashboard()
		switch {
		case tc.want == "" && strings.Contains(got, "Stadt Später"):
			t.Errorf("at %v the dashboard lists it: %q", tc.at, got)
		case tc.want != "" && got != "Stadt Später | "+tc.want+" | Rückruf Frau Kurz | Beantwortet | ":
			t.Errorf("at %v the dashboard shows %q, want Stadt Später %s", tc.at, got, tc.want)
		}
	}
	_, body = s.send(t, "GET", "/admin/anfragen?wiedervorlage=faellig", s.editor, nil, http.StatusOK)
	if got := doc(t, body).Find("table.enquiries tbody th").Text(); got != "Stadt Später" {
		t.Errorf("inbox filtered to due follow-ups lists %q", got)
	}
	// The request for access names it.
	_, js := s.send(t, "POST", "/admin/anfragen/auskunft/download", s.editor, url.Values{"email": {e.Email}}, http.StatusOK)
	if !strings.Contains(js, `"wiedervorlage": "01.12.2026"`) || !strings.Contains(js, `"wiedervorlage_notiz": "Rückruf Frau Kurz"`) {
		t.Errorf("access export lacks the follow-up:\n%s", js)
	}
	// The note of a due follow-up can still be changed, though its day is past.
	cur, _ := s.st.FindEnquiry(context.Background(), e.ID)
	s.send(t, "POST", page+"/wiedervorlage", s.editor,
		url.Values{"version": {fmt.Sprint(cur.Version)}, "follow_up_on": {"2026-12-01"}, "follow_up_note": {"Zweiter Versuch"}}, http.StatusSeeOther)

	cur, _ = s.st.FindEnquiry(context.Background(), e.ID)
	s.send(t, "POST", page+"/wiedervorlage/erledigt", s.member, url.Values{"version": {fmt.Sprint(cur.Version)}}, http.StatusForbidden)
	s.send(t, "POST", page+"/wiedervorlage/erledigt", s.editor, url.Values{"version": {fmt.Sprint(cur.Version)}}, http.StatusSeeOther)
	if got := dueOnDashboard(); strings.Contains(got, "Stadt Später") {
		t.Errorf("after clearing the dashboard shows %q", got)
	}
	entries, _, _ := s.st.FindAuditEntries(context.Background(), defus.AuditFilter{Entity: defus.EntityEnquiry, EntityID: e.ID})
	if len(entries) != 3 {
		t.Errorf("%d audit entries, want set, changed, cleared", len(entries))
	}
	if js, _ := json.Marshal(entries); strings.Contains(string(js), "Frau Kurz") {
		t.Error("the audit log holds the note")
	}
	_, body = s.send(t, "GET", fmt.Sprintf("/admin/protokoll?bereich=enquiry&id=%d", e.ID), s.editor, nil, http.StatusOK)
	log := doc(t, body).Find("main").Text()
	for _, want := range []string{"Wiedervorlage", "01.12.2026", "Notiz zur Wiedervorlage"} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log page lacks %q", want)
		}
	}
	if strings.Contains(log, "follow_up") {
		t.Error("the audit log page shows an internal key")
	}
}
