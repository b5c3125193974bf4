package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
)

func TestCreateAndFindEnquiry(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	pool := dbtest.Pool(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	e := &defus.Enquiry{Organisation: "Stadt Öhringen", ContactName: "A", Email: "a@oehringen.de", Message: "Hallo",
		ConsentAt: now, Status: defus.StatusNew, IdempotencyKey: "k1", CreatedAt: now}
	// Consent needs the privacy text it refers to.
	if _, err := st.CreateEnquiry(ctx, e, nil); err == nil {
		t.Fatal("enquiry stored without a privacy page")
	}
	if _, err := pool.Exec(ctx, `INSERT INTO pages (slug, title, body, required) VALUES ('datenschutz', 'Datenschutz', 'Text v1', true)`); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	pool.QueryRow(ctx, `SELECT array_agg(id ORDER BY slug) FROM topics WHERE slug IN ('drogen', 'praevention')`).Scan(&ids)
	e.TopicIDs = ids
	mails := []defus.Mail{{From: "defus@defus.de", To: "defus@defus.de", Subject: "S", Body: "B"}}
	created, err := st.CreateEnquiry(ctx, e, mails)
	if err != nil || !created || e.ID == 0 || mails[0].ID == 0 || *mails[0].EnquiryID != e.ID {
		t.Fatalf("CreateEnquiry: created=%v err=%v enquiry %d mail %+v", created, err, e.ID, mails[0])
	}
	got, err := st.FindEnquiry(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Organisation != "Stadt Öhringen" || got.Status != defus.StatusNew || len(got.Topics) != 2 ||
		got.Topics[0] != "Drogen" || got.PrivacyNoticeID == 0 || !got.CreatedAt.Equal(now) || got.ClosedAt != nil {
		t.Errorf("FindEnquiry = %+v", got)
	}
	// The same form again stores nothing.
	again := *e
	again.Organisation = "Doppelt"
	if created, err := st.CreateEnquiry(ctx, &again, []defus.Mail{{From: "defus@defus.de", To: "x@y.de"}}); err != nil || created {
		t.Errorf("second CreateEnquiry with the same key: created=%v err=%v", created, err)
	}
	var n, m int
	pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM enquiries), (SELECT count(*) FROM mails)`).Scan(&n, &m)
	if n != 1 || m != 1 {
		t.Errorf("%d enquiries and %d mails, want 1 and 1", n, m)
	}
	// Spam is closed when it arrives; a second enquiry shares the privacy text.
	spam := &defus.Enquiry{Organisation: "Bot", ContactName: "B", Email: "b@b.de", Message: "M", ConsentAt: now,
		Status: defus.StatusSpam, SpamReason: "Honigtopf", IdempotencyKey: "k2", CreatedAt: now}
	if _, err := st.CreateEnquiry(ctx, spam, nil); err != nil {
		t.Fatal(err)
	}
	if spam.ClosedAt == nil || spam.PrivacyNoticeID != e.PrivacyNoticeID {
		t.Errorf("spam closed %v, notice %d (want %d)", spam.ClosedAt, spam.PrivacyNoticeID, e.PrivacyNoticeID)
	}
	if _, err := st.FindEnquiry(ctx, 999999); !errors.Is(err, defus.ErrNotFound) {
		t.Error("FindEnquiry of a missing id did not fail")
	}
}

func TestEnquiryStatusAndAssignment(t *testing.T) {
	t.Parallel()
	st := inboxFixture(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	e := storeEnquiry(t, st, "Stadt A", "a", defus.StatusNew, now)
	by := defus.Actor{Name: "Tester"}

	if err := st.UpdateEnquiryStatus(ctx, by, e.ID, 99, defus.StatusAnswered); !errors.Is(err, defus.ErrConflict) {
		t.Errorf("stale version: %v, want ErrConflict", err)
	}
	if err := st.UpdateEnquiryStatus(ctx, by, 999999, 1, defus.StatusAnswered); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("missing enquiry: %v, want ErrNotFound", err)
	}
	if err := st.UpdateEnquiryStatus(ctx, by, e.ID, 1, "erfunden"); err == nil {
		t.Error("unknown status accepted")
	}
	if err := st.UpdateEnquiryStatus(ctx, by, e.ID, 1, defus.StatusRejected); err != nil {
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
	t.Parallel()
	st, clk := workStore(t)
	ctx := context.Background()
	long := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	old := storeEnquiry(t, st, "Alte Gemeinde", "old", defus.StatusNew, long)
	keep := storeEnquiry(t, st, "Neue Gemeinde", "new", defus.StatusNew, now)
	*clk = long
	if err := st.UpdateEnquiryStatus(ctx, defus.Actor{}, old.ID, 1, defus.StatusAnswered); err != nil {
		t.Fatal(err)
	}
	*clk = now
	if err := st.UpdateEnquiryStatus(ctx, defus.Actor{}, keep.ID, 1, defus.StatusAnswered); err != nil {
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

// TestEnquiryPagesFromEitherEnd: pages in the back half of the inbox are
// read from the end; every page still holds the right enquiries in the
// list's order, newest first and oldest first, with equal times too.
func TestEnquiryPagesFromEitherEnd(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	_, err := dbtest.Pool(t).Exec(ctx, `
WITH notice AS (
  INSERT INTO privacy_notices (page_version, body, body_sha256, created_at)
  VALUES (1, 'Seitentest', sha256('Seitentest'), $1) RETURNING id)
INSERT INTO enquiries (organisation, kind, contact_name, email, message, consent_at, privacy_notice_id, status, idempotency_key, created_at, updated_at)
SELECT 'Seitentest ' || lpad(g::text, 2, '0'), 'city', 'P', 'p@example.org', 'M', $1, (SELECT id FROM notice), 'new', 'seitentest-' || g,
       $1::timestamptz - interval '1 hour' * (g / 2), $1
FROM generate_series(1, 11) g`, testClock())
	if err != nil {
		t.Fatal(err)
	}
	for _, oldest := range []bool{false, true} {
		all, total, err := st.FindEnquiries(ctx, defus.EnquiryFilter{Query: "Seitentest", OldestFirst: oldest})
		if err != nil || total != 11 || len(all) != 11 {
			t.Fatalf("all: %d of %d, %v", len(all), total, err)
		}
		var paged []string
		for offset := 0; offset < 11; offset += 3 {
			page, _, err := st.FindEnquiries(ctx, defus.EnquiryFilter{Query: "Seitentest", OldestFirst: oldest, Limit: 3, Offset: offset})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				paged = append(paged, e.Organisation)
			}
		}
		var want []string
		for _, e := range all {
			want = append(want, e.Organisation)
		}
		if strings.Join(paged, "|") != strings.Join(want, "|") {
			t.Errorf("oldest first %v: pages give\n%v\nwant\n%v", oldest, paged, want)
		}
	}
}
