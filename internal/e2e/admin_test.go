package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestAdminLoginWorkLogoutAccessible(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	email, password := adminAccount(t)
	ctx := b.Tab(t)
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// Not logged in: the login page, which leads back afterwards.
	do(chromedp.Navigate(base+"/admin/protokoll"), chromedp.WaitVisible(chromedp.CSS(`#login-email`)))
	b.CheckA11y(t, ctx, "login")

	do(chromedp.SetValue(chromedp.CSS(`#login-email`), email),
		chromedp.SetValue(chromedp.CSS(`#login-password`), "falsch-falsch-falsch"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#login-error`)))
	b.CheckA11y(t, ctx, "login with error")

	do(chromedp.SetValue(chromedp.CSS(`#login-password`), password),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.audit`)))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/admin/protokoll") {
		t.Errorf("after login at %q, want back at /admin/protokoll", loc)
	}
	if got := text("table.audit"); !strings.Contains(got, "Anmeldung") {
		t.Errorf("audit log does not show the login:\n%s", got)
	}
	b.CheckA11y(t, ctx, "audit log")

	do(chromedp.Click(chromedp.CSS(`nav a[href="/admin"]`)), chromedp.WaitVisible(chromedp.CSS(`#recent-title`)))
	if got := text(".admin-user"); !strings.Contains(got, "Browser Admin") {
		t.Errorf("header shows %q", got)
	}
	b.CheckA11y(t, ctx, "dashboard")

	do(chromedp.Click(chromedp.CSS(`nav a[href="/admin/benutzer"]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/benutzer/neu"]`)))
	b.CheckA11y(t, ctx, "user list")

	do(chromedp.Click(chromedp.CSS(`a[href="/admin/benutzer/neu"]`)), chromedp.WaitVisible(chromedp.CSS(`#user-name`)))
	b.CheckA11y(t, ctx, "new user form")
	do(chromedp.SetValue(chromedp.CSS(`#user-email`), "kein-at"),
		chromedp.SetValue(chromedp.CSS(`#user-password`), "kurz"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/benutzer"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	if got := text(".error-summary"); !strings.Contains(got, "Name") && !strings.Contains(got, "E-Mail") {
		t.Errorf("error summary = %q", got)
	}
	b.CheckA11y(t, ctx, "new user form with errors")

	do(chromedp.Click(chromedp.CSS(`form[action="/admin/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`#login-email`)))
	// Logged out: the admin area sends to the login page again.
	do(chromedp.Navigate(base+"/admin"), chromedp.WaitVisible(chromedp.CSS(`#login-email`)))
}
