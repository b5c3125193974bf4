package worddiff

import (
	"strings"
	"unicode/utf8"
)

// Passages shortens a difference for display: of each unchanged span it
// keeps only the context words next to a change and puts a Skip span with
// the left-out text in place of the rest. A difference without changes
// gives nil.
func Passages(spans []Span, context int) []Span {
	changed := false
	for _, s := range spans {
		if s.Op == Delete || s.Op == Insert {
			changed = true
			break
		}
	}
	if !changed {
		return nil
	}
	var out []Span
	for i, s := range spans {
		if s.Op != Equal {
			out = append(out, s)
			continue
		}
		head, tail := 0, len(s.Text) // bytes kept at the start, and from where at the end
		if i > 0 {                   // a change before
			head = headEnd(s.Text, context)
		}
		if i < len(spans)-1 { // a change after
			tail = tailStart(s.Text, context)
		}
		if head >= tail || strings.TrimSpace(s.Text[head:tail]) == "" {
			out = append(out, s)
			continue
		}
		if head > 0 {
			out = append(out, Span{Equal, s.Text[:head]})
		}
		out = append(out, Span{Skip, s.Text[head:tail]})
		if tail < len(s.Text) {
			out = append(out, Span{Equal, s.Text[tail:]})
		}
	}
	return out
}

// headEnd is the byte offset in s after its first n words and the
// punctuation right after the last of them ("Abend." rather than "Abend"),
// or len(s) when s has no more words.
func headEnd(s string, n int) int {
	if n == 0 {
		return 0
	}
	words, prev := 0, classSpace
	for i, r := range s {
		c := classOf(r)
		if prev == classWord && c != classWord {
			if words++; words == n {
				if c == classOther {
					return i + otherRun(s[i:])
				}
				return i
			}
		}
		prev = c
	}
	return len(s)
}

// otherRun is the length in bytes of the run of punctuation s starts with.
func otherRun(s string) int {
	for i, r := range s {
		if classOf(r) != classOther {
			return i
		}
	}
	return len(s)
}

// tailStart is the byte offset in s where its last n words begin, or 0
// when it has no more words.
func tailStart(s string, n int) int {
	if n == 0 {
		return len(s)
	}
	words := 0
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		if classOf(r) != classWord {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		if i == 0 || classOf(before) != classWord {
			if words++; words == n {
				return i
			}
		}
	}
	return 0
}

// Shorten cuts each deletion and insertion of more than n words after its
// n-th word and puts a Skip span with the rest after it, for a compact
// list. Spans keep their order; nothing else changes.
func Shorten(spans []Span, n int) []Span {
	var out []Span
	for _, s := range spans {
		cut := len(s.Text)
		if s.Op == Delete || s.Op == Insert {
			cut = headEnd(s.Text, n)
		}
		if strings.TrimSpace(s.Text[cut:]) == "" {
			out = append(out, s)
			continue
		}
		out = append(out, Span{s.Op, s.Text[:cut]}, Span{Skip, s.Text[cut:]})
	}
	return out
}
