package defus_test

import (
	"regexp"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
)

func TestParseSearch(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, tsquery, shown string }{
		{"Resil", "('resil':*)", "resil"},
		{"Goettingen", "('goettingen':* | 'göttingen':*)", "goettingen"},
		{"Prävention", "('prävention':* | 'prävent':*)", "prävention"},
		{`"Deutscher Präventionstag" Berlin`, "('berlin':*) & ('deutscher' <-> 'präventionstag')", "„deutscher präventionstag“ berlin"},
		{"„sichere Städte“", "('sichere' <-> 'städte')", "„sichere städte“"},
		{`" & | ! :*`, "", ""},
		{`'; DROP TABLE x; --`, "('drop':*) & ('table':*)", "drop table"},
		{"a b", "", ""},
		{"Hamburgʼs ŉabc", "('hamburg':*) & ('abc':*)", "hamburg abc"},
	} {
		q := defus.ParseSearch(c.in)
		if got := q.TSQuery(); got != c.tsquery {
			t.Errorf("%q: tsquery %q, want %q", c.in, got, c.tsquery)
		}
		if got := q.String(); got != c.shown {
			t.Errorf("%q: shown %q, want %q", c.in, got, c.shown)
		}
	}
}

// TestSearchQueryHasOnlyOurOperators: whatever is typed, the tsquery has
// quoted lexemes of letters and digits and our operators only.
func TestSearchQueryHasOnlyOurOperators(t *testing.T) {
	t.Parallel()
	shape := regexp.MustCompile(`^(\(?'[\p{L}\p{N}]+'(:\*)?\)?( (\||&|<->) )?)*$`)
	for _, in := range []string{"x'y\\z", strings.Repeat("ä ", 5000), "\x00\xff\xfe", "((a|b)&!c:*)<->d", "'''", "a:*b", "Städte\"Prävention\"Ö"} {
		got := defus.ParseSearch(in).TSQuery()
		if !shape.MatchString(got) {
			t.Errorf("%.30q gives %q", in, got)
		}
		if n := strings.Count(got, "'") / 2; n > 3*12 {
			t.Errorf("%.30q gives %d lexemes", in, n)
		}
	}
}
