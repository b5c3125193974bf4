package seed

// memberSeed is one member of the network as the seed knows it.
// Zero values mean "unknown" (Population, PopulationYear, MemberSince).
type memberSeed struct {
	Slug           string // lower-case ASCII, ä→ae, ö→oe, ü→ue, ß→ss
	Name           string // official name, e.g. "Stadt Köln"
	ShortName      string // name used for sorting and the map, e.g. "Köln"
	Kind           string // "city" or "organisation"
	State          string // federal state, e.g. "Nordrhein-Westfalen"
	Population     int
	PopulationYear int
	MemberSince    int // year the member joined DEFUS
	Lat, Lon       float64
	Website        string
	Description    string   // Markdown, German
	Topics         []string // topic slugs
	Contacts       []contactSeed
}

// contactSeed is a contact person of a member. Only Public contacts show on the public site.
type contactSeed struct {
	Name     string
	Function string
	Email    string
	Phone    string
	Public   bool
}

// topicSeed is a focus area of the network.
type topicSeed struct {
	Slug        string
	Title       string
	Summary     string // one or two sentences, plain text
	Description string // Markdown, German
	Pillar      bool   // one of the four topic pillars
}

// pageSeed is an editable content page such as /impressum.
type pageSeed struct {
	Slug     string
	Title    string
	Summary  string // plain text, used as meta description
	Body     string // Markdown, German
	Required bool   // legal, linked from navigation or footer, or the home text: never unpublished, deleted or moved
}
