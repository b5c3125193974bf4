package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// NewSessions returns the session manager of the admin area: sessions in
// st (PostgreSQL), idle timeout 2 hours, absolute 12 hours, cookie HttpOnly
// and SameSite=Lax, Secure when secure is set.
func NewSessions(st scs.Store, secure bool) *scs.SessionManager {
	sessions := scs.New()
	sessions.Store = st
	sessions.Lifetime = 12 * time.Hour
	sessions.IdleTimeout = 2 * time.Hour
	sessions.Cookie.Name = "defus_session"
	sessions.Cookie.HttpOnly = true
	sessions.Cookie.SameSite = http.SameSiteLaxMode
	sessions.Cookie.Secure = secure
	return sessions
}

// Session keys.
const (
	sessionUserID   = "userID"
	sessionPassword = "passwordStamp" // see passwordStamp
	sessionFlash    = "flash"
	sessionPending  = "pendingUserID" // password right, second factor still to come (see login_code.go)
)

// passwordStamp is a short fingerprint of the account's password hash, kept
// in the session at login: when the password is reset, sessions logged in
// with the old one end.
func passwordStamp(u *defus.User) string {
	sum := sha256.Sum256([]byte(u.PasswordHash))
	return hex.EncodeToString(sum[:8])
}

const userKey ctxKey = 100

// currentUser returns the logged-in, active user of the request, or nil.
// It is filled by loadUser, which runs on every /admin request.
func currentUser(ctx context.Context) *defus.User {
	u, _ := ctx.Value(userKey).(*defus.User)
	return u
}

// actor is the logged-in user as the audit log names them, with the
// request id. Pass it to store write methods.
func actor(r *http.Request) defus.Actor {
	if u := currentUser(r.Context()); u != nil {
		return u.Actor(requestIDFrom(r.Context()))
	}
	return defus.Actor{RequestID: requestIDFrom(r.Context())}
}

// loadUser reads the account of the session from the database on every
// request, so a disabled or deleted account, or one whose password was
// reset, loses access at once; so does a session its account ended.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := s.sessions.GetInt64(r.Context(), sessionUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		u, err := s.store.FindSessionUser(r.Context(), id, s.currentSession(r.Context()))
		switch {
		case errors.Is(err, defus.ErrNotFound):
			s.sessions.Remove(r.Context(), sessionUserID)
		case err != nil:
			s.error(w, r, err)
			return
		case u.Active() && s.sessions.GetString(r.Context(), sessionPassword) == passwordStamp(u):
			r = r.WithContext(context.WithValue(r.Context(), userKey, u))
		default:
			s.sessions.Remove(r.Context(), sessionUserID)
		}
		next.ServeHTTP(w, r)
	})
}

// requireRole lets through users with one of roles. Anyone not logged in
// is sent to the login page and back afterwards; a logged-in user without
// the role gets the 403 page.
func (s *Server) requireRole(roles ...defus.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u := currentUser(r.Context())
			if u == nil {
				s.toLogin(w, r)
				return
			}
			if s.twoFactorRequired(u) && u.TOTPOn == nil {
				s.flash(r, "Für Konten der Geschäftsstelle ist die Zwei-Faktor-Anmeldung vorgeschrieben. Bitte richten Sie sie ein.")
				http.Redirect(w, r, "/konto/zwei-faktor", http.StatusSeeOther)
				return
			}
			if !slices.Contains(roles, u.Role) {
				text := "Diese Seite ist der Administration vorbehalten."
				if !u.Staff() {
					text = "Ihr Konto hat keinen Zugang zur Verwaltung. Mitgliederkonten arbeiten im Mitgliederbereich."
				}
				s.adminErrorPage(w, r, http.StatusForbidden, view.ErrorData{Title: "Kein Zugriff", Text: text})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// noStore keeps admin pages out of browser and proxy caches.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// safeNext returns next when it is a path on this site, else "": the
// caller then sends the user to their own start page (landing). It refuses
// absolute URLs, scheme-relative ones ("//evil", "/\evil") and their
// percent-encoded forms, control characters, and the login and logout
// pages themselves.
func safeNext(next string) string {
	if next == "" || len(next) > 2000 {
		return ""
	}
	for _, v := range []string{next, unescapeOrEmpty(next)} {
		if v == "" || v[0] != '/' || strings.HasPrefix(v, "//") || strings.ContainsAny(v, "\\\x00") {
			return ""
		}
		if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	if p := u.Path; p == "/admin/login" || p == "/admin/logout" || p == "/admin/login/code" {
		return ""
	}
	return next
}

// landing is where u goes after logging in when no (acceptable) next page
// was asked for: staff to /admin, members to the members' area. A member
// asking for an admin page is sent to /intern too, where they belong.
func landing(u *defus.User, next string) string {
	staffOnly := next == "/admin" || strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "/admin?")
	switch {
	case u == nil:
		return "/admin"
	case !u.Staff() && (next == "" || staffOnly):
		return "/intern"
	case next == "":
		return "/admin"
	}
	return next
}

func unescapeOrEmpty(s string) string {
	v, err := url.PathUnescape(s)
	if err != nil {
		return ""
	}
	return v
}
