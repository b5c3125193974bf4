package store_test

import (
	"context"
	"errors"
	"testing"

	"defus.de/portal/internal/defus"
)

func TestFindMembersSortsTheGermanWay(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	got, err := st.FindMembers(context.Background(), defus.MemberFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// Ö sorts with O and Ä with A, not after Z; drafts are left out.
	want := []string{"aerzte-verein", "oberhausen", "offenburg", "oehringen", "osnabrueck", "zwickau"}
	if !equal(slugs(got), want) {
		t.Errorf("order = %v, want %v", slugs(got), want)
	}
}

func TestFindMembersFilters(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	topics, err := st.FindTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var praevention int64
	for _, tp := range topics {
		if tp.Slug == "praevention" {
			praevention = tp.ID
		}
	}
	for _, tc := range []struct {
		name string
		f    defus.MemberFilter
		want []string
	}{
		{"kind organisation", defus.MemberFilter{Kind: defus.KindOrganisation}, []string{"aerzte-verein"}},
		{"state", defus.MemberFilter{State: "Baden-Württemberg"}, []string{"offenburg", "oehringen"}},
		{"kind and state", defus.MemberFilter{Kind: defus.KindCity, State: "Niedersachsen"}, []string{"osnabrueck"}},
		{"state without members", defus.MemberFilter{State: "Bremen"}, nil},
		{"topic leaves out drafts", defus.MemberFilter{TopicID: praevention}, []string{"oehringen", "zwickau"}},
		{"with drafts", defus.MemberFilter{State: "Hessen", WithDrafts: true}, []string{"entwurf"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := st.FindMembers(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !equal(slugs(got), tc.want) {
				t.Errorf("got %v, want %v", slugs(got), tc.want)
			}
		})
	}
}

func TestFindMember(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	m, err := st.FindMember(ctx, "zwickau")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Name, "Stadt Zwickau"; got != want {
		t.Errorf("Name = %q, want %q", got, want)
	}
	if len(m.Contacts) != 2 || m.Contacts[0].Name != "Erste Person" || !m.Contacts[0].Public || m.Contacts[1].Public {
		t.Errorf("contacts not in position order with their public flag: %+v", m.Contacts)
	}
	if len(m.Topics) != 1 || m.Topics[0].Slug != "praevention" {
		t.Errorf("topics = %+v, want only the published topic praevention", m.Topics)
	}
	for _, slug := range []string{"gibt-es-nicht", "entwurf"} {
		if _, err := st.FindMember(ctx, slug); !errors.Is(err, defus.ErrNotFound) {
			t.Errorf("FindMember(%q) error = %v, want ErrNotFound", slug, err)
		}
	}
}

func TestFindMemberStatsAndStates(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	stats, err := st.FindMemberStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := (defus.MemberStats{Cities: 5, Organisations: 1, States: 4}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	states, err := st.FindMemberStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Baden-Württemberg", "Niedersachsen", "Nordrhein-Westfalen", "Sachsen"}
	if !equal(states, want) {
		t.Errorf("states = %v, want %v", states, want)
	}
}

func TestFindTopics(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	topics, err := st.FindTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(topics) != 2 || topics[0].Slug != "praevention" || !topics[0].Pillar || topics[0].Members != 2 {
		t.Errorf("topics = %+v, want pillar praevention with 2 published members first, unpublished left out", topics)
	}
	if _, err := st.FindTopic(ctx, "versteckt"); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("unpublished topic: error = %v, want ErrNotFound", err)
	}
}

func TestFindPageAndAssociation(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	if _, err := st.FindPage(ctx, "impressum"); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("missing page: error = %v, want ErrNotFound", err)
	}
	if _, err := st.FindAssociation(ctx); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("missing association: error = %v, want ErrNotFound", err)
	}
}
