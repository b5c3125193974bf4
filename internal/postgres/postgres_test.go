package postgres_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/postgres"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// TestUnavailable sorts real failures: those of a stalled or unreachable
// database are temporary, those of a wrong query are not.
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	pool, err := postgres.OpenWith(ctx, dbtest.URL(t), postgres.Settings{StatementTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	tx, err := dbtest.Pool(t).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE members IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := l.Addr().String()
	l.Close()

	noStatementTimeout := dbtest.Pool(t)
	for _, tc := range []struct {
		name string
		err  func() error
		want bool
	}{
		{"statement or lock timeout", func() error {
			_, err := pool.Exec(ctx, `SELECT count(*) FROM members`)
			return err
		}, true},
		{"deadline of the request", func() error {
			short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			defer cancel()
			_, err := noStatementTimeout.Exec(short, `SELECT count(*) FROM members`)
			return err
		}, true},
		{"connection refused", func() error {
			_, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@%s/defus?connect_timeout=5", closedPort))
			return err
		}, true},
		{"wrong query", func() error {
			_, err := pool.Exec(ctx, `SELECT no_such_column FROM topics`)
			return err
		}, false},
		{"unique violation", func() error { return &pgconn.PgError{Code: "23505"} }, false},
		{"not found", func() error { return pgx.ErrNoRows }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if err == nil {
				t.Fatal("no error")
			}
			if got := postgres.Unavailable(fmt.Errorf("wrapped: %w", err)); got != tc.want {
				t.Errorf("Unavailable(%v) = %v, want %v", err, got, tc.want)
			}
		})
	}
}

func TestPoolSize(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		query    string
		maxConns int32
		want     int32
	}{
		{"DB_MAX_CONNS", "", 12, 12},
		{"pool_max_conns in the URL", "&pool_max_conns=3", 0, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool, err := postgres.OpenWith(ctx, dbtest.URL(t)+tc.query, postgres.Settings{MaxConns: tc.maxConns})
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			if got := pool.Config().MaxConns; got != tc.want {
				t.Errorf("MaxConns = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestRestorableWithEmptySearchPath: pg_restore fills generated columns and
// builds indexes with an empty search_path. The functions behind the search
// columns must still find unaccent and each other then, or a backup of the
// portal cannot be restored.
func TestRestorableWithEmptySearchPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn, err := dbtest.Pool(t).Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET search_path = ''`); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(context.Background(), `RESET search_path`)
	var folded, translit string
	var tsv string
	err = conn.QueryRow(ctx, `SELECT public.defus_fold('Öhringen'), public.defus_translit('Öhringen'),
		public.defus_tsv('Städte', 'A')::text`).Scan(&folded, &translit, &tsv)
	if err != nil {
		t.Fatalf("search functions under an empty search_path: %v", err)
	}
	if folded != "ohringen" || translit != "oehringen" || tsv != "'stadt':1A" {
		t.Errorf("fold %q, translit %q, tsvector %q", folded, translit, tsv)
	}
	// Inserting a row computes its generated search column, as COPY does.
	_, err = conn.Exec(ctx, `INSERT INTO public.topics (slug, title) VALUES ('wiederherstellung', 'Wiederherstellung')`)
	if err != nil {
		t.Fatalf("insert under an empty search_path: %v", err)
	}
}
