package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
)

func TestPublicSiteSetsNoCookie(t *testing.T) {
	t.Parallel()
	ts := newServer(t, seededPool(t))
	for _, path := range []string{"/", "/mitglieder", "/themen", "/datenschutz", "/gibt-es-nicht"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Values("Set-Cookie"); len(got) > 0 {
			t.Errorf("%s sets cookies: %v", path, got)
		}
	}
}

func TestLoginAndLogout(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	u := addAccount(t, st, "Anna@defus.de", "Anna Admin", defus.RoleAdmin)

	_, body := send(t, ts, http.MethodGet, "/admin/login", nil, nil, http.StatusOK)
	d := doc(t, body)
	if d.Find(`meta[name=robots][content*=noindex]`).Length() == 0 {
		t.Error("login page is not noindex")
	}
	if d.Find(`form[action="/admin/login"] input[name=email]`).Length() == 0 {
		t.Error("no login form")
	}

	// Unknown address and wrong password: the same message.
	_, unknown := send(t, ts, http.MethodPost, "/admin/login", nil,
		url.Values{"email": {"niemand@defus.de"}, "password": {testPassword}}, http.StatusUnprocessableEntity)
	_, wrong := send(t, ts, http.MethodPost, "/admin/login", nil,
		url.Values{"email": {"anna@defus.de"}, "password": {"falsches-passwort-1"}}, http.StatusUnprocessableEntity)
	msgU, msgW := doc(t, unknown).Find("#login-error").Text(), doc(t, wrong).Find("#login-error").Text()
	if msgU == "" || msgU != msgW {
		t.Errorf("messages differ: unknown %q, wrong %q", msgU, msgW)
	}
	if v, _ := doc(t, wrong).Find("#login-email").Attr("value"); v != "anna@defus.de" {
		t.Errorf("typed e-mail not kept: %q", v)
	}

	resp, _ := send(t, ts, http.MethodPost, "/admin/login", nil,
		url.Values{"email": {"ANNA@defus.de"}, "password": {testPassword}}, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin" {
		t.Errorf("after login: Location %q, want /admin", loc)
	}
	c := sessionCookie(resp)
	if c == nil || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie = %+v, want HttpOnly, Secure, SameSite=Lax", c)
	}

	_, body = send(t, ts, http.MethodGet, "/admin", c, nil, http.StatusOK)
	d = doc(t, body)
	if !strings.Contains(d.Find(".admin-user").Text(), "Anna Admin") {
		t.Error("dashboard does not name the logged-in user")
	}
	if d.Find(`form[action="/admin/logout"][method=post] button`).Length() != 1 {
		t.Error("no logout button")
	}
	if !strings.Contains(d.Find("ul.recent-changes").Text(), "Benutzerkonto") {
		t.Error("recent changes do not show the account's creation")
	}

	resp, _ = send(t, ts, http.MethodPost, "/admin/logout", c, url.Values{}, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/login") {
		t.Errorf("after logout: Location %q", loc)
	}
	// The cookie from before logout is dead.
	resp, _ = send(t, ts, http.MethodGet, "/admin", c, nil, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/login" {
		t.Errorf("old session: Location %q, want the login page", loc)
	}

	entries, _, err := st.FindAuditEntries(context.Background(), defus.AuditFilter{Entity: defus.EntityUser, EntityID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, string(e.Action))
	}
	// The test clock is fixed, the account's creation used the database's
	// clock: compare without order.
	slices.Sort(actions)
	if got, want := strings.Join(actions, " "), "create login login_failed logout"; got != want {
		t.Errorf("audit actions = %q, want %q", got, want)
	}
}

func TestLoginRenewsTheSessionToken(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	before := login(t, ts, "a@defus.de")
	resp, _ := send(t, ts, http.MethodPost, "/admin/login", before,
		url.Values{"email": {"a@defus.de"}, "password": {testPassword}}, http.StatusSeeOther)
	after := sessionCookie(resp)
	if after == nil || after.Value == before.Value {
		t.Fatalf("token not renewed at login: %v", after)
	}
	send(t, ts, http.MethodGet, "/admin", before, nil, http.StatusSeeOther)
	send(t, ts, http.MethodGet, "/admin", after, nil, http.StatusOK)
}

func TestLoginNextStaysOnTheSite(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	for next, want := range map[string]string{
		"/admin/protokoll?person=1": "/admin/protokoll?person=1",
		"/mitglieder":               "/mitglieder",
		"https://evil.example":      "/admin",
		"//evil.example":            "/admin",
		`/\evil.example`:            "/admin",
		"/%2F%2Fevil.example":       "/admin",
		"/%5Cevil.example":          "/admin",
		"%2F%2Fevil.example":        "/admin",
		"http:/evil.example":        "/admin",
		"javascript:alert(1)":       "/admin",
		"/admin\r\nX: y":            "/admin",
		"/admin/logout":             "/admin",
		"":                          "/admin",
	} {
		resp, _ := send(t, ts, http.MethodPost, "/admin/login", nil,
			url.Values{"email": {"a@defus.de"}, "password": {testPassword}, "next": {next}}, http.StatusSeeOther)
		if got := resp.Header.Get("Location"); got != want {
			t.Errorf("next=%q: Location %q, want %q", next, got, want)
		}
	}

	// Not logged in: to the login page, with the way back.
	resp, _ := send(t, ts, http.MethodGet, "/admin/protokoll?bereich=user", nil, nil, http.StatusSeeOther)
	if got, want := resp.Header.Get("Location"), "/admin/login?next="+url.QueryEscape("/admin/protokoll?bereich=user"); got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	_, body := send(t, ts, http.MethodGet, "/admin/login?next=https://evil.example", nil, nil, http.StatusOK)
	if v, _ := doc(t, body).Find(`input[name=next]`).Attr("value"); v != "" {
		t.Errorf("login form carries next=%q", v)
	}
}

func TestDisabledAccountLosesAccessAtOnce(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	a := addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	e := addAccount(t, st, "e@defus.de", "E", defus.RoleEditor)
	c := login(t, ts, "e@defus.de")
	if err := st.SetUserDisabled(context.Background(), a.Actor(""), e.ID, 0, true); err != nil {
		t.Fatal(err)
	}
	send(t, ts, http.MethodGet, "/admin", c, nil, http.StatusSeeOther)
	_, body := send(t, ts, http.MethodPost, "/admin/login", nil,
		url.Values{"email": {"e@defus.de"}, "password": {testPassword}}, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "gesperrt") {
		t.Error("disabled account: no German message")
	}
}

func TestRolesInTheAdminArea(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	addAccount(t, st, "e@defus.de", "E", defus.RoleEditor)
	addAccount(t, st, "m@essen.de", "M", defus.RoleMember)
	admin, editor, member := login(t, ts, "a@defus.de"), login(t, ts, "e@defus.de"), login(t, ts, "m@essen.de")

	for _, tc := range []struct {
		who    string
		cookie *http.Cookie
		method string
		path   string
		want   int
	}{
		{"anonymous", nil, "GET", "/admin", http.StatusSeeOther},
		{"anonymous", nil, "GET", "/admin/benutzer", http.StatusSeeOther},
		{"anonymous", nil, "POST", "/admin/benutzer", http.StatusSeeOther},
		{"member", member, "GET", "/admin", http.StatusForbidden},
		{"member", member, "GET", "/admin/protokoll", http.StatusForbidden},
		{"member", member, "GET", "/admin/benutzer", http.StatusForbidden},
		{"editor", editor, "GET", "/admin", http.StatusOK},
		{"editor", editor, "GET", "/admin/protokoll", http.StatusOK},
		{"editor", editor, "GET", "/admin/benutzer", http.StatusForbidden},
		{"editor", editor, "GET", "/admin/benutzer/1", http.StatusForbidden},
		{"editor", editor, "POST", "/admin/benutzer", http.StatusForbidden},
		{"editor", editor, "POST", "/admin/benutzer/1/sperren", http.StatusForbidden},
		{"admin", admin, "GET", "/admin", http.StatusOK},
		{"admin", admin, "GET", "/admin/benutzer", http.StatusOK},
		{"admin", admin, "GET", "/admin/benutzer/neu", http.StatusOK},
		{"admin", admin, "GET", "/admin/protokoll", http.StatusOK},
	} {
		t.Run(tc.who+" "+tc.method+" "+tc.path, func(t *testing.T) {
			var form url.Values
			if tc.method == "POST" {
				form = url.Values{}
			}
			_, body := send(t, ts, tc.method, tc.path, tc.cookie, form, tc.want)
			if tc.want == http.StatusForbidden && !strings.Contains(body, "Kein Zugriff") {
				t.Errorf("403 page not in German:\n%s", body)
			}
		})
	}
	_, body := send(t, ts, http.MethodGet, "/admin", editor, nil, http.StatusOK)
	if doc(t, body).Find(`nav a[href="/admin/benutzer"]`).Length() != 0 {
		t.Error("editor sees the Benutzer link")
	}
}

func TestCrossSitePostsAreRefused(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	c := login(t, ts, "a@defus.de")
	for _, path := range []string{"/admin/login", "/admin/logout", "/admin/benutzer", "/admin/benutzer/1/sperren"} {
		req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader("email=x"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		req.AddCookie(c)
		request(t, req, http.StatusForbidden)
	}
	// Still logged in, nothing changed.
	send(t, ts, http.MethodGet, "/admin", c, nil, http.StatusOK)
}

func TestUnknownUserIsNotFound(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	c := login(t, ts, "a@defus.de")
	for _, path := range []string{"/admin/benutzer/999999", "/admin/benutzer/abc", "/admin/benutzer/-1"} {
		send(t, ts, http.MethodGet, path, c, nil, http.StatusNotFound)
	}
	send(t, ts, http.MethodPost, "/admin/benutzer/999999", c, url.Values{"name": {"X"}}, http.StatusNotFound)
	send(t, ts, http.MethodPost, "/admin/benutzer/999999/sperren", c, url.Values{}, http.StatusNotFound)
	send(t, ts, http.MethodGet, "/admin/gibt-es-nicht", c, nil, http.StatusNotFound)
}

func TestUserCreate(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	c := login(t, ts, "a@defus.de")

	t.Run("bad input keeps what was typed", func(t *testing.T) {
		_, body := send(t, ts, http.MethodPost, "/admin/benutzer", c, url.Values{
			"name": {"Neue <b>Person</b>"}, "email": {"kein-at"}, "role": {"chef"}, "password": {"kurz"},
		}, http.StatusUnprocessableEntity)
		d := doc(t, body)
		if v, _ := d.Find("#user-name").Attr("value"); v != "Neue <b>Person</b>" {
			t.Errorf("name not kept: %q", v)
		}
		for _, id := range []string{"user-email", "user-role", "user-password"} {
			if v, _ := d.Find("#" + id).Attr("aria-invalid"); v != "true" {
				t.Errorf("#%s not marked invalid", id)
			}
			if d.Find(`.error-summary a[href="#`+id+`"]`).Length() != 1 {
				t.Errorf("error summary does not link to #%s", id)
			}
		}
		if got := d.Find("#user-password-error").Text(); !strings.Contains(got, "mindestens 12 Zeichen") {
			t.Errorf("password error = %q", got)
		}
		if v, _ := d.Find("#user-password").Attr("value"); v != "" {
			t.Error("typed password echoed back")
		}
	})

	t.Run("enormous input", func(t *testing.T) {
		_, body := send(t, ts, http.MethodPost, "/admin/benutzer", c, url.Values{
			"name": {strings.Repeat("Ä", 100_000)}, "email": {strings.Repeat("x", 300) + "@defus.de"}, "role": {"editor"},
			"password": {strings.Repeat("p", 2000)},
		}, http.StatusUnprocessableEntity)
		d := doc(t, body)
		for _, id := range []string{"user-name", "user-email", "user-password"} {
			if d.Find("#"+id+"-error").Length() == 0 {
				t.Errorf("no error for #%s", id)
			}
		}
	})

	t.Run("generated password shown once and works", func(t *testing.T) {
		_, body := send(t, ts, http.MethodPost, "/admin/benutzer", c, url.Values{
			"name": {"<script>alert(1)</script>"}, "email": {"Neu@Essen.de"}, "role": {"editor"},
		}, http.StatusOK)
		pw := strings.TrimSpace(doc(t, body).Find(".shown-password code").Text())
		if !regexp.MustCompile(`^[\w]{5}(-[\w]{5}){3}$`).MatchString(pw) {
			t.Fatalf("shown password = %q", pw)
		}
		resp, _ := send(t, ts, http.MethodPost, "/admin/login", nil,
			url.Values{"email": {"neu@essen.de"}, "password": {pw}}, http.StatusSeeOther)
		if sessionCookie(resp) == nil {
			t.Error("no session with the generated password")
		}
		// Script in a name is text on every admin page.
		for _, path := range []string{"/admin", "/admin/benutzer", "/admin/protokoll"} {
			_, body := send(t, ts, http.MethodGet, path, c, nil, http.StatusOK)
			if strings.Contains(body, "<script>alert(1)") {
				t.Errorf("%s renders the name as markup", path)
			}
			if !strings.Contains(doc(t, body).Find("main").Text(), "<script>alert(1)</script>") {
				t.Errorf("%s does not show the name as text", path)
			}
		}
	})

	t.Run("duplicate e-mail", func(t *testing.T) {
		_, body := send(t, ts, http.MethodPost, "/admin/benutzer", c, url.Values{
			"name": {"Doppelt"}, "email": {"A@DEFUS.DE"}, "role": {"editor"}, "password": {"ein-langes-passwort"},
		}, http.StatusUnprocessableEntity)
		if !strings.Contains(doc(t, body).Find("#user-email-error").Text(), "schon") {
			t.Error("no message for a taken e-mail")
		}
	})

	t.Run("typed password", func(t *testing.T) {
		resp, _ := send(t, ts, http.MethodPost, "/admin/benutzer", c, url.Values{
			"name": {"Rep"}, "email": {"rep@essen.de"}, "role": {"member"}, "password": {"ein-langes-passwort"},
		}, http.StatusSeeOther)
		_, body := send(t, ts, http.MethodGet, resp.Header.Get("Location"), c, nil, http.StatusOK)
		if !strings.Contains(doc(t, body).Find(".flash").Text(), "angelegt") {
			t.Error("no flash after creating")
		}
	})
}

func TestUserUpdateRefusesStaleVersion(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	e := addAccount(t, st, "e@defus.de", "Erika", defus.RoleEditor)
	c := login(t, ts, "a@defus.de")
	path := fmt.Sprintf("/admin/benutzer/%d", e.ID)
	form := func(name string) url.Values {
		return url.Values{"name": {name}, "email": {"e@defus.de"}, "role": {"editor"}, "version": {fmt.Sprint(e.Version)}}
	}
	send(t, ts, http.MethodPost, path, c, form("Erika Erste"), http.StatusSeeOther)
	_, body := send(t, ts, http.MethodPost, path, c, form("Erika Zweite"), http.StatusConflict)
	d := doc(t, body)
	if !strings.Contains(d.Find(".error-summary").Text(), "inzwischen geändert") {
		t.Error("no German conflict message")
	}
	if v, _ := d.Find("#user-name").Attr("value"); v != "Erika Zweite" {
		t.Errorf("typed name not kept: %q", v)
	}
	got, _ := st.FindUser(context.Background(), e.ID)
	if got.Name != "Erika Erste" {
		t.Errorf("name = %q; the stale save overwrote", got.Name)
	}
}

func TestLastAdminCannotBeRemoved(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	a := addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	c := login(t, ts, "a@defus.de")
	path := fmt.Sprintf("/admin/benutzer/%d", a.ID)
	_, body := send(t, ts, http.MethodPost, path, c, url.Values{"name": {"A"}, "email": {"a@defus.de"}, "role": {"editor"},
		"version": {fmt.Sprint(a.Version)}}, http.StatusUnprocessableEntity)
	if !strings.Contains(doc(t, body).Find("#user-role-error").Text(), "letzte aktive") {
		t.Error("demoting the last admin: no field error")
	}
	_, body = send(t, ts, http.MethodPost, path+"/sperren", c, url.Values{"version": {fmt.Sprint(a.Version)}}, http.StatusUnprocessableEntity)
	if !strings.Contains(doc(t, body).Find("#disable-error").Text(), "letzte aktive") {
		t.Error("disabling the last admin: no message")
	}
	send(t, ts, http.MethodGet, "/admin/benutzer", c, nil, http.StatusOK)
}

func TestUserDisableEnableAndResetPassword(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	e := addAccount(t, st, "e@defus.de", "E", defus.RoleEditor)
	c := login(t, ts, "a@defus.de")
	path := fmt.Sprintf("/admin/benutzer/%d", e.ID)
	send(t, ts, http.MethodPost, path+"/sperren", c, url.Values{"version": {"1"}}, http.StatusSeeOther)
	send(t, ts, http.MethodPost, path+"/sperren", c, url.Values{"version": {"1"}}, http.StatusConflict)
	send(t, ts, http.MethodPost, path+"/entsperren", c, url.Values{"version": {"2"}}, http.StatusSeeOther)
	ce := login(t, ts, "e@defus.de")
	send(t, ts, http.MethodGet, "/admin", ce, nil, http.StatusOK)

	_, body := send(t, ts, http.MethodPost, path+"/passwort", c, url.Values{"password": {"kurz"}}, http.StatusUnprocessableEntity)
	if doc(t, body).Find("#user-password-error").Length() == 0 {
		t.Error("short password: no field error")
	}
	_, body = send(t, ts, http.MethodPost, path+"/passwort", c, url.Values{}, http.StatusOK)
	pw := strings.TrimSpace(doc(t, body).Find(".shown-password code").Text())
	send(t, ts, http.MethodPost, "/admin/login", nil, url.Values{"email": {"e@defus.de"}, "password": {pw}}, http.StatusSeeOther)
	// E's session from before the reset has ended; the admin's goes on.
	send(t, ts, http.MethodGet, "/admin", ce, nil, http.StatusSeeOther)
	send(t, ts, http.MethodGet, "/admin", c, nil, http.StatusOK)

	// An admin resetting their own password stays logged in.
	a, _ := st.FindUserByEmail(context.Background(), "a@defus.de")
	send(t, ts, http.MethodPost, fmt.Sprintf("/admin/benutzer/%d/passwort", a.ID), c,
		url.Values{"password": {"mein-neues-passwort"}}, http.StatusSeeOther)
	send(t, ts, http.MethodGet, "/admin", c, nil, http.StatusOK)

	entries, _, err := st.FindAuditEntries(context.Background(), defus.AuditFilter{EntityID: e.ID, Entity: defus.EntityUser})
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		for field, v := range en.Changes {
			if s := fmt.Sprint(v); strings.Contains(s, pw) || strings.Contains(s, "argon2") || strings.Contains(field, "password") {
				t.Errorf("audit entry %s holds a password: %v", en.Action, en.Changes)
			}
		}
	}
}

func TestAuditLogFilters(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	a := addAccount(t, st, "a@defus.de", "Anna", defus.RoleAdmin)
	addAccount(t, st, "e@defus.de", "Egon", defus.RoleEditor)
	c := login(t, ts, "a@defus.de")
	login(t, ts, "e@defus.de")

	rows := func(q string, want int) string {
		t.Helper()
		_, body := send(t, ts, http.MethodGet, "/admin/protokoll"+q, c, nil, want)
		return doc(t, body).Find("table.audit tbody").Text()
	}
	all := rows("", http.StatusOK)
	if !strings.Contains(all, "Egon") || !strings.Contains(all, "Anmeldung") {
		t.Errorf("log lacks Egon's login:\n%s", all)
	}
	byAnna := rows(fmt.Sprintf("?person=%d", a.ID), http.StatusOK)
	if strings.Contains(byAnna, "Egon") && !strings.Contains(byAnna, "Anna") {
		t.Errorf("filter by Anna:\n%s", byAnna)
	}
	if got := rows("?von=2026-11-25", http.StatusOK); strings.TrimSpace(got) != "" {
		t.Errorf("entries after the fixed clock's day:\n%s", got)
	}
	if got := rows("?bis=2026-11-24&bereich=user", http.StatusOK); !strings.Contains(got, "Anmeldung") {
		t.Errorf("entries of the day:\n%s", got)
	}
	rows("?von=gestern", http.StatusUnprocessableEntity)

	// Paging: 60 more entries give a second page.
	for i := range 60 {
		if err := st.Audit(context.Background(), defus.AuditEntry{Action: defus.ActionExport, Entity: "test", EntityLabel: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	_, body := send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	next, ok := doc(t, body).Find(`.pager a[rel=next]`).Attr("href")
	if !ok {
		t.Fatal("no link to the next page")
	}
	_, body = send(t, ts, http.MethodGet, next, c, nil, http.StatusOK)
	if n := doc(t, body).Find("table.audit tbody tr").Length(); n == 0 || n > 50 {
		t.Errorf("second page has %d rows", n)
	}
}
