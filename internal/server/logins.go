package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
)

// Login protection, after OWASP's Authentication Cheat Sheet and its
// "Slow Down Online Guessing Attacks with Device Cookies":
//
// Every attempt is counted in PostgreSQL before its password is checked
// (store.CountAttempt, one transaction, row locks): concurrency cannot
// get past a limit, and every instance shares one allowance. A client is
// its IPv4 address or IPv6 /64 network (clientNetwork), and every count is
// kept under a keyed hash, never under an address or a typed e-mail
// address. Known and unknown e-mail addresses are counted alike, so the
// limits do not tell which addresses have accounts.
//
// A browser that has logged in to an account before carries a signed
// device cookie naming the account. Its attempts are counted per device
// only (loginPerDevice): nobody else's failures hold it back.
//
// Every other client is counted three times, and refused when any count is
// used up:
//   - per account and client (loginPerClient): guessing slows only the
//     guesser, and the owner elsewhere is not held back;
//   - per client across all accounts (loginPerNetwork): slows spraying one
//     password over many accounts;
//   - per account across all such clients (loginUntrusted): an attacker
//     with ever new addresses gets only a few guesses per account and hour.
//
// When the last count is used up, the owner too is refused from a browser
// without the device cookie, even with the right password, until the hour
// has passed or someone runs `defus user unlock`. This is OWASP's choice:
// checking the password then would give the attacker an answer for every
// guess again. From a browser they have logged in with before, the owner
// always gets in.
//
// A successful login ends the count of its client (or device) and takes
// back its attempt from the others, so the counts are failures. `defus user
// unlock` and a new password end all counts of the account.
const (
	loginPerClient        = 5
	loginPerClientWindow  = 15 * time.Minute
	loginPerNetwork       = 20
	loginPerNetworkWindow = 15 * time.Minute
	loginUntrusted        = 10
	loginUntrustedWindow  = time.Hour
	loginPerDevice        = 5
	loginPerDeviceWindow  = 15 * time.Minute

	deviceCookieLifetime = 180 * 24 * time.Hour

	// An argon2id check takes 19 MiB and a core for a few dozen
	// milliseconds. At most one per core but one runs at once (plus one for
	// recognised devices), so that pages are still served while logins
	// pour in; a login waits this long for its turn and is then asked to
	// come back shortly.
	passwordCheckWait  = 2 * time.Second
	passwordBusyRetry  = 10 * time.Second
	deviceCookiePrefix = "defus_device_"
)

// deriveKey derives a key for one purpose from secret (FORM_SECRET), so
// every instance with the same secret derives the same key.
func deriveKey(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// loginAttempt is what one login attempt is counted under.
type loginAttempt struct {
	limits []defus.Limit
	clear  []byte // the count that ends when the login succeeds
	device string // id of the recognised device, "" for none
}

// newLoginAttempt works out the counts of an attempt to log in as email
// (u is its account, nil for none) from the client of r.
func (s *Server) newLoginAttempt(r *http.Request, email string, u *defus.User) loginAttempt {
	var uid int64
	if u != nil {
		uid = u.ID
	}
	if device := s.recognisedDevice(r, u); device != "" {
		k := s.limitKey("device", strconv.FormatInt(uid, 10), device)
		return loginAttempt{device: device, clear: k, limits: []defus.Limit{
			{Key: k, UserID: uid, Max: loginPerDevice, Window: loginPerDeviceWindow},
		}}
	}
	account, network := strings.ToLower(email), clientNetwork(s.clientIP(r))
	pair := s.limitKey("account+client", account, network)
	return loginAttempt{clear: pair, limits: []defus.Limit{
		{Key: pair, UserID: uid, Max: loginPerClient, Window: loginPerClientWindow},
		{Key: s.limitKey("client", network), Max: loginPerNetwork, Window: loginPerNetworkWindow},
		{Key: s.limitKey("account", account), UserID: uid, Max: loginUntrusted, Window: loginUntrustedWindow},
	}}
}

// others are the keys of the attempt's counts other than its clear one.
func (a loginAttempt) others() [][]byte {
	var keys [][]byte
	for _, l := range a.limits {
		if !bytes.Equal(l.Key, a.clear) {
			keys = append(keys, l.Key)
		}
	}
	return keys
}

// succeeded settles the counts of a successful login.
func (s *Server) loginSucceeded(ctx context.Context, a loginAttempt) error {
	return s.store.SettleAttempt(ctx, [][]byte{a.clear}, a.others())
}

// loginNotChecked takes the attempt back: its password was never checked.
func (s *Server) loginNotChecked(ctx context.Context, a loginAttempt) error {
	return s.store.SettleAttempt(context.WithoutCancel(ctx), nil, append(a.others(), a.clear))
}

// clientPseudonym names the client of r in log lines without its address.
func (s *Server) clientPseudonym(r *http.Request) string {
	return hex.EncodeToString(s.limitKey("log", clientNetwork(s.clientIP(r)))[:6])
}

// A device cookie, defus_device_<account id>, holds "<device id>.<issued,
// unix seconds>.<signature>"; the signature (HMAC-SHA256 with a key derived
// from FORM_SECRET) covers the account id too. It is sent only to the
// login form (Path /admin/login, SameSite=Strict) and holds nothing else.

func deviceCookieName(userID int64) string {
	return deviceCookiePrefix + strconv.FormatInt(userID, 10)
}

func (s *Server) deviceSignature(userID int64, device, issued string) string {
	m := hmac.New(sha256.New, s.loginSecret)
	m.Write([]byte("device-cookie\x00" + strconv.FormatInt(userID, 10) + "." + device + "." + issued))
	return hex.EncodeToString(m.Sum(nil))
}

// recognisedDevice returns the id of the device whose cookie r carries for
// account u, or "" when it carries none that is valid now.
func (s *Server) recognisedDevice(r *http.Request, u *defus.User) string {
	if u == nil {
		return ""
	}
	c, err := r.Cookie(deviceCookieName(u.ID))
	if err != nil {
		return ""
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 || len(parts[0]) != 32 {
		return ""
	}
	if !hmac.Equal([]byte(parts[2]), []byte(s.deviceSignature(u.ID, parts[0], parts[1]))) {
		return ""
	}
	sec, err := strconv.ParseInt(parts[1], 10, 64)
	if age := s.now().Sub(time.Unix(sec, 0)); err != nil || age < -time.Hour || age > deviceCookieLifetime {
		return ""
	}
	return parts[0]
}

// setDeviceCookie lets the browser be recognised at the next login to u:
// the same device again (its id is kept), or a new one.
func (s *Server) setDeviceCookie(w http.ResponseWriter, u *defus.User, device string) {
	if device == "" {
		b := make([]byte, 16)
		rand.Read(b)
		device = hex.EncodeToString(b)
	}
	issued := strconv.FormatInt(s.now().Unix(), 10)
	http.SetCookie(w, &http.Cookie{
		Name:     deviceCookieName(u.ID),
		Value:    device + "." + issued + "." + s.deviceSignature(u.ID, device, issued),
		Path:     "/admin/login",
		MaxAge:   int(deviceCookieLifetime.Seconds()),
		HttpOnly: true,
		Secure:   s.cfg.CookieSecure,
		SameSite: http.SameSiteStrictMode,
	})
}

// checkSlots bounds the password checks running at once, and so the memory
// and cores that logins can take however many arrive.
type checkSlots struct {
	any     chan struct{} // for every login
	devices chan struct{} // one more, for recognised devices only: a flood cannot keep the owner out
	wait    time.Duration
}

// SetPasswordChecks lets at most n password checks run at once (plus one
// for recognised devices); a login waits at most wait for its turn. New
// sets n to the number of cores; tests use it to fill the slots.
func (s *Server) SetPasswordChecks(n int, wait time.Duration) {
	s.passwordChecks = &checkSlots{any: make(chan struct{}, n), devices: make(chan struct{}, 1), wait: wait}
}

// acquire waits for a slot, at most c.wait and not past the end of ctx, and
// returns the function that frees it, or nil when none came free.
func (c *checkSlots) acquire(ctx context.Context, recognised bool) (release func()) {
	var devices chan struct{} // nil: never ready
	if recognised {
		devices = c.devices
	}
	t := time.NewTimer(c.wait)
	defer t.Stop()
	select {
	case c.any <- struct{}{}:
		return func() { <-c.any }
	case devices <- struct{}{}:
		return func() { <-devices }
	case <-t.C:
	case <-ctx.Done():
	}
	return nil
}
