package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// addMember makes a member representative's account for the member with
// slug.
func addMemberAccountOf(tb testing.TB, st *store.Store, email, name, slug string) *defus.User {
	tb.Helper()
	id, err := st.FindMemberIDBySlug(context.Background(), slug)
	if err != nil {
		tb.Fatal(err)
	}
	return addMemberAccount(tb, st, email, name, id)
}

func TestOneLoginForStaffAndMembers(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "admin@defus.de", "Anna Admin", defus.RoleAdmin)
	addAccount(t, st, "red@defus.de", "Rita Redaktion", defus.RoleEditor)
	addMemberAccountOf(t, st, "m@stadt.de", "Max Mitglied", "augsburg")

	for _, c := range []struct{ email, next, want string }{
		{"admin@defus.de", "", "/admin"},
		{"red@defus.de", "", "/admin"},
		{"m@stadt.de", "", "/intern"},
		{"m@stadt.de", "/intern/kontakte?q=a", "/intern/kontakte?q=a"},
		{"m@stadt.de", "/admin/termine", "/intern"},
		{"m@stadt.de", "//evil.example", "/intern"},
		{"m@stadt.de", `/\evil.example`, "/intern"},
		{"m@stadt.de", "https://evil.example/intern", "/intern"},
		{"admin@defus.de", "/intern", "/intern"},
	} {
		resp, _ := send(t, ts, http.MethodPost, "/admin/login", nil,
			url.Values{"email": {c.email}, "password": {testPassword}, "next": {c.next}}, http.StatusSeeOther)
		if got := resp.Header.Get("Location"); got != c.want {
			t.Errorf("%s next=%q: Location %q, want %q", c.email, c.next, got, c.want)
		}
	}

	// A member who opens an admin page is refused with the way to their area.
	_, body := send(t, ts, http.MethodGet, "/admin/termine", login(t, ts, "m@stadt.de"), nil, http.StatusForbidden)
	if doc(t, body).Find(`main a[href="/intern"]`).Length() == 0 {
		t.Error("the refusal does not lead to the members' area")
	}

	// A logged-in member who opens the login page goes to their area.
	m := login(t, ts, "m@stadt.de")
	resp, _ := send(t, ts, http.MethodGet, "/admin/login", m, nil, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/intern" {
		t.Errorf("member on the login page: Location %q", got)
	}
}

func TestInternNeedsAMemberLogin(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "admin@defus.de", "Anna Admin", defus.RoleAdmin)
	addAccount(t, st, "red@defus.de", "Rita Redaktion", defus.RoleEditor)
	addMemberAccountOf(t, st, "m@stadt.de", "Max Mitglied", "augsburg")

	// Anonymous: to the login and back, for every path below /intern.
	for _, p := range []string{"/intern", "/intern/dokumente?jahr=2026"} {
		resp, _ := send(t, ts, http.MethodGet, p, nil, nil, http.StatusSeeOther)
		if got, want := resp.Header.Get("Location"), "/admin/login?next="+url.QueryEscape(p); got != want {
			t.Errorf("anonymous %s: Location %q, want %q", p, got, want)
		}
	}
	// The way back works.
	resp, _ := send(t, ts, http.MethodPost, "/admin/login", nil,
		url.Values{"email": {"m@stadt.de"}, "password": {testPassword}, "next": {"/intern"}}, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/intern" {
		t.Errorf("after login: %q", got)
	}
	_, body := send(t, ts, http.MethodGet, "/intern", sessionCookie(resp), nil, http.StatusOK)
	if !strings.Contains(body, "Max Mitglied") {
		t.Error("the members' area does not greet the member")
	}
	if got := resp.Header.Get("Cache-Control"); got != "" && !strings.Contains(got, "no-store") {
		t.Errorf("Cache-Control %q", got)
	}

	// The office may read the members' area too (to see what members see).
	for _, email := range []string{"admin@defus.de", "red@defus.de"} {
		send(t, ts, http.MethodGet, "/intern", login(t, ts, email), nil, http.StatusOK)
	}
}
