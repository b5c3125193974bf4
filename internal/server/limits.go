package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"math"
	"net/http"
	"strconv"
	"time"

	"defus.de/portal/internal/defus"
)

// One limiter for everything a client may repeat only so often: the counts
// live in PostgreSQL (store.CountAttempt), so every instance of the server
// shares them and a restart forgets nothing. Logins count several limits
// at once (logins.go); a form counts one.

// limitKey is the key an attempt count is kept under: a keyed hash of its
// kind and parts, which cannot be turned back into an address.
func (s *Server) limitKey(kind string, parts ...string) []byte {
	m := hmac.New(sha256.New, s.loginSecret)
	m.Write([]byte(kind))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return m.Sum(nil)[:16]
}

// allowAttempt counts one attempt under l. When l is used up it answers 429
// with a German page and Retry-After and reports false; the caller then
// stops.
func (s *Server) allowAttempt(w http.ResponseWriter, r *http.Request, l defus.Limit) bool {
	return s.allowAttemptSaying(w, r, l, "")
}

// allowAttemptSaying is allowAttempt with what the 429 page says instead of
// the words about the visitor's connection ("" for those).
func (s *Server) allowAttemptSaying(w http.ResponseWriter, r *http.Request, l defus.Limit, why string) bool {
	wait, err := s.store.CountAttempt(r.Context(), []defus.Limit{l})
	if err != nil {
		s.error(w, r, err)
		return false
	}
	if wait > 0 {
		s.tooManyRequestsSaying(w, r, wait, why)
		return false
	}
	return true
}

// setRetryAfter tells the client to come back after d (whole seconds, rounded up).
func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
}

// germanMinutes is d in whole minutes, rounded up: "1 Minute", "15 Minuten".
func germanMinutes(d time.Duration) string {
	n := int(math.Ceil(d.Minutes()))
	if n == 1 {
		return "1 Minute"
	}
	return strconv.Itoa(n) + " Minuten"
}
