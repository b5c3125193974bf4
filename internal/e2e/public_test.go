package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestPublicPagesAreAccessible(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	for _, path := range []string{"/", "/mitglieder", "/mitglieder?art=organisation&land=Niedersachsen",
		"/mitglieder?land=Atlantis", "/mitglieder/essen", "/mitglieder/deutscher-praeventionstag",
		"/themen", "/themen/urbane-resilienz", "/ueber-uns", "/mitgliedschaft", "/impressum",
		"/datenschutz", "/barrierefreiheit", "/kontakt", "/gibt-es-nicht"} {
		t.Run(path, func(t *testing.T) {
			ctx := b.Tab(t)
			if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
				t.Fatal(err)
			}
			title, err := chromedp.Run(ctx, chromedp.Title())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(title, "DEFUS") {
				t.Errorf("title = %q", title)
			}
			b.CheckA11y(t, ctx, path)
		})
	}
}

func TestMapDotLeadsToProfile(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := b.Tab(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/mitglieder"),
		chromedp.Click(chromedp.CSS(`svg a.map-dot[href="/mitglieder/koeln"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.facts`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if !strings.HasSuffix(loc, "/mitglieder/koeln") || h1 != "Stadt Köln" {
		t.Errorf("after clicking the Köln dot: location %q, h1 %q", loc, h1)
	}
}

func TestMapDotsAreReachableByKeyboard(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := b.Tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/mitglieder")); err != nil {
		t.Fatal(err)
	}
	// Tab through the page until a map dot has focus.
	for i := 0; i < 80; i++ {
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
		cls, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.getAttribute('class') || ''`))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(cls, "map-dot") {
			return
		}
	}
	t.Error("no map dot received keyboard focus within 80 tab presses")
}

func TestFilterFormFilters(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := b.Tab(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/mitglieder"),
		chromedp.SetValue(chromedp.CSS(`#filter-art`), "organisation"),
		chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.filter-actions a[href="/mitglieder"]`)), // "Alle zeigen" appears once filtered
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "art=organisation") {
		t.Errorf("filter URL %q is not shareable", loc)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.member-list .member-item').length`))
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("%d members after filtering for organisations, want 3", n)
	}
}

func TestNarrowScreenHasNoHorizontalScroll(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	for _, path := range []string{"/", "/mitglieder", "/mitglieder/essen", "/themen", "/datenschutz",
		"/termine", "/termine/archiv", "/termine/kalender/2025/09", "/termine/29-mitgliederversammlung-2025", "/termine/abonnieren"} {
		ctx := b.Tab(t)
		err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640), chromedp.Navigate(base+path))
		if err != nil {
			t.Fatal(err)
		}
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 320 {
			t.Errorf("%s: page is %dpx wide on a 320px screen", path, w)
		}
	}
}
