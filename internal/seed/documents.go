package seed

import (
	"context"
	"fmt"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// documentSeed is a sample document of the members' area: a generated
// one-page PDF that says it is an example.
type documentSeed struct {
	Title, Description string
	Date               time.Time
	Visibility         defus.Visibility
	Topics             []string
	FileName           string
}

var demoDocuments = []documentSeed{
	{Title: "Beispiel: Arbeitshilfe Sicherheit im öffentlichen Raum", FileName: "arbeitshilfe-oeffentlicher-raum.pdf",
		Description: "Beispieldokument: Fragen, mit denen eine Kommune Plätze und Wege gemeinsam mit der Nachbarschaft betrachten kann.",
		Date:        day(2026, 3, 12), Visibility: defus.VisibilityPublic, Topics: []string{topicPublicSpace}},
	{Title: "Beispiel: Protokoll der Mitgliederversammlung", FileName: "protokoll-mitgliederversammlung.pdf",
		Description: "Beispieldokument: Ergebnisse und Verabredungen der letzten Mitgliederversammlung.",
		Date:        day(2025, 11, 20), Visibility: defus.VisibilityMembers},
	{Title: "Beispiel: Informationssammlung Prävention in Kommunen", FileName: "informationssammlung-praevention.pdf",
		Description: "Beispieldokument: Ansätze und Ansprechstellen der Mitglieder zur kommunalen Kriminalprävention.",
		Date:        day(2026, 6, 4), Visibility: defus.VisibilityMembers, Topics: []string{topicPrevention}},
}

// seedDocuments adds the sample documents that are missing (by title).
func seedDocuments(ctx context.Context, st *store.Store, docs []documentSeed) (int, error) {
	topics, err := topicIDs(ctx, st)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ds := range docs {
		found, _, err := st.FindDocuments(ctx, defus.DocumentFilter{Query: ds.Title, Visible: defus.Visibilities})
		if err != nil {
			return n, err
		}
		if len(found) > 0 {
			continue
		}
		d := &defus.Document{Title: ds.Title, Description: ds.Description, DatedOn: ds.Date, Visibility: ds.Visibility,
			FileName: ds.FileName, ContentType: defus.TypePDF, Data: SamplePDF(ds.Title)}
		for _, slug := range ds.Topics {
			d.TopicIDs = append(d.TopicIDs, topics[slug])
		}
		if err := st.CreateDocument(ctx, Setup, d); err != nil {
			return n, fmt.Errorf("document %q: %w", ds.Title, err)
		}
		n++
	}
	return n, nil
}

// SamplePDF makes a valid one-page PDF (1.4) that shows title and says it
// is an example. Only ASCII reaches the page: umlauts are spelt out.
func SamplePDF(title string) []byte {
	text := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss",
		`\`, `\\`, "(", `\(`, ")", `\)`).Replace(title)
	text = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, text)
	stream := "BT /F1 14 Tf 50 760 Td (" + text + ") Tj 0 -24 Td /F1 11 Tf (Beispieldokument des DEFUS-Portals) Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return []byte(b.String())
}
