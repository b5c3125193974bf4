package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/postgres"
	"defus.de/portal/internal/store"
)

const benchdataUsage = `usage: defus benchdata -benchmark-database [-scale N] [-password PW]

For benchmarks only, never on a real database: fills the database with made-up
data at N times today's size (default 100: 2,000 members, 3,000 events, 100,000
enquiries, 1,000,000 audit entries), on top of the seed (defus seed -demo first),
and adds the office account bench@defus.example with password PW, for timing
the office's pages. Enquiries go back 333 days and audit entries 80 days, so that
the retention job of a running server keeps them. The made-up records are named "Bench…" and use the domain
bench.example. It refuses to run without -benchmark-database.
`

// benchdataCmd runs `defus benchdata`.
func benchdataCmd(ctx context.Context, pool *pgxpool.Pool, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("benchdata", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	yes := fs.Bool("benchmark-database", false, "")
	scale := fs.Int("scale", 100, "")
	password := fs.String("password", "bench-passwort-123", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || !*yes || *scale < 1 || *scale > 1000 {
		fmt.Fprint(stderr, benchdataUsage)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errors.New("benchdata: only for a benchmark database, and it must say so: -benchmark-database")
	}
	if err := postgres.CheckMigrated(ctx, pool); err != nil {
		return err
	}
	st := store.New(pool, time.Now)
	hash, err := defus.HashPassword(*password)
	if err != nil {
		return err
	}
	u := &defus.User{Email: "bench@defus.example", Name: "Bench Büro", Role: defus.RoleAdmin, PasswordHash: hash}
	if _, err := st.FindUserByEmail(ctx, u.Email); errors.Is(err, defus.ErrNotFound) {
		if err := st.CreateUser(ctx, defus.Actor{Name: "benchdata"}, u); err != nil {
			return err
		}
	}
	n := *scale
	steps := []struct{ what, table, sql string }{
		{"members", "members", benchMembers},
		{"events", "events", benchEvents},
		{"enquiries", "enquiries", benchEnquiries},
		{"audit entries", "audit_log", benchAudit},
	}
	counts := []int{20 * n, 30 * n, 1000 * n, 10000 * n}
	for i, step := range steps {
		start := time.Now()
		var before, after int
		count := `SELECT count(*) FROM ` + step.table // a name from the list above
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, count).Scan(&before); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, step.sql, counts[i], time.Now()); err != nil {
				return err
			}
			return tx.QueryRow(ctx, count).Scan(&after)
		})
		if err != nil {
			return fmt.Errorf("benchdata %s: %w", step.what, err)
		}
		fmt.Fprintf(stdout, "benchdata: %s: %d added (%d in all) in %s\n", step.what, after-before, after, time.Since(start).Round(time.Millisecond))
	}
	// As after autovacuum: statistics for the planner, and the visibility
	// map that index-only scans need.
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		return err
	}
	_, err = pool.Exec(ctx, `SELECT pg_notify($1, 'benchdata')`, store.ChangesChannel)
	return err
}

// Each statement tops its table up to $1 rows, made up around $2 (now).
const (
	benchMembers = `
WITH states AS (SELECT array['Baden-Württemberg','Bayern','Berlin','Brandenburg','Bremen','Hamburg','Hessen',
        'Mecklenburg-Vorpommern','Niedersachsen','Nordrhein-Westfalen','Rheinland-Pfalz','Saarland','Sachsen',
        'Sachsen-Anhalt','Schleswig-Holstein','Thüringen'] AS s),
new AS (
  INSERT INTO members (slug, name, short_name, kind, state, population, population_year, member_since, lat, lon, description, created_at, updated_at)
  SELECT 'bench-mitglied-' || g, 'Benchstadt ' || g, 'Benchstadt ' || g,
         CASE WHEN g % 7 = 0 THEN 'organisation' ELSE 'city' END,
         (SELECT s[1 + g % 16] FROM states), 20000 + (g * 7919) % 900000, 2024, 1990 + g % 35,
         47.4 + (g * 0.6180339887) % 1 * 7.5, 6.1 + (g * 0.7548776662) % 1 * 8.8,
         'Eine erfundene Stadt für Messungen der Geschwindigkeit.', $2, $2
  FROM generate_series(1, greatest(0, $1 - (SELECT count(*) FROM members))) g
  RETURNING id)
INSERT INTO member_topics (member_id, topic_id)
SELECT n.id, t.id FROM new n JOIN LATERAL (SELECT id FROM topics ORDER BY (id * 31 + n.id) % 97 LIMIT 2) t ON true`

	benchEvents = `
WITH hosts AS (SELECT array_agg(id ORDER BY id) AS ids FROM members),
new AS (
  INSERT INTO events (slug, title, kind, starts_at, ends_at, place_name, city, host_member_id, summary, description, created_at, updated_at)
  SELECT 'bench-termin-' || g, 'Benchtermin ' || g,
         (array['meeting','workshop','training','conference','other'])[1 + g % 5],
         date_trunc('hour', $2::timestamptz - interval '10 years' + interval '1 day' * (4380.0 * g / $1)),
         date_trunc('hour', $2::timestamptz - interval '10 years' + interval '1 day' * (4380.0 * g / $1)) + interval '3 hours',
         'Rathaus', 'Benchstadt', (SELECT ids[1 + g % array_length(ids, 1)] FROM hosts),
         'Ein erfundener Termin für Messungen.', 'Ein erfundener Termin für Messungen der Geschwindigkeit.', $2, $2
  FROM generate_series(1, greatest(0, $1 - (SELECT count(*) FROM events))) g
  RETURNING id)
INSERT INTO event_topics (event_id, topic_id)
SELECT n.id, t.id FROM new n JOIN LATERAL (SELECT id FROM topics ORDER BY (id * 17 + n.id) % 89 LIMIT 2) t ON true`

	benchEnquiries = `
WITH notice AS (
  INSERT INTO privacy_notices (page_version, body, body_sha256, created_at)
  VALUES (1, 'Benchmark', sha256('Benchmark'), $2)
  ON CONFLICT (body_sha256) DO UPDATE SET body_sha256 = EXCLUDED.body_sha256
  RETURNING id),
new AS (
  INSERT INTO enquiries (organisation, kind, contact_name, email, message, consent_at, privacy_notice_id, status,
                         closed_at, idempotency_key, created_at, updated_at)
  SELECT 'Bench-Organisation ' || g, 'city', 'Bench Person ' || g, 'anfrage' || g || '@bench.example',
         'Wir möchten mehr über die Mitgliedschaft erfahren. Anfrage Nummer ' || g || '.',
         at, (SELECT id FROM notice),
         CASE WHEN g % 20 = 0 THEN 'new' WHEN g % 20 = 1 THEN 'in_progress' WHEN g % 20 = 2 THEN 'rejected' ELSE 'answered' END,
         CASE WHEN g % 20 IN (0, 1) THEN NULL ELSE at + interval '2 days' END,
         'bench-' || g || '-' || md5(random()::text), at, at
  FROM generate_series(1, greatest(0, $1 - (SELECT count(*) FROM enquiries))) g,
       LATERAL (SELECT $2::timestamptz - interval '1 hour' * (8000.0 * g / $1) AS at) t
  RETURNING id)
INSERT INTO enquiry_topics (enquiry_id, topic_id)
SELECT n.id, (SELECT id FROM topics ORDER BY (id * 13 + n.id) % 83 LIMIT 1) FROM new n`

	benchAudit = `
WITH actors AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names FROM users)
INSERT INTO audit_log (at, actor_id, actor_name, actor_email, action, entity, entity_id, entity_label, changes)
SELECT $2::timestamptz - interval '1 minute' * (115200.0 * g / $1),
       a.ids[1 + g % array_length(a.ids, 1)], a.names[1 + g % array_length(a.ids, 1)], 'bench@defus.example',
       (array['login','update','create','status_change','logout','login_failed','update','login'])[1 + g % 8],
       (array['user','member','event','enquiry','topic','page','media','user'])[1 + g % 8],
       1 + g % 2000, 'Bencheintrag ' || (g % 2000), '{}'
FROM generate_series(1, greatest(0, $1 - (SELECT count(*) FROM audit_log))) g, actors a`
)
