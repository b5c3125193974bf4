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

// kindMailer writes a mail per registration mail whose subject is the kind,
// so tests can count what was queued.
type kindMailer struct{}

func (kindMailer) RegistrationMail(kind defus.RegistrationMailKind, e *defus.Event, r *defus.Registration) (defus.Mail, bool) {
	return defus.Mail{FromName: "DEFUS", From: "office@defus.de", To: r.Email, Subject: string(kind), Body: e.Title}, true
}

// regFixture is fixture with a store whose clock the test moves (from one
// goroutine only) and an upcoming published event with open registration
// and capacity places (0: unlimited).
func regFixture(t *testing.T, capacity int) (*store.Store, *time.Time, *defus.Event) {
	t.Helper()
	fixture(t)
	now := testNow
	st := store.New(dbtest.Pool(t), func() time.Time { return now })
	st.SetRegistrationMailer(kindMailer{})
	e := &defus.Event{Slug: "fortbildung", Title: "Fortbildung Prävention", Kind: defus.EventTraining,
		StartsAt: testNow.Add(10 * 24 * time.Hour), EndsAt: testNow.Add(10*24*time.Hour + 6*time.Hour),
		Format: defus.FormatInPerson, City: "Zwickau", Status: defus.StatusScheduled, Published: true,
		Registration: defus.RegistrationSettings{Mode: defus.RegistrationOpen}}
	if capacity > 0 {
		e.Registration.Capacity = &capacity
	}
	if err := st.CreateEvent(context.Background(), defus.Actor{}, e); err != nil {
		t.Fatal(err)
	}
	return st, &now, e
}

// memberUsers makes n member accounts of the member slug and returns their ids.
func memberUsers(t *testing.T, n int, slug string) []int64 {
	t.Helper()
	rows, err := dbtest.Pool(t).Query(context.Background(), `
INSERT INTO users (email, name, role, member_id, password_hash)
SELECT 'person' || g || '@' || $2 || '.de', 'Person ' || g, 'member', (SELECT id FROM members WHERE slug = $2), 'x'
FROM generate_series(1, $1) g
RETURNING id`, n, slug)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func memberInput(t *testing.T, userID int64, slug string) defus.RegistrationInput {
	t.Helper()
	var in defus.RegistrationInput
	err := dbtest.Pool(t).QueryRow(context.Background(),
		`SELECT u.name, u.email, m.name, m.id FROM users u JOIN members m ON m.id = u.member_id WHERE u.id = $1 AND m.slug = $2`,
		userID, slug).Scan(&in.Name, &in.Email, &in.Organisation, &in.MemberID)
	if err != nil {
		t.Fatal(err)
	}
	in.UserID = &userID
	return in
}

func mailCount(t *testing.T, kind defus.RegistrationMailKind) int {
	t.Helper()
	var n int
	if err := dbtest.Pool(t).QueryRow(context.Background(), `SELECT count(*) FROM mails WHERE subject = $1`, string(kind)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func counts(t *testing.T, st *store.Store, eventID int64) defus.RegistrationCounts {
	t.Helper()
	c, err := st.CountRegistrations(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// 50 people register at once for 20 places, 10 of them twice: exactly 20
// get a place, 30 wait, the first 20 to get the event's lock hold the places
// and the waitlist follows in the order of arrival, nobody twice.
func TestRegisterConcurrently(t *testing.T) {
	t.Parallel()
	st, _, e := regFixture(t, 20)
	users := memberUsers(t, 50, "zwickau")
	ins := make([]defus.RegistrationInput, len(users))
	for i, id := range users {
		ins[i] = memberInput(t, id, "zwickau")
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for i := range 60 {
		wg.Go(func() {
			_, err := st.Register(ctx, defus.Actor{}, e.ID, ins[i%50])
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	ok, twice := 0, 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, defus.RefusedRegistered):
			twice++
		default:
			t.Fatal(err)
		}
	}
	if ok != 50 || twice != 10 {
		t.Errorf("registered %d, refused as registered %d; want 50 and 10", ok, twice)
	}
	c := counts(t, st, e.ID)
	if c.Confirmed != 20 || c.Waiting != 30 {
		t.Errorf("confirmed %d, waiting %d; want 20 and 30", c.Confirmed, c.Waiting)
	}
	regs, err := st.FindEventRegistrations(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	var lastConfirmed, firstWaiting int64 = 0, 1 << 62
	seen := map[string]bool{}
	for i, r := range regs {
		if seen[r.Email] {
			t.Errorf("%s registered twice", r.Email)
		}
		seen[r.Email] = true
		switch r.State {
		case defus.RegConfirmed:
			lastConfirmed = max(lastConfirmed, r.QueuePos)
		case defus.RegWaiting:
			firstWaiting = min(firstWaiting, r.QueuePos)
			if r.Position != i-19 {
				t.Errorf("waiting %s at position %d, want %d", r.Email, r.Position, i-19)
			}
		}
	}
	if lastConfirmed >= firstWaiting {
		t.Errorf("someone on the waitlist arrived before someone with a place")
	}
	if got := mailCount(t, defus.MailRegConfirmed); got != 20 {
		t.Errorf("%d confirmation mails, want 20", got)
	}
	if got := mailCount(t, defus.MailRegWaiting); got != 30 {
		t.Errorf("%d waitlist mails, want 30", got)
	}

	// Cancellations under load: 5 participants cancel while 10 more
	// people register. Every cancellation offers exactly one place, to
	// the first 5 in line; the places held stay at 20.
	var waitingBefore []string
	for _, r := range regs {
		if r.State == defus.RegWaiting {
			waitingBefore = append(waitingBefore, r.Email)
		}
	}
	more := memberUsers(t, 10, "offenburg")
	for i, id := range more {
		more[i] = id
	}
	for i := range 15 {
		wg.Go(func() {
			if i < 5 {
				if _, _, err := st.CancelRegistration(ctx, defus.Actor{}, regs[i].ID); err != nil {
					t.Error(err)
				}
				return
			}
			if _, err := st.Register(ctx, defus.Actor{}, e.ID, memberInput(t, more[i-5], "offenburg")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	c = counts(t, st, e.ID)
	if c.Confirmed != 15 || c.Offered != 5 || c.Waiting != 35 || c.Cancelled != 5 {
		t.Errorf("after cancelling: %+v, want 15 confirmed, 5 offered, 35 waiting, 5 cancelled", c)
	}
	regs, err = st.FindEventRegistrations(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	offered := map[string]bool{}
	for _, r := range regs {
		if r.State == defus.RegOffered {
			offered[r.Email] = true
		}
	}
	for _, email := range waitingBefore[:5] {
		if !offered[email] {
			t.Errorf("%s was among the first five in line but was not offered a place", email)
		}
	}
	if got := mailCount(t, defus.MailRegOffered); got != 5 {
		t.Errorf("%d offer mails, want 5", got)
	}
}

// A guest's registration holds no place until confirmed, confirms once,
// and expires unconfirmed after 24 hours.
func TestGuestConfirmsByMail(t *testing.T) {
	t.Parallel()
	st, now, e := regFixture(t, 1)
	ctx := context.Background()
	guest := defus.RegistrationInput{Name: "Kim Gast", Email: "Kim@Example.org", Organisation: "Stadt X"}
	r, err := st.Register(ctx, defus.Actor{}, e.ID, guest)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != defus.RegPending || counts(t, st, e.ID).Held() != 0 {
		t.Fatalf("guest is %s with %d places held, want pending and none", r.State, counts(t, st, e.ID).Held())
	}
	if got := mailCount(t, defus.MailRegConfirmLink); got != 1 {
		t.Errorf("%d confirmation requests, want 1", got)
	}
	// Same address in other case: the same registration, a new mail.
	guest.Email = "kim@example.ORG"
	if _, err := st.Register(ctx, defus.Actor{}, e.ID, guest); err != nil {
		t.Fatal(err)
	}
	if c := counts(t, st, e.ID); c.Pending != 1 {
		t.Errorf("pending %d, want 1", c.Pending)
	}
	got, _, err := st.ConfirmRegistration(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != defus.RegConfirmed {
		t.Errorf("after confirming: %s", got.State)
	}
	// The link once more: nothing changes, the page says so.
	if again, _, err := st.ConfirmRegistration(ctx, r.ID); !errors.Is(err, defus.RefusedLinkUsed) || again.State != defus.RegConfirmed {
		t.Errorf("confirming again: %v, %s", err, again.State)
	}
	// Event full: a second guest confirms onto the waitlist.
	r2, err := st.Register(ctx, defus.Actor{}, e.ID, defus.RegistrationInput{Name: "Lou", Email: "lou@example.org", Organisation: "Y"})
	if err != nil {
		t.Fatal(err)
	}
	if r2.State != defus.RegWaiting || r2.Position != 1 {
		t.Errorf("second guest is %s at %d, want waiting at 1", r2.State, r2.Position)
	}
	// A third guest registers but confirms too late.
	r3, err := st.Register(ctx, defus.Actor{}, e.ID, defus.RegistrationInput{Name: "Mo", Email: "mo@example.org", Organisation: "Z", Waitlist: true})
	if err != nil {
		t.Fatal(err)
	}
	if r3.State != defus.RegWaiting {
		t.Errorf("third is %s, want waiting", r3.State)
	}
	_ = now
}

func TestUnconfirmedRegistrationExpires(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st2, now2, e2 := regFixture(t, 0)
	p, err := st2.Register(ctx, defus.Actor{}, e2.ID, defus.RegistrationInput{Name: "Pat", Email: "pat@example.org", Organisation: "Z"})
	if err != nil {
		t.Fatal(err)
	}
	*now2 = now2.Add(defus.PendingTTL)
	if _, _, err := st2.ConfirmRegistration(ctx, p.ID); !errors.Is(err, defus.RefusedLinkExpired) {
		t.Errorf("confirming after 24 h: %v, want expired", err)
	}
	res, err := st2.ExpireRegistrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pending != 1 {
		t.Errorf("deleted %d unconfirmed, want 1", res.Pending)
	}
	if _, err := st2.FindRegistration(ctx, p.ID); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("expired registration still there: %v", err)
	}
}

// A place that opens is offered to the first in line for 48 hours; when
// the offer lapses, the next is asked; only the offered person can take it.
func TestWaitlistOfferLapsesToNext(t *testing.T) {
	t.Parallel()
	st, now, e := regFixture(t, 1)
	ctx := context.Background()
	users := memberUsers(t, 3, "zwickau")
	var regs []*defus.Registration
	for _, id := range users {
		r, err := st.Register(ctx, defus.Actor{}, e.ID, memberInput(t, id, "zwickau"))
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r)
	}
	if regs[0].State != defus.RegConfirmed || regs[1].Position != 1 || regs[2].Position != 2 {
		t.Fatalf("states %s, %d, %d", regs[0].State, regs[1].Position, regs[2].Position)
	}
	if _, _, err := st.CancelRegistration(ctx, defus.Actor{}, regs[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.CancelRegistration(ctx, defus.Actor{}, regs[0].ID); !errors.Is(err, defus.RefusedLinkUsed) {
		t.Errorf("cancelling twice: %v, want link used", err)
	}
	b, _ := st.FindRegistration(ctx, regs[1].ID)
	if b.State != defus.RegOffered || !b.OfferedUntil.Equal(now.Add(defus.OfferTTL)) {
		t.Fatalf("second is %s until %v", b.State, b.OfferedUntil)
	}
	// Nothing lapses before the 48 hours are over.
	*now = now.Add(defus.OfferTTL - time.Minute)
	if res, err := st.ExpireRegistrations(ctx); err != nil || res.Lapsed != 0 {
		t.Fatalf("before the end: %+v, %v", res, err)
	}
	*now = now.Add(time.Minute)
	res, err := st.ExpireRegistrations(ctx)
	if err != nil || res.Lapsed != 1 {
		t.Fatalf("at the end: %+v, %v", res, err)
	}
	if _, _, err := st.AcceptOffer(ctx, regs[1].ID, "Stadt Zwickau", false); !errors.Is(err, defus.RefusedLinkUsed) {
		t.Errorf("accepting a lapsed offer: %v", err)
	}
	c, _ := st.FindRegistration(ctx, regs[2].ID)
	if c.State != defus.RegOffered {
		t.Fatalf("third is %s, want offered", c.State)
	}
	got, _, err := st.AcceptOffer(ctx, c.ID, "Stadt Zwickau", true)
	if err != nil || got.State != defus.RegConfirmed || got.Organisation != "Stadt Zwickau" {
		t.Fatalf("accepting: %v, %+v", err, got)
	}
	if mailCount(t, defus.MailRegOfferLapsed) != 1 || mailCount(t, defus.MailRegOffered) != 2 {
		t.Errorf("lapsed %d, offered %d mails; want 1 and 2", mailCount(t, defus.MailRegOfferLapsed), mailCount(t, defus.MailRegOffered))
	}
}

func TestRegistrationRefusals(t *testing.T) {
	t.Parallel()
	st, now, e := regFixture(t, 10)
	ctx := context.Background()
	users := memberUsers(t, 3, "zwickau")

	limit := 2
	e.Registration.PlacesPerMember = &limit
	e.Registration.Mode = defus.RegistrationMembers
	if _, err := st.UpdateEvent(ctx, defus.Actor{}, e); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Register(ctx, defus.Actor{}, e.ID, defus.RegistrationInput{Name: "G", Email: "g@example.org", Organisation: "X"}); !errors.Is(err, defus.RefusedMembersOnly) {
		t.Errorf("guest at a members-only event: %v", err)
	}
	for i, id := range users {
		_, err := st.Register(ctx, defus.Actor{}, e.ID, memberInput(t, id, "zwickau"))
		if want := i == 2; errors.Is(err, defus.RefusedMemberLimit) != want {
			t.Errorf("member %d: %v", i, err)
		}
	}
	deadline := now.Add(time.Hour)
	e.Registration.Deadline = &deadline
	if _, err := st.UpdateEvent(ctx, defus.Actor{}, e); err != nil {
		t.Fatal(err)
	}
	*now = deadline
	more := memberUsers(t, 1, "offenburg")
	if _, err := st.Register(ctx, defus.Actor{}, e.ID, memberInput(t, more[0], "offenburg")); !errors.Is(err, defus.RefusedDeadline) {
		t.Errorf("after the deadline: %v", err)
	}
	e.Registration.Deadline = nil
	e.Status = defus.StatusCancelled
	if _, err := st.UpdateEvent(ctx, defus.Actor{}, e); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Register(ctx, defus.Actor{}, e.ID, memberInput(t, more[0], "offenburg")); !errors.Is(err, defus.RefusedCancelled) {
		t.Errorf("cancelled event: %v", err)
	}
	// The cancellation told both participants, in the same transaction.
	if got := mailCount(t, defus.MailRegChanged); got != 2 {
		t.Errorf("%d notices of the change, want 2", got)
	}
	*now = e.StartsAt
	if _, err := st.Register(ctx, defus.Actor{}, e.ID, memberInput(t, more[0], "offenburg")); !errors.Is(err, defus.RefusedCancelled) && !errors.Is(err, defus.RefusedPast) {
		t.Errorf("started event: %v", err)
	}
}

// Two days before the event everybody with a place gets one reminder.
func TestRemindersTwoDaysBefore(t *testing.T) {
	t.Parallel()
	st, now, e := regFixture(t, 0)
	ctx := context.Background()
	for _, id := range memberUsers(t, 2, "zwickau") {
		if _, err := st.Register(ctx, defus.Actor{}, e.ID, memberInput(t, id, "zwickau")); err != nil {
			t.Fatal(err)
		}
	}
	*now = e.StartsAt.Add(-48*time.Hour - time.Minute)
	if n, err := st.SendReminders(ctx); err != nil || n != 0 {
		t.Fatalf("more than two days before: %d, %v", n, err)
	}
	*now = e.StartsAt.Add(-47 * time.Hour)
	if n, err := st.SendReminders(ctx); err != nil || n != 2 {
		t.Fatalf("two days before: %d, %v", n, err)
	}
	if n, err := st.SendReminders(ctx); err != nil || n != 0 {
		t.Fatalf("again: %d, %v", n, err)
	}
	if got := mailCount(t, defus.MailRegReminder); got != 2 {
		t.Errorf("%d reminders queued, want 2", got)
	}
}
