package view

import "defus.de/portal/internal/defus"

// UsersData is the account list.
type UsersData struct {
	Users   []defus.User
	Members map[int64]string // member names by id
	Self    int64            // the logged-in user's id
}

// UserForm is the account form as typed: the account, the member as its
// id, and the password, which is never shown again.
type UserForm struct {
	defus.User
	Member   string
	Password string
}

// UserFormData is the form to create or edit an account, and on the edit
// page the forms to reset its password and to disable it.
type UserFormData struct {
	User    *defus.User    // as stored; nil when creating
	Members []defus.Member // the members an account may belong to
	Form[UserForm]
}

// fields is the account form's field list; "disable" is the button whose
// refusal (the last admin) the error summary links to.
func (d UserFormData) fields(f UserForm) Fields {
	var roles []Option
	for _, role := range defus.Roles {
		roles = append(roles, Option{Value: string(role), Label: role.Label()})
	}
	members := make([]Option, len(d.Members))
	for i, m := range d.Members {
		members[i] = Option{Value: itoa64(m.ID), Label: m.Name}
	}
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "user-name", Name: "name", Label: "Name", Value: f.Name, Required: true, Autocomplete: "off"},
		{ID: "user-email", Name: "email", Label: "E-Mail-Adresse", Type: "email", Value: f.Email, Required: true, Autocomplete: "off"},
		{ID: "user-role", Name: "role", Label: "Rolle", Value: string(f.Role), Required: true, Placeholder: "Bitte wählen", Options: roles,
			Hint: "Administration: alles einschließlich der Konten. Redaktion: Inhalte und Anfragen. Mitglied: kein Zugang zur Verwaltung."},
		{ID: "user-member", Name: "member", Label: "Mitglied", Value: f.Member, Optional: true, Placeholder: "Kein Mitglied", Options: members,
			Hint: "Für Vertreterinnen und Vertreter einer Mitgliedsstadt oder -organisation."},
		{ID: "user-password", Name: "password", Label: "Passwort", Type: "password", Optional: true, Autocomplete: "new-password",
			Hint: "Mindestens 12 Zeichen. Leer lassen, um ein sicheres Passwort erzeugen zu lassen, das einmal angezeigt wird."},
		{ID: "disable", Name: "disable", Type: TypeButton, Label: "Konto sperren"},
	}
}

// Controls lays out the account form.
func (d UserFormData) Controls() Controls { return d.Form.Controls(d.fields) }
