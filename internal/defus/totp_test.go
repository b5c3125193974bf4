package defus_test

import (
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
)

// The test vectors of RFC 6238, appendix B (SHA-1), cut to six digits.
func TestTOTPCodeMatchesRFC6238(t *testing.T) {
	secret := []byte("12345678901234567890")
	for unix, want := range map[int64]string{
		59: "287082", 1111111109: "081804", 1111111111: "050471", 1234567890: "005924", 2000000000: "279037", 20000000000: "353130",
	} {
		if got := defus.TOTPCode(secret, defus.TOTPStep(time.Unix(unix, 0))); got != want {
			t.Errorf("T=%d: code %s, want %s", unix, got, want)
		}
	}
}

func TestCheckTOTPAcceptsNeighboursOnceAndNoReplays(t *testing.T) {
	secret := defus.NewTOTPSecret()
	now := time.Date(2026, 11, 24, 10, 0, 15, 0, time.UTC)
	cur := defus.TOTPStep(now)
	for _, c := range []struct {
		step int64
		last int64
		ok   bool
	}{
		{cur, 0, true}, {cur - 1, 0, true}, {cur + 1, 0, true},
		{cur - 2, 0, false}, {cur + 2, 0, false},
		{cur, cur, false},     // used already in this step
		{cur - 1, cur, false}, // older than the last used
		{cur + 1, cur, true},
	} {
		step, ok := defus.CheckTOTP(secret, defus.TOTPCode(secret, c.step), now, c.last)
		if ok != c.ok || (ok && step != c.step) {
			t.Errorf("step %+d after %+d: got %d %v, want %v", c.step-cur, c.last-cur, step-cur, ok, c.ok)
		}
	}
	code := defus.TOTPCode(secret, cur)
	if _, ok := defus.CheckTOTP(secret, code[:3]+" "+code[3:], now, 0); !ok {
		t.Error("a code typed with a space is refused")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := defus.CheckTOTP(secret, bad, now, 0); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := defus.NewRecoveryCodes()
	if len(codes) != defus.RecoveryCodeCount {
		t.Fatalf("%d codes", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 12 || seen[c] {
			t.Errorf("code %q", c)
		}
		seen[c] = true
	}
	key := []byte("k")
	a, b := defus.HashRecoveryCode(key, codes[0]), defus.HashRecoveryCode(key, " "+strings.ToUpper(strings.ReplaceAll(codes[0], "-", ""))+" ")
	if string(a) != string(b) {
		t.Error("case, spaces or dashes change the hash")
	}
	if string(a) == string(defus.HashRecoveryCode([]byte("other"), codes[0])) {
		t.Error("the hash does not depend on the key")
	}
}

func TestTOTPURI(t *testing.T) {
	got := defus.TOTPURI([]byte("12345678901234567890"), "anna@defus.de", "DEFUS")
	want := "otpauth://totp/DEFUS:anna@defus.de?algorithm=SHA1&digits=6&issuer=DEFUS&period=30&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := defus.TOTPSecretText([]byte("12345678901234567890")); got != "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ" {
		t.Errorf("secret text %q", got)
	}
}
