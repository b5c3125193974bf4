package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
)

func TestCountAttemptWindows(t *testing.T) {
	t.Parallel()
	st, now := loginCounts(t)
	ctx := context.Background()
	pair := defus.Limit{Key: []byte("account+client"), Max: 2, Window: 15 * time.Minute}
	account := defus.Limit{Key: []byte("account"), Max: 3, Window: time.Hour}
	count := func(want time.Duration, limits ...defus.Limit) {
		t.Helper()
		got, err := st.CountAttempt(ctx, limits)
		if err != nil || got != want {
			t.Fatalf("wait = %v, %v; want %v", got, err, want)
		}
	}
	count(0, pair, account)
	*now = now.Add(5 * time.Minute)
	count(0, pair, account)
	count(10*time.Minute, pair, account) // pair used up: nothing counted
	count(0, account)                    // account: 3 of 3
	count(55*time.Minute, account)
	*now = now.Add(10 * time.Minute) // the pair's window has passed, the account's not
	count(45*time.Minute, pair, account)
	count(0, pair) // a new window
	count(0, pair)
	count(15*time.Minute, pair)

	// Settling: the cleared count ends, the refunded one loses an attempt.
	if err := st.SettleAttempt(ctx, [][]byte{pair.Key}, [][]byte{account.Key}); err != nil {
		t.Fatal(err)
	}
	count(0, pair, account)
	count(45*time.Minute, account)

	// Expired counts are deleted, current ones kept.
	*now = now.Add(time.Hour)
	count(0, defus.Limit{Key: []byte("new"), Max: 1, Window: time.Minute})
	n, err := st.DeleteExpiredLoginAttempts(ctx, *now)
	if err != nil || n != 2 {
		t.Errorf("deleted %d expired counts, %v; want 2", n, err)
	}
}

func TestCountAttemptConcurrently(t *testing.T) {
	t.Parallel()
	st, _ := loginCounts(t)
	limits := []defus.Limit{
		{Key: []byte("b"), Max: 7, Window: time.Hour},
		{Key: []byte("a"), Max: 100, Window: time.Hour},
	}
	var mu sync.Mutex
	var allowed int
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			wait, err := st.CountAttempt(context.Background(), limits)
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if allowed != 7 {
		t.Errorf("%d of 40 concurrent attempts allowed, want 7", allowed)
	}
	// Refused attempts counted nowhere: "a" holds the 7 as well.
	for range 93 {
		if wait, err := st.CountAttempt(context.Background(), limits[1:]); err != nil || wait != 0 {
			t.Fatalf("a: wait %v, %v", wait, err)
		}
	}
	if wait, _ := st.CountAttempt(context.Background(), limits[1:]); wait == 0 {
		t.Error("a: 101st attempt allowed")
	}
}
