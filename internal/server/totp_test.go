package server_test

import (
	"encoding/base32"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// setUpTOTP switches the second factor on for the account of c and returns
// its secret and recovery codes.
func setUpTOTP(t *testing.T, send func(tb testing.TB, method, path string, c *http.Cookie, form url.Values, want int) (*http.Response, string), c *http.Cookie, now time.Time) (secret []byte, codes []string) {
	t.Helper()
	_, body := send(t, http.MethodGet, "/konto/zwei-faktor", c, nil, http.StatusOK)
	d := doc(t, body)
	if d.Find(".qr-code svg path").Length() != 1 {
		t.Error("no QR code drawn")
	}
	text := strings.ReplaceAll(d.Find(".totp-secret").Text(), " ", "")
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(text)
	if err != nil || len(secret) != 20 {
		t.Fatalf("secret %q: %v", text, err)
	}
	// A reload shows the same secret.
	_, body = send(t, http.MethodGet, "/konto/zwei-faktor", c, nil, http.StatusOK)
	if strings.ReplaceAll(doc(t, body).Find(".totp-secret").Text(), " ", "") != text {
		t.Error("the secret changes on reload")
	}
	_, body = send(t, http.MethodPost, "/konto/zwei-faktor", c, url.Values{"code": {"000000"}}, http.StatusUnprocessableEntity)
	if doc(t, body).Find("#totp-code-error").Length() == 0 {
		t.Error("a wrong code is not refused at its field")
	}
	_, body = send(t, http.MethodPost, "/konto/zwei-faktor", c,
		url.Values{"code": {defus.TOTPCode(secret, defus.TOTPStep(now))}}, http.StatusOK)
	codes = texts(doc(t, body).Find(".recovery-codes code"))
	if len(codes) != defus.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown", len(codes))
	}
	return secret, codes
}

// loginWithCode logs in with the password and then code; want is the
// status of the code's answer.
func (s *accountSite) loginWithCode(t *testing.T, email, code string, want int) *http.Cookie {
	t.Helper()
	resp, _ := s.send(t, http.MethodPost, "/admin/login", nil, url.Values{"email": {email}, "password": {testPassword}}, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/admin/login/code" {
		t.Fatalf("after the password: Location %q", got)
	}
	c := sessionCookie(resp)
	resp, _ = s.send(t, http.MethodPost, "/admin/login/code", c, url.Values{"code": {code}}, want)
	if nc := sessionCookie(resp); nc != nil {
		c = nc
	}
	return c
}

func TestTwoFactorLogin(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	editor := s.login(t, "e@defus.de", testPassword)
	secret, codes := setUpTOTP(t, s.send, editor, s.clock.Now())
	_, body := s.send(t, http.MethodGet, "/konto", editor, nil, http.StatusOK)
	if !strings.Contains(body, "Eingeschaltet seit") {
		t.Error("the account page does not say the second factor is on")
	}

	// After the password: not logged in yet.
	resp, _ := s.send(t, http.MethodPost, "/admin/login", nil, url.Values{"email": {"e@defus.de"}, "password": {testPassword}}, http.StatusSeeOther)
	pending := sessionCookie(resp)
	s.send(t, http.MethodGet, "/admin", pending, nil, http.StatusSeeOther)
	s.send(t, http.MethodGet, "/konto", pending, nil, http.StatusSeeOther)
	_, body = s.send(t, http.MethodGet, "/admin/login/code", pending, nil, http.StatusOK)
	if doc(t, body).Find("#login-code").Length() != 1 {
		t.Error("no code field")
	}
	// Without a password first, there is no second step.
	resp, _ = s.send(t, http.MethodGet, "/admin/login/code", nil, nil, http.StatusSeeOther)
	if resp.Header.Get("Location") != "/admin/login" {
		t.Error("the second step without the first")
	}

	// The code the setup used is not accepted again; the next step's is.
	s.loginWithCode(t, "e@defus.de", defus.TOTPCode(secret, defus.TOTPStep(s.clock.Now())), http.StatusUnprocessableEntity)
	s.clock.Add(defus.TOTPPeriod)
	code := defus.TOTPCode(secret, defus.TOTPStep(s.clock.Now()))
	c := s.loginWithCode(t, "e@defus.de", code, http.StatusSeeOther)
	s.send(t, http.MethodGet, "/admin", c, nil, http.StatusOK)
	// Replayed in the same step: refused.
	s.loginWithCode(t, "e@defus.de", code, http.StatusUnprocessableEntity)

	// A recovery code works once, in any case and with spaces.
	c = s.loginWithCode(t, "e@defus.de", " "+strings.ToUpper(codes[0])+" ", http.StatusSeeOther)
	_, body = s.send(t, http.MethodGet, "/admin", c, nil, http.StatusOK)
	if !strings.Contains(body, "9 sind noch übrig") {
		t.Error("no word on the codes left")
	}
	s.loginWithCode(t, "e@defus.de", codes[0], http.StatusUnprocessableEntity)

	// Ten minutes after the password, it is asked for again.
	resp, _ = s.send(t, http.MethodPost, "/admin/login", nil, url.Values{"email": {"e@defus.de"}, "password": {testPassword}}, http.StatusSeeOther)
	pending = sessionCookie(resp)
	s.clock.Add(10*time.Minute + time.Second)
	resp, _ = s.send(t, http.MethodPost, "/admin/login/code", pending, url.Values{"code": {codes[5]}}, http.StatusSeeOther)
	if resp.Header.Get("Location") != "/admin/login" {
		t.Error("the second step waits too long")
	}

	u, _ := s.st.FindUserByEmail(t.Context(), "e@defus.de")
	s.wantAudited(t, u.ID, defus.ActionTOTPOn, defus.ActionRecoveryUsed, defus.ActionLoginFailed)

	// Switching it off needs the password.
	c = s.loginWithCode(t, "e@defus.de", codes[1], http.StatusSeeOther)
	_, body = s.send(t, http.MethodPost, "/konto/zwei-faktor/aus", c, url.Values{"totp_password": {"falsch"}}, http.StatusUnprocessableEntity)
	if doc(t, body).Find("#totp-password-error").Length() == 0 {
		t.Error("a wrong password is not refused at its field")
	}
	s.send(t, http.MethodPost, "/konto/zwei-faktor/aus", c, url.Values{"totp_password": {testPassword}}, http.StatusSeeOther)
	s.login(t, "e@defus.de", testPassword)
	s.wantAudited(t, u.ID, defus.ActionTOTPOff)
}

func TestTwoFactorCodesAreRateLimited(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	editor := s.login(t, "e@defus.de", testPassword)
	secret, _ := setUpTOTP(t, s.send, editor, s.clock.Now())
	for range 5 {
		s.loginWithCode(t, "e@defus.de", "123456", http.StatusUnprocessableEntity)
	}
	s.clock.Add(defus.TOTPPeriod)
	good := defus.TOTPCode(secret, defus.TOTPStep(s.clock.Now()))
	resp, _ := s.send(t, http.MethodPost, "/admin/login", nil, url.Values{"email": {"e@defus.de"}, "password": {testPassword}}, http.StatusSeeOther)
	resp, body := s.send(t, http.MethodPost, "/admin/login/code", sessionCookie(resp), url.Values{"code": {good}}, http.StatusTooManyRequests)
	if resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Minuten") {
		t.Error("no Retry-After or no wait in words")
	}
	s.clock.Add(15 * time.Minute)
	s.loginWithCode(t, "e@defus.de", defus.TOTPCode(secret, defus.TOTPStep(s.clock.Now())), http.StatusSeeOther)
}

func TestAdminResetsASecondFactor(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	editor := s.login(t, "e@defus.de", testPassword)
	setUpTOTP(t, s.send, editor, s.clock.Now())
	u, _ := s.st.FindUserByEmail(t.Context(), "e@defus.de")
	path := fmt.Sprintf("/admin/benutzer/%d/zwei-faktor/zuruecksetzen", u.ID)

	_, body := s.send(t, http.MethodGet, fmt.Sprintf("/admin/benutzer/%d", u.ID), s.admin, nil, http.StatusOK)
	if doc(t, body).Find(`form[action="`+path+`"]`).Length() != 1 {
		t.Error("the account's page offers no reset")
	}
	resp, _ := s.send(t, http.MethodPost, path, nil, url.Values{}, http.StatusSeeOther)
	if !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
		t.Error("anonymous reset not sent to the login")
	}
	s.send(t, http.MethodPost, path, s.member, url.Values{}, http.StatusForbidden)
	s.send(t, http.MethodPost, path, editor, url.Values{}, http.StatusForbidden)
	s.send(t, http.MethodPost, path, s.admin, url.Values{}, http.StatusSeeOther)
	resp, _ = s.send(t, http.MethodPost, "/admin/login", nil, url.Values{"email": {"e@defus.de"}, "password": {testPassword}}, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/admin" {
		t.Errorf("after the reset the login goes to %q", got)
	}
	s.wantAudited(t, u.ID, defus.ActionTOTPReset)
}

func TestTwoFactorCanBeRequiredForStaff(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := startServer(t, pool, map[string]string{"REQUIRE_TWO_FACTOR": "true"}, nil)
	st := store.New(pool, testClock)
	addAccount(t, st, "e@defus.de", "Erik Editor", defus.RoleEditor)
	addMemberAccountOf(t, st, "m@essen.de", "Mia Mitglied", "essen")
	send := func(tb testing.TB, method, path string, c *http.Cookie, form url.Values, want int) (*http.Response, string) {
		tb.Helper()
		return send(tb, ts, method, path, c, form, want)
	}
	editor := login(t, ts, "e@defus.de")
	resp, _ := send(t, http.MethodGet, "/admin/termine", editor, nil, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/konto/zwei-faktor" {
		t.Fatalf("an editor without a second factor goes to %q", got)
	}
	_, body := send(t, http.MethodGet, "/konto/zwei-faktor", editor, nil, http.StatusOK)
	if !strings.Contains(body, "vorgeschrieben") {
		t.Error("the setup does not say it is required")
	}
	setUpTOTP(t, send, editor, testNow)
	send(t, http.MethodGet, "/admin/termine", editor, nil, http.StatusOK)
	// It cannot be switched off; members are not asked.
	send(t, http.MethodPost, "/konto/zwei-faktor/aus", editor, url.Values{"totp_password": {testPassword}}, http.StatusForbidden)
	send(t, http.MethodGet, "/intern", login(t, ts, "m@essen.de"), nil, http.StatusOK)
}
