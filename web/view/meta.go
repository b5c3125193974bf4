// Package view holds the portal's pages as typed templ components inside one
// layout. Components only render what they are given; they never query.
package view

import (
	"strings"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/markdown"
)

// Meta is what the layout needs to know about every page.
type Meta struct {
	Title       string // page title without the site name
	Description string // meta description
	Path        string // request path, for marking the current navigation entry
	Canonical   string // absolute URL of the page
	CSS         string // hashed URL of the style sheet
	JS          string // hashed URL of the enhancement script
	Favicon     string // hashed URL of the icon
	NoIndex     bool   // error pages and the like
	Preview     bool   // an unsaved draft shown to the office

	// Feeds are Atom feeds of this page besides the site's news feed,
	// which every page names (see Layout), for feed readers to find.
	Feeds []FeedLink

	// Site is the association's record: name and office in the footer,
	// logo in the header and as the icon; nil when it could not be read.
	Site *defus.Association
}

// FeedLink is an Atom feed a page's head names.
type FeedLink struct{ Title, Href string }

// navItem is an entry of the main navigation.
type navItem struct{ Href, Label string }

var mainNav = []navItem{
	{"/", "Start"},
	{"/mitglieder", "Mitglieder"},
	{"/termine", "Termine"},
	{"/themen", "Themen"},
	{"/aktuelles", "Aktuelles"},
	{"/ueber-uns", "Über uns"},
	{"/mitgliedschaft", "Mitgliedschaft"},
}

// current reports whether the navigation entry href is the page at path or one above it.
func current(path, href string) bool {
	if href == "/" {
		return path == "/"
	}
	return path == href || strings.HasPrefix(path, href+"/")
}

// Markdown renders sanitised Markdown.
func Markdown(src string) templ.Component {
	return templ.Raw(markdown.HTML(src))
}

func fullTitle(m Meta) string {
	if m.Title == "" {
		return "DEFUS – Deutsch-Europäisches Forum für Urbane Sicherheit"
	}
	return m.Title + " – DEFUS"
}

// siteLogo is the association's logo, or nil without one.
func siteLogo(m Meta) *defus.Media {
	if m.Site == nil {
		return nil
	}
	return m.Site.Logo
}
