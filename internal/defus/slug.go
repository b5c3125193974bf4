package defus

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

var germanTranslit = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss",
	'Ä': "ae", 'Ö': "oe", 'Ü': "ue", 'ẞ': "ss",
}

// Slugify turns a title into a URL slug: lower-case ASCII letters and digits
// separated by single hyphens, with German transliteration (ä→ae, ß→ss) and
// other accents dropped (é→e). It returns "" when nothing usable is left.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	emit := func(str string) {
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(str)
	}
	for _, r := range norm.NFC.String(s) {
		if t, ok := germanTranslit[r]; ok {
			emit(t)
			continue
		}
		// Decompose to drop accents: é → e + ◌́.
		base := []rune(norm.NFD.String(string(r)))[0]
		base = unicode.ToLower(base)
		switch {
		case base >= 'a' && base <= 'z', base >= '0' && base <= '9':
			emit(string(base))
		default:
			hyphen = true
		}
	}
	out := b.String()
	if len(out) > 80 {
		out = strings.TrimRight(out[:80], "-")
	}
	return out
}

// ValidSlug reports whether s is a well-formed slug.
func ValidSlug(s string) bool {
	if s == "" || len(s) > 100 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	prev := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && prev != '-':
		default:
			return false
		}
		prev = c
	}
	return true
}
