package defus

import (
	"errors"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldErrors maps a form field's name to a German message saying what is
// wrong with it. Create it with FieldErrors{} before calling Add; a nil
// FieldErrors reads as "no errors".
//
// FieldErrors is also an error: the store returns it (wrapped) for a write
// refused by a rule about a field, and the server shows it in the form
// with status 422 (see FieldErrorsOf). Return it as an error only when it
// has entries.
type FieldErrors map[string]string

// Error lists the messages by field, for logs and tests.
func (e FieldErrors) Error() string {
	var b strings.Builder
	b.WriteString("field errors:")
	for _, fe := range e.In() {
		b.WriteString(" " + fe.Field + ": " + fe.Message)
	}
	return b.String()
}

// FieldErrorsOf returns the field errors in err's chain, or nil.
func FieldErrorsOf(err error) FieldErrors {
	var fe FieldErrors
	errors.As(err, &fe)
	return fe
}

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
// in German messages (nominative, "Der Name"), max is the most characters
// allowed (0: no limit), multiline allows line breaks and tabs. It reports the
// German message or "". Every text field of every form goes through here, so
// the character rules (see ValidText) are the same everywhere.
func CheckText(v, label string, required bool, max int, multiline bool) string {
	if v == "" {
		if required {
			return "Bitte geben Sie " + label + " an."
		}
		return ""
	}
	switch textFault(v, multiline) {
	case faultBroken:
		return label + " enthält ungültige Zeichen. Bitte prüfen Sie Ihre Eingabe."
	case faultHidden:
		return label + " enthält unsichtbare Zeichen oder Steuerzeichen, etwa aus kopiertem Text. " +
			"Bitte entfernen Sie diese Zeichen oder tippen Sie den Text neu ein."
	}
	if n := utf8.RuneCountInString(v); max > 0 && n > max {
		return label + " darf höchstens " + FormatNumber(max) + " Zeichen lang sein (jetzt " + FormatNumber(n) + ")."
	}
	return ""
}

// ValidText reports whether v is text a person may store in a field:
//
//   - valid UTF-8, without U+FFFD (what broken bytes become);
//   - no control characters (NUL, escape, C1 controls …); multi-line text
//     keeps tabs and line breaks;
//   - no bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069),
//     which can make a name in a list read differently from what it is;
//   - in a single line also no other invisible formatting character: zero-width
//     space, joiners and non-joiner (U+200B–U+200D), word joiner (U+2060), byte
//     order mark (U+FEFF), bidi marks, tag characters (Unicode category Cf),
//     and no line or paragraph separator (U+2028, U+2029). The soft hyphen
//     (U+00AD) stays allowed: German titles use it to hyphenate long words.
//
// Multi-line text (Markdown, messages) keeps the invisible joiners, which
// emoji and some scripts need.
func ValidText(v string, multiline bool) bool { return textFault(v, multiline) == faultNone }

type fault int

const (
	faultNone   fault = iota
	faultBroken       // invalid UTF-8 or U+FFFD
	faultHidden       // a control, bidi override or invisible character
)

func textFault(v string, multiline bool) fault {
	for _, r := range v {
		switch {
		case r == utf8.RuneError:
			return faultBroken
		case refusedRune(r, multiline):
			return faultHidden
		}
	}
	return faultNone
}

// refusedRune is the character rule of ValidText for one valid rune.
func refusedRune(r rune, multiline bool) bool {
	switch {
	case r >= 0x20 && r < 0x7f:
		return false // printable ASCII, the common case
	case r == '\t' || r == '\n' || r == '\r':
		return !multiline
	case r < 0x20 || (r >= 0x7f && r < 0xa0): // C0, DEL, C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case multiline, r == 0xad:
		return false
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// CleanText makes a typed value safe to show again in a form after an error:
// invalid bytes become U+FFFD, and control and invisible characters are
// dropped (see ValidText) except line breaks and tabs, and the joiners that
// multi-line text may keep. So nothing broken is echoed into the page, and
// the text shown can be sent again as it is.
func CleanText(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == 0x200c || r == 0x200d:
			return r
		case refusedRune(r, false):
			return -1
		}
		return r
	}, v)
}

// ValidWebURL reports whether s is an absolute http or https address with a
// host and nothing that could break out of a link. It is the one rule for
// every web address a form takes (a member's website, an event's links).
func ValidWebURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return false
	}
	return !strings.ContainsAny(s, " \t\n\"'<>\\`")
}
