package server

import (
	"net/http"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// readAssociationForm reads the association form and checks it.
func readAssociationForm(r *http.Request) (view.AssociationForm, defus.FieldErrors) {
	f := view.AssociationForm{Founded: formText(r, "founded_on")}
	a := &f.Association
	a.Name, a.ShortName = formText(r, "name"), formText(r, "short_name")
	a.FoundedOn, _ = defus.ParseDate(f.Founded)
	a.FoundedPlace = formText(r, "founded_place")
	a.Street, a.Postcode, a.City = formText(r, "street"), formText(r, "postcode"), formText(r, "city")
	a.Phone, a.Email = formText(r, "phone"), formText(r, "email")
	a.Version = formVersion(r)
	return f, a.Validate()
}

func associationFormOf(a *defus.Association) view.AssociationForm {
	return view.AssociationForm{Association: *a, Founded: a.FoundedOn.Format("02.01.2006")}
}

// renderAssociationForm shows the form with what was typed, errors and,
// after a conflict, what is stored now.
func (s *Server) renderAssociationForm(w http.ResponseWriter, r *http.Request, status int, f view.AssociationForm, errs defus.FieldErrors, current *defus.Association) {
	d := view.AssociationFormData{Form: view.Form[view.AssociationForm]{Values: f, Errors: errs, Current: formOf(current, associationFormOf)}}
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
	f, errs := readAssociationForm(r)
	if errs.Any() {
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
