package defus

import (
	"slices"
	"strconv"
	"time"
)

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
	MemberName  string // the member's short name; filled by finds
	MemberSlug  string // filled by finds
	UserID      *int64 // nil once the account is gone
	AuthorName  string
	AuthorEmail string
	BaseVersion int
	Description string // Markdown
	Website     string
	TopicIDs    []int64
	Contacts    []ProposedContact // the public contact persons as proposed
	LogoType    string            // the content type of a proposed new logo; "": none proposed
	LogoName    string
	// NewLogo is a picture uploaded with the form (bytes, name, type):
	// SaveProposal keeps it with the proposal. Logo is the proposed logo
	// decoded with its variants, which DecideProposal makes the member's
	// logo when approving.
	NewLogo   *Media
	Logo      *Media
	Status    ProposalStatus
	Note      string // the office's note with its decision
	DecidedAt *time.Time
	DecidedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
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

// ProposedContact is a public contact person as a proposal has it: ID is
// the contact it changes, 0 for a new one.
type ProposedContact struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Function string `json:"function"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
}

// ContactField names the form field of the i-th proposed contact's field
// (name, function, email, phone, id): "contact_2_name".
func ContactField(i int, field string) string { return "contact_" + strconv.Itoa(i) + "_" + field }

// MaxProposedContacts is the most public contact persons a proposal has.
const MaxProposedContacts = 10

// PublicContacts are the contacts of m that the public profile shows, as
// a proposal has them.
func PublicContacts(m *Member) []ProposedContact {
	var out []ProposedContact
	for _, c := range m.Contacts {
		if c.Public {
			out = append(out, ProposedContact{ID: c.ID, Name: c.Name, Function: c.Function, Email: c.Email, Phone: c.Phone})
		}
	}
	return out
}

// Validate checks a proposal as a representative typed it; messages by
// field: description, website, and ContactField(i, name|function|email|phone).
func (p *ProfileProposal) Validate() FieldErrors {
	errs := FieldErrors{}
	for i, c := range p.Contacts {
		contact := Contact{Name: c.Name, Function: c.Function, Email: c.Email, Phone: c.Phone}
		for field, msg := range contact.Validate() {
			errs.Add(ContactField(i, field), msg)
		}
	}
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

// ProfileMailSettings is what the mails about profiles need.
type ProfileMailSettings struct {
	Office  string // OFFICE_EMAIL: the sender
	BaseURL string // the site's address without a trailing slash
}

// ProposalDecisionMail tells the author of a proposal how the office
// decided, with the office's note.
func ProposalDecisionMail(p *ProfileProposal, s ProfileMailSettings) Mail {
	subject, what := "Ihr Änderungsvorschlag für das Profil von "+p.MemberName+" ist übernommen",
		"die Geschäftsstelle hat Ihren Änderungsvorschlag für das Profil von "+p.MemberName+" geprüft und übernommen. "+
			"Die neuen Angaben sind ab sofort öffentlich zu sehen: "+s.BaseURL+"/mitglieder/"+p.MemberSlug+"\n"
	if p.Status == ProposalRejected {
		subject = "Ihr Änderungsvorschlag für das Profil von " + p.MemberName + " wurde nicht übernommen"
		what = "die Geschäftsstelle hat Ihren Änderungsvorschlag für das Profil von " + p.MemberName + " geprüft und nicht übernommen. " +
			"Das öffentliche Profil bleibt, wie es ist.\n"
	}
	body := "Guten Tag " + p.AuthorName + ",\n\n" + what
	if p.Note != "" {
		body += "\nHinweis der Geschäftsstelle:\n" + p.Note + "\n"
	}
	body += "\nIm Mitgliederbereich sehen Sie den Stand Ihres Profils: " + s.BaseURL + "/intern\n\n" +
		"Mit freundlichen Grüßen\nIhre DEFUS-Geschäftsstelle\n" + s.BaseURL + "\n"
	return Mail{FromName: "DEFUS-Geschäftsstelle", From: s.Office, To: p.AuthorEmail, Subject: subject, Body: body}
}

// ProfileReminderMail asks a representative once a year to confirm or
// update their organisation's profile.
func ProfileReminderMail(name, email string, m *Member, s ProfileMailSettings) Mail {
	since := "noch nie bestätigt"
	if m.ConfirmedAt != nil {
		since = "zuletzt am " + FormatDate(*m.ConfirmedAt) + " bestätigt"
	}
	return Mail{FromName: "DEFUS-Geschäftsstelle", From: s.Office, To: email,
		Subject: "Bitte prüfen Sie das Profil von " + m.ShortName + " bei DEFUS",
		Body: "Guten Tag " + name + ",\n\n" +
			"die Angaben zu " + m.Name + " auf der Website von DEFUS wurden " + since + ". " +
			"Bitte prüfen Sie einmal im Jahr, ob Beschreibung, Website und Themen noch stimmen:\n" +
			s.BaseURL + "/mitglieder/" + m.Slug + "\n\n" +
			"Stimmt alles, bestätigen Sie es im Mitgliederbereich mit einem Klick auf „Angaben bestätigen“; " +
			"sonst schlagen Sie dort Ihre Änderungen vor:\n" + s.BaseURL + "/intern/profil\n\n" +
			"Mit freundlichen Grüßen\nIhre DEFUS-Geschäftsstelle\n" + s.BaseURL + "\n"}
}

// HasLogo reports whether the proposal brings a new logo.
func (p *ProfileProposal) HasLogo() bool { return p.LogoType != "" || p.NewLogo != nil }

// Same reports whether the proposal would change nothing of m's profile.
func (p *ProfileProposal) Same(m *Member) bool {
	return !p.HasLogo() && p.Description == m.Description && p.Website == m.Website && sameIDs(p.TopicIDs, m.TopicIDs) &&
		slices.Equal(p.Contacts, PublicContacts(m))
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[int64]bool{}
	for _, id := range a {
		seen[id] = true
	}
	for _, id := range b {
		if !seen[id] {
			return false
		}
	}
	return true
}
