package store_test

import (
	"context"
	"testing"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/postgres"
	"defus.de/portal/internal/store"
)

// TestStatementsMadeStaleByAMigrationRunAgain changes the type of columns
// that a query, a single-row query and a transaction read, after the one
// pooled connection has prepared them: PostgreSQL refuses the cached
// statements ("cached plan must not change result type"), and the store runs
// them again instead of failing.
func TestStatementsMadeStaleByAMigrationRunAgain(t *testing.T) {
	t.Parallel()
	fixture(t)
	ctx := context.Background()
	pool, err := postgres.OpenWith(ctx, dbtest.URL(t), postgres.Settings{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool, testClock)
	migrate := func(typ string) {
		t.Helper()
		_, err := dbtest.Pool(t).Exec(ctx, `ALTER TABLE members ALTER COLUMN website TYPE `+typ+`;
		                                    ALTER TABLE enquiries ALTER COLUMN message TYPE `+typ)
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { migrate("text") })

	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"query", func() error { _, err := st.FindMembers(ctx, defus.MemberFilter{}); return err }},
		{"single row", func() error { _, err := st.FindMember(ctx, "zwickau"); return err }},
		{"transaction", func() error { _, err := st.FindSubjectData(ctx, "a@example.org"); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, typ := range []string{"varchar(300)", "text"} {
				if err := tc.run(); err != nil { // prepares and caches the statements
					t.Fatal(err)
				}
				migrate(typ)
				if err := tc.run(); err != nil {
					t.Errorf("after changing the column type to %s: %v", typ, err)
				}
			}
		})
	}
}
