package mailer_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/mailer"
	"defus.de/portal/internal/store"
)

// refusing is an SMTP server that refuses at one step with the reply it is
// given; it never keeps a mail.
type refusing struct {
	mail, rcpt, data *smtp.SMTPError
	auth             bool // offer AUTH PLAIN and refuse every login
}

type refusingSession struct{ srv *refusing }

func (s refusingSession) Reset()        {}
func (s refusingSession) Logout() error { return nil }
func (s refusingSession) Mail(string, *smtp.MailOptions) error {
	if s.srv.mail != nil {
		return s.srv.mail
	}
	return nil
}
func (s refusingSession) Rcpt(string, *smtp.RcptOptions) error {
	if s.srv.rcpt != nil {
		return s.srv.rcpt
	}
	return nil
}
func (s refusingSession) Data(r io.Reader) error {
	io.Copy(io.Discard, r)
	if s.srv.data != nil {
		return s.srv.data
	}
	return errors.New("not kept")
}

type refusingAuthSession struct{ refusingSession }

func (refusingAuthSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (refusingAuthSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, _, _ string) error {
		return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
	}), nil
}

// start serves r on a free port, with STARTTLS on cert when given.
func (r *refusing) start(t *testing.T, cert *tls.Certificate) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		if r.auth {
			return refusingAuthSession{refusingSession{r}}, nil
		}
		return refusingSession{r}, nil
	}))
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

// selfSigned is a certificate no system trusts.
func selfSigned(t *testing.T) *tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// deliverOnce runs one delivery round against the server at rawURL and
// returns the enquiry's mails as recorded after it.
func deliverOnce(t *testing.T, st *store.Store, clk *clock, rawURL string, e *defus.Enquiry) []defus.Mail {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	s := mailer.NewSMTP(u)
	s.Timeout, s.DialTimeout, s.CommandTimeout = 5*time.Second, 2*time.Second, 300*time.Millisecond
	w := &mailer.Worker{Store: st, Sender: s, Now: clk.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := w.DeliverDue(context.Background()); err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}
	mails, err := st.FindEnquiryMails(context.Background(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	return mails
}

// TestFailedDeliveryNamesItsProblem talks to real SMTP servers that refuse
// at each step and checks what the office will be told.
func TestFailedDeliveryNamesItsProblem(t *testing.T) {
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
