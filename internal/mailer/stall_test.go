package mailer_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/mailer"
)

func TestHungServerDoesNotHoldOtherMail(t *testing.T) {
	st, clk := fresh(t)
	pool := dbtest.Pool(t)
	ctx := context.Background()
	const stuck = "haengt@example.org"

	// The server swallows the message for one recipient and never answers
	// DATA while hanging is on. Meanwhile the test looks at the database from
	// inside the conversation.
	var hanging atomic.Bool
	hanging.Store(true)
	release := make(chan struct{})
	var checks sync.Once
	checked := make(chan struct{})
	var idleInTx, attempts int
	var lockErr, claimErr error
	in := &inbox{hang: func(to []string) bool {
		if to[0] != stuck || !hanging.Load() {
			return false
		}
		checks.Do(func() {
			defer close(checked)
			claimErr = pool.QueryRow(ctx, `SELECT attempts FROM mails WHERE to_addr = $1`, stuck).Scan(&attempts)
			pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			                    WHERE datname = current_database() AND state LIKE 'idle in transaction%'`).Scan(&idleInTx)
			lockErr = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				_, err := tx.Exec(ctx, `SELECT 1 FROM mails WHERE to_addr = $1 FOR UPDATE NOWAIT`, stuck)
				return err
			})
		})
		<-release
		return true
	}}
	startInbox(t, in, "127.0.0.1:0")
	t.Cleanup(func() { close(release) })

	for i := range 5 {
		enquiry(t, st, clk, fmt.Sprintf("Stadt %d", i))
	}
	if _, err := pool.Exec(ctx, `UPDATE mails SET to_addr = $1 WHERE id = (SELECT min(id) FROM mails)`, stuck); err != nil {
		t.Fatal(err)
	}
	w := worker(t, st, clk, in.addr)
	w.Sender.(*mailer.SMTP).CommandTimeout = 200 * time.Millisecond

	sent, err := w.DeliverDue(ctx)
	if err != nil || sent != 9 {
		t.Fatalf("DeliverDue = %d, %v; want the 9 other mails sent", sent, err)
	}
	if got := len(in.received()); got != 9 {
		t.Errorf("server received %d mails, want 9", got)
	}
	<-checked
	if claimErr != nil || attempts != 1 {
		t.Errorf("during the send the claim was not committed: attempts=%d, %v", attempts, claimErr)
	}
	if idleInTx != 0 {
		t.Errorf("%d transactions open while the SMTP server was talked to, want none", idleInTx)
	}
	if lockErr != nil {
		t.Errorf("the mail being sent was locked: %v", lockErr)
	}
	if got, want := mailRows(t)[0], "queued/1/true/10:01:00"; got != want {
		t.Errorf("hung mail recorded as %s, want %s (retry in a minute)", got, want)
	}

	// The server answers again; the retry delivers the mail, once.
	hanging.Store(false)
	clk.Add(time.Minute)
	if sent, err := w.DeliverDue(ctx); err != nil || sent != 1 {
		t.Fatalf("retry: DeliverDue = %d, %v; want 1", sent, err)
	}
	seen := messageIDs(in)
	if len(seen) != 10 {
		t.Errorf("server has %d distinct mails, want 10", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s received %d times", id, n)
		}
	}
}

func TestServerThatNeverGreetsDoesNotHoldTheWorker(t *testing.T) {
	st, clk := fresh(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept() // and never say a word
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	enquiry(t, st, clk, "Stille Stadt")
	w := worker(t, st, clk, l.Addr().String())
	w.Sender.(*mailer.SMTP).CommandTimeout = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // only a bound for a broken test
	defer cancel()
	if sent, err := w.DeliverDue(ctx); sent != 0 || err != nil {
		t.Fatalf("DeliverDue = %d, %v; want 0 sent and no error", sent, err)
	}
	for _, r := range mailRows(t) {
		if r != "queued/1/true/10:01:00" {
			t.Errorf("mail recorded as %s, want queued for a retry in a minute", r)
		}
	}
	var lastErr string
	dbtest.Pool(t).QueryRow(context.Background(), `SELECT last_error FROM mails LIMIT 1`).Scan(&lastErr)
	if !strings.Contains(lastErr, "greeting") {
		t.Errorf("last error %q does not name the missing greeting", lastErr)
	}
}

func TestCrashAfterAcceptanceSendsTheMailAgainWithTheSameMessageID(t *testing.T) {
	st, clk := fresh(t)
	in := &inbox{}
	startInbox(t, in, "127.0.0.1:0")
	enquiry(t, st, clk, "Absturzstadt")
	w := worker(t, st, clk, in.addr)
	w.Lease = 5 * time.Minute
	ctx := context.Background()

	// A worker claims a mail and the server accepts it; the worker dies
	// before it records the outcome.
	m, err := st.ClaimMail(ctx, clk.Now(), w.Lease)
	if err != nil || m == nil {
		t.Fatalf("ClaimMail = %v, %v", m, err)
	}
	if err := w.Sender.Send(ctx, m.From, []string{m.To}, mailer.Message(*m)); err != nil {
		t.Fatal(err)
	}

	// While the lease runs, another worker leaves that mail alone.
	if sent, err := w.DeliverDue(ctx); err != nil || sent != 1 {
		t.Fatalf("during the lease: DeliverDue = %d, %v; want only the other mail", sent, err)
	}
	// After it, the mail goes again: at least once, under the same Message-ID.
	clk.Add(w.Lease)
	if sent, err := w.DeliverDue(ctx); err != nil || sent != 1 {
		t.Fatalf("after the lease: DeliverDue = %d, %v; want the claimed mail again", sent, err)
	}
	seen := messageIDs(in)
	if got := seen["<"+m.MessageID+">"]; got != 2 {
		t.Errorf("claimed mail received %d times, want 2 (at least once, same Message-ID): %v", got, seen)
	}
	if len(seen) != 2 {
		t.Errorf("server has %d distinct mails, want 2", len(seen))
	}
	rows := mailRows(t)
	if !strings.HasPrefix(rows[0], "sent/2/false/") || !strings.HasPrefix(rows[1], "sent/1/false/") {
		t.Errorf("mails recorded as %v, want both sent, the claimed one after 2 attempts", rows)
	}
	if sent, _ := w.DeliverDue(ctx); sent != 0 {
		t.Errorf("%d sent again after it was recorded", sent)
	}
}
