package defus

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters as OWASP recommends them (19 MiB, 2 passes, 1 lane).
// They are written into every hash, so raising them later keeps old hashes
// verifiable.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

var b64 = base64.RawStdEncoding

// HashPassword hashes pw with argon2id and returns a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// dummyHash is checked when no account matches, so an unknown e-mail
// address takes about as long to refuse as a wrong password.
var dummyHash = func() string {
	h, err := HashPassword("kein Konto – nur Zeit verbrauchen")
	if err != nil {
		panic(err)
	}
	return h
}()

// CheckPassword reports whether pw matches the PHC string hash, comparing in
// constant time. An empty or malformed hash checks against a dummy hash and
// reports false, taking the same time as a real check.
func CheckPassword(hash, pw string) bool {
	p, err := parsePHC(hash)
	valid := err == nil
	if !valid {
		p, _ = parsePHC(dummyHash)
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1 && valid
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
