package view

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
)

// HomeData is what the start page shows.
type HomeData struct {
	Stats        defus.MemberStats
	FoundedYear  int
	FoundedPlace string
	Topics       []defus.TopicCount // pillars first
	Events       []defus.Event      // the next events
	Intro        *defus.Page        // the office's text (defus.HomeSlug); nil when missing
	News         NewsSection        // the three newest articles
	Now          time.Time
}

// MembersData is the member directory with its filter and map.
type MembersData struct {
	Members []defus.Member // the page's members
	Count   int            // all members of the filter, on every page
	Total   int            // all published members, for "5 von 20"
	Kind    string         // ?art as understood: "", "stadt" or "organisation"
	State   string         // ?land as understood: "" or a state with members
	States  []string       // states to choose from
	Notes   []string       // German notes about filter values that were ignored
	Map     MapData
	// Page of Pages: a long list comes in pages (Count is all of them).
	Page, Pages int
}

// Filtered reports whether any filter is in effect.
func (d MembersData) Filtered() bool { return d.Kind != "" || d.State != "" }

// query is the list's filter as URL parameters, for the pager's links.
func (d MembersData) query() url.Values {
	q := url.Values{}
	if d.Kind != "" {
		q.Set("art", d.Kind)
	}
	if d.State != "" {
		q.Set("land", d.State)
	}
	return q
}

// MapData is the member map, already projected. The members of the list's
// page are Dots, links with a name; all others of the filter are drawn
// together, without links, in OtherCities and OtherOrganisations.
type MapData struct {
	ViewBox string
	Outline string
	Dots    []MapDot
	// Path data of the dots that are no links: a zero-length line each for
	// cities (drawn as a round dot by its stroke), a diamond for organisations.
	OtherCities, OtherOrganisations string
}

// Drawn reports whether the map has any member to show.
func (mp MapData) Drawn() bool {
	return len(mp.Dots) > 0 || mp.OtherCities != "" || mp.OtherOrganisations != ""
}

// Partial reports whether some members are drawn without a link.
func (mp MapData) Partial() bool { return mp.OtherCities != "" || mp.OtherOrganisations != "" }

// MapDot is one member on the map.
type MapDot struct {
	Href    string
	Label   string // accessible name
	X, Y    string
	Diamond string // polygon points for organisations
	Kind    defus.MemberKind
}

// TopicData is a topic page.
type TopicData struct {
	Topic     defus.Topic
	Members   []defus.Member
	Events    RelatedEvents
	News      NewsSection
	Documents []defus.Document // public documents on the topic
}

// hasTopicKind reports whether topics holds a pillar (or a further topic).
func hasTopicKind(topics []defus.TopicCount, pillar bool) bool {
	for _, t := range topics {
		if t.Pillar == pillar {
			return true
		}
	}
	return false
}

// pillarsHeading is "Die vier Schwerpunkte", with as many as are published.
func pillarsHeading(topics []defus.TopicCount) string {
	n := 0
	for _, t := range topics {
		if t.Pillar {
			n++
		}
	}
	words := []string{"zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"}
	switch {
	case n == 1:
		return "Der Schwerpunkt"
	case n >= 2 && n-2 < len(words):
		return "Die " + words[n-2] + " Schwerpunkte"
	}
	return "Die Schwerpunkte"
}

// ErrorData is an error page.
type ErrorData struct {
	Status    int
	Title     string
	Text      string
	RequestID string
}

func itoa(n int) string { return strconv.Itoa(n) }

// membersWord is "Mitglied" or "Mitglieder".
func membersWord(n int) string {
	if n == 1 {
		return "1 Mitglied"
	}
	return strconv.Itoa(n) + " Mitglieder"
}

// memberLine is the short description under a member's name in lists:
// "Bayern · 302.000 Einwohner".
func memberLine(m defus.Member) string {
	s := m.State
	if m.Kind == defus.KindCity && m.Population != nil {
		s += " · " + defus.FormatNumber(*m.Population) + " Einwohner"
	}
	return s
}

func populationText(m defus.Member) string {
	if m.Population == nil {
		return ""
	}
	s := defus.FormatNumber(*m.Population)
	if m.PopulationYear != nil {
		s += " (Stand " + strconv.Itoa(*m.PopulationYear) + ")"
	}
	return s
}

// logoAlt is the logo's alt text, or "Logo" and the member's name when the
// upload has none.
func logoAlt(m defus.Member) string {
	if m.Logo != nil && m.Logo.AltText != "" {
		return m.Logo.AltText
	}
	return "Logo: " + m.Name
}

func publicContacts(cs []defus.Contact) []defus.Contact {
	var out []defus.Contact
	for _, c := range cs {
		if c.Public {
			out = append(out, c)
		}
	}
	return out
}

// telHref is the tel: link of a phone number as people write it: only its
// digits and a leading +. The trunk prefix that German numbers show in
// brackets after the country code ("+49 (0)511 …") is dropped, since it
// is not dialled from abroad nor with the country code.
func telHref(phone string) string {
	if i := strings.Index(phone, "(0)"); i >= 0 && strings.Contains(phone[:i], "+") {
		phone = phone[:i] + phone[i+3:]
	}
	b := []byte{}
	for i := 0; i < len(phone); i++ {
		c := phone[i]
		if (c >= '0' && c <= '9') || (c == '+' && len(b) == 0) {
			b = append(b, c)
		}
	}
	return "tel:" + string(b)
}
