package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestHelpFromAnAdminPage(t *testing.T) {
	b := NewBrowser(t)
	base := site(t)
	ctx := loggedInIncognito(t, b, base) // its own cookies: no session left for later tests

	// From the events list, the help link beside the heading leads to the
	// section on events.
	must(t, ctx, chromedp.Navigate(base+"/admin/termine"), chromedp.WaitVisible(chromedp.CSS(`.help-link a`)))
	b.CheckA11y(t, ctx, "events list with help link")
	must(t, ctx, chromedp.Click(chromedp.CSS(`.help-link a`)), chromedp.WaitVisible(chromedp.CSS(`#termine`)))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/admin/hilfe#termine") {
		t.Errorf("help link led to %q", loc)
	}
	// The section is scrolled to the top of the window, not just somewhere on the page.
	top, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.getElementById('termine').getBoundingClientRect().top`))
	if err != nil {
		t.Fatal(err)
	}
	if top < -1 || top > 100 {
		t.Errorf("section #termine is %.0f px from the top of the window", top)
	}
	b.CheckA11y(t, ctx, "help page")
}
