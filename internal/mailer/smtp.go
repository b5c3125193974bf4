package mailer

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/smtp"
	"net/url"
	"time"
)

// SMTP sends mail to one SMTP server given as smtp://user:pass@host:port
// (STARTTLS when the server offers it; port 587 by default) or
// smtps://user:pass@host:port (implicit TLS; port 465 by default).
//
// It uses the standard library's net/smtp: the portal sends a few mails a
// day, one recipient each, and net/smtp does STARTTLS, AUTH PLAIN (only over
// TLS or to localhost) and the SMTP dialogue correctly without adding a
// dependency. Message composition lives in Message.
type SMTP struct {
	host, port string
	implicit   bool
	auth       smtp.Auth
	// TLSConfig is used for STARTTLS and smtps; nil means verify against the
	// system roots with the host name.
	TLSConfig *tls.Config
	// Timeout bounds one whole delivery (connect to QUIT).
	Timeout time.Duration
	// DialTimeout bounds connecting; CommandTimeout bounds every wait on the
	// server after that (its greeting, each reply, taking what is sent), so a
	// server that stops answering fails the delivery in seconds.
	DialTimeout, CommandTimeout time.Duration
}

// NewSMTP parses an SMTP_URL.
func NewSMTP(u *url.URL) *SMTP {
	s := &SMTP{host: u.Hostname(), port: u.Port(), implicit: u.Scheme == "smtps",
		Timeout: 2 * time.Minute, DialTimeout: 10 * time.Second, CommandTimeout: 30 * time.Second}
	if s.port == "" {
		s.port = "587"
		if s.implicit {
			s.port = "465"
		}
	}
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		s.auth = smtp.PlainAuth("", u.User.Username(), pass, s.host)
	}
	return s
}

// Addr is host:port of the server.
func (s *SMTP) Addr() string { return net.JoinHostPort(s.host, s.port) }

func (s *SMTP) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		return s.TLSConfig
	}
	return &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
}

// Send delivers msg from the envelope sender from to the recipients to.
func (s *SMTP) Send(ctx context.Context, from string, to []string, msg []byte) (err error) {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	d := net.Dialer{Timeout: s.DialTimeout}
	raw, err := d.DialContext(ctx, "tcp", s.Addr())
	if err != nil {
		return &SendError{Step: StepConnect, Err: fmt.Errorf("connect %s: %w", s.Addr(), err)}
	}
	deadline, _ := ctx.Deadline()
	var conn net.Conn = &stepConn{Conn: raw, step: s.CommandTimeout, end: deadline}
	if s.implicit {
		conn = tls.Client(conn, s.tlsConfig())
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return &SendError{Step: StepGreeting, Err: fmt.Errorf("smtp greeting: %w", err)}
	}
	defer c.Close()
	if !s.implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return &SendError{Step: StepTLS, Err: fmt.Errorf("starttls: %w", err)}
			}
		}
	}
	if s.auth != nil {
		if err := c.Auth(s.auth); err != nil {
			return &SendError{Step: StepLogin, Err: fmt.Errorf("smtp auth: %w", err)}
		}
	}
	smtputf8, _ := c.Extension("SMTPUTF8")
	if from, to, err = envelope(from, to, smtputf8); err != nil {
		return &SendError{Step: StepAddress, Err: err}
	}
	if err := c.Mail(from); err != nil {
		return &SendError{Step: StepSender, Err: fmt.Errorf("MAIL FROM: %w", err)}
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return &SendError{Step: StepRecipient, Err: fmt.Errorf("RCPT TO: %w", err)}
		}
	}
	w, err := c.Data()
	if err != nil {
		return &SendError{Step: StepData, Err: fmt.Errorf("DATA: %w", err)}
	}
	if _, err := w.Write(msg); err != nil {
		return &SendError{Step: StepData, Err: fmt.Errorf("DATA: %w", err)}
	}
	if err := w.Close(); err != nil {
		return &SendError{Step: StepData, Err: fmt.Errorf("DATA: %w", err)}
	}
	c.Quit() // the mail is accepted; a failing QUIT changes nothing
	return nil
}

// stepConn gives every read and write its own deadline, step from now but
// never past end (the whole delivery's): net/smtp sets none, and one deadline
// for the whole conversation would let a server that never answers DATA hold
// the mail for all of it.
type stepConn struct {
	net.Conn
	step time.Duration
	end  time.Time
}

func (c *stepConn) Read(p []byte) (int, error) {
	c.Conn.SetReadDeadline(c.deadline())
	return c.Conn.Read(p)
}

func (c *stepConn) Write(p []byte) (int, error) {
	c.Conn.SetWriteDeadline(c.deadline())
	return c.Conn.Write(p)
}

func (c *stepConn) deadline() time.Time {
	if d := time.Now().Add(c.step); c.step > 0 && (c.end.IsZero() || d.Before(c.end)) {
		return d
	}
	return c.end
}
