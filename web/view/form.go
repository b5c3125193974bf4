package view

import "strings"

// Field describes one form control for the shared form components: its
// label, current value and, after a failed submission, its German error.
type Field struct {
	ID           string // element id; the error summary links here
	Name         string // form field name
	Label        string
	Type         string // input type: text (default), email, tel, number, …
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
}

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
