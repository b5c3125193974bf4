package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// rateLimiter allows at most max events per key within a sliding window. It
// lives in memory only, per process; keys are forgotten once their window
// has passed, so client addresses are never kept longer than needed.
type rateLimiter struct {
	mu        sync.Mutex
	max       int
	window    time.Duration
	hits      map[string][]time.Time
	lastSweep time.Time
	salt      []byte // makes client keys useless outside this process
}

func newRateLimiter(max int, window time.Duration) *rateLimiter {
	salt := make([]byte, 16)
	rand.Read(salt)
	return &rateLimiter{max: max, window: window, hits: map[string][]time.Time{}, salt: salt}
}

// allow records an event for key at now and reports whether it is within the
// limit. Refused events are not counted.
func (l *rateLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > l.window {
		for k, ts := range l.hits {
			if len(recent(ts, now, l.window)) == 0 {
				delete(l.hits, k)
			}
		}
		l.lastSweep = now
	}
	ts := recent(l.hits[key], now, l.window)
	if len(ts) >= l.max {
		l.hits[key] = ts
		return false
	}
	l.hits[key] = append(ts, now)
	return true
}

// retryAfter is how long a refused client should wait, at most.
func (l *rateLimiter) retryAfter() time.Duration { return l.window }

// recent keeps the times within window before now.
func recent(ts []time.Time, now time.Time, window time.Duration) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= window {
		i++
	}
	return ts[i:]
}

// clientKey identifies a client by its network (see clientNetwork): a
// salted hash, held in memory only.
func (l *rateLimiter) clientKey(network string) string {
	h := sha256.New()
	h.Write(l.salt)
	h.Write([]byte(network))
	return hex.EncodeToString(h.Sum(nil)[:12])
}
