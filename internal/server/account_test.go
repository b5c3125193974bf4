package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
)

func TestOwnAccountPerRole(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	for _, p := range []string{"/konto", "/konto/zwei-faktor"} {
		resp, _ := s.send(t, http.MethodGet, p, nil, nil, http.StatusSeeOther)
		if got, want := resp.Header.Get("Location"), "/admin/login?next="+url.QueryEscape(p); got != want {
			t.Errorf("anonymous %s: Location %q, want %q", p, got, want)
		}
	}
	for _, p := range []string{"/konto/passwort", "/konto/e-mail", "/konto/sitzungen/beenden", "/konto/zwei-faktor", "/konto/zwei-faktor/aus"} {
		resp, _ := s.send(t, http.MethodPost, p, nil, url.Values{}, http.StatusSeeOther)
		if got := resp.Header.Get("Location"); got != "/admin/login" {
			t.Errorf("anonymous POST %s: Location %q", p, got)
		}
	}
	for name, c := range map[string]*http.Cookie{"admin": s.admin, "editor": s.editor, "member": s.member} {
		_, body := s.send(t, http.MethodGet, "/konto", c, nil, http.StatusOK)
		d := doc(t, body)
		if d.Find("h1").Text() != "Mein Konto" || d.Find(".session-list li").Length() != 1 {
			t.Errorf("%s: no account page with one session", name)
		}
		if d.Find(`a[href="/konto"]`).Length() == 0 {
			t.Errorf("%s: the header does not link the account", name)
		}
		if home, want := d.Find("a.brand").AttrOr("href", ""), map[bool]string{true: "/intern", false: "/admin"}[name == "member"]; home != want {
			t.Errorf("%s: the header leads to %q, want %q", name, home, want)
		}
		_, body = s.send(t, http.MethodGet, "/konto/zwei-faktor", c, nil, http.StatusOK)
		if doc(t, body).Find(".qr-code svg").Length() != 1 {
			t.Errorf("%s: no second factor setup", name)
		}
	}
}

func TestChangeOwnPassword(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	other := s.login(t, "m@essen.de", testPassword)

	_, body := s.send(t, http.MethodPost, "/konto/passwort", s.member,
		url.Values{"current_password": {"falsch-falsch-falsch"}, "password": {"neues-passwort-1"}, "password_repeat": {"neues-passwort-1"}},
		http.StatusUnprocessableEntity)
	d := doc(t, body)
	if !strings.Contains(d.Find("#current-password-error").Text(), "stimmt nicht") {
		t.Error("a wrong current password is not refused at its field")
	}
	if d.Find(".error-summary a[href='#current-password']").Length() == 0 {
		t.Error("the error summary does not link the field")
	}
	_, body = s.send(t, http.MethodPost, "/konto/passwort", s.member,
		url.Values{"current_password": {testPassword}, "password": {"neues-passwort-1"}, "password_repeat": {"neues-passwort-2"}},
		http.StatusUnprocessableEntity)
	if doc(t, body).Find("#new-password-repeat-error").Length() == 0 {
		t.Error("a wrong repetition is not refused")
	}
	s.send(t, http.MethodPost, "/konto/passwort", s.member,
		url.Values{"current_password": {testPassword}, "password": {"neues-passwort-1"}, "password_repeat": {"neues-passwort-1"}},
		http.StatusSeeOther)
	// This session goes on, the other is over.
	_, body = s.send(t, http.MethodGet, "/konto", s.member, nil, http.StatusOK)
	if !strings.Contains(body, "Passwort ist geändert") {
		t.Error("no confirmation")
	}
	s.send(t, http.MethodGet, "/konto", other, nil, http.StatusSeeOther)
	s.login(t, "m@essen.de", "neues-passwort-1")
	u, _ := s.st.FindUserByEmail(t.Context(), "m@essen.de")
	s.wantAudited(t, u.ID, defus.ActionPasswordChange)
}

func TestChangeOwnEmailByConfirmedLink(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)

	// Taken, wrong password: refused at the fields, the typed address kept.
	_, body := s.send(t, http.MethodPost, "/konto/e-mail", s.member,
		url.Values{"email": {"e@defus.de"}, "email_password": {testPassword}}, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if d.Find("#new-email-error").Length() == 0 || d.Find("#new-email").AttrOr("value", "") != "e@defus.de" {
		t.Error("an address in use is not refused at its field")
	}
	_, body = s.send(t, http.MethodPost, "/konto/e-mail", s.member,
		url.Values{"email": {"mia@neu.example"}, "email_password": {"falsch-falsch"}}, http.StatusUnprocessableEntity)
	if doc(t, body).Find("#email-password-error").Length() == 0 {
		t.Error("a wrong password is not refused at its field")
	}

	s.send(t, http.MethodPost, "/konto/e-mail", s.member,
		url.Values{"email": {"mia@neu.example"}, "email_password": {testPassword}}, http.StatusSeeOther)
	subject, text := s.mailTo(t, "mia@neu.example")
	if !strings.Contains(subject, "bestätigen") {
		t.Errorf("subject %q", subject)
	}
	path := linkIn(t, text)
	// Until confirmed, the old address logs in.
	s.login(t, "m@essen.de", testPassword)
	// A confirmation link is no reset link.
	s.send(t, http.MethodGet, strings.Replace(path, "e-mail", "passwort-neu", 1), nil, nil, http.StatusGone)

	// Opening the link changes nothing; the button does.
	_, body = s.send(t, http.MethodGet, path, nil, nil, http.StatusOK)
	if !strings.Contains(body, "mia@neu.example") {
		t.Error("the page does not name the new address")
	}
	s.login(t, "m@essen.de", testPassword)
	resp, _ := s.send(t, http.MethodPost, path, s.member, url.Values{}, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/konto" {
		t.Errorf("after confirming: Location %q", got)
	}
	s.login(t, "mia@neu.example", testPassword)
	s.send(t, http.MethodPost, "/admin/login", nil, url.Values{"email": {"m@essen.de"}, "password": {testPassword}}, http.StatusUnprocessableEntity)
	// The old address is told.
	subject, _ = s.mailTo(t, "m@essen.de")
	if !strings.Contains(subject, "geändert") {
		t.Errorf("no notice to the old address: %q", subject)
	}
	s.send(t, http.MethodPost, path, nil, url.Values{}, http.StatusGone)
	u, _ := s.st.FindUserByEmail(t.Context(), "mia@neu.example")
	s.wantAudited(t, u.ID, defus.ActionEmailRequest, defus.ActionEmailConfirm)
}

func TestSeeAndEndOwnSessions(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	second := s.login(t, "m@essen.de", testPassword)
	third := s.login(t, "m@essen.de", testPassword)

	_, body := s.send(t, http.MethodGet, "/konto", s.member, nil, http.StatusOK)
	d := doc(t, body)
	if n := d.Find(".session-list li").Length(); n != 3 {
		t.Fatalf("%d sessions listed, want 3", n)
	}
	if !strings.Contains(d.Find(".session-list").Text(), "dieses Gerät") {
		t.Error("this session is not marked")
	}
	// Another account cannot end these sessions.
	id := d.Find(`.session-list input[name=sitzung]`).First().AttrOr("value", "")
	s.send(t, http.MethodPost, "/konto/sitzungen/beenden", s.editor, url.Values{"sitzung": {id}}, http.StatusSeeOther)
	s.send(t, http.MethodPost, "/konto/sitzungen/beenden", s.member, url.Values{"sitzung": {"kaputt"}}, http.StatusBadRequest)
	for _, c := range []*http.Cookie{second, third} {
		s.send(t, http.MethodGet, "/konto", c, nil, http.StatusOK) // still logged in
	}
	// One, then all others.
	s.send(t, http.MethodPost, "/konto/sitzungen/beenden", s.member, url.Values{"sitzung": {id}}, http.StatusSeeOther)
	_, body = s.send(t, http.MethodGet, "/konto", s.member, nil, http.StatusOK)
	if n := doc(t, body).Find(".session-list li").Length(); n != 2 {
		t.Errorf("%d sessions after ending one, want 2", n)
	}
	s.send(t, http.MethodPost, "/konto/sitzungen/beenden", s.member, url.Values{"sitzung": {"andere"}}, http.StatusSeeOther)
	s.send(t, http.MethodGet, "/konto", second, nil, http.StatusSeeOther)
	s.send(t, http.MethodGet, "/konto", third, nil, http.StatusSeeOther)
	s.send(t, http.MethodGet, "/konto", s.member, nil, http.StatusOK)
	u, _ := s.st.FindUserByEmail(t.Context(), "m@essen.de")
	s.wantAudited(t, u.ID, defus.ActionSessionsEnd)
}
