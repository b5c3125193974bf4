package server

import (
	"context"
	"net/http"
	"strings"

	"defus.de/portal/internal/defus"
)

// currentSession is the hash under which the request's session is
// recorded for its account (store.RecordLogin), or nil without a session.
func (s *Server) currentSession(ctx context.Context) []byte {
	token := s.sessions.Token(ctx)
	if token == "" {
		return nil
	}
	return defus.HashToken(token)
}

// startSession logs u in on this request: a new session token (one planted
// before is worthless), the account and its password stamp in the session,
// and the login recorded with the session and the browser.
func (s *Server) startSession(r *http.Request, u *defus.User) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Remove(ctx, sessionPending)
	s.sessions.Put(ctx, sessionUserID, u.ID)
	s.sessions.Put(ctx, sessionPassword, passwordStamp(u))
	return s.store.RecordLogin(ctx, u, requestIDFrom(ctx), s.currentSession(ctx), browserSummary(r.UserAgent()))
}

// browserSummary names the browser and system of a User-Agent header in a
// few German words ("Firefox unter Windows"), enough for a person to
// recognise their own devices; the header itself is not kept.
func browserSummary(ua string) string {
	browser := "Unbekannter Browser"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"Chromium/", "Chromium"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, o := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			system = o.name
			break
		}
	}
	if system == "" {
		return browser
	}
	return browser + " unter " + system
}
