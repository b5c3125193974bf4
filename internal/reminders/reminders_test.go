package reminders_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/reminders"
	"defus.de/portal/internal/store"
	"defus.de/portal/internal/testclock"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

var start = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// clock is the tests' clock (see internal/testclock).
type clock = testclock.Clock

func TestJobRemindsRepresentativesAYearAfterTheLastConfirmation(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	ctx := context.Background()
	c := testclock.New(start)
	st := store.New(pool, c.Now)
	m := &defus.Member{Slug: "goerlitz", Name: "Stadt Görlitz", ShortName: "Görlitz", Kind: defus.KindCity, Published: true}
	if err := st.CreateMember(ctx, defus.Actor{}, m); err != nil {
		t.Fatal(err)
	}
	u := &defus.User{Email: "vertretung@goerlitz.example", Name: "Gerd Görlitz", Role: defus.RoleMember, MemberID: &m.ID, PasswordHash: "x"}
	if err := st.CreateUser(ctx, defus.Actor{}, u); err != nil {
		t.Fatal(err)
	}
	if err := st.ConfirmProfile(ctx, defus.Actor{}, m.ID); err != nil {
		t.Fatal(err)
	}
	job := &reminders.Job{Store: st, Log: slog.New(slog.DiscardHandler),
		Mail: defus.ProfileMailSettings{Office: "buero@defus.example", BaseURL: "https://www.defus.example"}}

	c.Set(start.Add(364 * 24 * time.Hour))
	if n, err := job.Once(ctx); err != nil || n != 0 {
		t.Fatalf("after 364 days: %d, %v", n, err)
	}
	c.Set(start.Add(366 * 24 * time.Hour))
	if n, err := job.Once(ctx); err != nil || n != 1 {
		t.Fatalf("after 366 days: %d, %v", n, err)
	}
	mail, err := st.ClaimMail(ctx, c.Now(), time.Minute)
	if err != nil || mail == nil {
		t.Fatalf("no mail queued: %v", err)
	}
	if mail.To != u.Email || !strings.Contains(mail.Body, "/intern/profil") || !strings.Contains(mail.Body, "zuletzt am 24. November 2026 bestätigt") {
		t.Errorf("reminder to %s:\n%s", mail.To, mail.Body)
	}
	if n, _ := job.Once(ctx); n != 0 {
		t.Errorf("a second pass the same day sent %d", n)
	}
}

func TestJobDeletesProposalsTwoYearsAfterTheDecision(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	ctx := context.Background()
	c := testclock.New(start)
	st := store.New(pool, c.Now)
	m := &defus.Member{Slug: "goerlitz", Name: "Stadt Görlitz", ShortName: "Görlitz", Kind: defus.KindCity, Published: true}
	if err := st.CreateMember(ctx, defus.Actor{}, m); err != nil {
		t.Fatal(err)
	}
	p := &defus.ProfileProposal{MemberID: m.ID, Description: "Neu"}
	if _, err := st.SaveProposal(ctx, defus.Actor{Name: "Gerd", Email: "g@goerlitz.example"}, p); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DecideProposal(ctx, defus.Actor{}, store.ProfileDecision{ProposalID: p.ID, ProposalVersion: p.Version,
		Note: "Nein", Mail: defus.ProfileMailSettings{Office: "buero@defus.example", BaseURL: "https://www.defus.example"}}); err != nil {
		t.Fatal(err)
	}
	job := &reminders.Job{Store: st, Log: slog.New(slog.DiscardHandler)}
	c.Set(start.Add(store.ProposalRetention - time.Hour))
	job.Once(ctx)
	if _, err := st.FindProposal(ctx, p.ID); err != nil {
		t.Fatalf("deleted before two years: %v", err)
	}
	c.Set(start.Add(store.ProposalRetention + time.Hour))
	job.Once(ctx)
	if _, err := st.FindProposal(ctx, p.ID); !errors.Is(err, defus.ErrNotFound) {
		t.Fatalf("kept after two years: %v", err)
	}
}
