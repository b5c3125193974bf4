package mailer_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/mailer"
)

func TestDeliversBothMailsWithHeadersAndUmlauts(t *testing.T) {
	t.Parallel()
	st, clk := fresh(t)
	in := &inbox{}
	startInbox(t, in, "127.0.0.1:0")
	enquiry(t, st, clk, "Stadt Görlitz – Bürgeramt")
	w := worker(t, st, clk, in.addr)
	sent, err := w.DeliverDue(context.Background())
	if err != nil || sent != 2 {
		t.Fatalf("DeliverDue = %d, %v; want 2 sent", sent, err)
	}
	got := in.received()
	if len(got) != 2 || len(in.users) != 2 {
		t.Fatalf("server received %d mails with %d logins, want 2 and 2", len(got), len(in.users))
	}
	var dec mime.WordDecoder
	for i, r := range got {
		msg, err := mail.ReadMessage(bytes.NewReader(r.data))
		if err != nil {
			t.Fatalf("mail %d unreadable: %v", i, err)
		}
		h := msg.Header
		subject, err := dec.DecodeHeader(h.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		from, err := mail.ParseAddress(h.Get("From"))
		if err != nil || from.Name != "DEFUS-Geschäftsstelle" || from.Address != "defus@defus.de" || r.from != "defus@defus.de" {
			t.Errorf("From %q (%v), envelope %q", h.Get("From"), err, r.from)
		}
		if _, err := h.Date(); err != nil {
			t.Errorf("Date %q: %v", h.Get("Date"), err)
		}
		if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@defus.de>") {
			t.Errorf("Message-ID = %q", id)
		}
		if h.Get("MIME-Version") != "1.0" || h.Get("Content-Type") != "text/plain; charset=utf-8" ||
			h.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Errorf("MIME headers %v", h)
		}
		head, rawBody, _ := strings.Cut(string(r.data), "\r\n\r\n")
		for _, line := range strings.Split(head, "\r\n") {
			if len(line) > 100 {
				t.Errorf("header line of %d octets: %q", len(line), line)
			}
		}
		for _, line := range strings.Split(rawBody, "\r\n") {
			if len(line) > 76 {
				t.Errorf("body line of %d octets: %q", len(line), line)
			}
		}
		for _, b := range r.data {
			if b >= 0x80 {
				t.Fatal("raw 8-bit byte in a quoted-printable mail")
			}
		}
		body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(body), "\r\n", "\n")
		for _, want := range []string{"Stadt Görlitz – Bürgeramt", "Zoë Müller-Lüdenscheidt", "Grüße aus Görlitz! 😀 Wir interessieren uns für Städtepartnerschaften.\nZweite Zeile mit ß und מרחב.", "Einwohnerzahl: 56.000", "Prävention"} {
			if !strings.Contains(text, want) {
				t.Errorf("mail %d body lacks %q:\n%s", i, want, text)
			}
		}
		to := h.Get("To")
		switch {
		case strings.Contains(to, "defus@defus.de"):
			if r.to[0] != "defus@defus.de" || !strings.Contains(subject, "Stadt Görlitz – Bürgeramt") ||
				h.Get("Reply-To") != "<zoe.mueller@goerlitz.example>" {
				t.Errorf("office mail: rcpt %v subject %q reply-to %q", r.to, subject, h.Get("Reply-To"))
			}
		case strings.Contains(to, "zoe.mueller@goerlitz.example"):
			if r.to[0] != "zoe.mueller@goerlitz.example" || subject != "Ihre Anfrage zur Mitgliedschaft bei DEFUS" ||
				h.Get("Reply-To") != "" || !strings.Contains(text, "Guten Tag Zoë Müller-Lüdenscheidt,") {
				t.Errorf("confirmation: rcpt %v subject %q reply-to %q", r.to, subject, h.Get("Reply-To"))
			}
		default:
			t.Errorf("mail to %q", to)
		}
	}
	// Recorded as sent, once.
	if sent, _ := w.DeliverDue(context.Background()); sent != 0 || len(in.received()) != 2 {
		t.Errorf("second run sent %d more", sent)
	}
}

func TestDeliveryResumesWhenTheServerIsBack(t *testing.T) {
	t.Parallel()
	st, clk := fresh(t)
	in := &inbox{}
	startInbox(t, in, "127.0.0.1:0")
	w := worker(t, st, clk, in.addr)
	ctx := context.Background()

	enquiry(t, st, clk, "Erste Stadt")
	if sent, err := w.DeliverDue(ctx); sent != 2 || err != nil {
		t.Fatalf("before the outage: %d sent, %v", sent, err)
	}
	// The server goes away; a new enquiry comes in.
	addr := in.addr
	in.srv.Close()
	clk.Add(time.Minute)
	enquiry(t, st, clk, "Zweite Stadt")
	if sent, err := w.DeliverDue(ctx); sent != 0 || err != nil {
		t.Fatalf("during the outage: %d sent, %v", sent, err)
	}
	if got, want := fmt.Sprint(mailRows(t)), "[sent/1/false/10:00:00 sent/1/false/10:00:00 queued/1/true/10:02:00 queued/1/true/10:02:00]"; got != want {
		t.Errorf("after a failed attempt: %s, want %s", got, want)
	}
	// Back, but the retry is not due yet.
	startInbox(t, in, addr)
	clk.Add(30 * time.Second)
	if sent, _ := w.DeliverDue(ctx); sent != 0 {
		t.Errorf("%d sent before the retry was due", sent)
	}
	clk.Add(31 * time.Second)
	if sent, err := w.DeliverDue(ctx); sent != 2 || err != nil {
		t.Fatalf("after the outage: %d sent, %v", sent, err)
	}
	if sent, _ := w.DeliverDue(ctx); sent != 0 {
		t.Errorf("%d sent again", sent)
	}
	seen := map[string]int{}
	for _, r := range in.received() {
		msg, _ := mail.ReadMessage(bytes.NewReader(r.data))
		seen[msg.Header.Get("Message-ID")]++
	}
	if len(seen) != 4 {
		t.Errorf("server has %d distinct mails, want 4", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s received %d times", id, n)
		}
	}
	for _, r := range mailRows(t)[2:] {
		if !strings.HasPrefix(r, "sent/2/false/") {
			t.Errorf("retried mail recorded as %s", r)
		}
	}
}

func TestDeliveryGivesUpAfterTheLastRetry(t *testing.T) {
	t.Parallel()
	st, clk := fresh(t)
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := l.Addr().String()
	l.Close() // nobody answers here
	w := worker(t, st, clk, dead)
	enquiry(t, st, clk, "Unerreichbar")
	ctx := context.Background()
	for i, d := range defus.MailRetryDelays {
		w.DeliverDue(ctx)
		rows := mailRows(t)
		if !strings.HasPrefix(rows[0], fmt.Sprintf("queued/%d/true/", i+1)) {
			t.Fatalf("after attempt %d: %v", i+1, rows)
		}
		clk.Add(d - time.Second)
		w.DeliverDue(ctx) // not yet due
		clk.Add(time.Second)
	}
	w.DeliverDue(ctx)
	want := len(defus.MailRetryDelays) + 1
	for _, r := range mailRows(t) {
		if !strings.HasPrefix(r, fmt.Sprintf("failed/%d/true/", want)) {
			t.Errorf("after the last retry: %s, want failed after %d attempts", r, want)
		}
	}
}

func TestWorkersNeverShareAMail(t *testing.T) {
	t.Parallel()
	st, clk := fresh(t)
	in := &inbox{}
	startInbox(t, in, "127.0.0.1:0")
	for i := 0; i < 10; i++ {
		enquiry(t, st, clk, fmt.Sprintf("Stadt %d", i))
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		w := worker(t, st, clk, in.addr) // as if on four instances
		wg.Add(1)
		go func() { defer wg.Done(); w.DeliverDue(context.Background()) }()
	}
	wg.Wait()
	seen := map[string]int{}
	for _, r := range in.received() {
		msg, _ := mail.ReadMessage(bytes.NewReader(r.data))
		seen[msg.Header.Get("Message-ID")]++
	}
	if len(seen) != 20 {
		t.Errorf("%d distinct mails received, want 20", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s received %d times", id, n)
		}
	}
}

func TestWithoutSMTPMailStaysQueued(t *testing.T) {
	t.Parallel()
	st, clk := fresh(t)
	enquiry(t, st, clk, "Ohne Server")
	var logs bytes.Buffer
	w := &mailer.Worker{Store: st, Now: clk.Now, Log: slog.New(slog.NewTextHandler(&logs, nil)), Interval: time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	w.Run(ctx)
	if n := strings.Count(logs.String(), "SMTP_URL is not set"); n != 1 {
		t.Errorf("missing SMTP_URL logged %d times, want once:\n%s", n, logs.String())
	}
	for _, r := range mailRows(t) {
		if !strings.HasPrefix(r, "queued/0/false/") {
			t.Errorf("mail %s, want untouched in the queue", r)
		}
	}
}

func TestMessageKeepsHeadersOnOneLine(t *testing.T) {
	t.Parallel()
	m := defus.Mail{FromName: "DEFUS", From: "defus@defus.de", To: "a@example.org",
		Subject: "Anfrage: Böse\r\nBcc: victim@example.org", Body: "Hallo\nWelt", MessageID: "1.x@defus.de",
		CreatedAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	msg, err := mail.ReadMessage(bytes.NewReader(mailer.Message(m)))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Bcc") != "" {
		t.Error("header injected through the subject")
	}
	if got := msg.Header.Get("Date"); got != "Tue, 24 Nov 2026 11:00:00 +0100" {
		t.Errorf("Date = %q", got)
	}
}
