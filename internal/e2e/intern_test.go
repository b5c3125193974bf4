package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

const memberPassword = "mitglieder-passwort-123"

// memberAccount makes sure a representative of the member slug exists
// with the e-mail email and memberPassword.
func memberAccount(t *testing.T, slug, email, name string) {
	t.Helper()
	st := store.New(dbtest.Pool(t), clock)
	ctx := context.Background()
	if _, err := st.FindUserByEmail(ctx, email); err == nil {
		return
	}
	m, err := st.FindMember(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := defus.HashPassword(memberPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := &defus.User{Email: email, Name: name, Role: defus.RoleMember, MemberID: &m.ID, PasswordHash: hash}
	if err := st.CreateUser(ctx, defus.Actor{}, u); err != nil {
		t.Fatal(err)
	}
}

// logInMember logs the representative email in within the tab ctx, from
// a page of the members' area as an anonymous visitor would.
func logInMember(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	must(t, ctx,
		chromedp.Navigate(base+"/intern"), // sent to the login and back
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		chromedp.SetValue(chromedp.CSS(`#login-email`), email),
		chromedp.SetValue(chromedp.CSS(`#login-password`), memberPassword),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.intern-nav`)),
	)
}

// TestMemberFindsDocumentsAndColleaguesAndProposesAProfileChange is the
// members' area end to end: the office invites a contact, the contact
// follows the mail's link, sets a password and lands logged in, finds a
// members-only document and a colleague's phone number, proposes a change
// to the profile, and the office approves it and sees it public. Axe checks
// every page on the way, with errors shown too.
func TestMemberFindsDocumentsAndColleaguesAndProposesAProfileChange(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := context.Background()
	st := store.New(dbtest.Pool(t), clock)
	bochum, err := st.FindMember(ctx, "bochum")
	if err != nil {
		t.Fatal(err)
	}
	colleague := &defus.Contact{MemberID: bochum.ID, Name: "Jörg Müller", Function: "Kommunaler Ordnungsdienst",
		Email: "j.mueller@bochum.example", Phone: "0234 910-1234"}
	if err := st.CreateContact(ctx, defus.Actor{}, colleague); err != nil {
		t.Fatal(err)
	}
	essen, err := st.FindMember(ctx, "essen")
	if err != nil {
		t.Fatal(err)
	}

	// The office invites Erika, a contact person of Essen, who sets her
	// password from the mail's link and lands in the members' area.
	office := loggedInIncognito(t, b, base)
	erika, _ := acceptInvitation(t, b, office, base, st, defus.Contact{MemberID: essen.ID, Name: "Erika Essen",
		Function: "Sicherheit und Ordnung", Email: "vertretung@essen.example"})
	if got := text(t, erika, "#profile-title"); got != "Profil von Essen" {
		t.Errorf("start page: %q", got)
	}
	b.CheckA11y(t, erika, "members' area start page")

	// A members-only document from the seed.
	must(t, erika, chromedp.Click(chromedp.CSS(`.intern-nav a[href="/intern/dokumente"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#documents-q`)),
		chromedp.SetValue(chromedp.CSS(`#documents-q`), "Protokoll"),
		chromedp.Click(chromedp.CSS(`form[action="/intern/dokumente"] button[type=submit]`)),
		// The attribute, not the typed value: only the answer's page has it.
		chromedp.WaitVisible(chromedp.CSS(`#documents-q[value="Protokoll"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.document-title a`)))
	if got := text(t, erika, ".document-meta"); !strings.Contains(got, "Nur für Mitglieder") {
		t.Errorf("document meta %q does not say it is for members", got)
	}
	b.CheckA11y(t, erika, "documents")

	// A colleague's phone number, found with another spelling.
	must(t, erika, chromedp.Click(chromedp.CSS(`.intern-nav a[href="/intern/kontakte"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#contacts-q`)),
		chromedp.SetValue(chromedp.CSS(`#contacts-q`), "Mueller"),
		chromedp.Click(chromedp.CSS(`form[action="/intern/kontakte"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#contacts-q[value="Mueller"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.contacts-table`)))
	if got := text(t, erika, `.contacts-table tbody a[href^="tel:"]`); got != "0234 910-1234" {
		t.Errorf("phone %q", got)
	}
	b.CheckA11y(t, erika, "contacts")

	// A proposal with a mistake, then right.
	submit := chromedp.Click(chromedp.CSS(`form[action="/intern/profil"] button[type=submit]`))
	must(t, erika, chromedp.Click(chromedp.CSS(`.intern-nav a[href="/intern/profil"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#proposal-description`)),
		chromedp.SetValue(chromedp.CSS(`#proposal-description`), "Essen gestaltet Plätze gemeinsam mit der Nachbarschaft."),
		chromedp.SetValue(chromedp.CSS(`#proposal-website`), "www.essen.de"),
		submit, chromedp.WaitVisible(chromedp.CSS(`#proposal-website-error`)))
	b.CheckA11y(t, erika, "proposal form with errors")
	must(t, erika, chromedp.SetValue(chromedp.CSS(`#proposal-website`), "https://www.essen.de"),
		submit, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	b.CheckA11y(t, erika, "profile page with an open proposal")

	// The office compares, first refuses without a note, then approves.
	must(t, office, chromedp.Navigate(base+"/admin/profilvorschlaege"), chromedp.WaitVisible(chromedp.CSS(`tbody th a`)))
	b.CheckA11y(t, office, "proposal list")
	must(t, office, chromedp.Click(chromedp.CSS(`tbody th a`)), chromedp.WaitVisible(chromedp.CSS(`.proposal-diff`)))
	if got := text(t, office, ".proposal-diff ins"); !strings.Contains(got, "Nachbarschaft") {
		t.Errorf("word difference shows %q", got)
	}
	b.CheckA11y(t, office, "proposal compared")
	must(t, office, chromedp.Click(chromedp.CSS(`button[formaction$="/ablehnen"]`)), chromedp.WaitVisible(chromedp.CSS(`#decision-note-error`)))
	b.CheckA11y(t, office, "decision with errors")
	must(t, office, chromedp.SetValue(chromedp.CSS(`#decision-note`), "Danke, ist übernommen."),
		chromedp.Click(chromedp.CSS(`form.content-form button[type=submit]:not([formaction])`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	must(t, office, chromedp.Navigate(base+"/mitglieder/essen"), chromedp.WaitVisible(chromedp.CSS(`.confirmed-line`)))
	if got := text(t, office, ".prose"); !strings.Contains(got, "gemeinsam mit der Nachbarschaft") {
		t.Errorf("public profile after approval: %q", got)
	}
	b.CheckA11y(t, office, "public profile")
}
