package retention_test

import (
	"context"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/retention"
	"defus.de/portal/internal/store"
)

func TestOnceDeletesWhatHasExpired(t *testing.T) {
	t.Parallel()
	pool := seeded(t)
	now := start // the store's clock, moved by the test
	st := store.New(pool, func() time.Time { return now })
	ctx := context.Background()
	day := 24 * time.Hour

	// Closed (or counted) at the time the clock shows, then the clock runs
	// on: 400 days in all.
	for _, c := range []struct {
		org    string
		status defus.EnquiryStatus
		at     time.Duration // after start
	}{
		{"Beantwortet alt", defus.StatusAnswered, 0},
		{"Mitglied alt", defus.StatusBecameMember, 0},
		{"Offen alt", defus.StatusInProgress, 0},
		{"Neu alt", defus.StatusNew, 0},
		{"Abgelehnt knapp", defus.StatusRejected, 400*day - 365*day - time.Hour},
		{"Beantwortet jung", defus.StatusAnswered, 400*day - 364*day},
		{"Spam alt", defus.StatusSpam, 400*day - 31*day},
		{"Spam jung", defus.StatusSpam, 400*day - 29*day},
	} {
		now = start.Add(c.at)
		closedEnquiry(t, st, c.org, c.status)
	}
	now = start.Add(400*day - 2*time.Hour)
	for _, l := range []defus.Limit{
		{Key: []byte("abgelaufen"), Max: 5, Window: time.Hour},
		{Key: []byte("laeuft"), Max: 5, Window: 24 * time.Hour},
	} {
		if _, err := st.CountAttempt(ctx, []defus.Limit{l}); err != nil {
			t.Fatal(err)
		}
	}
	now = start.Add(400 * day)

	got, err := job(st).Once(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (retention.Result{Enquiries: 4, LoginAttempts: 1}); got != want {
		t.Errorf("Once = %+v, want %+v", got, want)
	}
	kept := map[string]bool{}
	rows, _ := pool.Query(ctx, `SELECT organisation FROM enquiries`)
	for rows.Next() {
		var org string
		rows.Scan(&org)
		kept[org] = true
	}
	for _, org := range []string{"Offen alt", "Neu alt", "Beantwortet jung", "Spam jung"} {
		if !kept[org] {
			t.Errorf("%s was deleted, want kept", org)
		}
	}
	if len(kept) != 4 {
		t.Errorf("kept %v, want the 4 above", kept)
	}
	var orphans int
	pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM mails WHERE enquiry_id IS NULL OR enquiry_id NOT IN (SELECT id FROM enquiries))
	                         + (SELECT count(*) FROM enquiry_notes WHERE enquiry_id NOT IN (SELECT id FROM enquiries))
	                         + (SELECT count(*) FROM enquiry_topics WHERE enquiry_id NOT IN (SELECT id FROM enquiries))`).Scan(&orphans)
	if orphans != 0 {
		t.Errorf("%d mails, notes or topics of deleted enquiries left", orphans)
	}
	if again, err := job(st).Once(ctx); err != nil || again != (retention.Result{}) {
		t.Errorf("second pass = %+v, %v; want nothing deleted", again, err)
	}
}

func TestRunDeletesAtOnceAndStopsWithItsContext(t *testing.T) {
	t.Parallel()
	pool := seeded(t)
	now := start
	st := store.New(pool, func() time.Time { return now })
	closedEnquiry(t, st, "Beantwortet alt", defus.StatusAnswered)
	now = now.Add(366 * 24 * time.Hour) // before Run starts, which reads it

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); job(st).Run(ctx) }()
	// The first pass runs at start, long before the hourly one.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM enquiries`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the expired enquiry is still there: %d enquiries", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done // Run returns once its context ends
}
