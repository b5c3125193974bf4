package defus

import (
	"time"
)

// MemberKind distinguishes member cities from member organisations.
type MemberKind string

// The kinds of member.
const (
	KindCity         MemberKind = "city"
	KindOrganisation MemberKind = "organisation"
)

// MemberKindFromParam maps the German URL parameter value (?art=stadt) to a kind.
func MemberKindFromParam(s string) (MemberKind, bool) {
	switch s {
	case "stadt":
		return KindCity, true
	case "organisation":
		return KindOrganisation, true
	}
	return "", false
}

// Param is the German URL parameter value of the kind.
func (k MemberKind) Param() string {
	if k == KindCity {
		return "stadt"
	}
	return string(k)
}

// Label is the German name of the kind.
func (k MemberKind) Label() string {
	switch k {
	case KindCity:
		return "Stadt"
	case KindOrganisation:
		return "Organisation"
	}
	return string(k)
}

// Member is a city or organisation in the DEFUS network.
type Member struct {
	ID             int64
	Slug           string
	Name           string // official name, "Stadt Köln"
	ShortName      string // "Köln"; the directory sorts by it
	Kind           MemberKind
	State          string
	Population     *int
	PopulationYear *int
	MemberSince    *int
	Lat, Lon       *float64
	Website        string
	Description    string // Markdown
	LogoMediaID    *int64 // an uploaded image (PNG, JPEG, WebP); nil: no logo
	Published      bool
	ConfirmedAt    *time.Time // the profile last confirmed as right (members' area); nil: never
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int

	Contacts []Contact // filled by FindMember and FindMemberByID
	Topics   []Topic   // filled by FindMember and FindMemberByID
	TopicIDs []int64   // the topics CreateMember and UpdateMember save; FindMemberByID fills it
	Logo     *Media    // the logo without its bytes, filled by FindMember and FindMemberByID
	// NewLogo is a picture uploaded with the member form: CreateMember and
	// UpdateMember store it in the same transaction and make it the logo.
	NewLogo *Media
}

// HasLocation reports whether the member can be placed on the map.
func (m *Member) HasLocation() bool { return m.Lat != nil && m.Lon != nil }

// Contact is a contact person of a member. Only Public contacts are shown to visitors.
type Contact struct {
	ID        int64
	MemberID  int64
	Position  int
	Name      string
	Function  string
	Email     string
	Phone     string
	Public    bool
	UpdatedAt time.Time
	Version   int
}

// MemberFilter narrows a member list. Zero values mean "all".
type MemberFilter struct {
	Kind          MemberKind
	State         string
	TopicID       int64
	WithDrafts    bool // include unpublished members (admin views)
	WithTopicList bool
	Limit         int // 0: no limit
	Offset        int // skip as many first (a later page of a list)
}

// MemberPlace is where a member is, for the map: no more than the map of
// every member needs.
type MemberPlace struct {
	ID       int64
	Kind     MemberKind
	Lat, Lon float64
}

// MemberStats are the key figures of the network, computed from the data.
type MemberStats struct {
	Cities        int
	Organisations int
	States        int
}

// Valid reports whether k is one of the known kinds.
func (k MemberKind) Valid() bool { return k == KindCity || k == KindOrganisation }

// The audit log's entity names for members and their contact persons.
const (
	EntityMember  = "member"
	EntityContact = "contact"
)

// MemberListFilter narrows the office's member list: the common search,
// publication state and paging, plus kind and federal state.
type MemberListFilter struct {
	ListFilter
	Kind         MemberKind // "": all
	FederalState string     // "": all
}

// MemberDependants is what refers to a member and what deleting it does to
// them: hosted events and linked accounts stay without the member, contacts
// go with it.
type MemberDependants struct {
	EventTitles []string // events the member hosts, drafts included
	Accounts    []string // "Name (e-mail)" of accounts linked to the member
	Contacts    int
}

// Field limits of the member and contact forms, in characters.
const (
	MaxMemberName    = 200
	MaxMemberWebsite = 500
	MaxContactLine   = 200
)

// The bounds of Germany with a little margin: coordinates outside are a typo
// (often latitude and longitude swapped) and would miss the map.
const (
	MinLat, MaxLat = 47.0, 55.1
	MinLon, MaxLon = 5.5, 15.5
)

// Validate checks the member's data and returns German messages by field:
// name, short_name, slug, kind, state, population, population_year,
// member_since, lat, lon, website, description. Values are expected trimmed.
// Whether topic and logo ids exist is for the caller to check.
func (m *Member) Validate() FieldErrors {
	errs := FieldErrors{}
	if m.Name == "" {
		errs.Add("name", "Bitte geben Sie den Namen an, zum Beispiel „Stadt Köln“.")
	}
	errs.Check("name", CheckText(m.Name, "Der Name", false, MaxMemberName, false))
	if m.ShortName == "" {
		errs.Add("short_name", "Bitte geben Sie einen Kurznamen an, zum Beispiel „Köln“.")
	}
	errs.Check("short_name", CheckText(m.ShortName, "Der Kurzname", false, MaxMemberName, false))
	errs.Check("slug", CheckSlug(m.Slug))
	if !m.Kind.Valid() {
		errs.Add("kind", "Bitte wählen Sie, ob das Mitglied eine Stadt oder eine Organisation ist.")
	}
	switch {
	case m.State != "" && !IsState(m.State):
		errs.Add("state", "Bitte wählen Sie ein Bundesland aus der Liste.")
	case m.State == "" && m.Kind == KindCity:
		errs.Add("state", "Bitte wählen Sie das Bundesland, in dem die Stadt liegt.")
	}
	if m.Population != nil {
		switch {
		case m.Kind == KindOrganisation:
			errs.Add("population", "Nur Städte haben eine Einwohnerzahl. Bitte lassen Sie das Feld bei Organisationen leer.")
		case *m.Population < 1 || *m.Population > MaxPopulation:
			errs.Add("population", "Bitte geben Sie die Einwohnerzahl als ganze Zahl größer als null an, zum Beispiel 1.084.831.")
		}
	}
	if m.PopulationYear != nil {
		switch {
		case !ValidYear(*m.PopulationYear):
			errs.Add("population_year", "Bitte geben Sie das Jahr der Einwohnerzahl vierstellig an, zum Beispiel 2024.")
		case m.Population == nil:
			errs.Add("population_year", "Ein Stand ohne Einwohnerzahl sagt nichts. Bitte geben Sie auch die Einwohnerzahl an oder lassen Sie das Jahr leer.")
		}
	}
	if m.MemberSince != nil && (*m.MemberSince < 1987 || *m.MemberSince > 2200) {
		errs.Add("member_since", "Bitte geben Sie das Beitrittsjahr vierstellig an, frühestens 1987.")
	}
	switch {
	case m.Lat != nil && m.Lon != nil && inGermany(*m.Lon, *m.Lat) && !inGermany(*m.Lat, *m.Lon):
		errs.Add("lat", "Breitengrad und Längengrad scheinen vertauscht: In Deutschland liegt der Breitengrad zwischen 47 und 55,1, der Längengrad zwischen 5,5 und 15,5.")
	default:
		if m.Lat != nil && (*m.Lat < MinLat || *m.Lat > MaxLat) {
			errs.Add("lat", "Der Breitengrad muss in Deutschland liegen, also zwischen 47 und 55,1 – zum Beispiel 50,9375 für Köln.")
		}
		if m.Lon != nil && (*m.Lon < MinLon || *m.Lon > MaxLon) {
			errs.Add("lon", "Der Längengrad muss in Deutschland liegen, also zwischen 5,5 und 15,5 – zum Beispiel 6,9603 für Köln.")
		}
	}
	switch {
	case m.Lat != nil && m.Lon == nil:
		errs.Add("lon", "Bitte geben Sie auch den Längengrad an – oder keine der beiden Koordinaten.")
	case m.Lat == nil && m.Lon != nil:
		errs.Add("lat", "Bitte geben Sie auch den Breitengrad an – oder keine der beiden Koordinaten.")
	}
	if msg := CheckText(m.Website, "Die Website-Adresse", false, MaxMemberWebsite, false); msg != "" {
		errs.Add("website", msg)
	} else if m.Website != "" && !ValidWebURL(m.Website) {
		errs.Add("website", "Die Website-Adresse muss mit https:// oder http:// beginnen, zum Beispiel https://www.stadt-koeln.de.")
	}
	errs.Check("description", CheckText(m.Description, "Die Beschreibung", false, MaxBodyLen, true))
	return errs
}

func inGermany(lat, lon float64) bool {
	return lat >= MinLat && lat <= MaxLat && lon >= MinLon && lon <= MaxLon
}

// Validate checks the contact person's data and returns German messages by
// field: name, function, email, phone. Values are expected trimmed.
func (c *Contact) Validate() FieldErrors {
	errs := FieldErrors{}
	if c.Name == "" {
		errs.Add("name", "Bitte geben Sie den Namen der Ansprechperson an.")
	}
	errs.Check("name", CheckText(c.Name, "Der Name", false, MaxContactLine, false))
	errs.Check("function", CheckText(c.Function, "Die Funktion", false, MaxContactLine, false))
	errs.Check("email", CheckEmail(c.Email, "Die E-Mail-Adresse"))
	if msg := CheckText(c.Phone, "Die Telefonnummer", false, MaxEnquiryPhone, false); msg != "" {
		errs.Add("phone", msg)
	} else if c.Phone != "" && !ValidPhone(c.Phone) {
		errs.Add("phone", "Bitte geben Sie eine Telefonnummer nur mit Ziffern, Leerzeichen und + ( ) / - an.")
	}
	return errs
}
