package defus

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// FieldErrors maps a form field's name to a German message saying what is
// wrong with it. Create it with FieldErrors{} before calling Add; a nil
// FieldErrors reads as "no errors".
type FieldErrors map[string]string

// Add records msg for field unless the field has a message already: the
// first problem found is the one shown.
func (e FieldErrors) Add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// Has reports whether field has an error.
func (e FieldErrors) Has(field string) bool {
	_, ok := e[field]
	return ok
}

// Check adds msg for field when msg is not empty; it pairs with CheckText.
func (e FieldErrors) Check(field, msg string) {
	if msg != "" {
		e.Add(field, msg)
	}
}

// Any reports whether there is an error at all.
func (e FieldErrors) Any() bool { return len(e) > 0 }

// FieldError is one entry of FieldErrors, for lists in form order.
type FieldError struct {
	Field   string
	Message string
}

// In lists the errors in the order of fields (the form's order); fields that
// are not named there follow alphabetically.
func (e FieldErrors) In(fields ...string) []FieldError {
	var out []FieldError
	seen := map[string]bool{}
	for _, f := range fields {
		if msg, ok := e[f]; ok && !seen[f] {
			out = append(out, FieldError{f, msg})
			seen[f] = true
		}
	}
	var rest []string
	for f := range e {
		if !seen[f] {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	for _, f := range rest {
		out = append(out, FieldError{f, e[f]})
	}
	return out
}

// CheckText validates a free-text value already trimmed: label names the field
// in German messages, max is the most characters allowed (0: no limit),
// multiline allows line breaks and tabs. It reports the German message or "".
func CheckText(v, label string, required bool, max int, multiline bool) string {
	if v == "" {
		if required {
			return "Bitte geben Sie " + label + " an."
		}
		return ""
	}
	if !ValidText(v, multiline) {
		return label + " enthält ungültige Zeichen. Bitte prüfen Sie Ihre Eingabe."
	}
	if n := utf8.RuneCountInString(v); max > 0 && n > max {
		return label + " darf höchstens " + FormatNumber(max) + " Zeichen lang sein (jetzt " + FormatNumber(n) + ")."
	}
	return ""
}

// ValidText reports whether v is valid UTF-8 without NUL or other control
// characters; multiline text may contain tabs and line breaks.
func ValidText(v string, multiline bool) bool {
	if !utf8.ValidString(v) {
		return false
	}
	for _, r := range v {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// CleanText makes a typed value safe to show again in a form after an error:
// invalid bytes become U+FFFD and control characters other than line breaks
// and tabs are dropped, so nothing broken is echoed into the page.
func CleanText(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, v)
}
