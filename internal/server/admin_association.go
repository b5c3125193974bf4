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
	f.RemoveLogo = formChecked(r, "logo_remove")
	return f, a.Validate()
}

func associationFormOf(a *defus.Association) view.AssociationForm {
	return view.AssociationForm{Association: *a, Founded: a.FoundedOn.Format("02.01.2006")}
}

// renderAssociationForm shows the form with what was typed, errors and,
// after a conflict, what is stored now.
// The logo it shows as stored is stored's, or current's after a conflict.
func (s *Server) renderAssociationForm(w http.ResponseWriter, r *http.Request, status int, f view.AssociationForm, errs defus.FieldErrors, stored, current *defus.Association) {
	d := view.AssociationFormData{Form: view.Form[view.AssociationForm]{Values: f, Errors: errs, Current: formOf(current, associationFormOf)},
		Stored: stored.Logo}
	if current != nil {
		d.Stored = current.Logo
	}
	s.render(w, r, status, view.AdminAssociationForm(s.adminMeta(r, "Vereinsdaten"), d))
}

// GET /admin/verein
func (s *Server) handleAdminAssociationEdit(w http.ResponseWriter, r *http.Request) {
	a, err := s.association(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderAssociationForm(w, r, http.StatusOK, associationFormOf(a), nil, a, nil)
}

// POST /admin/verein (multipart/form-data, for the logo; body limit:
// pictureFormLimit)
func (s *Server) handleAdminAssociationUpdate(w http.ResponseWriter, r *http.Request) {
	stored, err := s.association(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readAssociationForm(r)
	if err := s.readLogo(r, &f, stored, errs); err != nil {
		s.error(w, r, err)
		return
	}
	if errs.Any() {
		s.renderAssociationForm(w, r, http.StatusUnprocessableEntity, f, errs, stored, nil)
		return
	}
	current, err := s.store.UpdateAssociation(r.Context(), actor(r), &f.Association)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			if f.Logo != nil && f.Logo.ID == 0 { // a new upload, not stored
				errs = defus.FieldErrors{"logo": chooseLogoAgain}
			}
			s.renderAssociationForm(w, r, status, f, errs, stored, current)
		})
		return
	}
	s.flash(r, "Die Vereinsdaten sind gespeichert.")
	http.Redirect(w, r, "/admin/verein", http.StatusSeeOther)
}

// readLogo sets the logo the form asks for: a new picture chosen in it,
// none when "Logo entfernen" is ticked, else the stored one. A picture the
// portal does not take is an error of the field; a good one cannot be sent
// again by the browser, so when another field is wrong, it is asked for
// again.
func (s *Server) readLogo(r *http.Request, f *view.AssociationForm, stored *defus.Association, errs defus.FieldErrors) error {
	a := &f.Association
	a.LogoMediaID, a.Logo = stored.LogoMediaID, stored.Logo
	if f.RemoveLogo {
		a.LogoMediaID, a.Logo = nil, nil
	}
	logo, msg, err := s.formPicture(r, "logo", a.LogoAlt(), defus.IconSizes)
	if err != nil {
		return err
	}
	errs.Check("logo", msg)
	switch {
	case logo != nil && errs.Any():
		errs.Add("logo", chooseLogoAgain)
	case logo != nil:
		a.Logo, a.LogoMediaID = logo, nil
	}
	return nil
}

// chooseLogoAgain asks for a good logo again after the form was refused
// for something else: a browser does not send a file a second time.
const chooseLogoAgain = "Bitte wählen Sie das Logo noch einmal aus: Nach einem Fehler sendet der Browser die Datei nicht erneut."
