package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestPageEditorAsTheOfficeUsesIt(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := loggedIn(t, b, base)

	must(t, ctx, chromedp.Navigate(base+"/admin/seiten"), chromedp.WaitVisible(chromedp.CSS(`table`)))
	b.CheckA11y(t, ctx, "page list")

	// Save an empty form: errors shown, accessible.
	must(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/admin/seiten/neu"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#page-title`)))
	b.CheckA11y(t, ctx, "new page form")
	must(t, ctx, chromedp.Click(chromedp.CSS(`form.content-form button[type=submit]:not([formaction])`)),
		chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	b.CheckA11y(t, ctx, "page form with errors")

	// Type a title: the address is proposed with German transliteration.
	must(t, ctx, chromedp.Click(chromedp.CSS(`#page-title`)), chromedp.SendKeys(chromedp.CSS(`#page-title`), "Grüße aus Köln"))
	slug, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#page-slug`)))
	if err != nil {
		t.Fatal(err)
	}
	if slug != "gruesse-aus-koeln" {
		t.Errorf("proposed address %q, want gruesse-aus-koeln", slug)
	}
	must(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#page-body`), "## Hallo\n\nEin **Gruß** an alle."),
		chromedp.Click(chromedp.CSS(`#page-published`)),
		chromedp.Click(chromedp.CSS(`form.content-form button[type=submit]:not([formaction])`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	b.CheckA11y(t, ctx, "page form after saving")

	// The public page shows it at once.
	must(t, ctx, chromedp.Navigate(base+"/gruesse-aus-koeln"), chromedp.WaitVisible(chromedp.CSS(`main h2`)))
	if h, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main h2`))); h != "Hallo" {
		t.Errorf("public page h2 = %q", h)
	}

	// Delete it through the confirmation page.
	must(t, ctx, chromedp.Navigate(base+"/admin/seiten?q=gr%C3%BC%C3%9Fe"),
		chromedp.Click(chromedp.CSS(`tbody a[href^="/admin/seiten/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/loeschen"]`)),
		chromedp.Click(chromedp.CSS(`a[href$="/loeschen"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.confirm-form`)))
	b.CheckA11y(t, ctx, "delete confirmation")
	must(t, ctx, chromedp.Click(chromedp.CSS(`.confirm-form button`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if msg, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.flash`))); !strings.Contains(msg, "gelöscht") {
		t.Errorf("flash after delete: %q", msg)
	}
}

func TestAssociationFormIsAccessible(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := loggedInIncognito(t, b, base)

	must(t, ctx, chromedp.Navigate(base+"/admin/verein"), chromedp.WaitVisible(chromedp.CSS(`#association-name`)))
	b.CheckA11y(t, ctx, "association form")

	// Clear the name and save: the error is shown beside the field, accessibly.
	must(t, ctx,
		chromedp.Clear(chromedp.CSS(`#association-name`)),
		chromedp.Click(chromedp.CSS(`form.content-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#association-name-error`)))
	b.CheckA11y(t, ctx, "association form with errors")
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#association-name-error`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "Namen des Vereins") {
		t.Errorf("error beside the name: %q", msg)
	}
}
