package defus

import "time"

// Topic is a focus area of the network's work. Some of them are the pillars
// (Schwerpunkte), shown first and on the home page.
type Topic struct {
	ID          int64
	Slug        string
	Title       string
	Summary     string
	Description string // Markdown
	Pillar      bool
	Position    int // order within all topics; pillars come first regardless
	Published   bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}

// TopicCount pairs a topic with how many published members work on it.
type TopicCount struct {
	Topic
	Members int
}

// EntityTopic is the audit log's entity name for topics.
const EntityTopic = "topic"

// Validate checks the topic's data and returns German messages by field:
// title, slug, summary, description. Values are expected trimmed.
func (t *Topic) Validate() FieldErrors {
	errs := FieldErrors{}
	if t.Title == "" {
		errs.Add("title", "Bitte geben Sie einen Titel an.")
	}
	errs.Check("title", CheckText(t.Title, "Der Titel", false, MaxTitleLen, false))
	if t.Slug != "" || !errs.Has("title") {
		// An empty slug is proposed from the title: without a title, the
		// title's message says all there is to say.
		errs.Check("slug", CheckSlug(t.Slug))
	}
	errs.Check("summary", CheckText(t.Summary, "Die Kurzbeschreibung", false, MaxSummaryLen, false))
	errs.Check("description", CheckText(t.Description, "Die Beschreibung", false, MaxBodyLen, true))
	return errs
}

// TopicAdmin is a topic as the office's list shows it: how many members and
// events (drafts included) use it, and where it stands among the topics of
// its kind (pillars or further topics), which the public pages show in
// this order.
type TopicAdmin struct {
	Topic
	Members   int
	Events    int
	Place     int // 1-based, within its kind
	KindCount int // how many topics of its kind there are
}

// TopicDependants is what refers to a topic: the members and events linked
// with it, drafts included, and how many enquiries mention it. Deleting the
// topic removes these links; the records themselves stay. Of the members
// only ID, Name and Published are filled, of the events ID, Title,
// StartsAt and Published.
type TopicDependants struct {
	Members   []Member
	Events    []Event
	Enquiries int
}

// Direction is where a topic moves in the order: Up is one place earlier.
type Direction int

// The two directions of a move.
const (
	Up   Direction = -1
	Down Direction = 1
)
