package server_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/defus"
)

// Characters the hostile requests carry, raw for forms and escaped for URLs.
const (
	nul         = "\x00"
	badUTF8     = "\xff\xfe"
	rlo         = "\u202e" // right-to-left override: "Stadt \u202eretsuM" shows as "Stadt Muster"
	zeroWidth   = "\u200b"
	hiddenMsg   = "unsichtbare Zeichen oder Steuerzeichen"
	umlautLocal = "ohne Umlaute vor dem @"
)

// hostile is one request the portal must answer without a 500 and without
// storing anything.
type hostile struct {
	name   string
	base   string // server URL
	cookie *http.Cookie
	method string
	path   string // as sent, percent-encoded
	form   url.Values
	body   func() (*bytes.Buffer, string) // a multipart body and its content type, instead of form
	want   int
	// For 422: the control whose German message must stand beside it, and
	// a part of that message.
	field, message string
}

// formCase is a form of the portal with the single-line and multi-line text
// fields a person types into, by form field name and control id.
type formCase struct {
	name, path string
	base       string
	cookie     *http.Cookie
	form       func() url.Values
	single     map[string]string // field → control id
	multi      map[string]string
}

// dbFingerprint is a digest of every table the portal stores content in
// (not sessions and the audit log, which logging in changes).
func dbFingerprint(tb testing.TB, pool *pgxpool.Pool) map[string]string {
	tb.Helper()
	out := map[string]string{}
	for _, table := range []string{"association", "enquiries", "enquiry_notes", "enquiry_topics", "event_topics", "events",
		"mails", "media", "member_contacts", "member_topics", "members", "pages", "privacy_notices", "topics", "users"} {
		var sum string
		q := fmt.Sprintf(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM %s t`, table)
		if err := pool.QueryRow(context.Background(), q).Scan(&sum); err != nil {
			tb.Fatal(err)
		}
		out[table] = sum
	}
	return out
}

// TestHostileRequests sends what an attacker or a broken client sends: NUL,
// invalid UTF-8, control characters, bidi overrides and zero-width
// characters in paths, query parameters of every list and filter, and in
// every text field of the public and admin forms. Each is answered with
// 404 (path), 400 (query, or bytes no browser sends in a form) or 422 with
// the German message beside the field; never a 500, and nothing is stored.
func TestHostileRequests(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	pool := seededPool(t)
	es, clk, _ := enquiryServer(t, pool) // without the enquiry rate limit
	ctx := context.Background()
	addAccount(t, st, "anna@defus.example", "Anna Admin", defus.RoleAdmin)
	c := login(t, ts, "anna@defus.example")
	enq := addEnquiry(t, st, time.Hour, defus.Enquiry{})
	resp, _ := upload(t, ts, c, "logo.png", pngFile(t, 20, 10), "Logo", "", http.StatusSeeOther)
	mediaPath := resp.Header.Get("Location")
	t.Cleanup(func() {
		pool.Exec(ctx, `DELETE FROM media WHERE created_by IS NOT NULL`)
		pool.Exec(ctx, `DELETE FROM enquiries WHERE id = $1`, enq.ID)
	})
	koeln := memberID(t, pool, "koeln")
	assocVersion := formVersion(t, ts, c, "/admin/verein")
	mediaVersion := formVersion(t, ts, c, mediaPath)
	tok := formToken(t, es)
	clk.Add(10 * time.Second)

	var cases []hostile
	get := func(path string, cookie *http.Cookie, want int) {
		cases = append(cases, hostile{name: "GET " + path, base: ts.URL, cookie: cookie, method: http.MethodGet, path: path, want: want})
	}

	// Paths: no page has such an address.
	for _, p := range []string{"/mitglieder/%00", "/mitglieder/%FF%FE", "/termine/%FF%FE", "/termine/%00.ics", "/themen/%00",
		"/%00", "/ueber-uns%00", "/medien/1/%00.png", "/termine/kalender/2026/%00", "/mitglieder/k%C3%B6ln%E2%80%AE",
		"/themen/a%1Bb", "/termine/%E2%80%8B", "/mitglieder/a%09b"} {
		get(p, nil, http.StatusNotFound)
	}
	for _, p := range []string{"/admin/mitglieder/%00", "/admin/anfragen/%FF%FE", "/admin/termine/%00/kopie", "/admin/medien/1%E2%80%AE"} {
		get(p, c, http.StatusNotFound)
	}
	// Query parameters of every public list and feed.
	for _, p := range []string{"/mitglieder?art=%00", "/mitglieder?land=%FF%FE", "/mitglieder?%00=stadt",
		"/termine?art=%00", "/termine?thema=%FF%FE", "/termine?gastgeber=%00", "/termine?monat=%E2%80%AE",
		"/termine/archiv?jahr=%00", "/termine/archiv?thema=%FF", "/termine.ics?thema=%00", "/termine.ics?art=%FF%FE",
		"/termine/kalender/2026/11?art=%00", "/?x=%00", "/mitgliedschaft/anfrage?x=%FF", "/themen?x=%E2%80%8B"} {
		get(p, nil, http.StatusBadRequest)
	}
	get("/admin/login?next=%00", nil, http.StatusBadRequest)
	// Every admin list and filter.
	for _, p := range []string{
		"/admin/?x=%E2%80%AE",
		"/admin/anfragen?q=%00", "/admin/anfragen?q=%FF%FE", "/admin/anfragen?q=M%C3%BC%E2%80%AEller", "/admin/anfragen?q=a%E2%80%8Bb",
		"/admin/anfragen?q=a%09b", "/admin/anfragen?status=%00", "/admin/anfragen?seite=%FF",
		"/admin/anfragen/export.csv?q=%00", "/admin/anfragen/export.csv?q=%FF%FE", "/admin/anfragen/export.csv?status=%E2%80%AE",
		"/admin/protokoll?person=%00", "/admin/protokoll?bereich=%00", "/admin/protokoll?bereich=%FF%FE",
		"/admin/protokoll?bereich=member&id=%00", "/admin/protokoll?von=%00", "/admin/protokoll?bis=%FF",
		"/admin/mitglieder?q=%00", "/admin/mitglieder?art=%00", "/admin/mitglieder?land=%FF%FE", "/admin/mitglieder?status=%00",
		"/admin/mitglieder?seite=%E2%80%AE",
		"/admin/termine?q=%00", "/admin/termine?zeit=%00", "/admin/termine?art=%FF", "/admin/termine?status=%00",
		"/admin/seiten?q=%00", "/admin/seiten?status=%FF",
		"/admin/themen?q=%00", "/admin/themen?verschoben=%00&richtung=%FF",
		"/admin/medien?q=%00", "/admin/medien?art=%FF%FE",
		"/admin/benutzer?q=%00",
	} {
		get(p, c, http.StatusBadRequest)
	}
	// Good text in the same places still works: the edge refuses bytes, not umlauts.
	for _, p := range []string{"/admin/anfragen?q=M%C3%BCller", "/admin/protokoll?bereich=member", "/admin/medien?q=stra%C3%9Fe"} {
		get(p, c, http.StatusOK)
	}
	get("/termine?monat=2026-12&thema=gr%C3%BC%C3%9Fe", nil, http.StatusOK)

	// Forms: each text field with NUL and invalid UTF-8 (400) and with a
	// bidi override or zero-width space (422 beside the field).
	forms := []formCase{
		{name: "enquiry", base: es.URL, path: "/mitgliedschaft/anfrage",
			form:   func() url.Values { return validForm(tok) },
			single: map[string]string{"organisation": "organisation", "contact_name": "contact_name", "function": "function", "email": "email", "phone": "phone", "heard_from": "heard_from"},
			multi:  map[string]string{"message": "message"}},
		{name: "member", path: "/admin/mitglieder", form: func() url.Values { return memberFormValues("Feindlich") },
			single: map[string]string{"name": "member-name", "short_name": "member-short-name", "website": "member-website"},
			multi:  map[string]string{"description": "member-description"}},
		{name: "contact", path: fmt.Sprintf("/admin/mitglieder/%s/ansprechpersonen", koeln),
			form: func() url.Values {
				return url.Values{"name": {"Anna Muster"}, "function": {"Leitung"}, "email": {"anna@stadt.de"}, "phone": {"0221 12345"}, "version": {"0"}}
			},
			single: map[string]string{"name": "contact-name", "function": "contact-function", "email": "contact-email", "phone": "contact-phone"}},
		{name: "event", path: "/admin/termine", form: func() url.Values { return eventForm(nil) },
			single: map[string]string{"title": "event-title", "place_name": "event-place-name", "street": "event-street", "postcode": "event-postcode",
				"city": "event-city", "partners": "event-partners", "summary": "event-summary"},
			multi: map[string]string{"description": "event-description", "registration_note": "event-registration-note"}},
		{name: "topic", path: "/admin/themen", form: func() url.Values { return topicForm("Feindliches Thema", "", "Text", false, false, 0) },
			single: map[string]string{"title": "topic-title", "summary": "topic-summary"},
			multi:  map[string]string{"description": "topic-description"}},
		{name: "page", path: "/admin/seiten", form: func() url.Values { return pageForm("Feindliche Seite", "", "Text", false, 0) },
			single: map[string]string{"title": "page-title", "summary": "page-summary"},
			multi:  map[string]string{"body": "page-body"}},
		{name: "association", path: "/admin/verein", form: func() url.Values { return associationValues(assocVersion) },
			single: map[string]string{"name": "association-name", "short_name": "association-short_name", "founded_place": "association-founded_place",
				"street": "association-street", "postcode": "association-postcode", "city": "association-city", "phone": "association-phone",
				"email": "association-email"}},
		{name: "user", path: "/admin/benutzer",
			form: func() url.Values {
				return url.Values{"email": {"neu@defus.example"}, "name": {"Neue Person"}, "role": {"editor"}, "member": {""}, "password": {""}}
			},
			single: map[string]string{"name": "user-name", "email": "user-email"}},
		{name: "media", path: mediaPath, form: func() url.Values {
			return url.Values{"alt_text": {"Logo"}, "name": {"logo"}, "version": {mediaVersion}}
		},
			single: map[string]string{"alt_text": "media-alt", "name": "media-name"}},
		{name: "note", path: fmt.Sprintf("/admin/anfragen/%d/notizen", enq.ID), form: func() url.Values { return url.Values{"body": {"Notiz"}} },
			multi: map[string]string{"body": "note-body"}},
		{name: "subject access", path: "/admin/anfragen/auskunft", form: func() url.Values { return url.Values{"email": {"frau@stadt.de"}} },
			single: map[string]string{"email": "access-email"}},
	}
	for i := range forms {
		if forms[i].base == "" { // the admin site, logged in
			forms[i].base, forms[i].cookie = ts.URL, c
		}
	}
	for _, f := range forms {
		add := func(field, variant string, v string, want int, id, msg string) {
			form := f.form()
			form.Set(field, v)
			cases = append(cases, hostile{name: f.name + " " + field + " " + variant, base: f.base, cookie: f.cookie, method: http.MethodPost,
				path: f.path, form: form, want: want, field: id, message: msg})
		}
		for field, id := range f.single {
			good := f.form().Get(field)
			add(field, "nul", good[:1]+nul+good[1:], http.StatusBadRequest, "", "")
			add(field, "invalid utf-8", good+badUTF8, http.StatusBadRequest, "", "")
			msg := hiddenMsg
			if f.name == "subject access" {
				msg = "gültige E-Mail-Adresse" // a lookup, not stored: any address that is none
			}
			add(field, "bidi override", good[:1]+rlo+good[1:], http.StatusUnprocessableEntity, id, msg)
			add(field, "zero-width space", good[:1]+zeroWidth+good[1:], http.StatusUnprocessableEntity, id, msg)
			add(field, "escape", good[:1]+"\x1b"+good[1:], http.StatusUnprocessableEntity, id, msg)
		}
		for field, id := range f.multi {
			good := f.form().Get(field)
			add(field, "nul", good+"\n"+nul, http.StatusBadRequest, "", "")
			add(field, "invalid utf-8", good+"\n"+badUTF8, http.StatusBadRequest, "", "")
			add(field, "bidi override", good+"\n"+rlo+"x", http.StatusUnprocessableEntity, id, hiddenMsg)
		}
	}
	// E-mail addresses with an umlaut before the @ are refused where they
	// are stored; after the @ they are fine (see the mailer's tests).
	for _, f := range forms {
		if id, ok := f.single["email"]; ok && f.name != "subject access" {
			form := f.form()
			form.Set("email", "müller@stadt.de")
			cases = append(cases, hostile{name: f.name + " email umlaut before the at", base: f.base, cookie: f.cookie, method: http.MethodPost,
				path: f.path, form: form, want: http.StatusUnprocessableEntity, field: id, message: umlautLocal})
		}
	}
	// The login form.
	for name, form := range map[string]url.Values{
		"nul email":             {"email": {"anna@defus.example" + nul}, "password": {testPassword}},
		"invalid utf-8 email":   {"email": {"anna@defus.ex" + badUTF8}, "password": {testPassword}},
		"nul password":          {"email": {"anna@defus.example"}, "password": {testPassword + nul}},
		"invalid utf-8 next":    {"email": {"anna@defus.example"}, "password": {testPassword}, "next": {"/admin/" + badUTF8}},
		"nul in a field's name": {"email": {"anna@defus.example"}, "pass" + nul + "word": {testPassword}},
	} {
		cases = append(cases, hostile{name: "login " + name, base: ts.URL, method: http.MethodPost, path: "/admin/login", form: form, want: http.StatusBadRequest})
	}
	cases = append(cases, hostile{name: "login bidi email", base: ts.URL, method: http.MethodPost, path: "/admin/login",
		form: url.Values{"email": {"anna" + rlo + "@defus.example"}, "password": {testPassword}}, want: http.StatusUnprocessableEntity})
	// Multipart forms: text fields and file names, on the streamed upload
	// and on a form that is read before its handler.
	multi := func(fields map[string]string, fileName string) func() (*bytes.Buffer, string) {
		return func() (*bytes.Buffer, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			if fileName != "" {
				h := textproto.MIMEHeader{}
				h.Set("Content-Disposition", `form-data; name="file"; filename="`+fileName+`"`)
				h.Set("Content-Type", "application/octet-stream")
				fw, _ := mw.CreatePart(h)
				fw.Write(pngFile(t, 4, 4))
			}
			for k, v := range fields {
				mw.WriteField(k, v)
			}
			mw.Close()
			return &buf, mw.FormDataContentType()
		}
	}
	for _, tc := range []struct {
		name     string
		path     string
		fields   map[string]string
		fileName string
		want     int
		field    string
	}{
		{"upload alt text nul", "/admin/medien", map[string]string{"alt_text": "Lo" + nul + "go", "name": ""}, "bild.png", http.StatusBadRequest, ""},
		{"upload name invalid utf-8", "/admin/medien", map[string]string{"alt_text": "Logo", "name": "bild" + badUTF8}, "bild.png", http.StatusBadRequest, ""},
		{"upload file name nul", "/admin/medien", map[string]string{"alt_text": "Logo", "name": ""}, "bi" + nul + "ld.png", http.StatusBadRequest, ""},
		{"upload file name invalid utf-8", "/admin/medien", map[string]string{"alt_text": "Logo", "name": ""}, "bild" + badUTF8 + ".png", http.StatusBadRequest, ""},
		{"upload file name escape", "/admin/medien", map[string]string{"alt_text": "Logo", "name": ""}, "bild\x1b.png", http.StatusBadRequest, ""},
		{"upload alt text bidi", "/admin/medien", map[string]string{"alt_text": "Lo" + rlo + "go", "name": ""}, "bild.png", http.StatusUnprocessableEntity, "media-alt"},
		{"upload name zero-width", "/admin/medien", map[string]string{"alt_text": "Logo", "name": "bi" + zeroWidth + "ld"}, "bild.png", http.StatusUnprocessableEntity, "media-name"},
		{"multipart topic title nul", "/admin/themen", map[string]string{"title": "Th" + nul + "ema", "version": "0"}, "", http.StatusBadRequest, ""},
		{"multipart page title invalid utf-8", "/admin/seiten", map[string]string{"title": "Seite" + badUTF8, "version": "0"}, "", http.StatusBadRequest, ""},
		{"multipart page with a file named nul", "/admin/seiten", map[string]string{"title": "Seite", "version": "0"}, "a" + nul + ".png", http.StatusBadRequest, ""},
		{"multipart topic title bidi", "/admin/themen", map[string]string{"title": "Th" + rlo + "ema", "version": "0"}, "", http.StatusUnprocessableEntity, "topic-title"},
		// A binary file part (a PNG has NUL bytes) is no reason to refuse a form.
		{"multipart topic with a binary file", "/admin/themen", map[string]string{"title": "", "version": "0"}, "bild.png", http.StatusUnprocessableEntity, "topic-title"},
	} {
		msg := hiddenMsg
		if title, ok := tc.fields["title"]; ok && title == "" {
			msg = "Bitte geben Sie einen Titel an."
		}
		cases = append(cases, hostile{name: tc.name, base: ts.URL, cookie: c, method: http.MethodPost, path: tc.path,
			body: multi(tc.fields, tc.fileName), want: tc.want, field: tc.field, message: msg})
	}

	before := dbFingerprint(t, pool)
	for _, h := range cases {
		t.Run(h.name, func(t *testing.T) {
			req, err := http.NewRequest(h.method, h.base+h.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case h.body != nil:
				body, ct := h.body()
				req, _ = http.NewRequest(h.method, h.base+h.path, body)
				req.Header.Set("Content-Type", ct)
			case h.form != nil:
				req, _ = http.NewRequest(h.method, h.base+h.path, strings.NewReader(h.form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if h.cookie != nil {
				req.AddCookie(h.cookie)
			}
			_, body := request(t, req, h.want)
			d := doc(t, body)
			if d.Find(`html[lang="de"]`).Length() != 1 {
				t.Error("not a German page")
			}
			switch h.want {
			case http.StatusNotFound:
				if got := d.Find("h1").Text(); !strings.Contains(got, "Seite nicht gefunden") {
					t.Errorf("404 page says %q", got)
				}
			case http.StatusBadRequest:
				if got := d.Find("h1").Text(); !strings.Contains(got, "Ungültige Anfrage") {
					t.Errorf("400 page says %q", got)
				}
			case http.StatusUnprocessableEntity:
				if h.field != "" {
					checkFieldError(t, d, h.field, h.message)
				}
			}
			if strings.ContainsRune(body, 0) || strings.Contains(body, badUTF8) || strings.Contains(body, rlo) {
				t.Error("the page echoes the raw bytes")
			}
		})
	}
	after := dbFingerprint(t, pool)
	for table, sum := range before {
		if after[table] != sum {
			t.Errorf("table %s changed", table)
		}
	}
}
