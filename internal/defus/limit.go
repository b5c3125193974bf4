package defus

import "time"

// Limit is one allowance of attempts — logins, enquiry posts, any action a
// client may repeat only so often: at most Max attempts may be counted under
// Key within Window, which starts with the first attempt. Key is an opaque
// keyed hash of what is counted (an account and a client, a device, a
// client network for a form, …); UserID is the account the count belongs
// to, 0 for none, so that lifting an account's locks finds its counts.
type Limit struct {
	Key    []byte
	UserID int64
	Max    int
	Window time.Duration
}
