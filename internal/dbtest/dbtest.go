// Package dbtest gives tests fresh PostgreSQL databases, cloned from a
// template that was migrated once per set of migrations.
//
// Use it from TestMain, so the databases are dropped afterwards:
//
//	func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
//
// Every test gets a database of its own, so tests can run with t.Parallel()
// and need not clean up after each other: Pool(t) is the test's database,
// migrated and empty, made on its first call in the test and dropped when
// the test ends; PoolFrom(t, name, fill) is the same from a template that
// fill filled once per test process (the seed, say). A subtest shares its
// test's database. NewPool and NewPoolFrom make a further database. The
// server is found like `make run` finds it (see package devdb), from
// DATABASE_URL or the local default.
//
// Test databases commit without waiting for the disk (synchronous_commit
// off, set on each database and on the connection that clones them): a
// crash of the server may lose their last transactions, which no test
// survives anyway, and a clone or a commit takes a fraction of the time.
//
// The migrated template is guarded by an advisory lock: building it takes
// the lock alone, cloning it takes it shared, so test processes of several
// packages (and working trees) clone at the same time but never from a
// template that is still being built. Nobody ever connects to a template
// once it is built, as CREATE DATABASE … TEMPLATE requires.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/devdb"
	"defus.de/portal/internal/postgres"
	"defus.de/portal/migrations"
)

// templateLock is the advisory lock that guards the migrated template.
const templateLock = 7260418

var (
	setupOnce sync.Once
	setupErr  error
	baseCfg   *pgx.ConnConfig
	template  string // the migrated template

	mu      sync.Mutex
	filled  = map[string]*filledTemplate{} // NewPoolFrom's templates by name
	dropped []string                       // databases to drop in Main
	ofTest  = map[string]testDB{}          // Pool's databases by the name of their test
	sources = map[string]*source{}         // clones made ahead, by template

	stopping    = make(chan struct{}) // closed by Main: make no more clones
	prefetchers sync.WaitGroup
	drops       sync.WaitGroup // databases of finished tests being dropped
)

// testDB is the database of a running test.
type testDB struct {
	pool *pgxpool.Pool
	from string // the template's name; "" for the migrated one
}

type filledTemplate struct {
	once sync.Once
	name string
	err  error
}

// Main runs the tests and drops the databases they made, also those of
// tests whose cleanup did not run.
func Main(m *testing.M) int {
	code := m.Run()
	close(stopping)
	prefetchers.Wait() // no clone is made after the drops below
	drops.Wait()
	mu.Lock()
	names := dropped
	mu.Unlock()
	for _, name := range names {
		if err := dropDatabase(context.Background(), name); err != nil {
			fmt.Fprintln(os.Stderr, "dbtest:", err)
		}
	}
	return code
}

// Pool returns the test's database: on its first call in the test a new,
// migrated and empty one (see PoolFrom for one with data), on later calls
// the same, also to its subtests. It is dropped when the test ends. Call it
// (or PoolFrom) in the test itself before its subtests: a subtest that asks
// first gets a database for itself.
func Pool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	return poolOf(tb, "", nil)
}

// PoolFrom is Pool with the database cloned from the template name, which
// the process's first call with name fills with fill (see NewPoolFrom). A
// test that has a database from another template already fails.
func PoolFrom(tb testing.TB, name string, fill func(context.Context, *pgxpool.Pool) error) *pgxpool.Pool {
	tb.Helper()
	return poolOf(tb, name, fill)
}

// URL returns the connection URL of the test's database (see Pool).
func URL(tb testing.TB) string {
	tb.Helper()
	return URLOf(Pool(tb))
}

func poolOf(tb testing.TB, from string, fill func(context.Context, *pgxpool.Pool) error) *pgxpool.Pool {
	tb.Helper()
	test, _, _ := strings.Cut(tb.Name(), "/")
	mu.Lock()
	d, ok := ofTest[test]
	mu.Unlock()
	if ok {
		if from != "" && d.from != from {
			tb.Fatalf("dbtest: the test has a database from template %q already, not from %q", d.from, from)
		}
		return d.pool
	}
	d.from = from
	if from == "" {
		d.pool = NewPool(tb)
	} else {
		d.pool = NewPoolFrom(tb, from, fill)
	}
	mu.Lock()
	ofTest[test] = d
	mu.Unlock()
	tb.Cleanup(func() {
		mu.Lock()
		delete(ofTest, test)
		mu.Unlock()
	})
	return d.pool
}

// NewPool returns a pool on a new, migrated and empty database of this
// test's own, dropped when the test ends.
func NewPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	if err := setup(); err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	return openClone(tb, template)
}

// NewPoolFrom returns a pool on a new database of this test's own, cloned
// from the template name: the first call with name in the test process
// builds it, migrated and then filled by fill; later calls only clone it.
// The template lives as long as the test process, so a changed fill is
// never served from an older run. Its database is dropped when the test
// ends.
func NewPoolFrom(tb testing.TB, name string, fill func(context.Context, *pgxpool.Pool) error) *pgxpool.Pool {
	tb.Helper()
	if err := setup(); err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	mu.Lock()
	ft, ok := filled[name]
	if !ok {
		ft = &filledTemplate{}
		filled[name] = ft
	}
	mu.Unlock()
	ft.once.Do(func() { ft.name, ft.err = buildFilled(context.Background(), fill) })
	if ft.err != nil {
		tb.Fatalf("dbtest: template %s: %v", name, ft.err)
	}
	return openClone(tb, ft.name)
}

// URLOf returns the connection URL of the database p is connected to, for
// a second pool or a process of its own on the same database.
func URLOf(p *pgxpool.Pool) string { return urlOf(p.Config().ConnConfig.Database) }

// openClone clones tpl for tb and opens a pool on the clone; cleanup closes
// the pool and drops the database.
func openClone(tb testing.TB, tpl string) *pgxpool.Pool {
	tb.Helper()
	ctx := context.Background()
	name, err := sourceOf(tpl).next()
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	p, err := postgres.Open(ctx, urlOf(name))
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	tb.Cleanup(func() {
		p.Close()
		// Dropped in the background: the next test need not wait for it.
		drops.Go(func() {
			if err := dropDatabase(ctx, name); err != nil {
				return // Main tries again
			}
			mu.Lock()
			defer mu.Unlock()
			for i, n := range dropped {
				if n == name {
					dropped = append(dropped[:i], dropped[i+1:]...)
					break
				}
			}
		})
	})
	return p
}

// A source hands out clones of one template. A clone takes PostgreSQL tens
// of milliseconds, so from the second clone a source asks for on, it makes
// the next ones ahead in the background while tests run: a test rarely
// waits for its database, and a package with one test makes none in vain.
type source struct {
	tpl   string
	ready chan cloned // holds one; one more is being made

	mu      sync.Mutex
	asked   int
	running bool
}

type cloned struct {
	name string
	err  error
}

func sourceOf(tpl string) *source {
	mu.Lock()
	defer mu.Unlock()
	src, ok := sources[tpl]
	if !ok {
		src = &source{tpl: tpl, ready: make(chan cloned, 1)}
		sources[tpl] = src
	}
	return src
}

// next returns a new clone of the template.
func (src *source) next() (string, error) {
	src.mu.Lock()
	src.asked++
	if src.asked > 1 && !src.running {
		src.running = true
		prefetchers.Add(1)
		go src.prefetch()
	}
	running := src.running
	src.mu.Unlock()
	if !running {
		return clone(context.Background(), src.tpl, src.tpl == template)
	}
	c := <-src.ready
	return c.name, c.err
}

// prefetch makes clones until Main stops it. A failure is handed on like a
// clone, to the one test that gets it, and the next clone is tried anew:
// every test waiting in next gets an answer.
func (src *source) prefetch() {
	defer prefetchers.Done()
	for {
		select {
		case <-stopping:
			return
		default:
		}
		name, err := clone(context.Background(), src.tpl, src.tpl == template)
		select {
		case src.ready <- cloned{name, err}:
		case <-stopping:
			return // Main drops the clone with the rest
		}
	}
}

// buildFilled makes a template of this process: a clone of the migrated
// one, filled by fill, with every connection to it closed.
func buildFilled(ctx context.Context, fill func(context.Context, *pgxpool.Pool) error) (string, error) {
	name, err := clone(ctx, template, true)
	if err != nil {
		return "", err
	}
	p, err := postgres.Open(ctx, urlOf(name))
	if err != nil {
		return "", err
	}
	err = fill(ctx, p)
	p.Close()
	return name, err
}

// setup finds the server and builds the migrated template unless another
// process did already.
func setup() error {
	setupOnce.Do(func() { setupErr = setupTemplate(context.Background()) })
	return setupErr
}

func setupTemplate(ctx context.Context) error {
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
	if template, err = templateName(); err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, maintenance())
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	exists := func() (bool, error) {
		var ok bool
		err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", template).Scan(&ok)
		return ok, err
	}
	if ok, err := exists(); err != nil || ok {
		return err
	}
	// Alone: nobody clones while the template is built.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLock); err != nil {
		return err
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", templateLock)
	if ok, err := exists(); err != nil || ok { // another process built it meanwhile
		return err
	}
	return buildTemplate(ctx, conn, template)
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
	if err := quick(ctx, conn, building); err != nil {
		return err
	}
	p, err := postgres.Open(ctx, urlOf(building))
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

// clone creates a new database from tpl and returns its name; the database
// is remembered for Main to drop. guarded says tpl is the shared migrated
// template, which may be cloned only under the shared advisory lock.
func clone(ctx context.Context, tpl string, guarded bool) (string, error) {
	name := "defus_test_" + randomHex(6)
	conn, err := pgx.ConnectConfig(ctx, maintenance())
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if guarded {
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock_shared($1)", templateLock); err != nil {
			return "", err
		}
		defer conn.Exec(ctx, "SELECT pg_advisory_unlock_shared($1)", templateLock)
	}
	mu.Lock()
	dropped = append(dropped, name)
	mu.Unlock()
	// A pool on a filled template may take a moment to go after Close, and
	// PostgreSQL refuses a clone while another one of the same template is
	// being made (by this or another test process, of which a busy machine
	// runs many): try again for up to about 30 seconds.
	for attempt := 0; ; attempt++ {
		_, err = conn.Exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(tpl))
		var pgErr *pgconn.PgError
		if err == nil || attempt == 300 || !errors.As(err, &pgErr) || pgErr.Code != "55006" { // object_in_use
			break
		}
		time.Sleep(time.Duration(min(10+attempt*5, 100)) * time.Millisecond)
	}
	if err != nil {
		return "", fmt.Errorf("clone %s: %w", tpl, err)
	}
	return name, quick(ctx, conn, name)
}

// quick makes the database's commits not wait for the disk.
func quick(ctx context.Context, conn *pgx.Conn, name string) error {
	_, err := conn.Exec(ctx, "ALTER DATABASE "+ident(name)+" SET synchronous_commit = off")
	return err
}

// maintenance is the connection to the server's maintenance database,
// committing (a CREATE DATABASE above all) without waiting for the disk.
func maintenance() *pgx.ConnConfig {
	cfg := devdb.Maintenance(baseCfg)
	cfg.RuntimeParams["synchronous_commit"] = "off"
	return cfg
}

func dropDatabase(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, maintenance())
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

func urlOf(database string) string {
	cfg := baseCfg.Copy()
	cfg.Database = database
	return URLFor(cfg)
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
