package defus

import "time"

// ProposalStatus is where a profile proposal stands.
type ProposalStatus string

// The states of a profile proposal.
const (
	ProposalPending   ProposalStatus = "pending"
	ProposalApproved  ProposalStatus = "approved"
	ProposalRejected  ProposalStatus = "rejected"
	ProposalWithdrawn ProposalStatus = "withdrawn"
)

// Label is the German name of the state.
func (s ProposalStatus) Label() string {
	switch s {
	case ProposalPending:
		return "Wartet auf Prüfung"
	case ProposalApproved:
		return "Übernommen"
	case ProposalRejected:
		return "Abgelehnt"
	case ProposalWithdrawn:
		return "Zurückgezogen"
	}
	return string(s)
}

// ProfileProposal is a member representative's proposal for their
// organisation's public profile: the whole proposed state of the fields a
// member may change. Nothing is public until the office approves it.
// BaseVersion is the member's version it was made against: when the
// office has changed the profile since, approving shows that instead of
// overwriting it.
type ProfileProposal struct {
	ID          int64
	MemberID    int64
	MemberName  string // filled by finds
	UserID      *int64 // nil once the account is gone
	AuthorName  string
	AuthorEmail string
	BaseVersion int
	Description string // Markdown
	Website     string
	TopicIDs    []int64
	Status      ProposalStatus
	Note        string // the office's note with its decision
	DecidedAt   *time.Time
	DecidedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}

// EntityProposal is the audit log's entity name for profile proposals.
const EntityProposal = "profile_proposal"

// The audit actions of the members' area.
const (
	ActionApprove AuditAction = "approve"
	ActionReject  AuditAction = "reject"
	ActionConfirm AuditAction = "confirm"
	ActionRemind  AuditAction = "remind"
)

// MaxProposalNote is the most characters of the office's note on a decision.
const MaxProposalNote = 2000

// Validate checks a proposal as a representative typed it; messages by
// field: description, website.
func (p *ProfileProposal) Validate() FieldErrors {
	errs := FieldErrors{}
	errs.Check("description", CheckText(p.Description, "Die Beschreibung", false, MaxBodyLen, true))
	errs.Check("website", CheckText(p.Website, "Die Website", false, MaxMemberWebsite, false))
	if p.Website != "" && !errs.Has("website") && !ValidWebURL(p.Website) {
		errs.Add("website", "Die Website-Adresse muss mit https:// oder http:// beginnen, zum Beispiel https://www.stadt-koeln.de.")
	}
	return errs
}

// ProfileReminderInterval is how long after the last confirmation a
// member's representatives are asked to confirm or update the profile.
const ProfileReminderInterval = 365 * 24 * time.Hour
