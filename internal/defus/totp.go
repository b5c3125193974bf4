package defus

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Time-based one-time codes (TOTP, RFC 6238 over HOTP, RFC 4226) as every
// authenticator app reads them: HMAC-SHA1, 30-second steps, six digits.
// Written here rather than taken from a library because the check must
// return the step a code belongs to: a code is accepted once, and never
// again in the same step (the store keeps the last accepted step).
const (
	TOTPPeriod = 30 * time.Second
	TOTPDigits = 6
	// TOTPSkew is how many steps before and after now are accepted: clocks
	// of phones drift, and typing takes time.
	TOTPSkew = 1
	// RecoveryCodeCount is how many single-use recovery codes an account
	// gets when it switches the second factor on.
	RecoveryCodeCount = 10
)

// NewTOTPSecret makes a secret of 160 random bits, as RFC 4226 recommends.
func NewTOTPSecret() []byte {
	b := make([]byte, 20)
	rand.Read(b)
	return b
}

// TOTPSecretText is the secret as an app takes it typed in: base32 in
// groups of four.
func TOTPSecretText(secret []byte) string {
	s := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret)
	var groups []string
	for len(s) > 4 {
		groups, s = append(groups, s[:4]), s[4:]
	}
	return strings.Join(append(groups, s), " ")
}

// TOTPURI is the otpauth:// address the QR code holds.
func TOTPURI(secret []byte, account, issuer string) string {
	v := url.Values{}
	v.Set("secret", base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret))
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", fmt.Sprint(TOTPDigits))
	v.Set("period", fmt.Sprint(int(TOTPPeriod.Seconds())))
	return "otpauth://totp/" + url.PathEscape(issuer+":"+account) + "?" + v.Encode()
}

// TOTPStep is the step that t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod.Seconds()) }

// TOTPCode is the code of secret in step.
func TOTPCode(secret []byte, step int64) string {
	m := hmac.New(sha1.New, secret)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	n := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", TOTPDigits, n%1_000_000)
}

// CheckTOTP reports whether code is secret's code for a step near now
// (TOTPSkew) that is later than lastStep, and which step it is. Spaces in
// the code are ignored.
func CheckTOTP(secret []byte, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != TOTPDigits {
		return 0, false
	}
	cur := TOTPStep(now)
	for s := cur - TOTPSkew; s <= cur+TOTPSkew; s++ {
		if s > lastStep && subtle.ConstantTimeCompare([]byte(TOTPCode(secret, s)), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// recoveryAlphabet has no letters that are easily mistaken (0/o, 1/l/i).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewRecoveryCodes makes RecoveryCodeCount codes of the form "abcd-efgh-jk"
// (about 54 bits each).
func NewRecoveryCodes() []string {
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		b := make([]byte, 10)
		for j := range b {
			b[j] = recoveryAlphabet[randIndex(len(recoveryAlphabet))]
		}
		codes[i] = string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:])
	}
	return codes
}

// HashRecoveryCode is the stored form of a recovery code as typed (case,
// spaces and dashes do not matter): an HMAC under key, a server secret, so
// that a copy of the database alone does not allow guessing the codes.
func HashRecoveryCode(key []byte, code string) []byte {
	c := strings.ToLower(code)
	c = strings.NewReplacer("-", "", " ", "").Replace(c)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(c))
	return m.Sum(nil)
}
