package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAuditLogShowsWordDifferences edits a long page in the editor as the
// office does and reads the change in the log, on the entry's page and on
// the dashboard: only the changed words with some context, marked so that
// they can be told apart without colour, and every page axe-clean.
func TestAuditLogShowsWordDifferences(t *testing.T) {
	b := NewBrowser(t)
	base := site(t)
	ctx := loggedInIncognito(t, b, base) // its session ends with the test, leaving the shared tabs logged out
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	var paras []string
	for i := 1; i <= 40; i++ {
		paras = append(paras, fmt.Sprintf("Absatz %d: Die Geschäftsstelle ist montags bis donnerstags für Sie da.", i))
	}
	body := strings.Join(paras, "\n\n")
	submit := chromedp.CSS(`form.content-form button[type=submit]:not([formaction])`)
	must(t, ctx, chromedp.Navigate(base+"/admin/seiten/neu"), chromedp.WaitVisible(chromedp.CSS(`#page-title`)),
		chromedp.SetValue(chromedp.CSS(`#page-title`), "Öffnungszeiten"),
		chromedp.SetValue(chromedp.CSS(`#page-slug`), "oeffnungszeiten-protokoll"),
		chromedp.SetValue(chromedp.CSS(`#page-body`), body),
		chromedp.Click(submit), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	edited := strings.Replace(body, "Absatz 17: Die Geschäftsstelle ist montags bis donnerstags", "Absatz 17: Die Geschäftsstelle ist montags bis freitags", 1)
	// The first save's message goes, so that waiting for one waits for the second save.
	must(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('.flash').remove()`),
		chromedp.SetValue(chromedp.CSS(`#page-body`), edited),
		chromedp.Click(submit), chromedp.WaitVisible(chromedp.CSS(`.flash`)))

	// The log: the edit shows the changed word with its context only.
	must(t, ctx, chromedp.Navigate(base+"/admin/protokoll"), chromedp.WaitVisible(chromedp.CSS(`table.audit .diff`)))
	if got := eval(`document.querySelector('table.audit .diff del').textContent`); got != "gelöscht: donnerstags (Ende gelöscht)" {
		t.Errorf("deletion reads %q", got)
	}
	if got := eval(`document.querySelector('table.audit .diff ins').textContent`); got != "eingefügt: freitags (Ende eingefügt)" {
		t.Errorf("insertion reads %q", got)
	}
	// Struck through and underlined, not told apart by colour alone.
	if got := eval(`getComputedStyle(document.querySelector('.diff del')).textDecorationLine + ' ' + getComputedStyle(document.querySelector('.diff ins')).textDecorationLine`); got != "line-through underline" {
		t.Errorf("del and ins are decorated %q", got)
	}
	if got := eval(`document.querySelector('table.audit .diff').innerText`); strings.Contains(got, "Absatz 3:") || len(got) > 400 {
		t.Errorf("the log shows more than the change:\n%s", got)
	}
	b.CheckA11y(t, ctx, "audit log with a word difference")

	// The entry's page, with the whole texts opened.
	must(t, ctx, chromedp.Click(chromedp.CSS(`table.audit tbody tr:first-child a[href^="/admin/protokoll/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dl.changes-full`)))
	if got := eval(`document.querySelector('h1').textContent`); got != "Geändert: Seite „Öffnungszeiten“" {
		t.Errorf("entry page h1 %q", got)
	}
	b.CheckA11y(t, ctx, "audit entry")
	must(t, ctx, chromedp.Click(chromedp.CSS(`details.full-text summary`)), chromedp.WaitVisible(chromedp.CSS(`.diff-full`)))
	if got := eval(`document.querySelectorAll('.diff-full')[1].textContent`); got != edited {
		t.Error("the entry page does not show the whole new text")
	}
	b.CheckA11y(t, ctx, "audit entry with the whole texts")
	// On a phone the entry's page does not scroll sideways.
	must(t, ctx, chromedp.EmulateViewport(375, 800))
	if got := eval(`String(document.documentElement.scrollWidth)`); got != "375" {
		t.Errorf("entry page is %s px wide at 375 px", got)
	}
	must(t, ctx, chromedp.EmulateViewport(1280, 900))

	// The dashboard: one line for the edit, linking to the entry.
	must(t, ctx, chromedp.Navigate(base+"/admin"), chromedp.WaitVisible(chromedp.CSS(`ul.recent-changes`)))
	line := eval(`document.querySelector('ul.recent-changes li').innerText`)
	if !strings.HasPrefix(line, "Geändert: Seite „Öffnungszeiten“ (Text) – Browser Admin, ") || strings.Contains(line, "\n") {
		t.Errorf("dashboard line %q", line)
	}
	// One line on a desktop screen: no higher than 1.5 lines of text.
	if got := eval(`(() => { const li = document.querySelector('ul.recent-changes li');
		return String(li.getBoundingClientRect().height <= 1.5 * parseFloat(getComputedStyle(li).lineHeight)); })()`); got != "true" {
		t.Error("the dashboard's line for the change wraps")
	}
	b.CheckA11y(t, ctx, "dashboard with recent changes")
}
