package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
)

// TestFindAuditPageWalksTheWholeLogByKeyset pages through 130 entries, 40
// of them at the same moment, older and back newer: every entry once, in
// order, whatever the filter.
func TestFindAuditPageWalksTheWholeLogByKeyset(t *testing.T) {
	st := fixture(t)
	ctx := context.Background()
	for i := range 130 {
		at := testNow.Add(-time.Duration(i) * time.Minute)
		if i >= 50 && i < 90 {
			at = testNow.Add(-50 * time.Minute) // same time: the id decides
		}
		entity := defus.EntityMember
		if i%3 == 0 {
			entity = defus.EntityTopic
		}
		if err := st.Audit(ctx, defus.AuditEntry{At: at, Action: defus.ActionUpdate, Entity: entity, EntityLabel: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []defus.AuditFilter{{}, {Entity: defus.EntityTopic}} {
		all, total, err := st.FindAuditEntries(ctx, defus.AuditFilter{Entity: f.Entity, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var older []int64
		f.Limit = 25
		page, err := st.FindAuditPage(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if page.Count != total || page.CountCapped || page.Newer {
			t.Errorf("%q first page: count %d (capped %v), newer %v; want %d, no newer", f.Entity, page.Count, page.CountCapped, page.Newer, total)
		}
		var pages []defus.AuditPage
		for {
			pages = append(pages, page)
			for _, e := range page.Entries {
				older = append(older, e.ID)
			}
			if !page.Older {
				break
			}
			f.Before = page.Entries[len(page.Entries)-1].ID
			if page, err = st.FindAuditPage(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		if want := ids(all); !slices.Equal(older, want) {
			t.Fatalf("%q: paging older gave %v, want %v", f.Entity, older, want)
		}
		// And back: from the last page newer, each page as it was.
		f.Before = 0
		for i := len(pages) - 1; i > 0; i-- {
			f.After = pages[i].Entries[0].ID
			back, err := st.FindAuditPage(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(back.Entries), ids(pages[i-1].Entries)) || back.Newer != (i-1 > 0) || !back.Older {
				t.Errorf("%q: newer than page %d gave %v (newer %v), want %v", f.Entity, i+1, ids(back.Entries), back.Newer, ids(pages[i-1].Entries))
			}
		}
	}
}

func ids(entries []defus.AuditEntry) []int64 {
	out := make([]int64, len(entries))
	for i, e := range entries {
		out[i] = e.ID
	}
	return out
}
