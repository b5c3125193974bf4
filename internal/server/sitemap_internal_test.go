package server

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestSitemapXMLGolden keeps the sitemap format byte-stable.
func TestSitemapXMLGolden(t *testing.T) {
	t.Parallel()
	got, err := sitemapXML([]sitemapURL{
		{Loc: "https://www.defus.de/"},
		{Loc: "https://www.defus.de/mitglieder/koeln", LastMod: "2026-11-24"},
		{Loc: "https://www.defus.de/themen/urbane-resilienz?a=1&b=2", LastMod: "2026-01-02"},
	})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sitemap.golden.xml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("sitemap differs from %s (run go test -update):\n%s", golden, got)
	}
}

func TestCleanParam(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Bayern":                "Bayern",
		"a\x00b\nc":             "abc",
		"\xff\xfe":              "�",
		string(make([]byte, 0)): "",
	} {
		if got := cleanParam(in); got != want {
			t.Errorf("cleanParam(%q) = %q, want %q", in, got, want)
		}
	}
	if got := []rune(cleanParam(string(make([]rune, 100)) + "x")); len(got) > 41 {
		t.Errorf("cleanParam did not shorten: %d runes", len(got))
	}
}
