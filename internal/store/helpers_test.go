package store_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// The store's tests run against a real PostgreSQL, every test on a
// database of its own (dbtest.Pool), so they run in parallel. This file
// holds what they share: the clock and the fixtures.

func TestMain(m *testing.M) {
	// Cheap password hashing: the real parameters take 19 MiB a hash.
	defus.SetPasswordParams(defus.PasswordParams{Memory: 64, Time: 1, Threads: 1})
	os.Exit(dbtest.Main(m))
}

// testNow is the store's clock in these tests: a fixed day, so no test
// depends on the day it runs.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func testClock() time.Time { return testNow }

// fixture is the test's own database (dbtest.Pool) with the members and
// topics below, and a store over it at testNow.
func fixture(t *testing.T) *store.Store {
	t.Helper()
	pool := dbtest.Pool(t)
	ctx := context.Background()
	const q = `
INSERT INTO members (slug, name, short_name, kind, state, population, lat, lon, published) VALUES
  ('zwickau', 'Stadt Zwickau', 'Zwickau', 'city', 'Sachsen', 87000, 50.72, 12.49, true),
  ('oehringen', 'Stadt Öhringen', 'Öhringen', 'city', 'Baden-Württemberg', 25000, 49.2, 9.5, true),
  ('offenburg', 'Stadt Offenburg', 'Offenburg', 'city', 'Baden-Württemberg', 61000, 48.47, 7.94, true),
  ('oberhausen', 'Stadt Oberhausen', 'Oberhausen', 'city', 'Nordrhein-Westfalen', 210000, 51.47, 6.85, true),
  ('osnabrueck', 'Stadt Osnabrück', 'Osnabrück', 'city', 'Niedersachsen', 165000, 52.27, 8.05, true),
  ('aerzte-verein', 'Ärzteverein', 'Ärzteverein', 'organisation', 'Niedersachsen', NULL, NULL, NULL, true),
  ('entwurf', 'Stadt Entwurf', 'Entwurf', 'city', 'Hessen', NULL, NULL, NULL, false);
INSERT INTO topics (slug, title, summary, pillar, position) VALUES
  ('praevention', 'Prävention', 'P', true, 1),
  ('drogen', 'Drogen', 'D', false, 2),
  ('versteckt', 'Versteckt', 'V', false, 3);
UPDATE topics SET published = false WHERE slug = 'versteckt';
INSERT INTO member_topics (member_id, topic_id)
SELECT m.id, t.id FROM members m, topics t
WHERE (m.slug IN ('zwickau', 'oehringen', 'entwurf') AND t.slug = 'praevention')
   OR (m.slug = 'zwickau' AND t.slug = 'versteckt');
INSERT INTO member_contacts (member_id, position, name, function, email, public)
SELECT id, 2, 'Zweite Person', 'intern', 'b@example.org', false FROM members WHERE slug = 'zwickau';
INSERT INTO member_contacts (member_id, position, name, function, email, public)
SELECT id, 1, 'Erste Person', 'Leitung', 'a@example.org', true FROM members WHERE slug = 'zwickau';`
	if _, err := pool.Exec(ctx, q); err != nil {
		t.Fatal(err)
	}
	return store.New(pool, testClock)
}

func slugs(ms []defus.Member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Slug)
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// eventFixture adds events to the member fixture. "Now" in these tests is
// 2026-06-15 12:00 Berlin.
func eventFixture(t *testing.T) *store.Store {
	t.Helper()
	st := fixture(t)
	const q = `
INSERT INTO events (slug, title, kind, starts_at, ends_at, all_day, format, city, host_member_id, status, published) VALUES
  ('alt', 'Alt', 'meeting', '2025-09-16 00:00+02', '2025-09-18 00:00+02', true, 'in_person', 'Stuttgart',
     (SELECT id FROM members WHERE slug = 'zwickau'), 'scheduled', true),
  ('heute-vorbei', 'Heute vorbei', 'workshop', '2026-06-15 09:00+02', '2026-06-15 12:00+02', false, 'online', '',
     NULL, 'scheduled', true),
  ('heute-laeuft', 'Heute läuft', 'workshop', '2026-06-15 10:00+02', '2026-06-15 12:00:01+02', false, 'online', '',
     (SELECT id FROM members WHERE slug = 'zwickau'), 'scheduled', true),
  ('sommer', 'Sommer', 'training', '2026-07-01 10:00+02', '2026-07-01 16:00+02', false, 'hybrid', 'Offenburg',
     (SELECT id FROM members WHERE slug = 'offenburg'), 'cancelled', true),
  ('herbst', 'Herbst', 'workshop', '2026-10-25 01:30+02', '2026-10-25 04:00+01', false, 'in_person', 'Zwickau',
     (SELECT id FROM members WHERE slug = 'zwickau'), 'scheduled', true),
  ('punkt', 'Punkt', 'workshop', '2026-06-15 12:00+02', '2026-06-15 12:00+02', false, 'in_person', '',
     NULL, 'scheduled', true),
  ('entwurf', 'Entwurf', 'workshop', '2026-08-01 10:00+02', '2026-08-01 12:00+02', false, 'in_person', '',
     (SELECT id FROM members WHERE slug = 'zwickau'), 'scheduled', false),
  ('versteckter-gastgeber', 'Versteckter Gastgeber', 'other', '2026-09-01 10:00+02', '2026-09-01 12:00+02', false, 'in_person', '',
     (SELECT id FROM members WHERE slug = 'entwurf'), 'scheduled', true);
INSERT INTO event_topics (event_id, topic_id)
SELECT e.id, t.id FROM events e, topics t
WHERE (e.slug IN ('alt', 'herbst', 'sommer', 'entwurf') AND t.slug = 'praevention')
   OR (e.slug IN ('herbst', 'heute-laeuft') AND t.slug = 'drogen')
   OR (e.slug = 'herbst' AND t.slug = 'versteckt');`
	if _, err := dbtest.Pool(t).Exec(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	return st
}

var storeNow = time.Date(2026, 6, 15, 12, 0, 0, 0, defus.Berlin)

func memberID(t *testing.T, slug string) int64 {
	t.Helper()
	var id int64
	if err := dbtest.Pool(t).QueryRow(context.Background(), `SELECT id FROM members WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func topicID(t *testing.T, slug string) int64 {
	t.Helper()
	var id int64
	if err := dbtest.Pool(t).QueryRow(context.Background(), `SELECT id FROM topics WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// inboxFixture is fixture with a privacy page.
func inboxFixture(t *testing.T) *store.Store {
	t.Helper()
	st := fixture(t)
	pool := dbtest.Pool(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO pages (slug, title, body, required) VALUES ('datenschutz', 'Datenschutz', 'Text v1', true)`); err != nil {
		t.Fatal(err)
	}
	return st
}

func storeEnquiry(t *testing.T, st *store.Store, org, key string, status defus.EnquiryStatus, at time.Time) *defus.Enquiry {
	t.Helper()
	e := &defus.Enquiry{Organisation: org, ContactName: "Kim", Email: "kim@example.org", Message: "Hallo",
		ConsentAt: at, Status: status, IdempotencyKey: key, CreatedAt: at}
	if _, err := st.CreateEnquiry(context.Background(), e, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

// accounts returns a store over the test's own database.
func accounts(t *testing.T) *store.Store {
	t.Helper()
	pool := dbtest.Pool(t)
	return store.New(pool, testClock)
}

// cheapHash is a valid argon2id hash made once, so tests need not hash per user.
var cheapHash = sync.OnceValue(func() string {
	h, err := defus.HashPassword("ein-test-passwort")
	if err != nil {
		panic(err)
	}
	return h
})

func addUser(t *testing.T, st *store.Store, email string, role defus.Role) *defus.User {
	t.Helper()
	u := &defus.User{Email: email, Name: "Name " + email, Role: role, PasswordHash: cheapHash()}
	if err := st.CreateUser(context.Background(), defus.Actor{}, u); err != nil {
		t.Fatal(err)
	}
	return u
}

// loginCounts returns a store over the test's own database and its clock's
// time, which the test moves (from one goroutine only).
func loginCounts(t *testing.T) (*store.Store, *time.Time) {
	t.Helper()
	pool := dbtest.Pool(t)
	now := testNow
	return store.New(pool, func() time.Time { return now }), &now
}
