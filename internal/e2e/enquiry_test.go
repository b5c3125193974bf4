package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/server"
)

// TestEnquiryFormAsAPersonFillsIt types into the form like a person: first
// with mistakes, which come back marked and accessible, then correctly.
func TestEnquiryFormAsAPersonFillsIt(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	// A person needs longer than the spam check's minimum time; the browser
	// does not, so the minimum is lifted here (handler tests cover it).
	base := site(t, func(s *server.Server) { s.SetEnquiryLimits(0, 100, time.Minute) })
	ctx := b.Tab(t)
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	run(chromedp.Navigate(base+"/mitgliedschaft"),
		chromedp.Click(chromedp.CSS(`main a[href="/mitgliedschaft/anfrage"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.enquiry-form`)))
	b.CheckA11y(t, ctx, "empty enquiry form")

	// First attempt: no organisation, a mistyped address, no message, no consent.
	run(chromedp.SendKeys(chromedp.CSS(`#contact_name`), "Erika Müller"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "erika.mueller@goerlitz"),
		chromedp.Click(chromedp.CSS(`input[name=topics]`)),
		chromedp.Click(chromedp.CSS(`form.enquiry-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.matches('.error-summary')`))
	if err != nil || !focused {
		t.Errorf("focus is not on the error summary (%v)", err)
	}
	n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.error-summary li a').length`))
	if n != 4 {
		t.Errorf("%d errors listed, want 4 (organisation, e-mail, message, consent)", n)
	}
	kept, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#contact_name').value === 'Erika Müller' &&
		document.querySelector('input[name=topics]').checked`))
	if !kept {
		t.Error("what was typed and ticked is lost")
	}
	b.CheckA11y(t, ctx, "enquiry form with errors")

	// The summary's link takes the person to the field.
	run(chromedp.Click(chromedp.CSS(`.error-summary a[href="#organisation"]`)))
	onField, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if onField != "organisation" {
		t.Errorf("after the summary link focus is on %q, want organisation", onField)
	}

	// Second attempt: corrected.
	run(chromedp.SendKeys(chromedp.CSS(`#organisation`), "Landkreis Görlitz"),
		chromedp.SetValue(chromedp.CSS(`#kind`), "district"),
		chromedp.SetValue(chromedp.CSS(`#state`), "Sachsen"),
		chromedp.Clear(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "erika.mueller@kreis-goerlitz.de"),
		chromedp.SendKeys(chromedp.CSS(`#message`), "Wir möchten DEFUS kennenlernen. Grüße aus der Oberlausitz!"),
		chromedp.Click(chromedp.CSS(`#consent`)),
		chromedp.Click(chromedp.CSS(`form.enquiry-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.work-list`)))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if !strings.HasSuffix(loc, "/mitgliedschaft/anfrage/danke") || !strings.Contains(h1, "Vielen Dank") {
		t.Errorf("after sending: location %q, h1 %q", loc, h1)
	}
	b.CheckA11y(t, ctx, "thank-you page")

	var status, kind string
	var topics, mails int
	err = dbtest.Pool(t).QueryRow(context.Background(), `
SELECT status, kind, (SELECT count(*) FROM enquiry_topics WHERE enquiry_id = e.id), (SELECT count(*) FROM mails WHERE enquiry_id = e.id)
FROM enquiries e WHERE organisation = 'Landkreis Görlitz'`).Scan(&status, &kind, &topics, &mails)
	if err != nil {
		t.Fatalf("enquiry not stored: %v", err)
	}
	if status != "new" || kind != "district" || topics != 1 || mails != 2 {
		t.Errorf("stored status %q kind %q with %d topics and %d mails", status, kind, topics, mails)
	}
}
