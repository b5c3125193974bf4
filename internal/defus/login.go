package defus

import "time"

// LoginLimit is one allowance of login attempts: at most Max attempts may
// be counted under Key within Window, which starts with the first attempt.
// Key is an opaque keyed hash of what is counted (an account and a client,
// a device, …); UserID is the account the count belongs to, 0 for none,
// so that lifting an account's locks finds its counts.
type LoginLimit struct {
	Key    []byte
	UserID int64
	Max    int
	Window time.Duration
}
