package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

var topicEditor = defus.Actor{ID: 0, Name: "Geschäftsstelle", RequestID: "req-topics"}

// topicAdminOrder is the topicEditor list's titles in order.
func topicAdminOrder(t *testing.T, st *store.Store) []string {
	t.Helper()
	topics, total, err := st.FindTopicsAdmin(context.Background(), defus.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != len(topics) {
		t.Errorf("total = %d for %d topics", total, len(topics))
	}
	var titles []string
	for _, tp := range topics {
		titles = append(titles, tp.Title)
	}
	return titles
}

func newTopic(t *testing.T, st *store.Store, title, slug string, pillar bool) *defus.Topic {
	t.Helper()
	tp := &defus.Topic{Title: title, Slug: slug, Pillar: pillar, Published: true}
	if err := st.CreateTopic(context.Background(), topicEditor, tp); err != nil {
		t.Fatal(err)
	}
	return tp
}

func TestMoveTopicStaysWithinItsKind(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	sucht := newTopic(t, st, "Sucht", "sucht", false)
	ordnung := newTopic(t, st, "Ordnung", "ordnung", true)
	if got, want := topicAdminOrder(t, st), []string{"Prävention", "Ordnung", "Drogen", "Versteckt", "Sucht"}; !slices.Equal(got, want) {
		t.Fatalf("new topics not at the end of their kind: %v, want %v", got, want)
	}

	for _, tc := range []struct {
		name      string
		id        int64
		dir       defus.Direction
		wantPlace int
		want      []string
	}{
		{"up within the further topics", sucht.ID, defus.Up, 2, []string{"Prävention", "Ordnung", "Drogen", "Sucht", "Versteckt"}},
		{"first further topic stays below the pillars", sucht.ID, defus.Up, 1, []string{"Prävention", "Ordnung", "Sucht", "Drogen", "Versteckt"}},
		{"edge: no move into the pillars", sucht.ID, defus.Up, 1, []string{"Prävention", "Ordnung", "Sucht", "Drogen", "Versteckt"}},
		{"edge: last pillar stays a pillar", ordnung.ID, defus.Down, 2, []string{"Prävention", "Ordnung", "Sucht", "Drogen", "Versteckt"}},
		{"pillar up", ordnung.ID, defus.Up, 1, []string{"Ordnung", "Prävention", "Sucht", "Drogen", "Versteckt"}},
		{"down", sucht.ID, defus.Down, 2, []string{"Ordnung", "Prävention", "Drogen", "Sucht", "Versteckt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			place, err := st.MoveTopic(ctx, topicEditor, tc.id, tc.dir)
			if err != nil {
				t.Fatal(err)
			}
			if place != tc.wantPlace {
				t.Errorf("place = %d, want %d", place, tc.wantPlace)
			}
			if got := topicAdminOrder(t, st); !slices.Equal(got, tc.want) {
				t.Errorf("order = %v, want %v", got, tc.want)
			}
		})
	}

	// The public list follows, without the draft; positions are renumbered.
	public, err := st.FindTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for i, tp := range public {
		titles = append(titles, tp.Title)
		if i > 0 && tp.Position <= public[i-1].Position {
			t.Errorf("positions not increasing: %d after %d", tp.Position, public[i-1].Position)
		}
	}
	if want := []string{"Ordnung", "Prävention", "Drogen", "Sucht"}; !slices.Equal(titles, want) {
		t.Errorf("public order = %v, want %v", titles, want)
	}

	// A move keeps the version (no open form becomes stale) and is audited;
	// moves at an edge change nothing and are not.
	got, err := st.FindTopicByID(ctx, sucht.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != sucht.Version {
		t.Errorf("version after moves = %d, want %d", got.Version, sucht.Version)
	}
	entries, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityTopic, EntityID: sucht.ID})
	if err != nil {
		t.Fatal(err)
	}
	var moves int
	for _, e := range entries {
		if e.Action == defus.ActionMove {
			moves++
		}
	}
	if moves != 3 {
		t.Errorf("audited moves of Sucht = %d, want 3", moves)
	}
	if last := entries[0]; last.Action != defus.ActionMove || last.Changes["position"] != [2]any{1.0, 2.0} || last.Actor.RequestID != "req-topics" {
		t.Errorf("last move entry = %+v", last)
	}

	if _, err := st.MoveTopic(ctx, topicEditor, 999999, defus.Up); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("moving an unknown topic: err = %v, want ErrNotFound", err)
	}
}

func TestUpdateTopicRefusesStaleVersion(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	tp := newTopic(t, st, "Sucht", "sucht", false)
	stale := *tp

	tp.Description = "Erste Fassung"
	if current, err := st.UpdateTopic(ctx, topicEditor, tp); err != nil || current != nil {
		t.Fatalf("update: %v, current %v", err, current)
	}
	stale.Description = "Zweite Fassung"
	current, err := st.UpdateTopic(ctx, topicEditor, &stale)
	if !errors.Is(err, defus.ErrConflict) {
		t.Fatalf("stale update: err = %v, want ErrConflict", err)
	}
	if current == nil || current.Description != "Erste Fassung" || current.Version != tp.Version {
		t.Errorf("current after conflict = %+v", current)
	}
	got, err := st.FindTopicByID(ctx, tp.ID)
	if err != nil || got.Description != "Erste Fassung" {
		t.Errorf("stored = %+v, %v: the stale save overwrote", got, err)
	}

	// A taken slug is reported as such.
	tp.Slug = "drogen"
	if _, err := st.UpdateTopic(ctx, topicEditor, tp); !defus.FieldErrorsOf(err).Has("slug") {
		t.Errorf("slug clash: err = %v, want a field error on slug", err)
	}

	// Becoming a pillar puts it at the end of the pillars.
	tp.Slug, tp.Pillar = "sucht", true
	if _, err := st.UpdateTopic(ctx, topicEditor, tp); err != nil {
		t.Fatal(err)
	}
	if got, want := topicAdminOrder(t, st), []string{"Prävention", "Sucht", "Drogen", "Versteckt"}; !slices.Equal(got, want) {
		t.Errorf("order after becoming a pillar = %v, want %v", got, want)
	}
	entries, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityTopic, EntityID: tp.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || entries[0].Changes["pillar"] != [2]any{false, true} || entries[1].Changes["description"] != [2]any{"", "Erste Fassung"} {
		t.Errorf("audit entries = %+v", entries)
	}
}

func TestDeleteTopicKeepsWhatReferredToIt(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	tp, err := st.FindTopic(ctx, "praevention")
	if err != nil {
		t.Fatal(err)
	}
	deps, err := st.FindTopicDependants(ctx, tp.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range deps.Members {
		names = append(names, m.Name)
	}
	if want := []string{"Stadt Entwurf", "Stadt Öhringen", "Stadt Zwickau"}; !slices.Equal(names, want) {
		t.Errorf("dependent members = %v, want %v (drafts included, German order)", names, want)
	}

	if err := st.DeleteTopic(ctx, topicEditor, tp.ID, tp.Version+1); !errors.Is(err, defus.ErrConflict) {
		t.Errorf("stale delete: err = %v, want ErrConflict", err)
	}
	if err := st.DeleteTopic(ctx, topicEditor, tp.ID, tp.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindTopicByID(ctx, tp.ID); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("deleted topic: err = %v", err)
	}
	m, err := st.FindMember(ctx, "zwickau")
	if err != nil {
		t.Fatalf("member gone with the topic: %v", err)
	}
	for _, mt := range m.Topics {
		if mt.ID == tp.ID {
			t.Error("member still linked to the deleted topic")
		}
	}
	if err := st.DeleteTopic(ctx, topicEditor, tp.ID, tp.Version); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("deleting twice: err = %v, want ErrNotFound", err)
	}
}

func TestFindTopicsAdminFilters(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		f    defus.ListFilter
		want []string
	}{
		{"all", defus.ListFilter{}, []string{"Prävention", "Drogen", "Versteckt"}},
		{"search ignores case and finds slugs", defus.ListFilter{Query: "DROG"}, []string{"Drogen"}},
		{"drafts", defus.ListFilter{State: "draft"}, []string{"Versteckt"}},
		{"published", defus.ListFilter{State: "published"}, []string{"Prävention", "Drogen"}},
		{"paged", defus.ListFilter{Limit: 1, Offset: 1}, []string{"Drogen"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topics, _, err := st.FindTopicsAdmin(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tp := range topics {
				got = append(got, tp.Title)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("titles = %v, want %v", got, tc.want)
			}
		})
	}
	topics, total, err := st.FindTopicsAdmin(ctx, defus.ListFilter{Limit: 1, Offset: 2})
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || topics[0].Place != 2 || topics[0].KindCount != 2 {
		t.Errorf("paged Versteckt: total %d, place %d of %d", total, topics[0].Place, topics[0].KindCount)
	}
	all, _, _ := st.FindTopicsAdmin(ctx, defus.ListFilter{})
	if all[0].Members != 3 || all[2].Members != 1 {
		t.Errorf("member counts = %d, %d; want 3 and 1 (drafts included)", all[0].Members, all[2].Members)
	}
}
