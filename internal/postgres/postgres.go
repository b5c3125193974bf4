// Package postgres opens the connection pool and runs the embedded goose
// migrations. It also names the PostgreSQL errors the store cares about.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"defus.de/portal/migrations"
)

// Settings size the pool and bound how long a statement may run. The zero
// value keeps pgx's defaults (or what the URL says) and sets no timeout.
type Settings struct {
	MaxConns int32 // DB_MAX_CONNS; 0: pool_max_conns in the URL, or pgx's default
	// StatementTimeout ends every statement, a wait for a lock included,
	// after this long (PostgreSQL's statement_timeout and lock_timeout), so
	// a stalled table costs a visitor seconds, not minutes. 0: none.
	StatementTimeout time.Duration
}

// Open connects a pool to url with pgx's defaults and no timeouts.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	return OpenWith(ctx, url, Settings{})
}

// OpenWith connects a pool to url with settings and checks that the database answers.
func OpenWith(ctx context.Context, url string, settings Settings) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.RuntimeParams["application_name"] = "defus"
	if settings.MaxConns > 0 {
		cfg.MaxConns = settings.MaxConns
	}
	if ms := settings.StatementTimeout.Milliseconds(); ms > 0 {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(ms)
		cfg.ConnConfig.RuntimeParams["lock_timeout"] = fmt.Sprint(ms)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database %s@%s:%d/%s: %w",
			cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	return pool, nil
}

// Migrator returns a goose provider over the embedded migrations. Close the
// returned closer when done; it releases the provider's own connections, not
// the pool.
//
// Migrations run on connections of their own, made like pool's but without
// statement_timeout and lock_timeout: rewriting a large table may rightly
// take longer than any page.
func Migrator(pool *pgxpool.Pool) (*goose.Provider, func() error, error) {
	cfg := pool.Config()
	delete(cfg.ConnConfig.RuntimeParams, "statement_timeout")
	delete(cfg.ConnConfig.RuntimeParams, "lock_timeout")
	own, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("open database for migrations: %w", err)
	}
	db := stdlib.OpenDBFromPool(own)
	closeAll := func() error {
		err := db.Close()
		own.Close()
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("goose provider: %w", err)
	}
	return p, closeAll, nil
}

// LatestMigration is the version of the newest embedded migration: the
// schema version this binary's code is written for.
func LatestMigration() (int64, error) {
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return 0, err
	}
	var latest int64
	for _, name := range names {
		v, err := goose.NumericComponent(name)
		if err != nil {
			return 0, fmt.Errorf("migration %s: %w", name, err)
		}
		latest = max(latest, v)
	}
	return latest, nil
}

// MigrateUp applies every pending migration.
func MigrateUp(ctx context.Context, pool *pgxpool.Pool) error {
	p, closeDB, err := Migrator(pool)
	if err != nil {
		return err
	}
	defer closeDB()
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}

// IsUniqueViolation reports whether err is a unique-constraint violation,
// and on which constraint.
func IsUniqueViolation(err error) (constraint string, ok bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return pgErr.ConstraintName, true
	}
	return "", false
}

// Unavailable reports whether err means that the database did not answer in
// time or at all (a stalled lock, a timeout, a restart, a full or unreachable
// server) rather than that the request was wrong: the same request may well
// succeed a little later.
func Unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) {
		return true // statement, request or pool-acquire deadline
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57014", // query_canceled: statement_timeout, or the request's deadline
			"55P03",                   // lock_not_available: lock_timeout
			"57P01", "57P02", "57P03", // admin_shutdown, crash_shutdown, cannot_connect_now
			"53300": // too_many_connections
			return true
		}
		return strings.HasPrefix(pgErr.Code, "08") // connection_exception
	}
	var connectErr *pgconn.ConnectError
	return errors.As(err, &connectErr) // refused, unreachable, or no answer to the handshake
}

// StaleStatement reports whether err is PostgreSQL refusing a prepared
// statement because the schema changed under it (SQLSTATE 0A000, "cached
// plan must not change result type"), as after `defus migrate` under a
// running server. The statement did nothing: run it again on a connection
// that prepares it afresh. pgx matches only the code, too; the message may
// be translated.
func StaleStatement(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "0A000"
}

// CheckMigrated returns an error when migrations are pending, so the server
// never runs against a schema older than its code.
func CheckMigrated(ctx context.Context, pool *pgxpool.Pool) error {
	p, closeDB, err := Migrator(pool)
	if err != nil {
		return err
	}
	defer closeDB()
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("check migrations: %w", err)
	}
	if pending {
		return errors.New("the database has pending migrations: run 'defus migrate up' first")
	}
	return nil
}
