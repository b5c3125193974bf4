package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/dbtest"
)

// topicCardTitles are the titles of the topic cards on the page in ctx, in order.
func topicCardTitles(t *testing.T, ctx context.Context) []string {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('main .card h3')].map(h => h.textContent.trim()).join('\n')`))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(out, "\n")
}

func TestTopicEditorAsTheOfficeUsesIt(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	pool := dbtest.Pool(t)
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), `DELETE FROM topics WHERE slug = 'sicherheit-im-nahverkehr'`); err != nil {
			t.Error(err)
		}
	})
	ctx := loggedIn(t, b, base)
	// Tabs share cookies: log out again, so the next test's login page shows.
	t.Cleanup(func() {
		must(t, ctx, chromedp.Navigate(base+"/admin/themen"),
			chromedp.Click(chromedp.CSS(`form[action="/admin/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`#login-email`)))
	})

	must(t, ctx, chromedp.Navigate(base+"/admin/themen"), chromedp.WaitVisible(chromedp.CSS(`table`)))
	b.CheckA11y(t, ctx, "topic list")

	// A new topic whose address is taken: the form says so at the field.
	must(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/admin/themen/neu"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#topic-title`)))
	b.CheckA11y(t, ctx, "new topic form")
	must(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#topic-title`), "Sicherheit im Nahverkehr"),
		chromedp.SetValue(chromedp.CSS(`#topic-slug`), "urbane-resilienz"),
		chromedp.SetValue(chromedp.CSS(`#topic-summary`), "Bus, Bahn und Haltestellen sicher gestalten."),
		chromedp.SetValue(chromedp.CSS(`#topic-description`), "## Unterwegs\n\nWas Städte tun können."),
		chromedp.Click(chromedp.CSS(`#topic-published`)),
		chromedp.Click(chromedp.CSS(`form.content-form button[type=submit]:not([formaction])`)),
		chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	b.CheckA11y(t, ctx, "topic form with errors")
	if msg, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#topic-slug-error`))); !strings.Contains(msg, "schon vergeben") {
		t.Errorf("slug error = %q", msg)
	}
	kept, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#topic-summary').value.startsWith('Bus, Bahn') &&
		document.querySelector('#topic-published').checked`))
	if !kept {
		t.Error("typed values lost after the error")
	}

	// Fixed, it is saved.
	must(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#topic-slug`), "sicherheit-im-nahverkehr"),
		chromedp.Click(chromedp.CSS(`form.content-form button[type=submit]:not([formaction])`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))

	// It comes last on /themen; moved up in the list, it swaps with the
	// topic before it there too.
	must(t, ctx, chromedp.Navigate(base+"/themen"), chromedp.WaitVisible(chromedp.CSS(`main .card`)))
	before := topicCardTitles(t, ctx)
	n := len(before)
	if n < 2 || before[n-1] != "Sicherheit im Nahverkehr" {
		t.Fatalf("new topic not last on /themen: %v", before)
	}
	must(t, ctx, chromedp.Navigate(base+"/admin/themen"), chromedp.WaitVisible(chromedp.CSS(`table`)))
	must(t, ctx,
		chromedp.Click(chromedp.CSS(`tbody tr:last-child form[action$="/nach-oben"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if msg, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.flash`))); !strings.Contains(msg, "„Sicherheit im Nahverkehr“ steht jetzt an Stelle") {
		t.Errorf("flash after moving = %q", msg)
	}
	focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.textContent.trim()`))
	if !strings.HasPrefix(focused, "nach oben") || !strings.Contains(focused, "Sicherheit im Nahverkehr") {
		t.Errorf("focus after moving is on %q, want the same button", focused)
	}
	b.CheckA11y(t, ctx, "topic list after a move")

	must(t, ctx, chromedp.Navigate(base+"/themen"), chromedp.WaitVisible(chromedp.CSS(`main .card`)))
	after := topicCardTitles(t, ctx)
	want := slices.Clone(before)
	want[n-2], want[n-1] = before[n-1], before[n-2]
	if !slices.Equal(after, want) {
		t.Errorf("/themen after moving up:\n got %v\nwant %v", after, want)
	}
}
