package worddiff

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// show writes spans compactly: [-deleted-]{+inserted+}, … for a Skip.
func show(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		switch s.Op {
		case Equal:
			b.WriteString(s.Text)
		case Delete:
			b.WriteString("[-" + s.Text + "-]")
		case Insert:
			b.WriteString("{+" + s.Text + "+}")
		case Skip:
			b.WriteString("…")
		}
	}
	return b.String()
}

// sides gives back the old and the new text from a difference.
func sides(spans []Span) (old, new string) {
	var o, n strings.Builder
	for _, s := range spans {
		if s.Op != Insert {
			o.WriteString(s.Text)
		}
		if s.Op != Delete {
			n.WriteString(s.Text)
		}
	}
	return o.String(), n.String()
}

func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"identical", "Die Stadt Köln.", "Die Stadt Köln.", "Die Stadt Köln."},
		{"both empty", "", "", ""},
		{"from empty", "", "Neu hier.", "{+Neu hier.+}"},
		{"to empty", "Alles weg.", "", "[-Alles weg.-]"},
		{"one word with umlauts", "Die Stadt Köln lädt ein.", "Die Stadt Düsseldorf lädt ein.", "Die Stadt [-Köln-]{+Düsseldorf+} lädt ein."},
		{"sharp s stays one word", "Die Straße ist breit.", "Die Strasse ist breit.", "Die [-Straße-]{+Strasse+} ist breit."},
		{"pure insert", "Wir treffen uns in Bonn.", "Wir treffen uns morgen früh in Bonn.", "Wir treffen uns {+morgen früh +}in Bonn."},
		{"pure delete", "Wir treffen uns morgen früh in Bonn.", "Wir treffen uns in Bonn.", "Wir treffen uns [-morgen früh -]in Bonn."},
		{"punctuation only", "Köln, Bonn und Essen", "Köln; Bonn und Essen", "Köln[-,-]{+;+} Bonn und Essen"},
		{"Markdown emphasis", "Ein Gruß an alle.", "Ein **Gruß** an alle.", "Ein {+**+}Gruß{+**+} an alle."},
		{"line break", "Absatz eins. Absatz zwei.", "Absatz eins.\n\nAbsatz zwei.", "Absatz eins.[- -]{+\n\n+}Absatz zwei."},
		{"rewritten sentence is one change", "Der Verein wurde in Bonn gegründet und hat viele Mitglieder.",
			"Das Forum entstand in Berlin und wächst seitdem stetig.",
			"[-Der Verein wurde in Bonn gegründet und hat viele Mitglieder-]{+Das Forum entstand in Berlin und wächst seitdem stetig+}."},
		{"separate changes stay apart", "Die Stadt Köln lädt am Montag alle Mitglieder zum Fachtag ein.",
			"Die Stadt Bonn lädt am Montag alle Mitglieder zum Forum ein.",
			"Die Stadt [-Köln-]{+Bonn+} lädt am Montag alle Mitglieder zum [-Fachtag-]{+Forum+} ein."},
		{"common words are not kept alone", "Die Kommune und die Polizei", "Der Landkreis und der Zoll",
			"[-Die Kommune und die Polizei-]{+Der Landkreis und der Zoll+}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spans := Diff(tc.old, tc.new)
			if got := show(spans); got != tc.want {
				t.Errorf("Diff(%q, %q)\n got %s\nwant %s", tc.old, tc.new, got, tc.want)
			}
			if o, n := sides(spans); o != tc.old || n != tc.new {
				t.Errorf("spans give back %q → %q", o, n)
			}
		})
	}
}

func TestTokenizeKeepsEveryByte(t *testing.T) {
	for _, s := range []string{"", " ", "Grüße aus Köln-Süd, 1.000 € – „Zitat“!", "a\u0308b", "\xff\xfe kaputt", "## Titel\n\n* [Link](https://x.de)"} {
		toks := tokenize(s)
		if got := strings.Join(toks, ""); got != s {
			t.Errorf("tokenize(%q) joins to %q", s, got)
		}
	}
	got := tokenize("Grüße aus Köln-Süd, 1.000 €")
	want := []string{"Grüße", " ", "aus", " ", "Köln", "-", "Süd", ",", " ", "1", ".", "000", " ", "€"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens %q, want %q", got, want)
	}
}

// lcs is the textbook dynamic program, the reference for the shortest edit.
func lcs(a, b []int32) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// TestDifferFindsShortestEdit compares the marks with the dynamic program
// on many random sequences: the unmarked tokens must be the same sequence
// in both, and there must be as few marks as the longest common subsequence
// allows.
func TestDifferFindsShortestEdit(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		a := make([]int32, r.IntN(30))
		b := make([]int32, r.IntN(30))
		alphabet := int32(1 + r.IntN(5))
		for i := range a {
			a[i] = r.Int32N(alphabet)
		}
		for i := range b {
			b[i] = r.Int32N(alphabet)
		}
		d := &differ{a: a, b: b, delA: make([]bool, len(a)), insB: make([]bool, len(b)), work: maxWork}
		d.compare(0, len(a), 0, len(b))
		var keptA, keptB []int32
		marks := 0
		for i, del := range d.delA {
			if del {
				marks++
			} else {
				keptA = append(keptA, a[i])
			}
		}
		for j, ins := range d.insB {
			if ins {
				marks++
			} else {
				keptB = append(keptB, b[j])
			}
		}
		if !slices.Equal(keptA, keptB) {
			t.Fatalf("%v → %v: kept %v and %v", a, b, keptA, keptB)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); marks != want {
			t.Fatalf("%v → %v: %d edits, want %d", a, b, marks, want)
		}
	}
}

// randomText is n words drawn from a small German vocabulary.
func randomText(r *rand.Rand, n int) string {
	words := strings.Fields("der die das und Stadt Köln Prävention Sicherheit Straße für im am Forum Verein Jugend Polizei Kommune Netzwerk, Fachtag. Grüße! Mitglieder Öffentlichkeit über")
	var b strings.Builder
	for i := range n {
		if i > 0 {
			if r.IntN(12) == 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.String()
}

// edit changes k random words of s.
func edit(r *rand.Rand, s string, k int) string {
	f := strings.Split(s, " ")
	for range k {
		if len(f) == 0 {
			break
		}
		i := r.IntN(len(f))
		switch r.IntN(3) {
		case 0:
			f[i] = "Änderung"
		case 1:
			f = slices.Delete(f, i, i+1)
		default:
			f = slices.Insert(f, i, "neu", "eingefügt")
		}
	}
	return strings.Join(f, " ")
}

func TestDiffGivesBackBothTexts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		old := randomText(r, r.IntN(200))
		new := edit(r, old, r.IntN(8))
		if i%10 == 0 {
			new = randomText(r, r.IntN(200))
		}
		o, n := sides(Diff(old, new))
		if o != old || n != new {
			t.Fatalf("difference of\n%q\n%q\ngives back\n%q\n%q", old, new, o, n)
		}
	}
}

// TestBudgetFallsBackToReplacement: when the work runs out, the rest is one
// replacement, and the texts still come back whole.
func TestBudgetFallsBackToReplacement(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	old := randomText(r, 2000)
	new := edit(r, old, 40)
	spans := diff(old, new, 100)
	if o, n := sides(spans); o != old || n != new {
		t.Fatal("texts not given back after the budget ran out")
	}
	if len(spans) > 4 {
		t.Errorf("%d spans after the budget ran out, want one replacement (and common ends)", len(spans))
	}
	// With the full budget the same texts get a fine-grained difference.
	if n := len(Diff(old, new)); n < 10 {
		t.Errorf("full budget gave only %d spans", n)
	}
}

// longPage is an Impressum-like page of about size bytes.
func longPage(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "## Abschnitt %d\n\nDas Deutsch-Europäische Forum für Urbane Sicherheit e. V. (DEFUS) ist ein Netzwerk von Städten, Gemeinden und Landkreisen. Absatz %d behandelt Prävention, Straßen und Plätze.\n\n", i, i)
	}
	return b.String()
}

func TestPassagesShowOnlyChangesWithContext(t *testing.T) {
	old := longPage(20_000)
	new := strings.Replace(old, "Absatz 57 behandelt Prävention", "Absatz 57 behandelt ausdrücklich Prävention", 1)
	new = strings.Replace(new, "## Abschnitt 90\n", "## Abschnitt neunzig\n", 1)
	p := Passages(Diff(old, new), 8)
	got := show(p)
	want := "…von Städten, Gemeinden und Landkreisen. Absatz 57 behandelt {+ausdrücklich +}Prävention, Straßen und Plätze.\n\n## Abschnitt 58\n\nDas Deutsch-…" +
		"Absatz 89 behandelt Prävention, Straßen und Plätze.\n\n## Abschnitt [-90-]{+neunzig+}\n\nDas Deutsch-Europäische Forum für Urbane Sicherheit e.…"
	if got != want {
		t.Errorf("passages\n got %q\nwant %q", got, want)
	}
	if n := len(got); n > 500 {
		t.Errorf("passages of a 20 KB page are %d bytes long", n)
	}
	if Passages(Diff(old, old), 8) != nil {
		t.Error("identical texts give passages")
	}
}

func TestPassagesKeepShortTextsWhole(t *testing.T) {
	got := show(Passages(Diff("Die Stadt Köln lädt ein.", "Die Stadt Bonn lädt ein."), 8))
	if want := "Die Stadt [-Köln-]{+Bonn+} lädt ein."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Context 2: two words either side, punctuation after the last one kept.
	got = show(Passages(Diff("eins zwei drei vier, fünf sechs sieben acht neun", "eins zwei drei vier, fünf SECHS sieben acht neun"), 2))
	if want := "…vier, fünf [-sechs-]{+SECHS+} sieben acht…"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestShortenCutsLongChanges(t *testing.T) {
	long := strings.Repeat("Wort ", 100) + "Ende."
	got := Shorten(Diff("Anfang. ", "Anfang. "+long), 5)
	if show(got) != "Anfang. {+Wort Wort Wort Wort Wort+}…" {
		t.Errorf("got %q", show(got))
	}
	if len(got) != 3 || got[1].Text+got[2].Text != long {
		t.Errorf("shortening lost text: %q", got)
	}
	if got := show(Shorten(Diff("a b", "a c"), 5)); got != "a [-b-]{+c+}" {
		t.Errorf("short change shortened: %q", got)
	}
}

func BenchmarkDiff(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	page := longPage(100_000)
	for _, bc := range []struct{ name, old, new string }{
		{"100KB page, one word", page, strings.Replace(page, "Absatz 300 behandelt", "Absatz 300 regelt", 1)},
		{"100KB page, 20 edits", page, edit(r, page, 20)},
		{"100KB page rewritten", page, randomText(r, 15_000)},
		{"2KB text rewritten", randomText(r, 300), randomText(r, 300)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Passages(Diff(bc.old, bc.new), 8)
			}
		})
	}
}

func TestPassagesAtTheEdges(t *testing.T) {
	old := "Anfang des Textes. " + strings.Repeat("Mitte ", 30) + "Schluss.\n"
	new := "Beginn des Textes. " + strings.Repeat("Mitte ", 30) + "Ende.\n"
	got := show(Passages(Diff(old, new), 3))
	if want := "[-Anfang-]{+Beginn+} des Textes. Mitte…Mitte Mitte Mitte [-Schluss-]{+Ende+}.\n"; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// FuzzDiff checks that every difference gives back both texts, also for
// bytes that are not UTF-8, and that passages leave out only unchanged text.
func FuzzDiff(f *testing.F) {
	f.Add("Die Stadt Köln", "Die Stadt Düsseldorf")
	f.Add("", "neu")
	f.Add("a\xffb c", "a\xfeb c d")
	f.Add("Straße, Weg.", "Straße; Weg!")
	f.Fuzz(func(t *testing.T, old, new string) {
		spans := Diff(old, new)
		if o, n := sides(spans); o != old || n != new {
			t.Fatalf("Diff(%q, %q) gives back %q, %q", old, new, o, n)
		}
		// Passages only leave unchanged text out, as Skip spans; equal texts have none.
		if old == new {
			if Passages(spans, 2) != nil {
				t.Fatalf("passages of equal texts %q", old)
			}
		} else if o, n := sides(Passages(spans, 2)); o != old || n != new {
			t.Fatalf("passages of %q, %q give back %q, %q", old, new, o, n)
		}
	})
}

func TestSlideToWordStart(t *testing.T) {
	got := show(Diff("Wir treffen uns in Bonn.", "Wir treffen uns heute in Bonn."))
	if want := "Wir treffen uns {+heute +}in Bonn."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got = show(Diff("Wir treffen uns heute in Bonn.", "Wir treffen uns in Bonn."))
	if want := "Wir treffen uns [-heute -]in Bonn."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
