package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// searchStore is newsStore with articles, a page, an event and a topic text
// to search in.
func searchStore(t *testing.T) (*store.Store, *time.Time) {
	t.Helper()
	st, now := newsStore(t)
	addArticle(t, st, defus.Article{Title: "Sichere Städte im Gespräch", Lead: "Wie Göttingen präventiven Ansätzen folgt.",
		Body: "Die **Resilienz** der Stadt <script>alert(1)</script> wächst.", Published: true, PublishedAt: testNow.Add(-time.Hour)})
	addArticle(t, st, defus.Article{Title: "Geheimer Entwurf", Lead: "Göttingen entwirft", Published: false, PublishedAt: testNow.Add(-time.Hour)})
	addArticle(t, st, defus.Article{Title: "Kommt morgen", Lead: "Göttingen plant", Published: true, PublishedAt: testNow.Add(24 * time.Hour)})
	const q = `
INSERT INTO pages (slug, title, summary, body) VALUES
  ('ueber-uns', 'Über uns', 'Kommunale Kriminalprävention seit 2010', 'Gegründet auf dem Deutschen Präventionstag.');
INSERT INTO pages (slug, title, body, published) VALUES ('versteckt', 'Versteckte Seite', 'Göttingen', false);
UPDATE topics SET description = 'Prävention in der Stadt' WHERE slug = 'praevention';`
	if _, err := dbtest.Pool(t).Exec(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	return st, now
}

func search(t *testing.T, st *store.Store, q string, members bool) []defus.SearchHit {
	t.Helper()
	hits, _, err := st.Search(context.Background(), defus.SearchFilter{Query: defus.ParseSearch(q), Members: members, Now: st.Now(), Limit: 50})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return hits
}

func hitPaths(hits []defus.SearchHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Path)
	}
	return out
}

func has(hits []defus.SearchHit, path string) bool {
	for _, h := range hits {
		if h.Path == path {
			return true
		}
	}
	return false
}

func TestSearchUnderstandsGerman(t *testing.T) {
	t.Parallel()
	st, _ := searchStore(t)
	const article = "/aktuelles/sichere-staedte-im-gespraech"
	for _, c := range []struct{ name, q, want string }{
		{"stemming: Stadt finds Städte", "Stadt", article},
		{"stemming: Städte finds Stadt", "Städte", article},
		{"Prävention finds präventiven", "Prävention", article},
		{"folding without umlaut", "Gottingen", article},
		{"folding written out", "Goettingen", article},
		{"folding lower case", "göttingen", article},
		{"prefix", "Resil", article},
		{"prefix in a compound's start", "Kriminalpräv", "/ueber-uns"},
		{"phrase", `"Deutschen Präventionstag"`, "/ueber-uns"},
		{"German quotes", "„sichere Städte“", article},
		{"members", "Öhringen", "/mitglieder/oehringen"},
		{"public contact", "Erste Person", "/mitglieder/zwickau"},
		{"topic", "Drogen", "/themen/drogen"},
	} {
		if hits := search(t, st, c.q, false); !has(hits, c.want) {
			t.Errorf("%s: %q found %v, want %s", c.name, c.q, hitPaths(hits), c.want)
		}
	}
	if hits := search(t, st, `"Präventionstag Deutschen"`, false); has(hits, "/ueber-uns") {
		t.Errorf("a phrase in the wrong order matched: %v", hitPaths(hits))
	}
}

func TestSearchHidesWhatVisitorsMayNotSee(t *testing.T) {
	t.Parallel()
	st, now := searchStore(t)
	hits := search(t, st, "Göttingen", false)
	for _, p := range []string{"/aktuelles/geheimer-entwurf", "/aktuelles/kommt-morgen", "/versteckt"} {
		if has(hits, p) {
			t.Errorf("found %s: %v", p, hitPaths(hits))
		}
	}
	if hits := search(t, st, "Entwurf", false); has(hits, "/mitglieder/entwurf") {
		t.Errorf("draft member found: %v", hitPaths(hits))
	}
	if hits := search(t, st, "Versteckt", false); has(hits, "/themen/versteckt") {
		t.Errorf("draft topic found: %v", hitPaths(hits))
	}
	// Members-only contact persons: for logged-in accounts only.
	if hits := search(t, st, "Zweite Person", false); len(hits) != 0 {
		t.Errorf("visitors found a members-only contact: %v", hitPaths(hits))
	}
	if hits := search(t, st, "Zweite Person", true); !has(hits, "/mitglieder/zwickau") {
		t.Errorf("members did not find the members-only contact: %v", hitPaths(hits))
	}
	// The scheduled article appears at its moment, without anyone touching it.
	*now = testNow.Add(24 * time.Hour)
	if hits := search(t, st, "Göttingen", false); !has(hits, "/aktuelles/kommt-morgen") {
		t.Errorf("scheduled article not found at its moment: %v", hitPaths(hits))
	}
}

func TestSearchSnippetsAndCounts(t *testing.T) {
	t.Parallel()
	st, _ := searchStore(t)
	hits, counts, err := st.Search(context.Background(), defus.SearchFilter{Query: defus.ParseSearch("Resilienz"), Now: st.Now(), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || counts[defus.SearchArticles] != 1 {
		t.Fatalf("hits %v counts %v", hitPaths(hits), counts)
	}
	s := hits[0].Snippet
	if !strings.Contains(s, defus.SnippetStart+"Resilienz"+defus.SnippetStop) || strings.Contains(s, "**") {
		t.Errorf("snippet %q", s)
	}
	if hits[0].Context != "Meldung" || hits[0].Date == nil {
		t.Errorf("context %q date %v", hits[0].Context, hits[0].Date)
	}
	// A kind filter pages only that kind; the counts stay for all.
	hits, counts, err = st.Search(context.Background(), defus.SearchFilter{Query: defus.ParseSearch("Stadt"), Kind: defus.SearchTopics, Now: st.Now(), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Path != "/themen/praevention" || counts[defus.SearchArticles] != 1 {
		t.Errorf("filtered: %v, counts %v", hitPaths(hits), counts)
	}
}

func TestSearchSurvivesHostileInput(t *testing.T) {
	t.Parallel()
	st, _ := searchStore(t)
	for _, q := range []string{
		`"`, `&`, `|`, `!`, `:*`, `" & | ! :*`, `'`, `''`, `\`, `a:* & !b`, `(((`, `<->`, `der die das`,
		`'; DROP TABLE articles; --`, `1 OR 1=1`, `<script>alert(1)</script>`, strings.Repeat("Stadt ", 2000),
		strings.Repeat("x", 10000), "Stadt\x00", "\xff\xfe", "\uE000Stadt\uE001", `"unclosed phrase`,
		"Hamburgʼs", "ŉ", "ˈStadt", "ﬁx ℂ Ⅻ",
	} {
		if _, _, err := st.Search(context.Background(), defus.SearchFilter{Query: defus.ParseSearch(q), Now: st.Now(), Limit: 10}); err != nil {
			t.Errorf("%.40q: %v", q, err)
		}
	}
}

func TestSearchFindsDocumentsByVisibility(t *testing.T) {
	t.Parallel()
	st, _ := searchStore(t)
	pdf := []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj " +
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	docs := map[defus.Visibility]*defus.Document{}
	for v, title := range map[defus.Visibility]string{
		defus.VisibilityPublic:  "Lagebild Nachtleben öffentlich",
		defus.VisibilityMembers: "Lagebild Nachtleben intern",
		defus.VisibilityOffice:  "Lagebild Nachtleben Geschäftsstelle",
	} {
		d := &defus.Document{Title: title, Description: "Auswertungen der Städte", DatedOn: time.Date(2026, 10, 1, 0, 0, 0, 0, defus.Berlin),
			Visibility: v, FileName: title + ".pdf", ContentType: defus.TypePDF, Data: pdf}
		if err := st.CreateDocument(context.Background(), defus.Actor{}, d); err != nil {
			t.Fatal(err)
		}
		docs[v] = d
	}
	visitor, member := search(t, st, "Lagebilder", false), search(t, st, "Lagebild Stadt", true)
	for _, c := range []struct {
		hits []defus.SearchHit
		v    defus.Visibility
		want bool
	}{
		{visitor, defus.VisibilityPublic, true}, {visitor, defus.VisibilityMembers, false}, {visitor, defus.VisibilityOffice, false},
		{member, defus.VisibilityPublic, true}, {member, defus.VisibilityMembers, true}, {member, defus.VisibilityOffice, false},
	} {
		if got := has(c.hits, docs[c.v].URL()); got != c.want {
			t.Errorf("%s document found %v, want %v: %v", c.v, got, c.want, hitPaths(c.hits))
		}
	}
	for _, h := range visitor {
		if h.Kind == defus.SearchDocuments && (h.Context != "PDF-Dokument" || !strings.Contains(h.Path, "%20") || h.Date == nil) {
			t.Errorf("document hit %+v: want the type, an escaped file name and the date", h)
		}
	}
}

// A title match ranks above a match in the lead, which ranks above a match
// in the text alone, however old; among equal matches the newest comes first.
// Of a search for two words, a title with one of them ranks above a text
// with both.
func TestSearchRanksTitleAboveLeadAboveText(t *testing.T) {
	t.Parallel()
	st, _ := newsStore(t)
	for _, a := range []defus.Article{
		{Title: "Nachtleben in der Altstadt", Body: "Die Beleuchtung des Platzes.", PublishedAt: testNow.Add(-time.Hour)},
		{Title: "Ein Jahr Quartiersarbeit", Body: "Mehr Beleuchtung am Bahnhof.", PublishedAt: testNow.Add(-2 * time.Hour)},
		{Title: "Sicherer Bahnhof", Body: "Neue Beleuchtung.", PublishedAt: testNow.Add(-3 * time.Hour)},
		{Title: "Neue Straßenlaternen", Lead: "Beleuchtung für die Innenstadt.", PublishedAt: testNow.Add(-48 * time.Hour)},
		{Title: "Beleuchtung rettet Leben", PublishedAt: testNow.Add(-30 * 24 * time.Hour)},
	} {
		a.Published = true
		addArticle(t, st, a)
	}
	got := hitPaths(search(t, st, "Beleuchtung", false))
	want := []string{"/aktuelles/beleuchtung-rettet-leben", "/aktuelles/neue-strassenlaternen",
		"/aktuelles/nachtleben-in-der-altstadt", "/aktuelles/ein-jahr-quartiersarbeit", "/aktuelles/sicherer-bahnhof"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("order %v, want %v", got, want)
	}
	got = hitPaths(search(t, st, "Beleuchtung Bahnhof", false))
	want = []string{"/aktuelles/sicherer-bahnhof", "/aktuelles/ein-jahr-quartiersarbeit"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("two words: order %v, want %v", got, want)
	}
}

// A snippet shows the matching passage of a long text, far from its start
// (or at its very end) and written with umlauts where the search was not,
// with whole words only, and an interview's passage without the labels of
// its questions and answers.
func TestSearchSnippetsOfLongTexts(t *testing.T) {
	t.Parallel()
	st, _ := newsStore(t)
	filler := strings.Repeat("Der Verein trifft sich jeden Monat zu einem Austausch über die Arbeit vor Ort. ", 60)
	interview := "F: Was macht Ihre Kommune?\nA: Sie stärkt die Resilienz der Quartiere.\n\nFrage: Und dann?\nAntwort: Mehr Resilienz."
	for _, c := range []struct {
		q    string
		a    defus.Article
		want string
	}{
		{"Stadt", defus.Article{Title: "Bericht", Body: filler + "In den Städten wächst das Vertrauen. " + filler},
			defus.SnippetStart + "Städten" + defus.SnippetStop + " wächst das Vertrauen"},
		{"Beleuchtung", defus.Article{Title: "Rückblick", Body: filler + "\n\nZum Schluss: Beleuchtung"},
			"Zum Schluss: " + defus.SnippetStart + "Beleuchtung" + defus.SnippetStop},
		{"Resilienz", defus.Article{Title: "Gespräch", Kind: defus.ArticleInterview, Interviewee: "Erika Beispiel", Interview: interview},
			"stärkt die " + defus.SnippetStart + "Resilienz" + defus.SnippetStop},
	} {
		c.a.Published, c.a.PublishedAt = true, testNow.Add(-time.Hour)
		a := addArticle(t, st, c.a)
		hits, _, err := st.Search(context.Background(), defus.SearchFilter{Query: defus.ParseSearch(c.q), Kind: defus.SearchArticles, Now: st.Now(), Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 1 || hits[0].Path != "/aktuelles/"+a.Slug {
			t.Fatalf("%q found %v, want /aktuelles/%s", c.q, hitPaths(hits), a.Slug)
		}
		s := hits[0].Snippet
		if !strings.Contains(s, c.want) {
			t.Errorf("%q: snippet %q, want %q in it", c.q, s, c.want)
		}
		// Whole words only, also where the window of the text begins or ends.
		words := " " + strings.Join(strings.Fields(a.Interviewee+" "+a.Body+" "+a.Interview), " ") + " "
		for _, w := range strings.Fields(strings.NewReplacer(defus.SnippetStart, "", defus.SnippetStop, "", "…", "").Replace(s)) {
			if !strings.Contains(words, " "+w+" ") {
				t.Errorf("%q: snippet %q has the word %q", c.q, s, w)
			}
		}
		for _, label := range []string{"F:", "A:", "Frage:", "Antwort:"} {
			if strings.Contains(s, label) {
				t.Errorf("%q: snippet %q shows %q", c.q, s, label)
			}
		}
	}
}
