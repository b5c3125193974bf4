package server

import (
	"errors"
	"net/http"
	"strconv"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// associationForm is the association form as typed: the date stays text
// so that a date that cannot be read comes back as it was typed.
type associationForm struct {
	defus.Association
	foundedOn  string
	removeLogo bool         // "Logo entfernen" ticked
	storedLogo *defus.Media // the logo as stored, shown above the choices
}

func readAssociationForm(r *http.Request) associationForm {
	f := associationForm{foundedOn: formText(r, "founded_on")}
	a := &f.Association
	a.Name, a.ShortName = formText(r, "name"), formText(r, "short_name")
	a.FoundedOn, _ = defus.ParseDate(f.foundedOn)
	a.FoundedPlace = formText(r, "founded_place")
	a.Street, a.Postcode, a.City = formText(r, "street"), formText(r, "postcode"), formText(r, "city")
	a.Phone, a.Email = formText(r, "phone"), formText(r, "email")
	a.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	f.removeLogo = r.PostFormValue("logo_remove") != ""
	return f
}

func associationFormOf(a *defus.Association) associationForm {
	return associationForm{Association: *a, foundedOn: a.FoundedOn.Format("02.01.2006"), storedLogo: a.Logo}
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
	d := view.AssociationFormData{Version: a.Version, Fields: fields, Logo: f.storedLogo, LogoAlt: a.LogoAlt(),
		LogoFile: view.Field{ID: "association-logo", Name: "logo", Type: "file", Label: "Neues Logo", Error: errs["logo"], Optional: true,
			Accept: "image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp",
			Hint: "PNG, JPEG oder WebP bis " + defus.FormatBytes(defus.MaxImageBytes) + ", am besten quer oder quadratisch mit transparentem " +
				"oder weißem Hintergrund. Es ersetzt das „D“ oben links und wird zum Symbol im Browser-Tab."},
		RemoveLogo: view.Field{ID: "association-logo_remove", Name: "logo_remove", Value: map[bool]string{true: "ja"}[f.removeLogo]}}
	ids = append(ids, fieldID{"logo", "association-logo"})
	d.Errors = errorLinks(errs, ids)
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
			{"Logo", logoName(current.Logo), logoName(a.Logo)},
		})
		d.Logo = current.Logo
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

// POST /admin/verein (multipart/form-data with the logo; body limit:
// pictureFormLimit)
func (s *Server) handleAdminAssociationUpdate(w http.ResponseWriter, r *http.Request) {
	stored, err := s.association(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := readAssociationForm(r)
	errs := f.Validate()
	if err := s.readLogo(r, &f, stored, errs); err != nil {
		s.error(w, r, err)
		return
	}
	if errs.Any() {
		s.renderAssociationForm(w, r, http.StatusUnprocessableEntity, f, errs, nil)
		return
	}
	current, err := s.store.UpdateAssociation(r.Context(), actor(r), &f.Association)
	if errors.Is(err, defus.ErrConflict) {
		if f.Logo != nil && f.Logo.ID == 0 {
			errs.Add("logo", chooseLogoAgain)
		}
		s.renderAssociationForm(w, r, http.StatusConflict, f, errs, current)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Vereinsdaten sind gespeichert.")
	http.Redirect(w, r, "/admin/verein", http.StatusSeeOther)
}

// readLogo sets the logo the form asks for: a new picture chosen in it,
// none when "Logo entfernen" is ticked, else the stored one. A picture the
// portal does not take is an error of the field; a good one cannot be sent
// again by the browser, so when another field is wrong, the person is
// asked to choose it again.
func (s *Server) readLogo(r *http.Request, f *associationForm, stored *defus.Association, errs defus.FieldErrors) error {
	a := &f.Association
	f.storedLogo = stored.Logo
	a.LogoMediaID, a.Logo = stored.LogoMediaID, stored.Logo
	if f.removeLogo {
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

// logoName names a logo in the conflict table.
func logoName(m *defus.Media) string {
	if m == nil {
		return "kein Logo"
	}
	return m.Name
}
