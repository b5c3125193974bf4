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
	Form   EnquiryForm
	Errors defus.FieldErrors
	Topics []defus.TopicCount
}

// enquiryFieldOrder is the order of the form, for the error summary.
var enquiryFieldOrder = []string{"organisation", "kind", "state", "contact_name", "function", "email", "phone",
	"population", "topics", "message", "heard_from", "consent"}

// ErrorLinks lists the errors in form order, each linking to its control.
func (d EnquiryPage) ErrorLinks() []ErrorLink {
	var out []ErrorLink
	for _, e := range d.Errors.In(enquiryFieldOrder...) {
		id := e.Field
		if e.Field == "topics" {
			id = d.topicGroup().FirstID()
		}
		out = append(out, ErrorLink{Href: "#" + id, Text: e.Message})
	}
	return out
}

func (d EnquiryPage) field(name, label, value string, required bool) Field {
	return Field{ID: name, Name: name, Label: label, Value: value, Required: required, Error: d.Errors[name]}
}

// selectField is an optional drop-down with "Bitte wählen" for no choice.
func (d EnquiryPage) selectField(name, label, value string, options []Option) Field {
	f := d.field(name, label, value, false)
	f.Placeholder, f.Options = "Bitte wählen", options
	return f
}

func (d EnquiryPage) kindOptions() []Option {
	var out []Option
	for _, k := range defus.EnquiryKinds {
		out = append(out, Option{Value: string(k), Label: k.Label()})
	}
	return out
}

func stateOptions() []Option {
	var out []Option
	for _, s := range defus.EnquiryStates {
		out = append(out, Option{Value: s, Label: s})
	}
	return out
}

func (d EnquiryPage) topicGroup() CheckboxGroup {
	g := CheckboxGroup{
		IDPrefix: "topics",
		Name:     "topics",
		Legend:   "Welche Themen interessieren Sie besonders?",
		Hint:     "Mehrere Antworten möglich.",
		Error:    d.Errors["topics"],
		Checked:  d.Form.Topics,
	}
	for _, t := range d.Topics {
		g.Options = append(g.Options, Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Title})
	}
	return g
}

func consentValue(ok bool) string {
	if ok {
		return "ja"
	}
	return ""
}

func withAutocomplete(f Field, ac string) Field {
	f.Autocomplete = ac
	return f
}

func withType(f Field, typ, ac string) Field {
	f.Type, f.Autocomplete = typ, ac
	return f
}

func withHint(f Field, hint string) Field {
	f.Hint = hint
	return f
}
