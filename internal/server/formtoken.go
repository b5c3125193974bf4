package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// A form token is rendered into public forms as a hidden field:
// "<unix milliseconds>.<random key>.<signature>". The signature (HMAC-SHA256
// with FORM_SECRET) proves the time was ours, so the time between showing
// and sending a form can be measured; the random key makes a resent form
// recognisable (idempotency). Every instance with the same FORM_SECRET
// accepts the tokens of the others.

// newFormToken makes a token for a form rendered at now.
func (s *Server) newFormToken(now time.Time) string {
	b := make([]byte, 16)
	rand.Read(b)
	payload := strconv.FormatInt(now.UnixMilli(), 10) + "." + hex.EncodeToString(b)
	return payload + "." + s.formSignature(payload)
}

// checkFormToken returns the time a token was issued and its key, or
// ok=false when the token is missing, malformed or not signed by us.
func (s *Server) checkFormToken(token string) (issued time.Time, key string, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(parts[1]) != 32 {
		return time.Time{}, "", false
	}
	payload := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(parts[2]), []byte(s.formSignature(payload))) {
		return time.Time{}, "", false
	}
	ms, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return time.Time{}, "", false
	}
	return time.UnixMilli(ms), parts[1], true
}

func (s *Server) formSignature(payload string) string {
	m := hmac.New(sha256.New, s.cfg.FormSecret)
	m.Write([]byte("form-token\x00" + payload))
	return hex.EncodeToString(m.Sum(nil))
}
