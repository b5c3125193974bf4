package view

import (
	"strconv"

	"defus.de/portal/internal/defus"
)

// MembersAdminData is the office's list of members.
type MembersAdminData struct {
	Filter  ListFilterData
	Members []defus.Member
	Paging  Paging
}

// MemberFormData is the form for a new or existing member; on the edit page
// it also lists the member's contact persons.
type MemberFormData struct {
	Member         *defus.Member // the stored member, nil for a new one
	Version        int
	Name           Field
	ShortName      Field
	Slug           Field
	Kind           Field
	State          Field
	Population     Field
	PopulationYear Field
	MemberSince    Field
	Lat            Field
	Lon            Field
	Website        Field
	Description    Field
	Logo           Field
	LogoFile       Field       // a new logo to upload
	Map            LocationMap // where a click sets the coordinates
	SlugBase       string      // the profile's address up to the slug
	SlugShown      string      // the slug the profile gets
	Published      Field
	Topics         CheckboxGroup
	Errors         []ErrorLink
	Conflict       []ConflictField
}

// Action is where the form posts.
func (d MemberFormData) Action() string {
	if d.Member == nil {
		return "/admin/mitglieder"
	}
	return memberAdminURL(d.Member.ID)
}

// ContactFormData is the form for a new or existing contact person of a member.
type ContactFormData struct {
	Member   defus.Member
	Contact  *defus.Contact // nil for a new contact
	Version  int
	Name     Field
	Function Field
	Email    Field
	Phone    Field
	Public   Field
	Errors   []ErrorLink
	Conflict []ConflictField
}

// Action is where the form posts.
func (d ContactFormData) Action() string {
	if d.Contact == nil {
		return memberAdminURL(d.Member.ID) + "/ansprechpersonen"
	}
	return contactAdminURL(d.Member.ID, d.Contact.ID, "")
}

func memberAdminURL(id int64) string { return "/admin/mitglieder/" + strconv.FormatInt(id, 10) }

func contactAdminURL(memberID, id int64, suffix string) string {
	return memberAdminURL(memberID) + "/ansprechpersonen/" + strconv.FormatInt(id, 10) + suffix
}

// contactAudience says who sees a contact person.
func contactAudience(c defus.Contact) string {
	if c.Public {
		return "öffentlich"
	}
	return "nur für Mitglieder"
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// slugOrEllipsis is the slug, or "…" while there is none yet.
func slugOrEllipsis(slug string) string {
	if slug == "" {
		return "…"
	}
	return slug
}
