package mailer_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
)

// TestReplyLeavesAsAPersonsMailInTheThread delivers an office's answer over
// a real SMTP conversation and reads it as the sender's mail program would.
func TestReplyLeavesAsAPersonsMailInTheThread(t *testing.T) {
	t.Parallel()
	st, clk := fresh(t)
	in := &inbox{}
	startInbox(t, in, "127.0.0.1:0")
	e := enquiry(t, st, clk, "Stadt Görlitz")
	w := worker(t, st, clk, in.addr)
	ctx := context.Background()
	if sent, err := w.DeliverDue(ctx); sent != 2 || err != nil {
		t.Fatalf("automatic mails: %d sent, %v", sent, err)
	}
	clk.Add(time.Hour)
	by := defus.Actor{ID: 0, Name: "Erika Müller"}
	m := defus.ReplyMail(defus.Reply{Subject: "Re: Ihre Anfrage zur Mitgliedschaft bei DEFUS",
		Body: "Guten Tag Zoë Müller-Lüdenscheidt,\n\ngern laden wir Sie ein.\n"}, by, "defus@defus.de")
	if err := st.CreateReply(ctx, by, e.ID, &m); err != nil {
		t.Fatal(err)
	}
	if sent, err := w.DeliverDue(ctx); sent != 1 || err != nil {
		t.Fatalf("answer: %d sent, %v", sent, err)
	}
	got := in.received()
	if len(got) != 3 {
		t.Fatalf("server received %d mails", len(got))
	}
	read := func(r received) *mail.Message {
		msg, err := mail.ReadMessage(bytes.NewReader(r.data))
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	// The worker sends several mails at once: the office's notice and the
	// confirmation arrive in either order, the answer (queued later) last.
	first := got[1]
	if got[0].to[0] == "zoe.mueller@goerlitz.example" {
		first = got[0]
	}
	confirmation, answer := read(first), read(got[2])
	if confirmation.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("the confirmation lacks Auto-Submitted: %v", confirmation.Header)
	}
	h := answer.Header
	if v, ok := h["Auto-Submitted"]; ok {
		t.Errorf("the answer says Auto-Submitted: %v", v)
	}
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil || from.Name != "Erika Müller (DEFUS-Geschäftsstelle)" || from.Address != "defus@defus.de" {
		t.Errorf("From %q: %v", h.Get("From"), err)
	}
	if got[2].from != "defus@defus.de" || got[2].to[0] != "zoe.mueller@goerlitz.example" ||
		h.Get("To") != "<zoe.mueller@goerlitz.example>" || h.Get("Reply-To") != "<defus@defus.de>" {
		t.Errorf("envelope %q → %v, To %q, Reply-To %q", got[2].from, got[2].to, h.Get("To"), h.Get("Reply-To"))
	}
	thread := confirmation.Header.Get("Message-ID")
	if h.Get("In-Reply-To") != thread || h.Get("References") != thread || h.Get("Message-ID") == thread {
		t.Errorf("In-Reply-To %q, References %q, Message-ID %q; the confirmation was %q",
			h.Get("In-Reply-To"), h.Get("References"), h.Get("Message-ID"), thread)
	}
	var dec mime.WordDecoder
	if subject, _ := dec.DecodeHeader(h.Get("Subject")); subject != "Re: Ihre Anfrage zur Mitgliedschaft bei DEFUS" {
		t.Errorf("Subject %q", subject)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(answer.Body))
	if want := "Guten Tag Zoë Müller-Lüdenscheidt,\r\n\r\ngern laden wir Sie ein.\r\n"; string(body) != want {
		t.Errorf("body %q, want %q", body, want)
	}
	mails, _ := st.FindEnquiryMails(ctx, e.ID)
	if r := mails[2]; r.Status != defus.MailSent || r.SentAt == nil || !r.SentAt.Equal(clk.Now()) {
		t.Errorf("the answer as recorded: %+v", r)
	}
}
