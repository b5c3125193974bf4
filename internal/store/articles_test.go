package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// newsStore is fixture's database under a store whose clock the test moves.
func newsStore(t *testing.T) (*store.Store, *time.Time) {
	t.Helper()
	fixture(t)
	now := testNow
	return store.New(dbtest.Pool(t), func() time.Time { return now }), &now
}

func addArticle(t *testing.T, st *store.Store, a defus.Article) *defus.Article {
	t.Helper()
	if a.Kind == "" {
		a.Kind = defus.ArticleNews
	}
	if a.Slug == "" {
		a.Slug = defus.Slugify(a.Title)
	}
	if errs := a.Validate(); errs.Any() {
		t.Fatal(errs)
	}
	if err := st.CreateArticle(context.Background(), defus.Actor{Name: "Test"}, &a); err != nil {
		t.Fatal(err)
	}
	return &a
}

func articleSlugs(list []defus.Article) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Slug)
	}
	return out
}

func TestArticlesScheduledAppearAtTheirMoment(t *testing.T) {
	t.Parallel()
	st, now := newsStore(t)
	ctx := context.Background()
	praevention := topicID(t, "praevention")
	zwickau := memberID(t, "zwickau")
	addArticle(t, st, defus.Article{Title: "Alt", Published: true, PublishedAt: testNow.Add(-48 * time.Hour),
		TopicIDs: []int64{praevention}, MemberIDs: []int64{zwickau}})
	addArticle(t, st, defus.Article{Title: "Entwurf", Published: false, PublishedAt: testNow.Add(-time.Hour), TopicIDs: []int64{praevention}})
	addArticle(t, st, defus.Article{Title: "Geplant", Published: true, PublishedAt: testNow.Add(2 * time.Hour),
		TopicIDs: []int64{praevention}, MemberIDs: []int64{zwickau}})

	list := func(f defus.ArticleFilter) []string {
		t.Helper()
		f.Now = st.Now()
		got, _, err := st.FindArticles(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return articleSlugs(got)
	}
	for name, f := range map[string]defus.ArticleFilter{
		"all": {}, "topic": {TopicID: praevention}, "member": {MemberID: zwickau},
	} {
		if got := list(f); !equal(got, []string{"alt"}) {
			t.Errorf("%s before the moment: %v, want only alt", name, got)
		}
	}
	if _, err := st.FindArticle(ctx, "geplant", st.Now()); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("scheduled article shown early: %v", err)
	}
	if _, err := st.FindArticle(ctx, "entwurf", st.Now()); !errors.Is(err, defus.ErrNotFound) {
		t.Errorf("draft shown: %v", err)
	}

	if next, err := st.FindNextScheduled(ctx, st.Now()); err != nil || !next.Equal(testNow.Add(2*time.Hour)) {
		t.Errorf("next scheduled: %v, %v", next, err)
	}
	*now = testNow.Add(2 * time.Hour) // the moment itself
	for name, f := range map[string]defus.ArticleFilter{
		"all": {}, "topic": {TopicID: praevention}, "member": {MemberID: zwickau},
	} {
		if got := list(f); !equal(got, []string{"geplant", "alt"}) {
			t.Errorf("%s at the moment: %v, want geplant, alt", name, got)
		}
	}
	a, err := st.FindArticle(ctx, "geplant", st.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Topics) != 1 || a.Topics[0].Slug != "praevention" || len(a.Members) != 1 || a.Members[0].Slug != "zwickau" {
		t.Errorf("links: %+v %+v", a.Topics, a.Members)
	}
	if next, err := st.FindNextScheduled(ctx, st.Now()); err != nil || !next.IsZero() {
		t.Errorf("next scheduled after the moment: %v, %v", next, err)
	}
	years, err := st.FindArticleYears(ctx, st.Now())
	if err != nil || len(years) != 1 || years[0] != 2026 {
		t.Errorf("years %v, %v", years, err)
	}
}

func TestArticleUpdateConflictDeleteAudit(t *testing.T) {
	t.Parallel()
	st, now := newsStore(t)
	ctx := context.Background()
	a := addArticle(t, st, defus.Article{Title: "Erste Fassung", Published: true, PublishedAt: testNow})
	stale := *a

	*now = testNow.Add(time.Hour)
	a.Title, a.Slug = "Zweite Fassung", "zweite-fassung"
	if _, err := st.UpdateArticle(ctx, defus.Actor{Name: "Test"}, a); err != nil {
		t.Fatal(err)
	}
	if !a.UpdatedAt.Equal(testNow.Add(time.Hour)) || !a.Revised().Equal(testNow.Add(time.Hour)) {
		t.Errorf("updated %v, revised %v", a.UpdatedAt, a.Revised())
	}
	stale.Title = "Andere Fassung"
	current, err := st.UpdateArticle(ctx, defus.Actor{Name: "Test"}, &stale)
	if !errors.Is(err, defus.ErrConflict) || current == nil || current.Title != "Zweite Fassung" {
		t.Fatalf("stale update: %v, %+v", err, current)
	}
	if moved, err := st.FindSlugRedirect(ctx, defus.EntityArticle, "erste-fassung"); err != nil || moved != "zweite-fassung" {
		t.Errorf("old address: %q, %v", moved, err)
	}
	if err := st.DeleteArticle(ctx, defus.Actor{Name: "Test"}, a.ID, a.Version); err != nil {
		t.Fatal(err)
	}
	var actions []string
	rows, err := dbtest.Pool(t).Query(ctx, `SELECT action FROM audit_log WHERE entity = 'article' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, s)
	}
	if !equal(actions, []string{"create", "update", "delete"}) {
		t.Errorf("audit %v", actions)
	}
	changed, err := st.FindNewsChange(ctx)
	if err != nil || changed.Before(testNow.Add(time.Hour)) {
		t.Errorf("news change %v, %v", changed, err)
	}
}

func TestAdminListsFoldUmlauts(t *testing.T) {
	t.Parallel()
	st := fixture(t)
	ctx := context.Background()
	for _, q := range []string{"ohringen", "Oehringen", "öhringen", "ÖHRINGEN"} {
		got, _, err := st.FindMembersAdmin(ctx, defus.MemberListFilter{ListFilter: defus.ListFilter{Query: q}})
		if err != nil {
			t.Fatal(err)
		}
		if !equal(slugs(got), []string{"oehringen"}) {
			t.Errorf("%q found %v, want oehringen", q, slugs(got))
		}
	}
	topics, _, err := st.FindTopicsAdmin(ctx, defus.ListFilter{Query: "pravention"})
	if err != nil || len(topics) != 1 {
		t.Errorf("topics for pravention: %d, %v", len(topics), err)
	}
	// LIKE's own characters are searched as themselves.
	if got, _, err := st.FindMembersAdmin(ctx, defus.MemberListFilter{ListFilter: defus.ListFilter{Query: "%_\\"}}); err != nil || len(got) != 0 {
		t.Errorf("wildcards: %v, %v", slugs(got), err)
	}
}
