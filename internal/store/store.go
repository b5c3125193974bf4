// Package store reads and writes the portal's data in PostgreSQL. One Store,
// one file per aggregate, plain SQL. Each method owns its transaction and
// wraps errors with what it was doing; "not found" is defus.ErrNotFound.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/postgres"
)

// Store is the portal's data access.
type Store struct {
	pool db
	// now is the process's one clock. Every time the store writes
	// (created_at, updated_at, audit entries) comes from it, never from
	// PostgreSQL's now(), so tests with a fixed clock see consistent times.
	now func() time.Time
}

// New returns a Store over pool that takes the time from now (time.Now when nil).
func New(pool *pgxpool.Pool, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{pool: db{pool}, now: now}
}

// Now is the store's clock, the one clock of the process.
func (s *Store) Now() time.Time { return s.now() }

// SchemaVersion is the newest migration applied to the database, as goose
// records it.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	var v *int64
	if err := s.pool.QueryRow(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}

// notFound maps pgx.ErrNoRows to defus.ErrNotFound and wraps everything else.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, defus.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// slugError maps a unique violation on a slug to a field error on "slug"
// (defus.MsgSlugTaken) and wraps everything else.
func slugError(err error, what string) error {
	if c, ok := postgres.IsUniqueViolation(err); ok && strings.HasSuffix(c, "_slug_key") {
		return fmt.Errorf("%s: %w", what, defus.FieldErrors{"slug": defus.MsgSlugTaken})
	}
	return fmt.Errorf("%s: %w", what, err)
}

// where collects optional WHERE parts with numbered parameters.
type where struct {
	parts []string
	args  []any
}

// add appends a condition; "?" in cond is replaced by the next parameter number.
func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.parts = append(w.parts, strings.Replace(cond, "?", fmt.Sprintf("$%d", len(w.args)), 1))
}

// addFolded appends a search for text q in any of cols, as the office's
// lists search: case, umlauts and accents folded, so "ohringen" and
// "oehringen" both find "Öhringen" (defus_fold, defus_translit in the
// migration 00023).
func (w *where) addFolded(q string, cols ...string) {
	w.args = append(w.args, defus.LikePattern(q))
	n := fmt.Sprintf("$%d", len(w.args))
	var or []string
	for _, c := range cols {
		or = append(or, "defus_fold("+c+") LIKE defus_fold("+n+")", "defus_translit("+c+") LIKE defus_translit("+n+")")
	}
	w.parts = append(w.parts, "("+strings.Join(or, " OR ")+")")
}

// addRaw appends a condition without a parameter.
func (w *where) addRaw(cond string) { w.parts = append(w.parts, cond) }

func (w *where) String() string {
	if len(w.parts) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(w.parts, "\n  AND ")
}
