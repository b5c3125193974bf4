package defus

import "time"

// Page is an editable content page such as /ueber-uns or /impressum.
type Page struct {
	ID        int64
	Slug      string
	Title     string
	Summary   string
	Body      string // Markdown
	Legal     bool   // legal pages can never be unpublished or deleted
	Published bool
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

// Association describes DEFUS itself: name, founding, office address.
type Association struct {
	Name         string
	ShortName    string
	FoundedOn    time.Time
	FoundedPlace string
	Street       string
	Postcode     string
	City         string
	Phone        string
	Email        string
}
