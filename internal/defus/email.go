package defus

import (
	"errors"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// CheckEmail validates an e-mail address already trimmed, labelled label in
// German messages ("Die E-Mail-Adresse"), and reports the German message or
// "". An empty address is the caller's to refuse or allow. It is the one
// check of every address field: the same text rules as any single line
// (CheckText), a plain address (ValidEmail), and only addresses the mailer
// can deliver to every mail server: a domain with umlauts is fine (it is
// sent in its ASCII form, see ASCIIEmail), a local part with them is not.
func CheckEmail(v, label string) string {
	if v == "" {
		return ""
	}
	if msg := CheckText(v, label, false, MaxEmailLen, false); msg != "" {
		return msg
	}
	if at := strings.LastIndexByte(v, '@'); at > 0 && !isASCII(v[:at]) {
		return "Bitte verwenden Sie eine E-Mail-Adresse ohne Umlaute vor dem @. " +
			"Umlaute oder andere Sonderzeichen vor dem @ können nicht alle Mailserver zustellen; nach dem @ sind sie möglich."
	}
	if !ValidEmail(v) {
		return "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@stadt.de."
	}
	return ""
}

// ValidEmail reports whether s is a plain e-mail address such as
// name@stadt.de: no display name, no angle brackets, no quoted or IP-literal
// parts, an ASCII local part, and a domain of at least two labels with a
// top-level domain of letters that has an ASCII form (IDNA). It refuses the
// almost-valid addresses people mistype.
func ValidEmail(s string) bool {
	if len(s) > MaxEmailLen || strings.ContainsAny(s, " <>\"()[]\\,;:") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if local == "" || len(local) > 64 || !isASCII(local) || strings.HasPrefix(local, ".") ||
		strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || utf8.RuneCountInString(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	ascii, err := ASCIIEmail(s)
	if err != nil || len(ascii) > MaxEmailLen {
		return false
	}
	for _, l := range strings.Split(ascii[at+1:], ".") {
		if len(l) > 63 {
			return false // "xn--" and the encoding make a label longer
		}
	}
	return true
}

// LookupEmail reports whether s may be looked up as an e-mail address: what
// ValidEmail takes, and also addresses with umlauts or other letters before
// the @, which forms took before they refused them (CheckEmail), so that
// what is stored under such an address can still be found.
func LookupEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at > 0 && !isASCII(s[:at]) && ValidText(s[:at], false) {
		s = strings.Map(func(r rune) rune {
			if r >= utf8.RuneSelf {
				return 'x'
			}
			return r
		}, s[:at]) + s[at:]
	}
	return ValidEmail(s)
}

// ASCIIEmail returns addr as every mail server takes it, in the SMTP
// envelope and in headers: a domain with umlauts (info@münchen.de) in its
// ASCII form (info@xn--mnchen-3ya.de), converted with the IDNA lookup
// profile as browsers and mail programs convert it. An address that is ASCII
// already is returned unchanged. A local part (before the @) with other
// characters has no ASCII form; that is an error, since delivering it needs
// SMTPUTF8 from every server on the way. Forms refuse such addresses
// (CheckEmail).
func ASCIIEmail(addr string) (string, error) {
	if isASCII(addr) {
		return addr, nil
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return "", errors.New("e-mail address without @")
	}
	local, domain := addr[:at], addr[at+1:]
	if !isASCII(local) {
		return "", errors.New("e-mail address with non-ASCII characters before the @ (needs SMTPUTF8)")
	}
	d, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return "", err
	}
	return local + "@" + d, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
