package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
)

func eventSlugs(es []defus.Event) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.Slug)
	}
	return out
}

func TestFindEventsSplitsAtNow(t *testing.T) {
	t.Parallel()
	st := eventFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		f    defus.EventFilter
		want []string
	}{
		{"upcoming", defus.EventFilter{Now: storeNow, Period: defus.PeriodUpcoming},
			[]string{"heute-laeuft", "punkt", "sommer", "versteckter-gastgeber", "herbst"}},
		{"past, latest first", defus.EventFilter{Now: storeNow, Period: defus.PeriodPast},
			[]string{"heute-vorbei", "alt"}},
		{"a second later", defus.EventFilter{Now: storeNow.Add(time.Second), Period: defus.PeriodUpcoming},
			[]string{"sommer", "versteckter-gastgeber", "herbst"}},
		{"all", defus.EventFilter{}, []string{"alt", "heute-vorbei", "heute-laeuft", "punkt", "sommer", "versteckter-gastgeber", "herbst"}},
		{"with drafts", defus.EventFilter{Now: storeNow, Period: defus.PeriodUpcoming, WithDrafts: true},
			[]string{"heute-laeuft", "punkt", "sommer", "entwurf", "versteckter-gastgeber", "herbst"}},
		{"limit", defus.EventFilter{Now: storeNow, Period: defus.PeriodUpcoming, Limit: 2}, []string{"heute-laeuft", "punkt"}},
		{"past a second later", defus.EventFilter{Now: storeNow.Add(time.Second), Period: defus.PeriodPast},
			[]string{"punkt", "heute-laeuft", "heute-vorbei", "alt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := st.FindEvents(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(eventSlugs(got), tc.want) {
				t.Errorf("got %v, want %v", eventSlugs(got), tc.want)
			}
		})
	}
}

func TestFindEventsFiltersCombine(t *testing.T) {
	t.Parallel()
	st := eventFixture(t)
	ctx := context.Background()
	zwickau, prev, drogen := memberID(t, "zwickau"), topicID(t, "praevention"), topicID(t, "drogen")
	julyFrom, julyTo := defus.MonthRange(2026, time.July)
	octFrom, octTo := defus.MonthRange(2026, time.October)
	for _, tc := range []struct {
		name string
		f    defus.EventFilter
		want []string
	}{
		{"kind", defus.EventFilter{Kind: defus.EventWorkshop}, []string{"heute-vorbei", "heute-laeuft", "punkt", "herbst"}},
		{"kind and host", defus.EventFilter{Kind: defus.EventWorkshop, HostID: zwickau}, []string{"heute-laeuft", "herbst"}},
		{"topic", defus.EventFilter{TopicID: prev}, []string{"alt", "sommer", "herbst"}},
		{"topic, host, upcoming", defus.EventFilter{TopicID: prev, HostID: zwickau, Now: storeNow, Period: defus.PeriodUpcoming},
			[]string{"herbst"}},
		{"topic and kind", defus.EventFilter{TopicID: drogen, Kind: defus.EventWorkshop}, []string{"heute-laeuft", "herbst"}},
		{"month", defus.EventFilter{From: julyFrom, To: julyTo}, []string{"sommer"}},
		{"month and kind", defus.EventFilter{From: julyFrom, To: julyTo, Kind: defus.EventWorkshop}, []string{}},
		{"month of DST change", defus.EventFilter{From: octFrom, To: octTo, TopicID: drogen}, []string{"herbst"}},
		{"nothing", defus.EventFilter{Kind: defus.EventConference}, []string{}},
		{"point in time at the start of the month", defus.EventFilter{From: time.Date(2026, 6, 15, 12, 0, 0, 0, defus.Berlin), To: julyFrom, Kind: defus.EventWorkshop},
			[]string{"heute-laeuft", "punkt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := st.FindEvents(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(eventSlugs(got), tc.want) {
				t.Errorf("got %v, want %v", eventSlugs(got), tc.want)
			}
		})
	}
}

func TestFindEventsLoadsHostAndTopics(t *testing.T) {
	t.Parallel()
	st := eventFixture(t)
	events, err := st.FindEvents(context.Background(), defus.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]defus.Event{}
	for _, e := range events {
		by[e.Slug] = e
	}
	h := by["herbst"]
	if h.Host == nil || h.Host.Slug != "zwickau" || h.Host.ShortName != "Zwickau" {
		t.Errorf("herbst host = %+v", h.Host)
	}
	var topics []string
	for _, tp := range h.Topics {
		topics = append(topics, tp.Slug)
	}
	if !reflect.DeepEqual(topics, []string{"praevention", "drogen"}) {
		t.Errorf("herbst topics = %v, want praevention, drogen (the hidden topic left out)", topics)
	}
	if by["versteckter-gastgeber"].Host != nil {
		t.Error("unpublished member shown as host")
	}
	if by["heute-vorbei"].Host != nil || len(by["heute-vorbei"].Topics) != 0 {
		t.Error("event without host or topics got some")
	}
	// The DST instants come back unchanged: 01:30 summer time to 04:00 winter time.
	if got, want := h.EndsAt.Sub(h.StartsAt), 3*time.Hour+30*time.Minute; got != want {
		t.Errorf("herbst lasts %v, want %v", got, want)
	}
	if h.UID == "" || h.Sequence != 0 || h.Version != 1 {
		t.Errorf("uid/sequence/version not set: %q %d %d", h.UID, h.Sequence, h.Version)
	}
}

func TestFindEvent(t *testing.T) {
	t.Parallel()
	st := eventFixture(t)
	ctx := context.Background()
	e, err := st.FindEvent(ctx, "herbst")
	if err != nil {
		t.Fatal(err)
	}
	if e.Title != "Herbst" || e.Host == nil || len(e.Topics) != 2 {
		t.Errorf("herbst = %+v", e)
	}
	for _, slug := range []string{"entwurf", "gibt-es-nicht"} {
		if _, err := st.FindEvent(ctx, slug); !errors.Is(err, defus.ErrNotFound) {
			t.Errorf("FindEvent(%s) = %v, want ErrNotFound", slug, err)
		}
	}
}

func TestFindEventHosts(t *testing.T) {
	t.Parallel()
	st := eventFixture(t)
	ctx := context.Background()
	hosts, err := st.FindEventHosts(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hosts {
		got = append(got, h.Slug)
	}
	if want := []string{"offenburg", "zwickau"}; !reflect.DeepEqual(got, want) {
		t.Errorf("hosts = %v, want %v", got, want)
	}
	if _, err := st.FindEventHost(ctx, "entwurf"); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("unpublished host: %v, want ErrNotFound", err)
	}
	if h, err := st.FindEventHost(ctx, "oehringen"); err != nil || h.ShortName != "Öhringen" {
		t.Errorf("FindEventHost(oehringen) = %+v, %v", h, err)
	}
}

func TestEventsTableRules(t *testing.T) {
	t.Parallel()
	fixture(t)
	ctx := context.Background()
	for name, q := range map[string]string{
		"end before start": `INSERT INTO events (slug, title, kind, starts_at, ends_at) VALUES ('x', 'X', 'workshop', '2026-01-02', '2026-01-01')`,
		"bad kind":         `INSERT INTO events (slug, title, kind, starts_at, ends_at) VALUES ('x', 'X', 'party', '2026-01-01', '2026-01-01')`,
		"bad slug":         `INSERT INTO events (slug, title, kind, starts_at, ends_at) VALUES ('X y', 'X', 'workshop', '2026-01-01', '2026-01-01')`,
		"empty all-day":    `INSERT INTO events (slug, title, kind, starts_at, ends_at, all_day) VALUES ('x', 'X', 'workshop', '2026-01-01', '2026-01-01', true)`,
	} {
		if _, err := dbtest.Pool(t).Exec(ctx, q); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestEventUpdateRaisesSequence(t *testing.T) {
	t.Parallel()
	st := eventFixture(t)
	ctx := context.Background()
	before, err := st.FindEvent(ctx, "herbst")
	if err != nil {
		t.Fatal(err)
	}
	pool := dbtest.Pool(t)
	if _, err := pool.Exec(ctx, `UPDATE events SET title = 'Herbst, neu' WHERE slug = 'herbst'`); err != nil {
		t.Fatal(err)
	}
	// An UPDATE that changes nothing leaves the event alone.
	if _, err := pool.Exec(ctx, `UPDATE events SET title = title WHERE slug = 'herbst'`); err != nil {
		t.Fatal(err)
	}
	after, err := st.FindEvent(ctx, "herbst")
	if err != nil {
		t.Fatal(err)
	}
	if after.Sequence != before.Sequence+1 || !after.UpdatedAt.After(before.UpdatedAt) || after.UID != before.UID {
		t.Errorf("after one change: sequence %d→%d, updated %v→%v, uid %s→%s",
			before.Sequence, after.Sequence, before.UpdatedAt, after.UpdatedAt, before.UID, after.UID)
	}
}

func TestEventWritesLockAuditAndRaiseSequence(t *testing.T) {
	t.Parallel()
	st := eventFixture(t)
	ctx := context.Background()
	by := defus.Actor{Name: "Tina"}
	host, hidden, drugs := memberID(t, "offenburg"), topicID(t, "versteckt"), topicID(t, "drogen")
	e := &defus.Event{Slug: "neu", Title: "Neu", Kind: defus.EventWorkshop, Format: defus.FormatInPerson,
		Status: defus.StatusScheduled, City: "Offenburg", StartsAt: storeNow.Add(48 * time.Hour),
		EndsAt: storeNow.Add(50 * time.Hour), HostMemberID: &host, TopicIDs: []int64{hidden, 999999}, Published: true}
	if err := st.CreateEvent(ctx, by, e); err != nil {
		t.Fatal(err)
	}
	if e.ID == 0 || e.UID == "" || e.Version != 1 || e.Sequence != 0 {
		t.Fatalf("created %+v", e)
	}
	got, err := st.FindEventByID(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	// All topics for the form (unknown ids left out), published ones for display.
	if !reflect.DeepEqual(got.TopicIDs, []int64{hidden}) || len(got.Topics) != 0 || got.Host == nil || got.Host.Slug != "offenburg" {
		t.Errorf("found topics %v / %v, host %v", got.TopicIDs, got.Topics, got.Host)
	}
	dup := *e
	dup.ID = 0
	if err := st.CreateEvent(ctx, by, &dup); !defus.FieldErrorsOf(err).Has("slug") {
		t.Errorf("second event with the same slug: %v", err)
	}

	// A stale version is refused with what is stored now.
	stale := *got
	stale.Version = 0
	current, err := st.UpdateEvent(ctx, by, &stale)
	if !errors.Is(err, defus.ErrConflict) || current == nil || current.Title != "Neu" {
		t.Fatalf("stale update: %v, %v", err, current)
	}
	upd := *got
	upd.Title, upd.TopicIDs, upd.HostMemberID = "Neuer Titel", []int64{drugs}, nil
	upd.StartsAt = upd.StartsAt.Add(time.Hour)
	if _, err := st.UpdateEvent(ctx, by, &upd); err != nil {
		t.Fatal(err)
	}
	if upd.Version != 2 || upd.Sequence != 1 || !upd.UpdatedAt.After(got.UpdatedAt) {
		t.Errorf("after update: version %d, sequence %d", upd.Version, upd.Sequence)
	}
	got, _ = st.FindEventByID(ctx, e.ID)
	if got.Title != "Neuer Titel" || !reflect.DeepEqual(got.TopicIDs, []int64{drugs}) || got.HostMemberID != nil || got.Sequence != 1 {
		t.Errorf("stored after update: %+v", got)
	}

	entries, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityEvent, EntityID: e.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != defus.ActionUpdate {
		t.Fatalf("audit entries %+v", entries)
	}
	c := entries[0].Changes
	if c["title"] != [2]any{"Neu", "Neuer Titel"} || c["host"] != [2]any{"Stadt Offenburg", ""} || c["topics"] != [2]any{"Versteckt", "Drogen"} || c["when"][0] == c["when"][1] {
		t.Errorf("audited changes %v", c)
	}
	if _, ok := c["summary"]; ok {
		t.Error("unchanged field audited")
	}

	// The office's list: drafts included, searched by place, counted.
	list, total, err := st.FindEventsAdmin(ctx, defus.EventListFilter{Now: storeNow, Period: defus.PeriodUpcoming,
		ListFilter: defus.ListFilter{Limit: 2}})
	if err != nil || total != 7 || len(list) != 2 || list[0].Slug != "heute-laeuft" {
		t.Errorf("upcoming for the office: %v, %d, %v", eventSlugs(list), total, err)
	}
	list, total, _ = st.FindEventsAdmin(ctx, defus.EventListFilter{Now: storeNow, Period: defus.PeriodAll,
		ListFilter: defus.ListFilter{Query: "offenb", State: "published"}})
	if !equal(eventSlugs(list), []string{"sommer", "neu"}) || total != 2 {
		t.Errorf("search by city, latest first: %v", eventSlugs(list))
	}
	list, _, _ = st.FindEventsAdmin(ctx, defus.EventListFilter{Now: storeNow, Period: defus.PeriodPast, Kind: defus.EventMeeting})
	if !equal(eventSlugs(list), []string{"alt"}) {
		t.Errorf("past meetings: %v", eventSlugs(list))
	}

	if err := st.DeleteEvent(ctx, by, e.ID, 1); !errors.Is(err, defus.ErrConflict) {
		t.Errorf("stale delete: %v", err)
	}
	if err := st.DeleteEvent(ctx, by, e.ID, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindEventByID(ctx, e.ID); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("deleted event: %v", err)
	}
}
