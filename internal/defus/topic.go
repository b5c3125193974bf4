package defus

import "time"

// Topic is a focus area of the network's work. Four of them are the pillars.
type Topic struct {
	ID          int64
	Slug        string
	Title       string
	Summary     string
	Description string // Markdown
	Pillar      bool
	Position    int
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
