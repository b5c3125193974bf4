package view

import (
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
)

// InternMeta is what every page of the members' area needs: the layout's
// Meta, the logged-in account and a flash message.
type InternMeta struct {
	Meta
	User  *defus.User
	Flash string
}

// internNavItem is an entry of the members' area's own navigation.
var internNav = []navItem{
	{"/intern", "Übersicht"},
	{"/intern/kontakte", "Kontakte"},
	{"/intern/dokumente", "Dokumente"},
}

// internNavFor is the navigation of the members' area for u: a
// representative also has their own profile.
func internNavFor(u *defus.User) []navItem {
	if u == nil || u.Staff() || u.MemberID == nil {
		return internNav
	}
	return append(internNav[:len(internNav):len(internNav)], navItem{"/intern/profil", "Unser Profil"})
}

// internCurrent marks the entry of the members' area navigation for path.
func internCurrent(path, href string) bool {
	if href == "/intern" {
		return path == "/intern"
	}
	return path == href || len(path) > len(href) && path[:len(href)+1] == href+"/"
}

// InternHomeData is the start page of the members' area.
type InternHomeData struct {
	Events    []defus.Event
	Documents []defus.Document
	Profile   *defus.ProfileStatus // nil for office staff, who speak for no member
	Now       time.Time
}

// InternContactsData is the contact directory of the whole network.
type InternContactsData struct {
	Contacts []defus.NetworkContact // the page's
	Total    int                    // how many the filter selects
	Paging   Paging
	Query    string
	Member   string // ?mitglied as understood: a slug or ""
	State    string
	Topic    string // ?thema as understood: a slug or ""
	Members  []defus.Member
	States   []string
	Topics   []defus.TopicCount
}

// Filtered reports whether any filter is in effect.
func (d InternContactsData) Filtered() bool {
	return d.Query != "" || d.Member != "" || d.State != "" || d.Topic != ""
}

// VCardURL is the address of the whole list, as filtered, as one .vcf.
func (d InternContactsData) VCardURL() templ.SafeURL {
	q := url.Values{}
	for k, v := range map[string]string{"q": d.Query, "mitglied": d.Member, "land": d.State, "thema": d.Topic} {
		if v != "" {
			q.Set(k, v)
		}
	}
	u := "/intern/kontakte.vcf"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return templ.SafeURL(u)
}

func contactVCardURL(c defus.NetworkContact) templ.SafeURL {
	return templ.SafeURL("/intern/kontakte/" + strconv.FormatInt(c.ID, 10) + ".vcf")
}

// InternDocumentsData is the document list of the members' area.
type InternDocumentsData struct {
	Documents []defus.Document
	Total     int
	Query     string
	Topic     string // a slug or ""
	Year      int    // 0: all
	Topics    []defus.TopicCount
	Years     []int
}

// Filtered reports whether any filter is in effect.
func (d InternDocumentsData) Filtered() bool { return d.Query != "" || d.Topic != "" || d.Year != 0 }

func documentDate(d defus.Document) string { return defus.FormatDate(d.DatedOn) }

func telLink(phone string) templ.SafeURL { return templ.SafeURL(telHref(phone)) }

func contactsWord(n int) string {
	if n == 1 {
		return "1 Ansprechperson"
	}
	return strconv.Itoa(n) + " Ansprechpersonen"
}

func documentsWord(n int) string {
	if n == 1 {
		return "1 Dokument"
	}
	return strconv.Itoa(n) + " Dokumente"
}

func confirmedText(t *time.Time) string {
	if t == nil {
		return "noch nie bestätigt"
	}
	return "zuletzt bestätigt am " + defus.FormatDate(*t)
}
