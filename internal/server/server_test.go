package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/alexedwards/scs/pgxstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/seed"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
)

// testPasswordParams make hashing cheap: the tests log in hundreds of
// times. BenchmarkLoginFlood measures with the real parameters.
var testPasswordParams = defus.PasswordParams{Memory: 64, Time: 1, Threads: 1}

func TestMain(m *testing.M) {
	defus.SetPasswordParams(testPasswordParams)
	os.Exit(dbtest.Main(m))
}

var seedOnce sync.Once

// testNow is the clock of the handler tests and of their seed: Tuesday,
// 24 November 2026, 11:00 in Berlin.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// testClock is the fixed clock of server and store in tests.
func testClock() time.Time { return testNow }

// seededPool returns the package database with the seed loaded once.
func seededPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	pool := dbtest.Pool(tb)
	var err error
	seedOnce.Do(func() { _, err = seed.Run(context.Background(), pool, testNow) })
	if err != nil {
		tb.Fatal(err)
	}
	return pool
}

func testConfig(tb testing.TB, env map[string]string) *config.Config {
	tb.Helper()
	cfg, err := config.Load(func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "BASE_URL" {
			return "https://www.defus.example"
		}
		return ""
	})
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// newServer starts the real handler over pool. The log goes to the test log.
func newServer(tb testing.TB, pool *pgxpool.Pool) *httptest.Server {
	tb.Helper()
	return startServer(tb, pool, nil, nil)
}

// startServer starts the real handler over pool with the settings in env
// (on top of the test defaults); configure, when not nil, may change the
// server before it serves.
func startServer(tb testing.TB, pool *pgxpool.Pool, env map[string]string, configure func(*server.Server)) *httptest.Server {
	tb.Helper()
	return startServerAt(tb, pool, env, configure, testClock)
}

// startServerAt is startServer with now as the clock of server and store.
func startServerAt(tb testing.TB, pool *pgxpool.Pool, env map[string]string, configure func(*server.Server), now func() time.Time) *httptest.Server {
	tb.Helper()
	var h slog.Handler = slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn})
	if _, ok := tb.(*testing.B); ok {
		h = slog.DiscardHandler // a benchmark's log is always printed; a flood would fill it
	}
	log := slog.New(h)
	sessions := server.NewSessions(pgxstore.NewWithCleanupInterval(pool, 0), true)
	srv, err := server.New(testConfig(tb, env), store.New(pool, now), sessions, log)
	if err != nil {
		tb.Fatal(err)
	}
	if configure != nil {
		configure(srv)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return ts
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// request sends req and fails with the body when the status is not want.
func request(tb testing.TB, req *http.Request, want int) (*http.Response, string) {
	tb.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if resp.StatusCode != want {
		tb.Fatalf("%s %s: status %d, want %d\n%s", req.Method, req.URL, resp.StatusCode, want, body)
	}
	return resp, string(body)
}

func get(tb testing.TB, ts *httptest.Server, path string, want int) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return request(tb, req, want)
}

func doc(tb testing.TB, body string) *goquery.Document {
	tb.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func texts(s *goquery.Selection) []string {
	var out []string
	s.Each(func(_ int, e *goquery.Selection) { out = append(out, strings.TrimSpace(e.Text())) })
	return out
}

// countingPool opens a second pool on the package database that counts queries.
func countingPool(tb testing.TB) (*pgxpool.Pool, *atomic.Int64) {
	tb.Helper()
	seededPool(tb)
	cfg, err := pgxpool.ParseConfig(dbtest.URL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	n := new(atomic.Int64)
	cfg.ConnConfig.Tracer = queryCounter{n}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return pool, n
}

type queryCounter struct{ n *atomic.Int64 }

func (q queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	q.n.Add(1)
	return ctx
}
func (queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
