package mailer_test

import (
	"context"
	"net"
	"testing"

	"github.com/emersion/go-smtp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
)

// TestFailedDeliveryNamesItsProblem talks to real SMTP servers that refuse
// at each step and checks what the office will be told.
func TestFailedDeliveryNamesItsProblem(t *testing.T) {
	t.Parallel()
	closed := func(t *testing.T) string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return addr
	}
	silent := func(t *testing.T) string { // accepts and never greets
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				t.Cleanup(func() { c.Close() })
			}
		}()
		return l.Addr().String()
	}
	for _, tc := range []struct {
		name   string
		server func(t *testing.T) string
		user   bool // log in as portal:geheim
		want   defus.MailProblem
	}{
		{"no server listens", closed, false, defus.ProblemUnreachable},
		{"server never greets", silent, false, defus.ProblemTimeout},
		{"untrusted certificate", func(t *testing.T) string { return (&refusing{}).start(t, selfSigned(t)) }, false, defus.ProblemTLS},
		{"login refused", func(t *testing.T) string { return (&refusing{auth: true}).start(t, nil) }, true, defus.ProblemLogin},
		{"sender refused", func(t *testing.T) string {
			return (&refusing{mail: &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Sender not allowed"}}).start(t, nil)
		}, false, defus.ProblemSender},
		{"recipient unknown", func(t *testing.T) string {
			return (&refusing{rcpt: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "User unknown"}}).start(t, nil)
		}, false, defus.ProblemRecipient},
		{"mailbox full for now", func(t *testing.T) string {
			return (&refusing{rcpt: &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "Mailbox full"}}).start(t, nil)
		}, false, defus.ProblemTemporary},
		{"message refused", func(t *testing.T) string {
			return (&refusing{data: &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Spam detected"}}).start(t, nil)
		}, false, defus.ProblemContent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, clk := fresh(t)
			e := enquiry(t, st, clk, "Stadt Görlitz")
			raw := "smtp://" + tc.server(t)
			if tc.user {
				raw = "smtp://portal:geheim@" + raw[len("smtp://"):]
			}
			for _, m := range deliverOnce(t, st, clk, raw, e) {
				if m.Status != defus.MailQueued || m.Problem != tc.want || m.LastError == "" {
					t.Errorf("mail to %s: status %q, problem %q (want %q), error %q", m.To, m.Status, m.Problem, tc.want, m.LastError)
				}
			}
		})
	}
}

func TestAddressWithUmlautsBeforeTheAtIsNamed(t *testing.T) {
	t.Parallel()
	st, clk := fresh(t)
	in := &inbox{} // without SMTPUTF8
	startInbox(t, in, "127.0.0.1:0")
	e := enquiry(t, st, clk, "Stadt Görlitz")
	// An older enquiry, from before the forms refused such addresses.
	if _, err := dbtest.Pool(t).Exec(context.Background(), `UPDATE mails SET to_addr = 'zoë@goerlitz.example' WHERE to_addr <> 'defus@defus.de'`); err != nil {
		t.Fatal(err)
	}
	mails := deliverOnce(t, st, clk, "smtp://portal:geheim@"+in.addr, e)
	if m := mails[1]; m.Problem != defus.ProblemAddress {
		t.Errorf("mail to %s: problem %q, want address", m.To, m.Problem)
	}
}
