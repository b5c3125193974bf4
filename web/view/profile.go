package view

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/worddiff"
)

// ProposalForm is the profile proposal form as typed: the proposal, and
// its topics as ticked ids.
type ProposalForm struct {
	defus.ProfileProposal
	Topics []string
}

// InternProfileData is a representative's page about their own profile:
// what is public now, the open proposal, and the form to propose changes.
type InternProfileData struct {
	Member defus.Member           // as public now
	Topics []defus.Topic          // published topics to choose from
	Open   *defus.ProfileProposal // the open proposal; nil when none
	Form[ProposalForm]
}

func (d InternProfileData) fields(f ProposalForm) Fields {
	fs := Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "proposal-description", Name: "description", Label: "Beschreibung", Value: f.Description, Rows: 12, Optional: true,
			Hint: "Was Ihre Organisation zur urbanen Sicherheit beiträgt. " + markdownHint},
		{ID: "proposal-website", Name: "website", Label: "Website", Type: "url", Value: f.Website, Optional: true,
			Autocomplete: "url", Hint: "Vollständig, mit https://, zum Beispiel https://www.stadt-koeln.de."},
		{ID: "proposal-topics", Name: "topics", Type: TypeCheckboxes, Label: "Themen, an denen Sie arbeiten", Checked: f.Topics,
			Options: topicOptions(d.Topics), Optional: true},
	}
	logoHint := "PNG, JPEG oder WebP bis " + defus.FormatBytes(defus.MaxImageBytes) + ". Leer lassen, um das Logo zu behalten."
	if f.LogoName != "" {
		logoHint = "Ihr Vorschlag enthält schon ein neues Logo („" + f.LogoName + "“); eine andere Datei ersetzt es. " + logoHint
	}
	fs = append(fs, Field{ID: "proposal-logo", Name: "logo", Type: "file", Label: "Neues Logo", Optional: true,
		Accept: "image/png,image/jpeg,image/webp", Hint: logoHint})
	for i := range contactRows(f) {
		c := defus.ProposedContact{}
		if i < len(f.Contacts) {
			c = f.Contacts[i]
		}
		id := func(field string) string { return "proposal-contact-" + strconv.Itoa(i) + "-" + field }
		name := func(field string) string { return defus.ContactField(i, field) }
		n := " (Person " + strconv.Itoa(i+1) + ")"
		fs = append(fs,
			Field{Name: name("id"), Type: TypeHidden, Value: itoa64(c.ID)},
			Field{ID: id("name"), Name: name("name"), Label: "Name", Short: "Name" + n, Value: c.Name, Optional: true, Autocomplete: "off"},
			Field{ID: id("function"), Name: name("function"), Label: "Funktion", Short: "Funktion" + n, Value: c.Function, Optional: true},
			Field{ID: id("email"), Name: name("email"), Label: "E-Mail", Short: "E-Mail" + n, Type: "email", Value: c.Email, Optional: true},
			Field{ID: id("phone"), Name: name("phone"), Label: "Telefon", Short: "Telefon" + n, Type: "tel", Value: c.Phone, Optional: true},
		)
	}
	return fs
}

// contactRows is how many contact persons the form offers: those
// proposed and one empty row for a new one, at most
// defus.MaxProposedContacts.
func contactRows(f ProposalForm) int { return min(len(f.Contacts)+1, defus.MaxProposedContacts) }

// ContactRows are the indexes of the form's contact persons.
func (d InternProfileData) ContactRows() []int {
	out := make([]int, contactRows(d.Values))
	for i := range out {
		out[i] = i
	}
	return out
}

// contactFieldNames are the form field names of the i-th contact person.
func contactFieldNames(i int) (name, function, email, phone, id string) {
	return defus.ContactField(i, "name"), defus.ContactField(i, "function"), defus.ContactField(i, "email"),
		defus.ContactField(i, "phone"), defus.ContactField(i, "id")
}

func personLegend(i int) string { return "Ansprechperson " + strconv.Itoa(i+1) }

// Controls lays out the proposal form.
func (d InternProfileData) Controls() Controls { return d.Form.Controls(d.fields) }

// topicNames names the topics of ids among topics, in their order.
func topicNames(topics []defus.Topic, ids []int64) string {
	var names []string
	for _, t := range topics {
		for _, id := range ids {
			if t.ID == id {
				names = append(names, t.Title)
			}
		}
	}
	if len(names) == 0 {
		return "keine"
	}
	return strings.Join(names, ", ")
}

func proposalURL(id int64) templ.SafeURL {
	return templ.SafeURL("/intern/vorschlaege/" + strconv.FormatInt(id, 10))
}

func adminProposalURL(id int64) templ.SafeURL {
	return templ.SafeURL("/admin/profilvorschlaege/" + strconv.FormatInt(id, 10))
}

// InternProposalData is one of the representative's proposals.
type InternProposalData struct {
	Proposal defus.ProfileProposal
	Topics   []defus.Topic
}

// ProposalsAdminData is the office's list of profile proposals.
type ProposalsAdminData struct {
	Open, Decided []defus.ProfileProposal
}

// DecisionForm is the office's decision as typed.
type DecisionForm struct {
	Note          string
	Version       int // the proposal's
	MemberVersion int // the member's, as compared
}

// ProposalAdminData is one proposal as the office compares it with the
// profile as it is now.
type ProposalAdminData struct {
	Proposal defus.ProfileProposal
	Member   defus.Member // as stored now
	Topics   []defus.Topic
	Form[DecisionForm]
}

// BaseChanged reports whether the profile was changed since the proposal
// was made: the comparison is with what is stored now, not what the
// representative saw.
func (d ProposalAdminData) BaseChanged() bool { return d.Member.Version != d.Proposal.BaseVersion }

func (d ProposalAdminData) fields(f DecisionForm) Fields {
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{Name: "member_version", Type: TypeHidden, Value: itoa(f.MemberVersion)},
		{ID: "decision-note", Name: "note", Label: "Hinweis an die Person, die den Vorschlag gemacht hat", Value: f.Note, Rows: 4,
			Optional: true, Hint: "Steht in der E-Mail über Ihre Entscheidung. Bei einer Ablehnung bitte angeben, warum."},
	}
}

// Controls lays out the decision form.
func (d ProposalAdminData) Controls() Controls { return d.Form.Controls(d.fields) }

// profileDiff is one row of the comparison: a field, what is public now
// and what is proposed.
type profileDiff struct {
	Label, Now, Proposed string
	Words                []worddiff.Span // long texts: the difference word by word
	Changed              bool
}

// Diff compares the proposal field by field with the profile as stored now.
func (d ProposalAdminData) Diff() []profileDiff {
	p, m := d.Proposal, d.Member
	desc := profileDiff{Label: "Beschreibung", Now: m.Description, Proposed: p.Description, Changed: m.Description != p.Description}
	if desc.Changed {
		desc.Words = worddiff.Passages(worddiff.Diff(m.Description, p.Description), 12)
	}
	now, proposed := topicNames(d.Topics, m.TopicIDs), topicNames(d.Topics, p.TopicIDs)
	nowContacts, proposedContacts := contactLines(defus.PublicContacts(&m)), contactLines(p.Contacts)
	return []profileDiff{
		desc,
		{Label: "Website", Now: m.Website, Proposed: p.Website, Changed: m.Website != p.Website},
		{Label: "Themen", Now: now, Proposed: proposed, Changed: now != proposed},
		{Label: "Öffentliche Ansprechpersonen", Now: nowContacts, Proposed: proposedContacts, Changed: nowContacts != proposedContacts},
	}
}

// contactLines writes contact persons one a line: "Name, Funktion, E-Mail, Telefon".
func contactLines(cs []defus.ProposedContact) string {
	if len(cs) == 0 {
		return "keine"
	}
	lines := make([]string, len(cs))
	for i, c := range cs {
		var parts []string
		for _, v := range []string{c.Name, c.Function, c.Email, c.Phone} {
			if v != "" {
				parts = append(parts, v)
			}
		}
		lines[i] = strings.Join(parts, ", ")
	}
	return strings.Join(lines, "\n")
}

func proposalDate(p defus.ProfileProposal) string {
	return defus.FormatDate(p.CreatedAt) + ", " + defus.FormatTime(p.CreatedAt)
}

// ConfirmedLine is what a public profile says about its last confirmation.
func ConfirmedLine(m defus.Member) string {
	if m.ConfirmedAt == nil {
		return ""
	}
	return "Angaben zuletzt bestätigt am " + defus.FormatDate(*m.ConfirmedAt)
}
