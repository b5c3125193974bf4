package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

const proposalColumns = `p.id, p.member_id, m.short_name, p.user_id, p.author_name, p.author_email, p.base_version,
	p.description, p.website, p.topic_ids, p.status, p.note, p.decided_at, p.decided_by,
	p.created_at, p.updated_at, p.version`

func scanProposal(row pgx.Row) (defus.ProfileProposal, error) {
	var p defus.ProfileProposal
	err := row.Scan(&p.ID, &p.MemberID, &p.MemberName, &p.UserID, &p.AuthorName, &p.AuthorEmail, &p.BaseVersion,
		&p.Description, &p.Website, &p.TopicIDs, &p.Status, &p.Note, &p.DecidedAt, &p.DecidedBy,
		&p.CreatedAt, &p.UpdatedAt, &p.Version)
	return p, err
}

// findProposal returns the first proposal matching cond (a WHERE clause on
// p, with an optional ORDER BY and LIMIT) with args.
func (s *Store) findProposal(ctx context.Context, cond string, args ...any) (*defus.ProfileProposal, error) {
	q := `SELECT ` + proposalColumns + ` FROM profile_proposals p JOIN members m ON m.id = p.member_id WHERE p.` + cond
	p, err := scanProposal(s.pool.QueryRow(ctx, q, args...))
	if err != nil {
		return nil, notFound(err, "find profile proposal")
	}
	return &p, nil
}

// FindProposal returns one profile proposal.
func (s *Store) FindProposal(ctx context.Context, id int64) (*defus.ProfileProposal, error) {
	p, err := s.findProposal(ctx, `id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("proposal %d: %w", id, err)
	}
	return p, nil
}
