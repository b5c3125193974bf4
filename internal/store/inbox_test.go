package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// inboxFixture is fixture with a privacy page, no enquiries and no accounts.
func inboxFixture(t *testing.T) *store.Store {
	t.Helper()
	st := fixture(t)
	pool := dbtest.Pool(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `TRUNCATE enquiries, privacy_notices, mails, users, audit_log RESTART IDENTITY CASCADE`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO pages (slug, title, body, required) VALUES ('datenschutz', 'Datenschutz', 'Text v1', true)`); err != nil {
		t.Fatal(err)
	}
	return st
}

func storeEnquiry(t *testing.T, st *store.Store, org, key string, status defus.EnquiryStatus, at time.Time) *defus.Enquiry {
	t.Helper()
	e := &defus.Enquiry{Organisation: org, ContactName: "Kim", Email: "kim@example.org", Message: "Hallo",
		ConsentAt: at, Status: status, IdempotencyKey: key, CreatedAt: at}
	if _, err := st.CreateEnquiry(context.Background(), e, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEnquiryStatusAndAssignment(t *testing.T) {
	st := inboxFixture(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	e := storeEnquiry(t, st, "Stadt A", "a", defus.StatusNew, now)
	by := defus.Actor{Name: "Tester"}

	if err := st.UpdateEnquiryStatus(ctx, by, e.ID, 99, defus.StatusAnswered, now); !errors.Is(err, defus.ErrConflict) {
		t.Errorf("stale version: %v, want ErrConflict", err)
	}
	if err := st.UpdateEnquiryStatus(ctx, by, 999999, 1, defus.StatusAnswered, now); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("missing enquiry: %v, want ErrNotFound", err)
	}
	if err := st.UpdateEnquiryStatus(ctx, by, e.ID, 1, "erfunden", now); err == nil {
		t.Error("unknown status accepted")
	}
	if err := st.UpdateEnquiryStatus(ctx, by, e.ID, 1, defus.StatusRejected, now); err != nil {
		t.Fatal(err)
	}
	got, _ := st.FindEnquiry(ctx, e.ID)
	if got.Status != defus.StatusRejected || got.ClosedAt == nil || got.Version != 2 {
		t.Errorf("after rejecting: %+v", got)
	}

	member := &defus.User{Email: "m@x.de", Name: "M", Role: defus.RoleMember, PasswordHash: "x"}
	editor := &defus.User{Email: "e@x.de", Name: "Eva", Role: defus.RoleEditor, PasswordHash: "x"}
	for _, u := range []*defus.User{member, editor} {
		if err := st.CreateUser(ctx, by, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.AssignEnquiry(ctx, by, e.ID, 2, &member.ID); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("assigning a member account: %v, want ErrNotFound", err)
	}
	if err := st.AssignEnquiry(ctx, by, e.ID, 2, &editor.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ = st.FindEnquiry(ctx, e.ID); got.AssignedName != "Eva" || got.Version != 3 {
		t.Errorf("after assigning: %q version %d", got.AssignedName, got.Version)
	}
	if err := st.AssignEnquiry(ctx, by, e.ID, 3, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ = st.FindEnquiry(ctx, e.ID); got.AssignedTo != nil {
		t.Errorf("still assigned: %v", got.AssignedTo)
	}
}

func TestRetentionForgetsTheEnquirysNameInTheAuditLog(t *testing.T) {
	st := inboxFixture(t)
	ctx := context.Background()
	long := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	old := storeEnquiry(t, st, "Alte Gemeinde", "old", defus.StatusNew, long)
	keep := storeEnquiry(t, st, "Neue Gemeinde", "new", defus.StatusNew, now)
	if err := st.UpdateEnquiryStatus(ctx, defus.Actor{}, old.ID, 1, defus.StatusAnswered, long); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateEnquiryStatus(ctx, defus.Actor{}, keep.ID, 1, defus.StatusAnswered, now); err != nil {
		t.Fatal(err)
	}
	n, err := st.DeleteExpiredEnquiries(ctx, now, 365*24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredEnquiries = %d, %v; want 1", n, err)
	}
	entries, _, _ := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityEnquiry})
	labels := map[int64]string{}
	for _, e := range entries {
		labels[e.EntityID] = e.EntityLabel
	}
	if labels[old.ID] != "" || labels[keep.ID] != "Neue Gemeinde" {
		t.Errorf("audit labels after retention: %v", labels)
	}
}
