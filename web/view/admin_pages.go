package view

import (
	"strconv"

	"defus.de/portal/internal/defus"
)

// PagesIndexData is the office's list of content pages.
type PagesIndexData struct {
	Query  string // the search as typed
	State  string // "", "published", "draft"
	Total  int
	Pages  []defus.Page
	Paging Paging
}

func (d PagesIndexData) filter() ListFilterData {
	return ListFilterData{Action: "/admin/seiten", Label: "Seiten filtern", Query: d.Query, State: d.State,
		Total: d.Total, Noun: [2]string{"Seite", "Seiten"}}
}

// PageForm is the page form as typed: the page itself, since every field
// of it is text or a flag.
type PageForm struct{ defus.Page }

// PageFormData is the form for a new or existing page.
type PageFormData struct {
	Page *defus.Page // as stored; nil for a new page
	Form[PageForm]
}

// fields is the page form's field list.
func (d PageFormData) fields(f PageForm) Fields {
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "page-title", Name: "title", Label: "Titel", Value: f.Title, Required: true},
		{ID: "page-slug", Name: "slug", Label: "Adresse", Value: f.Slug,
			Hint: "Der Teil nach dem Schrägstrich, zum Beispiel „jahresbericht-2025“ für /jahresbericht-2025. Leer lassen, um sie aus dem Titel zu bilden."},
		{ID: "page-summary", Name: "summary", Label: "Kurzbeschreibung", Value: f.Summary, Rows: 2,
			Hint: "Ein Satz für Suchmaschinen und Vorschauen."},
		{ID: "page-body", Name: "body", Label: "Text", Value: f.Body, Rows: 20, Hint: markdownHint},
		{ID: "page-published", Name: "published", Type: TypeCheckbox, Label: "Veröffentlicht (sonst Entwurf, nur hier sichtbar)",
			Value: checked(f.Published), Short: "Status", Shown: publishedLabel(f.Published)},
	}
}

// Controls lays out the page form.
func (d PageFormData) Controls() Controls { return d.Form.Controls(d.fields) }

// required reports whether the page is one the site cannot do without: it
// stays published at its address.
func (d PageFormData) required() bool { return d.Page != nil && d.Page.Required }

// Action is where the form posts.
func (d PageFormData) Action() string {
	if d.Page == nil {
		return "/admin/seiten"
	}
	return "/admin/seiten/" + strconv.FormatInt(d.Page.ID, 10)
}
