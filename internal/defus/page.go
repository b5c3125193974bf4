package defus

import "time"

// Page is an editable content page such as /ueber-uns or /impressum.
type Page struct {
	ID        int64
	Slug      string
	Title     string
	Summary   string
	Body      string // Markdown
	Required  bool   // legal, linked from the navigation, or the home page: never unpublished, deleted or moved
	Published bool
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

// HomeSlug is the page whose title, summary and text open the home page; it
// has no address of its own.
const HomeSlug = "startseite"

// Path is where visitors find the page.
func (p *Page) Path() string {
	if p.Slug == HomeSlug {
		return "/"
	}
	return "/" + p.Slug
}

// EntityPage is the audit log's entity name for content pages.
const EntityPage = "page"

// ReservedSlugs are first path segments the site uses itself; a page cannot
// take one of them, since pages are served at /{slug}.
var ReservedSlugs = map[string]bool{
	"admin": true, "intern": true, "static": true, "medien": true, "mitglieder": true, "termine": true,
	"themen": true, "aktuelles": true, "suche": true, "en": true, "healthz": true, "readyz": true,
	"sitemap-xml": true, "robots-txt": true, "favicon-ico": true, "termine-ics": true,
}

// Text limits shared by the content forms.
const (
	MaxTitleLen   = 200
	MaxSummaryLen = 500
	MaxBodyLen    = 100_000
)

// Validate checks the page's data and returns German messages by field:
// title, slug, summary, body, published. Values are expected trimmed.
func (p *Page) Validate() FieldErrors {
	errs := FieldErrors{}
	if p.Title == "" {
		errs.Add("title", "Bitte geben Sie einen Titel an.")
	}
	errs.Check("title", CheckText(p.Title, "Der Titel", false, MaxTitleLen, false))
	errs.Check("slug", CheckSlug(p.Slug))
	if ReservedSlugs[p.Slug] {
		errs.Add("slug", "Diese Adresse verwendet die Website selbst. Bitte wählen Sie eine andere.")
	}
	errs.Check("summary", CheckText(p.Summary, "Die Kurzbeschreibung", false, MaxSummaryLen, false))
	errs.Check("body", CheckText(p.Body, "Der Text", false, MaxBodyLen, true))
	if p.Required && !p.Published {
		errs.Add("published", "Diese Pflichtseite muss immer veröffentlicht sein.")
	}
	return errs
}

// CheckSlug returns a German message when slug is not a well-formed address part, or "".
func CheckSlug(slug string) string {
	switch {
	case slug == "":
		return "Bitte geben Sie eine Adresse an, zum Beispiel „jahresbericht-2025“."
	case !ValidSlug(slug):
		return "Die Adresse darf nur Kleinbuchstaben ohne Umlaute, Ziffern und einzelne Bindestriche enthalten, zum Beispiel „jahresbericht-2025“."
	}
	return ""
}
