package server

import (
	"net/http"
	"strconv"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// readRegistrationSettings reads the event form's registration fields into
// in: who registers, places, the last day and places per member as typed;
// what cannot be read gets a message at its field.
func readRegistrationSettings(r *http.Request, in *view.EventForm, errs defus.FieldErrors) {
	reg := &in.Event.Registration
	reg.Mode = defus.RegistrationMode(r.PostFormValue("registration_mode"))
	reg.OnlineURLMembers = formChecked(r, "online_url_members")
	reg.ShowParticipants = formChecked(r, "show_participants")
	in.Capacity, in.PlacesPerMember = formText(r, "capacity"), formText(r, "places_per_member")
	in.Deadline = formText(r, "registration_deadline")
	number := func(field, v string) *int {
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			errs.Add(field, "Bitte geben Sie eine ganze Zahl an, zum Beispiel 20 – oder lassen Sie das Feld leer.")
			return nil
		}
		return &n
	}
	reg.Capacity = number("capacity", in.Capacity)
	reg.PlacesPerMember = number("places_per_member", in.PlacesPerMember)
	reg.Deadline = nil
	if in.Deadline != "" {
		d, ok := defus.ParseDate(in.Deadline)
		if !ok {
			errs.Add("registration_deadline", msgDateInvalid)
			return
		}
		in.Deadline = d.Format("2006-01-02")
		end := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, defus.Berlin)
		reg.Deadline = &end
	}
}

// registrationSettingsInput shows stored registration settings in the form.
func registrationSettingsInput(in *view.EventForm) {
	reg := in.Event.Registration
	if reg.Capacity != nil {
		in.Capacity = strconv.Itoa(*reg.Capacity)
	}
	if reg.PlacesPerMember != nil {
		in.PlacesPerMember = strconv.Itoa(*reg.PlacesPerMember)
	}
	if reg.Deadline != nil {
		// The deadline is midnight after the last day.
		in.Deadline = reg.Deadline.In(defus.Berlin).AddDate(0, 0, -1).Format("2006-01-02")
	}
}
