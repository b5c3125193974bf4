package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

var testMailSettings = defus.ProfileMailSettings{Office: "buero@defus.example", BaseURL: "https://www.defus.example"}

// representative adds an account speaking for the member slug.
func representative(t *testing.T, st *store.Store, slug, email string) (*defus.Member, *defus.User) {
	t.Helper()
	m, err := st.FindMember(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	u := &defus.User{Email: email, Name: "Vertretung " + m.ShortName, Role: defus.RoleMember, MemberID: &m.ID, PasswordHash: "x"}
	if err := st.CreateUser(context.Background(), defus.Actor{}, u); err != nil {
		t.Fatal(err)
	}
	return m, u
}

func TestProposalsOneOpenPerMemberAndApprovalChecksTheBase(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	m, u := representative(t, st, "zwickau", "v@zwickau.example")
	by := u.Actor("")

	p := &defus.ProfileProposal{MemberID: m.ID, Description: "Neue Beschreibung", Website: "https://www.zwickau.de"}
	if _, err := st.SaveProposal(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	if p.BaseVersion != m.Version {
		t.Errorf("base version %d, want the member's %d", p.BaseVersion, m.Version)
	}
	// A second new proposal does not replace the open one.
	second := &defus.ProfileProposal{MemberID: m.ID, Description: "Andere Beschreibung"}
	current, err := st.SaveProposal(ctx, by, second)
	if !errors.Is(err, defus.ErrConflict) || current == nil || current.ID != p.ID {
		t.Fatalf("second proposal: err %v, current %+v; want a conflict naming the open one", err, current)
	}
	// Nothing is public yet.
	if got, _ := st.FindMember(ctx, "zwickau"); got.Description == "Neue Beschreibung" {
		t.Fatal("the proposal changed the profile before approval")
	}

	// The office changes the profile meanwhile: approving against the old
	// version is refused and writes nothing.
	if _, err := st.UpdateMember(ctx, defus.Actor{Name: "Büro"}, withDescription(t, st, m.ID, "Vom Büro")); err != nil {
		t.Fatal(err)
	}
	_, err = st.DecideProposal(ctx, defus.Actor{Name: "Büro"}, store.ProfileDecision{ProposalID: p.ID, ProposalVersion: p.Version,
		MemberVersion: m.Version, Approve: true, Mail: testMailSettings})
	if !errors.Is(err, defus.ErrConflict) {
		t.Fatalf("approve against a changed profile: %v, want a conflict", err)
	}
	if got, _ := st.FindMember(ctx, "zwickau"); got.Description != "Vom Büro" {
		t.Fatalf("description %q after a refused approval", got.Description)
	}

	// Against the version seen now it goes through, confirms the profile
	// and queues the mail to the author.
	now, _ := st.FindMemberByID(ctx, m.ID)
	decided, err := st.DecideProposal(ctx, defus.Actor{Name: "Büro"}, store.ProfileDecision{ProposalID: p.ID, ProposalVersion: p.Version,
		MemberVersion: now.Version, Approve: true, Note: "Danke!", Mail: testMailSettings})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := st.FindMember(ctx, "zwickau")
	if got.Description != "Neue Beschreibung" || got.Website != "https://www.zwickau.de" || got.ConfirmedAt == nil {
		t.Errorf("after approval: %q %q confirmed %v", got.Description, got.Website, got.ConfirmedAt)
	}
	if decided.Status != defus.ProposalApproved {
		t.Errorf("status %s", decided.Status)
	}
	mails := queuedMails(t, st, "v@zwickau.example")
	if len(mails) != 1 || !strings.Contains(mails[0], "übernommen") || !strings.Contains(mails[0], "Danke!") {
		t.Errorf("mails to the author: %q", mails)
	}
	// Decided: a second decision is refused.
	if _, err := st.DecideProposal(ctx, defus.Actor{}, store.ProfileDecision{ProposalID: p.ID, ProposalVersion: decided.Version, MemberVersion: got.Version}); !errors.Is(err, defus.ErrConflict) {
		t.Errorf("deciding twice: %v", err)
	}
}

func withDescription(t *testing.T, st *store.Store, id int64, text string) *defus.Member {
	t.Helper()
	m, err := st.FindMemberByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	m.Description = text
	return m
}

// queuedMails are subject and body of the mails queued to addr.
func queuedMails(t *testing.T, st *store.Store, addr string) []string {
	t.Helper()
	var out []string
	for {
		m, err := st.ClaimMail(context.Background(), testNow.Add(time.Hour), time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if m == nil {
			return out
		}
		if m.To == addr {
			out = append(out, m.Subject+"\n"+m.Body)
		}
	}
}

func TestProfileRemindersOncePerYear(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	for _, slug := range []string{"zwickau", "offenburg"} {
		m, _ := representative(t, st, slug, "v@"+slug+".example")
		if err := st.ConfirmProfile(ctx, defus.Actor{}, m.ID); err != nil { // confirmed today: not due
			t.Fatal(err)
		}
	}

	later := testNow.Add(defus.ProfileReminderInterval + time.Hour)
	if n, err := st.SendProfileReminders(ctx, testNow, testMailSettings); err != nil || n != 0 {
		t.Fatalf("today: %d reminders, %v; the profiles were confirmed today", n, err)
	}
	n, err := st.SendProfileReminders(ctx, later, testMailSettings)
	if err != nil || n != 2 {
		t.Fatalf("a year later: %d reminders, %v; want 2", n, err)
	}
	if n, _ := st.SendProfileReminders(ctx, later.Add(time.Hour), testMailSettings); n != 0 {
		t.Errorf("the same day again: %d reminders", n)
	}
	if n, _ := st.SendProfileReminders(ctx, later.Add(defus.ProfileReminderInterval+time.Hour), testMailSettings); n != 2 {
		t.Errorf("a year after the reminder: %d, want 2 again", n)
	}
}
