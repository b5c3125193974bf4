package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// How every instance learns what changed
//
// auditTx, the one place every write passes, also sends a PostgreSQL
// notification on ChangesChannel with the entity that changed, in the same
// transaction: PostgreSQL delivers it when the transaction commits and never
// when it rolls back. Each instance of the portal listens on a connection of
// its own (ListenChanges) and flushes its page cache. Writes that change
// what pages show but write no audit entry (the size of a picture found
// when its variants were made) notify with notifyTx themselves.
//
// The instance that made the change also hears it at once, without waiting
// for the notification: inTx calls the change hook after the commit (see
// SetChangeHook).

// ChangesChannel is the notification channel of changes; the payload is
// the entity (defus.EntityEvent, …) or a token of Sync.
const ChangesChannel = "defus_changes"

// notifyTx sends the notification that entity changed, delivered when tx
// commits.
func notifyTx(ctx context.Context, tx pgx.Tx, entity string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, ChangesChannel, entity); err != nil {
		return fmt.Errorf("notify change of %s: %w", entity, err)
	}
	if c, ok := tx.(*changeTx); ok {
		c.entities = append(c.entities, entity)
	}
	return nil
}

// Notify sends payload on ChangesChannel outside any change (Sync's token).
func (s *Store) Notify(ctx context.Context, payload string) error {
	if _, err := s.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, ChangesChannel, payload); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// changeTx is the transaction inTx hands to its function: it remembers the
// entities that notifyTx announced, for the change hook after the commit.
type changeTx struct {
	pgx.Tx
	entities []string
}

// SetChangeHook has hook called with the entity of every change this
// process commits, right after the commit (its notification reaches the
// other instances through PostgreSQL).
func (s *Store) SetChangeHook(hook func(entity string)) { s.changed.Store(&hook) }

// changeHook holds the hook of SetChangeHook.
type changeHook = atomic.Pointer[func(entity string)]

func (s *Store) committed(c *changeTx) {
	if h := s.changed.Load(); h != nil {
		for _, e := range c.entities {
			(*h)(e)
		}
	}
}

// Connector returns what ListenChanges needs to open its own connection,
// made as the pool's are. It is one connection more than DB_MAX_CONNS: the
// pool's budget stays the pages'.
func Connector(pool *pgxpool.Pool) func(context.Context) (*pgx.Conn, error) {
	cfg := pool.Config().ConnConfig
	return func(ctx context.Context) (*pgx.Conn, error) {
		return pgx.ConnectConfig(ctx, cfg.Copy())
	}
}

// ChangeListener is told what ListenChanges hears.
type ChangeListener struct {
	Connected func()               // listening: from now on no change goes unheard
	Lost      func(err error)      // not listening (changes may go unheard) until Connected
	Changed   func(payload string) // a notification
}

// listenPing is how long the listening connection may stay silent before it
// is asked whether it still works.
const listenPing = 30 * time.Second

// ListenChanges listens on ChangesChannel on a connection of its own until
// ctx ends, and opens a new one after a lost connection (after 0.1 s,
// doubling up to 5 s). It calls l.Lost with ctx's error when it returns.
func ListenChanges(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), l ChangeListener) {
	wait := 100 * time.Millisecond
	for {
		err := listenOnce(ctx, connect, l, func() { wait = 100 * time.Millisecond })
		l.Lost(err)
		if ctx.Err() != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func listenOnce(ctx context.Context, connect func(context.Context) (*pgx.Conn, error), l ChangeListener, connected func()) error {
	conn, err := connect(ctx)
	if err != nil {
		return fmt.Errorf("listen for changes: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+ChangesChannel); err != nil {
		return fmt.Errorf("listen for changes: %w", err)
	}
	connected()
	l.Connected()
	for {
		waitCtx, cancel := context.WithTimeout(ctx, listenPing)
		n, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			l.Changed(n.Payload)
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			if err := conn.Ping(ctx); err != nil {
				return fmt.Errorf("listen for changes: ping: %w", err)
			}
		default:
			return fmt.Errorf("listen for changes: %w", err)
		}
	}
}

// turnovers select the moments after $1 at which a public page changes
// with time alone, besides midnight in Berlin (the server adds that): an
// event starts ("läuft") and ends (from the upcoming to the past ones; an
// event without duration a microsecond after its time, see
// defus.Event.Upcoming), and a scheduled article appears. A resource whose
// pages change at a stored moment adds its query here.
var turnovers = []string{
	`SELECT min(starts_at) FROM events WHERE published AND starts_at > $1`,
	`SELECT min(ends_at) FROM events WHERE published AND ends_at > $1`,
	`SELECT min(ends_at) + interval '1 microsecond' FROM events WHERE published AND starts_at = ends_at AND ends_at >= $1`,
	`SELECT min(published_at) FROM articles WHERE published AND published_at > $1`, // as FindNextScheduled
}

// NextTurnover returns the first moment after now at which a public page
// changes with time alone (see turnovers), or the zero time when none is
// stored.
func (s *Store) NextTurnover(ctx context.Context, now time.Time) (time.Time, error) {
	q := `SELECT min(t) FROM (`
	for i, t := range turnovers {
		if i > 0 {
			q += "\nUNION ALL "
		}
		q += "(" + t + ")"
	}
	q += `) x(t)`
	var at *time.Time
	if err := s.pool.QueryRow(ctx, q, now).Scan(&at); err != nil {
		return time.Time{}, fmt.Errorf("next turnover: %w", err)
	}
	if at == nil {
		return time.Time{}, nil
	}
	return *at, nil
}
