package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// foldSQL is defus.FoldUmlauts in SQL, applied to the expression expr.
func foldSQL(expr string) string {
	return `replace(replace(replace(replace(translate(lower(` + expr + `), 'äöü', 'aou'), 'ß', 'ss'), 'ae', 'a'), 'oe', 'o'), 'ue', 'u')`
}

const networkContactColumns = `c.id, c.member_id, c.position, c.name, c.function, c.email, c.phone, c.public,
	c.updated_at, c.version, m.slug, m.short_name, m.state`

// scanNetworkContact reads networkContactColumns, and into extra what the
// query selects after them.
func scanNetworkContact(row pgx.Row, extra ...any) (defus.NetworkContact, error) {
	var c defus.NetworkContact
	err := row.Scan(append([]any{&c.ID, &c.MemberID, &c.Position, &c.Name, &c.Function, &c.Email, &c.Phone, &c.Public,
		&c.UpdatedAt, &c.Version, &c.MemberSlug, &c.MemberName, &c.MemberState}, extra...)...)
	return c, err
}

// FindNetworkContacts lists the contact persons of every published member,
// members-only ones included, for the members' directory: by member (the
// German way), then in each member's order; f.Limit of them from f.Offset
// on, and how many there are in all. The search ignores case and umlaut
// spellings.
func (s *Store) FindNetworkContacts(ctx context.Context, f defus.ContactFilter) ([]defus.NetworkContact, int, error) {
	var w where
	w.addRaw("m.published")
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(foldSQL(`c.name || ' ' || c.function || ' ' || c.email || ' ' || c.phone || ' ' || m.name || ' ' || m.short_name`)+
			` LIKE ?`, defus.LikePattern(defus.FoldUmlauts(q)))
	}
	if f.MemberID != 0 {
		w.add("m.id = ?", f.MemberID)
	}
	if f.State != "" {
		w.add("m.state = ?", f.State)
	}
	if f.TopicID != 0 {
		w.add("EXISTS (SELECT 1 FROM member_topics mt WHERE mt.member_id = m.id AND mt.topic_id = ?)", f.TopicID)
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	q := `
SELECT ` + networkContactColumns + `, count(*) OVER ()
FROM member_contacts c
JOIN members m ON m.id = c.member_id
` + w.String() + `
ORDER BY m.short_name, m.id, c.position, c.id
LIMIT ` + limit + ` OFFSET ` + fmt.Sprint(max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find network contacts: %w", err)
	}
	defer rows.Close()
	var list []defus.NetworkContact
	total := 0
	for rows.Next() {
		c, err := scanNetworkContact(rows, &total)
		if err != nil {
			return nil, 0, fmt.Errorf("find network contacts: %w", err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find network contacts: %w", err)
	}
	return list, total, nil
}

// FindNetworkContact returns one contact person of a published member, for
// the members' directory.
func (s *Store) FindNetworkContact(ctx context.Context, id int64) (*defus.NetworkContact, error) {
	const q = `
SELECT ` + networkContactColumns + `
FROM member_contacts c
JOIN members m ON m.id = c.member_id
WHERE c.id = $1 AND m.published`
	c, err := scanNetworkContact(s.pool.QueryRow(ctx, q, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find network contact %d", id))
	}
	return &c, nil
}

// FindProfileStatus returns what the start page of the members' area says
// about the member's own profile: the member, when it was last confirmed,
// its open proposal and the newest decided one.
func (s *Store) FindProfileStatus(ctx context.Context, memberID int64) (*defus.ProfileStatus, error) {
	m, err := s.FindMemberByID(ctx, memberID)
	if err != nil {
		return nil, err
	}
	st := &defus.ProfileStatus{Member: *m, ConfirmedAt: m.ConfirmedAt}
	if st.Pending, err = s.findProposal(ctx, `member_id = $1 AND status = 'pending'`, memberID); err != nil && !errors.Is(err, defus.ErrNotFound) {
		return nil, err
	}
	if st.LastDecided, err = s.findProposal(ctx, `member_id = $1 AND status IN ('approved', 'rejected') ORDER BY decided_at DESC, id DESC LIMIT 1`, memberID); err != nil && !errors.Is(err, defus.ErrNotFound) {
		return nil, err
	}
	return st, nil
}

// EraseContact deletes a contact person for good (GDPR Art. 17): like
// DeleteContact, and earlier audit entries of the contact lose its name
// and the recorded changes; the new entry records only that it was erased.
func (s *Store) EraseContact(ctx context.Context, by defus.Actor, memberID, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, _, err := s.removeContact(ctx, tx, memberID, id, version); err != nil {
			return err
		}
		const qScrub = `UPDATE audit_log SET entity_label = '', changes = '{}' WHERE entity = $1 AND entity_id = $2`
		if _, err := tx.Exec(ctx, qScrub, defus.EntityContact, id); err != nil {
			return fmt.Errorf("erase contact %d: audit: %w", id, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionErase, Entity: defus.EntityContact, EntityID: id})
	})
}

// FindContactsByEmail lists the contact persons of any member, published
// or not, with the e-mail address email in any case: for a request for
// access (GDPR Art. 15).
func (s *Store) FindContactsByEmail(ctx context.Context, email string) ([]defus.NetworkContact, error) {
	const q = `
SELECT ` + networkContactColumns + `
FROM member_contacts c
JOIN members m ON m.id = c.member_id
WHERE lower(c.email) = lower($1)
ORDER BY m.short_name, c.id`
	rows, err := s.pool.Query(ctx, q, email)
	if err != nil {
		return nil, fmt.Errorf("find contacts by e-mail: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.NetworkContact, error) { return scanNetworkContact(r) })
	if err != nil {
		return nil, fmt.Errorf("find contacts by e-mail: %w", err)
	}
	return list, nil
}

// FindProposalsByEmail lists the profile proposals made from the e-mail
// address email: for a request for access (GDPR Art. 15).
func (s *Store) FindProposalsByEmail(ctx context.Context, email string) ([]defus.ProfileProposal, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+proposalColumns+` FROM profile_proposals p JOIN members m ON m.id = p.member_id
WHERE lower(p.author_email) = lower($1) ORDER BY p.created_at, p.id`, email)
	if err != nil {
		return nil, fmt.Errorf("find proposals by e-mail: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.ProfileProposal, error) { return scanProposal(r) })
	if err != nil {
		return nil, fmt.Errorf("find proposals by e-mail: %w", err)
	}
	return list, nil
}
