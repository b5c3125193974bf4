package view

import (
	"fmt"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
)

// Accounts for everybody: invitations, links sent by mail, the own
// account.

// InviteForm is the invitation form as typed.
type InviteForm struct {
	Name, Email, Member string
}

// InviteData is the form that invites a member's representative.
type InviteData struct {
	Members []defus.Member // the members to choose from
	Form[InviteForm]
}

func (d InviteData) fields(f InviteForm) Fields {
	members := make([]Option, len(d.Members))
	for i, m := range d.Members {
		members[i] = Option{Value: itoa64(m.ID), Label: m.Name}
	}
	return Fields{
		{ID: "invite-name", Name: "name", Label: "Name", Value: f.Name, Required: true, Autocomplete: "off"},
		{ID: "invite-email", Name: "email", Label: "E-Mail-Adresse", Type: "email", Value: f.Email, Required: true, Autocomplete: "off",
			Hint: "Dorthin geht die Einladung; mit dieser Adresse meldet sich die Person später an."},
		{ID: "invite-member", Name: "member", Label: "Mitglied", Value: f.Member, Required: true, Placeholder: "Bitte wählen", Options: members,
			Hint: "Das Konto gehört zu diesem Mitglied und sieht im Mitgliederbereich dessen Profil."},
	}
}

// Controls lays out the invitation form.
func (d InviteData) Controls() Controls { return d.Form.Controls(d.fields) }

// PasswordForm is a new password, typed twice.
type PasswordForm struct {
	Password, Repeat string
}

// SetPasswordData is the page behind an invitation or reset link: the
// account's name and address, and the new password.
type SetPasswordData struct {
	Purpose defus.TokenPurpose
	Action  string // where the form posts: the link itself
	Name    string
	Email   string
	Form[PasswordForm]
}

func passwordFields(f PasswordForm) Fields {
	return Fields{
		{ID: "new-password", Name: "password", Label: "Neues Passwort", Type: "password", Required: true, Autocomplete: "new-password",
			Hint: fmt.Sprintf("Mindestens %d Zeichen. Ein Satz aus mehreren Wörtern ist gut zu merken und schwer zu erraten.", defus.MinPasswordLen)},
		{ID: "new-password-repeat", Name: "password_repeat", Label: "Neues Passwort wiederholen", Type: "password", Required: true, Autocomplete: "new-password"},
	}
}

// Controls lays out the password form.
func (d SetPasswordData) Controls() Controls { return d.Form.Controls(func(f PasswordForm) Fields { return passwordFields(f) }) }

// LinkInvalidData is the page for a link that does not work (any more).
type LinkInvalidData struct {
	Purpose defus.TokenPurpose
	Office  string // the office's e-mail address
}

func userActionURL(id int64, action string) templ.SafeURL {
	return templ.SafeURL(fmt.Sprintf("/admin/benutzer/%d/%s", id, action))
}

// inviteContactURL is the invitation form filled with contact cid of
// member id.
func inviteContactURL(id, cid int64) templ.SafeURL {
	return templ.SafeURL(fmt.Sprintf("/admin/benutzer/einladen?mitglied=%d&kontakt=%d", id, cid))
}

// ForgotData is the "Passwort vergessen" form, and after sending it the
// same answer for every address.
type ForgotData struct {
	Sent    bool
	Email   string
	Error   string // the field's message
	Limited string // too many requests: how long to wait, in words
}

// forgotField is the form's one field.
func (d ForgotData) Field() Field {
	return Field{ID: "forgot-email", Name: "email", Label: "E-Mail-Adresse", Type: "email", Value: d.Email,
		Required: true, Autocomplete: "username", Error: d.Error,
		Hint: "Die Adresse, mit der Sie sich anmelden."}
}
