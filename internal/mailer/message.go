// Package mailer delivers the portal's queued mail: it writes plain-text
// UTF-8 messages with correct headers, sends them over SMTP (net/smtp, with
// STARTTLS when offered or implicit TLS for smtps://), and runs the worker
// inside `defus serve` that delivers due mail with retries and deletes
// enquiries whose retention has run out.
package mailer

import (
	"bytes"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
)

// Message renders m as an RFC 5322 message: UTF-8 plain text, quoted-printable
// encoded, header values Q-encoded where needed, CRLF line ends. Date is the
// time the mail was queued, so a retried mail is the same message.
func Message(m defus.Mail) []byte {
	var b bytes.Buffer
	header := func(k, v string) {
		b.WriteString(k + ": " + v + "\r\n")
	}
	header("Date", m.CreatedAt.In(defus.Berlin).Format(time.RFC1123Z))
	header("From", (&mail.Address{Name: oneLine(m.FromName), Address: m.From}).String())
	header("To", (&mail.Address{Address: m.To}).String())
	if m.ReplyTo != "" {
		header("Reply-To", (&mail.Address{Address: m.ReplyTo}).String())
	}
	// Encoded words are folded onto lines of their own, so lines stay short.
	header("Subject", strings.ReplaceAll(mime.QEncoding.Encode("utf-8", oneLine(m.Subject)), "?= =?", "?=\r\n =?"))
	header("Message-ID", "<"+m.MessageID+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\r", "\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	qp.Close()
	return b.Bytes()
}

// oneLine keeps header values on one line whatever they contain.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
