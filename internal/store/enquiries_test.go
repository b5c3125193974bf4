package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
)

func TestCreateAndFindEnquiry(t *testing.T) {
	st := fixture(t)
	pool := dbtest.Pool(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `TRUNCATE enquiries, privacy_notices, mails CASCADE`); err != nil {
		t.Fatal(err)
	}
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
