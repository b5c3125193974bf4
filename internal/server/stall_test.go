package server_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/postgres"
)

// syncBuffer is a log that tests read while the server writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// lockTable holds an ACCESS EXCLUSIVE lock on table in another session
// until the returned function is called.
func lockTable(t *testing.T, table string) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := dbtest.Pool(t).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE "+pgx.Identifier{table}.Sanitize()+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		tx.Rollback(ctx)
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { tx.Rollback(ctx) }) }
	t.Cleanup(release)
	return release
}

func TestStalledDatabaseAnswers503AndRecovers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings postgres.Settings // of the server's pool
		env      map[string]string
		table    string
		path     string
		cookie   bool
	}{
		{"statement timeout", postgres.Settings{StatementTimeout: 200 * time.Millisecond},
			map[string]string{"REQUEST_TIMEOUT": "1m"}, "members", "/mitglieder", false},
		{"request deadline", postgres.Settings{},
			map[string]string{"REQUEST_TIMEOUT": "300ms"}, "members", "/mitglieder/essen", false},
		{"session table", postgres.Settings{StatementTimeout: 200 * time.Millisecond},
			map[string]string{"REQUEST_TIMEOUT": "1m"}, "sessions", "/admin/login", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, logs := serverWith(t, ownPool(t, tc.settings), tc.env)
			req, _ := http.NewRequest(http.MethodGet, ts.URL+tc.path, nil)
			if tc.cookie {
				req.AddCookie(&http.Cookie{Name: "defus_session", Value: "irgendein-token"})
			}
			get := func(want int) (*http.Response, string) {
				// Generous: only here so a hanging handler fails the test instead of blocking it.
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				return request(t, req.Clone(ctx), want)
			}
			release := lockTable(t, tc.table)
			resp, body := get(http.StatusServiceUnavailable)
			if resp.Header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			d := doc(t, body)
			if h1 := d.Find("h1").Text(); h1 != "Vorübergehend nicht erreichbar" || !strings.Contains(d.Find("main").Text(), "vorübergehend nicht erreichbar") {
				t.Errorf("503 page says %q, want the German page", h1)
			}
			id := resp.Header.Get("X-Request-Id")
			if !strings.Contains(logs.String(), `level=WARN msg="database unavailable" id=`+id) {
				t.Errorf("no warning with the request id %s in the log:\n%s", id, logs)
			}
			if strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("a stall is logged as an error:\n%s", logs)
			}

			release()
			// And serves again by itself. With a deadline of 300 ms a busy
			// machine may need more than one try; a server that stays down
			// fails all of them.
			for try := 1; ; try++ {
				resp, err := http.DefaultClient.Do(req.Clone(context.Background()))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
				if resp.StatusCode != http.StatusServiceUnavailable || try == 20 {
					t.Fatalf("after the stall: %d on try %d", resp.StatusCode, try)
				}
				time.Sleep(250 * time.Millisecond)
			}
		})
	}
}

func TestUnreachableDatabaseAnswers503(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nobody answers here
	pool, err := pgxpool.New(context.Background(), "postgres://postgres@"+addr+"/defus?connect_timeout=5")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	ts, _ := serverWith(t, pool, nil)
	resp, _ := get(t, ts, "/mitglieder", http.StatusServiceUnavailable)
	if resp.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	get(t, ts, "/readyz", http.StatusServiceUnavailable)
}

func TestReadyzWantsTheBinarysSchema(t *testing.T) {
	pool := ownPool(t, postgres.Settings{})
	ts, _ := serverWith(t, pool, nil)
	migrator, closeMigrator, err := postgres.Migrator(pool)
	if err != nil {
		t.Fatal(err)
	}
	defer closeMigrator()
	ctx := context.Background()
	t.Cleanup(func() { migrator.Up(ctx) }) // leave the test's database complete

	get(t, ts, "/readyz", http.StatusOK)
	if _, err := migrator.Down(ctx); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, ts, "/readyz", http.StatusServiceUnavailable)
	if resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "schema") {
		t.Errorf("/readyz one migration behind: Retry-After %q, body %q", resp.Header.Get("Retry-After"), body)
	}
	if _, err := migrator.Up(ctx); err != nil {
		t.Fatal(err)
	}
	get(t, ts, "/readyz", http.StatusOK)
}

// hammer requests pages from several clients until stopped and counts the
// answers by the phase in which each request started.
type hammer struct {
	phase  atomic.Int32
	done   atomic.Int64
	mu     sync.Mutex
	status map[int32]map[int]int // phase → status → count
	stop   chan struct{}
	wg     sync.WaitGroup
}

func startHammer(t *testing.T, base string, paths []string) *hammer {
	t.Helper()
	h := &hammer{status: map[int32]map[int]int{}, stop: make(chan struct{})}
	client := &http.Client{Timeout: 30 * time.Second} // only against a hang
	for i := range 4 {
		h.wg.Go(func() {
			for n := i; ; n++ {
				select {
				case <-h.stop:
					return
				default:
				}
				phase := h.phase.Load()
				status := 0 // no answer at all
				if resp, err := client.Get(base + paths[n%len(paths)]); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				}
				h.mu.Lock()
				if h.status[phase] == nil {
					h.status[phase] = map[int]int{}
				}
				h.status[phase][status]++
				h.mu.Unlock()
				h.done.Add(1)
			}
		})
	}
	t.Cleanup(h.finish)
	return h
}

// wait returns once n more requests have been answered.
func (h *hammer) wait(n int64) {
	for goal := h.done.Load() + n; h.done.Load() < goal; {
		time.Sleep(5 * time.Millisecond)
	}
}

// next starts a new phase once n more requests have been answered.
func (h *hammer) next(n int64) {
	h.wait(n)
	h.phase.Add(1)
}

func (h *hammer) finish() {
	select {
	case <-h.stop:
	default:
		close(h.stop)
	}
	h.wg.Wait()
}

// failures lists the answers other than 200 to requests started in phase.
func (h *hammer) failures(phase int32) (failed, total int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for status, n := range h.status[phase] {
		total += n
		if status != http.StatusOK {
			failed += n
		}
	}
	return failed, total
}

var publicPages = []string{"/", "/mitglieder", "/mitglieder/essen", "/termine", "/themen", "/impressum", "/sitemap.xml"}

// TestSchemaChangeUnderLoadFailsNoRequest changes the type of a column the
// member pages read (members.website), back and forth, while clients
// request pages. Both
// schemas are complete, so no request may fail: pgx's cached prepared
// statements for the old result type are refused by PostgreSQL ("cached plan
// must not change result type") and must be prepared afresh, not answered
// with 500.
func TestSchemaChangeUnderLoadFailsNoRequest(t *testing.T) {
	pool := ownPool(t, postgres.Settings{MaxConns: 4})
	ts, _ := serverWith(t, pool, nil)
	migrations := fstest.MapFS{"00001_member_website_varchar.sql": {Data: []byte(`
-- +goose Up
ALTER TABLE members ALTER COLUMN website TYPE varchar(300);
-- +goose Down
ALTER TABLE members ALTER COLUMN website TYPE text;
`)}}
	db := stdlib.OpenDBFromPool(dbtest.Pool(t))
	defer db.Close()
	migrator, err := goose.NewProvider(goose.DialectPostgres, db, migrations, goose.WithTableName("stall_test_version"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t.Cleanup(func() { migrator.DownTo(ctx, 0) })

	h := startHammer(t, ts.URL, publicPages)
	for range 3 {
		h.next(40) // every connection has prepared every page's statements
		if _, err := migrator.Up(ctx); err != nil {
			t.Fatal(err)
		}
		h.next(40)
		if _, err := migrator.Down(ctx); err != nil {
			t.Fatal(err)
		}
	}
	h.wait(40)
	h.finish()
	for phase := range h.phase.Load() + 1 {
		if failed, total := h.failures(phase); failed > 0 || total == 0 {
			t.Errorf("phase %d: %d of %d requests failed: %v", phase, failed, total, h.status[phase])
		}
	}
}

// TestMigrateDownAndUpUnderLoad runs the binary's own last migration down and
// up again while clients request pages: once the schema is complete again,
// no request fails, and /readyz says when that is.
func TestMigrateDownAndUpUnderLoad(t *testing.T) {
	pool := ownPool(t, postgres.Settings{MaxConns: 4})
	ts, _ := serverWith(t, pool, nil)
	migrator, closeMigrator, err := postgres.Migrator(dbtest.Pool(t))
	if err != nil {
		t.Fatal(err)
	}
	defer closeMigrator()
	ctx := context.Background()
	t.Cleanup(func() { migrator.Up(ctx) })

	h := startHammer(t, ts.URL, publicPages)
	h.next(40) // phase 1: migrating
	if _, err := migrator.Down(ctx); err != nil {
		t.Fatal(err)
	}
	get(t, ts, "/readyz", http.StatusServiceUnavailable)
	if _, err := migrator.Up(ctx); err != nil {
		t.Fatal(err)
	}
	h.phase.Add(1) // phase 2: the schema is complete
	get(t, ts, "/readyz", http.StatusOK)
	h.wait(100)
	h.finish()
	for _, phase := range []int32{0, 2} {
		if failed, total := h.failures(phase); failed > 0 || total == 0 {
			t.Errorf("phase %d: %d of %d requests failed: %v", phase, failed, total, h.status[phase])
		}
	}
	t.Logf("answers during the migration: %v", h.status[1]) // anything but a hang may happen then
}
