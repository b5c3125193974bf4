package e2e

import (
	"context"
	"encoding/base32"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// TestInvitationInTheBrowser: the office invites a contact person of Essen
// from the member's page; the person follows the link in the mail, sets a
// password and lands logged in in the members' area (acceptInvitation).
// The used link then gets a page that says what to do.
func TestInvitationInTheBrowser(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	st := store.New(dbtest.Pool(t), clock)
	m, err := st.FindMember(context.Background(), "essen")
	if err != nil {
		t.Fatal(err)
	}
	contact := defus.Contact{MemberID: m.ID, Name: "Petra Prävention", Function: "Kommunale Kriminalprävention",
		Email: "petra.praevention@essen.example"}
	person, link := acceptInvitation(t, b, loggedIn(t, b, base), base, st, contact)
	must(t, person, chromedp.Navigate(base+link), chromedp.WaitVisible(chromedp.CSS(`.error-page`)))
	b.CheckA11y(t, person, "used invitation link")
}

// acceptInvitation is the way into the members' area: contact is stored
// as a contact person of its member, the office (logged in in the tab
// office) invites it from the member's page, and the person follows the
// mail's link in a tab of their own, sets a password (a mistake first) and
// lands logged in on /intern. Axe checks every page, with errors shown
// too. It returns the person's tab and the used link.
func acceptInvitation(t *testing.T, b *Browser, office context.Context, base string, st *store.Store, contact defus.Contact) (context.Context, string) {
	t.Helper()
	if err := st.CreateContact(context.Background(), defus.Actor{}, &contact); err != nil {
		t.Fatal(err)
	}
	must(t, office, chromedp.Navigate(fmt.Sprintf("%s/admin/mitglieder/%d", base, contact.MemberID)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/admin/benutzer/einladen?mitglied=%d&kontakt=%d"]`, contact.MemberID, contact.ID))),
		chromedp.WaitVisible(chromedp.CSS(`#invite-name`)))
	if got := value(t, office, "#invite-email"); got != contact.Email {
		t.Errorf("the form has %q, want the contact's address", got)
	}
	b.CheckA11y(t, office, "invitation form")
	// A mistake first: the error summary and the message at the field.
	must(t, office, chromedp.SetValue(chromedp.CSS(`#invite-email`), "kein-at"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/benutzer/einladen"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#invite-email-error`)))
	b.CheckA11y(t, office, "invitation form with errors")
	must(t, office, chromedp.SetValue(chromedp.CSS(`#invite-email`), contact.Email),
		chromedp.Click(chromedp.CSS(`form[action="/admin/benutzer/einladen"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#invitation-title`)))
	b.CheckA11y(t, office, "invited account")

	// The mail waits in the outbox (no SMTP here); its link is the way in.
	data, err := st.FindSubjectData(context.Background(), contact.Email)
	if err != nil || len(data.Mails) == 0 {
		t.Fatalf("no invitation queued: %v", err)
	}
	link := regexp.MustCompile(`/konto/einladung/[A-Za-z0-9_-]{43}`).FindString(data.Mails[len(data.Mails)-1].Body)
	if link == "" {
		t.Fatal("no link in the invitation")
	}

	person := b.SeparateTab(t)
	must(t, person, chromedp.Navigate(base+link), chromedp.WaitVisible(chromedp.CSS(`#new-password`)))
	b.CheckA11y(t, person, "invitation link")
	must(t, person, chromedp.SetValue(chromedp.CSS(`#new-password`), "mein-eigenes-passwort"),
		chromedp.SetValue(chromedp.CSS(`#new-password-repeat`), "mein-eigenes-passwurt"),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#new-password-repeat-error`)))
	b.CheckA11y(t, person, "invitation link with errors")
	must(t, person, chromedp.SetValue(chromedp.CSS(`#new-password`), "mein-eigenes-passwort"),
		chromedp.SetValue(chromedp.CSS(`#new-password-repeat`), "mein-eigenes-passwort"),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/logout"]`)))
	if loc, _ := chromedp.Run(person, chromedp.Location()); !strings.HasSuffix(loc, "/intern") {
		t.Errorf("after setting the password at %q, want /intern", loc)
	}
	if got := text(t, person, "main"); !strings.Contains(got, contact.Name) {
		t.Errorf("the members' area does not greet %s:\n%s", contact.Name, got)
	}
	b.CheckA11y(t, person, "members' area")
	return person, link
}

// TestTwoFactorLoginInTheBrowser: an admin sets up the second factor with
// the QR page, then logs in with a code from the app and once with a
// recovery code. Axe checks every page, with errors shown too.
func TestTwoFactorLoginInTheBrowser(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := loggedIn(t, b, base)

	must(t, ctx, chromedp.Navigate(base+"/konto"), chromedp.WaitVisible(chromedp.CSS(`#totp-title`)))
	b.CheckA11y(t, ctx, "own account")
	must(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/konto/zwei-faktor"]`)), chromedp.WaitVisible(chromedp.CSS(`.qr-code svg`)))
	b.CheckA11y(t, ctx, "second factor setup")
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(text(t, ctx, ".totp-secret"), " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	must(t, ctx, chromedp.SetValue(chromedp.CSS(`#totp-code`), "000000"),
		chromedp.Click(chromedp.CSS(`form[action="/konto/zwei-faktor"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#totp-code-error`)))
	b.CheckA11y(t, ctx, "second factor setup with errors")
	setup := defus.TOTPStep(clock())
	must(t, ctx, chromedp.SetValue(chromedp.CSS(`#totp-code`), defus.TOTPCode(secret, setup)),
		chromedp.Click(chromedp.CSS(`form[action="/konto/zwei-faktor"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.recovery-codes`)))
	b.CheckA11y(t, ctx, "recovery codes")
	codes, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.recovery-codes code')].map(e => e.textContent)`))
	if err != nil || len(codes) != defus.RecoveryCodeCount {
		t.Fatalf("recovery codes %v: %v", codes, err)
	}

	email, password := adminAccount(t)
	login := func(tab context.Context) {
		t.Helper()
		must(t, tab, chromedp.Navigate(base+"/admin/login"),
			chromedp.SetValue(chromedp.CSS(`#login-email`), email),
			chromedp.SetValue(chromedp.CSS(`#login-password`), password),
			chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`#login-code`)))
	}
	// With a code from the app: the next step's (this one's is used up by the setup).
	tab := b.SeparateTab(t)
	login(tab)
	b.CheckA11y(t, tab, "second step")
	must(t, tab, chromedp.SetValue(chromedp.CSS(`#login-code`), "123 456"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login/code"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#login-code-error`)))
	b.CheckA11y(t, tab, "second step with errors")
	must(t, tab, chromedp.SetValue(chromedp.CSS(`#login-code`), defus.TOTPCode(secret, max(setup, defus.TOTPStep(clock()))+1)),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login/code"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#recent-title`)))

	// With a recovery code.
	tab = b.SeparateTab(t)
	login(tab)
	must(t, tab, chromedp.SetValue(chromedp.CSS(`#login-code`), codes[0]),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login/code"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#recent-title`)))
	if got := text(t, tab, ".flash"); !strings.Contains(got, "Wiederherstellungscode") {
		t.Errorf("flash %q", got)
	}
	b.CheckA11y(t, tab, "dashboard after a recovery code")
}
