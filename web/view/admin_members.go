package view

import (
	"strconv"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/imaging"
)

// MembersAdminData is the office's list of members.
type MembersAdminData struct {
	Query        string // the search as typed
	State        string // "", "published", "draft"
	Kind         string // "", "stadt", "organisation"
	FederalState string // "" or one of defus.States
	Total        int
	Members      []defus.Member
	Paging       Paging
}

func (d MembersAdminData) filter() ListFilterData {
	return ListFilterData{Action: "/admin/mitglieder", Label: "Mitglieder filtern", Query: d.Query, State: d.State,
		Total: d.Total, Noun: [2]string{"Mitglied", "Mitglieder"},
		Extra: []Field{
			{ID: "filter-kind", Name: "art", Label: "Art", Value: d.Kind, Placeholder: "Alle",
				Options: []Option{{Value: "stadt", Label: "Städte"}, {Value: "organisation", Label: "Organisationen"}}},
			{ID: "filter-land", Name: "land", Label: "Bundesland", Value: d.FederalState, Placeholder: "Alle", Options: federalStateOptions()},
		}}
}

// MemberForm is the member form as typed: the member, and as text the
// fields it holds as numbers or ids, so a wrong entry comes back as typed.
type MemberForm struct {
	defus.Member
	Population, PopulationYear, MemberSince, Lat, Lon, Logo string
	Topics                                                  []string // ticked topic ids
	LogoFile                                                string   // name of a picture chosen for upload
}

// MemberFormData is the form for a new or existing member; on the edit page
// it also lists the member's contact persons.
type MemberFormData struct {
	Member *defus.Member // as stored; nil for a new one
	Topics []defus.Topic // the topics to choose from
	Images []defus.Media // the pictures to choose a logo from
	Form[MemberForm]
	Map     LocationMap // where a click sets the coordinates
	BaseURL string      // the site's address, for the profile's address

	CanInvite bool                           // the user may invite contact persons into the members' area (admins)
	Accounts  map[string]defus.AccountStatus // the status of the account of each address (lower case) that has one
}

// profileAddress is the public address the profile gets with the address
// (slug) as typed, or as the server will propose it from the short name.
func (d MemberFormData) profileAddress() (base, slug string) {
	slug = defus.CleanText(d.Values.Slug) // as typed: shown again, so made safe like every value
	if slug == "" {
		slug = defus.Slugify(d.Values.ShortName)
	}
	if slug == "" {
		slug = "…"
	}
	return d.BaseURL + "/mitglieder/", slug
}

// logoFileHint says what the logo upload takes, or, when the form came back
// for another field with a good picture chosen, that it is not stored yet:
// a browser cannot fill in a file field again.
func (d MemberFormData) logoFileHint(f MemberForm) string {
	if f.LogoFile != "" && d.Errors.Any() && !d.Errors.Has("logo_file") {
		return "Ihre Datei „" + defus.CleanText(f.LogoFile) + "“ ist noch nicht gespeichert: Bitte wählen Sie sie noch einmal aus, bevor Sie speichern."
	}
	return "PNG, JPEG oder WebP bis " + defus.FormatBytes(defus.MaxImageBytes) + " und " + defus.FormatNumber(imaging.MaxPixels/1_000_000) +
		" Megapixel. Es kommt beim Speichern in die Medien, mit dem Alternativtext „Logo von " + defus.CleanText(f.ShortName) +
		"“, und ersetzt die Auswahl darüber."
}

// fields is the member form's field list.
func (d MemberFormData) fields(f MemberForm) Fields {
	logos := make([]Option, len(d.Images))
	for i, img := range d.Images {
		logos[i] = Option{Value: itoa64(img.ID), Label: ImageLabel(img)}
	}
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "member-name", Name: "name", Label: "Name", Value: f.Name, Required: true,
			Hint: "Der offizielle Name, zum Beispiel „Stadt Köln“ oder „Landespräventionsrat Niedersachsen“."},
		{ID: "member-short-name", Name: "short_name", Label: "Kurzname", Value: f.ShortName, Required: true,
			Hint: "Für Listen und die Karte, zum Beispiel „Köln“. Das Verzeichnis sortiert danach."},
		{ID: "member-slug", Name: "slug", Label: "Web-Adresse der Profilseite", Short: "Web-Adresse", Value: f.Slug,
			Hint: "Der Teil nach /mitglieder/, zum Beispiel „koeln“: Kleinbuchstaben, Ziffern und Bindestriche. Leer lassen, um sie aus dem Kurznamen zu bilden."},
		{ID: "member-kind", Name: "kind", Label: "Art", Value: string(f.Kind), Required: true, Placeholder: "Bitte wählen",
			Options: []Option{{Value: string(defus.KindCity), Label: "Stadt"}, {Value: string(defus.KindOrganisation), Label: "Organisation"}}},
		{ID: "member-state", Name: "state", Label: "Bundesland", Value: f.State, Placeholder: "Kein Bundesland", Options: federalStateOptions(),
			Hint: "Bei Städten Pflicht; Organisationen ohne Sitz in einem Land bleiben ohne."},
		{ID: "member-lat", Name: "lat", Label: "Breitengrad", Value: f.Lat, Shown: optionalDecimal(f.Member.Lat), Optional: true, InputMode: "decimal",
			Hint: "Für die Karte, zum Beispiel 50,9375 (Komma oder Punkt). Beide Koordinaten oder keine."},
		{ID: "member-lon", Name: "lon", Label: "Längengrad", Value: f.Lon, Shown: optionalDecimal(f.Member.Lon), Optional: true, InputMode: "decimal",
			Hint: "Zum Beispiel 6,9603."},
		{ID: "member-population", Name: "population", Label: "Einwohnerzahl", Value: f.Population, Shown: optionalNumber(f.Member.Population),
			Optional: true, InputMode: "numeric", Hint: "Nur bei Städten, zum Beispiel 1.084.831."},
		{ID: "member-population-year", Name: "population_year", Label: "Stand (Jahr)", Value: f.PopulationYear, Shown: optionalYear(f.Member.PopulationYear),
			Optional: true, InputMode: "numeric", Hint: "Das Jahr der Einwohnerzahl, zum Beispiel 2024."},
		{ID: "member-since", Name: "member_since", Label: "Mitglied seit", Value: f.MemberSince, Shown: optionalYear(f.Member.MemberSince),
			Optional: true, InputMode: "numeric", Hint: "Das Beitrittsjahr, zum Beispiel 2012."},
		{ID: "member-website", Name: "website", Label: "Website", Type: "url", Value: f.Website, Optional: true,
			Hint: "Mit https://, zum Beispiel https://www.stadt-koeln.de."},
		{ID: "member-description", Name: "description", Label: "Beschreibung", Value: f.Description, Rows: 12, Hint: markdownHint},
		{ID: "member-logo", Name: "logo", Label: "Logo aus den Medien", Short: "Logo", Value: f.Logo, Placeholder: "Kein Logo", Options: logos,
			Hint: "Ein schon hochgeladenes Bild; sein Alternativtext beschreibt das Logo im Profil."},
		{ID: "member-logo-file", Name: "logo_file", Type: "file", Label: "Oder ein neues Logo hochladen", Optional: true,
			Accept: "image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp", Hint: d.logoFileHint(f)},
		{ID: "member-topics", Name: "topics", Type: TypeCheckboxes, Label: "Themen", Checked: f.Topics, Options: topicOptions(d.Topics),
			Hint: "Woran das Mitglied im Netzwerk arbeitet."},
		{ID: "member-published", Name: "published", Type: TypeCheckbox, Label: "Veröffentlicht (sonst Entwurf, nur hier sichtbar)",
			Value: checked(f.Published), Short: "Status", Shown: publishedLabel(f.Published)},
	}
}

// Controls lays out the member form.
func (d MemberFormData) Controls() Controls { return d.Form.Controls(d.fields) }

// Action is where the form posts.
func (d MemberFormData) Action() string {
	if d.Member == nil {
		return "/admin/mitglieder"
	}
	return memberAdminURL(d.Member.ID)
}

// ContactForm is the contact form as typed: the contact person itself,
// since every field of it is text or a flag.
type ContactForm struct{ defus.Contact }

// ContactFormData is the form for a new or existing contact person of a member.
type ContactFormData struct {
	Member  defus.Member
	Contact *defus.Contact // as stored; nil for a new contact
	Form[ContactForm]
}

// fields is the contact form's field list.
func (d ContactFormData) fields(f ContactForm) Fields {
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "contact-name", Name: "name", Label: "Name", Value: f.Name, Required: true, Autocomplete: "off"},
		{ID: "contact-function", Name: "function", Label: "Funktion", Value: f.Function, Optional: true,
			Hint: "Zum Beispiel „Leiterin der Geschäftsstelle Kommunale Kriminalprävention“."},
		{ID: "contact-email", Name: "email", Label: "E-Mail-Adresse", Short: "E-Mail", Type: "email", Value: f.Email, Optional: true, Autocomplete: "off"},
		{ID: "contact-phone", Name: "phone", Label: "Telefon", Type: "tel", Value: f.Phone, Optional: true, Autocomplete: "off",
			Hint: "Zum Beispiel 0221 221-12345."},
		{ID: "contact-public", Name: "public", Type: TypeCheckbox, Label: "Öffentlich im Profil zeigen (sonst nur für Mitglieder)",
			Value: checked(f.Public), Short: "Sichtbarkeit", Shown: contactAudience(f.Contact),
			Hint: "Öffentliche Ansprechpersonen stehen mit Funktion, E-Mail und Telefon im Profil auf der Website."},
	}
}

// Controls lays out the contact form.
func (d ContactFormData) Controls() Controls { return d.Form.Controls(d.fields) }

// Action is where the form posts.
func (d ContactFormData) Action() string {
	if d.Contact == nil {
		return memberAdminURL(d.Member.ID) + "/ansprechpersonen"
	}
	return contactAdminURL(d.Member.ID, d.Contact.ID, "")
}

// ImageLabel names a picture in a choice of logos: its file name and what
// it shows.
func ImageLabel(img defus.Media) string {
	if img.AltText == "" {
		return img.Name
	}
	return img.Name + " – " + img.AltText
}

// topicOptions offers topics to tick; drafts say so.
func topicOptions(topics []defus.Topic) []Option {
	opts := make([]Option, len(topics))
	for i, t := range topics {
		label := t.Title
		if !t.Published {
			label += " (Entwurf)"
		}
		opts[i] = Option{Value: itoa64(t.ID), Label: label}
	}
	return opts
}

// federalStateOptions offers the federal states.
func federalStateOptions() []Option {
	opts := make([]Option, len(defus.States))
	for i, st := range defus.States {
		opts[i] = Option{Value: st, Label: st}
	}
	return opts
}

// optionalNumber, optionalYear and optionalDecimal write an optional
// number as the office reads it: 1.084.831, 2024, 50,9375; none is "".
func optionalNumber(n *int) string {
	if n == nil {
		return ""
	}
	return defus.FormatNumber(*n)
}

func optionalYear(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func optionalDecimal(v *float64) string {
	if v == nil {
		return ""
	}
	return defus.FormatDecimal(*v)
}

func memberAdminURL(id int64) string { return "/admin/mitglieder/" + strconv.FormatInt(id, 10) }

func contactAdminURL(memberID, id int64, suffix string) string {
	return memberAdminURL(memberID) + "/ansprechpersonen/" + strconv.FormatInt(id, 10) + suffix
}

// contactAudience says who sees a contact person.
func contactAudience(c defus.Contact) string {
	if c.Public {
		return "öffentlich"
	}
	return "nur für Mitglieder"
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
