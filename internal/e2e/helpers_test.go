package e2e

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/seed"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
)

func TestMain(m *testing.M) {
	// Cheap password hashing: the real parameters take 19 MiB a hash.
	defus.SetPasswordParams(defus.PasswordParams{Memory: 64, Time: 1, Threads: 1})
	code := dbtest.Main(m)
	CloseBrowser()
	os.Exit(code)
}

// clockBase is the day the browser tests play on, whatever day they run:
// the clock starts there and then moves with real time, so the enquiry
// form's minimum age and session lifetimes still work.
var (
	clockBase  = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	clockStart = time.Now()
)

// clock is the portal's clock in browser tests.
func clock() time.Time { return clockBase.Add(time.Since(clockStart)) }

// site starts the real portal over the test's own seeded database (see
// dbtest.PoolFrom); opts adjust the server before it starts. It is the one
// way the browser tests start the portal.
func site(t *testing.T, opts ...func(*server.Server)) string {
	t.Helper()
	pool := dbtest.PoolFrom(t, "seed", func(ctx context.Context, pool *pgxpool.Pool) error {
		_, err := seed.Run(ctx, pool, clock())
		return err
	})
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sessions := server.NewSessions(pgxstore.NewWithCleanupInterval(pool, 0), cfg.CookieSecure)
	srv, err := server.New(cfg, store.New(pool, clock), sessions, log)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		o(srv)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// adminAccount makes sure an admin account exists and returns its e-mail
// and password.
func adminAccount(t *testing.T) (email, password string) {
	t.Helper()
	email, password = "browser-admin@defus.de", "browser-test-passwort"
	st := store.New(dbtest.Pool(t), clock)
	ctx := context.Background()
	if _, err := st.FindUserByEmail(ctx, email); err == nil {
		return email, password
	} else if !errors.Is(err, defus.ErrNotFound) {
		t.Fatal(err)
	}
	hash, err := defus.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u := &defus.User{Email: email, Name: "Browser Admin", Role: defus.RoleAdmin, PasswordHash: hash}
	if err := st.CreateUser(ctx, defus.Actor{}, u); err != nil {
		t.Fatal(err)
	}
	return email, password
}

// loggedIn opens a tab logged in as the browser admin.
func loggedIn(t *testing.T, b *Browser, base string) context.Context {
	t.Helper()
	return logIn(t, b.Tab(t), base)
}

// loggedInIncognito opens a tab with a session of its own (see
// Browser.SeparateTab), logged in as the browser admin.
func loggedInIncognito(t *testing.T, b *Browser, base string) context.Context {
	t.Helper()
	return logIn(t, b.SeparateTab(t), base)
}

// logIn logs the browser admin in within the tab ctx.
func logIn(t *testing.T, ctx context.Context, base string) context.Context {
	t.Helper()
	email, password := adminAccount(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin/login"),
		chromedp.SetValue(chromedp.CSS(`#login-email`), email),
		chromedp.SetValue(chromedp.CSS(`#login-password`), password),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/logout"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

// must runs steps and fails the test on error.
func must(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// leaving marks the page in the tab as one being left: after a click that
// loads another page, wait for answered(sel), which the old page, marked,
// cannot match even when it had sel too (a flash message, a list).
var leaving = chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.leaving = "1"`)

// answered selects sel on a page loaded after leaving.
func answered(sel string) chromedp.CSS {
	return chromedp.CSS("html:not([data-leaving]) " + sel)
}

// text reads the text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// value reads the value of the form control matching sel.
func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("value of %s: %v", sel, err)
	}
	return s
}
