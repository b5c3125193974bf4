package mailer_test

import (
	"bytes"
	"context"
	"net/mail"
	"slices"
	"testing"

	"defus.de/portal/internal/mailer"
)

// TestInternationalDomainIsSentInASCII holds a real SMTP conversation with a
// server that does not offer SMTPUTF8: a mail to info@münchen.de goes out
// with RCPT TO and headers in the ASCII form of the domain, as every mail
// server takes it.
func TestInternationalDomainIsSentInASCII(t *testing.T) {
	t.Parallel()
	in := &inbox{}
	startInbox(t, in, "127.0.0.1:0")
	m := idnaMail("info@münchen.de", "anfrage@stadt-köln.de")
	if err := smtpTo(t, in.addr).Send(context.Background(), m.From, []string{m.To}, mailer.Message(m)); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := in.received()
	if len(got) != 1 {
		t.Fatalf("server received %d mails, want 1", len(got))
	}
	if want := []string{"info@xn--mnchen-3ya.de"}; !slices.Equal(got[0].to, want) || got[0].from != "defus@defus.de" {
		t.Errorf("envelope: MAIL FROM %q RCPT TO %q, want RCPT TO %q", got[0].from, got[0].to, want)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(got[0].data))
	if err != nil {
		t.Fatal(err)
	}
	if to, rt := msg.Header.Get("To"), msg.Header.Get("Reply-To"); to != "<info@xn--mnchen-3ya.de>" || rt != "<anfrage@xn--stadt-kln-67a.de>" {
		t.Errorf("To %q, Reply-To %q: want the domains in ASCII", to, rt)
	}
	for _, b := range got[0].data {
		if b >= 0x80 {
			t.Fatal("raw 8-bit byte in a mail to a server without SMTPUTF8")
		}
	}
}

// TestNonASCIILocalPartNeedsSMTPUTF8: an address with an umlaut before the @
// (which forms refuse, but older mail may carry) goes only to a server that
// offers SMTPUTF8; any other server is not asked at all.
func TestNonASCIILocalPartNeedsSMTPUTF8(t *testing.T) {
	t.Parallel()
	m := idnaMail("müller@bücher.de", "")

	plain := &inbox{}
	startInbox(t, plain, "127.0.0.1:0")
	if err := smtpTo(t, plain.addr).Send(context.Background(), m.From, []string{m.To}, mailer.Message(m)); err == nil {
		t.Error("Send to a server without SMTPUTF8 succeeded")
	}
	if got := plain.received(); len(got) != 0 {
		t.Errorf("server without SMTPUTF8 received %d mails", len(got))
	}

	utf8 := &inbox{smtputf8: true}
	startInbox(t, utf8, "127.0.0.1:0")
	if err := smtpTo(t, utf8.addr).Send(context.Background(), m.From, []string{m.To}, mailer.Message(m)); err != nil {
		t.Fatalf("Send with SMTPUTF8: %v", err)
	}
	if got := utf8.received(); len(got) != 1 || !slices.Equal(got[0].to, []string{"müller@bücher.de"}) {
		t.Errorf("server with SMTPUTF8 received %v", got)
	}
}
