package view

import (
	"strconv"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
)

// TopicsIndexData is the office's list of topics in the public order.
type TopicsIndexData struct {
	Filter  ListFilterData
	Topics  []defus.TopicAdmin
	Paging  Paging
	Reorder bool  // the move buttons are shown: only on the unfiltered list
	Moved   int64 // the topic just moved; its button gets the focus back
	MovedUp bool
}

// TopicFormData is the form for a new or existing topic.
type TopicFormData struct {
	Topic       *defus.Topic // nil for a new topic
	Version     int
	Title       Field
	Slug        Field
	Summary     Field
	Description Field
	Pillar      Field // checkbox: Value "" is unticked
	Published   Field // checkbox
	Errors      []ErrorLink
	Conflict    []ConflictField
}

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
