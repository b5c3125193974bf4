package view

import (
	"fmt"
	"net/url"
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
	{"/admin/aktuelles", "Aktuelles", false},
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
	FollowUps      []defus.Enquiry    // follow-up day come, by that day, a few
	FollowUpsTotal int                // how many are due in all
	NewEnquiries   []defus.Enquiry    // status new, newest first, a few
	NewTotal       int                // how many are new in all
	LongestOpen    []defus.Enquiry    // new or in progress, oldest first, a few
	NextEvents     []defus.Event      // the next published events
	Recent         []defus.AuditEntry // latest changes, newest first
	Now            time.Time
}

// PasswordShownData shows a generated password once.
type PasswordShownData struct {
	User     defus.User
	Password string
	Created  bool
}

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
