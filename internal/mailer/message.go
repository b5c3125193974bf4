// Package mailer delivers the portal's queued mail: it writes plain-text
// UTF-8 messages with correct headers, sends them over SMTP (net/smtp, with
// STARTTLS when offered or implicit TLS for smtps://), and runs the worker
// inside `defus serve` that delivers due mail with retries and deletes
// enquiries whose retention has run out.
package mailer

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
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
	header("From", (&mail.Address{Name: oneLine(m.FromName), Address: asciiAddress(m.From)}).String())
	header("To", (&mail.Address{Address: asciiAddress(m.To)}).String())
	if m.ReplyTo != "" {
		header("Reply-To", (&mail.Address{Address: asciiAddress(m.ReplyTo)}).String())
	}
	// Encoded words are folded onto lines of their own, so lines stay short.
	header("Subject", strings.ReplaceAll(mime.QEncoding.Encode("utf-8", oneLine(m.Subject)), "?= =?", "?=\r\n =?"))
	header("Message-ID", "<"+m.MessageID+">")
	if m.InReplyTo != "" {
		// The sender's mail program shows the answer in the thread of the mail it answers.
		header("In-Reply-To", "<"+m.InReplyTo+">")
		header("References", "<"+m.InReplyTo+">")
	}
	header("MIME-Version", "1.0")
	if m.Kind != defus.MailReply {
		// RFC 3834: the portal wrote it, so vacation responders keep quiet.
		// An answer from the office is written by a person and gets none.
		header("Auto-Submitted", "auto-generated")
	}
	if m.AttachmentName != "" {
		writeWithAttachment(&b, m)
		return b.Bytes()
	}
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	writeBody(&b, m.Body)
	return b.Bytes()
}

// writeBody writes body as quoted-printable with CRLF line ends.
func writeBody(w io.Writer, body string) {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	qp := quotedprintable.NewWriter(w)
	qp.Write([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	qp.Close()
}

// writeWithAttachment writes the rest of the header and a multipart/mixed
// body: the text, then the attachment in base64 (lines of 76 characters).
// The boundary comes from the Message-ID, so a retried mail is the same
// message byte for byte.
func writeWithAttachment(b *bytes.Buffer, m defus.Mail) {
	sum := sha256.Sum256([]byte(m.MessageID))
	boundary := "defus-" + hex.EncodeToString(sum[:12])
	b.WriteString("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n")
	mw := multipart.NewWriter(b)
	mw.SetBoundary(boundary)
	text, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"}})
	writeBody(text, m.Body)
	att, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {m.AttachmentType},
		"Content-Transfer-Encoding": {"base64"},
		"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": m.AttachmentName})}})
	enc := base64.StdEncoding.EncodeToString(m.Attachment)
	for len(enc) > 76 {
		io.WriteString(att, enc[:76]+"\r\n")
		enc = enc[76:]
	}
	io.WriteString(att, enc+"\r\n")
	mw.Close()
}

// asciiAddress is addr with an internationalised domain in its ASCII form
// (defus.ASCIIEmail), as headers without SMTPUTF8 need it. An address
// without an ASCII form stays as it is: only a server that offers SMTPUTF8
// takes it (see envelope).
func asciiAddress(addr string) string {
	if a, err := defus.ASCIIEmail(addr); err == nil {
		return a
	}
	return addr
}

// envelope gives the addresses for MAIL FROM and RCPT TO in their ASCII form
// (defus.ASCIIEmail), so a mail to info@münchen.de reaches every server as
// info@xn--mnchen-3ya.de. An address with no ASCII form (umlauts before the
// @, which forms refuse) goes unchanged only to a server that offers
// SMTPUTF8 (net/smtp then announces it in MAIL FROM); for any other server
// it is an error before the server is asked.
func envelope(from string, to []string, smtputf8 bool) (string, []string, error) {
	conv := func(addr string) (string, error) {
		a, err := defus.ASCIIEmail(addr)
		if err != nil && smtputf8 {
			return addr, nil
		}
		if err != nil {
			return "", fmt.Errorf("address %q cannot be sent to a server without SMTPUTF8: %w", addr, err)
		}
		return a, nil
	}
	from, err := conv(from)
	if err != nil {
		return "", nil, err
	}
	out := make([]string, len(to))
	for i, addr := range to {
		if out[i], err = conv(addr); err != nil {
			return "", nil, err
		}
	}
	return from, out, nil
}

// oneLine keeps header values on one line whatever they contain.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
