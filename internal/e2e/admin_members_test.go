package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

func TestTwoEditorsSaveTheSameMember(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	st := store.New(dbtest.Pool(t), clock)
	ctx := context.Background()
	pop, year, lat, lon := 54321, 2024, 51.5, 7.2
	m := &defus.Member{Slug: "browserstadt", Name: "Stadt Browserstadt", ShortName: "Browserstadt", Kind: defus.KindCity,
		State: "Nordrhein-Westfalen", Population: &pop, PopulationYear: &year, Lat: &lat, Lon: &lon,
		Description: "Erste Fassung.", Published: true}
	if err := st.CreateMember(ctx, defus.Actor{}, m); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dbtest.Pool(t).Exec(ctx, `DELETE FROM members WHERE id = $1`, m.ID) })
	edit := fmt.Sprintf("%s/admin/mitglieder/%d", base, m.ID)
	save := chromedp.Click(chromedp.CSS(`form.member-form button[type=submit]:not([formaction])`))

	// Two people, two logins, two separate browser sessions; neither
	// leaves a session cookie behind for the other tests' tabs.
	anna := loggedInIncognito(t, b, base)
	bernd := loggedInIncognito(t, b, base)

	must(t, anna, chromedp.Navigate(base+"/admin/mitglieder?q=browser"), chromedp.WaitVisible(chromedp.CSS(`table`)))
	if got := text(t, anna, "tbody th"); got != "Browserstadt" {
		t.Errorf("search found %q", got)
	}
	b.CheckA11y(t, anna, "member list")
	must(t, anna, chromedp.Click(chromedp.CSS(`tbody th a`)), chromedp.WaitVisible(chromedp.CSS(`#member-name`)))
	b.CheckA11y(t, anna, "member form")
	must(t, bernd, chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.CSS(`#member-name`)))

	// Anna saves first.
	must(t, anna, chromedp.SetValue(chromedp.CSS(`#member-description`), "Annas Fassung."), save, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if msg := text(t, anna, ".flash"); !strings.Contains(msg, "gespeichert") {
		t.Errorf("flash after saving: %q", msg)
	}

	// Bernd saves the form he opened before: refused, Anna's text shown, his kept.
	must(t, bernd, chromedp.SetValue(chromedp.CSS(`#member-description`), "Bernds Fassung."),
		chromedp.SetValue(chromedp.CSS(`#member-population`), "60.000"),
		save, chromedp.WaitVisible(chromedp.CSS(`.conflict`)))
	if got := text(t, bernd, ".conflict"); !strings.Contains(got, "Annas Fassung.") {
		t.Errorf("conflict notice does not show Anna's text: %q", got)
	}
	if got := value(t, bernd, "#member-description"); got != "Bernds Fassung." {
		t.Errorf("Bernd's typed description lost: %q", got)
	}
	if got := value(t, bernd, "#member-population"); got != "60.000" {
		t.Errorf("Bernd's typed population lost: %q", got)
	}
	b.CheckA11y(t, bernd, "member form with conflict")

	// A wrong entry: errors beside the fields, accessible.
	must(t, bernd, chromedp.SetValue(chromedp.CSS(`#member-population`), "-5"),
		chromedp.SetValue(chromedp.CSS(`#member-website`), "javascript:alert(1)"),
		save, chromedp.WaitVisible(chromedp.CSS(`#member-population-error`)))
	if got := text(t, bernd, "#member-website-error"); !strings.Contains(got, "https://") {
		t.Errorf("website error %q", got)
	}
	b.CheckA11y(t, bernd, "member form with errors")

	// Corrected, Bernd's save goes through on top of Anna's.
	must(t, bernd, chromedp.SetValue(chromedp.CSS(`#member-population`), "60.000"),
		chromedp.SetValue(chromedp.CSS(`#member-website`), "https://www.browserstadt.example"),
		save, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	must(t, bernd, chromedp.Navigate(base+"/mitglieder/browserstadt"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if got := text(t, bernd, "main"); !strings.Contains(got, "Bernds Fassung.") || !strings.Contains(got, "60.000") {
		t.Errorf("public profile after both saves: %q", got)
	}

	// A contact person, added on the member's page.
	must(t, anna, chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.CSS(`#ansprechpersonen`)),
		chromedp.Click(chromedp.CSS(`#ansprechpersonen a.button`)), chromedp.WaitVisible(chromedp.CSS(`#contact-name`)))
	must(t, anna, chromedp.Click(chromedp.CSS(`form.contact-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	b.CheckA11y(t, anna, "contact form with errors")
	must(t, anna, chromedp.SetValue(chromedp.CSS(`#contact-name`), "Bea Browser"),
		chromedp.SetValue(chromedp.CSS(`#contact-email`), "bea@browserstadt.example"),
		chromedp.Click(chromedp.CSS(`#contact-public`)),
		chromedp.Click(chromedp.CSS(`form.contact-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.contact-list`)))
	if got := text(t, anna, ".contact-list"); !strings.Contains(got, "Bea Browser") || !strings.Contains(got, "öffentlich") {
		t.Errorf("contact list %q", got)
	}
	b.CheckA11y(t, anna, "member form with contacts")
}
