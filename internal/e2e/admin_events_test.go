package e2e

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
)

func TestEventEditorAsTheOfficeUsesIt(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	const title, slug = "Stadtteilbegehung Sicherheit im Quartier", "stadtteilbegehung-sicherheit-im-quartier"
	pool := dbtest.Pool(t)
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), `DELETE FROM events WHERE slug = $1`, slug); err != nil {
			t.Error(err)
		}
	})
	day := clock().In(defus.Berlin).AddDate(0, 0, 12).Format("2006-01-02")
	ctx := loggedIn(t, b, base)
	// Tabs share cookies: log out again, so later tests find the login form.
	t.Cleanup(func() {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin/termine"),
			chromedp.Click(chromedp.CSS(`form[action="/admin/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`#login-email`))); err != nil {
			t.Errorf("log out: %v", err)
		}
	})
	save := chromedp.Click(chromedp.CSS(`form.event-form button[type=submit]:not([formaction])`))

	must(t, ctx, chromedp.Navigate(base+"/admin/termine"), chromedp.WaitVisible(chromedp.CSS(`table.admin-events`)))
	b.CheckA11y(t, ctx, "event list")

	// A new event, typed as a person would: the address is proposed from
	// the title; the end time is mistyped before the start.
	must(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/admin/termine/neu"]`)), chromedp.WaitVisible(chromedp.CSS(`#event-title`)))
	b.CheckA11y(t, ctx, "new event form")
	must(t, ctx,
		chromedp.Click(chromedp.CSS(`#event-title`)), chromedp.SendKeys(chromedp.CSS(`#event-title`), title),
		chromedp.SetValue(chromedp.CSS(`#event-kind`), "workshop"),
		chromedp.SetValue(chromedp.CSS(`#event-start-date`), day),
		chromedp.SetValue(chromedp.CSS(`#event-start-time`), "14:00"),
		chromedp.SetValue(chromedp.CSS(`#event-end-time`), "12:00"),
		chromedp.SendKeys(chromedp.CSS(`#event-place-name`), "Stadtteilzentrum Plagwitz"),
		chromedp.SendKeys(chromedp.CSS(`#event-city`), "Leipzig"),
		chromedp.Click(chromedp.CSS(`input[name=topics]`)),
		chromedp.SendKeys(chromedp.CSS(`#event-summary`), "Ein Rundgang mit Ordnungsamt und Polizei durch das Quartier."),
	)
	proposed, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#event-slug`)))
	if err != nil || proposed != slug {
		t.Errorf("proposed address %q (%v), want %s", proposed, err, slug)
	}
	must(t, ctx, save, chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	summary, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.error-summary`)))
	if !strings.Contains(summary, "Das Ende darf nicht vor dem Beginn liegen.") {
		t.Errorf("error summary: %q", summary)
	}
	kept, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#event-city').value === 'Leipzig' &&
		document.querySelector('#event-start-date').value === '`+day+`' &&
		document.querySelector('#event-end-time').value === '12:00' &&
		document.querySelector('input[name=topics]').checked &&
		document.querySelector('#event-end-date').getAttribute('aria-invalid') === 'true'`))
	if !kept {
		t.Error("typed values lost or the end not marked")
	}
	b.CheckA11y(t, ctx, "event form with errors")

	// Corrected, saved as a draft.
	must(t, ctx, chromedp.SetValue(chromedp.CSS(`#event-end-time`), "17:00"), save, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	edit, _ := chromedp.Run(ctx, chromedp.Location())
	if !regexp.MustCompile(`/admin/termine/\d+$`).MatchString(edit) {
		t.Fatalf("after saving at %s", edit)
	}
	b.CheckA11y(t, ctx, "event form after saving")

	// The preview button opens a new window; here it is sent to this tab.
	target, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('button[formaction="/admin/termine/vorschau"]').getAttribute('formtarget')`))
	if target != "_blank" {
		t.Errorf("preview target %q, want _blank", target)
	}
	must(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector('button[formaction="/admin/termine/vorschau"]').removeAttribute('formtarget')`),
		chromedp.Click(chromedp.CSS(`button[formaction="/admin/termine/vorschau"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.preview-banner`)))
	h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main h1`)))
	when, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.facts`)))
	if h1 != title || !strings.Contains(when, "14:00–17:00 Uhr") || !strings.Contains(when, "Stadtteilzentrum Plagwitz, Leipzig") {
		t.Errorf("preview shows %q / %q", h1, when)
	}

	// Publish it.
	must(t, ctx, chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.CSS(`#event-published`)),
		chromedp.Click(chromedp.CSS(`#event-published`)), save, chromedp.WaitVisible(chromedp.CSS(`.flash`)))

	// Visitors find it in the list and subscribers in the feed.
	must(t, ctx, chromedp.Navigate(base+"/termine"), chromedp.WaitVisible(chromedp.CSS(`a[href="/termine/`+slug+`"]`)))
	resp, err := http.Get(base + "/termine.ics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	ics, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(ics), "SUMMARY:"+title) || !strings.Contains(string(ics), "T140000") {
		t.Errorf("feed lacks the event:\n%s", ics)
	}
}
