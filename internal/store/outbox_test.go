package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
)

func TestEnquiryMailsSayWhyTheyFailedAndGoAgain(t *testing.T) {
	t.Parallel()
	st, now := workStore(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Erika Muster"}
	e, _ := enquiryWithMails(t, st, "Stadt A")
	other, _ := enquiryWithMails(t, st, "Stadt B")

	failForGood(t, st, now)
	mails, err := st.FindEnquiryMails(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) != 2 || mails[0].To != "defus@defus.de" || mails[1].To != "Kim@Example.org" {
		t.Fatalf("mails of the enquiry, oldest first: %+v", mails)
	}
	failed := mails[1]
	if failed.Status != defus.MailFailed || failed.Problem != defus.ProblemRecipient ||
		!strings.Contains(failed.LastError, "550 5.1.1") || failed.Kind != defus.MailAutomatic {
		t.Fatalf("after the last attempt: status %q, problem %q, error %q, kind %q",
			failed.Status, failed.Problem, failed.LastError, failed.Kind)
	}

	if err := st.ResendMail(ctx, by, other.ID, failed.ID); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("resend through another enquiry: %v, want ErrNotFound", err)
	}
	*now = now.Add(time.Hour)
	if err := st.ResendMail(ctx, by, e.ID, failed.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.ResendMail(ctx, by, e.ID, failed.ID); !errors.Is(err, defus.ErrConflict) {
		t.Errorf("resending a queued mail: %v, want ErrConflict", err)
	}
	mails, _ = st.FindEnquiryMails(ctx, e.ID)
	again := mails[1]
	if again.Status != defus.MailQueued || again.Attempts != 0 || !again.NextAttemptAt.Equal(*now) ||
		again.MessageID != failed.MessageID || again.Problem != defus.ProblemRecipient {
		t.Errorf("after resend: status %q, attempts %d, due %v (want %v), Message-ID %q (was %q), problem %q",
			again.Status, again.Attempts, again.NextAttemptAt, *now, again.MessageID, failed.MessageID, again.Problem)
	}
	claimed, err := st.ClaimMail(ctx, *now, time.Minute)
	if err != nil || claimed == nil || claimed.ID != failed.ID {
		t.Fatalf("the resent mail is not due at once: %+v, %v", claimed, err)
	}
	if err := st.RecordMailOutcome(ctx, claimed, *now, nil); err != nil {
		t.Fatal(err)
	}
	mails, _ = st.FindEnquiryMails(ctx, e.ID)
	if m := mails[1]; m.Status != defus.MailSent || m.SentAt == nil || !m.SentAt.Equal(*now) || m.Problem != "" || m.LastError != "" {
		t.Errorf("sent after resend: %+v", m)
	}

	entries, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityEnquiry, EntityID: e.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Actor.Name != "Erika Muster" || fmt.Sprint(entries[0].Changes["mail_resent"][1]) != fmt.Sprint(failed.ID) {
		t.Errorf("audit of the resend: %+v", entries)
	}
}

func TestReplyLeavesThroughTheOutboxAndGoesWithTheEnquiry(t *testing.T) {
	t.Parallel()
	st, now := workStore(t)
	ctx := context.Background()
	by := defus.Actor{ID: 0, Name: "Erika Muster"}
	e, mails := enquiryWithMails(t, st, "Stadt A")
	*now = now.Add(2 * time.Hour)

	m := defus.ReplyMail(defus.Reply{Subject: "Re: Ihre Anfrage", Body: "Guten Tag,\n\ngern."}, by, "defus@defus.de")
	m.To = "jemand@anders.example" // the store sends to the enquiry's sender, whatever the caller says
	if err := st.CreateReply(ctx, by, e.ID, &m); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindEnquiryMails(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d mails, want the two automatic ones and the answer", len(got))
	}
	r := got[2]
	if r.Kind != defus.MailReply || r.AuthorName != "Erika Muster" || r.To != e.Email || r.From != "defus@defus.de" ||
		r.ReplyTo != "defus@defus.de" || r.FromName != "Erika Muster (DEFUS-Geschäftsstelle)" ||
		r.Status != defus.MailQueued || !r.NextAttemptAt.Equal(*now) || r.InReplyTo != mails[1].MessageID ||
		r.MessageID == "" || r.Body != "Guten Tag,\n\ngern." {
		t.Errorf("the answer as stored: %+v (confirmation %q)", r, mails[1].MessageID)
	}
	claimed, err := st.ClaimMail(ctx, *now, time.Minute)
	if err != nil || claimed == nil || claimed.ID != mails[0].ID {
		t.Fatalf("claim: %+v, %v", claimed, err)
	}

	// A second answer continues the thread of the first.
	m2 := defus.ReplyMail(defus.Reply{Subject: "Re: Ihre Anfrage", Body: "Nachtrag"}, by, "defus@defus.de")
	if err := st.CreateReply(ctx, by, e.ID, &m2); err != nil {
		t.Fatal(err)
	}
	if m2.InReplyTo != r.MessageID {
		t.Errorf("second answer in reply to %q, want the first answer %q", m2.InReplyTo, r.MessageID)
	}

	entries, _, _ := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityEnquiry, EntityID: e.ID})
	if len(entries) != 2 || entries[0].Action != defus.ActionCreate || entries[0].Changes["reply"][1] == nil {
		t.Errorf("audit: %+v", entries)
	}
	for _, a := range entries {
		if strings.Contains(fmt.Sprint(a.Changes), "gern") {
			t.Errorf("the audit log holds the answer's text: %v", a.Changes)
		}
	}

	// The request for access finds the answers; erasure takes them along.
	data, err := st.FindSubjectData(ctx, "kim@example.org")
	if err != nil {
		t.Fatal(err)
	}
	var replies int
	for _, m := range data.Mails {
		if m.Kind == defus.MailReply {
			replies++
		}
	}
	if len(data.Mails) != 4 || replies != 2 {
		t.Errorf("access: %d mails with %d answers, want 4 with 2", len(data.Mails), replies)
	}
	if err := st.EraseEnquiry(ctx, by, e.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.CountEnquiryMails(ctx, e.ID); n != 0 {
		t.Errorf("%d mails left after erasure", n)
	}
	var left int
	dbtest.Pool(t).QueryRow(ctx, `SELECT count(*) FROM mails WHERE body LIKE '%gern%' OR body = 'Nachtrag'`).Scan(&left)
	if left != 0 {
		t.Errorf("%d answers left in the database after erasure", left)
	}
}

func TestReplyRetention(t *testing.T) {
	t.Parallel()
	st, now := workStore(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Erika Muster"}
	e, _ := enquiryWithMails(t, st, "Stadt A")
	m := defus.ReplyMail(defus.Reply{Subject: "Re", Body: "Antwort"}, by, "defus@defus.de")
	if err := st.CreateReply(ctx, by, e.ID, &m); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateEnquiryStatus(ctx, by, e.ID, e.Version, defus.StatusAnswered); err != nil {
		t.Fatal(err)
	}
	if n, err := st.DeleteExpiredEnquiries(ctx, now.Add(31*24*time.Hour), 30*24*time.Hour); err != nil || n != 1 {
		t.Fatalf("retention deleted %d, %v", n, err)
	}
	var left int
	dbtest.Pool(t).QueryRow(ctx, `SELECT count(*) FROM mails`).Scan(&left)
	if left != 0 {
		t.Errorf("%d mails left after the enquiry's retention ended, want none", left)
	}
}

func TestReplyRefused(t *testing.T) {
	t.Parallel()
	st, _ := workStore(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Erika Muster"}
	spam := storeEnquiry(t, st, "Bot", "bot", defus.StatusSpam, st.Now())
	m := defus.ReplyMail(defus.Reply{Subject: "Re", Body: "x"}, by, "defus@defus.de")
	err := st.CreateReply(ctx, by, spam.ID, &m)
	if fe := defus.FieldErrors(nil); !errors.As(err, &fe) || fe["body"] != defus.MsgReplyToSpam {
		t.Errorf("answer to spam: %v, want the field error", err)
	}
	if err := st.CreateReply(ctx, by, 999999, &m); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("answer to a missing enquiry: %v, want ErrNotFound", err)
	}
	if n, _ := st.CountEnquiryMails(ctx, spam.ID); n != 0 {
		t.Errorf("%d mails queued for spam", n)
	}
}

func TestFollowUpBringsTheEnquiryBackOnItsBerlinDay(t *testing.T) {
	t.Parallel()
	st, now := workStore(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Erika Muster"}
	e := storeEnquiry(t, st, "Stadt A", "a", defus.StatusAnswered, *now)
	storeEnquiry(t, st, "Stadt B", "b", defus.StatusNew, *now)
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, defus.Berlin)
	f := &defus.FollowUp{On: day, Note: "Rückruf bei Frau Kurz"}

	if err := st.SetEnquiryFollowUp(ctx, by, e.ID, e.Version+1, f); !errors.Is(err, defus.ErrConflict) {
		t.Errorf("stale version: %v, want ErrConflict", err)
	}
	if err := st.SetEnquiryFollowUp(ctx, by, e.ID, e.Version, f); err != nil {
		t.Fatal(err)
	}
	got, _ := st.FindEnquiry(ctx, e.ID)
	if got.FollowUpOn == nil || !got.FollowUpOn.Equal(day) || got.FollowUpNote != f.Note || got.Version != e.Version+1 {
		t.Fatalf("stored follow-up: %v %q version %d", got.FollowUpOn, got.FollowUpNote, got.Version)
	}

	due := func() []string {
		list, total, err := st.FindEnquiries(ctx, defus.EnquiryFilter{FollowUpDue: true})
		if err != nil {
			t.Fatal(err)
		}
		var orgs []string
		for _, e := range list {
			orgs = append(orgs, e.Organisation)
		}
		if total != len(orgs) {
			t.Errorf("total %d, listed %d", total, len(orgs))
		}
		return orgs
	}
	// 23:59 on 30 November in Berlin is 22:59 UTC; midnight is 23:00 UTC.
	for _, tc := range []struct {
		at   time.Time
		want int
	}{
		{time.Date(2026, 11, 30, 22, 59, 0, 0, time.UTC), 0},
		{time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC), 1},
		{time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC), 1},
	} {
		*now = tc.at
		if got := due(); len(got) != tc.want {
			t.Errorf("at %v: due %v, want %d", tc.at, got, tc.want)
		}
	}

	if err := st.SetEnquiryFollowUp(ctx, by, e.ID, got.Version, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ = st.FindEnquiry(ctx, e.ID); got.FollowUpOn != nil || got.FollowUpNote != "" {
		t.Errorf("after clearing: %v %q", got.FollowUpOn, got.FollowUpNote)
	}
	if list := due(); len(list) != 0 {
		t.Errorf("due after clearing: %v", list)
	}

	entries, _, _ := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityEnquiry, EntityID: e.ID})
	if len(entries) != 2 {
		t.Fatalf("audit: %+v", entries)
	}
	set := entries[1].Changes
	if fmt.Sprint(set["follow_up_on"][1]) != "01.12.2026" || set["follow_up_note"][1] != defus.ChangeWithheld {
		t.Errorf("audit of setting: %v", set)
	}
	if strings.Contains(fmt.Sprint(entries), "Frau Kurz") {
		t.Error("the audit log holds the note")
	}
	// Clearing what is already clear changes nothing.
	if err := st.SetEnquiryFollowUp(ctx, by, e.ID, got.Version, nil); err != nil {
		t.Fatal(err)
	}
	if again, _ := st.FindEnquiry(ctx, e.ID); again.Version != got.Version {
		t.Errorf("clearing twice raised the version to %d", again.Version)
	}
}

// Mails of no enquiry (here a registration's) go 90 days after they were
// sent; queued ones and an enquiry's mails stay.
func TestMailsOfNoEnquiryGoAfter90Days(t *testing.T) {
	t.Parallel()
	st, now, e := regFixture(t, 0)
	ctx := context.Background()
	if err := st.CreatePage(ctx, defus.Actor{}, &defus.Page{Slug: "datenschutz", Title: "Datenschutz", Body: "Text",
		Required: true, Published: true}); err != nil {
		t.Fatal(err)
	}
	enquiryWithMails(t, st, "Stadt A")
	if _, err := st.Register(ctx, defus.Actor{}, e.ID, defus.RegistrationInput{Name: "Kim Gast", Email: "kim@example.org", Organisation: "X"}); err != nil {
		t.Fatal(err)
	}
	// Everything queued so far goes out now.
	for {
		m, err := st.ClaimMail(ctx, *now, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if m == nil {
			break
		}
		if err := st.RecordMailOutcome(ctx, m, *now, nil); err != nil {
			t.Fatal(err)
		}
	}
	sent := *now
	// A registration whose mail is still waiting to go.
	if _, err := st.Register(ctx, defus.Actor{}, e.ID, defus.RegistrationInput{Name: "Lou", Email: "lou@example.org", Organisation: "Y"}); err != nil {
		t.Fatal(err)
	}
	left := func() (registration, enquiry, queued int) {
		t.Helper()
		err := dbtest.Pool(t).QueryRow(ctx, `
SELECT count(*) FILTER (WHERE enquiry_id IS NULL AND status = 'sent'),
       count(*) FILTER (WHERE enquiry_id IS NOT NULL),
       count(*) FILTER (WHERE status = 'queued')
FROM mails`).Scan(&registration, &enquiry, &queued)
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	if n, err := st.DeleteExpiredMails(ctx, sent.Add(defus.MailRetention-time.Minute)); err != nil || n != 0 {
		t.Fatalf("a day before the end: deleted %d (%v), want 0", n, err)
	}
	if r, q, w := left(); r != 1 || q != 2 || w != 1 {
		t.Fatalf("before: %d sent registration mails, %d enquiry mails, %d queued; want 1, 2, 1", r, q, w)
	}
	n, err := st.DeleteExpiredMails(ctx, sent.Add(defus.MailRetention+time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("after 90 days: deleted %d (%v), want the registration's one", n, err)
	}
	if r, q, w := left(); r != 0 || q != 2 || w != 1 {
		t.Errorf("after: %d sent registration mails, %d enquiry mails, %d queued; want 0, 2, 1", r, q, w)
	}
}
