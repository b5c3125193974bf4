// Package vcard writes contact cards in the vCard format, version 4.0
// (RFC 6350), for address books.
//
// It writes only what the portal needs (FN, N, ORG, TITLE, EMAIL, TEL,
// NOTE, REV, UID) and reads nothing. No well-kept Go library for vCard is
// among the modules this project can use, and writing the format is
// small: escaping (RFC 6350 3.4), folding of long lines at 75 octets
// without splitting a UTF-8 character (3.2), and CRLF line ends.
package vcard

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// Card is one person's contact card.
type Card struct {
	UID           string    // a stable identifier, e.g. "urn:uuid:…" or a URL
	FormattedName string    // FN: the name as shown, required
	Organisation  string    // ORG
	Title         string    // TITLE: the person's function
	Email         string    // EMAIL
	Phone         string    // TEL, as typed
	Note          string    // NOTE
	Revision      time.Time // REV; zero: none
}

// Encode writes the cards one after another, as an address book imports
// them from one .vcf file.
func Encode(cards ...Card) []byte {
	var b bytes.Buffer
	for _, c := range cards {
		c.write(&b)
	}
	return b.Bytes()
}

func (c Card) write(b *bytes.Buffer) {
	line(b, "BEGIN:VCARD")
	line(b, "VERSION:4.0")
	if c.UID != "" {
		line(b, "UID:"+c.UID)
	}
	line(b, "FN:"+escape(c.FormattedName))
	family, given := splitName(c.FormattedName)
	line(b, "N:"+escape(family)+";"+escape(given)+";;;")
	if c.Organisation != "" {
		line(b, "ORG:"+escape(c.Organisation))
	}
	if c.Title != "" {
		line(b, "TITLE:"+escape(c.Title))
	}
	if c.Email != "" {
		line(b, "EMAIL;TYPE=work:"+escape(c.Email))
	}
	if c.Phone != "" {
		line(b, "TEL;TYPE=work,voice;VALUE=uri:tel:"+telURI(c.Phone))
	}
	if c.Note != "" {
		line(b, "NOTE:"+escape(c.Note))
	}
	if !c.Revision.IsZero() {
		line(b, "REV:"+c.Revision.UTC().Format("20060102T150405Z"))
	}
	line(b, "END:VCARD")
}

// splitName guesses family and given name from a name as shown: the last
// word is the family name ("Dr. Anna Muster" → "Muster", "Dr. Anna").
func splitName(name string) (family, given string) {
	name = strings.TrimSpace(name)
	i := strings.LastIndexByte(name, ' ')
	if i < 0 {
		return name, ""
	}
	return name[i+1:], strings.TrimSpace(name[:i])
}

// escape escapes a text value (RFC 6350 3.4): backslash, comma,
// semicolon and line breaks.
func escape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// telURI turns a phone number as typed ("0221 123-45 67", "+49 (221) 12")
// into the digits of a tel: URI, keeping a leading plus (RFC 3966).
func telURI(phone string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// line writes one content line, folded so that no line is longer than 75
// octets (RFC 6350 3.2): a continuation starts with a space.
func line(b *bytes.Buffer, s string) {
	const max = 75
	first := true
	for len(s) > 0 {
		limit := max
		if !first {
			limit = max - 1 // the leading space counts
			b.WriteString(" ")
		}
		n := len(s)
		if n > limit {
			n = limit
			for n > 0 && !utf8.RuneStart(s[n]) {
				n--
			}
		}
		b.WriteString(s[:n])
		b.WriteString("\r\n")
		s = s[n:]
		first = false
	}
}
