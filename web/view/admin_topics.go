package view

import (
	"strconv"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
)

// TopicsIndexData is the office's list of topics in the public order.
type TopicsIndexData struct {
	Query   string // the search as typed
	State   string // "", "published", "draft"
	Total   int
	Topics  []defus.TopicAdmin
	Paging  Paging
	Reorder bool  // the move buttons are shown: only on the unfiltered list
	Moved   int64 // the topic just moved; its button gets the focus back
	MovedUp bool
}

func (d TopicsIndexData) filter() ListFilterData {
	return ListFilterData{Action: "/admin/themen", Label: "Themen filtern", Query: d.Query, State: d.State,
		Total: d.Total, Noun: [2]string{"Thema", "Themen"}}
}

// TopicForm is the topic form as typed: the topic itself, since every field
// of it is text or a flag.
type TopicForm struct{ defus.Topic }

// TopicFormData is the form for a new or existing topic.
type TopicFormData struct {
	Topic *defus.Topic // as stored; nil for a new topic
	Form[TopicForm]
}

// fields is the topic form's field list.
func (d TopicFormData) fields(f TopicForm) Fields {
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "topic-title", Name: "title", Label: "Titel", Value: f.Title, Required: true},
		{ID: "topic-slug", Name: "slug", Label: "Adresse", Value: f.Slug,
			Hint: "Der Teil nach /themen/, zum Beispiel „urbane-resilienz“. Leer lassen, um sie aus dem Titel zu bilden."},
		{ID: "topic-summary", Name: "summary", Label: "Kurzbeschreibung", Value: f.Summary, Rows: 3,
			Hint: "Zwei, drei Sätze für die Themenübersicht und die Startseite."},
		{ID: "topic-description", Name: "description", Label: "Beschreibung", Value: f.Description, Rows: 14, Hint: markdownHint},
		{ID: "topic-pillar", Name: "pillar", Type: TypeCheckbox, Label: "Themenschwerpunkt (Säule)", Short: "Themenschwerpunkt",
			Value: checked(f.Pillar), Hint: "Schwerpunkte stehen auf /themen zuerst und auf der Startseite."},
		{ID: "topic-published", Name: "published", Type: TypeCheckbox, Label: "Veröffentlicht (sonst Entwurf, nur hier sichtbar)",
			Value: checked(f.Published), Short: "Status", Shown: publishedLabel(f.Published)},
	}
}

// Controls lays out the topic form.
func (d TopicFormData) Controls() Controls { return d.Form.Controls(d.fields) }

// Action is where the form posts.
func (d TopicFormData) Action() string {
	if d.Topic == nil {
		return "/admin/themen"
	}
	return "/admin/themen/" + strconv.FormatInt(d.Topic.ID, 10)
}

// canMove reports whether t has a neighbour of its kind to swap with.
func canMove(t defus.TopicAdmin, up bool) bool {
	if up {
		return t.Place > 1
	}
	return t.Place < t.KindCount
}

func moveURL(t defus.TopicAdmin, up bool) templ.SafeURL {
	if up {
		return idURL("/admin/themen", t.ID, "/nach-oben")
	}
	return idURL("/admin/themen", t.ID, "/nach-unten")
}

func moveLabel(up bool) string {
	if up {
		return "nach oben"
	}
	return "nach unten"
}

// kindLabel is "Schwerpunkt" or "weiteres Thema".
func kindLabel(pillar bool) string {
	if pillar {
		return "Schwerpunkt"
	}
	return "weiteres Thema"
}
