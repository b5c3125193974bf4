package server

import (
	"net/http"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// associationForm is the association form as typed: the date stays text
// so that a date that cannot be read comes back as it was typed.
type associationForm struct {
	defus.Association
	foundedOn string
}

func readAssociationForm(r *http.Request) associationForm {
	f := associationForm{foundedOn: formText(r, "founded_on")}
	a := &f.Association
	a.Name, a.ShortName = formText(r, "name"), formText(r, "short_name")
	a.FoundedOn, _ = defus.ParseDate(f.foundedOn)
	a.FoundedPlace = formText(r, "founded_place")
	a.Street, a.Postcode, a.City = formText(r, "street"), formText(r, "postcode"), formText(r, "city")
	a.Phone, a.Email = formText(r, "phone"), formText(r, "email")
	a.Version = formVersion(r)
	return f
}

func associationFormOf(a *defus.Association) associationForm {
	return associationForm{Association: *a, foundedOn: a.FoundedOn.Format("02.01.2006")}
}

// renderAssociationForm shows the form with what was typed, errors and,
// after a conflict, what is stored now.
func (s *Server) renderAssociationForm(w http.ResponseWriter, r *http.Request, status int, f associationForm, errs defus.FieldErrors, current *defus.Association) {
	a := f.Association
	field := func(name, label, value string) view.Field {
		return view.Field{ID: "association-" + name, Name: name, Label: label, Value: defus.CleanText(value), Error: errs[name]}
	}
	fields := []view.Field{
		field("name", "Name des Vereins", a.Name),
		field("short_name", "Kurzform", a.ShortName),
		field("founded_on", "Gegründet am", f.foundedOn),
		field("founded_place", "Gegründet in", a.FoundedPlace),
		field("street", "Straße und Hausnummer", a.Street),
		field("postcode", "Postleitzahl", a.Postcode),
		field("city", "Ort", a.City),
		field("phone", "Telefon", a.Phone),
		field("email", "E-Mail-Adresse der Geschäftsstelle", a.Email),
	}
	var ids []fieldID
	for i := range fields {
		f := &fields[i]
		switch f.Name {
		case "name", "short_name", "founded_on", "email":
			f.Required = true
		default:
			f.Optional = true
		}
		ids = append(ids, fieldID{f.Name, f.ID})
	}
	fields[2].Hint = "Zum Beispiel 01.06.2010."
	fields[2].InputMode = "numeric"
	fields[5].InputMode = "numeric"
	fields[5].Autocomplete = "postal-code"
	fields[7].Type, fields[7].Autocomplete = "tel", "tel"
	fields[8].Type, fields[8].Autocomplete = "email", "email"
	d := view.AssociationFormData{Version: a.Version, Fields: fields, Errors: errorLinks(errs, ids)}
	if current != nil {
		d.Version = current.Version
		d.Conflict = conflictFields([]conflictRow{
			{"Name", current.Name, a.Name},
			{"Kurzform", current.ShortName, a.ShortName},
			{"Gegründet am", current.FoundedOn.Format("02.01.2006"), f.foundedOn},
			{"Gegründet in", current.FoundedPlace, a.FoundedPlace},
			{"Straße", current.Street, a.Street},
			{"Postleitzahl", current.Postcode, a.Postcode},
			{"Ort", current.City, a.City},
			{"Telefon", current.Phone, a.Phone},
			{"E-Mail", current.Email, a.Email},
		})
	}
	s.render(w, r, status, view.AdminAssociationForm(s.adminMeta(r, "Vereinsdaten"), d))
}

// GET /admin/verein
func (s *Server) handleAdminAssociationEdit(w http.ResponseWriter, r *http.Request) {
	a, err := s.store.FindAssociation(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderAssociationForm(w, r, http.StatusOK, associationFormOf(a), nil, nil)
}

// POST /admin/verein
func (s *Server) handleAdminAssociationUpdate(w http.ResponseWriter, r *http.Request) {
	f := readAssociationForm(r)
	if errs := f.Validate(); errs.Any() {
		s.renderAssociationForm(w, r, http.StatusUnprocessableEntity, f, errs, nil)
		return
	}
	current, err := s.store.UpdateAssociation(r.Context(), actor(r), &f.Association)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderAssociationForm(w, r, status, f, errs, current)
		})
		return
	}
	s.flash(r, "Die Vereinsdaten sind gespeichert.")
	http.Redirect(w, r, "/admin/verein", http.StatusSeeOther)
}
