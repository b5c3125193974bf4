package server_test

import (
	"context"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"defus.de/portal/internal/defus"
)

// accountSite is the site with a real SMTP server, a clock the test moves,
// and an admin, an editor and a member logged in.
type accountSite struct {
	*workSite
	admin *http.Cookie
	essen int64 // the member id of Essen
}

func newAccountSite(t *testing.T) *accountSite {
	t.Helper()
	s := &accountSite{workSite: newWorkSite(t)}
	addAccount(t, s.st, "a@defus.de", "Anna Admin", defus.RoleAdmin)
	s.admin = s.login(t, "a@defus.de", testPassword)
	id, err := s.st.FindMemberIDBySlug(context.Background(), "essen")
	if err != nil {
		t.Fatal(err)
	}
	s.essen = id
	return s
}

// login logs in and returns the session cookie.
func (s *accountSite) login(t *testing.T, email, password string) *http.Cookie {
	t.Helper()
	resp, _ := s.send(t, http.MethodPost, "/admin/login", nil, url.Values{"email": {email}, "password": {password}}, http.StatusSeeOther)
	c := sessionCookie(resp)
	if c == nil {
		t.Fatal("no session cookie")
	}
	return c
}

// mailTo delivers the queued mail and returns the text of the last one
// the SMTP server received for to, with its subject.
func (s *accountSite) mailTo(t *testing.T, to string) (subject, body string) {
	t.Helper()
	s.deliver(t)
	var last *mail.Message
	for _, m := range s.smtp.received(t) {
		if strings.Contains(m.Header.Get("To"), to) {
			last = m
		}
	}
	if last == nil {
		t.Fatalf("no mail to %s", to)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(last.Body))
	if err != nil {
		t.Fatal(err)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(last.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return subject, string(b)
}

// countMails is how many mails the SMTP server has received.
func (s *accountSite) countMails(t *testing.T) int {
	t.Helper()
	s.deliver(t)
	return len(s.smtp.received(t))
}

var accountLinkPattern = regexp.MustCompile(`https://www\.defus\.example(/konto/[a-z-]+/[A-Za-z0-9_-]{43})`)

// linkIn is the path of the account link in a mail's text.
func linkIn(t *testing.T, body string) string {
	t.Helper()
	m := accountLinkPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link in the mail:\n%s", body)
	}
	return m[1]
}

// invite invites name at email for Essen and returns the account's page.
func (s *accountSite) invite(t *testing.T, name, email string) string {
	t.Helper()
	resp, _ := s.send(t, http.MethodPost, "/admin/benutzer/einladen", s.admin,
		url.Values{"name": {name}, "email": {email}, "member": {fmt.Sprint(s.essen)}}, http.StatusSeeOther)
	return resp.Header.Get("Location")
}

func TestInvitationFromTheContactListToTheMembersArea(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	ctx := context.Background()
	m, err := s.st.FindMember(ctx, "essen")
	if err != nil || len(m.Contacts) == 0 {
		t.Fatalf("no contact of Essen: %v", err)
	}
	c := m.Contacts[0]

	// The member's page links the invitation for its contacts with an address.
	_, body := s.send(t, http.MethodGet, fmt.Sprintf("/admin/mitglieder/%d", m.ID), s.admin, nil, http.StatusOK)
	link := fmt.Sprintf("/admin/benutzer/einladen?mitglied=%d&kontakt=%d", m.ID, c.ID)
	if c.Email != "" && doc(t, body).Find(`a[href="`+link+`"]`).Length() != 1 {
		t.Errorf("no invitation link for %s on the member's page", c.Name)
	}
	// Editors see no such link: accounts are the admins' work.
	_, body = s.send(t, http.MethodGet, fmt.Sprintf("/admin/mitglieder/%d", m.ID), s.editor, nil, http.StatusOK)
	if doc(t, body).Find(`a[href^="/admin/benutzer/einladen"]`).Length() != 0 {
		t.Error("editors are offered invitations")
	}

	// The form comes filled with the contact.
	_, body = s.send(t, http.MethodGet, link, s.admin, nil, http.StatusOK)
	d := doc(t, body)
	if v := d.Find("#invite-name").AttrOr("value", ""); v != c.Name {
		t.Errorf("name %q, want %q", v, c.Name)
	}
	if v := d.Find(`#invite-member option[selected]`).AttrOr("value", ""); v != fmt.Sprint(m.ID) {
		t.Errorf("member %q selected", v)
	}

	// Errors: 422, a message at each field, the typed name kept.
	_, body = s.send(t, http.MethodPost, "/admin/benutzer/einladen", s.admin,
		url.Values{"name": {"Petra Prävention"}, "email": {"kein-at"}, "member": {""}}, http.StatusUnprocessableEntity)
	d = doc(t, body)
	if d.Find("#invite-email-error").Length() == 0 || d.Find("#invite-member-error").Length() == 0 {
		t.Errorf("no messages at the fields:\n%s", d.Find("main").Text())
	}
	if v := d.Find("#invite-name").AttrOr("value", ""); v != "Petra Prävention" {
		t.Errorf("typed name lost: %q", v)
	}
	// An address with an account already is refused at the field.
	_, body = s.send(t, http.MethodPost, "/admin/benutzer/einladen", s.admin,
		url.Values{"name": {"Mia"}, "email": {"M@essen.de"}, "member": {fmt.Sprint(m.ID)}}, http.StatusUnprocessableEntity)
	if doc(t, body).Find("#invite-email-error").Length() == 0 {
		t.Error("an address in use is not refused at its field")
	}

	page := s.invite(t, "Petra Prävention", "petra@essen.example")
	_, body = s.send(t, http.MethodGet, "/admin/benutzer", s.admin, nil, http.StatusOK)
	row := doc(t, body).Find("tr").FilterFunction(func(_ int, r *goquery.Selection) bool { return strings.Contains(r.Text(), "Petra Prävention") })
	if !strings.Contains(row.Text(), "eingeladen") {
		t.Errorf("the list does not show the invitation: %q", row.Text())
	}

	// The mail goes out through the outbox over SMTP.
	subject, text := s.mailTo(t, "petra@essen.example")
	if !strings.Contains(subject, "Einladung") || !strings.Contains(text, "Stadt Essen") {
		t.Errorf("mail %q:\n%s", subject, text)
	}
	path := linkIn(t, text)
	// Once sent, the stored copy holds no live link.
	data, err := s.st.FindSubjectData(ctx, "petra@essen.example")
	if err != nil || len(data.Mails) != 1 {
		t.Fatalf("stored mails %v, %v", data, err)
	}
	stored := data.Mails[0].Body
	if strings.Contains(stored, path) || !strings.Contains(stored, "/konto/einladung/entfernt") {
		t.Errorf("the stored mail still has the link:\n%s", stored)
	}

	// The page behind the link; a wrong repetition is refused at its field.
	_, body = s.send(t, http.MethodGet, path, nil, nil, http.StatusOK)
	if !strings.Contains(body, "Petra Prävention") {
		t.Error("the page does not greet the person")
	}
	_, body = s.send(t, http.MethodPost, path, nil,
		url.Values{"password": {"ein-gutes-passwort"}, "password_repeat": {"ein-anderes-passwort"}}, http.StatusUnprocessableEntity)
	if doc(t, body).Find("#new-password-repeat-error").Length() == 0 {
		t.Error("no message at the repetition")
	}
	_, body = s.send(t, http.MethodPost, path, nil,
		url.Values{"password": {"kurz"}, "password_repeat": {"kurz"}}, http.StatusUnprocessableEntity)
	if doc(t, body).Find("#new-password-error").Length() == 0 {
		t.Error("no message at a short password")
	}
	resp, _ := s.send(t, http.MethodPost, path, nil,
		url.Values{"password": {"ein-gutes-passwort"}, "password_repeat": {"ein-gutes-passwort"}}, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/intern" {
		t.Errorf("after setting the password: Location %q, want /intern", got)
	}
	_, body = s.send(t, http.MethodGet, "/intern", sessionCookie(resp), nil, http.StatusOK)
	if !strings.Contains(body, "Petra Prävention") {
		t.Error("not logged in after accepting")
	}
	u, err := s.st.FindUserByEmail(ctx, "petra@essen.example")
	if err != nil || u.MemberID == nil || *u.MemberID != m.ID || u.Status() != defus.AccountActive {
		t.Fatalf("account %+v, %v: want active for Essen", u, err)
	}

	// The link works once.
	_, body = s.send(t, http.MethodGet, path, nil, nil, http.StatusGone)
	if !strings.Contains(body, "melden Sie sich an") {
		t.Errorf("the used link's page does not say what to do:\n%s", doc(t, body).Find("main").Text())
	}
	s.send(t, http.MethodPost, path, nil, url.Values{"password": {"noch-ein-passwort"}, "password_repeat": {"noch-ein-passwort"}}, http.StatusGone)
	s.login(t, "petra@essen.example", "ein-gutes-passwort")

	// The audit log has it all.
	s.wantAudited(t, u.ID, defus.ActionInvite, defus.ActionInviteAccept, defus.ActionLogin)
	if page != fmt.Sprintf("/admin/benutzer/%d", u.ID) {
		t.Errorf("after inviting: %q", page)
	}
}

func TestBadInvitationLinksSayWhatToDo(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	ctx := context.Background()

	for _, p := range []string{"/konto/einladung/abc", "/konto/einladung/" + strings.Repeat("A", 43), "/konto/einladung/" + strings.Repeat("%21", 43)} {
		_, body := s.send(t, http.MethodGet, p, nil, nil, http.StatusGone)
		if !strings.Contains(body, "neue Einladung") {
			t.Errorf("%s: the page does not say what to do", p)
		}
	}

	// Expired after 7 days.
	s.invite(t, "Olaf Alt", "olaf@essen.example")
	_, text := s.mailTo(t, "olaf@essen.example")
	old := linkIn(t, text)
	s.clock.Add(defus.InvitationLifetime - time.Second)
	s.send(t, http.MethodGet, old, nil, nil, http.StatusOK)
	s.clock.Add(time.Second)
	s.send(t, http.MethodGet, old, nil, nil, http.StatusGone)

	// Resent: the old link is dead, the new one works.
	u, err := s.st.FindUserByEmail(ctx, "olaf@essen.example")
	if err != nil {
		t.Fatal(err)
	}
	s.send(t, http.MethodPost, fmt.Sprintf("/admin/benutzer/%d/einladung", u.ID), s.admin, url.Values{}, http.StatusSeeOther)
	_, text = s.mailTo(t, "olaf@essen.example")
	fresh := linkIn(t, text)
	if fresh == old {
		t.Fatal("the resent invitation has the old link")
	}
	s.send(t, http.MethodGet, fresh, nil, nil, http.StatusOK)

	// Disabled: the link is dead, and resending sends nothing.
	s.send(t, http.MethodPost, fmt.Sprintf("/admin/benutzer/%d/sperren", u.ID), s.admin, url.Values{"version": {fmt.Sprint(u.Version + 1)}}, http.StatusSeeOther)
	s.send(t, http.MethodGet, fresh, nil, nil, http.StatusGone)
	before := s.countMails(t)
	s.send(t, http.MethodPost, fmt.Sprintf("/admin/benutzer/%d/einladung", u.ID), s.admin, url.Values{}, http.StatusSeeOther)
	_, body := s.send(t, http.MethodGet, fmt.Sprintf("/admin/benutzer/%d", u.ID), s.admin, nil, http.StatusOK)
	if !strings.Contains(body, "keine Einladung gesendet") {
		t.Error("the office is not told that nothing was sent")
	}
	if got := s.countMails(t); got != before {
		t.Errorf("%d mails after resending to a disabled account, want %d", got, before)
	}

	// Withdrawn: the account is gone, its link dead, its unsent mail never sent.
	s.invite(t, "Wanda Weg", "wanda@essen.example")
	w, err := s.st.FindUserByEmail(ctx, "wanda@essen.example")
	if err != nil {
		t.Fatal(err)
	}
	s.send(t, http.MethodPost, fmt.Sprintf("/admin/benutzer/%d/einladung/zurueckziehen", w.ID), s.admin, url.Values{}, http.StatusSeeOther)
	if _, err := s.st.FindUser(ctx, w.ID); err == nil {
		t.Error("the withdrawn account is still there")
	}
	for _, m := range s.smtp.received(t) {
		if strings.Contains(m.Header.Get("To"), "wanda@") {
			t.Error("the withdrawn invitation was sent")
		}
	}
	// An accepted invitation cannot be withdrawn.
	s.invite(t, "Anton Angenommen", "anton@essen.example")
	_, text = s.mailTo(t, "anton@essen.example")
	s.send(t, http.MethodPost, linkIn(t, text), nil, url.Values{"password": {"ein-gutes-passwort"}, "password_repeat": {"ein-gutes-passwort"}}, http.StatusSeeOther)
	a, _ := s.st.FindUserByEmail(ctx, "anton@essen.example")
	s.send(t, http.MethodPost, fmt.Sprintf("/admin/benutzer/%d/einladung/zurueckziehen", a.ID), s.admin, url.Values{}, http.StatusSeeOther)
	if _, err := s.st.FindUser(ctx, a.ID); err != nil {
		t.Error("an accepted invitation was withdrawn with its account")
	}
}

func TestInvitationRoutesPerRole(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	s.invite(t, "Petra Prävention", "petra@essen.example")
	u, err := s.st.FindUserByEmail(context.Background(), "petra@essen.example")
	if err != nil {
		t.Fatal(err)
	}
	routes := []struct{ method, path string }{
		{http.MethodGet, "/admin/benutzer/einladen"},
		{http.MethodPost, "/admin/benutzer/einladen"},
		{http.MethodPost, fmt.Sprintf("/admin/benutzer/%d/einladung", u.ID)},
		{http.MethodPost, fmt.Sprintf("/admin/benutzer/%d/einladung/zurueckziehen", u.ID)},
	}
	for _, r := range routes {
		var form url.Values
		if r.method == http.MethodPost {
			form = url.Values{}
		}
		resp, _ := s.send(t, r.method, r.path, nil, form, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/login") {
			t.Errorf("anonymous %s %s: Location %q", r.method, r.path, loc)
		}
		s.send(t, r.method, r.path, s.editor, form, http.StatusForbidden)
		s.send(t, r.method, r.path, s.member, form, http.StatusForbidden)
	}
	s.send(t, http.MethodGet, "/admin/benutzer/einladen", s.admin, nil, http.StatusOK)
	s.send(t, http.MethodGet, "/admin/benutzer/einladen?mitglied=99999&kontakt=1", s.admin, nil, http.StatusNotFound)
}

// wantAudited fails unless the audit log of account id has every action.
func (s *accountSite) wantAudited(t *testing.T, id int64, actions ...defus.AuditAction) {
	t.Helper()
	entries, _, err := s.st.FindAuditEntries(context.Background(), defus.AuditFilter{Entity: defus.EntityUser, EntityID: id})
	if err != nil {
		t.Fatal(err)
	}
	have := map[defus.AuditAction]bool{}
	for _, e := range entries {
		have[e.Action] = true
	}
	for _, a := range actions {
		if !have[a] {
			t.Errorf("the audit log of account %d lacks %s (has %v)", id, a, have)
		}
	}
}

func TestTheContactListShowsWhoHasAnAccount(t *testing.T) {
	t.Parallel()
	s := newAccountSite(t)
	c := defus.Contact{MemberID: s.essen, Name: "Petra Prävention", Email: "Petra@Essen.example"}
	if err := s.st.CreateContact(t.Context(), defus.Actor{}, &c); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/admin/mitglieder/%d", s.essen)
	invite := fmt.Sprintf(`a[href="/admin/benutzer/einladen?mitglied=%d&kontakt=%d"]`, s.essen, c.ID)
	_, body := s.send(t, http.MethodGet, page, s.admin, nil, http.StatusOK)
	if doc(t, body).Find(invite).Length() != 1 {
		t.Fatal("no invitation link")
	}
	s.invite(t, c.Name, "petra@essen.example")
	_, body = s.send(t, http.MethodGet, page, s.admin, nil, http.StatusOK)
	d := doc(t, body)
	if d.Find(invite).Length() != 0 || !strings.Contains(d.Find("#ansprechpersonen").Text(), "Konto eingeladen") {
		t.Error("the contact list does not show the invitation")
	}
}
