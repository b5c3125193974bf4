package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
)

// forgot asks for a reset link for email and checks the one answer.
func (s *accountSite) forgot(t *testing.T, email string) {
	t.Helper()
	resp, _ := s.send(t, http.MethodPost, "/konto/passwort-vergessen", nil, url.Values{"email": {email}}, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/konto/passwort-vergessen?gesendet" {
		t.Errorf("answer for %s: Location %q", email, got)
	}
}

func TestPasswordResetByMail(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	ctx := context.Background()
	old := s.login(t, "m@essen.de", testPassword)
	other := s.login(t, "m@essen.de", testPassword)

	// The login page links it; the form refuses junk at its field.
	_, body := s.send(t, http.MethodGet, "/admin/login", nil, nil, http.StatusOK)
	if doc(t, body).Find(`a[href="/konto/passwort-vergessen"]`).Length() != 1 {
		t.Error("the login page does not offer a reset")
	}
	_, body = s.send(t, http.MethodPost, "/konto/passwort-vergessen", nil, url.Values{"email": {"kein at"}}, http.StatusUnprocessableEntity)
	d := doc(t, body)
	if d.Find("#forgot-email-error").Length() == 0 || d.Find("#forgot-email").AttrOr("value", "") != "kein at" {
		t.Error("no message at the field, or the typed address lost")
	}

	// Known and unknown addresses get the same answer; only the account gets mail.
	before := s.countMails(t)
	s.forgot(t, "niemand@essen.de")
	if got := s.countMails(t); got != before {
		t.Errorf("an unknown address got mail")
	}
	_, sent := s.send(t, http.MethodGet, "/konto/passwort-vergessen?gesendet", nil, nil, http.StatusOK)
	if !strings.Contains(sent, "Wenn es zu dieser Adresse ein Konto gibt") {
		t.Error("the answer does not hedge")
	}
	s.forgot(t, "M@Essen.de")
	subject, text := s.mailTo(t, "m@essen.de")
	if !strings.Contains(subject, "Passwort") {
		t.Errorf("subject %q", subject)
	}
	path := linkIn(t, text)
	if !strings.HasPrefix(path, "/konto/passwort-neu/") {
		t.Fatalf("link %s", path)
	}
	// A reset link is no invitation link.
	s.send(t, http.MethodGet, strings.Replace(path, "passwort-neu", "einladung", 1), nil, nil, http.StatusGone)

	_, body = s.send(t, http.MethodGet, path, nil, nil, http.StatusOK)
	if !strings.Contains(body, "Mia Mitglied") {
		t.Error("the page does not name the account")
	}
	s.send(t, http.MethodPost, path, nil, url.Values{"password": {"neues-passwort-1"}, "password_repeat": {""}}, http.StatusUnprocessableEntity)
	resp, _ := s.send(t, http.MethodPost, path, nil,
		url.Values{"password": {"neues-passwort-1"}, "password_repeat": {"neues-passwort-1"}}, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/admin/login" {
		t.Errorf("after the reset: Location %q", got)
	}
	_, body = s.send(t, http.MethodGet, "/admin/login", sessionCookie(resp), nil, http.StatusOK)
	if !strings.Contains(body, "neues Passwort ist gespeichert") {
		t.Error("the login page does not say the password is set")
	}

	// Every session of the account is over; the old password is.
	for _, c := range []*http.Cookie{old, other} {
		resp, _ := s.send(t, http.MethodGet, "/intern", c, nil, http.StatusSeeOther)
		if !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
			t.Error("a session survived the reset")
		}
	}
	s.send(t, http.MethodPost, "/admin/login", nil, url.Values{"email": {"m@essen.de"}, "password": {testPassword}}, http.StatusUnprocessableEntity)
	s.login(t, "m@essen.de", "neues-passwort-1")

	// The link works once.
	_, body = s.send(t, http.MethodGet, path, nil, nil, http.StatusGone)
	if !strings.Contains(body, "neuen Link an") {
		t.Error("the used link's page does not say what to do")
	}

	// Audited: the request and the reset.
	u, _ := s.st.FindUserByEmail(ctx, "m@essen.de")
	s.wantAudited(t, u.ID, defus.ActionResetRequest, defus.ActionResetByLink)
}

func TestPasswordResetLinksExpireAndDisabledAccountsGetNone(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	ctx := context.Background()

	s.forgot(t, "m@essen.de")
	_, text := s.mailTo(t, "m@essen.de")
	first := linkIn(t, text)
	// A newer link replaces it.
	s.forgot(t, "m@essen.de")
	_, text = s.mailTo(t, "m@essen.de")
	second := linkIn(t, text)
	s.send(t, http.MethodGet, first, nil, nil, http.StatusGone)
	s.send(t, http.MethodGet, second, nil, nil, http.StatusOK)
	// An hour later it is dead.
	s.clock.Add(defus.PasswordResetLifetime)
	s.send(t, http.MethodGet, second, nil, nil, http.StatusGone)
	s.send(t, http.MethodPost, second, nil, url.Values{"password": {"neues-passwort-1"}, "password_repeat": {"neues-passwort-1"}}, http.StatusGone)

	// Disabled accounts and pending invitations get nothing.
	u, _ := s.st.FindUserByEmail(ctx, "m@essen.de")
	if err := s.st.SetUserDisabled(ctx, defus.Actor{}, u.ID, 0, true); err != nil {
		t.Fatal(err)
	}
	s.invite(t, "Ina Eingeladen", "ina@essen.example")
	before := s.countMails(t)
	s.forgot(t, "m@essen.de")
	s.forgot(t, "ina@essen.example")
	if got := s.countMails(t); got != before {
		t.Errorf("%d mails, want %d: a disabled or invited account got a reset link", got, before)
	}
}

func TestPasswordResetIsRateLimited(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	for range 3 {
		s.forgot(t, "m@essen.de")
	}
	resp, body := s.send(t, http.MethodPost, "/konto/passwort-vergessen", nil, url.Values{"email": {"m@essen.de"}}, http.StatusTooManyRequests)
	if resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Minuten") {
		t.Error("no Retry-After or no wait in words")
	}
	// Unknown addresses are counted alike.
	for range 3 {
		s.forgot(t, "niemand@essen.de")
	}
	s.send(t, http.MethodPost, "/konto/passwort-vergessen", nil, url.Values{"email": {"niemand@essen.de"}}, http.StatusTooManyRequests)
	// The client is counted across addresses.
	for i := range 4 {
		s.forgot(t, fmt.Sprintf("x%d@essen.de", i))
	}
	s.send(t, http.MethodPost, "/konto/passwort-vergessen", nil, url.Values{"email": {"y@essen.de"}}, http.StatusTooManyRequests)
	// After the hour, again.
	s.clock.Add(time.Hour)
	s.forgot(t, "m@essen.de")
}
