package seed_test

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/seed"
)

func TestDemoDocumentsArePublicAndMembersOnlyAndAddedOnce(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	ctx := context.Background()
	for range 2 {
		if _, err := seed.Run(ctx, pool, seedNow); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, pool, `SELECT count(*) FROM documents WHERE visibility = 'public'`); n == 0 {
		t.Error("no public sample document")
	}
	if n := count(t, pool, `SELECT count(*) FROM documents WHERE visibility = 'members'`); n == 0 {
		t.Error("no members-only sample document")
	}
	if n := count(t, pool, `SELECT count(*) FROM documents`); n != 3 {
		t.Errorf("%d documents after two runs, want 3", n)
	}
}

func TestSamplePDFHasAWorkingCrossReferenceTable(t *testing.T) {
	pdf := seed.SamplePDF("Übersicht (Entwurf)")
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatalf("no startxref at the end:\n%s", pdf)
	}
	at, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[at:], []byte("xref\n0 6\n")) {
		t.Fatalf("startxref %d does not point at the xref table", at)
	}
	// Each entry points at its object.
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf[at:], -1)
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if want := strconv.Itoa(i+1) + " 0 obj"; !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("entry %d points at %q", i+1, pdf[off:off+10])
		}
	}
	if !bytes.Contains(pdf, []byte(`(Uebersicht \(Entwurf\)) Tj`)) {
		t.Error("title not on the page")
	}
}
