package view

import (
	"strconv"

	"defus.de/portal/internal/defus"
)

// EnquiryForm holds what was typed into the membership enquiry form, as
// strings so that everything can be shown again after an error.
type EnquiryForm struct {
	Organisation string
	Kind         string
	State        string
	ContactName  string
	Function     string
	Email        string
	Phone        string
	Population   string
	Topics       []string // ticked topic ids
	Message      string
	HeardFrom    string
	Consent      bool
	Website      string // the honeypot; people leave it empty
	Token        string // signed time of rendering and idempotency key
}

// EnquiryPage is the enquiry form with its choices and errors.
type EnquiryPage struct {
	Form[EnquiryForm]
	Topics []defus.TopicCount
}

// fields is the enquiry form's field list; the ids are the names.
func (d EnquiryPage) fields(f EnquiryForm) Fields {
	var kinds []Option
	for _, k := range defus.EnquiryKinds {
		kinds = append(kinds, Option{Value: string(k), Label: k.Label()})
	}
	var states []Option
	for _, s := range defus.EnquiryStates {
		states = append(states, Option{Value: s, Label: s})
	}
	var topics []Option
	for _, t := range d.Topics {
		topics = append(topics, Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Title})
	}
	return Fields{
		{Name: "token", Type: TypeHidden, Value: f.Token},
		{ID: "website", Name: "website", Label: "Bitte leer lassen", Value: f.Website},
		{ID: "organisation", Name: "organisation", Label: "Name der Stadt, des Kreises oder der Organisation", Value: f.Organisation,
			Required: true, Autocomplete: "organization"},
		{ID: "kind", Name: "kind", Label: "Art", Value: f.Kind, Placeholder: "Bitte wählen", Options: kinds},
		{ID: "state", Name: "state", Label: "Bundesland", Value: f.State, Placeholder: "Bitte wählen", Options: states},
		{ID: "population", Name: "population", Label: "Einwohnerzahl", Value: f.Population, InputMode: "numeric", Autocomplete: "off",
			Hint: "Für Städte, Gemeinden und Kreise, zum Beispiel 120000."},
		{ID: "contact_name", Name: "contact_name", Label: "Name", Value: f.ContactName, Required: true, Autocomplete: "name"},
		{ID: "function", Name: "function", Label: "Funktion", Value: f.Function, Autocomplete: "organization-title"},
		{ID: "email", Name: "email", Label: "E-Mail-Adresse", Type: "email", Value: f.Email, Required: true, Autocomplete: "email"},
		{ID: "phone", Name: "phone", Label: "Telefon", Type: "tel", Value: f.Phone, Autocomplete: "tel"},
		{ID: "topics", Name: "topics", Type: TypeCheckboxes, Label: "Welche Themen interessieren Sie besonders?", Options: topics,
			Checked: f.Topics, Hint: "Mehrere Antworten möglich."},
		{ID: "message", Name: "message", Label: "Ihre Nachricht", Value: f.Message, Required: true, Rows: 8, Hint: "Höchstens 5.000 Zeichen."},
		{ID: "heard_from", Name: "heard_from", Label: "Wie haben Sie von DEFUS erfahren?", Value: f.HeardFrom,
			Hint: "Zum Beispiel über eine Veranstaltung, eine Empfehlung oder das Internet."},
		{ID: "consent", Name: "consent", Type: TypeCheckbox, Value: checked(f.Consent), Required: true},
	}
}

// Controls lays out the enquiry form.
func (d EnquiryPage) Controls() Controls { return d.Form.Controls(d.fields) }
