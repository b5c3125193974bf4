package defus

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id parameters of new hashes: memory in KiB,
// passes and lanes. They are written into every hash, so changing them
// later keeps old hashes verifiable.
type PasswordParams struct {
	Memory  uint32
	Time    uint32
	Threads uint8
}

// DefaultPasswordParams are OWASP's recommendation (19 MiB, 2 passes,
// 1 lane). Production never uses anything else.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	argonKeyLen  = 32
	argonSaltLen = 16
)

// hashParams are the parameters of new hashes and of the check against no
// account. Only tests change them (SetPasswordParams), so that the many
// logins of a test run stay cheap.
var hashParams atomic.Pointer[PasswordParams]

func init() { hashParams.Store(&DefaultPasswordParams) }

// SetPasswordParams sets the argon2id parameters of new hashes and returns
// the previous ones. It is meant for TestMain (cheap hashes in tests) and
// benchmarks (the real cost); the portal itself never calls it.
func SetPasswordParams(p PasswordParams) PasswordParams {
	return *hashParams.Swap(&p)
}

var b64 = base64.RawStdEncoding

// HashPassword hashes pw with argon2id and returns a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	p := hashParams.Load()
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// dummySalt salts the check of a password against no account.
var dummySalt = make([]byte, argonSaltLen)

// CheckPassword reports whether pw matches the PHC string hash, comparing in
// constant time. An empty or malformed hash (no account has this e-mail
// address) costs one argon2id computation with the parameters of new
// hashes, as a real check does, and reports false: an unknown address takes
// as long to refuse as a wrong password.
func CheckPassword(hash, pw string) bool {
	p, err := parsePHC(hash)
	if err != nil {
		d := hashParams.Load()
		argon2.IDKey([]byte(pw), dummySalt, d.Time, d.Memory, d.Threads, argonKeyLen)
		return false
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}

type phc struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

func parsePHC(s string) (phc, error) {
	var p phc
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, errors.New("not an argon2id hash")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, errors.New("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, fmt.Errorf("argon2 parameters: %w", err)
	}
	if p.memory < 8 || p.memory > 1<<22 || p.time < 1 || p.time > 100 || p.threads < 1 {
		return p, errors.New("argon2 parameters out of range")
	}
	var err error
	if p.salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, fmt.Errorf("argon2 salt: %w", err)
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < 16 {
		return p, errors.New("argon2 hash malformed")
	}
	return p, nil
}

// passwordAlphabet leaves out characters that are easily confused (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random password of 20 characters from a
// 57-character alphabet (about 116 bits), grouped for reading aloud:
// xxxxx-xxxxx-xxxxx-xxxxx.
func GeneratePassword() string {
	var sb strings.Builder
	for i := range 20 {
		if i > 0 && i%5 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(passwordAlphabet[randIndex(len(passwordAlphabet))])
	}
	return sb.String()
}

// randIndex returns a uniformly random index below n, without modulo bias.
func randIndex(n int) int {
	limit := 256 - 256%n
	b := make([]byte, 1)
	for {
		if _, err := rand.Read(b); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}
