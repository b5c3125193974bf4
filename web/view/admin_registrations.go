package view

import (
	"strconv"

	"defus.de/portal/internal/defus"
)

// AdminRegistrationsData is the office's list of an event's registrations.
type AdminRegistrationsData struct {
	Event  defus.Event
	Regs   []defus.Registration
	Counts defus.RegistrationCounts
	Past   bool   // the event is over: attendance can be marked
	Notice string // a refusal of the last action, shown above the lists
	Form[AdminRegistrationForm]
}

// AdminRegistrationForm adds a person by hand.
type AdminRegistrationForm struct {
	Name, Email, Organisation string
	State                     string // "confirmed" or "waiting"
}

// AddStateOptions are where the office puts a person it adds.
var AddStateOptions = []Option{{string(defus.RegConfirmed), "Mit Platz (auch über die Zahl der Plätze hinaus)"},
	{string(defus.RegWaiting), "Auf die Warteliste (ans Ende)"}}

func (d AdminRegistrationsData) fields(f AdminRegistrationForm) Fields {
	return Fields{
		{ID: "add-name", Name: "name", Label: "Name", Value: f.Name, Required: true},
		{ID: "add-email", Name: "email", Label: "E-Mail-Adresse", Type: "email", Value: f.Email, Required: true},
		{ID: "add-organisation", Name: "organisation", Label: "Organisation", Value: f.Organisation, Optional: true},
		{ID: "add-state", Name: "state", Label: "Wohin", Value: f.State, Options: AddStateOptions},
	}
}

// Controls lays out the form to add a person.
func (d AdminRegistrationsData) Controls() Controls { return d.Form.Controls(d.fields) }

// In lists the registrations in the states, in their order.
func (d AdminRegistrationsData) In(states ...defus.RegistrationState) []defus.Registration {
	var out []defus.Registration
	for _, r := range d.Regs {
		for _, s := range states {
			if r.State == s {
				out = append(out, r)
			}
		}
	}
	return out
}

// Base is the path of the event's registrations.
func (d AdminRegistrationsData) Base() string {
	return "/admin/termine/" + strconv.FormatInt(d.Event.ID, 10) + "/anmeldungen"
}

// RegPath is the path of one registration's action.
func (d AdminRegistrationsData) RegPath(r defus.Registration, action string) string {
	return d.Base() + "/" + strconv.FormatInt(r.ID, 10) + "/" + action
}

// Held says how many places are taken: "12 von 20 Plätzen", "12 Plätze".
func (d AdminRegistrationsData) Held() string {
	if d.Event.Registration.Capacity == nil {
		return strconv.Itoa(d.Counts.Held()) + " angemeldet (ohne Grenze)"
	}
	return strconv.Itoa(d.Counts.Held()) + " von " + strconv.Itoa(*d.Event.Registration.Capacity) + " Plätzen vergeben"
}

// RegistrationCountText is the events list's column: "12/20, 3 warten".
func RegistrationCountText(e defus.Event, c defus.RegistrationCounts) string {
	if e.Registration.Mode == defus.RegistrationOff || e.Registration.Mode == "" {
		return "–"
	}
	s := strconv.Itoa(c.Held())
	if e.Registration.Capacity != nil {
		s += "/" + strconv.Itoa(*e.Registration.Capacity)
	}
	if c.Waiting > 0 {
		s += ", " + strconv.Itoa(c.Waiting) + " warten"
	}
	return s
}

func attendedChecked(r defus.Registration) bool { return r.Attended != nil && *r.Attended }

func regDate(r defus.Registration) string { return defus.FormatDate(r.CreatedAt) }
