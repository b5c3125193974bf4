package view

import "defus.de/portal/internal/defus"

// AssociationForm is the association form as typed: the record, and the
// founding date as text, so a date that cannot be read comes back as typed.
// Its Logo is the logo the form would save: the stored one, a new upload,
// or none when RemoveLogo is ticked. A file input cannot be filled again,
// so after an error a new upload is asked for again.
type AssociationForm struct {
	defus.Association
	Founded    string
	RemoveLogo bool
}

// AssociationFormData is the form for the association's own record.
type AssociationFormData struct {
	Form[AssociationForm]
	Stored *defus.Media // the logo as stored now, shown above the choices; nil: none
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
		// The conflict table compares the logo by this field (file inputs
		// have no value to compare).
		{ID: "association-logo_remove", Name: "logo_remove", Type: TypeCheckbox, Label: "Logo entfernen (oben links steht dann wieder das „D“)",
			Short: "Logo", Value: checked(f.RemoveLogo), Shown: logoName(f.Logo)},
		{ID: "association-logo", Name: "logo", Type: "file", Label: "Neues Logo", Optional: true,
			Accept: "image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp",
			Hint: "PNG, JPEG oder WebP bis " + defus.FormatBytes(defus.MaxImageBytes) + ", am besten quer oder quadratisch mit transparentem " +
				"oder weißem Hintergrund. Es ersetzt das „D“ oben links und wird zum Symbol im Browser-Tab."},
	}
}

// logoName names a logo in the conflict table.
func logoName(m *defus.Media) string {
	if m == nil {
		return "kein Logo"
	}
	return m.Name
}

// Controls lays out the association form.
func (d AssociationFormData) Controls() Controls { return d.Form.Controls(d.fields) }
