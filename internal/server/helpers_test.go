package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/mailer"
	"defus.de/portal/internal/postgres"
	"defus.de/portal/internal/seed"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
	"defus.de/portal/internal/testclock"
)

// testPasswordParams make hashing cheap: the tests log in hundreds of
// times. BenchmarkLoginFlood measures with the real parameters.
var testPasswordParams = defus.PasswordParams{Memory: 64, Time: 1, Threads: 1}

func TestMain(m *testing.M) {
	defus.SetPasswordParams(testPasswordParams)
	os.Exit(dbtest.Main(m))
}

// testNow is the clock of the handler tests and of their seed: Tuesday,
// 24 November 2026, 11:00 in Berlin.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// testClock is the fixed clock of server and store in tests.
func testClock() time.Time { return testNow }

// seededPool returns the test's own database (see dbtest.Pool) with the
// seed at testNow: a clone of a template seeded once per test run. Its
// audit log starts empty, so a test reads only the entries it causes; no
// account, session or login count exists.
func seededPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	return dbtest.PoolFrom(tb, "seed", func(ctx context.Context, pool *pgxpool.Pool) error {
		if _, err := seed.Run(ctx, pool, testNow); err != nil {
			return err
		}
		_, err := pool.Exec(ctx, `TRUNCATE audit_log RESTART IDENTITY`)
		return err
	})
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
	return startSite(tb, pool, siteOptions{env: env, configure: configure})
}

// siteOptions adjust the server startSite starts; the zero value is the
// default test site.
type siteOptions struct {
	env        map[string]string    // settings on top of the test defaults
	configure  func(*server.Server) // changes the server before it serves
	now        func() time.Time     // the clock of server and store; testClock when nil
	logs       io.Writer            // receives the log (level warn) besides the test log
	noSessions bool                 // a server without sessions, as the public site needs none
	store      *store.Store         // the server's store; a new one over pool when nil
}

// startSite is the one way the tests start the portal: the real handler
// and router over pool, as `defus serve` builds them. The log goes to the
// test log.
func startSite(tb testing.TB, pool *pgxpool.Pool, o siteOptions) *httptest.Server {
	tb.Helper()
	var w io.Writer = testWriter{tb}
	if o.logs != nil {
		w = io.MultiWriter(w, o.logs)
	}
	var h slog.Handler = slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn})
	if _, ok := tb.(*testing.B); ok {
		h = slog.DiscardHandler // a benchmark's log is always printed; a flood would fill it
	}
	if o.now == nil {
		o.now = testClock
	}
	var sessions *scs.SessionManager
	if !o.noSessions {
		sessions = server.NewSessions(pgxstore.NewWithCleanupInterval(pool, 0), true)
	}
	if o.store == nil {
		o.store = store.New(pool, o.now)
	}
	srv, err := server.New(testConfig(tb, o.env), o.store, sessions, slog.New(h))
	if err != nil {
		tb.Fatal(err)
	}
	if o.configure != nil {
		o.configure(srv)
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

// countingPool opens a second pool on the test's seeded database that counts queries.
func countingPool(tb testing.TB) (*pgxpool.Pool, *atomic.Int64) {
	tb.Helper()
	return countingPoolOf(tb, "")
}

// countingPoolOf is countingPool counting only the queries whose SQL
// contains match.
func countingPoolOf(tb testing.TB, match string) (*pgxpool.Pool, *atomic.Int64) {
	tb.Helper()
	seededPool(tb)
	cfg, err := pgxpool.ParseConfig(dbtest.URL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	n := new(atomic.Int64)
	cfg.ConnConfig.Tracer = queryCounter{n, match}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return pool, n
}

type queryCounter struct {
	n     *atomic.Int64
	match string
}

func (q queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if strings.Contains(d.SQL, q.match) {
		q.n.Add(1)
	}
	return ctx
}
func (queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

const testPassword = "richtiges-passwort-123"

// testHash is testPassword's hash, made after TestMain chose cheap
// parameters.
var testHash = sync.OnceValue(func() string {
	h, err := defus.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// adminSite starts a server over the test's seeded database, which has no
// accounts yet, and a store over it.
func adminSite(tb testing.TB) (*httptest.Server, *store.Store) {
	tb.Helper()
	pool := seededPool(tb)
	return newServer(tb, pool), store.New(pool, testClock)
}

// addAccount creates an account whose password is testPassword.
func addAccount(tb testing.TB, st *store.Store, email, name string, role defus.Role) *defus.User {
	tb.Helper()
	u := &defus.User{Email: email, Name: name, Role: role, PasswordHash: testHash()}
	if err := st.CreateUser(context.Background(), defus.Actor{}, u); err != nil {
		tb.Fatal(err)
	}
	return u
}

// send makes a request with an optional session cookie and form, and fails
// when the status is not want.
func send(tb testing.TB, ts *httptest.Server, method, path string, cookie *http.Cookie, form url.Values, want int) (*http.Response, string) {
	tb.Helper()
	var req *http.Request
	var err error
	if form != nil {
		req, err = http.NewRequest(method, ts.URL+path, strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		req, err = http.NewRequest(method, ts.URL+path, nil)
	}
	if err != nil {
		tb.Fatal(err)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return request(tb, req, want)
}

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "defus_session" {
			return c
		}
	}
	return nil
}

// login logs in and returns the session cookie.
func login(tb testing.TB, ts *httptest.Server, email string) *http.Cookie {
	tb.Helper()
	resp, _ := send(tb, ts, http.MethodPost, "/admin/login", nil,
		url.Values{"email": {email}, "password": {testPassword}}, http.StatusSeeOther)
	c := sessionCookie(resp)
	if c == nil || c.Value == "" {
		tb.Fatal("login set no session cookie")
	}
	return c
}

// clock is the tests' clock (see internal/testclock).
type clock = testclock.Clock

func resetLoginCounts(tb testing.TB, pool *pgxpool.Pool) {
	tb.Helper()
	if _, err := pool.Exec(context.Background(), `TRUNCATE login_attempts`); err != nil {
		tb.Fatal(err)
	}
}

// inboxSite is adminSite with an admin, an editor and a member logged in.
type inboxSite struct {
	url                   string
	st                    *store.Store
	admin, editor, member *http.Cookie
	adminUser, editorUser *defus.User
	memberUser            *defus.User
	send                  func(tb testing.TB, method, path string, c *http.Cookie, form url.Values, want int) (*http.Response, string)
}

func newInboxSite(tb testing.TB) *inboxSite {
	tb.Helper()
	ts, st := adminSite(tb)
	s := &inboxSite{url: ts.URL, st: st}
	s.adminUser = addAccount(tb, st, "a@defus.de", "Anna Admin", defus.RoleAdmin)
	s.editorUser = addAccount(tb, st, "e@defus.de", "Erik Editor", defus.RoleEditor)
	s.memberUser = addAccount(tb, st, "m@essen.de", "Mia Mitglied", defus.RoleMember)
	s.admin, s.editor, s.member = login(tb, ts, "a@defus.de"), login(tb, ts, "e@defus.de"), login(tb, ts, "m@essen.de")
	s.send = func(tb testing.TB, method, path string, c *http.Cookie, form url.Values, want int) (*http.Response, string) {
		tb.Helper()
		return send(tb, ts, method, path, c, form, want)
	}
	return s
}

// enquiryServer starts the real handler without sessions, on a clock the
// test moves. The rate limit is high unless the test sets its own.
func enquiryServer(tb testing.TB, pool *pgxpool.Pool) (*httptest.Server, *clock, *server.Server) {
	tb.Helper()
	c := testclock.New(testNow)
	var srv *server.Server
	ts := startSite(tb, pool, siteOptions{now: c.Now, noSessions: true, configure: func(s *server.Server) {
		s.SetEnquiryLimits(3*time.Second, 10000, 10*time.Minute)
		srv = s
	}})
	return ts, c, srv
}

// editorSite is adminSite with an editor logged in.
func editorSite(tb testing.TB, email, name string) (*httptest.Server, *store.Store, *pgxpool.Pool, *http.Cookie) {
	tb.Helper()
	pool := seededPool(tb)
	ts, st := newServer(tb, pool), store.New(pool, testClock)
	addAccount(tb, st, email, name, defus.RoleEditor)
	return ts, st, pool, login(tb, ts, email)
}

// topicsSite is the site with Rita from the office logged in.
func topicsSite(t *testing.T) (*httptest.Server, *store.Store, *http.Cookie) {
	t.Helper()
	ts, st, _, c := editorSite(t, "redaktion@defus.example", "Rita Redaktion")
	return ts, st, c
}

// mediaSite is the site with Rita from the office logged in.
func mediaSite(t *testing.T) (*httptest.Server, *store.Store, *pgxpool.Pool, *http.Cookie) {
	t.Helper()
	return editorSite(t, "redaktion@defus.example", "Rita Redaktion")
}

// eventsAdmin is the site with Tina from the office logged in.
func eventsAdmin(t *testing.T) (*httptest.Server, *http.Cookie, *pgxpool.Pool) {
	t.Helper()
	ts, _, pool, c := editorSite(t, "termine@defus.example", "Tina Termin")
	return ts, c, pool
}

// loginSite is the site behind the test proxy (see behindProxy).
func loginSite(tb testing.TB, configure func(*server.Server)) (*httptest.Server, *store.Store, *pgxpool.Pool) {
	tb.Helper()
	pool := seededPool(tb)
	return startServer(tb, pool, behindProxy, configure), store.New(pool, testClock), pool
}

// ownPool is a second pool on the test's seeded database, with settings.
func ownPool(tb testing.TB, settings postgres.Settings) *pgxpool.Pool {
	tb.Helper()
	pool, err := postgres.OpenWith(context.Background(), dbtest.URLOf(seededPool(tb)), settings)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// serverWith starts the site over pool with the settings in env; the
// returned buffer holds its log.
func serverWith(tb testing.TB, pool *pgxpool.Pool, env map[string]string) (*httptest.Server, *syncBuffer) {
	tb.Helper()
	logs := &syncBuffer{}
	return startSite(tb, pool, siteOptions{env: env, logs: logs}), logs
}

// workSite is the admin site with an editor and a member logged in, on a
// clock the test moves, and a real SMTP server that the test's mail worker
// delivers to.
type workSite struct {
	ts             *httptest.Server
	url            string
	st             *store.Store
	clock          *clock
	editor, member *http.Cookie
	smtp           *smtpSink
	send           func(tb testing.TB, method, path string, c *http.Cookie, form url.Values, want int) (*http.Response, string)
}

func newWorkSite(t *testing.T) *workSite {
	t.Helper()
	pool := seededPool(t)
	s := &workSite{clock: testclock.New(testNow), smtp: startSMTPSink(t)}
	ts := startSite(t, pool, siteOptions{now: s.clock.Now,
		env: map[string]string{"SMTP_URL": "smtp://" + s.smtp.addr, "OFFICE_EMAIL": "buero@defus.de"}})
	s.ts, s.url, s.st = ts, ts.URL, store.New(pool, s.clock.Now)
	addAccount(t, s.st, "e@defus.de", "Erik Editor", defus.RoleEditor)
	addAccount(t, s.st, "m@essen.de", "Mia Mitglied", defus.RoleMember)
	s.editor, s.member = login(t, ts, "e@defus.de"), login(t, ts, "m@essen.de")
	s.send = func(tb testing.TB, method, path string, c *http.Cookie, form url.Values, want int) (*http.Response, string) {
		tb.Helper()
		return send(tb, ts, method, path, c, form, want)
	}
	return s
}

// setNow sets the site's clock to t.
func (s *workSite) setNow(t time.Time) { s.clock.Add(t.Sub(s.clock.Now())) }

// deliver runs the mail worker once, at the site's clock, against the sink.
func (s *workSite) deliver(t *testing.T) {
	t.Helper()
	u, _ := url.Parse("smtp://" + s.smtp.addr)
	sender := mailer.NewSMTP(u)
	sender.Timeout = 5 * time.Second
	w := &mailer.Worker{Store: s.st, Sender: sender, Now: s.st.Now, Log: slog.New(slog.DiscardHandler)}
	if _, err := w.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// smtpSink is a real SMTP server that keeps what it receives and refuses
// the recipients in refuse for good (550 5.1.1).
type smtpSink struct {
	addr   string
	mu     sync.Mutex
	refuse map[string]bool
	got    [][]byte
}

type sinkSession struct{ s *smtpSink }

func (sinkSession) Reset()                               {}
func (sinkSession) Logout() error                        { return nil }
func (sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (x sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.refuse[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "User unknown"}
	}
	return nil
}
func (x sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	x.s.mu.Lock()
	x.s.got = append(x.s.got, b)
	x.s.mu.Unlock()
	return err
}

func startSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{addr: l.Addr().String(), refuse: map[string]bool{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return sinkSession{s}, nil }))
	srv.Domain = "localhost"
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *smtpSink) setRefused(addr string, refused bool) {
	s.mu.Lock()
	s.refuse[addr] = refused
	s.mu.Unlock()
}

// received returns the messages received so far, parsed.
func (s *smtpSink) received(t *testing.T) []*mail.Message {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*mail.Message
	for _, b := range s.got {
		m, err := mail.ReadMessage(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// postWithFile posts values and a file in field as a browser sends a form
// with a file input (multipart/form-data); no file name and no data is a
// file input left empty.
func postWithFile(t *testing.T, ts *httptest.Server, c *http.Cookie, path string, values url.Values, field, fileName string, data []byte, want int) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, field, fileName))
	h.Set("Content-Type", "application/octet-stream")
	fw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(c)
	return request(t, req, want)
}
