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
func (d SetPasswordData) Controls() Controls {
	return d.Form.Controls(func(f PasswordForm) Fields { return passwordFields(f) })
}

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

// PasswordChangeForm is the form to change one's own password.
type PasswordChangeForm struct {
	Current string // never shown again
	PasswordForm
}

// EmailChangeForm is the form to change one's own address.
type EmailChangeForm struct {
	Email    string
	Password string // never shown again
}

// AccountData is the own account's page: the address, the password, the
// sessions and (for staff) the second factor.
type AccountData struct {
	User     *defus.User
	Sessions []defus.Session
	Current  []byte // the hash of this session
	Password Form[PasswordChangeForm]
	Email    Form[EmailChangeForm]
	TOTPOff  string // the message at the password of the form that switches the second factor off
	Required bool   // the second factor is required for this account
}

func passwordChangeFields(f PasswordChangeForm) Fields {
	return append(Fields{
		{ID: "current-password", Name: "current_password", Label: "Bisheriges Passwort", Type: "password", Required: true, Autocomplete: "current-password"},
	}, passwordFields(f.PasswordForm)...)
}

func emailChangeFields(f EmailChangeForm) Fields {
	return Fields{
		{ID: "new-email", Name: "email", Label: "Neue E-Mail-Adresse", Type: "email", Value: f.Email, Required: true, Autocomplete: "email",
			Hint: "Dorthin schicken wir einen Link zur Bestätigung. Bis Sie ihn öffnen, gilt die bisherige Adresse."},
		{ID: "email-password", Name: "email_password", Label: "Ihr Passwort", Type: "password", Required: true, Autocomplete: "current-password",
			Hint: "Zur Sicherheit, damit niemand an einem offenen Gerät Ihre Adresse ändert."},
	}
}

// PasswordControls lays out the password form.
func (d AccountData) PasswordControls() Controls { return d.Password.Controls(passwordChangeFields) }

// EmailControls lays out the address form.
func (d AccountData) EmailControls() Controls { return d.Email.Controls(emailChangeFields) }

// sessionID names a session in a form: the hex of its hash.
func sessionID(s defus.Session) string { return fmt.Sprintf("%x", s.Hash) }

// EmailConfirmData is the page behind a confirmation link.
type EmailConfirmData struct {
	Action   string
	Name     string
	NewEmail string
	Error    string // the address was taken meanwhile
}

// TOTPSetupData is the page that sets up the second factor: the QR code,
// the secret to type in instead, and the field for the first code.
type TOTPSetupData struct {
	QR       string // SVG, drawn by the server
	Secret   string // the secret in groups, for typing into an app
	Required bool   // the setting requires it for this account
	Code     Field
}

// TOTPCodeField is the field for a code from the app.
func TOTPCodeField(id, errMsg string) Field {
	return Field{ID: id, Name: "code", Label: "Code aus der App", Required: true, Autocomplete: "one-time-code",
		InputMode: "numeric", Error: errMsg, Hint: "Die sechs Ziffern, die die App gerade anzeigt."}
}

// RecoveryCodesData shows the new recovery codes once.
type RecoveryCodesData struct {
	Codes []string
	Next  string // where to go on
}

// LoginCodeData is the second step of the login.
type LoginCodeData struct {
	Error   string
	Limited bool
}

// LoginCodeField is the login's field for a code from the app or a
// recovery code.
func (d LoginCodeData) Field() Field {
	return Field{ID: "login-code", Name: "code", Label: "Code aus der App oder Wiederherstellungscode", Required: true,
		Autocomplete: "one-time-code", Error: d.Error,
		Hint: "Sechs Ziffern aus Ihrer Authenticator-App. Ohne Telefon: einer Ihrer Wiederherstellungscodes (z. B. abcd-efgh-jk); jeder gilt nur einmal."}
}

// totpOffField is the password field of the form that switches the
// second factor off.
func totpOffField(errMsg string) Field {
	return Field{ID: "totp-password", Name: "totp_password", Label: "Ihr Passwort", Type: "password", Required: true,
		Autocomplete: "current-password", Error: errMsg}
}

// UserEraseData is the question before an account is erased.
type UserEraseData struct {
	User  *defus.User
	Error string // why it cannot be erased
}

// areaHome is where the header's brand leads: members to their area,
// everybody else to the administration.
func areaHome(u *defus.User) string {
	if u != nil && u.Role == defus.RoleMember {
		return "/intern"
	}
	return "/admin"
}

// areaName names the area in the header.
func areaName(u *defus.User) string {
	if u != nil && u.Role == defus.RoleMember {
		return "Mitgliederbereich"
	}
	return "Verwaltung"
}
