package view

import (
	"strconv"

	"defus.de/portal/internal/defus"
)

// RegistrationBox is the registration part of an event's page: whether
// and how one can register, and where the visitor stands.
type RegistrationBox struct {
	Slug     string
	Note     string                    // the office's note on registration
	Closed   defus.RegistrationRefusal // why not, "" while registration is open
	Mode     defus.RegistrationMode
	Capacity *int
	Counts   defus.RegistrationCounts
	Member   bool   // a member representative is logged in
	Name     string // the member's name, for the one-click button
	Mine     *defus.Registration
	// Participants are the organisations shown to members where the office
	// allows ("Teilnehmende Städte"), of those who agreed.
	Participants []string
	Form[RegistrationForm]
}

// RegistrationForm is the guest's form as typed.
type RegistrationForm struct {
	Name, Email, Organisation string
	ShowOrganisation          bool
	Waitlist                  bool // the event is full: name and e-mail only
}

// Full reports whether newcomers go to the waitlist.
func (b RegistrationBox) Full() bool {
	return b.Counts.Waiting > 0 || b.Capacity != nil && b.Counts.Held() >= *b.Capacity
}

// Places says how many places are left: "Noch 3 von 20 Plätzen frei.".
func (b RegistrationBox) Places() string {
	if b.Capacity == nil {
		return ""
	}
	free := *defus.FreePlaces(b.Capacity, b.Counts)
	switch {
	case b.Full():
		return "Alle Plätze sind vergeben. Sie können sich auf die Warteliste setzen; wird ein Platz frei, fragen wir die Nächsten der Reihe nach per E-Mail."
	case free == 1:
		return "Noch 1 Platz frei."
	}
	return "Noch " + strconv.Itoa(free) + " von " + strconv.Itoa(*b.Capacity) + " Plätzen frei."
}

// Action is where the registration form posts.
func (b RegistrationBox) Action() string { return "/termine/" + b.Slug + "/anmeldung" }

// LoginURL leads members to the login and back.
func (b RegistrationBox) LoginURL() string {
	return "/admin/login?next=" + "%2Ftermine%2F" + b.Slug
}

func (b RegistrationBox) fields(f RegistrationForm) Fields {
	list := Fields{
		{ID: "registration-name", Name: "name", Label: "Name", Value: f.Name, Required: true, Autocomplete: "name"},
		{ID: "registration-email", Name: "email", Label: "E-Mail-Adresse", Type: "email", Value: f.Email, Required: true, Autocomplete: "email",
			Hint: "An diese Adresse schicken wir den Link zum Bestätigen."},
	}
	if f.Waitlist {
		list[1].Hint = "An diese Adresse schreiben wir, sobald ein Platz für Sie frei wird."
		return append(list, Field{Name: "warteliste", Type: TypeHidden, Value: "ja"})
	}
	return append(list,
		Field{ID: "registration-organisation", Name: "organisation", Label: "Organisation, Stadt oder Behörde", Value: f.Organisation,
			Required: true, Autocomplete: "organization"},
		Field{ID: "registration-show", Name: "show_organisation", Type: TypeCheckbox, Value: checked(f.ShowOrganisation),
			Label: "Meine Organisation darf Mitgliedern in der Liste „Teilnehmende Städte“ gezeigt werden (nie mein Name)."})
}

// Controls lays out the guest's form.
func (b RegistrationBox) Controls() Controls { return b.Form.Controls(b.fields) }

// RegistrationPage is the page behind a link from a registration mail, or
// the answer to what was done there.
type RegistrationPage struct {
	Event  defus.Event
	Reg    defus.Registration
	Action string // the form's path; "" shows no form
	Button string // the button's text
	Title  string
	Text   []string
	Offer  bool // ask the remaining details of a place offered
	Form[RegistrationForm]
}

func (p RegistrationPage) fields(f RegistrationForm) Fields {
	return Fields{
		{ID: "registration-organisation", Name: "organisation", Label: "Organisation, Stadt oder Behörde", Value: f.Organisation,
			Required: true, Autocomplete: "organization"},
		{ID: "registration-show", Name: "show_organisation", Type: TypeCheckbox, Value: checked(f.ShowOrganisation),
			Label: "Meine Organisation darf Mitgliedern in der Liste „Teilnehmende Städte“ gezeigt werden (nie mein Name)."},
	}
}

// Controls lays out the details asked when a place is offered.
func (p RegistrationPage) Controls() Controls { return p.Form.Controls(p.fields) }

// OfferedUntilText is when an offered place lapses, in German.
func OfferedUntilText(r defus.Registration) string {
	if r.OfferedUntil == nil {
		return ""
	}
	return defus.FormatDate(*r.OfferedUntil) + ", " + defus.FormatTime(*r.OfferedUntil)
}
