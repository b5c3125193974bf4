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

// TestInboxWorkAccessible logs in, opens the newest enquiry from the
// inbox, sets its status and writes a note, and logs out; axe checks the
// dashboard, the inbox and the enquiry's page.
func TestInboxWorkAccessible(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	email, password := adminAccount(t)

	st := store.New(dbtest.Pool(t), clock)
	now := clock()
	e := &defus.Enquiry{Organisation: "Stadt Browserhausen <b>", ContactName: "Bea Browser", Email: "bea@browserhausen.de",
		Message: "Wir möchten mitmachen.\nViele Grüße", Status: defus.StatusNew, ConsentAt: now, CreatedAt: now,
		IdempotencyKey: fmt.Sprintf("e2e-inbox-%d", now.UnixNano())}
	if _, err := st.CreateEnquiry(context.Background(), e, nil); err != nil {
		t.Fatal(err)
	}

	ctx := b.Tab(t)
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	do(chromedp.Navigate(base+"/admin/login"), chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		chromedp.SetValue(chromedp.CSS(`#login-email`), email),
		chromedp.SetValue(chromedp.CSS(`#login-password`), password),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#new-title`)))
	if got := text(`section[aria-labelledby="new-title"]`); !strings.Contains(got, "Stadt Browserhausen <b>") {
		t.Errorf("dashboard does not list the new enquiry:\n%s", got)
	}
	b.CheckA11y(t, ctx, "dashboard with enquiries")

	do(chromedp.Click(chromedp.CSS(`nav a[href="/admin/anfragen"]`)), chromedp.WaitVisible(chromedp.CSS(`table.enquiries`)))
	b.CheckA11y(t, ctx, "inbox")

	do(chromedp.Click(chromedp.CSS(`table.enquiries tbody tr:first-child th a`)), chromedp.WaitVisible(chromedp.CSS(`#enquiry-status`)))
	if got := text("h1"); got != "Anfrage von Stadt Browserhausen <b>" {
		t.Errorf("newest enquiry: heading %q", got)
	}
	b.CheckA11y(t, ctx, "enquiry")

	do(chromedp.SetValue(chromedp.CSS(`#enquiry-status`), "in_progress"),
		chromedp.Click(chromedp.CSS(`form[action$="/status"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if got := text(".flash"); !strings.Contains(got, "in Bearbeitung") {
		t.Errorf("after the status change: %q", got)
	}
	do(chromedp.SendKeys(chromedp.CSS(`#note-body`), "Rückruf vereinbart."), leaving,
		chromedp.Click(chromedp.CSS(`form[action$="/notizen"] button[type=submit]`)),
		chromedp.WaitVisible(answered(`ol.notes`)))
	if got := text("ol.notes"); !strings.Contains(got, "Rückruf vereinbart.") || !strings.Contains(got, "Browser Admin") {
		t.Errorf("note shows %q", got)
	}
	b.CheckA11y(t, ctx, "enquiry with a note")

	do(chromedp.Click(chromedp.CSS(`form[action="/admin/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`#login-email`)))
	do(chromedp.Navigate(base+"/admin/anfragen"), chromedp.WaitVisible(chromedp.CSS(`#login-email`)))
}
