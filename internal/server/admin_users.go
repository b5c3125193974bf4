package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// GET /admin/benutzer
func (s *Server) handleUsersIndex(w http.ResponseWriter, r *http.Request) {
	users, err := s.store.FindUsers(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	members, err := s.store.FindMembers(r.Context(), defus.MemberFilter{WithDrafts: true})
	if err != nil {
		s.error(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, m := range members {
		names[m.ID] = m.Name
	}
	d := view.UsersData{Users: users, Members: names, Self: currentUser(r.Context()).ID}
	s.render(w, r, http.StatusOK, view.AdminUsers(s.adminMeta(r, "Benutzer"), d))
}

// userForm is what the account form sent, as typed.
type userForm struct {
	Email, Name, Role, Member, Password string
	Version                             int
}

func readUserForm(r *http.Request) userForm {
	f := userForm{
		Email:    strings.TrimSpace(r.PostFormValue("email")),
		Name:     strings.TrimSpace(r.PostFormValue("name")),
		Role:     r.PostFormValue("role"),
		Member:   r.PostFormValue("member"),
		Password: r.PostFormValue("password"),
	}
	f.Version = formVersion(r)
	return f
}

func userFormOf(u *defus.User) userForm {
	f := userForm{Email: u.Email, Name: u.Name, Role: string(u.Role), Version: u.Version}
	if u.MemberID != nil {
		f.Member = strconv.FormatInt(*u.MemberID, 10)
	}
	return f
}

// apply checks the form and copies it into u; the map holds German messages by field.
func (f userForm) apply(u *defus.User, members map[string]bool) map[string]string {
	u.Email, u.Name, u.Role = f.Email, f.Name, defus.Role(f.Role)
	errs := u.Validate()
	u.MemberID = nil
	if f.Member != "" {
		id, err := strconv.ParseInt(f.Member, 10, 64)
		if err != nil || !members[f.Member] {
			errs["member"] = "Bitte wählen Sie ein Mitglied aus der Liste."
		} else {
			u.MemberID = &id
		}
	}
	return errs
}

// userFormData builds the form's view: typed values, options and errors in
// the order of the fields.
func (s *Server) userFormData(r *http.Request, u *defus.User, f userForm, errs map[string]string) (view.UserFormData, error) {
	members, err := s.store.FindMembers(r.Context(), defus.MemberFilter{WithDrafts: true})
	if err != nil {
		return view.UserFormData{}, err
	}
	memberOpts := []view.Option{{Value: "", Label: "Kein Mitglied"}}
	for _, m := range members {
		memberOpts = append(memberOpts, view.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Name})
	}
	roleOpts := []view.Option{{Value: "", Label: "Bitte wählen"}}
	for _, role := range defus.Roles {
		roleOpts = append(roleOpts, view.Option{Value: string(role), Label: role.Label()})
	}
	d := view.UserFormData{
		User:    u,
		Version: f.Version,
		Name:    view.Field{ID: "user-name", Name: "name", Label: "Name", Value: defus.CleanText(f.Name), Error: errs["name"], Required: true, Autocomplete: "off"},
		Email:   view.Field{ID: "user-email", Name: "email", Label: "E-Mail-Adresse", Type: "email", Value: defus.CleanText(f.Email), Error: errs["email"], Required: true, Autocomplete: "off"},
		Role: view.Field{ID: "user-role", Name: "role", Label: "Rolle", Value: f.Role, Error: errs["role"], Required: true, Options: roleOpts,
			Hint: "Administration: alles einschließlich der Konten. Redaktion: Inhalte und Anfragen. Mitglied: kein Zugang zur Verwaltung."},
		Member: view.Field{ID: "user-member", Name: "member", Label: "Mitglied", Value: f.Member, Error: errs["member"], Optional: true, Options: memberOpts,
			Hint: "Für Vertreterinnen und Vertreter einer Mitgliedsstadt oder -organisation."},
		Password: view.Field{ID: "user-password", Name: "password", Label: "Passwort", Type: "password", Error: errs["password"], Optional: true, Autocomplete: "new-password",
			Hint: "Mindestens 12 Zeichen. Leer lassen, um ein sicheres Passwort erzeugen zu lassen, das einmal angezeigt wird."},
	}
	for _, field := range []view.Field{d.Name, d.Email, d.Role, d.Member, d.Password} {
		if field.Error != "" {
			d.Errors = append(d.Errors, view.ErrorLink{Href: "#" + field.ID, Text: field.Error})
		}
	}
	if msg := errs["disable"]; msg != "" {
		d.Disable = msg
		d.Errors = append(d.Errors, view.ErrorLink{Href: "#" + "disable", Text: msg})
	}
	return d, nil
}

// renderUserForm shows the account form with status.
func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, status int, u *defus.User, f userForm, errs map[string]string, conflict *defus.User) {
	d, err := s.userFormData(r, u, f, errs)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.Conflict = conflict
	title := "Neues Konto"
	if u != nil {
		title = "Konto von " + u.Name
	}
	s.render(w, r, status, view.AdminUserForm(s.adminMeta(r, title), d))
}

// memberIDs are the ids of all members, as form values, for checking the form.
func (s *Server) memberIDs(r *http.Request) (map[string]bool, error) {
	members, err := s.store.FindMembers(r.Context(), defus.MemberFilter{WithDrafts: true})
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, m := range members {
		ids[strconv.FormatInt(m.ID, 10)] = true
	}
	return ids, nil
}

// GET /admin/benutzer/neu
func (s *Server) handleUserNew(w http.ResponseWriter, r *http.Request) {
	s.renderUserForm(w, r, http.StatusOK, nil, userForm{Role: string(defus.RoleEditor)}, nil, nil)
}

// POST /admin/benutzer
func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	f := readUserForm(r)
	members, err := s.memberIDs(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := &defus.User{}
	errs := f.apply(u, members)
	generated := f.Password == ""
	if generated {
		f.Password = defus.GeneratePassword()
	} else if msg := defus.ValidatePassword(f.Password); msg != "" {
		errs["password"] = msg
	}
	if len(errs) > 0 {
		s.renderUserForm(w, r, http.StatusUnprocessableEntity, nil, f, errs, nil)
		return
	}
	if u.PasswordHash, err = defus.HashPassword(f.Password); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.store.CreateUser(r.Context(), actor(r), u); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderUserForm(w, r, status, nil, f, errs, nil)
		})
		return
	}
	if generated {
		// Shown in this answer only: the password is never stored in plain text.
		s.render(w, r, http.StatusOK, view.AdminPasswordShown(s.adminMeta(r, "Konto angelegt"),
			view.PasswordShownData{User: *u, Password: f.Password, Created: true}))
		return
	}
	s.flash(r, "Das Konto von "+u.Name+" ist angelegt.")
	http.Redirect(w, r, fmt.Sprintf("/admin/benutzer/%d", u.ID), http.StatusSeeOther)
}

// userOfRequest loads the account named by {id}; a malformed id is not found.
func (s *Server) userOfRequest(r *http.Request) (*defus.User, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindUser(r.Context(), id)
}

// GET /admin/benutzer/{id}
func (s *Server) handleUserEdit(w http.ResponseWriter, r *http.Request) {
	u, err := s.userOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderUserForm(w, r, http.StatusOK, u, userFormOf(u), nil, nil)
}

// POST /admin/benutzer/{id}
func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) {
	u, err := s.userOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	members, err := s.memberIDs(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := readUserForm(r)
	changed := *u
	changed.Version = f.Version
	if errs := f.apply(&changed, members); len(errs) > 0 {
		s.renderUserForm(w, r, http.StatusUnprocessableEntity, u, f, errs, nil)
		return
	}
	current, err := s.store.UpdateUser(r.Context(), actor(r), &changed)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			if current != nil {
				// Keep what was typed; the next save is against the current version.
				f.Version = current.Version
			}
			s.renderUserForm(w, r, status, u, f, errs, current)
		})
		return
	}
	s.flash(r, "Die Änderungen am Konto von "+changed.Name+" sind gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/benutzer/%d", u.ID), http.StatusSeeOther)
}

// POST /admin/benutzer/{id}/sperren and /admin/benutzer/{id}/entsperren
func (s *Server) handleUserSetDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := s.userOfRequest(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		version := formVersion(r)
		if err := s.store.SetUserDisabled(r.Context(), actor(r), u.ID, version, disabled, s.now()); err != nil {
			s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
				var current *defus.User
				if status == http.StatusConflict {
					current = u // loaded by this request, after the page was shown
				}
				s.renderUserForm(w, r, status, u, userFormOf(u), errs, current)
			})
			return
		}
		msg := "Das Konto von " + u.Name + " ist entsperrt."
		if disabled {
			msg = "Das Konto von " + u.Name + " ist gesperrt."
		}
		s.flash(r, msg)
		http.Redirect(w, r, fmt.Sprintf("/admin/benutzer/%d", u.ID), http.StatusSeeOther)
	}
}

// POST /admin/benutzer/{id}/passwort
func (s *Server) handleUserPassword(w http.ResponseWriter, r *http.Request) {
	u, err := s.userOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	pw := r.PostFormValue("password")
	generated := pw == ""
	if generated {
		pw = defus.GeneratePassword()
	} else if msg := defus.ValidatePassword(pw); msg != "" {
		s.renderUserForm(w, r, http.StatusUnprocessableEntity, u, userFormOf(u), map[string]string{"password": msg}, nil)
		return
	}
	hash, err := defus.HashPassword(pw)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.store.SetUserPassword(r.Context(), actor(r), u.ID, hash); err != nil {
		s.error(w, r, err)
		return
	}
	// Other sessions of the account end; an admin resetting their own
	// password stays logged in here.
	if u.ID == currentUser(r.Context()).ID {
		u.PasswordHash = hash
		s.sessions.Put(r.Context(), sessionPassword, passwordStamp(u))
	}
	if generated {
		s.render(w, r, http.StatusOK, view.AdminPasswordShown(s.adminMeta(r, "Passwort neu gesetzt"),
			view.PasswordShownData{User: *u, Password: pw}))
		return
	}
	s.flash(r, "Das Passwort von "+u.Name+" ist neu gesetzt.")
	http.Redirect(w, r, fmt.Sprintf("/admin/benutzer/%d", u.ID), http.StatusSeeOther)
}
