package defus

import "time"

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
	Published      bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int

	Contacts []Contact // filled by FindMember
	Topics   []Topic   // filled by FindMember
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
}

// MemberStats are the key figures of the network, computed from the data.
type MemberStats struct {
	Cities        int
	Organisations int
	States        int
}
