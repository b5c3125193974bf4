package view

import (
	"slices"
	"strings"

	"defus.de/portal/internal/defus"
)

// Field describes one form control for the shared form components: its
// label, current value and, after a failed submission, its German error.
type Field struct {
	ID           string // element id; the error summary links here
	Name         string // form field name
	Label        string
	Type         string // input type: text (default), email, tel, number, …; see below for the special ones
	Value        string // as typed, shown again after an error
	Hint         string // optional help below the label
	Error        string // German message; marks the control invalid
	Required     bool   // marked "(Pflichtfeld)" in the label
	Autocomplete string // e.g. organization, name, email, tel
	InputMode    string // e.g. numeric
	Rows         int    // textarea rows
	Optional     bool   // marked "(optional)" in the label, where most fields are required
	Placeholder  string // selects: label of a first, empty choice ("Bitte wählen", "Alle"); none when ""
	Accept       string // file inputs: the types offered for choosing
	Options      []Option
	Checked      []string // Type "checkboxes": the values that are ticked

	// How the conflict table (after a save against a stale version) shows
	// the field; see Fields.
	Short string // its label there, when shorter than Label
	Shown string // its value as the office reads it, when that is not Value
}

// Special field types of a field list (Fields). The others are the input
// types of HTML.
const (
	TypeCheckbox   = "checkbox"   // Value "ja" when ticked, "" when not
	TypeCheckboxes = "checkboxes" // a group of boxes: Options, Checked; Label is the legend
	TypeHidden     = "hidden"     // state the form carries, such as the version
	TypeButton     = "button"     // not a control: an action whose refusal the summary links to
)

// Option is one choice of a select or checkbox group.
type Option struct {
	Value string
	Label string
}

// CheckboxGroup is a set of checkboxes in a fieldset with a legend.
type CheckboxGroup struct {
	IDPrefix string // each box gets IDPrefix + "-" + value
	Name     string
	Legend   string
	Hint     string
	Error    string
	Options  []Option
	Checked  []string // values that are ticked
}

// FirstID is the id of the first box, where the error summary points.
func (g CheckboxGroup) FirstID() string {
	if len(g.Options) == 0 {
		return g.IDPrefix
	}
	return g.BoxID(g.Options[0])
}

// BoxID is the id of the box for o.
func (g CheckboxGroup) BoxID(o Option) string { return g.IDPrefix + "-" + o.Value }

func (g CheckboxGroup) checked(v string) bool {
	for _, c := range g.Checked {
		if c == v {
			return true
		}
	}
	return false
}

// ErrorLink is one entry of the error summary.
type ErrorLink struct {
	Href string // "#" + the id of the wrong control
	Text string
}

func inputType(f Field) string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

// describedBy joins the ids of the hint and the error message of a control.
func describedBy(id, hint, err string) string {
	var ids []string
	if hint != "" {
		ids = append(ids, id+"-hint")
	}
	if err != "" {
		ids = append(ids, id+"-error")
	}
	return strings.Join(ids, " ")
}

// Group is a field of Type "checkboxes" as the Checkboxes component takes it.
func (f Field) Group() CheckboxGroup {
	return CheckboxGroup{IDPrefix: f.ID, Name: f.Name, Legend: f.Label, Hint: f.Hint, Error: f.Error,
		Options: f.Options, Checked: f.Checked}
}

// anchor is where the error summary links for f: its control, or the first
// box of a group.
func (f Field) anchor() string {
	if f.Type == TypeCheckboxes {
		return "#" + f.Group().FirstID()
	}
	return "#" + f.ID
}

// shown is f's value as the office reads it: Shown when set, "ja" or "nein"
// for a checkbox, the labels of the ticked boxes, the label of the chosen
// option, else the value itself.
func (f Field) shown() string {
	switch {
	case f.Shown != "":
		return f.Shown
	case f.Type == TypeCheckbox:
		if f.Value != "" {
			return "ja"
		}
		return "nein"
	case f.Type == TypeCheckboxes:
		var labels []string
		for _, o := range f.Options {
			if slices.Contains(f.Checked, o.Value) {
				labels = append(labels, o.Label)
			}
		}
		return strings.Join(labels, ", ")
	}
	for _, o := range f.Options {
		if o.Value == f.Value {
			return o.Label
		}
	}
	return f.Value
}

// Fields is a form's field list in form order, built from one set of
// values (as typed, or as stored). Each admin form names its fields once,
// in one such list in its view file: the element id, label and hint of each
// control, its value, and how the office reads it. The controls, the error
// summary (in the list's order) and the conflict table (fields whose shown
// value differs, labelled Short or Label; consecutive fields with the same
// label make one row) all come from it.
type Fields []Field

// Form is the state of a form: the values as typed (on a fresh page: as
// stored, or empty), their errors, and after a save against a stale version
// the values stored now. F is the resource's form type, e.g. PageForm.
type Form[F any] struct {
	Values  F
	Errors  defus.FieldErrors
	Current *F // stored meanwhile by someone else; nil without a conflict
}

// Controls lays the form out with its field list; list builds the list
// from a set of values. Values are made safe to show again (defus.CleanText).
// After a conflict, hidden fields (the version) come from what is stored
// now, so the next save is against it, and Conflict lists what differs.
func (f Form[F]) Controls(list func(F) Fields) Controls {
	c := Controls{fields: list(f.Values)}
	for i := range c.fields {
		fl := &c.fields[i]
		fl.Value, fl.Error = defus.CleanText(fl.Value), f.Errors[fl.Name]
		for j := range fl.Checked {
			fl.Checked[j] = defus.CleanText(fl.Checked[j])
		}
	}
	c.Errors = errorLinks(c.fields, f.Errors)
	if f.Current != nil {
		stored := list(*f.Current)
		for i, fl := range c.fields {
			if s, ok := stored.find(fl.Name); ok && fl.Type == TypeHidden {
				c.fields[i].Value = s.Value
			}
		}
		c.Conflict = conflicts(stored, c.fields)
	}
	return c
}

func (fs Fields) find(name string) (Field, bool) {
	i := slices.IndexFunc(fs, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return fs[i], true
}

// Controls is a form laid out from its field list: each control with its
// value and error, the error summary and the conflict table.
type Controls struct {
	fields   Fields
	Errors   []ErrorLink     // the error summary, in form order
	Conflict []ConflictField // after a save against a stale version: what is stored now
}

// Field is the control name of the form. A name the field list lacks is a
// mistake in the template, and rendering it panics.
func (c Controls) Field(name string) Field {
	f, ok := c.fields.find(name)
	if !ok {
		panic("view: the form has no field " + name)
	}
	return f
}

// Group is the group of checkboxes name of the form.
func (c Controls) Group(name string) CheckboxGroup { return c.Field(name).Group() }

// errorLinks lists errs in the order of fields, each linking to its
// control; a message for a field the list lacks still appears, after the
// others, linking to the summary itself.
func errorLinks(fields Fields, errs defus.FieldErrors) []ErrorLink {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	var out []ErrorLink
	for _, fe := range errs.In(names...) {
		href := "#error-summary-title"
		if f, ok := fields.find(fe.Field); ok {
			href = f.anchor()
		}
		out = append(out, ErrorLink{Href: href, Text: fe.Message})
	}
	return out
}

// conflicts lists the fields whose stored value differs from what was
// typed, with the stored value, or says that none does. Hidden fields,
// passwords, files and buttons are not compared; consecutive fields with
// the same label (a date and its time, shown together) make one row.
func conflicts(stored, typed Fields) []ConflictField {
	var out []ConflictField
	last := ""
	for _, s := range stored {
		switch s.Type {
		case TypeHidden, TypeButton, "password", "file":
			continue
		}
		label := s.Short
		if label == "" {
			label = s.Label
		}
		if label == last {
			continue
		}
		last = label
		t, _ := typed.find(s.Name)
		if now := s.shown(); now != t.shown() {
			if now == "" {
				now = "(leer)"
			}
			out = append(out, ConflictField{Label: label, Current: now})
		}
	}
	if len(out) == 0 {
		out = []ConflictField{{Label: "Hinweis", Current: "Die gespeicherte Fassung stimmt mit Ihren Eingaben überein."}}
	}
	return out
}

// markdownHint is the hint of every Markdown text field.
const markdownHint = "In Markdown: ## Zwischenüberschrift, **fett**, [Linktext](https://…), Listen mit „- “."

// checked is a flag as a checkbox's Value: "ja" when ticked.
func checked(b bool) string {
	if b {
		return "ja"
	}
	return ""
}
