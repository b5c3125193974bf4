package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

var office = defus.Actor{Name: "Olga Office", Email: "olga@defus.example"}

func ptr[T any](v T) *T { return &v }

// lastAudit returns the newest audit entry of entity id.
func lastAudit(t *testing.T, st *store.Store, entity string, id int64) defus.AuditEntry {
	t.Helper()
	entries, _, err := st.FindAuditEntries(context.Background(), defus.AuditFilter{Entity: entity, EntityID: id, Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatalf("no audit entry for %s %d: %v", entity, id, err)
	}
	return entries[0]
}

func TestCreateMemberAndFindByID(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	logo := &defus.Media{Name: "wappen.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\nx"), AltText: "Wappen"}
	if err := st.CreateMedia(ctx, defus.Actor{}, logo); err != nil {
		t.Fatal(err)
	}
	m := &defus.Member{
		Slug: "ulm", Name: "Stadt Ulm", ShortName: "Ulm", Kind: defus.KindCity, State: "Baden-Württemberg",
		Population: ptr(128000), PopulationYear: ptr(2024), MemberSince: ptr(2019), Lat: ptr(48.4), Lon: ptr(9.99),
		Website: "https://www.ulm.de", Description: "Am **Münster**.", LogoMediaID: &logo.ID, Published: false,
		TopicIDs: []int64{topicID(t, "drogen"), topicID(t, "versteckt")},
	}
	if err := st.CreateMember(ctx, office, m); err != nil {
		t.Fatal(err)
	}
	if m.ID == 0 || m.Version != 1 {
		t.Fatalf("created member id %d version %d", m.ID, m.Version)
	}
	got, err := st.FindMemberByID(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Stadt Ulm" || *got.Population != 128000 || *got.Lat != 48.4 || got.Published || got.Description != "Am **Münster**." {
		t.Errorf("stored member differs: %+v", got)
	}
	if len(got.TopicIDs) != 2 || len(got.Topics) != 2 {
		t.Errorf("topics %v, want both, the unpublished one too", got.TopicIDs)
	}
	if got.Logo == nil || got.Logo.URL() != fmt.Sprintf("/medien/%d/wappen.png", logo.ID) || got.Logo.AltText != "Wappen" || got.Logo.Data != nil {
		t.Errorf("logo %+v", got.Logo)
	}
	// A draft is not public.
	if _, err := st.FindMember(ctx, "ulm"); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("draft found publicly: %v", err)
	}
	e := lastAudit(t, st, defus.EntityMember, m.ID)
	if e.Action != defus.ActionCreate || e.Actor.Name != "Olga Office" || e.EntityLabel != "Stadt Ulm" {
		t.Errorf("audit entry %+v", e)
	}
	if e.Changes["topics"][1] != "Drogen, Versteckt" || e.Changes["short_name"][1] != "Ulm" {
		t.Errorf("audit changes %v", e.Changes)
	}

	// The slug is unique.
	dup := *m
	dup.ID, dup.Name, dup.ShortName = 0, "Ulm Zwei", "Ulm Zwei"
	if err := st.CreateMember(ctx, office, &dup); !defus.FieldErrorsOf(err).Has("slug") {
		t.Errorf("duplicate slug: %v", err)
	}
	if _, err := st.FindMemberByID(ctx, 999999); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestUpdateMemberRefusesStaleVersion(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	id := memberID(t, "zwickau")
	m, err := st.FindMemberByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	first, second := *m, *m
	first.Population = ptr(88000)
	first.TopicIDs = []int64{topicID(t, "drogen")}
	if current, err := st.UpdateMember(ctx, office, &first); err != nil || current != nil {
		t.Fatalf("first update: %v", err)
	}
	if first.Version != m.Version+1 {
		t.Errorf("version %d after update, want %d", first.Version, m.Version+1)
	}
	e := lastAudit(t, st, defus.EntityMember, id)
	if len(e.Changes) != 2 || e.Changes["topics"][0] != "Prävention, Versteckt" || e.Changes["topics"][1] != "Drogen" {
		t.Errorf("update audit lists %v, want population and topics only", e.Changes)
	}

	// The second editor read the old version: refused, told what is stored.
	second.Description = "Überschreibt alles"
	current, err := st.UpdateMember(ctx, office, &second)
	if !errors.Is(err, defus.ErrConflict) {
		t.Fatalf("stale update: %v", err)
	}
	if current == nil || *current.Population != 88000 || current.Version != first.Version || len(current.TopicIDs) != 1 {
		t.Errorf("current after conflict: %+v", current)
	}
	got, _ := st.FindMemberByID(ctx, id)
	if got.Description == "Überschreibt alles" {
		t.Error("the stale update was saved")
	}

	// Taking another member's slug.
	third := *got
	third.Slug = "offenburg"
	if _, err := st.UpdateMember(ctx, office, &third); !defus.FieldErrorsOf(err).Has("slug") {
		t.Errorf("slug clash: %v", err)
	}
	// Deleting at a stale version is refused too.
	if err := st.DeleteMember(ctx, office, id, m.Version); !errors.Is(err, defus.ErrConflict) {
		t.Errorf("stale delete: %v", err)
	}
	if err := st.DeleteMember(ctx, office, id, got.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindMemberByID(ctx, id); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("deleted member found: %v", err)
	}
}

func TestFindMembersAdmin(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	find := func(f defus.MemberListFilter) ([]string, int) {
		t.Helper()
		ms, total, err := st.FindMembersAdmin(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return slugs(ms), total
	}
	all, total := find(defus.MemberListFilter{})
	want := []string{"aerzte-verein", "entwurf", "oberhausen", "offenburg", "oehringen", "osnabrueck", "zwickau"}
	if !equal(all, want) || total != 7 {
		t.Errorf("all: %v (%d), want %v", all, total, want)
	}
	for _, tc := range []struct {
		name string
		f    defus.MemberListFilter
		want []string
	}{
		{"search short name", defus.MemberListFilter{ListFilter: defus.ListFilter{Query: "öhr"}}, []string{"oehringen"}},
		{"search slug", defus.MemberListFilter{ListFilter: defus.ListFilter{Query: "osnabrueck"}}, []string{"osnabrueck"}},
		{"search name, umlauts folded", defus.MemberListFilter{ListFilter: defus.ListFilter{Query: "STADT O"}}, []string{"oberhausen", "offenburg", "oehringen", "osnabrueck"}},
		{"like characters are literal", defus.MemberListFilter{ListFilter: defus.ListFilter{Query: "%"}}, nil},
		{"drafts", defus.MemberListFilter{ListFilter: defus.ListFilter{State: "draft"}}, []string{"entwurf"}},
		{"kind", defus.MemberListFilter{Kind: defus.KindOrganisation}, []string{"aerzte-verein"}},
		{"state and published", defus.MemberListFilter{ListFilter: defus.ListFilter{State: "published"}, FederalState: "Baden-Württemberg"}, []string{"offenburg", "oehringen"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := find(tc.f); !equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	page2, total := find(defus.MemberListFilter{ListFilter: defus.ListFilter{Limit: 3, Offset: 3}})
	if !equal(page2, want[3:6]) || total != 7 {
		t.Errorf("page 2: %v (%d)", page2, total)
	}
}

func TestMediaImagesAreTheLogoChoices(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	for _, m := range []*defus.Media{
		{Name: "b-logo.webp", ContentType: "image/webp", Data: []byte("RIFF0000WEBP"), AltText: "B"},
		{Name: "satzung.pdf", ContentType: "application/pdf", Data: []byte("%PDF-")},
		{Name: "a-logo.jpg", ContentType: "image/jpeg", Data: []byte("\xff\xd8\xff")},
	} {
		if err := st.CreateMedia(ctx, defus.Actor{}, m); err != nil {
			t.Fatal(err)
		}
	}
	images, err := st.FindMediaImages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, img := range images {
		names = append(names, img.Name)
		if img.Data != nil || img.ID == 0 {
			t.Errorf("%s: data loaded or no id", img.Name)
		}
	}
	if strings.Join(names, ",") != "a-logo.jpg,b-logo.webp" || images[1].AltText != "B" {
		t.Errorf("images %v", names)
	}
}

func contactNames(t *testing.T, st *store.Store, memberID int64) string {
	t.Helper()
	m, err := st.FindMemberByID(context.Background(), memberID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for i, c := range m.Contacts {
		if c.Position != i+1 {
			t.Errorf("%s at position %d, want %d", c.Name, c.Position, i+1)
		}
		names = append(names, c.Name)
	}
	return strings.Join(names, ",")
}

func TestContactsAddEditReorderDelete(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	zwickau, other := memberID(t, "zwickau"), memberID(t, "offenburg")
	c := &defus.Contact{MemberID: zwickau, Name: "Dritte Person", Email: "c@example.org", Phone: "0375 1", Public: true}
	if err := st.CreateContact(ctx, office, c); err != nil {
		t.Fatal(err)
	}
	if c.Position != 3 || c.Version != 1 {
		t.Errorf("new contact at position %d, version %d", c.Position, c.Version)
	}
	if got := contactNames(t, st, zwickau); got != "Erste Person,Zweite Person,Dritte Person" {
		t.Errorf("order %q", got)
	}
	e := lastAudit(t, st, defus.EntityContact, c.ID)
	if e.EntityLabel != "Dritte Person (Zwickau)" || e.Changes["email"][1] != defus.ChangeWithheld || e.Changes["email"][0] != nil {
		t.Errorf("create audit %+v", e)
	}
	if err := st.CreateContact(ctx, office, &defus.Contact{MemberID: 999999, Name: "X"}); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("contact of an unknown member: %v", err)
	}

	// Up and down, edges change nothing, another member's contact is not found.
	if err := st.MoveContact(ctx, office, zwickau, c.ID, -1); err != nil {
		t.Fatal(err)
	}
	if got := contactNames(t, st, zwickau); got != "Erste Person,Dritte Person,Zweite Person" {
		t.Errorf("after up: %q", got)
	}
	if e := lastAudit(t, st, defus.EntityContact, c.ID); e.Changes["position"][0] != float64(3) || e.Changes["position"][1] != float64(2) {
		t.Errorf("move audit %v", e.Changes)
	}
	st.MoveContact(ctx, office, zwickau, c.ID, -1)
	st.MoveContact(ctx, office, zwickau, c.ID, -1) // first already
	if got := contactNames(t, st, zwickau); got != "Dritte Person,Erste Person,Zweite Person" {
		t.Errorf("after up to the top: %q", got)
	}
	st.MoveContact(ctx, office, zwickau, c.ID, +1)
	if got := contactNames(t, st, zwickau); got != "Erste Person,Dritte Person,Zweite Person" {
		t.Errorf("after down: %q", got)
	}
	if err := st.MoveContact(ctx, office, other, c.ID, -1); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("move under another member: %v", err)
	}
	if _, err := st.FindContact(ctx, other, c.ID); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("find under another member: %v", err)
	}

	// Edit: a stale version is refused with what is stored now.
	found, err := st.FindContact(ctx, zwickau, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, b := *found, *found
	a.Function, a.Email = "Leitung", "neu@example.org"
	if _, err := st.UpdateContact(ctx, office, &a); err != nil {
		t.Fatal(err)
	}
	e = lastAudit(t, st, defus.EntityContact, c.ID)
	if e.Changes["function"][1] != "Leitung" || e.Changes["email"][1] != defus.ChangeWithheld || len(e.Changes) != 2 {
		t.Errorf("update audit %v", e.Changes)
	}
	b.Name = "Überholt"
	current, err := st.UpdateContact(ctx, office, &b)
	if !errors.Is(err, defus.ErrConflict) || current == nil || current.Function != "Leitung" {
		t.Errorf("stale contact update: %v, current %+v", err, current)
	}
	b.MemberID = other
	if _, err := st.UpdateContact(ctx, office, &b); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("update under another member: %v", err)
	}

	// Delete closes the gap; a stale version is refused.
	if err := st.DeleteContact(ctx, office, zwickau, c.ID, 1); !errors.Is(err, defus.ErrConflict) {
		t.Errorf("stale delete: %v", err)
	}
	if err := st.DeleteContact(ctx, office, zwickau, c.ID, a.Version); err != nil {
		t.Fatal(err)
	}
	if got := contactNames(t, st, zwickau); got != "Erste Person,Zweite Person" {
		t.Errorf("after delete: %q", got)
	}

	// Nothing in the audit log gives away an e-mail address or a phone number.
	entries, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityContact, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		s := fmt.Sprint(e.Changes)
		if strings.Contains(s, "@example.org") || strings.Contains(s, "0375") {
			t.Errorf("audit entry holds personal data: %v", e.Changes)
		}
	}
}

func TestFindMemberDependants(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	pool := dbtest.Pool(t)
	id := memberID(t, "zwickau")
	if _, err := pool.Exec(ctx, `
INSERT INTO events (slug, title, kind, starts_at, ends_at, host_member_id, published)
VALUES ('a', 'Frühjahrstreffen', 'meeting', '2026-03-01 10:00+01', '2026-03-01 12:00+01', $1, false)`, id); err != nil {
		t.Fatal(err)
	}
	d, err := st.FindMemberDependants(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.EventTitles, ",") != "Frühjahrstreffen" || d.Contacts != 2 || len(d.Accounts) != 0 {
		t.Errorf("dependants %+v", d)
	}
}
