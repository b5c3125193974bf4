package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// stepClock is a store clock that moves only when the test says so.
type stepClock struct{ t time.Time }

func (c *stepClock) now() time.Time       { return c.t }
func (c *stepClock) step(d time.Duration) { c.t = c.t.Add(d) }

// calendarFixture is the event fixture with a store on a clock the test
// moves. It leaves no audit entries behind: the next fixture restarts the
// ids they name.
func calendarFixture(t *testing.T) (*stepClock, *store.Store) {
	t.Helper()
	eventFixture(t)
	t.Cleanup(func() {
		if _, err := dbtest.Pool(t).Exec(context.Background(), `TRUNCATE audit_log RESTART IDENTITY`); err != nil {
			t.Error(err)
		}
	})
	c := &stepClock{t: testNow}
	return c, store.New(dbtest.Pool(t), c.now)
}

func eventBySlug(t *testing.T, st *store.Store, slug string) *defus.Event {
	t.Helper()
	var id int64
	if err := dbtest.Pool(t).QueryRow(context.Background(), `SELECT id FROM events WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	e, err := st.FindEventByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEventRevisionRisesOnlyWithTheEventItself: SEQUENCE and LAST-MODIFIED
// (updated_at) tell calendars that the event changed; a save without
// changes, publishing and topics are not changes of the event.
func TestEventRevisionRisesOnlyWithTheEventItself(t *testing.T) {
	clock, st := calendarFixture(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Tina"}
	e := eventBySlug(t, st, "sommer")
	seq, changed := e.Sequence, e.UpdatedAt
	save := func(name string, change func(*defus.Event), wantRaised bool) {
		t.Helper()
		clock.step(time.Hour)
		version := e.Version
		change(e)
		if _, err := st.UpdateEvent(ctx, by, e); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		stored := eventBySlug(t, st, e.Slug)
		if stored.Version != version+1 {
			t.Errorf("%s: version %d → %d, want raised by one", name, version, stored.Version)
		}
		if wantRaised {
			seq, changed = seq+1, clock.t
		}
		if stored.Sequence != seq || !stored.UpdatedAt.Equal(changed) || e.Sequence != seq || !e.UpdatedAt.Equal(changed) {
			t.Errorf("%s: SEQUENCE %d, LAST-MODIFIED %v (returned %d, %v); want %d, %v",
				name, stored.Sequence, stored.UpdatedAt, e.Sequence, e.UpdatedAt, seq, changed)
		}
	}
	save("unchanged", func(*defus.Event) {}, false)
	save("unpublished", func(e *defus.Event) { e.Published = false }, false)
	save("published again", func(e *defus.Event) { e.Published = true }, false)
	save("other topics", func(e *defus.Event) { e.TopicIDs = []int64{topicID(t, "drogen")} }, false)
	save("description", func(e *defus.Event) { e.Description = "Neu beschrieben." }, true)
	save("another host", func(e *defus.Event) { id := memberID(t, "zwickau"); e.HostMemberID = &id }, true)
	save("the same title typed again", func(e *defus.Event) { e.Title = strings.Clone(e.Title) }, false)
}

// TestPreviousStart: the start before the event was postponed or last moved.
func TestPreviousStart(t *testing.T) {
	clock, st := calendarFixture(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Tina"}
	e := eventBySlug(t, st, "sommer")
	first := e.StartsAt
	if e.PreviousStartsAt != nil {
		t.Fatalf("new event has a previous start %v", e.PreviousStartsAt)
	}
	check := func(name string, change func(*defus.Event), want time.Time) {
		t.Helper()
		clock.step(time.Minute)
		change(e)
		if _, err := st.UpdateEvent(ctx, by, e); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		stored := eventBySlug(t, st, e.Slug)
		if stored.PreviousStartsAt == nil || !stored.PreviousStartsAt.Equal(want) || !e.PreviousStartsAt.Equal(want) {
			t.Errorf("%s: previous start %v (returned %v), want %v", name, stored.PreviousStartsAt, e.PreviousStartsAt, want)
		}
	}
	check("postponed, date not known yet", func(e *defus.Event) { e.Status = defus.StatusPostponed }, first)
	check("a new title keeps it", func(e *defus.Event) { e.Title = "Sommer, verschoben" }, first)
	second := first.AddDate(0, 2, 0)
	check("the new date", func(e *defus.Event) { e.StartsAt, e.EndsAt = second, second.Add(6*time.Hour) }, first)
	third := second.AddDate(0, 0, 7)
	check("moved once more", func(e *defus.Event) { e.StartsAt, e.EndsAt = third, third.Add(6*time.Hour) }, second)
	check("takes place again", func(e *defus.Event) { e.Status = defus.StatusScheduled }, second)
	check("postponed again at its date", func(e *defus.Event) { e.Status = defus.StatusPostponed }, third)
}

// TestSlugRedirectsFollowTheRecord: an old slug leads to the record's slug
// now, for as long as the record exists and is published; a record that
// takes the old slug wins.
func TestSlugRedirectsFollowTheRecord(t *testing.T) {
	_, st := calendarFixture(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Tina"}
	redirect := func(kind, slug string) string {
		t.Helper()
		now, err := st.FindSlugRedirect(ctx, kind, slug)
		if errors.Is(err, defus.ErrNotFound) {
			return ""
		}
		if err != nil {
			t.Fatal(err)
		}
		return now
	}
	rename := func(e *defus.Event, slug string) {
		t.Helper()
		e.Slug = slug
		if _, err := st.UpdateEvent(ctx, by, e); err != nil {
			t.Fatal(err)
		}
	}
	e := eventBySlug(t, st, "sommer")
	rename(e, "sommer-2026")
	rename(e, "sommerfest")
	if a, b := redirect(defus.EntityEvent, "sommer"), redirect(defus.EntityEvent, "sommer-2026"); a != "sommerfest" || b != "sommerfest" {
		t.Errorf("old slugs lead to %q and %q, want sommerfest", a, b)
	}
	rename(e, "sommer")
	if got := redirect(defus.EntityEvent, "sommer"); got != "" {
		t.Errorf("the event's own slug redirects to %q", got)
	}
	if got := redirect(defus.EntityEvent, "sommerfest"); got != "sommer" {
		t.Errorf("sommerfest leads to %q, want sommer", got)
	}

	// A new event takes an old slug: it wins, for good.
	n := &defus.Event{Slug: "sommer-2026", Title: "Neu", Kind: defus.EventWorkshop, Format: defus.FormatOnline,
		Status: defus.StatusScheduled, StartsAt: storeNow, EndsAt: storeNow, Published: true}
	if err := st.CreateEvent(ctx, by, n); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteEvent(ctx, by, n.ID, n.Version); err != nil {
		t.Fatal(err)
	}
	if got := redirect(defus.EntityEvent, "sommer-2026"); got != "" {
		t.Errorf("a slug taken by another event still redirects to %q", got)
	}

	// Unpublished, the event's old slug leads nowhere; deleted, it is gone.
	e.Published = false
	if _, err := st.UpdateEvent(ctx, by, e); err != nil {
		t.Fatal(err)
	}
	if got := redirect(defus.EntityEvent, "sommerfest"); got != "" {
		t.Errorf("old slug of a draft leads to %q", got)
	}
	if err := st.DeleteEvent(ctx, by, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := dbtest.Pool(t).QueryRow(ctx, `SELECT count(*) FROM event_slug_redirects WHERE event_id = $1`, e.ID).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d redirects left after deleting the event (%v)", left, err)
	}

	// Members, topics and pages keep their old slugs the same way.
	m, err := st.FindMemberByID(ctx, memberID(t, "offenburg"))
	if err != nil {
		t.Fatal(err)
	}
	m.Slug = "stadt-offenburg"
	if _, err := st.UpdateMember(ctx, by, m); err != nil {
		t.Fatal(err)
	}
	tp, err := st.FindTopicByID(ctx, topicID(t, "drogen"))
	if err != nil {
		t.Fatal(err)
	}
	tp.Slug = "drogenpraevention"
	if _, err := st.UpdateTopic(ctx, by, tp); err != nil {
		t.Fatal(err)
	}
	p := &defus.Page{Slug: "rueckblick", Title: "Rückblick", Body: "Text", Published: true}
	if err := st.CreatePage(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	p.Slug = "jahresrueckblick"
	if _, err := st.UpdatePage(ctx, by, p); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ kind, old, now string }{
		{defus.EntityMember, "offenburg", "stadt-offenburg"},
		{defus.EntityTopic, "drogen", "drogenpraevention"},
		{defus.EntityPage, "rueckblick", "jahresrueckblick"},
	} {
		if got := redirect(tc.kind, tc.old); got != tc.now {
			t.Errorf("%s %s leads to %q, want %s", tc.kind, tc.old, got, tc.now)
		}
	}
	if err := st.DeleteMember(ctx, by, m.ID, m.Version); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteTopic(ctx, by, tp.ID, tp.Version); err != nil {
		t.Fatal(err)
	}
	if err := st.DeletePage(ctx, by, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ kind, old string }{{defus.EntityMember, "offenburg"}, {defus.EntityTopic, "drogen"}, {defus.EntityPage, "rueckblick"}} {
		if got := redirect(tc.kind, tc.old); got != "" {
			t.Errorf("%s %s still leads to %q after deleting it", tc.kind, tc.old, got)
		}
	}
}

// TestCalendarChangeStamp: every write that calendars show moves the stamp,
// deletes, unpublishing and renamed hosts included; each by at least a
// second, so a client that revalidates by date sees each change.
func TestCalendarChangeStamp(t *testing.T) {
	clock, st := calendarFixture(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Tina"}
	if _, err := dbtest.Pool(t).Exec(ctx, `INSERT INTO association (name, short_name, founded_on, email) VALUES ('Verein', 'V', '2010-05-10', 'a@example.org')`); err != nil {
		t.Fatal(err)
	}
	last, err := st.FindCalendarChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	moved := func(name string, wantAtLeast time.Time) {
		t.Helper()
		got, err := st.FindCalendarChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !got.After(last) || got.Sub(last) < time.Second || got.Before(wantAtLeast) {
			t.Errorf("%s: stamp %v → %v, want at least a second later and not before %v", name, last, got, wantAtLeast)
		}
		last = got
	}
	e := eventBySlug(t, st, "sommer")
	e.Published = false
	if _, err := st.UpdateEvent(ctx, by, e); err != nil {
		t.Fatal(err)
	}
	moved("unpublished", clock.t)
	if err := st.DeleteEvent(ctx, by, e.ID, e.Version); err != nil { // the same second
		t.Fatal(err)
	}
	moved("deleted in the same second", clock.t)

	clock.step(time.Hour)
	herbst := eventBySlug(t, st, "herbst") // hosted by Zwickau
	m, err := st.FindMemberByID(ctx, memberID(t, "zwickau"))
	if err != nil {
		t.Fatal(err)
	}
	m.Name = "Große Kreisstadt Zwickau"
	if _, err := st.UpdateMember(ctx, by, m); err != nil {
		t.Fatal(err)
	}
	moved("host renamed", clock.t)
	if after := eventBySlug(t, st, "herbst"); after.Sequence != herbst.Sequence || !after.UpdatedAt.Equal(herbst.UpdatedAt) {
		t.Errorf("renaming the host changed the event's revision: %d → %d", herbst.Sequence, after.Sequence)
	}

	clock.step(time.Hour)
	tp, err := st.FindTopicByID(ctx, topicID(t, "praevention"))
	if err != nil {
		t.Fatal(err)
	}
	tp.Title = "Kommunale Prävention"
	if _, err := st.UpdateTopic(ctx, by, tp); err != nil {
		t.Fatal(err)
	}
	moved("topic renamed", clock.t)

	clock.step(time.Hour)
	a, err := st.FindAssociation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a.Email = "buero@example.org"
	if _, err := st.UpdateAssociation(ctx, by, a); err != nil {
		t.Fatal(err)
	}
	moved("office address", clock.t)

	// Deleting the host: its events lose it at the store's time, as a change
	// of the event.
	clock.step(time.Hour)
	if err := st.DeleteMember(ctx, by, m.ID, m.Version); err != nil {
		t.Fatal(err)
	}
	moved("host deleted", clock.t)
	after := eventBySlug(t, st, "herbst")
	if after.HostMemberID != nil || after.Sequence != herbst.Sequence+1 || !after.UpdatedAt.Equal(clock.t) {
		t.Errorf("event after its host was deleted: host %v, SEQUENCE %d, LAST-MODIFIED %v", after.HostMemberID, after.Sequence, after.UpdatedAt)
	}
}
