package view

import "defus.de/portal/internal/defus"

// AssociationForm is the association form as typed: the record, and the
// founding date as text, so a date that cannot be read comes back as typed.
type AssociationForm struct {
	defus.Association
	Founded string
}

// AssociationFormData is the form for the association's own record.
type AssociationFormData struct {
	Form[AssociationForm]
}

// fields is the association form's field list.
func (d AssociationFormData) fields(f AssociationForm) Fields {
	founded := ""
	if !f.FoundedOn.IsZero() {
		founded = f.FoundedOn.Format("02.01.2006")
	}
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "association-name", Name: "name", Label: "Name des Vereins", Short: "Name", Value: f.Name, Required: true},
		{ID: "association-short_name", Name: "short_name", Label: "Kurzform", Value: f.ShortName, Required: true},
		{ID: "association-founded_on", Name: "founded_on", Label: "Gegründet am", Value: f.Founded, Shown: founded, Required: true,
			InputMode: "numeric", Hint: "Zum Beispiel 01.06.2010."},
		{ID: "association-founded_place", Name: "founded_place", Label: "Gegründet in", Value: f.FoundedPlace, Optional: true},
		{ID: "association-street", Name: "street", Label: "Straße und Hausnummer", Short: "Straße", Value: f.Street, Optional: true},
		{ID: "association-postcode", Name: "postcode", Label: "Postleitzahl", Value: f.Postcode, Optional: true,
			InputMode: "numeric", Autocomplete: "postal-code"},
		{ID: "association-city", Name: "city", Label: "Ort", Value: f.City, Optional: true},
		{ID: "association-phone", Name: "phone", Label: "Telefon", Type: "tel", Value: f.Phone, Optional: true, Autocomplete: "tel"},
		{ID: "association-email", Name: "email", Label: "E-Mail-Adresse der Geschäftsstelle", Short: "E-Mail", Type: "email",
			Value: f.Email, Required: true, Autocomplete: "email"},
	}
}

// Controls lays out the association form.
func (d AssociationFormData) Controls() Controls { return d.Form.Controls(d.fields) }
