package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
)

// behindProxy makes the test client (127.0.0.1) a trusted reverse proxy:
// each browser below names its own address in X-Forwarded-For.
var behindProxy = map[string]string{"TRUSTED_PROXIES": "127.0.0.1"}

// browser is one client: its address as the proxy reports it, and the
// device cookies it has been given.
type browser struct {
	ip      string
	cookies map[string]*http.Cookie
}

func newBrowser(ip string) *browser { return &browser{ip: ip, cookies: map[string]*http.Cookie{}} }

// login posts the login form from b and keeps the device cookies it gets.
func (b *browser) login(tb testing.TB, ts *httptest.Server, email, password string, want int) (*http.Response, string) {
	tb.Helper()
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/admin/login", strings.NewReader(form.Encode()))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if b.ip != "" {
		req.Header.Set("X-Forwarded-For", b.ip)
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	resp, body := request(tb, req, want)
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, "defus_device_") {
			if b.cookies == nil {
				b.cookies = map[string]*http.Cookie{}
			}
			b.cookies[c.Name] = c
		}
	}
	return resp, body
}

// failedLoginAudits counts the audit entries of failed logins.
func failedLoginAudits(tb testing.TB, pool *pgxpool.Pool) int {
	tb.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'login_failed'`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// checkRefused checks what a refused login shows: the status, Retry-After,
// the German message and the typed e-mail address.
func checkRefused(tb testing.TB, resp *http.Response, body, email, message string) {
	tb.Helper()
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s <= 0 {
		tb.Errorf("%d: Retry-After %q, want seconds", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	d := doc(tb, body)
	if got := d.Find("#login-error").Text(); !strings.Contains(got, message) {
		tb.Errorf("%d: message %q, want %q", resp.StatusCode, got, message)
	}
	if v, _ := d.Find("#login-email").Attr("value"); v != email {
		tb.Errorf("%d: typed e-mail %q not kept", resp.StatusCode, v)
	}
}

// lockForStrangers uses up the hourly allowance of email for browsers
// without its device cookie: 10 wrong passwords from 10 addresses.
func lockForStrangers(tb testing.TB, ts *httptest.Server, email string) {
	tb.Helper()
	for i := range 10 {
		newBrowser(fmt.Sprintf("192.0.2.%d", i+1)).login(tb, ts, email, "geraten-123456", http.StatusUnprocessableEntity)
	}
	newBrowser("192.0.2.99").login(tb, ts, email, "geraten-123456", http.StatusTooManyRequests)
}

func TestConcurrentWrongLoginsAreCountedExactly(t *testing.T) {
	t.Parallel()
	ts, st, pool := loginSite(t, nil)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)

	// 20 wrong passwords at once from one client: exactly its allowance of
	// 5 reaches the password check (each audited), the rest are refused.
	statuses := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			form := url.Values{"email": {"a@defus.de"}, "password": {"falsches-passwort"}}
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/admin/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", "203.0.113.1")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[http.StatusUnprocessableEntity] != 5 || statuses[http.StatusTooManyRequests] != 15 {
		t.Errorf("statuses = %v, want 5×422 and 15×429", statuses)
	}
	if got := failedLoginAudits(t, pool); got != 5 {
		t.Errorf("%d failed logins audited, want 5", got)
	}

	// A second instance shares the counts: the client stays refused there,
	// even with the right password, and its page says why.
	other := startServer(t, pool, behindProxy, nil)
	resp, body := newBrowser("203.0.113.1").login(t, other, "a@defus.de", testPassword, http.StatusTooManyRequests)
	checkRefused(t, resp, body, "a@defus.de", "Zu viele Anmeldeversuche. Bitte warten Sie 15 Minuten")
}

func TestNobodyCanLockOutSomebodyElse(t *testing.T) {
	t.Parallel()
	ts, st, _ := loginSite(t, nil)
	addAccount(t, st, "a@defus.de", "Anna Admin", defus.RoleAdmin)
	owner := newBrowser("198.51.100.1")
	owner.login(t, ts, "a@defus.de", testPassword, http.StatusSeeOther)
	if len(owner.cookies) != 1 {
		t.Fatalf("owner got device cookies %v, want one", owner.cookies)
	}
	for _, c := range owner.cookies {
		if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/admin/login" {
			t.Errorf("device cookie %+v, want HttpOnly, Secure, SameSite=Strict, Path=/admin/login", c)
		}
	}

	// An attacker guessing from one address locks only that address.
	attacker := newBrowser("203.0.113.9")
	for range 5 {
		attacker.login(t, ts, "a@defus.de", "geraten-123456", http.StatusUnprocessableEntity)
	}
	attacker.login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
	// The owner gets in from their browser, even from the attacker's
	// address (one office behind one NAT), and from another address without it.
	sameAddress := &browser{ip: attacker.ip, cookies: owner.cookies}
	sameAddress.login(t, ts, "a@defus.de", testPassword, http.StatusSeeOther)
	newBrowser("198.51.100.2").login(t, ts, "a@defus.de", testPassword, http.StatusSeeOther)

	// From ever new addresses the attacker gets 10 guesses an hour for the
	// account, counted together (5 were made above).
	for i := range 5 {
		newBrowser(fmt.Sprintf("192.0.2.%d", i+1)).login(t, ts, "a@defus.de", "geraten-123456", http.StatusUnprocessableEntity)
	}
	resp, body := newBrowser("192.0.2.99").login(t, ts, "a@defus.de", "geraten-123456", http.StatusTooManyRequests)
	checkRefused(t, resp, body, "a@defus.de", "Bitte warten Sie 60 Minuten")
	if got, _ := strconv.Atoi(resp.Header.Get("Retry-After")); got != 3600 {
		t.Errorf("Retry-After %d, want 3600", got)
	}
	// Now a browser without the cookie is refused even with the right
	// password (OWASP: otherwise every guess would be answered again) …
	newBrowser("198.51.100.3").login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
	// … while the owner's browser gets in from anywhere.
	owner.ip = "192.0.2.200"
	owner.login(t, ts, "a@defus.de", testPassword, http.StatusSeeOther)

	// A forged or borrowed device cookie is no device cookie.
	addAccount(t, st, "e@defus.de", "Erik Editor", defus.RoleEditor)
	forged := newBrowser("198.51.100.4")
	for name, c := range owner.cookies {
		v := *c
		v.Value = strings.Replace(c.Value, ".", "x.", 1)
		forged.cookies[name] = &v
	}
	forged.login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
	lockForStrangers(t, ts, "e@defus.de")
	for _, c := range owner.cookies {
		v := *c
		v.Name = "defus_device_2" // Erik's, with Anna's value
		forged.cookies = map[string]*http.Cookie{v.Name: &v}
	}
	forged.login(t, ts, "e@defus.de", testPassword, http.StatusTooManyRequests)

	// The owner's own browser, guessing, is held back by its own count.
	for range 5 {
		owner.login(t, ts, "a@defus.de", "vertippt-123456", http.StatusUnprocessableEntity)
	}
	resp, body = owner.login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
	checkRefused(t, resp, body, "a@defus.de", "Bitte warten Sie 15 Minuten")
}

func TestUnknownAddressesAreCountedButNotAudited(t *testing.T) {
	t.Parallel()
	ts, st, pool := loginSite(t, nil)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	b := newBrowser("203.0.113.20")
	for range 5 {
		b.login(t, ts, "niemand@defus.de", "geraten-123456", http.StatusUnprocessableEntity)
	}
	if got := failedLoginAudits(t, pool); got != 0 {
		t.Errorf("%d audit entries for an address without account, want 0", got)
	}
	// Limited like an account, so the limits do not tell which addresses
	// have one.
	resp, body := b.login(t, ts, "Niemand@defus.de", "geraten-123456", http.StatusTooManyRequests)
	checkRefused(t, resp, body, "Niemand@defus.de", "Zu viele Anmeldeversuche")
	for range 2 {
		b.login(t, ts, "a@defus.de", "geraten-123456", http.StatusUnprocessableEntity)
	}
	if got := failedLoginAudits(t, pool); got != 2 {
		t.Errorf("%d audit entries for an account, want 2", got)
	}
}

func TestOneClientCannotSprayManyAccounts(t *testing.T) {
	t.Parallel()
	ts, st, _ := loginSite(t, nil)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	colleague := newBrowser("203.0.113.30")
	colleague.login(t, ts, "a@defus.de", testPassword, http.StatusSeeOther)
	sprayer := newBrowser("203.0.113.30")
	for i := range 20 {
		sprayer.login(t, ts, fmt.Sprintf("person%d@defus.de", i), "Sommer2026!!", http.StatusUnprocessableEntity)
	}
	sprayer.login(t, ts, "person99@defus.de", "Sommer2026!!", http.StatusTooManyRequests)
	newBrowser("203.0.113.30").login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
	// A browser that logged in before is not held back by the address.
	colleague.login(t, ts, "a@defus.de", testPassword, http.StatusSeeOther)
	// Nor is another address.
	newBrowser("203.0.113.31").login(t, ts, "person0@defus.de", "Sommer2026!!", http.StatusUnprocessableEntity)
}

func TestUnlockAndNewPasswordLiftLoginLocks(t *testing.T) {
	t.Parallel()
	ts, st, _ := loginSite(t, nil)
	a := addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	lock := func() {
		t.Helper()
		lockForStrangers(t, ts, "a@defus.de")
		newBrowser("198.51.100.5").login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
		newBrowser("192.0.2.1").login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
	}

	lock()
	if err := st.UnlockLogins(context.Background(), defus.Actor{Name: "Kommandozeile"}, a.ID); err != nil {
		t.Fatal(err)
	}
	newBrowser("198.51.100.5").login(t, ts, "a@defus.de", testPassword, http.StatusSeeOther)
	newBrowser("192.0.2.1").login(t, ts, "a@defus.de", testPassword, http.StatusSeeOther)

	lock()
	hash, err := defus.HashPassword("ganz-neues-passwort-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetUserPassword(context.Background(), defus.Actor{Name: "Kommandozeile"}, a.ID, hash); err != nil {
		t.Fatal(err)
	}
	newBrowser("192.0.2.1").login(t, ts, "a@defus.de", "ganz-neues-passwort-1", http.StatusSeeOther)

	entries, _, err := st.FindAuditEntries(context.Background(), defus.AuditFilter{Entity: defus.EntityUser, EntityID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	var unlocks int
	for _, e := range entries {
		if e.Action == defus.ActionLoginUnlock {
			unlocks++
		}
	}
	if unlocks != 1 {
		t.Errorf("%d unlocks audited, want 1", unlocks)
	}
}

func TestBusyPasswordChecksAnswer503AndCountNothing(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	st := store.New(pool, testClock)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	normal := startServer(t, pool, behindProxy, nil)
	owner := newBrowser("198.51.100.1")
	owner.login(t, normal, "a@defus.de", testPassword, http.StatusSeeOther)

	// Every slot for password checks taken: logins wait briefly, then are
	// asked to come back, with what they typed kept.
	busy := startServer(t, pool, behindProxy, func(s *server.Server) { s.SetPasswordChecks(0, time.Millisecond) })
	b := newBrowser("203.0.113.40")
	for range 10 {
		resp, body := b.login(t, busy, "a@defus.de", "geraten-123456", http.StatusServiceUnavailable)
		checkRefused(t, resp, body, "a@defus.de", "Bitte versuchen Sie es in einigen Sekunden noch einmal.")
	}
	// The owner's browser has a slot of its own.
	owner.login(t, busy, "a@defus.de", testPassword, http.StatusSeeOther)
	// Attempts never checked were not counted: the whole allowance is left.
	for range 5 {
		b.login(t, normal, "a@defus.de", "geraten-123456", http.StatusUnprocessableEntity)
	}
	b.login(t, normal, "a@defus.de", "geraten-123456", http.StatusTooManyRequests)
}

func TestLoginLimitsCountTheClientBehindTrustedProxies(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	st := store.New(pool, testClock)
	addAccount(t, st, "a@defus.de", "A", defus.RoleAdmin)
	lockOut := func(ts *httptest.Server, xff string) {
		t.Helper()
		for range 5 {
			(&browser{ip: xff}).login(t, ts, "a@defus.de", "geraten-123456", http.StatusUnprocessableEntity)
		}
		(&browser{ip: xff}).login(t, ts, "a@defus.de", "geraten-123456", http.StatusTooManyRequests)
	}

	t.Run("header from an untrusted peer is ignored", func(t *testing.T) {
		resetLoginCounts(t, pool)
		ts := startServer(t, pool, nil, nil)
		lockOut(ts, "203.0.113.50")
		(&browser{ip: "203.0.113.51"}).login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
		(&browser{}).login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
	})
	t.Run("right-most address that is not a trusted proxy", func(t *testing.T) {
		resetLoginCounts(t, pool)
		ts := startServer(t, pool, map[string]string{"TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}, nil)
		lockOut(ts, "6.6.6.6, 203.0.113.60, 10.0.0.2")
		// What the client wrote left of its address changes nothing.
		(&browser{ip: "9.9.9.9, 203.0.113.60, 10.0.0.3"}).login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
		(&browser{ip: "203.0.113.60"}).login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
		// Another client behind the same proxies is another client.
		(&browser{ip: "203.0.113.60, 203.0.113.61, 10.0.0.2"}).login(t, ts, "a@defus.de", testPassword, http.StatusSeeOther)
	})
	t.Run("IPv6 counts by /64", func(t *testing.T) {
		resetLoginCounts(t, pool)
		ts := startServer(t, pool, behindProxy, nil)
		lockOut(ts, "2001:db8:1:2::1")
		(&browser{ip: "2001:db8:1:2:ffff::7"}).login(t, ts, "a@defus.de", testPassword, http.StatusTooManyRequests)
		(&browser{ip: "2001:db8:1:3::1"}).login(t, ts, "a@defus.de", testPassword, http.StatusSeeOther)
	})
}

func TestEnquiryRateLimitCountsTheClientBehindTrustedProxies(t *testing.T) {
	t.Parallel()
	pool := seededPool(t)
	ts := startServer(t, pool, behindProxy, func(s *server.Server) { s.SetEnquiryLimits(3*time.Second, 1, 10*time.Minute) })
	send := func(xff string, want int) {
		t.Helper()
		v := validForm("x")
		v.Set("email", "falsch")
		req, err := http.NewRequest(http.MethodPost, ts.URL+"/mitgliedschaft/anfrage", strings.NewReader(v.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", xff)
		request(t, req, want)
	}
	send("203.0.113.70", http.StatusUnprocessableEntity)
	send("203.0.113.70", http.StatusTooManyRequests)
	send("1.2.3.4, 203.0.113.70", http.StatusTooManyRequests)
	send("203.0.113.71", http.StatusUnprocessableEntity)
}

// Pages are compressed, answers to POSTs not: the compressor is taken when
// a request starts, and logins waiting for a password check must not hold
// one each (BenchmarkLoginFlood/memory).
func TestOnlyGetsAreCompressed(t *testing.T) {
	t.Parallel()
	ts, _, _ := loginSite(t, nil)
	for _, tc := range []struct {
		method, path, body, want string
	}{
		{http.MethodGet, "/", "", "gzip"},
		{http.MethodGet, "/admin/login", "", "gzip"},
		{http.MethodPost, "/admin/login", "email=a%40defus.de&password=geraten-123456", ""},
	} {
		req, err := http.NewRequest(tc.method, ts.URL+tc.path, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Encoding"); got != tc.want {
			t.Errorf("%s %s: Content-Encoding %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}
