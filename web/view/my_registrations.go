package view

import "defus.de/portal/internal/defus"

// MyRegistrationsData is a member's own registrations and calendar feed.
type MyRegistrationsData struct {
	Regs    []defus.Registration
	Events  []defus.Event // the event of each registration
	FeedURL string        // the new secret feed address, shown once after renewing
}
