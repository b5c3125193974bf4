package defus

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestValidText(t *testing.T) {
	for _, tc := range []struct {
		name, v           string
		single, multiline bool
	}{
		{"plain", "Stadt Köln – Amt für Prävention", true, true},
		{"soft hyphen", "Kriminal\u00adprävention", true, true},
		{"hebrew and arabic letters", "מרחב עירוני بلدية", true, true},
		{"emoji", "Grüße 😀", true, true},
		{"line break", "a\nb", false, true},
		{"crlf", "a\r\nb", false, true},
		{"tab", "a\tb", false, true},
		{"nul", "a\x00b", false, false},
		{"escape", "a\x1bb", false, false},
		{"bell", "a\x07b", false, false},
		{"delete", "a\x7fb", false, false},
		{"c1 control", "a\u0085b", false, false},
		{"invalid utf-8", "a\xff\xfeb", false, false},
		{"replacement character", "a\ufffdb", false, false},
		{"right-to-left override", "Stadt \u202eedualK", false, false},
		{"left-to-right embedding", "a\u202ab", false, false},
		{"pop directional formatting", "a\u202cb", false, false},
		{"first strong isolate", "a\u2068b", false, false},
		{"pop directional isolate", "a\u2069b", false, false},
		{"zero-width space", "Kö\u200bln", false, true},
		{"zero-width non-joiner", "Auf\u200clage", false, true},
		{"zero-width joiner in emoji", "Team 👩\u200d👩\u200d👧", false, true},
		{"word joiner", "a\u2060b", false, true},
		{"byte order mark", "\ufeffKöln", false, true},
		{"right-to-left mark", "a\u200fb", false, true},
		{"tag character", "a\U000e0041b", false, true},
		{"line separator", "a\u2028b", false, true},
		{"paragraph separator", "a\u2029b", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ValidText(tc.v, false); got != tc.single {
				t.Errorf("ValidText(%q, single line) = %v, want %v", tc.v, got, tc.single)
			}
			if got := ValidText(tc.v, true); got != tc.multiline {
				t.Errorf("ValidText(%q, multi-line) = %v, want %v", tc.v, got, tc.multiline)
			}
		})
	}
}

func TestCheckTextMessages(t *testing.T) {
	for _, tc := range []struct {
		v, want string
	}{
		{"Köln", ""},
		{"", ""},
		{"K\xffln", "Der Name enthält ungültige Zeichen."},
		{"K\x00ln", "Der Name enthält unsichtbare Zeichen oder Steuerzeichen"},
		{"K\u202eln", "Der Name enthält unsichtbare Zeichen oder Steuerzeichen"},
		{"K\u200bln", "Bitte entfernen Sie diese Zeichen"},
		{strings.Repeat("ö", 11), "Der Name darf höchstens 10 Zeichen lang sein (jetzt 11)."},
	} {
		got := CheckText(tc.v, "Der Name", false, 10, false)
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("CheckText(%q) = %q, want %q", tc.v, got, tc.want)
		}
	}
	if got := CheckText("", "Ihre Organisation", true, 10, false); got != "Bitte geben Sie Ihre Organisation an." {
		t.Errorf("required = %q", got)
	}
}

func TestCleanTextShowsWhatCanBeSentAgain(t *testing.T) {
	for in, want := range map[string]string{
		"K\x00öln\x1b":             "Köln",
		"a\xffb":                   "a\ufffdb",
		"Stadt \u202eedualK":       "Stadt edualK",
		"K\u200bö\ufeffln\u2028":   "Köln",
		"Zeile\r\nZeile\tTab":      "Zeile\r\nZeile\tTab",
		"👩\u200d👩\u200d👧":          "👩\u200d👩\u200d👧",
		"Kriminal\u00adprävention": "Kriminal\u00adprävention",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	for _, tc := range []struct {
		v, want string
	}{
		{"name@stadt.de", ""},
		{"info@münchen.de", ""},
		{"anfrage@stadt-köln.de", ""},
		{"A.B+x@Sub.Example.museum", ""},
		{"müller@stadt.de", "Bitte verwenden Sie eine E-Mail-Adresse ohne Umlaute vor dem @."},
		{"josé@stadt.de", "ohne Umlaute vor dem @"},
		{"name\u200b@stadt.de", "unsichtbare Zeichen oder Steuerzeichen"},
		{"name@stadt\u202e.de", "unsichtbare Zeichen oder Steuerzeichen"},
		{"name@stadt.de\x00", "unsichtbare Zeichen oder Steuerzeichen"},
		{"name@stadt", "Bitte geben Sie eine gültige E-Mail-Adresse an"},
		{"name@xn--.de", "gültige E-Mail-Adresse"},
		{"name@" + strings.Repeat("ü", 60) + ".de", "gültige E-Mail-Adresse"}, // its ASCII form is longer than 63
	} {
		got := CheckEmail(tc.v, "Die E-Mail-Adresse")
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("CheckEmail(%q) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for _, s := range []string{"name@example.org", "a.b+c@sub.stadt-köln.de", "info@münchen.de", "post@straße.de"} {
		if !ValidEmail(s) {
			t.Errorf("ValidEmail(%q) = false", s)
		}
	}
	for _, s := range []string{"", "name", "name@example", "name@example.", "Name <a@b.de>", "a@b..de", "a@-b.de",
		"a@b.d", "a@b.12", "a..b@c.de", "a@[1.2.3.4]", "\"a\"@b.de", "a b@c.de", strings.Repeat("a", 250) + "@b.de",
		"müller@bücher.de"} {
		if ValidEmail(s) {
			t.Errorf("ValidEmail(%q) = true", s)
		}
	}
}

func TestLookupEmailFindsOlderAddresses(t *testing.T) {
	for s, want := range map[string]bool{"müller@bücher.de": true, "name@stadt.de": true, "mü ller@b.de": false, "müller@": false} {
		if got := LookupEmail(s); got != want {
			t.Errorf("LookupEmail(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestASCIIEmail(t *testing.T) {
	for in, want := range map[string]string{
		"info@münchen.de":       "info@xn--mnchen-3ya.de",
		"Info@München.DE":       "Info@xn--mnchen-3ya.de",
		"post@straße.de":        "post@xn--strae-oqa.de",
		"name@stadt.de":         "name@stadt.de",
		"NAME@STADT.DE":         "NAME@STADT.DE", // ASCII stays exactly as typed
		"anfrage@stadt-köln.de": "anfrage@xn--stadt-kln-67a.de",
	} {
		got, err := ASCIIEmail(in)
		if err != nil || got != want {
			t.Errorf("ASCIIEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"müller@stadt.de", "münchen.de"} {
		if got, err := ASCIIEmail(in); err == nil {
			t.Errorf("ASCIIEmail(%q) = %q, want an error", in, got)
		}
	}
}

// textField is one text field of a domain type: set puts v into an
// otherwise valid record and returns the record's field errors.
type textField struct {
	entity, field string
	valid         string // a good value of the field
	multiline     bool
	set           func(v string) FieldErrors
}

// setter makes the set functions of textField for one domain type: base
// is a valid record, validate its Validate method.
func setter[T any](base func() T, validate func(*T) FieldErrors) func(func(*T, string)) func(string) FieldErrors {
	return func(put func(*T, string)) func(string) FieldErrors {
		return func(v string) FieldErrors {
			x := base()
			put(&x, v)
			return validate(&x)
		}
	}
}

// textFields lists every text field a form fills, with its Validate.
func textFields() []textField {
	member := setter(func() Member {
		return Member{Name: "Stadt Köln", ShortName: "Köln", Slug: "koeln", Kind: KindCity, State: "Nordrhein-Westfalen"}
	}, (*Member).Validate)
	contact := setter(func() Contact { return Contact{Name: "Anna Muster"} }, (*Contact).Validate)
	event := setter(validEvent, (*Event).Validate)
	topic := setter(func() Topic { return Topic{Title: "Urbane Resilienz", Slug: "urbane-resilienz"} }, (*Topic).Validate)
	page := setter(func() Page { return Page{Title: "Jahresbericht", Slug: "jahresbericht", Published: true} }, (*Page).Validate)
	association := setter(func() Association {
		return Association{Name: "Deutsch-Europäisches Forum", ShortName: "DEFUS", FoundedOn: time.Date(2010, 5, 10, 0, 0, 0, 0, Berlin),
			Email: "info@defus.de"}
	}, (*Association).Validate)
	enquiry := setter(func() Enquiry {
		return Enquiry{Organisation: "Stadt Köln", ContactName: "Anna Muster", Email: "anna@koeln.de", Message: "Hallo", ConsentAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	}, (*Enquiry).Validate)
	user := setter(func() User { return User{Email: "anna@defus.de", Name: "Anna Muster", Role: RoleEditor} }, (*User).Validate)
	return []textField{
		{"member", "name", "Stadt Köln", false, member(func(m *Member, v string) { m.Name = v })},
		{"member", "short_name", "Köln", false, member(func(m *Member, v string) { m.ShortName = v })},
		{"member", "website", "https://www.stadt-koeln.de", false, member(func(m *Member, v string) { m.Website = v })},
		{"member", "description", "Text", true, member(func(m *Member, v string) { m.Description = v })},
		{"contact", "name", "Anna Muster", false, contact(func(c *Contact, v string) { c.Name = v })},
		{"contact", "function", "Leiterin", false, contact(func(c *Contact, v string) { c.Function = v })},
		{"contact", "email", "anna@stadt.de", false, contact(func(c *Contact, v string) { c.Email = v })},
		{"contact", "phone", "0221 12345", false, contact(func(c *Contact, v string) { c.Phone = v })},
		{"event", "title", "Workshop X", false, event(func(e *Event, v string) { e.Title = v })},
		{"event", "place_name", "Rathaus", false, event(func(e *Event, v string) { e.PlaceName = v })},
		{"event", "street", "Markt 1", false, event(func(e *Event, v string) { e.Street = v })},
		{"event", "postcode", "68159", false, event(func(e *Event, v string) { e.Postcode = v })},
		{"event", "city", "Mannheim", false, event(func(e *Event, v string) { e.City = v })},
		{"event", "online_url", "https://meet.example/x", false, event(func(e *Event, v string) { e.OnlineURL = v })},
		{"event", "partners", "Efus", false, event(func(e *Event, v string) { e.Partners = v })},
		{"event", "summary", "Kurz", false, event(func(e *Event, v string) { e.Summary = v })},
		{"event", "registration_url", "https://anmeldung.example", false, event(func(e *Event, v string) { e.RegistrationURL = v })},
		{"event", "description", "Text", true, event(func(e *Event, v string) { e.Description = v })},
		{"event", "registration_note", "Bitte anmelden", true, event(func(e *Event, v string) { e.RegistrationNote = v })},
		{"topic", "title", "Urbane Resilienz", false, topic(func(tp *Topic, v string) { tp.Title = v })},
		{"topic", "summary", "Kurz", false, topic(func(tp *Topic, v string) { tp.Summary = v })},
		{"topic", "description", "Text", true, topic(func(tp *Topic, v string) { tp.Description = v })},
		{"page", "title", "Jahresbericht", false, page(func(p *Page, v string) { p.Title = v })},
		{"page", "summary", "Kurz", false, page(func(p *Page, v string) { p.Summary = v })},
		{"page", "body", "Text", true, page(func(p *Page, v string) { p.Body = v })},
		{"association", "name", "Forum", false, association(func(a *Association, v string) { a.Name = v })},
		{"association", "short_name", "DEFUS", false, association(func(a *Association, v string) { a.ShortName = v })},
		{"association", "founded_place", "Berlin", false, association(func(a *Association, v string) { a.FoundedPlace = v })},
		{"association", "street", "Markt 1", false, association(func(a *Association, v string) { a.Street = v })},
		{"association", "postcode", "30159", false, association(func(a *Association, v string) { a.Postcode = v })},
		{"association", "city", "Hannover", false, association(func(a *Association, v string) { a.City = v })},
		{"association", "phone", "0511 12345", false, association(func(a *Association, v string) { a.Phone = v })},
		{"association", "email", "info@defus.de", false, association(func(a *Association, v string) { a.Email = v })},
		{"enquiry", "organisation", "Stadt Köln", false, enquiry(func(e *Enquiry, v string) { e.Organisation = v })},
		{"enquiry", "contact_name", "Anna Muster", false, enquiry(func(e *Enquiry, v string) { e.ContactName = v })},
		{"enquiry", "function", "Leiterin", false, enquiry(func(e *Enquiry, v string) { e.Function = v })},
		{"enquiry", "email", "anna@koeln.de", false, enquiry(func(e *Enquiry, v string) { e.Email = v })},
		{"enquiry", "phone", "0221 12345", false, enquiry(func(e *Enquiry, v string) { e.Phone = v })},
		{"enquiry", "heard_from", "Kongress", false, enquiry(func(e *Enquiry, v string) { e.HeardFrom = v })},
		{"enquiry", "message", "Hallo", true, enquiry(func(e *Enquiry, v string) { e.Message = v })},
		{"user", "name", "Anna Muster", false, user(func(u *User, v string) { u.Name = v })},
		{"user", "email", "anna@defus.de", false, user(func(u *User, v string) { u.Email = v })},
		{"media", "alt_text", "Logo der Stadt", false, func(v string) FieldErrors {
			return (&Media{ContentType: "image/png", AltText: v}).Validate()
		}},
		{"note", "body", "Notiz", true, func(v string) FieldErrors {
			return FieldErrors{"body": ValidateNote(v)}
		}},
	}
}

// TestEveryTextFieldRefusesHiddenCharacters puts each refused character
// into the middle of a good value of every text field of every form.
func TestEveryTextFieldRefusesHiddenCharacters(t *testing.T) {
	const hidden = "unsichtbare Zeichen oder Steuerzeichen"
	bad := map[string]string{
		"nul": "\x00", "escape": "\x1b", "rlo": "\u202e", "lri": "\u2066", "pdi": "\u2069", "zwsp": "\u200b",
		"zwj": "\u200d", "word joiner": "\u2060", "bom": "\ufeff", "line separator": "\u2028", "tab": "\t", "newline": "\n",
	}
	allowedInMultiline := map[string]bool{"zwsp": true, "zwj": true, "word joiner": true, "bom": true, "line separator": true,
		"tab": true, "newline": true}
	for _, f := range textFields() {
		if msg := f.set(f.valid)[f.field]; msg != "" {
			t.Fatalf("%s %s: the good value %q is refused: %s", f.entity, f.field, f.valid, msg)
		}
		for name, c := range bad {
			_, size := utf8.DecodeRuneInString(f.valid)
			v := f.valid[:size] + c + f.valid[size:]
			msg := f.set(v)[f.field]
			switch {
			case f.multiline && allowedInMultiline[name]:
				if msg != "" {
					t.Errorf("%s %s (multi-line) refuses %s: %s", f.entity, f.field, name, msg)
				}
			case !strings.Contains(msg, hidden):
				t.Errorf("%s %s with %s: message %q, want %q", f.entity, f.field, name, msg, hidden)
			}
		}
	}
}
