package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
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
	var ids []int64
	for _, u := range users {
		if u.MemberID != nil {
			ids = append(ids, *u.MemberID)
		}
	}
	names, err := s.store.FindMemberNames(r.Context(), ids)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.UsersData{Users: users, Members: names, Self: currentUser(r.Context()).ID}
	s.render(w, r, http.StatusOK, view.AdminUsers(s.adminMeta(r, "Benutzer"), d))
}

// userChoices are the members an account may belong to, drafts included.
func (s *Server) userChoices(ctx context.Context) ([]defus.Member, error) {
	return s.store.FindMembers(ctx, defus.MemberFilter{WithDrafts: true})
}

// readUserForm reads the account form over u and checks it; a handler that
// takes a password checks that itself.
func readUserForm(r *http.Request, u defus.User, members []defus.Member) (view.UserForm, defus.FieldErrors) {
	f := view.UserForm{Member: r.PostFormValue("member"), Password: r.PostFormValue("password")}
	u.Email = strings.TrimSpace(r.PostFormValue("email"))
	u.Name = strings.TrimSpace(r.PostFormValue("name"))
	u.Role = defus.Role(r.PostFormValue("role"))
	u.Version = formVersion(r)
	errs := u.Validate()
	u.MemberID = nil
	if f.Member != "" {
		id, err := strconv.ParseInt(f.Member, 10, 64)
		if err != nil || !slices.ContainsFunc(members, func(m defus.Member) bool { return m.ID == id }) {
			errs.Add("member", "Bitte wählen Sie ein Mitglied aus der Liste.")
		} else {
			u.MemberID = &id
		}
	}
	f.User = u
	return f, errs
}

func userFormOf(u *defus.User) view.UserForm {
	f := view.UserForm{User: *u}
	if u.MemberID != nil {
		f.Member = strconv.FormatInt(*u.MemberID, 10)
	}
	return f
}

// renderUserForm shows the account form: u as stored (nil for a new
// account), f as typed with its errors and, after a conflict, what is
// stored now.
func (s *Server) renderUserForm(w http.ResponseWriter, r *http.Request, status int, u *defus.User, members []defus.Member, f view.UserForm, errs defus.FieldErrors, current *defus.User) {
	d := view.UserFormData{User: u, Members: members,
		Form: view.Form[view.UserForm]{Values: f, Errors: errs, Current: formOf(current, userFormOf)}}
	title := "Neues Konto"
	if u != nil {
		title = "Konto von " + u.Name
	}
	s.render(w, r, status, view.AdminUserForm(s.adminMeta(r, title), d))
}

// GET /admin/benutzer/neu
func (s *Server) handleUserNew(w http.ResponseWriter, r *http.Request) {
	members, err := s.userChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderUserForm(w, r, http.StatusOK, nil, members, userFormOf(&defus.User{Role: defus.RoleEditor}), nil, nil)
}

// POST /admin/benutzer
func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) {
	members, err := s.userChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readUserForm(r, defus.User{}, members)
	generated := f.Password == ""
	if generated {
		f.Password = defus.GeneratePassword()
	} else {
		errs.Check("password", defus.ValidatePassword(f.Password))
	}
	if errs.Any() {
		s.renderUserForm(w, r, http.StatusUnprocessableEntity, nil, members, f, errs, nil)
		return
	}
	u := &f.User
	if u.PasswordHash, err = defus.HashPassword(f.Password); err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.store.CreateUser(r.Context(), actor(r), u); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderUserForm(w, r, status, nil, members, f, errs, nil)
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

// userAndChoices loads the account named by {id} and the members its form
// offers.
func (s *Server) userAndChoices(r *http.Request) (*defus.User, []defus.Member, error) {
	u, err := s.userOfRequest(r)
	if err != nil {
		return nil, nil, err
	}
	members, err := s.userChoices(r.Context())
	return u, members, err
}

// GET /admin/benutzer/{id}
func (s *Server) handleUserEdit(w http.ResponseWriter, r *http.Request) {
	u, members, err := s.userAndChoices(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderUserForm(w, r, http.StatusOK, u, members, userFormOf(u), nil, nil)
}

// POST /admin/benutzer/{id}
func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) {
	u, members, err := s.userAndChoices(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readUserForm(r, *u, members)
	if errs.Any() {
		s.renderUserForm(w, r, http.StatusUnprocessableEntity, u, members, f, errs, nil)
		return
	}
	current, err := s.store.UpdateUser(r.Context(), actor(r), &f.User)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderUserForm(w, r, status, u, members, f, errs, current)
		})
		return
	}
	s.flash(r, "Die Änderungen am Konto von "+f.Name+" sind gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/benutzer/%d", u.ID), http.StatusSeeOther)
}

// POST /admin/benutzer/{id}/sperren and /admin/benutzer/{id}/entsperren
func (s *Server) handleUserSetDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, members, err := s.userAndChoices(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if err := s.store.SetUserDisabled(r.Context(), actor(r), u.ID, formVersion(r), disabled); err != nil {
			s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
				var current *defus.User
				if status == http.StatusConflict {
					current = u // loaded by this request, after the page was shown
				}
				s.renderUserForm(w, r, status, u, members, userFormOf(u), errs, current)
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
	u, members, err := s.userAndChoices(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	pw := r.PostFormValue("password")
	generated := pw == ""
	if generated {
		pw = defus.GeneratePassword()
	} else if msg := defus.ValidatePassword(pw); msg != "" {
		s.renderUserForm(w, r, http.StatusUnprocessableEntity, u, members, userFormOf(u), defus.FieldErrors{"password": msg}, nil)
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
