// Package dbtest gives each test package a fresh PostgreSQL database, cloned
// from a template that was migrated once per set of migrations.
//
// Use it from TestMain so the database is dropped afterwards:
//
//	func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
//
// and call dbtest.Pool(t) in tests. The server is found like `make run`
// finds it (see package devdb), from DATABASE_URL or the local default.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/devdb"
	"defus.de/portal/internal/postgres"
	"defus.de/portal/migrations"
)

var (
	once    sync.Once
	pool    *pgxpool.Pool
	dbName  string
	baseCfg *pgx.ConnConfig
	setupEr error
)

// Main runs the tests and drops the package's database afterwards.
func Main(m *testing.M) int {
	code := m.Run()
	if pool != nil {
		pool.Close()
		if err := dropDatabase(context.Background(), dbName); err != nil {
			fmt.Fprintln(os.Stderr, "dbtest:", err)
		}
	}
	return code
}

// Pool returns the pool of this test package's database, creating the
// database on first use. Tests within a package share it.
func Pool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	once.Do(func() { setupEr = setup(context.Background()) })
	if setupEr != nil {
		tb.Fatalf("dbtest: %v", setupEr)
	}
	return pool
}

// URL returns the connection URL of this package's database (after Pool).
func URL(tb testing.TB) string {
	tb.Helper()
	Pool(tb)
	cfg := baseCfg.Copy()
	cfg.Database = dbName
	return URLFor(cfg)
}

func setup(ctx context.Context) error {
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		dsn = config.DefaultDatabaseURL
	}
	root, err := devdb.RepoRoot()
	if err != nil {
		return err
	}
	if dsn, err = devdb.Ensure(ctx, dsn, root); err != nil {
		return err
	}
	if baseCfg, err = pgx.ParseConfig(dsn); err != nil {
		return err
	}
	tpl, err := templateName()
	if err != nil {
		return err
	}
	dbName = "defus_test_" + randomHex(6)

	conn, err := pgx.ConnectConfig(ctx, devdb.Maintenance(baseCfg))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	// One package at a time builds the template or clones from it:
	// CREATE DATABASE … TEMPLATE fails while anyone is connected to the template.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(7260418)"); err != nil {
		return err
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock(7260418)")

	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tpl).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if err := buildTemplate(ctx, conn, tpl); err != nil {
			return err
		}
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident(dbName)+" TEMPLATE "+ident(tpl)); err != nil {
		return fmt.Errorf("clone %s: %w", tpl, err)
	}
	cfg := baseCfg.Copy()
	cfg.Database = dbName
	pool, err = postgres.Open(ctx, URLFor(cfg))
	return err
}

// buildTemplate migrates a new database and renames it to tpl only when that
// worked, so a failed run never leaves a half-migrated template behind.
func buildTemplate(ctx context.Context, conn *pgx.Conn, tpl string) error {
	building := tpl + "_building"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(building)); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident(building)); err != nil {
		return err
	}
	cfg := baseCfg.Copy()
	cfg.Database = building
	p, err := postgres.Open(ctx, URLFor(cfg))
	if err != nil {
		return err
	}
	err = postgres.MigrateUp(ctx, p)
	p.Close() // nobody may stay connected to a template
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "ALTER DATABASE "+ident(building)+" RENAME TO "+ident(tpl))
	return err
}

func dropDatabase(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, devdb.Maintenance(baseCfg))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)")
	return err
}

// templateName depends on the migrations' content, so a changed migration
// gets a new template while packages running in parallel share one.
func templateName() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return "defus_tpl_" + hex.EncodeToString(h.Sum(nil))[:12], err
}

// URLFor renders a connection config as a URL.
func URLFor(cfg *pgx.ConnConfig) string {
	u := url.URL{Scheme: "postgres", Path: "/" + cfg.Database, User: url.User(cfg.User)}
	if cfg.Password != "" {
		u.User = url.UserPassword(cfg.User, cfg.Password)
	}
	q := url.Values{"sslmode": {"disable"}}
	if strings.HasPrefix(cfg.Host, "/") { // unix socket directory
		q.Set("host", cfg.Host)
		q.Set("port", fmt.Sprint(cfg.Port))
	} else {
		u.Host = net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.Port))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func ident(s string) string { return pgx.Identifier{s}.Sanitize() }

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
