package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

const memberColumns = `m.id, m.slug, m.name, m.short_name, m.kind, m.state, m.population,
	m.population_year, m.member_since, m.lat, m.lon, m.website, m.description,
	m.logo_media_id, m.published, m.created_at, m.updated_at, m.version, m.confirmed_at`

func scanMember(row pgx.Row) (defus.Member, error) {
	var m defus.Member
	err := row.Scan(&m.ID, &m.Slug, &m.Name, &m.ShortName, &m.Kind, &m.State, &m.Population,
		&m.PopulationYear, &m.MemberSince, &m.Lat, &m.Lon, &m.Website, &m.Description,
		&m.LogoMediaID, &m.Published, &m.CreatedAt, &m.UpdatedAt, &m.Version, &m.ConfirmedAt)
	return m, err
}

const contactColumns = `id, member_id, position, name, function, email, phone, public, updated_at, version`

func scanContact(row pgx.Row) (defus.Contact, error) {
	var c defus.Contact
	err := row.Scan(&c.ID, &c.MemberID, &c.Position, &c.Name, &c.Function, &c.Email, &c.Phone, &c.Public, &c.UpdatedAt, &c.Version)
	return c, err
}

// FindMembers lists members sorted the German way by short name (Ö with
// O), f.Limit of them from f.Offset on when f.Limit is set: that page is
// picked in the index of the list's order (members_list_idx) before its
// rows are read.
func (s *Store) FindMembers(ctx context.Context, f defus.MemberFilter) ([]defus.Member, error) {
	w := memberWhere(f)
	const order = `ORDER BY m.short_name, m.name, m.id`
	q := `SELECT ` + memberColumns + ` FROM members m ` + w.String() + "\n" + order
	if f.Limit > 0 {
		q = fmt.Sprintf(`
WITH pick AS (SELECT m.id FROM members m %s %s LIMIT %d OFFSET %d)
SELECT %s FROM pick JOIN members m ON m.id = pick.id
%s`, w.String(), order, f.Limit, max(f.Offset, 0), memberColumns, order)
	}
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

// FindMemberChoices returns the published members with their id, slug,
// name and short name only, by short name: what a filter's select lists.
func (s *Store) FindMemberChoices(ctx context.Context) ([]defus.Member, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, slug, name, short_name FROM members WHERE published ORDER BY short_name, name, id`)
	if err != nil {
		return nil, fmt.Errorf("find member choices: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Member, error) {
		var m defus.Member
		err := r.Scan(&m.ID, &m.Slug, &m.Name, &m.ShortName)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("find member choices: %w", err)
	}
	return list, nil
}

// FindMemberPlaces returns the places of the members f selects that have
// coordinates (f.Limit aside), by id, and how many members f selects in
// all. It reads four small columns, so a map of thousands stays cheap.
func (s *Store) FindMemberPlaces(ctx context.Context, f defus.MemberFilter) (places []defus.MemberPlace, count int, err error) {
	w := memberWhere(f)
	q := `SELECT m.id, m.kind, m.lat, m.lon FROM members m ` + w.String() + ` ORDER BY m.id`
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find member places: %w", err)
	}
	var p defus.MemberPlace
	var lat, lon *float64
	_, err = pgx.ForEachRow(rows, []any{&p.ID, &p.Kind, &lat, &lon}, func() error {
		count++
		if lat != nil && lon != nil {
			p.Lat, p.Lon = *lat, *lon
			places = append(places, p)
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find member places: %w", err)
	}
	return places, count, nil
}

// FindMemberNames returns the names of the members with the given ids,
// drafts included, by id: what a list that names a few members needs,
// without reading every member.
func (s *Store) FindMemberNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	names := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return names, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT id, name FROM members WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("find member names: %w", err)
	}
	var id int64
	var name string
	if _, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error { names[id] = name; return nil }); err != nil {
		return nil, fmt.Errorf("find member names: %w", err)
	}
	return names, nil
}

// memberWhere is the WHERE part of the public member lists over members m.
func memberWhere(f defus.MemberFilter) where {
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
	return w
}

// FindMember returns one published member with its contacts (all of them, in
// order; the caller decides which are public), its published topics and its logo.
func (s *Store) FindMember(ctx context.Context, slug string) (*defus.Member, error) {
	const q = `
SELECT ` + memberColumns + `
FROM members m
WHERE m.slug = $1 AND m.published`
	m, err := scanMember(s.pool.QueryRow(ctx, q, slug))
	if err != nil {
		return nil, notFound(err, "find member "+slug)
	}
	if err := s.loadMemberDetails(ctx, &m, true); err != nil {
		return nil, fmt.Errorf("find member %s: %w", slug, err)
	}
	return &m, nil
}

// FindMemberByID returns one member, draft or not, with its contacts in
// order, all its topics (TopicIDs too) and its logo.
func (s *Store) FindMemberByID(ctx context.Context, id int64) (*defus.Member, error) {
	const q = `
SELECT ` + memberColumns + `
FROM members m
WHERE m.id = $1`
	m, err := scanMember(s.pool.QueryRow(ctx, q, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find member %d", id))
	}
	if err := s.loadMemberDetails(ctx, &m, false); err != nil {
		return nil, fmt.Errorf("find member %d: %w", id, err)
	}
	return &m, nil
}

// loadMemberDetails fills m's contacts, topics and logo; public leaves out
// unpublished topics.
func (s *Store) loadMemberDetails(ctx context.Context, m *defus.Member, public bool) error {
	const qc = `SELECT ` + contactColumns + ` FROM member_contacts WHERE member_id = $1 ORDER BY position, id`
	rows, err := s.pool.Query(ctx, qc, m.ID)
	if err != nil {
		return fmt.Errorf("contacts: %w", err)
	}
	m.Contacts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Contact, error) { return scanContact(r) })
	if err != nil {
		return fmt.Errorf("contacts: %w", err)
	}

	tail := `JOIN member_topics mt ON mt.topic_id = t.id WHERE mt.member_id = $1`
	if public {
		tail += ` AND t.published`
	}
	m.Topics, err = s.findTopics(ctx, tail, m.ID)
	if err != nil {
		return fmt.Errorf("topics: %w", err)
	}
	m.TopicIDs = nil
	for _, t := range m.Topics {
		m.TopicIDs = append(m.TopicIDs, t.ID)
	}

	if m.LogoMediaID != nil {
		const ql = `
SELECT id, name, content_type, alt_text, COALESCE(width, 0), COALESCE(height, 0)
FROM media WHERE id = $1 AND content_type LIKE 'image/%'`
		var logo defus.Media
		err := s.pool.QueryRow(ctx, ql, *m.LogoMediaID).Scan(&logo.ID, &logo.Name, &logo.ContentType, &logo.AltText, &logo.Width, &logo.Height)
		switch {
		case err == nil:
			m.Logo = &logo
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("logo: %w", err)
		}
	}
	return nil
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

// FindMembersAdmin lists members for the office, drafts included, sorted the
// German way by short name, and how many match in all. The search looks in
// name, short name and slug.
func (s *Store) FindMembersAdmin(ctx context.Context, f defus.MemberListFilter) ([]defus.Member, int, error) {
	var w where
	if f.Query != "" {
		w.addFolded(f.Query, "m.name", "m.short_name", "m.slug")
	}
	switch f.State {
	case "published":
		w.addRaw("m.published")
	case "draft":
		w.addRaw("NOT m.published")
	}
	if f.Kind != "" {
		w.add("m.kind = ?", string(f.Kind))
	}
	if f.FederalState != "" {
		w.add("m.state = ?", f.FederalState)
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	q := `
SELECT ` + memberColumns + `, count(*) OVER ()
FROM members m
` + w.String() + `
ORDER BY m.short_name, m.name COLLATE german, m.id
LIMIT ` + limit + ` OFFSET ` + fmt.Sprint(max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find members: %w", err)
	}
	total := 0
	members, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Member, error) {
		var m defus.Member
		err := r.Scan(&m.ID, &m.Slug, &m.Name, &m.ShortName, &m.Kind, &m.State, &m.Population,
			&m.PopulationYear, &m.MemberSince, &m.Lat, &m.Lon, &m.Website, &m.Description,
			&m.LogoMediaID, &m.Published, &m.CreatedAt, &m.UpdatedAt, &m.Version, &m.ConfirmedAt, &total)
		return m, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find members: %w", err)
	}
	return members, total, nil
}

// FindMediaImages lists the uploaded pictures (PNG, JPEG, WebP) by name,
// with id, name, content type and alt text but without their bytes: the
// choices for a logo.
func (s *Store) FindMediaImages(ctx context.Context) ([]defus.Media, error) {
	const q = `
SELECT id, name, content_type, alt_text
FROM media
WHERE content_type IN ('image/png', 'image/jpeg', 'image/webp')
ORDER BY name COLLATE german, id`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find media images: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Media, error) {
		var m defus.Media
		err := r.Scan(&m.ID, &m.Name, &m.ContentType, &m.AltText)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("find media images: %w", err)
	}
	return list, nil
}

// topicTitles names the topics with ids, sorted and joined, for the audit log.
func topicTitles(ctx context.Context, tx pgx.Tx, ids []int64) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	const q = `SELECT title FROM topics WHERE id = ANY($1) ORDER BY title`
	rows, err := tx.Query(ctx, q, ids)
	if err != nil {
		return "", err
	}
	titles, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	return strings.Join(titles, ", "), nil
}

// memberChanges lists the fields that differ between old and m for the
// audit log; topics are compared by their titles.
func memberChanges(ctx context.Context, tx pgx.Tx, old, m *defus.Member) (defus.Changes, error) {
	c := defus.Changes{}
	c.Set("name", old.Name, m.Name)
	c.Set("short_name", old.ShortName, m.ShortName)
	c.Set("slug", old.Slug, m.Slug)
	c.Set("kind", string(old.Kind), string(m.Kind))
	c.Set("state", old.State, m.State)
	c.Set("population", old.Population, m.Population)
	c.Set("population_year", old.PopulationYear, m.PopulationYear)
	c.Set("member_since", old.MemberSince, m.MemberSince)
	c.Set("lat", old.Lat, m.Lat)
	c.Set("lon", old.Lon, m.Lon)
	c.Set("website", old.Website, m.Website)
	c.Set("description", old.Description, m.Description)
	c.Set("logo_media_id", old.LogoMediaID, m.LogoMediaID)
	c.Set("published", old.Published, m.Published)
	oldIDs, newIDs := slices.Sorted(slices.Values(old.TopicIDs)), slices.Sorted(slices.Values(m.TopicIDs))
	if !slices.Equal(oldIDs, newIDs) {
		before, err := topicTitles(ctx, tx, oldIDs)
		if err != nil {
			return nil, fmt.Errorf("topics before: %w", err)
		}
		after, err := topicTitles(ctx, tx, newIDs)
		if err != nil {
			return nil, fmt.Errorf("topics after: %w", err)
		}
		c.Set("topics", before, after)
	}
	return c, nil
}

// setMemberTopics makes the member's topics exactly ids.
func setMemberTopics(ctx context.Context, tx pgx.Tx, memberID int64, ids []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM member_topics WHERE member_id = $1`, memberID); err != nil {
		return fmt.Errorf("topics: %w", err)
	}
	const q = `INSERT INTO member_topics (member_id, topic_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`
	if _, err := tx.Exec(ctx, q, memberID, ids); err != nil {
		return fmt.Errorf("topics: %w", err)
	}
	return nil
}

// CreateMember stores a new member with its topics (m.TopicIDs) and records
// it in the audit log. A slug in use is a field error on "slug".
func (s *Store) CreateMember(ctx context.Context, by defus.Actor, m *defus.Member) (err error) {
	const q = `
INSERT INTO members (slug, name, short_name, kind, state, population, population_year, member_since,
                     lat, lon, website, description, logo_media_id, published, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
RETURNING id, created_at, updated_at, version`
	defer keepLogoOnError(m, m.LogoMediaID, &err)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := s.createNewLogo(ctx, tx, by, m); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, q, m.Slug, m.Name, m.ShortName, m.Kind, m.State, m.Population, m.PopulationYear,
			m.MemberSince, m.Lat, m.Lon, m.Website, m.Description, m.LogoMediaID, m.Published, s.now()).
			Scan(&m.ID, &m.CreatedAt, &m.UpdatedAt, &m.Version)
		if err != nil {
			return slugError(err, "create member "+m.Slug)
		}
		if err := setMemberTopics(ctx, tx, m.ID, m.TopicIDs); err != nil {
			return fmt.Errorf("create member %s: %w", m.Slug, err)
		}
		if err := claimSlug(ctx, tx, defus.EntityMember, m.Slug); err != nil {
			return err
		}
		changes, err := memberChanges(ctx, tx, &defus.Member{}, m)
		if err != nil {
			return fmt.Errorf("create member %s: %w", m.Slug, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
			Entity: defus.EntityMember, EntityID: m.ID, EntityLabel: m.Name, Changes: changes})
	})
}

// createNewLogo stores m.NewLogo, if any, and makes it m's logo: the upload
// and the member's save succeed or fail together.
func (s *Store) createNewLogo(ctx context.Context, tx pgx.Tx, by defus.Actor, m *defus.Member) error {
	if m.NewLogo == nil {
		return nil
	}
	if err := s.createMedia(ctx, tx, by, m.NewLogo); err != nil {
		return fmt.Errorf("logo of member %s: %w", m.Slug, err)
	}
	m.LogoMediaID = &m.NewLogo.ID
	return nil
}

// keepLogoOnError undoes createNewLogo's change to m when the transaction
// failed: the uploaded picture was rolled back with it.
func keepLogoOnError(m *defus.Member, logo *int64, err *error) {
	if *err != nil && m.NewLogo != nil {
		m.LogoMediaID, m.NewLogo.ID = logo, 0
	}
}

// lockMember reads a member and its topic ids for change, locking its row;
// a version other than version gives defus.ErrConflict (with the member as
// it is now).
func lockMember(ctx context.Context, tx pgx.Tx, id int64, version int) (defus.Member, error) {
	const q = `SELECT ` + memberColumns + ` FROM members m WHERE m.id = $1 FOR UPDATE`
	m, err := scanMember(tx.QueryRow(ctx, q, id))
	if err != nil {
		return m, notFound(err, fmt.Sprintf("lock member %d", id))
	}
	rows, err := tx.Query(ctx, `SELECT topic_id FROM member_topics WHERE member_id = $1 ORDER BY topic_id`, id)
	if err != nil {
		return m, fmt.Errorf("lock member %d: %w", id, err)
	}
	if m.TopicIDs, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return m, fmt.Errorf("lock member %d: %w", id, err)
	}
	if m.Version != version {
		return m, fmt.Errorf("member %d: %w", id, defus.ErrConflict)
	}
	return m, nil
}

// UpdateMember saves m and its topics if nobody changed it since version
// m.Version was read; otherwise it returns defus.ErrConflict and the member
// as it is now. A slug in use is a field error on "slug";
// a new slug keeps the old address as a redirect. Calendars name the member
// as host.
func (s *Store) UpdateMember(ctx context.Context, by defus.Actor, m *defus.Member) (current *defus.Member, err error) {
	const q = `
UPDATE members
SET slug = $2, name = $3, short_name = $4, kind = $5, state = $6, population = $7, population_year = $8,
    member_since = $9, lat = $10, lon = $11, website = $12, description = $13, logo_media_id = $14,
    published = $15, updated_at = $16, version = version + 1
WHERE id = $1
RETURNING updated_at, version`
	defer keepLogoOnError(m, m.LogoMediaID, &err)
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockMember(ctx, tx, m.ID, m.Version)
		if err != nil {
			current = &old
			return err
		}
		if err := s.createNewLogo(ctx, tx, by, m); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, q, m.ID, m.Slug, m.Name, m.ShortName, m.Kind, m.State, m.Population, m.PopulationYear,
			m.MemberSince, m.Lat, m.Lon, m.Website, m.Description, m.LogoMediaID, m.Published, s.now()).Scan(&m.UpdatedAt, &m.Version)
		if err != nil {
			return slugError(err, fmt.Sprintf("update member %d", m.ID))
		}
		if err := setMemberTopics(ctx, tx, m.ID, m.TopicIDs); err != nil {
			return fmt.Errorf("update member %d: %w", m.ID, err)
		}
		if err := moveSlug(ctx, tx, defus.EntityMember, m.ID, old.Slug, m.Slug); err != nil {
			return err
		}
		if err := s.touchCalendar(ctx, tx); err != nil {
			return err
		}
		changes, err := memberChanges(ctx, tx, &old, m)
		if err != nil {
			return fmt.Errorf("update member %d: %w", m.ID, err)
		}
		if len(changes) == 0 {
			return nil
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityMember, EntityID: m.ID, EntityLabel: m.Name, Changes: changes})
	})
	return current, err
}

// FindMemberDependants tells what refers to a member: hosted events (by
// title, drafts too), linked accounts and how many contacts it has.
func (s *Store) FindMemberDependants(ctx context.Context, id int64) (defus.MemberDependants, error) {
	var d defus.MemberDependants
	rows, err := s.pool.Query(ctx, `SELECT title FROM events WHERE host_member_id = $1 ORDER BY starts_at, id`, id)
	if err != nil {
		return d, fmt.Errorf("find dependants of member %d: %w", id, err)
	}
	if d.EventTitles, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return d, fmt.Errorf("find dependants of member %d: %w", id, err)
	}
	const qu = `SELECT name || ' (' || email || ')' FROM users WHERE member_id = $1 ORDER BY name COLLATE german, id`
	rows, err = s.pool.Query(ctx, qu, id)
	if err != nil {
		return d, fmt.Errorf("find dependants of member %d: %w", id, err)
	}
	if d.Accounts, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return d, fmt.Errorf("find dependants of member %d: %w", id, err)
	}
	err = s.pool.QueryRow(ctx, `SELECT count(*) FROM member_contacts WHERE member_id = $1`, id).Scan(&d.Contacts)
	if err != nil {
		return d, fmt.Errorf("find dependants of member %d: %w", id, err)
	}
	return d, nil
}

// DeleteMember removes a member at version with its contacts and topic
// links; its events and accounts stay, without the member. The events lose
// their host here rather than by ON DELETE SET NULL, so that their
// LAST-MODIFIED comes from the store's clock.
func (s *Store) DeleteMember(ctx context.Context, by defus.Actor, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockMember(ctx, tx, id, version)
		if err != nil {
			return err
		}
		const unhost = `UPDATE events SET host_member_id = NULL, updated_at = $2 WHERE host_member_id = $1`
		if _, err := tx.Exec(ctx, unhost, id, s.now()); err != nil {
			return fmt.Errorf("delete member %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM members WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete member %d: %w", id, err)
		}
		if err := s.touchCalendar(ctx, tx); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionDelete,
			Entity: defus.EntityMember, EntityID: id, EntityLabel: old.Name})
	})
}
