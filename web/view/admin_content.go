package view

import (
	"net/url"
	"strconv"

	"github.com/a-h/templ"
)

// Paging describes one page of a long list and builds the links to others.
type Paging struct {
	Page, Pages int
	Base        string     // path of the list
	Query       url.Values // the list's filter, kept in every link
}

// URL is the address of page n of the list.
func (p Paging) URL(n int) templ.SafeURL {
	q := url.Values{}
	for k, v := range p.Query {
		if k != "seite" && len(v) > 0 && v[0] != "" {
			q[k] = v
		}
	}
	if n > 1 {
		q.Set("seite", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return templ.SafeURL(p.Base)
	}
	return templ.SafeURL(p.Base + "?" + q.Encode())
}

// ListFilterData is the search and state filter above a content list.
type ListFilterData struct {
	Action string // the list's path
	Label  string // accessible name of the filter form
	Query  string
	State  string // "", "published", "draft" (or one of StateOptions)
	Total  int
	Noun   [2]string // singular and plural, "Seite"/"Seiten"
	Extra  []Field   // further selects between the search and the state, e.g. kind

	// A list filtered by something other than the publication state names
	// it here: parameter, label and choices. Empty: ?status=, "Status",
	// veröffentlicht/Entwurf.
	StateParam   string
	StateLabel   string
	StateOptions []Option
}

// filtered reports whether any filter is set, so a reset link is useful.
func (d ListFilterData) filtered() bool {
	if d.Query != "" || d.State != "" {
		return true
	}
	for _, f := range d.Extra {
		if f.Value != "" {
			return true
		}
	}
	return false
}

// stateField is the select of the filter's second criterion.
func (d ListFilterData) stateField() Field {
	f := Field{ID: "filter-state", Name: "status", Label: "Status", Value: d.State, Placeholder: "Alle",
		Options: []Option{{"published", "veröffentlicht"}, {"draft", "Entwurf"}}}
	if d.StateParam != "" {
		f.Name, f.Label, f.Options = d.StateParam, d.StateLabel, d.StateOptions
	}
	return f
}

// countText is "1 Seite" or "12 Seiten".
func (d ListFilterData) countText() string {
	if d.Total == 1 {
		return "1 " + d.Noun[0]
	}
	return strconv.Itoa(d.Total) + " " + d.Noun[1]
}

// ConflictField is a field that someone else changed while the form was open:
// what is stored now, shown beside what the person typed.
type ConflictField struct {
	Label   string
	Current string
}

// ConfirmDeleteData is the confirmation step before deleting a record.
type ConfirmDeleteData struct {
	Title      string   // "Seite „Kontakt“ löschen?"
	Text       string   // what deleting means
	Dependants []string // what depends on the record, in German
	Blocked    string   // why it cannot be deleted; empty when it can
	Action     string   // POST target
	Back       string   // where "Abbrechen" leads
	Version    int
	// Instead offers a gentler way than deleting, e.g. cancelling an event;
	// shown as a link to InsteadHref when set.
	Instead, InsteadHref string
	// Erasable offers to delete personal data for good (GDPR Art. 17):
	// a box "erase" that also takes it out of the audit log.
	Erasable bool
}

func publishedLabel(published bool) string {
	if published {
		return "veröffentlicht"
	}
	return "Entwurf"
}

func idURL(base string, id int64, suffix string) templ.SafeURL {
	return templ.SafeURL(base + "/" + strconv.FormatInt(id, 10) + suffix)
}
