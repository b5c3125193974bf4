package store

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/postgres"
)

// db is the connection pool as the store uses it, with one addition: a
// statement that PostgreSQL refuses because a migration changed the schema
// under pgx's cached prepared statement (postgres.StaleStatement, "cached
// plan must not change result type") runs once more, after the whole pool
// was reset, on a new connection that prepares it afresh.
//
// pgx caches prepared statements per connection and forgets one only after it
// failed there, and leaves the retry to the application (see pgx's
// TestStmtCacheInvalidation): without the reset every pooled connection would
// fail once for every statement a migration touched. Refused statements did
// nothing, so running them again is safe; a refused statement inside a
// transaction aborts it, so inTx runs the whole transaction again.
type db struct{ *pgxpool.Pool }

// retry runs fn, and once more on fresh connections when it failed on a
// stale statement.
func (d db) retry(fn func() error) error {
	err := fn()
	if postgres.StaleStatement(err) {
		d.Pool.Reset() // connections in use close when they come back
		err = fn()
	}
	return err
}

// Exec is pgxpool.Pool.Exec, retried on a stale statement.
func (d db) Exec(ctx context.Context, sql string, args ...any) (tag pgconn.CommandTag, err error) {
	err = d.retry(func() error {
		tag, err = d.Pool.Exec(ctx, sql, args...)
		return err
	})
	return tag, err
}

// QueryRow is pgxpool.Pool.QueryRow, retried on a stale statement. The
// query runs when Scan is called; a refused statement assigns nothing.
func (d db) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return retryRow{d: d, ctx: ctx, sql: sql, args: args}
}

type retryRow struct {
	d    db
	ctx  context.Context
	sql  string
	args []any
}

func (r retryRow) Scan(dest ...any) error {
	return r.d.retry(func() error { return r.d.Pool.QueryRow(r.ctx, r.sql, r.args...).Scan(dest...) })
}

// Query is pgxpool.Pool.Query, retried on a stale statement. PostgreSQL
// refuses the statement before the first row, so the error shows at the
// first Next, and that is where the rows run the query again.
func (d db) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	again := func() (pgx.Rows, error) {
		d.Pool.Reset()
		return d.Pool.Query(ctx, sql, args...)
	}
	rows, err := d.Pool.Query(ctx, sql, args...)
	if postgres.StaleStatement(err) {
		return again()
	}
	if err != nil {
		return nil, err
	}
	return &retryRows{Rows: rows, again: again}, nil
}

// retryRows are pgx.Rows that run the query again once when the first Next
// fails on a stale statement.
type retryRows struct {
	pgx.Rows
	again func() (pgx.Rows, error) // nil after the first Next
	err   error                    // from running the query again
}

func (r *retryRows) Next() bool {
	again := r.again
	r.again = nil
	if r.Rows.Next() {
		return true
	}
	if again == nil || !postgres.StaleStatement(r.Rows.Err()) {
		return false
	}
	r.Rows.Close()
	rows, err := again()
	if err != nil {
		r.err = err
		return false
	}
	r.Rows = rows
	return rows.Next()
}

func (r *retryRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.Rows.Err()
}
