package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/server"
)

// formToken opens the form and returns its token.
func formToken(tb testing.TB, ts *httptest.Server) string {
	tb.Helper()
	_, body := get(tb, ts, "/mitgliedschaft/anfrage", http.StatusOK)
	tok := doc(tb, body).Find(`input[name=token]`).AttrOr("value", "")
	if strings.Count(tok, ".") != 2 {
		tb.Fatalf("form token %q", tok)
	}
	return tok
}

// tokenKey is the idempotency key inside a token.
func tokenKey(tok string) string { return strings.Split(tok, ".")[1] }

// topicIDs returns the ids of the topics offered on the form.
func topicIDs(tb testing.TB, pool *pgxpool.Pool) []string {
	tb.Helper()
	rows, err := pool.Query(context.Background(), `SELECT id::text FROM topics WHERE published ORDER BY id`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

func validForm(tok string, topics ...string) url.Values {
	return url.Values{
		"token":        {tok},
		"website":      {""},
		"organisation": {"Stadt Musterhausen"},
		"kind":         {"city"},
		"state":        {"Thüringen"},
		"contact_name": {"Jürgen Weiß"},
		"function":     {"Leitung Ordnungsamt"},
		"email":        {"j.weiss@musterhausen.de"},
		"phone":        {"+49 361 123456"},
		"population":   {"120.000"},
		"topics":       topics,
		"message":      {"Wir möchten mehr über die Mitgliedschaft erfahren.\r\nGrüße aus Thüringen"},
		"heard_from":   {"Deutscher Präventionstag"},
		"consent":      {"ja"},
	}
}

func post(tb testing.TB, ts *httptest.Server, v url.Values, want int) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/mitgliedschaft/anfrage", strings.NewReader(v.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return request(tb, req, want)
}

// stored is an enquiry as the database holds it.
type stored struct {
	id                                           int64
	organisation, contact, email, message, heard string
	status, reason, kind, state, phone, function string
	population                                   *int
	topics, mails                                int
	consent                                      time.Time
	privacy                                      string
	closed                                       *time.Time
}

// enquiryByKey finds the enquiry stored for a form token, or nil.
func enquiryByKey(tb testing.TB, pool *pgxpool.Pool, key string) *stored {
	tb.Helper()
	var e stored
	err := pool.QueryRow(context.Background(), `
SELECT e.id, organisation, contact_name, email, message, heard_from, status, spam_reason, kind, state, phone,
       function, population, consent_at, p.body, closed_at,
       (SELECT count(*) FROM enquiry_topics WHERE enquiry_id = e.id),
       (SELECT count(*) FROM mails WHERE enquiry_id = e.id)
FROM enquiries e JOIN privacy_notices p ON p.id = e.privacy_notice_id
WHERE idempotency_key = $1`, key).Scan(&e.id, &e.organisation, &e.contact, &e.email, &e.message, &e.heard,
		&e.status, &e.reason, &e.kind, &e.state, &e.phone, &e.function, &e.population, &e.consent, &e.privacy,
		&e.closed, &e.topics, &e.mails)
	if err != nil {
		if strings.Contains(err.Error(), "no rows") {
			return nil
		}
		tb.Fatal(err)
	}
	return &e
}

func countEnquiries(tb testing.TB, pool *pgxpool.Pool) int {
	tb.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM enquiries`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestEnquiryFormRenders(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, _, _ := enquiryServer(t, pool)
	resp, body := get(t, ts, "/mitgliedschaft/anfrage", http.StatusOK)
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	d := doc(t, body)
	form := d.Find(`form[method=post][action="/mitgliedschaft/anfrage"]`)
	if form.Length() != 1 {
		t.Fatal("no form posting to /mitgliedschaft/anfrage")
	}
	for id, ac := range map[string]string{"organisation": "organization", "contact_name": "name", "email": "email",
		"phone": "tel", "function": "organization-title", "kind": "", "state": "", "population": "", "message": "", "heard_from": "", "consent": ""} {
		el := form.Find("#" + id)
		if el.Length() != 1 {
			t.Errorf("no control #%s", id)
			continue
		}
		if d.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("#%s has no label", id)
		}
		if ac != "" && el.AttrOr("autocomplete", "") != ac {
			t.Errorf("#%s autocomplete = %q, want %q", id, el.AttrOr("autocomplete", ""), ac)
		}
	}
	for _, id := range []string{"organisation", "contact_name", "email", "message", "consent"} {
		if !strings.Contains(d.Find(`label[for="`+id+`"]`).Text(), "Pflichtfeld") {
			t.Errorf("required #%s not marked in its label", id)
		}
	}
	if got := form.Find(`#state option`).Length(); got != 18 { // "Bitte wählen", 16 Länder, abroad
		t.Errorf("state has %d options, want 18", got)
	}
	if !strings.Contains(form.Find(`#state`).Text(), "außerhalb Deutschlands") {
		t.Error("no choice for outside Germany")
	}
	if got := form.Find(`fieldset.checkbox-group legend`).Length(); got != 1 {
		t.Errorf("topics are not a fieldset with legend")
	}
	if got := form.Find(`input[type=checkbox][name=topics]`).Length(); got != 8 {
		t.Errorf("%d topic checkboxes, want 8", got)
	}
	if form.Find(`label[for=consent] a[href="/datenschutz"]`).Length() != 1 {
		t.Error("consent does not link to /datenschutz")
	}
	hp := form.Find(`#website`)
	if hp.AttrOr("tabindex", "") != "-1" || hp.AttrOr("autocomplete", "") != "off" || hp.ParentFiltered(`[aria-hidden=true]`).Length() != 1 {
		t.Error("honeypot is not hidden from people")
	}
	if d.Find(".error-summary").Length() != 0 || d.Find("[aria-invalid]").Length() != 0 {
		t.Error("empty form shows errors")
	}
}

func TestEnquiryCreate(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, clk, _ := enquiryServer(t, pool)
	tok := formToken(t, ts)
	clk.Add(20 * time.Second)
	topics := topicIDs(t, pool)
	resp, _ := post(t, ts, validForm(tok, topics[0], topics[2]), http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/mitgliedschaft/anfrage/danke" {
		t.Fatalf("Location = %q", got)
	}
	e := enquiryByKey(t, pool, tokenKey(tok))
	if e == nil {
		t.Fatal("enquiry not stored")
	}
	if e.status != "new" || e.reason != "" || e.closed != nil {
		t.Errorf("status %q (%q), closed %v, want new", e.status, e.reason, e.closed)
	}
	if e.organisation != "Stadt Musterhausen" || e.contact != "Jürgen Weiß" || e.kind != "city" || e.state != "Thüringen" ||
		e.function != "Leitung Ordnungsamt" || e.phone != "+49 361 123456" || e.heard != "Deutscher Präventionstag" {
		t.Errorf("stored %+v", e)
	}
	if e.population == nil || *e.population != 120000 {
		t.Errorf("population = %v, want 120000", e.population)
	}
	if e.message != "Wir möchten mehr über die Mitgliedschaft erfahren.\nGrüße aus Thüringen" {
		t.Errorf("message = %q", e.message)
	}
	if e.topics != 2 || e.mails != 2 {
		t.Errorf("%d topics, %d mails; want 2 and 2", e.topics, e.mails)
	}
	if !e.consent.Equal(clk.Now()) {
		t.Errorf("consent at %v, want %v", e.consent, clk.Now())
	}
	if !strings.Contains(e.privacy, "## Anfrage zur Mitgliedschaft") {
		t.Error("consent does not point at the privacy notice text")
	}
	var to, replyTo []string
	rows, _ := pool.Query(context.Background(), `SELECT to_addr, reply_to FROM mails WHERE enquiry_id = $1 ORDER BY id`, e.id)
	for rows.Next() {
		var a, b string
		rows.Scan(&a, &b)
		to, replyTo = append(to, a), append(replyTo, b)
	}
	if fmt.Sprint(to) != "[defus@defus.de j.weiss@musterhausen.de]" || replyTo[0] != "j.weiss@musterhausen.de" {
		t.Errorf("mails to %v, reply-to %v", to, replyTo)
	}

	// The thanks page says what happens next; reloading it stores nothing.
	before := countEnquiries(t, pool)
	for i := 0; i < 2; i++ {
		_, body := get(t, ts, "/mitgliedschaft/anfrage/danke", http.StatusOK)
		d := doc(t, body)
		if !strings.Contains(d.Find("h1").Text(), "Vielen Dank") || !strings.Contains(d.Find("main").Text(), "Bestätigung") {
			t.Error("thanks page does not say what happens next")
		}
	}
	if got := countEnquiries(t, pool); got != before {
		t.Errorf("reloading the thanks page stored %d enquiries", got-before)
	}
}

func TestEnquiryDoubleSubmitStoresOne(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, clk, _ := enquiryServer(t, pool)
	tok := formToken(t, ts)
	clk.Add(10 * time.Second)
	before := countEnquiries(t, pool)
	// Two clicks at once, then a resend later.
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := post(t, ts, validForm(tok), http.StatusSeeOther)
			if resp.Header.Get("Location") != "/mitgliedschaft/anfrage/danke" {
				t.Errorf("Location = %q", resp.Header.Get("Location"))
			}
		}()
	}
	wg.Wait()
	post(t, ts, validForm(tok), http.StatusSeeOther)
	if got := countEnquiries(t, pool) - before; got != 1 {
		t.Errorf("%d enquiries stored, want 1", got)
	}
	if e := enquiryByKey(t, pool, tokenKey(tok)); e == nil || e.mails != 2 {
		t.Errorf("want one enquiry with 2 mails, got %+v", e)
	}
}

func TestEnquiryValidation(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, clk, _ := enquiryServer(t, pool)
	topics := topicIDs(t, pool)
	long := strings.Repeat("Ä", 10001)
	for _, tc := range []struct {
		name, field, value string
		wantErr            string // field whose error must show
	}{
		{"empty organisation", "organisation", "", "organisation"},
		{"spaces organisation", "organisation", "   \t  ", "organisation"},
		{"long organisation", "organisation", long, "organisation"},
		{"empty contact", "contact_name", "", "contact_name"},
		{"spaces contact", "contact_name", "    ", "contact_name"},
		{"long contact", "contact_name", long, "contact_name"},
		{"long function", "function", long, "function"},
		{"empty email", "email", "", "email"},
		{"spaces email", "email", "   ", "email"},
		{"long email", "email", strings.Repeat("a", 10000) + "@example.org", "email"},
		{"long phone", "phone", strings.Repeat("1", 10000), "phone"},
		{"letters phone", "phone", "0511 abc", "phone"},
		{"script phone", "phone", "<script>alert(1)</script>", "phone"},
		{"empty message", "message", "", "message"},
		{"spaces message", "message", " \r\n  \n ", "message"},
		{"long message", "message", strings.Repeat("x", 5001), "message"},
		{"10000 message", "message", long, "message"},
		{"long heard", "heard_from", long, "heard_from"},
		{"no consent", "consent", "", "consent"},
		{"unknown state", "state", "Atlantis", "state"},
		{"script state", "state", "<script>alert(1)</script>", "state"},
		{"unknown kind", "kind", "kingdom", "kind"},
		{"population words", "population", "viele", "population"},
		{"population negative", "population", "-5", "population"},
		{"population zero", "population", "0", "population"},
		{"population huge", "population", strings.Repeat("9", 10000), "population"},
		{"population sql", "population", "1; DROP TABLE enquiries", "population"},
		{"forged topic", "topics", "999999", "topics"},
		{"topic words", "topics", "drogen", "topics"},
		{"topic sql", "topics", "1 OR 1=1", "topics"},
		{"control contact", "contact_name", "Max\x1bMuster", "contact_name"},
		{"bidi override organisation", "organisation", "Stadt \u202enlöK", "organisation"},
		{"zero-width contact", "contact_name", "Max\u200bMuster", "contact_name"},
		{"bidi isolate message", "message", "Hallo \u2066Welt", "message"},
		{"control message", "message", "Hallo\x07", "message"},
		{"umlaut before the at", "email", "müller@stadt.de", "email"},
		// Invalid UTF-8 and NUL are refused before the form: TestHostileRequests.
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := formToken(t, ts)
			clk.Add(10 * time.Second)
			v := validForm(tok, topics[1])
			v.Set("organisation", "Stadt "+tc.name)
			v[tc.field] = []string{tc.value}
			if tc.field == "topics" {
				v["topics"] = []string{topics[1], tc.value}
			}
			_, body := post(t, ts, v, http.StatusUnprocessableEntity)
			checkFormError(t, body, tc.wantErr, topics[1])
			if e := enquiryByKey(t, pool, tokenKey(tok)); e != nil {
				t.Errorf("invalid enquiry stored: %+v", e)
			}
			if strings.ContainsRune(body, 0) || strings.Contains(body, "\xff") || strings.Contains(body, "<script>alert") {
				t.Error("page echoes raw bytes or unescaped script")
			}
		})
	}
}

// checkFormError checks a 422 page: summary linking to the field, message
// tied to the control, and what was typed kept, the ticked topic too.
func checkFormError(t *testing.T, body, field, tickedTopic string) {
	t.Helper()
	d := doc(t, body)
	summary := d.Find(`section.error-summary[tabindex="-1"]`)
	if summary.Length() != 1 || !strings.Contains(summary.Find("h2").Text(), "Bitte korrigieren Sie folgende Angaben") {
		t.Fatalf("no error summary")
	}
	if !strings.HasPrefix(d.Find("title").Text(), "Fehler:") {
		t.Errorf("title %q does not start with Fehler:", d.Find("title").Text())
	}
	id := field
	if field == "topics" {
		id = d.Find(`input[name=topics]`).First().AttrOr("id", "")
	}
	if summary.Find(`a[href="#`+id+`"]`).Length() != 1 {
		t.Errorf("summary has no link to #%s: %s", id, summary.Text())
	}
	msg := d.Find("#" + field + "-error")
	if msg.Length() != 1 || strings.TrimSpace(msg.Text()) == "" {
		t.Fatalf("no message #%s-error", field)
	}
	ctl := d.Find("#" + id)
	if field == "topics" {
		if ctl.AttrOr("aria-invalid", "") != "true" || !strings.Contains(d.Find("fieldset.checkbox-group").AttrOr("aria-describedby", ""), "topics-error") {
			t.Error("topic boxes are not marked invalid and described by the message")
		}
	} else if ctl.AttrOr("aria-invalid", "") != "true" || !strings.Contains(ctl.AttrOr("aria-describedby", ""), field+"-error") {
		t.Errorf("#%s: aria-invalid=%q aria-describedby=%q", id, ctl.AttrOr("aria-invalid", ""), ctl.AttrOr("aria-describedby", ""))
	}
	if got := d.Find(`input[name=topics][value="`+tickedTopic+`"]`).AttrOr("checked", "none"); got == "none" {
		t.Error("ticked topic not kept")
	}
	if field != "consent" && d.Find(`#consent[checked]`).Length() != 1 {
		t.Error("consent tick not kept")
	}
	if field != "contact_name" && d.Find(`#contact_name`).AttrOr("value", "") != "Jürgen Weiß" {
		t.Error("typed contact name not kept")
	}
	if field != "message" && !strings.Contains(d.Find(`#message`).Text(), "Grüße aus Thüringen") {
		t.Error("typed message not kept")
	}
	if d.Find(`input[name=token]`).AttrOr("value", "") == "" {
		t.Error("token lost")
	}
}

func TestEnquiryAlmostValidEmails(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, clk, _ := enquiryServer(t, pool)
	for _, addr := range []string{"name@example", "name@@example.org", "name@example..org", "name @example.org",
		"name@example.org.", "Name <name@example.org>", ".name@example.org", "name.@example.org", "na..me@example.org",
		"name@.example.org", "name@-example.org", "name@example-.org", "name@example.o", "name@example.123",
		"name@[127.0.0.1]", "name@example,org", "name example.org", "name@exa mple.org", "\"name\"@example.org",
		"name@example.org>", "<name@example.org>", "name@ex_ample.org", "name@example.org;other@example.org"} {
		t.Run(addr, func(t *testing.T) {
			tok := formToken(t, ts)
			clk.Add(10 * time.Second)
			v := validForm(tok)
			v.Set("email", addr)
			_, body := post(t, ts, v, http.StatusUnprocessableEntity)
			d := doc(t, body)
			if d.Find("#email-error").Length() != 1 {
				t.Error("no e-mail error")
			}
			if got := d.Find("#email").AttrOr("value", ""); got != strings.TrimSpace(addr) {
				t.Errorf("typed address not kept: %q", got)
			}
		})
	}
	for _, addr := range []string{"name@example.org", "vorname.nachname+anfrage@stadt-köln.de", "info@münchen.de", "A.B@sub.example.museum"} {
		t.Run("valid "+addr, func(t *testing.T) {
			tok := formToken(t, ts)
			clk.Add(10 * time.Second)
			v := validForm(tok)
			v.Set("email", addr)
			post(t, ts, v, http.StatusSeeOther)
		})
	}
}

func TestEnquiryKeepsTextExactlyAndEscapes(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, clk, _ := enquiryServer(t, pool)
	for name, text := range map[string]string{
		"script":  `<script>alert("x")</script><b>fett</b> & <img src=x onerror=alert(1)>`,
		"sql":     `Robert'); DROP TABLE enquiries;-- " OR 1=1 --`,
		"umlauts": "Größenwahn Übermaß Ärger ß ẞ é 😀👍🏽 مرحبا بالعالم שלום",
	} {
		t.Run(name, func(t *testing.T) {
			tok := formToken(t, ts)
			clk.Add(10 * time.Second)
			v := validForm(tok)
			for _, f := range []string{"organisation", "contact_name", "function", "heard_from"} {
				v.Set(f, text)
			}
			v.Set("message", text+"\n"+text)
			post(t, ts, v, http.StatusSeeOther)
			e := enquiryByKey(t, pool, tokenKey(tok))
			if e == nil {
				t.Fatal("not stored")
			}
			if e.organisation != text || e.contact != text || e.function != text || e.heard != text || e.message != text+"\n"+text {
				t.Errorf("text changed on the way: %+v", e)
			}
			// Shown again (escaped) when another field is wrong.
			tok = formToken(t, ts)
			clk.Add(10 * time.Second)
			v.Set("token", tok)
			v.Set("email", "kaputt")
			_, body := post(t, ts, v, http.StatusUnprocessableEntity)
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, "<b>fett") {
				t.Error("typed HTML rendered unescaped")
			}
			if got := doc(t, body).Find("#organisation").AttrOr("value", ""); got != text {
				t.Errorf("organisation shown as %q, want %q", got, text)
			}
		})
	}
}

func TestEnquirySpamIsStoredNotMailed(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, clk, _ := enquiryServer(t, pool)
	for _, tc := range []struct {
		name   string
		change func(v url.Values)
		wait   time.Duration
		reason string
	}{
		{"honeypot", func(v url.Values) { v.Set("website", "https://spam.example") }, 10 * time.Second, "leer"},
		{"too fast", func(v url.Values) {}, time.Second, "schneller"},
		{"forged token", func(v url.Values) {
			p := strings.Split(v.Get("token"), ".")
			v.Set("token", "1000."+p[1]+"."+p[2])
		}, 10 * time.Second, "Kennung"},
		{"missing token", func(v url.Values) { v.Del("token") }, 10 * time.Second, "Kennung"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := formToken(t, ts)
			clk.Add(tc.wait)
			v := validForm(tok)
			v.Set("organisation", "Spamtest "+tc.name)
			tc.change(v)
			resp, _ := post(t, ts, v, http.StatusSeeOther)
			if resp.Header.Get("Location") != "/mitgliedschaft/anfrage/danke" {
				t.Errorf("spam sender not sent to the thanks page")
			}
			var status, reason string
			var mails int
			var closed *time.Time
			err := pool.QueryRow(context.Background(), `
SELECT status, spam_reason, closed_at, (SELECT count(*) FROM mails WHERE enquiry_id = e.id)
FROM enquiries e WHERE organisation = $1`, "Spamtest "+tc.name).Scan(&status, &reason, &closed, &mails)
			if err != nil {
				t.Fatalf("spam not stored: %v", err)
			}
			if status != "spam" || !strings.Contains(reason, tc.reason) || closed == nil || mails != 0 {
				t.Errorf("status %q reason %q closed %v mails %d", status, reason, closed, mails)
			}
		})
	}
}

func TestEnquiryRateLimit(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, clk, srv := enquiryServer(t, pool)
	srv.SetEnquiryLimits(3*time.Second, 3, 10*time.Minute)
	v := validForm("x")
	v.Set("email", "falsch")
	for i := 0; i < 3; i++ {
		post(t, ts, v, http.StatusUnprocessableEntity)
	}
	resp, body := post(t, ts, v, http.StatusTooManyRequests)
	d := doc(t, body)
	if !strings.Contains(d.Find("h1").Text(), "Zu viele Anfragen") || resp.Header.Get("Retry-After") != "600" {
		t.Errorf("429 page: h1 %q, Retry-After %q", d.Find("h1").Text(), resp.Header.Get("Retry-After"))
	}
	// The count lives in the database: a second instance on it (or the
	// same one after a restart) refuses the client as well.
	other := startSite(t, pool, siteOptions{now: clk.Now, noSessions: true, configure: func(s *server.Server) {
		s.SetEnquiryLimits(3*time.Second, 3, 10*time.Minute)
	}})
	post(t, other, v, http.StatusTooManyRequests)
	clk.Add(11 * time.Minute)
	post(t, ts, v, http.StatusUnprocessableEntity)
	// The limit is not written anywhere: no IP address in any enquiry column.
	var n int
	pool.QueryRow(context.Background(), `SELECT count(*) FROM enquiries e WHERE e::text LIKE '%127.0.0.1%'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d enquiries contain the client address", n)
	}
}

func TestEnquiryBodyLimitAndCrossSite(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, _, _ := enquiryServer(t, pool)
	// Declared too large: refused before reading.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/mitgliedschaft/anfrage", strings.NewReader("x"))
	req.ContentLength = 65<<10 + 1
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("declared 65 KB: status %d, want 413", resp.StatusCode)
		}
	}
	// Streamed without a length: refused once 64 KB are read.
	big := validForm("x")
	big.Set("message", strings.Repeat("a", 70<<10))
	req, _ = http.NewRequest(http.MethodPost, ts.URL+"/mitgliedschaft/anfrage", struct{ *strings.Reader }{strings.NewReader(big.Encode())})
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, body := request(t, req, http.StatusRequestEntityTooLarge)
	if !strings.Contains(body, "zu umfangreich") {
		t.Error("413 page is not the German one")
	}
	// Under the limit with 10,000 characters in a field: 422, not 413.
	ok := validForm("x")
	ok.Set("message", strings.Repeat("ü", 10000))
	post(t, ts, ok, http.StatusUnprocessableEntity)
	// Cross-site.
	req, _ = http.NewRequest(http.MethodPost, ts.URL+"/mitgliedschaft/anfrage", strings.NewReader(validForm("x").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	request(t, req, http.StatusForbidden)
	// Not a form at all.
	req, _ = http.NewRequest(http.MethodPost, ts.URL+"/mitgliedschaft/anfrage", strings.NewReader("%zz=%"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	request(t, req, http.StatusBadRequest)
}

func TestEnquiryConcurrentSubmissions(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts, clk, _ := enquiryServer(t, pool)
	toks := make([]string, 50)
	for i := range toks {
		toks[i] = formToken(t, ts)
	}
	clk.Add(time.Minute)
	var before, mailsBefore int
	pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM enquiries), (SELECT count(*) FROM mails)`).Scan(&before, &mailsBefore)
	var wg sync.WaitGroup
	for i, tok := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := validForm(tok)
			v.Set("organisation", fmt.Sprintf("Gleichzeitig %d", i))
			post(t, ts, v, http.StatusSeeOther)
		}()
	}
	wg.Wait()
	var after, mailsAfter int
	pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM enquiries), (SELECT count(*) FROM mails)`).Scan(&after, &mailsAfter)
	if after-before != 50 || mailsAfter-mailsBefore != 100 {
		t.Errorf("%d enquiries and %d mails, want 50 and 100", after-before, mailsAfter-mailsBefore)
	}
}
