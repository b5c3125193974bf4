package seed_test

import (
	"context"
	"os"
	"testing"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/seed"
	"defus.de/portal/internal/store"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

func TestSeedLoadsTheNetworkOnceAndNeverOverwrites(t *testing.T) {
	pool := dbtest.Pool(t)
	ctx := context.Background()
	first, err := seed.Run(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if first.Members != 20 || first.Topics != 8 || first.Pages < 6 {
		t.Errorf("first run added %v, want 20 members, 8 topics, 6+ pages", first)
	}

	stats, err := store.New(pool).FindMemberStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Cities != 17 || stats.Organisations != 3 {
		t.Errorf("stats = %+v, want 17 cities and 3 organisations", stats)
	}

	// The office edits a member and removes a contact; seeding again keeps that.
	if _, err := pool.Exec(ctx, `UPDATE members SET description = 'Vom Büro geändert' WHERE slug = 'essen'`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM member_contacts`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM member_topics WHERE member_id = (SELECT id FROM members WHERE slug = 'koeln')`); err != nil {
		t.Fatal(err)
	}
	second, err := seed.Run(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if second != (seed.Result{}) {
		t.Errorf("second run added %v, want nothing", second)
	}
	var desc string
	var contacts, kölnTopics int
	err = pool.QueryRow(ctx, `SELECT description, (SELECT count(*) FROM member_contacts),
		(SELECT count(*) FROM member_topics mt JOIN members m ON m.id = mt.member_id WHERE m.slug = 'koeln')
		FROM members WHERE slug = 'essen'`).Scan(&desc, &contacts, &kölnTopics)
	if err != nil {
		t.Fatal(err)
	}
	if desc != "Vom Büro geändert" || contacts != 0 || kölnTopics != 0 {
		t.Errorf("seed changed existing data: description %q, %d contacts, %d Köln topics", desc, contacts, kölnTopics)
	}
}

func TestSeedDataIsConsistent(t *testing.T) {
	pool := dbtest.Pool(t)
	ctx := context.Background()
	if _, err := seed.Run(ctx, pool); err != nil {
		t.Fatal(err)
	}
	st := store.New(pool)
	members, err := st.FindMembers(ctx, defus.MemberFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if !defus.ValidSlug(m.Slug) || !m.HasLocation() || m.Description == "" || !defus.IsState(m.State) {
			t.Errorf("member %s incomplete: %+v", m.Slug, m)
		}
	}
	topics, err := st.FindTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pillars := 0
	for _, tp := range topics {
		if tp.Pillar {
			pillars++
		}
		if tp.Members < 2 {
			t.Errorf("topic %s has %d members, want at least 2", tp.Slug, tp.Members)
		}
	}
	if pillars != 4 {
		t.Errorf("%d pillars, want 4", pillars)
	}
	for _, slug := range []string{"ueber-uns", "mitgliedschaft", "impressum", "datenschutz", "barrierefreiheit", "kontakt"} {
		p, err := st.FindPage(ctx, slug)
		if err != nil {
			t.Errorf("page %s: %v", slug, err)
			continue
		}
		legal := slug == "impressum" || slug == "datenschutz" || slug == "barrierefreiheit"
		if p.Legal != legal {
			t.Errorf("page %s: legal = %v, want %v", slug, p.Legal, legal)
		}
	}
}
