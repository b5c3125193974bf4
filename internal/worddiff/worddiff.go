// Package worddiff compares two texts word by word, so that the audit log
// can show what an edit of a long text changed: only the changed passages,
// with a few unchanged words around them.
//
// Texts are cut into tokens that together give back the text exactly:
// words (letters, digits and combining marks, so "Straße" and "Köln" stay
// whole), runs of whitespace, and runs of other characters (punctuation and
// Markdown syntax such as "**" or "](" ). The tokens are compared with
// Myers' O(ND) algorithm in its linear-space form (middle snake, divide and
// conquer), after the common beginning and end are cut off. The work is
// bounded: when a part of the texts would need more than a fixed number of
// steps (a page rewritten from top to bottom), that part is reported as
// replaced as a whole, so a large edit costs time and memory linear in its
// size rather than quadratic.
package worddiff

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Op is what a span of a difference is.
type Op uint8

// The kinds of span.
const (
	Equal  Op = iota // in both texts
	Delete           // only in the old text
	Insert           // only in the new text
	Skip             // text left out of the display (unchanged, or the rest of a long change)
)

// Span is a piece of a difference. The Equal and Delete spans of a Diff
// give the old text in order, the Equal and Insert spans the new one.
type Span struct {
	Op   Op
	Text string
}

// maxWork bounds the steps of the comparison beyond the linear parts
// (cutting common ends, tokenizing): a million steps take a few
// milliseconds. A hundred scattered edits of a 100 KB page need about
// 200,000, a 2 KB text written anew about 220,000; only a long text
// written anew runs out and is shown as replaced.
const maxWork = 1_000_000

// Diff returns the difference between old and new as spans: within each
// change the deleted text comes before the inserted text, and unchanged
// whitespace or a short unchanged bit between two changes is folded into
// them, so a rewritten sentence reads as one deletion and one insertion.
func Diff(old, new string) []Span {
	return diff(old, new, maxWork)
}

func diff(old, new string, work int) []Span {
	if old == new {
		if old == "" {
			return nil
		}
		return []Span{{Equal, old}}
	}
	// The common beginning and end, cut at whitespace so that no word is
	// split, need no tokens: a small edit of a long page stays cheap.
	pre := commonPrefix(old, new)
	suf := commonSuffix(old[pre:], new[pre:])
	a, b := tokenize(old[pre:len(old)-suf]), tokenize(new[pre:len(new)-suf])
	ia, ib := intern(a, b)
	d := &differ{a: ia, b: ib, delA: make([]bool, len(ia)), insB: make([]bool, len(ib)), work: work}
	d.compare(0, len(ia), 0, len(ib))
	spans := d.spans(a, b)
	if pre > 0 {
		spans = append([]Span{{Equal, old[:pre]}}, spans...)
	}
	if suf > 0 {
		spans = append(spans, Span{Equal, old[len(old)-suf:]})
	}
	spans = merge(spans)
	// Folding can make a change long enough to take in the next unchanged
	// piece; a few rounds settle it (each round is linear).
	for range 4 {
		n := len(spans)
		if spans = cleanup(spans); len(spans) == n {
			break
		}
	}
	slide(spans)
	return spans
}

// slide moves a lone insertion or deletion that starts with whitespace one
// character on when the unchanged text after it starts with the same
// whitespace: " früh" between "morgen" and " in" becomes "früh " between
// "morgen " and "in", which reads as the word that was added.
func slide(spans []Span) {
	for i := 1; i+1 < len(spans); i++ {
		prev, cur, next := &spans[i-1], &spans[i], &spans[i+1]
		if prev.Op != Equal || next.Op != Equal || (cur.Op != Insert && cur.Op != Delete) {
			continue
		}
		r, n := utf8.DecodeRuneInString(cur.Text)
		if !unicode.IsSpace(r) || n == len(cur.Text) || !strings.HasPrefix(next.Text, cur.Text[:n]) || len(next.Text) == n {
			continue
		}
		ws := cur.Text[:n]
		prev.Text += ws
		cur.Text = cur.Text[n:] + ws
		next.Text = next.Text[n:]
	}
}

// commonPrefix is the length of the common beginning of a and b, up to
// and including the last whitespace byte in it.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && !asciiSpace(a[n-1]) {
		n--
	}
	return n
}

// commonSuffix is the length of the common end of a and b, from the first
// whitespace byte in it.
func commonSuffix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	for n > 0 && !asciiSpace(a[len(a)-n]) {
		n--
	}
	return n
}

func asciiSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// merge joins neighbouring spans of the same kind.
func merge(spans []Span) []Span {
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && out[n-1].Op == s.Op {
			out[n-1].Text += s.Text
			continue
		}
		out = append(out, s)
	}
	return out
}

// tokenize cuts s into words, whitespace runs and runs of other characters.
func tokenize(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		class := classOf(r)
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if classOf(r) != class {
				break
			}
			j += n
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

type class uint8

const (
	classWord class = iota
	classSpace
	classOther
)

func classOf(r rune) class {
	switch {
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		return classWord
	case unicode.IsSpace(r):
		return classSpace
	}
	return classOther
}

// intern numbers the tokens so that comparing them compares integers.
func intern(a, b []string) ([]int32, []int32) {
	ids := make(map[string]int32, len(a)/2+8)
	conv := func(toks []string) []int32 {
		out := make([]int32, len(toks))
		for i, t := range toks {
			id, ok := ids[t]
			if !ok {
				id = int32(len(ids))
				ids[t] = id
			}
			out[i] = id
		}
		return out
	}
	return conv(a), conv(b)
}

// differ marks the tokens of a that are deleted and of b that are inserted;
// the unmarked tokens of both are the same sequence.
type differ struct {
	a, b       []int32
	delA, insB []bool
	vf, vb     []int // furthest reaching x per diagonal, forward and backward
	work       int   // steps left before giving up on finding the shortest edit
}

// compare marks the edits that turn a[xlo:xhi] into b[ylo:yhi].
func (d *differ) compare(xlo, xhi, ylo, yhi int) {
	for xlo < xhi && ylo < yhi && d.a[xlo] == d.b[ylo] {
		xlo, ylo = xlo+1, ylo+1
	}
	for xlo < xhi && ylo < yhi && d.a[xhi-1] == d.b[yhi-1] {
		xhi, yhi = xhi-1, yhi-1
	}
	switch {
	case xlo == xhi:
		mark(d.insB[ylo:yhi])
		return
	case ylo == yhi:
		mark(d.delA[xlo:xhi])
		return
	}
	x0, y0, x1, y1, ok := d.middleSnake(xlo, xhi, ylo, yhi)
	if !ok {
		mark(d.delA[xlo:xhi])
		mark(d.insB[ylo:yhi])
		return
	}
	d.compare(xlo, x0, ylo, y0)
	d.compare(x1, xhi, y1, yhi)
}

func mark(b []bool) {
	for i := range b {
		b[i] = true
	}
}

// middleSnake finds the middle snake of a shortest edit script from
// a[xlo:xhi] to b[ylo:yhi] (Myers 1986, section 4b): a run of equal tokens
// from (x0, y0) to (x1, y1) that lies on a shortest path and splits it into
// two halves with about half the edits each. Both ranges are non-empty and
// differ in their first and last tokens, so the script has at least two
// edits and both halves are smaller problems. It reports false when the
// work budget runs out first.
func (d *differ) middleSnake(xlo, xhi, ylo, yhi int) (x0, y0, x1, y1 int, ok bool) {
	a, b := d.a[xlo:xhi], d.b[ylo:yhi]
	n, m := len(a), len(b)
	maxD := (n + m + 1) / 2
	off := maxD + 1 // diagonal k is stored at index k+off
	if need := 2*off + 1; cap(d.vf) < need {
		d.vf, d.vb = make([]int, need), make([]int, need)
	}
	vf, vb := d.vf[:2*off+1], d.vb[:2*off+1]
	vf[off+1], vb[off+1] = 0, 0
	delta := n - m
	odd := delta&1 != 0
	for step := 0; step <= maxD; step++ {
		if d.work -= 2*step + 1; d.work < 0 {
			return 0, 0, 0, 0, false
		}
		// Forward: x on diagonal k = x - y, from (0, 0).
		for k := -step; k <= step; k += 2 {
			var x int
			if k == -step || (k != step && vf[off+k-1] < vf[off+k+1]) {
				x = vf[off+k+1] // down: an insertion
			} else {
				x = vf[off+k-1] + 1 // right: a deletion
			}
			y := x - k
			sx, sy := x, y
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			d.work -= x - sx
			vf[off+k] = x
			// The backward paths of step-1 edits cover diagonals
			// delta-(step-1) … delta+(step-1) in forward terms.
			if odd && k >= delta-(step-1) && k <= delta+(step-1) && x+vb[off+delta-k] >= n {
				return xlo + sx, ylo + sy, xlo + x, ylo + y, true
			}
		}
		// Backward: the same on the reversed texts, from (n, m); a point
		// (u, v) there is (n-u, m-v) here, and its diagonal kr is delta-k.
		for kr := -step; kr <= step; kr += 2 {
			var u int
			if kr == -step || (kr != step && vb[off+kr-1] < vb[off+kr+1]) {
				u = vb[off+kr+1]
			} else {
				u = vb[off+kr-1] + 1
			}
			v := u - kr
			su, sv := u, v
			for u < n && v < m && a[n-1-u] == b[m-1-v] {
				u, v = u+1, v+1
			}
			d.work -= u - su
			vb[off+kr] = u
			if k := delta - kr; !odd && k >= -step && k <= step && vf[off+k]+u >= n {
				return xlo + n - u, ylo + m - v, xlo + n - su, ylo + m - sv, true
			}
		}
	}
	// Not reached: a path of at most n+m edits always exists.
	return 0, 0, 0, 0, false
}

// spans turns the marks into spans, deletions before insertions.
func (d *differ) spans(a, b []string) []Span {
	var out []Span
	add := func(op Op, toks []string) {
		if len(toks) == 0 {
			return
		}
		text := strings.Join(toks, "")
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text
			return
		}
		out = append(out, Span{op, text})
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		si := i
		for i < len(a) && d.delA[i] {
			i++
		}
		add(Delete, a[si:i])
		sj := j
		for j < len(b) && d.insB[j] {
			j++
		}
		add(Insert, b[sj:j])
		se := i
		for i < len(a) && j < len(b) && !d.delA[i] && !d.insB[j] {
			i, j = i+1, j+1
		}
		add(Equal, a[se:i])
	}
	return out
}

// cleanup folds an unchanged piece between two changes into them when it
// holds no word (only whitespace or punctuation), or is no longer than the
// changes on either side (as diff-match-patch's semantic clean-up does), so
// that a rewritten passage is not shown as a string of one-word changes
// around common words such as "und" or "die".
func cleanup(spans []Span) []Span {
	var out []Span
	var del, ins strings.Builder
	delLen, insLen := 0, 0 // in runes
	open := false          // a change is being built
	flush := func() {
		if del.Len() > 0 {
			out = append(out, Span{Delete, del.String()})
		}
		if ins.Len() > 0 {
			out = append(out, Span{Insert, ins.String()})
		}
		del.Reset()
		ins.Reset()
		delLen, insLen, open = 0, 0, false
	}
	for i, s := range spans {
		n := utf8.RuneCountInString(s.Text)
		switch {
		case s.Op == Delete:
			del.WriteString(s.Text)
			delLen, open = delLen+n, true
		case s.Op == Insert:
			ins.WriteString(s.Text)
			insLen, open = insLen+n, true
		case open && i+1 < len(spans) && (!hasWord(s.Text) || n <= max(delLen, insLen) && n <= nextChange(spans[i+1:])):
			// An equal piece between this change and the next one.
			del.WriteString(s.Text)
			ins.WriteString(s.Text)
			delLen, insLen = delLen+n, insLen+n
		default:
			flush()
			out = append(out, s)
		}
	}
	flush()
	return out
}

// nextChange is the length in runes of the larger side of the change that
// spans starts with.
func nextChange(spans []Span) int {
	del, ins := 0, 0
	for _, s := range spans {
		switch s.Op {
		case Delete:
			del += utf8.RuneCountInString(s.Text)
		case Insert:
			ins += utf8.RuneCountInString(s.Text)
		default:
			return max(del, ins)
		}
	}
	return max(del, ins)
}

func hasWord(s string) bool {
	for _, r := range s {
		if classOf(r) == classWord {
			return true
		}
	}
	return false
}
