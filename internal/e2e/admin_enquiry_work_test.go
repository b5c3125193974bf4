package e2e

import (
	"context"
	"fmt"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/mailer"
	"defus.de/portal/internal/store"
)

// TestEnquiryMailsAnswerAndFollowUpAccessible opens an enquiry whose
// confirmation could not be delivered, sends it again, answers the sender
// (first with a mistake), sets a follow-up for today and finds the enquiry
// on the dashboard; axe checks each page, and the enquiry's page must fit a
// phone.
func TestEnquiryMailsAnswerAndFollowUpAccessible(t *testing.T) {
	b := NewBrowser(t)
	base := site(t)
	email, password := adminAccount(t)
	st := store.New(dbtest.Pool(t), clock)
	bg := context.Background()

	now := clock()
	e := &defus.Enquiry{Organisation: "Stadt Postweg", ContactName: "Paula Post", Email: "paula@postweg.example",
		Message: "Wir möchten mitmachen.", Status: defus.StatusNew, ConsentAt: now, CreatedAt: now,
		IdempotencyKey: fmt.Sprintf("e2e-work-%d", now.UnixNano())}
	mails := defus.EnquiryMails(e, defus.EnquiryMailSettings{Office: "defus@defus.de", BaseURL: base, SiteName: "DEFUS-Geschäftsstelle"})
	if _, err := st.CreateEnquiry(bg, e, mails); err != nil {
		t.Fatal(err)
	}
	// The worker's attempts, as the real SMTP sender reports them: the
	// office's announcement went out, the confirmation's address is unknown.
	unknown := &mailer.SendError{Step: mailer.StepRecipient,
		Err: fmt.Errorf("RCPT TO: %w", &textproto.Error{Code: 550, Msg: "5.1.1 <paula@postweg.example>: user unknown"})}
	at := now
	for range 40 {
		m, err := st.ClaimMail(bg, at, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if m == nil {
			at = at.Add(13 * time.Hour)
			continue
		}
		var sendErr error
		if m.To == e.Email {
			sendErr = unknown
		}
		if err := st.RecordMailOutcome(bg, m, at, sendErr); err != nil {
			t.Fatal(err)
		}
	}
	page := fmt.Sprintf("/admin/anfragen/%d", e.ID)

	ctx := b.LongTab(t)
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(s), " ")
	}

	do(chromedp.Navigate(base+"/admin/login?next="+page), chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		chromedp.SetValue(chromedp.CSS(`#login-email`), email),
		chromedp.SetValue(chromedp.CSS(`#login-password`), password),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#mails-title`)))
	got := text("ol.mails")
	for _, want := range []string{"Benachrichtigung an die Geschäftsstelle", "Gesendet am", "Eingangsbestätigung an Paula Post",
		"Nicht zugestellt", "Die Empfängeradresse wurde abgelehnt", "Meldung des Mailservers: RCPT TO: 550"} {
		if !strings.Contains(got, want) {
			t.Errorf("the mails lack %q: %s", want, got)
		}
	}
	checkPage(t, b, ctx, base, page, desktop, 200)
	checkPage(t, b, ctx, base, page, phone, 200)

	do(chromedp.EmulateViewport(desktop.width, desktop.height),
		chromedp.Click(chromedp.CSS(`form[action$="/erneut-senden"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if got := text(".flash"); !strings.Contains(got, "wieder in der Warteschlange") {
		t.Errorf("after 'Erneut senden': %q", got)
	}
	if got := text("ol.mails > li:nth-child(2) .mail-state"); !strings.Contains(got, "In der Warteschlange") {
		t.Errorf("the resent mail: %q", got)
	}

	// An answer without a subject (only a space) comes back with the message beside the field.
	do(chromedp.SetValue(chromedp.CSS(`#reply-subject`), " "),
		chromedp.Click(chromedp.CSS(`form.reply-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#reply-subject-error`)))
	if got := text(".error-summary"); !strings.Contains(got, "Bitte geben Sie einen Betreff an.") {
		t.Errorf("error summary: %q", got)
	}
	b.CheckA11y(t, ctx, "enquiry with a refused answer")
	do(chromedp.SetValue(chromedp.CSS(`#reply-subject`), "Re: Ihre Anfrage zur Mitgliedschaft bei DEFUS"),
		chromedp.SetValue(chromedp.CSS(`#reply-body`), "Guten Tag Paula Post,\n\nwir rufen Sie an.\n\nBrowser Admin"),
		chromedp.Click(chromedp.CSS(`form.reply-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if got := text("ol.mails > li:last-child"); !strings.Contains(got, "Antwort von Browser Admin") ||
		!strings.Contains(got, "wir rufen Sie an.") || !strings.Contains(got, "In der Warteschlange") {
		t.Errorf("the answer in the history: %q", got)
	}

	today := clock().In(defus.Berlin).Format(time.DateOnly)
	do(chromedp.SetValue(chromedp.CSS(`#follow-up-on`), today),
		chromedp.SetValue(chromedp.CSS(`#follow-up-note`), "Rückruf prüfen"), leaving,
		chromedp.Click(chromedp.CSS(`form.follow-up-form button[type=submit]`)),
		chromedp.WaitVisible(answered(`.flash`)))
	if got := text(".lead + .follow-up"); !strings.Contains(got, "Wiedervorlage:") || !strings.Contains(got, "(heute) – Rückruf prüfen") {
		t.Errorf("follow-up on the page: %q", got)
	}
	b.CheckA11y(t, ctx, "enquiry with an answer and a follow-up")
	checkPage(t, b, ctx, base, page, phone, 200)

	do(chromedp.EmulateViewport(desktop.width, desktop.height), chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.CSS(`#follow-ups-title`)))
	if got := text(`section[aria-labelledby="follow-ups-title"]`); !strings.Contains(got, "Stadt Postweg") || !strings.Contains(got, "Rückruf prüfen") {
		t.Errorf("dashboard follow-ups: %q", got)
	}
	checkPage(t, b, ctx, base, "/admin", phone, 200)
}
