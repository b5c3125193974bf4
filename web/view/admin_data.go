package view

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
)

// AdminMeta is what the admin layout needs about every page.
type AdminMeta struct {
	Meta
	User  *defus.User // the logged-in user; nil on the login page
	Flash string      // a message from the previous request, shown once
}

// adminNav are the admin area's sections; AdminOnly ones are shown to admins only.
var adminNav = []struct {
	Href, Label string
	AdminOnly   bool
}{
	{"/admin", "Übersicht", false},
	{"/admin/anfragen", "Anfragen", false},
	{"/admin/mitglieder", "Mitglieder", false},
	{"/admin/termine", "Termine", false},
	{"/admin/seiten", "Seiten", false},
	{"/admin/themen", "Themen", false},
	{"/admin/medien", "Medien", false},
	{"/admin/verein", "Verein", false},
	{"/admin/benutzer", "Benutzer", true},
	{"/admin/protokoll", "Protokoll", false},
	{"/admin/hilfe", "Hilfe", false},
}

// adminCurrent reports whether the nav entry href is the page at path.
func adminCurrent(path, href string) bool {
	if href == "/admin" {
		return path == "/admin" || path == "/admin/"
	}
	return current(path, href)
}

// LoginData is the login form.
type LoginData struct {
	Email     string
	Next      string
	Error     string // one message for every failure, on purpose
	LoggedOut bool
}

// DashboardData is the admin start page.
type DashboardData struct {
	NewEnquiries []defus.Enquiry    // status new, newest first, a few
	NewTotal     int                // how many are new in all
	LongestOpen  []defus.Enquiry    // new or in progress, oldest first, a few
	NextEvents   []defus.Event      // the next published events
	Recent       []defus.AuditEntry // latest changes, newest first
	Now          time.Time
}

// UsersData is the account list.
type UsersData struct {
	Users   []defus.User
	Members map[int64]string // member names by id
	Self    int64            // the logged-in user's id
}

// UserFormData is the form to create or edit an account, and on the edit
// page the buttons to disable it and reset its password.
type UserFormData struct {
	User     *defus.User // nil when creating
	Version  int
	Email    Field
	Name     Field
	Role     Field
	Member   Field
	Password Field // new account, or the reset form on the edit page
	Errors   []ErrorLink
	Conflict *defus.User // the account as someone else saved it meanwhile
	Disable  string      // why disabling failed
}

// PasswordShownData shows a generated password once.
type PasswordShownData struct {
	User     defus.User
	Password string
	Created  bool
}

// AuditData is the audit log page.
type AuditData struct {
	Entries            []defus.AuditEntry
	Total              int
	Page, Pages        int
	Actors             []defus.AuditActor
	Entities           []string
	Person, Entity     string // the filter as typed
	From, To           string // YYYY-MM-DD
	Errors             []ErrorLink
	FromError, ToError string
	Query              url.Values // the filter, for the paging links
}

// pageURL is the audit log URL of page n with the current filter.
func (d AuditData) pageURL(n int) templ.SafeURL { return pagedURL("/admin/protokoll", d.Query, n) }

// pagedURL is path with the filter query and page n.
func pagedURL(path string, query url.Values, n int) templ.SafeURL {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("seite", fmt.Sprint(n))
	return templ.SafeURL(path + "?" + q.Encode())
}

// adminDateTime writes "24.11.2026, 10:00 Uhr" in Berlin time.
func adminDateTime(t time.Time) string {
	return t.In(defus.Berlin).Format("02.01.2006, 15:04") + " Uhr"
}

// adminDateTimeISO is the machine-readable time for <time datetime>.
func adminDateTimeISO(t time.Time) string { return t.Format(time.RFC3339) }

// fieldLabels name the fields of audit changes in German.
var fieldLabels = map[string]string{
	"email":     "E-Mail",
	"name":      "Name",
	"role":      "Rolle",
	"member_id": "Mitglied",
	"disabled":  "Gesperrt",
	"status":    "Status",
	"pillar":    "Schwerpunkt",
	// members and their contact persons
	"short_name":      "Kurzname",
	"slug":            "Adresse",
	"kind":            "Art",
	"state":           "Bundesland",
	"population":      "Einwohnerzahl",
	"population_year": "Stand der Einwohnerzahl",
	"member_since":    "Mitglied seit",
	"lat":             "Breitengrad",
	"lon":             "Längengrad",
	"website":         "Website",
	"description":     "Beschreibung",
	"logo_media_id":   "Logo (Bild-Nr.)",
	"topics":          "Themen",
	"published":       "Veröffentlicht",
	"function":        "Funktion",
	"phone":           "Telefon",
	// the association's record
	"founded_on":    "Gegründet am",
	"founded_place": "Gegründet in",
	"street":        "Straße",
	"postcode":      "Postleitzahl",
	"city":          "Ort",
	"public":        "Öffentlich",
	"position":      "Stelle in der Reihenfolge",
	// Content: pages and events.
	"title":             "Titel",
	"summary":           "Kurzbeschreibung",
	"when":              "Wann",
	"format":            "Format",
	"place":             "Ort",
	"online_url":        "Online-Link",
	"online_url_public": "Link öffentlich",
	"host":              "Gastgeber",
	"partners":          "In Kooperation mit",
	"registration_note": "Hinweis zur Anmeldung",
	"registration_url":  "Anmeldelink",
	// media
	"alt_text":     "Alternativtext/Titel",
	"content_type": "Typ",
	"size":         "Größe",
	"logo_of":      "Logo von",
}

// changeLine is one field of an audit entry's changes, ready to show.
type changeLine struct{ Field, Old, New string }

// changeLines lists an entry's changes by field name.
func changeLines(c defus.Changes) []changeLine {
	var out []changeLine
	for field, v := range c {
		label := fieldLabels[field]
		if label == "" {
			label = field
		}
		old, new := changeValue(v[0]), changeValue(v[1])
		if field == "role" {
			old, new = defus.Role(old).Label(), defus.Role(new).Label()
		}
		out = append(out, changeLine{label, old, new})
	}
	slices.SortFunc(out, func(a, b changeLine) int {
		if a.Field < b.Field {
			return -1
		}
		if a.Field > b.Field {
			return 1
		}
		return 0
	})
	return out
}

func changeValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "–"
	case string:
		if v == "" {
			return "–"
		}
		return v
	case bool:
		if v {
			return "ja"
		}
		return "nein"
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatInt(int64(v), 10) // JSON numbers come back as float64
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// actorName is who did it, or "System" for changes without a person.
func actorName(a defus.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return "System"
}

// entityText is "Benutzerkonto: Anna Admin".
func entityText(e defus.AuditEntry) string {
	if e.EntityLabel == "" {
		return defus.EntityLabel(e.Entity)
	}
	return defus.EntityLabel(e.Entity) + ": " + e.EntityLabel
}

func actorOptions(actors []defus.AuditActor) []Option {
	opts := []Option{{"", "Alle Personen"}}
	for _, a := range actors {
		opts = append(opts, Option{fmt.Sprint(a.ID), a.Name + " (" + a.Email + ")"})
	}
	return opts
}

func entityOptions(entities []string) []Option {
	opts := []Option{{"", "Alle Bereiche"}}
	for _, e := range entities {
		opts = append(opts, Option{e, defus.EntityLabel(e)})
	}
	return opts
}

// entriesWord is "1 Eintrag" or "n Einträge".
func entriesWord(n int) string {
	if n == 1 {
		return "1 Eintrag"
	}
	return defus.FormatNumber(n) + " Einträge"
}
