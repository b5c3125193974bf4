package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/postgres"
)

const proposalColumns = `p.id, p.member_id, m.short_name, m.slug, p.user_id, p.author_name, p.author_email, p.base_version,
	p.description, p.website, p.topic_ids, p.contacts, p.logo_type, p.logo_name, p.status, p.note, p.decided_at, p.decided_by,
	p.created_at, p.updated_at, p.version`

func scanProposal(row pgx.Row) (defus.ProfileProposal, error) {
	var p defus.ProfileProposal
	err := row.Scan(&p.ID, &p.MemberID, &p.MemberName, &p.MemberSlug, &p.UserID, &p.AuthorName, &p.AuthorEmail, &p.BaseVersion,
		&p.Description, &p.Website, &p.TopicIDs, &p.Contacts, &p.LogoType, &p.LogoName, &p.Status, &p.Note, &p.DecidedAt, &p.DecidedBy,
		&p.CreatedAt, &p.UpdatedAt, &p.Version)
	return p, err
}

// findProposal returns the first proposal matching cond (a condition on p,
// with an optional ORDER BY and LIMIT) with args.
func findProposal(ctx context.Context, db queryRower, cond string, args ...any) (*defus.ProfileProposal, error) {
	q := `SELECT ` + proposalColumns + ` FROM profile_proposals p JOIN members m ON m.id = p.member_id WHERE ` + cond
	p, err := scanProposal(db.QueryRow(ctx, q, args...))
	if err != nil {
		return nil, notFound(err, "find profile proposal")
	}
	return &p, nil
}

func (s *Store) findProposal(ctx context.Context, cond string, args ...any) (*defus.ProfileProposal, error) {
	return findProposal(ctx, s.pool, "p."+cond, args...)
}

// FindProposal returns one profile proposal.
func (s *Store) FindProposal(ctx context.Context, id int64) (*defus.ProfileProposal, error) {
	p, err := s.findProposal(ctx, `id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("proposal %d: %w", id, err)
	}
	return p, nil
}

// FindProposalLogo returns the logo a proposal brings: its bytes, type
// and name. A proposal without one is not found.
func (s *Store) FindProposalLogo(ctx context.Context, id int64) (*defus.Media, error) {
	const q = `SELECT logo_data, logo_type, logo_name FROM profile_proposals WHERE id = $1 AND logo_type <> ''`
	m := &defus.Media{}
	if err := s.pool.QueryRow(ctx, q, id).Scan(&m.Data, &m.ContentType, &m.Name); err != nil {
		return nil, notFound(err, fmt.Sprintf("logo of proposal %d", id))
	}
	return m, nil
}

// FindProposals lists the open proposals, oldest first, then the 50
// newest decided or withdrawn ones.
func (s *Store) FindProposals(ctx context.Context) (open, decided []defus.ProfileProposal, err error) {
	list := func(cond string) ([]defus.ProfileProposal, error) {
		rows, err := s.pool.Query(ctx, `SELECT `+proposalColumns+` FROM profile_proposals p JOIN members m ON m.id = p.member_id WHERE `+cond)
		if err != nil {
			return nil, fmt.Errorf("find proposals: %w", err)
		}
		return pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.ProfileProposal, error) { return scanProposal(r) })
	}
	if open, err = list(`p.status = 'pending' ORDER BY p.created_at, p.id`); err != nil {
		return nil, nil, err
	}
	decided, err = list(`p.status <> 'pending' ORDER BY p.updated_at DESC, p.id DESC LIMIT 50`)
	return open, decided, err
}

// proposalChanges lists what a proposal's save changed, for the audit log.
func proposalChanges(ctx context.Context, tx pgx.Tx, old, p *defus.ProfileProposal) (defus.Changes, error) {
	c := defus.Changes{}
	c.Set("description", old.Description, p.Description)
	c.Set("website", old.Website, p.Website)
	before, err := topicTitles(ctx, tx, old.TopicIDs)
	if err != nil {
		return nil, err
	}
	after, err := topicTitles(ctx, tx, p.TopicIDs)
	if err != nil {
		return nil, err
	}
	c.Set("topics", before, after)
	c.Set("contacts", contactNames(old.Contacts), contactNames(p.Contacts))
	if p.NewLogo != nil {
		c.Set("logo_media_id", nil, "neues Logo: "+p.NewLogo.Name)
	}
	return c, nil
}

// contactNames names proposed contacts for the audit log: names only, as
// for contacts themselves (e-mail and phone are not recorded).
func contactNames(cs []defus.ProposedContact) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// SaveProposal stores a representative's proposal for their member
// (p.MemberID): a new one when p.ID is 0, else the open one at p.Version.
// There is one open proposal per member: a new one while another is open,
// or a save against a version someone else has changed, gives
// defus.ErrConflict and the open proposal as it is now. BaseVersion is the
// member's version now.
func (s *Store) SaveProposal(ctx context.Context, by defus.Actor, p *defus.ProfileProposal) (current *defus.ProfileProposal, err error) {
	const qInsert = `
INSERT INTO profile_proposals (member_id, user_id, author_name, author_email, base_version, description, website,
                               topic_ids, contacts, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
RETURNING id, status, created_at, updated_at, version`
	const qUpdate = `
UPDATE profile_proposals
SET user_id = $2, author_name = $3, author_email = $4, base_version = $5, description = $6, website = $7,
    topic_ids = $8, contacts = $9, updated_at = $10, version = version + 1
WHERE id = $1
RETURNING status, created_at, updated_at, version`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var member string
		if err := tx.QueryRow(ctx, `SELECT short_name, version FROM members WHERE id = $1 FOR SHARE`, p.MemberID).
			Scan(&member, &p.BaseVersion); err != nil {
			return notFound(err, fmt.Sprintf("member %d", p.MemberID))
		}
		p.MemberName = member
		if p.TopicIDs == nil {
			p.TopicIDs = []int64{}
		}
		old := &defus.ProfileProposal{}
		if p.Contacts == nil {
			p.Contacts = []defus.ProposedContact{}
		}
		args := []any{nullID(by.ID), by.Name, by.Email, p.BaseVersion, p.Description, p.Website, p.TopicIDs, p.Contacts, s.now()}
		action := defus.ActionCreate
		if p.ID == 0 {
			open, err := findProposal(ctx, tx, `p.member_id = $1 AND p.status = 'pending'`, p.MemberID)
			if err == nil {
				current = open
				return fmt.Errorf("a proposal for member %d is open: %w", p.MemberID, defus.ErrConflict)
			}
			if !errors.Is(err, defus.ErrNotFound) {
				return err
			}
			err = tx.QueryRow(ctx, qInsert, append([]any{p.MemberID}, args...)...).Scan(&p.ID, &p.Status, &p.CreatedAt, &p.UpdatedAt, &p.Version)
			if _, taken := postgres.IsUniqueViolation(err); taken { // made at the same moment
				return fmt.Errorf("a proposal for member %d is open: %w", p.MemberID, defus.ErrConflict)
			}
			if err != nil {
				return fmt.Errorf("create proposal: %w", err)
			}
		} else {
			action = defus.ActionUpdate
			if old, err = findProposal(ctx, tx, `p.id = $1 AND p.member_id = $2 FOR UPDATE OF p`, p.ID, p.MemberID); err != nil {
				return err
			}
			if old.Status != defus.ProposalPending || old.Version != p.Version {
				current = old
				return fmt.Errorf("proposal %d: %w", p.ID, defus.ErrConflict)
			}
			if err := tx.QueryRow(ctx, qUpdate, append([]any{p.ID}, args...)...).Scan(&p.Status, &p.CreatedAt, &p.UpdatedAt, &p.Version); err != nil {
				return fmt.Errorf("update proposal %d: %w", p.ID, err)
			}
			p.LogoType, p.LogoName = old.LogoType, old.LogoName
		}
		if p.NewLogo != nil { // a new picture; without one an open proposal keeps its own
			const qLogo = `UPDATE profile_proposals SET logo_data = $2, logo_type = $3, logo_name = $4 WHERE id = $1`
			if _, err := tx.Exec(ctx, qLogo, p.ID, p.NewLogo.Data, p.NewLogo.ContentType, p.NewLogo.Name); err != nil {
				return fmt.Errorf("proposal %d logo: %w", p.ID, err)
			}
			p.LogoType, p.LogoName = p.NewLogo.ContentType, p.NewLogo.Name
		}
		changes, err := proposalChanges(ctx, tx, old, p)
		if err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: action, Entity: defus.EntityProposal,
			EntityID: p.ID, EntityLabel: member, Changes: changes})
	})
	if errors.Is(err, defus.ErrConflict) && current == nil {
		current, _ = s.findProposal(ctx, `member_id = $1 AND status = 'pending'`, p.MemberID)
	}
	return current, err
}

// lockOpenProposal reads an open proposal for change; another version, or
// a proposal no longer open, gives defus.ErrConflict.
func lockOpenProposal(ctx context.Context, tx pgx.Tx, id int64, version int) (*defus.ProfileProposal, error) {
	p, err := findProposal(ctx, tx, `p.id = $1 FOR UPDATE OF p`, id)
	if err != nil {
		return nil, err
	}
	if p.Status != defus.ProposalPending || p.Version != version {
		return p, fmt.Errorf("proposal %d: %w", id, defus.ErrConflict)
	}
	return p, nil
}

// WithdrawProposal withdraws the open proposal id of member memberID.
func (s *Store) WithdrawProposal(ctx context.Context, by defus.Actor, memberID, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		p, err := lockOpenProposal(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if p.MemberID != memberID {
			return fmt.Errorf("proposal %d of another member: %w", id, defus.ErrNotFound)
		}
		const q = `UPDATE profile_proposals SET status = 'withdrawn', updated_at = $2, version = version + 1 WHERE id = $1`
		if _, err := tx.Exec(ctx, q, id, s.now()); err != nil {
			return fmt.Errorf("withdraw proposal %d: %w", id, err)
		}
		changes := defus.Changes{}
		changes.Set("status", string(defus.ProposalPending), string(defus.ProposalWithdrawn))
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionStatusChange, Entity: defus.EntityProposal,
			EntityID: id, EntityLabel: p.MemberName, Changes: changes})
	})
}

// ProfileDecision is the office's decision on a proposal.
type ProfileDecision struct {
	ProposalID      int64
	ProposalVersion int
	MemberVersion   int  // the member's version the office compared against
	Approve         bool // else reject
	Note            string
	Mail            defus.ProfileMailSettings
	Logo            *defus.Media // the proposal's logo, decoded with its variants; nil: it brings none
}

// DecideProposal approves or rejects an open proposal and queues the mail
// to its author, in one transaction. Approving writes the proposal's
// fields to the member and marks the profile confirmed; when the member
// changed since the office looked (MemberVersion), nothing is written and
// the answer is defus.ErrConflict, so nobody's change is overwritten
// without being seen. The proposal is returned as decided.
func (s *Store) DecideProposal(ctx context.Context, by defus.Actor, d ProfileDecision) (*defus.ProfileProposal, error) {
	var p *defus.ProfileProposal
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if p, err = lockOpenProposal(ctx, tx, d.ProposalID, d.ProposalVersion); err != nil {
			return err
		}
		now := s.now()
		p.Status, p.Note, p.DecidedAt, p.DecidedBy = defus.ProposalRejected, d.Note, &now, by.Name
		action := defus.ActionReject
		if d.Approve {
			p.Status, action, p.Logo = defus.ProposalApproved, defus.ActionApprove, d.Logo
			if err := s.applyProposal(ctx, tx, by, p, d.MemberVersion); err != nil {
				return err
			}
		}
		const q = `
UPDATE profile_proposals SET status = $2, note = $3, decided_at = $4, decided_by = $5, updated_at = $4, version = version + 1
WHERE id = $1 RETURNING version`
		if err := tx.QueryRow(ctx, q, p.ID, p.Status, p.Note, now, by.Name).Scan(&p.Version); err != nil {
			return fmt.Errorf("decide proposal %d: %w", p.ID, err)
		}
		if p.AuthorEmail != "" {
			m := defus.ProposalDecisionMail(p, d.Mail)
			if err := createMail(ctx, tx, &m, now); err != nil {
				return err
			}
		}
		changes := defus.Changes{}
		changes.Set("status", string(defus.ProposalPending), string(p.Status))
		changes.Set("decision_note", "", p.Note)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: action, Entity: defus.EntityProposal,
			EntityID: p.ID, EntityLabel: p.MemberName, Changes: changes})
	})
	if err != nil {
		return p, fmt.Errorf("decide proposal %d: %w", d.ProposalID, err)
	}
	return p, nil
}

// applyProposal writes an approved proposal to its member, if the member
// is still at memberVersion, and records the change as the member's.
func (s *Store) applyProposal(ctx context.Context, tx pgx.Tx, by defus.Actor, p *defus.ProfileProposal, memberVersion int) error {
	old, err := lockMember(ctx, tx, p.MemberID, memberVersion)
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT topic_id FROM member_topics WHERE member_id = $1`, p.MemberID)
	if err != nil {
		return fmt.Errorf("topics of member %d: %w", p.MemberID, err)
	}
	if old.TopicIDs, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return fmt.Errorf("topics of member %d: %w", p.MemberID, err)
	}
	m := old
	m.Description, m.Website, m.TopicIDs = p.Description, p.Website, p.TopicIDs
	if p.Logo != nil { // the proposed picture joins the media library as the logo
		if err := s.createMedia(ctx, tx, by, p.Logo); err != nil {
			return err
		}
		m.LogoMediaID = &p.Logo.ID
	}
	const q = `
UPDATE members SET description = $2, website = $3, logo_media_id = $5, confirmed_at = $4, updated_at = $4, version = version + 1
WHERE id = $1`
	if _, err := tx.Exec(ctx, q, p.MemberID, p.Description, p.Website, s.now(), m.LogoMediaID); err != nil {
		return fmt.Errorf("apply proposal %d: %w", p.ID, err)
	}
	if err := setMemberTopics(ctx, tx, p.MemberID, p.TopicIDs); err != nil {
		return err
	}
	if err := s.applyProposedContacts(ctx, tx, by, p); err != nil {
		return err
	}
	changes, err := memberChanges(ctx, tx, &old, &m)
	if err != nil {
		return err
	}
	changes.Set("proposal", nil, p.ID)
	return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate, Entity: defus.EntityMember,
		EntityID: p.MemberID, EntityLabel: old.ShortName, Changes: changes})
}

// ConfirmProfile records that the member's profile is right as it is:
// "Angaben zuletzt bestätigt am …". The member's version stays, so no
// open form of the office goes stale.
func (s *Store) ConfirmProfile(ctx context.Context, by defus.Actor, memberID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var name string
		const q = `UPDATE members SET confirmed_at = $2, updated_at = $2 WHERE id = $1 RETURNING short_name`
		if err := tx.QueryRow(ctx, q, memberID, s.now()).Scan(&name); err != nil {
			return notFound(err, fmt.Sprintf("confirm member %d", memberID))
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionConfirm, Entity: defus.EntityMember,
			EntityID: memberID, EntityLabel: name})
	})
}

// SendProfileReminders queues the yearly reminder to the active
// representatives of every published member whose profile was confirmed
// (or, never confirmed, created) more than defus.ProfileReminderInterval
// before now and who were not reminded within that time. It returns how
// many members were reminded. Each member is its own transaction.
func (s *Store) SendProfileReminders(ctx context.Context, now time.Time, ms defus.ProfileMailSettings) (int, error) {
	const qDue = `
SELECT m.id FROM members m
WHERE m.published
  AND coalesce(m.confirmed_at, m.created_at) <= $1
  AND (m.reminded_at IS NULL OR m.reminded_at <= $1)
  AND EXISTS (SELECT 1 FROM users u WHERE u.member_id = m.id AND u.role = 'member' AND u.disabled_at IS NULL)
ORDER BY m.id`
	rows, err := s.pool.Query(ctx, qDue, now.Add(-defus.ProfileReminderInterval))
	if err != nil {
		return 0, fmt.Errorf("due reminders: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, fmt.Errorf("due reminders: %w", err)
	}
	n := 0
	for _, id := range ids {
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			// Claim the member: another instance running the job at the
			// same time finds it reminded and sends nothing.
			const qClaim = `
UPDATE members m SET reminded_at = $2
WHERE m.id = $1 AND (m.reminded_at IS NULL OR m.reminded_at <= $3)
RETURNING ` + memberColumns
			m, err := scanMember(tx.QueryRow(ctx, qClaim, id, now, now.Add(-defus.ProfileReminderInterval)))
			if err != nil {
				return err
			}
			reps, err := tx.Query(ctx, `SELECT name, email FROM users WHERE member_id = $1 AND role = 'member' AND disabled_at IS NULL ORDER BY id`, id)
			if err != nil {
				return err
			}
			type rep struct{ name, email string }
			list, err := pgx.CollectRows(reps, func(r pgx.CollectableRow) (rep, error) {
				var x rep
				return x, r.Scan(&x.name, &x.email)
			})
			if err != nil {
				return err
			}
			for _, r := range list {
				mail := defus.ProfileReminderMail(r.name, r.email, &m, ms)
				if err := createMail(ctx, tx, &mail, now); err != nil {
					return err
				}
			}
			return s.auditTx(ctx, tx, defus.AuditEntry{Action: defus.ActionRemind, Entity: defus.EntityMember,
				EntityID: id, EntityLabel: m.ShortName})
		})
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			continue // reminded meanwhile by another instance
		case err != nil:
			return n, fmt.Errorf("remind member %d: %w", id, err)
		}
		n++
	}
	return n, nil
}

// ProposalRetention is how long a decided or withdrawn proposal is kept.
const ProposalRetention = 2 * 365 * 24 * time.Hour

// DeleteOldProposals deletes the proposals decided or withdrawn more than
// ProposalRetention before now, and returns how many.
func (s *Store) DeleteOldProposals(ctx context.Context, now time.Time) (int64, error) {
	const q = `DELETE FROM profile_proposals WHERE status <> 'pending' AND updated_at <= $1`
	tag, err := s.pool.Exec(ctx, q, now.Add(-ProposalRetention))
	if err != nil {
		return 0, fmt.Errorf("delete old proposals: %w", err)
	}
	return tag.RowsAffected(), nil
}

// applyProposedContacts makes the member's public contacts those of the
// proposal: proposed ones with the id of a public contact change it, new
// ones are added at the end, public ones the proposal leaves out are
// deleted. Members-only contacts stay as they are. Each change is recorded
// like the office's.
func (s *Store) applyProposedContacts(ctx context.Context, tx pgx.Tx, by defus.Actor, p *defus.ProfileProposal) error {
	rows, err := tx.Query(ctx, `SELECT `+contactColumns+` FROM member_contacts WHERE member_id = $1 AND public FOR UPDATE`, p.MemberID)
	if err != nil {
		return fmt.Errorf("public contacts: %w", err)
	}
	current, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Contact, error) { return scanContact(r) })
	if err != nil {
		return fmt.Errorf("public contacts: %w", err)
	}
	kept := map[int64]bool{}
	entry := func(action defus.AuditAction, id int64, name string, changes defus.Changes) error {
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: action, Entity: defus.EntityContact,
			EntityID: id, EntityLabel: contactLabel(name, p.MemberName), Changes: changes})
	}
	for _, pc := range p.Contacts {
		c := defus.Contact{MemberID: p.MemberID, Name: pc.Name, Function: pc.Function, Email: pc.Email, Phone: pc.Phone, Public: true}
		i := slices.IndexFunc(current, func(x defus.Contact) bool { return x.ID == pc.ID })
		if i < 0 {
			const q = `
INSERT INTO member_contacts (member_id, position, name, function, email, phone, public, created_at, updated_at)
SELECT $1, COALESCE(max(position), 0) + 1, $2, $3, $4, $5, true, $6, $6 FROM member_contacts WHERE member_id = $1
RETURNING id`
			if err := tx.QueryRow(ctx, q, p.MemberID, c.Name, c.Function, c.Email, c.Phone, s.now()).Scan(&c.ID); err != nil {
				return fmt.Errorf("add proposed contact: %w", err)
			}
			if err := entry(defus.ActionCreate, c.ID, c.Name, contactChanges(&defus.Contact{}, &c)); err != nil {
				return err
			}
			continue
		}
		old := current[i]
		kept[old.ID] = true
		c.ID = old.ID
		changes := contactChanges(&old, &c)
		if len(changes) == 0 {
			continue
		}
		const q = `UPDATE member_contacts SET name = $2, function = $3, email = $4, phone = $5, updated_at = $6, version = version + 1 WHERE id = $1`
		if _, err := tx.Exec(ctx, q, c.ID, c.Name, c.Function, c.Email, c.Phone, s.now()); err != nil {
			return fmt.Errorf("change proposed contact %d: %w", c.ID, err)
		}
		if err := entry(defus.ActionUpdate, c.ID, c.Name, changes); err != nil {
			return err
		}
	}
	for _, old := range current {
		if kept[old.ID] {
			continue
		}
		if _, err := tx.Exec(ctx, `DELETE FROM member_contacts WHERE id = $1`, old.ID); err != nil {
			return fmt.Errorf("remove contact %d: %w", old.ID, err)
		}
		if err := entry(defus.ActionDelete, old.ID, old.Name, nil); err != nil {
			return err
		}
	}
	ids, err := contactIDs(ctx, tx, p.MemberID)
	if err != nil {
		return err
	}
	return s.renumberContacts(ctx, tx, ids)
}
