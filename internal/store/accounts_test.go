package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

func accountMail(raw string) store.AccountMail {
	return func(u *defus.User, expires time.Time) defus.Mail {
		return defus.InvitationMail(u, "", raw, expires, defus.AccountMailSettings{Office: "buero@defus.de", BaseURL: "https://defus.example"})
	}
}

// Two requests with one invitation link: exactly one sets the password.
func TestAnInvitationLinkWorksOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	st := store.New(dbtest.Pool(t), testClock)
	ctx := context.Background()
	tok := defus.NewToken()
	u := &defus.User{Name: "Petra", Email: "petra@example.org"}
	if err := st.InviteUser(ctx, defus.Actor{}, u, tok, accountMail(tok.Raw)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := st.AcceptInvitation(ctx, tok.Hash, "$argon2id$dummy", "")
			results <- err
		})
	}
	wg.Wait()
	close(results)
	won := 0
	for err := range results {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, defus.ErrNotFound):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d requests set the password, want 1", won)
	}
}

// Retention deletes the rows of sessions that scs no longer has, and
// expired links.
func TestStaleSessionsAndLinksAreDeleted(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	st := store.New(pool, testClock)
	ctx := context.Background()
	u := &defus.User{Name: "Anna", Email: "anna@example.org", Role: defus.RoleAdmin, PasswordHash: "x"}
	if err := st.CreateUser(ctx, defus.Actor{}, u); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ('lebt', '', $1), ('alt', '', $2)`,
		testNow.Add(time.Hour), testNow.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{"lebt", "alt", "weg"} {
		if err := st.RecordLogin(ctx, u, "", defus.HashToken(token), "Firefox"); err != nil {
			t.Fatal(err)
		}
	}
	tok := defus.NewToken()
	if err := st.RequestPasswordReset(ctx, "anna@example.org", tok, accountMail(tok.Raw), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeleteStaleSessions(ctx, testNow); err != nil {
		t.Fatal(err)
	}
	sessions, err := st.FindUserSessions(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sessions) != 1 || string(sessions[0].Hash) != string(defus.HashToken("lebt")) {
		t.Errorf("sessions left: %d, want the live one", len(sessions))
	}
	if _, _, err := st.FindLink(ctx, tok.Hash, defus.TokenPasswordReset); err != nil {
		t.Errorf("a live link was deleted: %v", err)
	}
	if _, err := st.DeleteStaleSessions(ctx, testNow.Add(defus.PasswordResetLifetime)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM account_tokens`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d links left after they expired (%v)", n, err)
	}
}
