package mailer_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/mail"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/mailer"
	"defus.de/portal/internal/store"
	"defus.de/portal/internal/testclock"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// testNow is where the tests' clock starts.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// clock is the tests' clock (see internal/testclock).
type clock = testclock.Clock

// fresh returns a store over the test's own database, which has only the
// privacy page an enquiry's consent refers to, and a clock.
func fresh(t *testing.T) (*store.Store, *clock) {
	t.Helper()
	pool := dbtest.PoolFrom(t, "privacy", func(ctx context.Context, pool *pgxpool.Pool) error {
		return store.New(pool, func() time.Time { return testNow }).CreatePage(ctx, defus.Actor{},
			&defus.Page{Slug: "datenschutz", Title: "Datenschutz", Body: "Wir speichern Ihre Angaben.", Required: true, Published: true})
	})
	c := testclock.New(testNow)
	return store.New(pool, c.Now), c
}

// inbox is a real SMTP server in the test process that keeps what it receives.
type inbox struct {
	smtputf8 bool // offer SMTPUTF8 (RFC 6531)

	mu    sync.Mutex
	mails []received
	users []string
	addr  string
	srv   *smtp.Server
	// hang, when set, runs in DATA after the message was read, before the
	// server answers; when it returns true the server keeps nothing.
	hang func(to []string) bool
}

type received struct {
	from string
	to   []string
	data []byte
}

type session struct {
	in   *inbox
	from string
	to   []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != "portal" || pass != "geheim" {
			return errors.New("invalid credentials")
		}
		s.in.mu.Lock()
		s.in.users = append(s.in.users, user)
		s.in.mu.Unlock()
		return nil
	}), nil
}
func (s *session) Reset()                                      { s.from, s.to = "", nil }
func (s *session) Logout() error                               { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = append(s.to, to); return nil }
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.in.hang != nil && s.in.hang(s.to) {
		return errors.New("hung")
	}
	s.in.mu.Lock()
	s.in.mails = append(s.in.mails, received{s.from, s.to, b})
	s.in.mu.Unlock()
	return nil
}

// startInbox starts the SMTP server on addr ("127.0.0.1:0" for any port).
func startInbox(t *testing.T, in *inbox, addr string) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{in: in}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.EnableSMTPUTF8 = in.smtputf8
	in.addr, in.srv = l.Addr().String(), srv
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
}

func (in *inbox) received() []received {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]received(nil), in.mails...)
}

func worker(t *testing.T, st *store.Store, clk *clock, addr string) *mailer.Worker {
	t.Helper()
	u, _ := url.Parse("smtp://portal:geheim@" + addr)
	s := mailer.NewSMTP(u)
	s.Timeout = 5 * time.Second
	return &mailer.Worker{Store: st, Sender: s, Now: clk.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// enquiry stores an enquiry with its two mails at the clock's time.
func enquiry(t *testing.T, st *store.Store, clk *clock, org string) *defus.Enquiry {
	t.Helper()
	pop := 56000
	e := &defus.Enquiry{
		Organisation: org, Kind: defus.EnquiryCity, State: "Sachsen", ContactName: "Zoë Müller-Lüdenscheidt",
		Function: "Präventionsrätin", Email: "zoe.mueller@goerlitz.example", Phone: "03581 12345", Population: &pop,
		Message: "Grüße aus Görlitz! 😀 Wir interessieren uns für Städtepartnerschaften.\nZweite Zeile mit ß und מרחב.",
		Topics:  []string{"Prävention"}, HeardFrom: "Kongress", ConsentAt: clk.Now(), Status: defus.StatusNew,
		IdempotencyKey: fmt.Sprintf("%s-%d", org, clk.Now().UnixNano()), CreatedAt: clk.Now(),
	}
	mails := defus.EnquiryMails(e, defus.EnquiryMailSettings{Office: "defus@defus.de", BaseURL: "https://www.defus.example",
		Phone: "0511 36739420", SiteName: "DEFUS-Geschäftsstelle"})
	if created, err := st.CreateEnquiry(context.Background(), e, mails); err != nil || !created {
		t.Fatalf("create enquiry: created=%v err=%v", created, err)
	}
	return e
}

// mailRows lists status, attempts and last error of all mails by id.
func mailRows(t *testing.T) []string {
	t.Helper()
	rows, err := dbtest.Pool(t).Query(context.Background(), `SELECT status, attempts, last_error <> '', next_attempt_at FROM mails ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var status string
		var attempts int
		var hasErr bool
		var next time.Time
		rows.Scan(&status, &attempts, &hasErr, &next)
		out = append(out, fmt.Sprintf("%s/%d/%v/%s", status, attempts, hasErr, next.UTC().Format("15:04:05")))
	}
	return out
}

// messageIDs counts how often the server received each Message-ID.
func messageIDs(in *inbox) map[string]int {
	seen := map[string]int{}
	for _, r := range in.received() {
		msg, _ := mail.ReadMessage(bytes.NewReader(r.data))
		seen[msg.Header.Get("Message-ID")]++
	}
	return seen
}

func smtpTo(t *testing.T, addr string) *mailer.SMTP {
	t.Helper()
	u, _ := url.Parse("smtp://portal:geheim@" + addr)
	s := mailer.NewSMTP(u)
	s.Timeout = 5 * time.Second
	return s
}

func idnaMail(to, replyTo string) defus.Mail {
	return defus.Mail{From: "defus@defus.de", FromName: "DEFUS-Geschäftsstelle", To: to, ReplyTo: replyTo,
		Subject: "Ihre Anfrage", Body: "Guten Tag,\nvielen Dank.", MessageID: "idna-1@defus.de",
		CreatedAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
}

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
