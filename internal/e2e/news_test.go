package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSearchFromTheHeaderToAnInterview: on a phone, a visitor searches from
// the header's search box (a plain form, no script needed), opens the
// sample interview from the results, reads its questions and answers and
// finds the news feed, in the page's head and as a link.
func TestSearchFromTheHeaderToAnInterview(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := b.Tab(t)
	must(t, ctx, chromedp.EmulateViewport(phone.width, phone.height),
		chromedp.Navigate(base+"/"),
		chromedp.Click(chromedp.CSS(`#site-search-q`)),
		chromedp.SendKeys(chromedp.CSS(`#site-search-q`), "Resilienz"),
		chromedp.Click(chromedp.CSS(`.site-search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.search-results`)),
	)
	if got := text(t, ctx, "h1"); got != "Suche" {
		t.Errorf("h1 %q", got)
	}
	if got := value(t, ctx, "#search-q"); got != "Resilienz" {
		t.Errorf("the search box on the results page holds %q", got)
	}
	if marks := text(t, ctx, ".search-snippet mark"); !strings.EqualFold(marks, "Resilienz") {
		t.Errorf("highlighted %q", marks)
	}
	b.CheckA11y(t, ctx, "/suche?q=Resilienz at 375px")

	must(t, ctx,
		chromedp.Click(chromedp.CSS(`.search-hit a[href="/aktuelles/beispiel-interview-resilienz"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.interview-qa`)),
	)
	if got := text(t, ctx, ".interview-qa dt"); !strings.Contains(got, "Frage:") || !strings.Contains(got, "Resilienz") {
		t.Errorf("first question reads %q", got)
	}
	if got := text(t, ctx, ".article .lead"); !strings.Contains(got, "fiktive Person") {
		t.Errorf("the sample interview does not say it is made up: %q", got)
	}
	feed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('link[rel=alternate][type="application/atom+xml"]').href`))
	if err != nil || !strings.HasSuffix(feed, "/aktuelles.atom") {
		t.Errorf("feed in the head: %q, %v", feed, err)
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil || wide {
		t.Errorf("the interview scrolls sideways at 375px (%v)", err)
	}
	b.CheckA11y(t, ctx, "/aktuelles/beispiel-interview-resilienz at 375px")
	if got := text(t, ctx, `main a[href="/aktuelles.atom"]`); !strings.Contains(got, "Feed") {
		t.Errorf("the feed link reads %q", got)
	}
}
