package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
)

func TestUserCommands(t *testing.T) {
	env := dbEnv(t)
	ctx := context.Background()
	cmd := func(stdin io.Reader, args ...string) (string, error) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		err := run(ctx, args, env, stdin, &stdout, &stderr)
		return stdout.String(), err
	}
	st := store.New(dbtest.Pool(t), time.Now)

	// A piped password is used as it is.
	if _, err := cmd(strings.NewReader("ein-sehr-gutes-passwort\n"), "user", "add", "-email", "Chefin@defus.de", "-name", "Chefin", "-role", "admin"); err != nil {
		t.Fatal(err)
	}
	u, err := st.FindUserByEmail(ctx, "chefin@defus.de")
	if err != nil {
		t.Fatal(err)
	}
	if !defus.CheckPassword(u.PasswordHash, "ein-sehr-gutes-passwort") || u.Role != defus.RoleAdmin {
		t.Errorf("created %+v; password or role wrong", u)
	}

	// Without input a password is generated and printed once.
	_, err = cmd(strings.NewReader(""), "user", "add", "-email", "rep@atlantis.de", "-name", "Rep", "-role", "member", "-member", "atlantis")
	if err == nil || !strings.Contains(err.Error(), "atlantis") {
		t.Errorf("unknown member: err = %v", err)
	}
	out, err := cmd(nil, "user", "add", "-email", "red@defus.de", "-name", "Red", "-role", "editor")
	if err != nil {
		t.Fatal(err)
	}
	pw := regexp.MustCompile(`shown only now\): (\S+)`).FindStringSubmatch(out)
	if pw == nil {
		t.Fatalf("no generated password in %q", out)
	}
	red, err := st.FindUserByEmail(ctx, "red@defus.de")
	if err != nil || !defus.CheckPassword(red.PasswordHash, pw[1]) {
		t.Errorf("generated password does not log in: %v", err)
	}

	for name, args := range map[string][]string{
		"short password": {"user", "add", "-email", "x@defus.de", "-name", "X", "-role", "editor"},
		"bad role":       {"user", "add", "-email", "y@defus.de", "-name", "Y", "-role", "chef"},
		"duplicate":      {"user", "add", "-email", "CHEFIN@defus.de", "-name", "Z", "-role", "editor"},
		"no e-mail":      {"user", "disable"},
		"unknown":        {"user", "disable", "-email", "niemand@defus.de"},
		"last admin":     {"user", "disable", "-email", "chefin@defus.de"},
	} {
		if _, err := cmd(strings.NewReader("kurz\n"), args...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}

	if _, err := cmd(strings.NewReader("ein-anderes-passwort\n"), "user", "set-password", "-email", "red@defus.de"); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd(nil, "user", "disable", "-email", "red@defus.de"); err != nil {
		t.Fatal(err)
	}
	red, _ = st.FindUserByEmail(ctx, "red@defus.de")
	if red.Active() || !defus.CheckPassword(red.PasswordHash, "ein-anderes-passwort") {
		t.Errorf("after set-password and disable: %+v", red)
	}
	entries, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{EntityID: red.ID, Entity: defus.EntityUser})
	if err != nil || len(entries) != 3 || entries[0].Actor.Name != "Kommandozeile" {
		t.Errorf("audit of red = %+v, %v", entries, err)
	}
}

func TestUnlockAndSetPasswordLiftTheLoginLock(t *testing.T) {
	env := dbEnv(t)
	ctx := context.Background()
	cmd := func(stdin io.Reader, args ...string) error {
		t.Helper()
		var stdout, stderr bytes.Buffer
		return run(ctx, args, env, stdin, &stdout, &stderr)
	}
	if err := cmd(strings.NewReader("das-alte-passwort\n"), "user", "add", "-email", "sperre@defus.de", "-name", "Gesperrt", "-role", "editor"); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(env)
	if err != nil {
		t.Fatal(err)
	}
	pool := dbtest.Pool(t)
	srv, err := server.New(cfg, store.New(pool, time.Now), server.NewSessions(pgxstore.NewWithCleanupInterval(pool, 0), false),
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	login := func(pw string, want int) {
		t.Helper()
		resp, err := client.PostForm(ts.URL+"/admin/login", url.Values{"email": {"sperre@defus.de"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("login: status %d, want %d", resp.StatusCode, want)
		}
	}
	lock := func(right string) {
		t.Helper()
		for range 5 {
			login("falsch-geraten-1", http.StatusUnprocessableEntity)
		}
		login(right, http.StatusTooManyRequests)
	}

	lock("das-alte-passwort")
	if err := cmd(nil, "user", "unlock", "-email", "SPERRE@defus.de"); err != nil {
		t.Fatal(err)
	}
	login("das-alte-passwort", http.StatusSeeOther)

	lock("das-alte-passwort")
	if err := cmd(strings.NewReader("das-neue-passwort\n"), "user", "set-password", "-email", "sperre@defus.de"); err != nil {
		t.Fatal(err)
	}
	login("das-neue-passwort", http.StatusSeeOther)

	if err := cmd(nil, "user", "unlock", "-email", "niemand@defus.de"); err == nil {
		t.Error("unlock of an unknown account: no error")
	}
}
