package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
)

func TestFindAuditNamesNamesRecordsAndLeavesOutGoneOnes(t *testing.T) {
	st := fixture(t)
	ctx := context.Background()
	zwickau, err := st.FindMember(ctx, "zwickau")
	if err != nil {
		t.Fatal(err)
	}
	logo := &defus.Media{Name: "wappen-zwickau.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\nfake")}
	if err := st.CreateMedia(ctx, defus.Actor{}, logo); err != nil {
		t.Fatal(err)
	}
	names, err := st.FindAuditNames(ctx, []defus.AuditRef{
		{Kind: defus.RefMember, ID: zwickau.ID},
		{Kind: defus.RefMedia, ID: logo.ID},
		{Kind: defus.RefMember, ID: 999999},
		{Kind: defus.RefNote, ID: 999999},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := defus.AuditNames{{Kind: defus.RefMember, ID: zwickau.ID}: "Stadt Zwickau", {Kind: defus.RefMedia, ID: logo.ID}: "wappen-zwickau.png"}
	if len(names) != len(want) {
		t.Fatalf("names %v, want %v", names, want)
	}
	for ref, name := range want {
		if names[ref] != name {
			t.Errorf("name of %v = %q, want %q", ref, names[ref], name)
		}
	}
	if names, err := st.FindAuditNames(ctx, nil); err != nil || len(names) != 0 {
		t.Errorf("no refs: %v, %v", names, err)
	}
}

func TestFindAuditEntryKeepsTheWholeChange(t *testing.T) {
	st := fixture(t)
	ctx := context.Background()
	long := strings.Repeat("Ein Absatz über Straßen und Plätze.\n\n", 2500) // 100 KB
	p := &defus.Page{Title: "Lang", Slug: "lang", Body: "kurz"}
	if err := st.CreatePage(ctx, defus.Actor{}, p); err != nil {
		t.Fatal(err)
	}
	p.Body = long
	if _, err := st.UpdatePage(ctx, defus.Actor{Name: "Rita"}, p); err != nil {
		t.Fatal(err)
	}
	entries, _, err := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: defus.EntityPage, EntityID: p.ID, Limit: 1})
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries %v, %v", entries, err)
	}
	e, err := st.FindAuditEntry(ctx, entries[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Changes["body"]; got[0] != "kurz" || got[1] != long {
		t.Error("the stored change is not complete")
	}
	if _, err := st.FindAuditEntry(ctx, 999999); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("unknown entry: %v, want ErrNotFound", err)
	}
}
