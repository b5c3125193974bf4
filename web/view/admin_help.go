package view

import (
	"strings"

	"github.com/a-h/templ"
)

// HelpData is what the office's help page says with numbers taken from the
// running portal, so the text never disagrees with the rules it describes.
type HelpData struct {
	RetentionDays      int // closed enquiries are deleted this many days after closing
	SpamRetentionDays  int // enquiries marked as spam, likewise
	MaxMegapixels      int // the largest picture the upload takes
	LoginAttempts      int // wrong passwords from one browser before it has to wait
	LoginWindowMinutes int // … within this many minutes
}

// helpSection is one section of the help page and the admin pages that
// link to it.
type helpSection struct {
	ID    string // element id on /admin/hilfe
	About string // ends the help link's accessible name: "Hilfe zu Terminen"
	Area  string // the path segment after /admin of the pages that link here; "" is /admin itself
}

// helpSections are the help page's sections that admin pages link to. The
// page's own text is in admin_help.templ; TestAdminPagesLinkToHelp checks
// that every admin page links to an id that exists there.
var helpSections = []helpSection{
	{ID: "uebersicht", About: "zur Übersicht", Area: ""},
	{ID: "anfragen", About: "zu Anfragen", Area: "anfragen"},
	{ID: "termine", About: "zu Terminen", Area: "termine"},
	{ID: "mitglieder", About: "zu Mitgliedern", Area: "mitglieder"},
	{ID: "seiten", About: "zu Seiten", Area: "seiten"},
	{ID: "themen", About: "zu Themen", Area: "themen"},
	{ID: "aktuelles", About: "zu Aktuelles", Area: "aktuelles"},
	{ID: "medien", About: "zu Medien", Area: "medien"},
	{ID: "verein", About: "zu den Vereinsdaten", Area: "verein"},
	{ID: "konten", About: "zu Benutzerkonten", Area: "benutzer"},
	{ID: "protokoll", About: "zum Protokoll", Area: "protokoll"},
}

// Sub-sections with pages of their own.
var (
	helpContacts = helpSection{ID: "ansprechpersonen", About: "zu Ansprechpersonen"}
	helpAccess   = helpSection{ID: "auskunft", About: "zur Auskunft"}
)

// helpFor is the help section for the admin page at path; none for the
// help page itself, the login and unknown areas.
func helpFor(path string) (helpSection, bool) {
	rest, ok := strings.CutPrefix(path, "/admin")
	if !ok || (rest != "" && rest[0] != '/') {
		return helpSection{}, false
	}
	seg := strings.Split(strings.Trim(rest, "/"), "/")
	switch {
	case seg[0] == "mitglieder" && len(seg) > 2 && seg[2] == "ansprechpersonen":
		return helpContacts, true
	case seg[0] == "anfragen" && len(seg) > 1 && seg[1] == "auskunft":
		return helpAccess, true
	}
	for _, s := range helpSections {
		if s.Area == seg[0] {
			return s, true
		}
	}
	return helpSection{}, false
}

// href is the section's address on the help page.
func (s helpSection) href() templ.SafeURL { return templ.SafeURL("/admin/hilfe#" + s.ID) }
