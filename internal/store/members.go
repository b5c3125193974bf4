package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

const memberColumns = `m.id, m.slug, m.name, m.short_name, m.kind, m.state, m.population,
	m.population_year, m.member_since, m.lat, m.lon, m.website, m.description,
	m.published, m.created_at, m.updated_at, m.version`

func scanMember(row pgx.Row) (defus.Member, error) {
	var m defus.Member
	err := row.Scan(&m.ID, &m.Slug, &m.Name, &m.ShortName, &m.Kind, &m.State, &m.Population,
		&m.PopulationYear, &m.MemberSince, &m.Lat, &m.Lon, &m.Website, &m.Description,
		&m.Published, &m.CreatedAt, &m.UpdatedAt, &m.Version)
	return m, err
}

// FindMembers lists members sorted the German way by short name (Ö with O).
func (s *Store) FindMembers(ctx context.Context, f defus.MemberFilter) ([]defus.Member, error) {
	var w where
	if !f.WithDrafts {
		w.addRaw("m.published")
	}
	if f.Kind != "" {
		w.add("m.kind = ?", string(f.Kind))
	}
	if f.State != "" {
		w.add("m.state = ?", f.State)
	}
	if f.TopicID != 0 {
		w.add("EXISTS (SELECT 1 FROM member_topics mt WHERE mt.member_id = m.id AND mt.topic_id = ?)", f.TopicID)
	}
	q := `
SELECT ` + memberColumns + `
FROM members m
` + w.String() + `
ORDER BY m.short_name, m.name, m.id`
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, fmt.Errorf("find members: %w", err)
	}
	members, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Member, error) { return scanMember(r) })
	if err != nil {
		return nil, fmt.Errorf("find members: %w", err)
	}
	return members, nil
}

// FindMember returns one published member with its contacts (all of them, in
// order; the caller decides which are public) and its topics.
func (s *Store) FindMember(ctx context.Context, slug string) (*defus.Member, error) {
	const q = `
SELECT ` + memberColumns + `
FROM members m
WHERE m.slug = $1 AND m.published`
	m, err := scanMember(s.pool.QueryRow(ctx, q, slug))
	if err != nil {
		return nil, notFound(err, "find member "+slug)
	}

	const qc = `
SELECT id, member_id, position, name, function, email, phone, public, updated_at, version
FROM member_contacts
WHERE member_id = $1
ORDER BY position, id`
	rows, err := s.pool.Query(ctx, qc, m.ID)
	if err != nil {
		return nil, fmt.Errorf("find contacts of member %s: %w", slug, err)
	}
	m.Contacts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Contact, error) {
		var c defus.Contact
		err := r.Scan(&c.ID, &c.MemberID, &c.Position, &c.Name, &c.Function, &c.Email, &c.Phone, &c.Public, &c.UpdatedAt, &c.Version)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("find contacts of member %s: %w", slug, err)
	}

	m.Topics, err = s.findTopics(ctx, `JOIN member_topics mt ON mt.topic_id = t.id WHERE mt.member_id = $1 AND t.published`, m.ID)
	if err != nil {
		return nil, fmt.Errorf("find topics of member %s: %w", slug, err)
	}
	return &m, nil
}

// FindMemberStats computes the key figures of the network from the published members.
func (s *Store) FindMemberStats(ctx context.Context) (defus.MemberStats, error) {
	const q = `
SELECT count(*) FILTER (WHERE kind = 'city'),
       count(*) FILTER (WHERE kind = 'organisation'),
       count(DISTINCT state) FILTER (WHERE state <> '')
FROM members
WHERE published`
	var st defus.MemberStats
	if err := s.pool.QueryRow(ctx, q).Scan(&st.Cities, &st.Organisations, &st.States); err != nil {
		return st, fmt.Errorf("find member stats: %w", err)
	}
	return st, nil
}

// FindMemberStates lists the federal states that have published members, sorted the German way.
func (s *Store) FindMemberStates(ctx context.Context) ([]string, error) {
	const q = `
SELECT DISTINCT state COLLATE german
FROM members
WHERE published AND state <> ''
ORDER BY 1`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find member states: %w", err)
	}
	states, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find member states: %w", err)
	}
	return states, nil
}
