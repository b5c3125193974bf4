// Package seed fills an empty database. Network is the real DEFUS network
// (the association's record, its 17 cities and 3 organisations with their
// contacts, the topics, the required pages and the documented past events):
// what a production database gets. Run adds demo content on top (upcoming
// sample events now; articles, documents and
// registrations when they come), for development and tests only. Both only
// ever insert: a record that exists already, edited by the office or not, is
// left alone, so running either twice changes nothing.
package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Result counts what a run inserted.
type Result struct {
	Members, Contacts, Topics, Pages, Events int
}

func (r Result) String() string {
	return fmt.Sprintf("%d members, %d contacts, %d topics, %d pages, %d events added", r.Members, r.Contacts, r.Topics, r.Pages, r.Events)
}

// Network inserts whatever of the real network is missing, in one
// transaction: `defus seed`. It adds no demo content, so it is safe on a
// production database.
func Network(ctx context.Context, pool *pgxpool.Pool) (Result, error) {
	var res Result
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return seedNetwork(ctx, tx, &res)
	})
	if err != nil {
		return Result{}, fmt.Errorf("seed: %w", err)
	}
	return res, nil
}

// Run inserts whatever of the network and the demo content is missing, in
// one transaction: `defus seed -demo`, `make run` and the tests. Upcoming
// demo events are placed relative to now. Demo content needs the network
// (hosts, topics), which is why Run always seeds both.
func Run(ctx context.Context, pool *pgxpool.Pool, now time.Time) (Result, error) {
	var res Result
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := seedNetwork(ctx, tx, &res); err != nil {
			return err
		}
		demo, err := seedEvents(ctx, tx, demoEvents, now)
		res.Events += demo
		return err
	})
	if err != nil {
		return Result{}, fmt.Errorf("seed: %w", err)
	}
	return res, nil
}

func seedNetwork(ctx context.Context, tx pgx.Tx, res *Result) error {
	if err := seedAssociation(ctx, tx); err != nil {
		return err
	}
	var err error
	if res.Topics, err = seedTopics(ctx, tx); err != nil {
		return err
	}
	if res.Members, res.Contacts, err = seedMembers(ctx, tx); err != nil {
		return err
	}
	if res.Pages, err = seedPages(ctx, tx); err != nil {
		return err
	}
	res.Events, err = seedEvents(ctx, tx, pastEvents, time.Time{}) // dated, now is not needed
	return err
}

func seedAssociation(ctx context.Context, tx pgx.Tx) error {
	const q = `
INSERT INTO association (id, name, short_name, founded_on, founded_place, street, postcode, city, phone, email)
VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (id) DO NOTHING`
	_, err := tx.Exec(ctx, q,
		"Deutsch-Europäisches Forum für Urbane Sicherheit e.V.", "DEFUS",
		time.Date(2010, time.May, 10, 0, 0, 0, 0, time.UTC), "Berlin",
		"Kurt-Schumacher-Straße 29", "30159", "Hannover", "0511 36739420", "defus@defus.de")
	if err != nil {
		return fmt.Errorf("association: %w", err)
	}
	return nil
}

func seedTopics(ctx context.Context, tx pgx.Tx) (int, error) {
	const q = `
INSERT INTO topics (slug, title, summary, description, pillar, position)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (slug) DO NOTHING`
	n := 0
	for i, t := range topics {
		tag, err := tx.Exec(ctx, q, t.Slug, t.Title, t.Summary, t.Description, t.Pillar, i+1)
		if err != nil {
			return 0, fmt.Errorf("topic %s: %w", t.Slug, err)
		}
		n += int(tag.RowsAffected())
	}
	return n, nil
}

// seedMembers inserts missing members; contacts and topic links are added only
// for members inserted in this run, so the office's later changes stay.
func seedMembers(ctx context.Context, tx pgx.Tx) (nMembers, nContacts int, err error) {
	const qm = `
INSERT INTO members (slug, name, short_name, kind, state, population, population_year,
                     member_since, lat, lon, website, description)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (slug) DO NOTHING
RETURNING id`
	const qc = `
INSERT INTO member_contacts (member_id, position, name, function, email, phone, public)
VALUES ($1, $2, $3, $4, $5, $6, $7)`
	const qt = `
INSERT INTO member_topics (member_id, topic_id)
SELECT $1, id FROM topics WHERE slug = $2
ON CONFLICT DO NOTHING`
	for _, m := range members {
		var id int64
		err := tx.QueryRow(ctx, qm, m.Slug, m.Name, m.ShortName, m.Kind, m.State,
			nullInt(m.Population), nullInt(m.PopulationYear), nullInt(m.MemberSince),
			m.Lat, m.Lon, m.Website, m.Description).Scan(&id)
		if err == pgx.ErrNoRows {
			continue // exists already
		}
		if err != nil {
			return 0, 0, fmt.Errorf("member %s: %w", m.Slug, err)
		}
		nMembers++
		for i, c := range m.Contacts {
			if _, err := tx.Exec(ctx, qc, id, i+1, c.Name, c.Function, c.Email, c.Phone, c.Public); err != nil {
				return 0, 0, fmt.Errorf("contact of %s: %w", m.Slug, err)
			}
			nContacts++
		}
		for _, slug := range m.Topics {
			if _, err := tx.Exec(ctx, qt, id, slug); err != nil {
				return 0, 0, fmt.Errorf("topic %s of %s: %w", slug, m.Slug, err)
			}
		}
	}
	return nMembers, nContacts, nil
}

func seedPages(ctx context.Context, tx pgx.Tx) (int, error) {
	const q = `
INSERT INTO pages (slug, title, summary, body, required)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (slug) DO NOTHING`
	n := 0
	for _, p := range pages {
		tag, err := tx.Exec(ctx, q, p.Slug, p.Title, p.Summary, p.Body, p.Required)
		if err != nil {
			return 0, fmt.Errorf("page %s: %w", p.Slug, err)
		}
		n += int(tag.RowsAffected())
	}
	return n, nil
}

func nullInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}
