package defus

import (
	"strings"
	"time"
	"unicode"
)

// SearchKind is a kind of search result; its value is the German URL
// parameter of the search's filter (?art=beitraege).
type SearchKind string

// The kinds of search result, in the order the search page lists them.
const (
	SearchArticles  SearchKind = "beitraege"
	SearchPages     SearchKind = "seiten"
	SearchEvents    SearchKind = "termine"
	SearchMembers   SearchKind = "mitglieder"
	SearchContacts  SearchKind = "ansprechpersonen"
	SearchTopics    SearchKind = "themen"
	SearchDocuments SearchKind = "dokumente"
)

// SearchKinds lists the kinds of result in the order of the filter.
var SearchKinds = []SearchKind{SearchArticles, SearchEvents, SearchMembers, SearchContacts, SearchDocuments, SearchTopics, SearchPages}

// Valid reports whether k is a kind of result.
func (k SearchKind) Valid() bool {
	for _, v := range SearchKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Label is the German name of the kind, plural.
func (k SearchKind) Label() string {
	switch k {
	case SearchArticles:
		return "Aktuelles"
	case SearchPages:
		return "Seiten"
	case SearchEvents:
		return "Termine"
	case SearchMembers:
		return "Mitglieder"
	case SearchContacts:
		return "Ansprechpersonen"
	case SearchTopics:
		return "Themen"
	case SearchDocuments:
		return "Dokumente"
	}
	return string(k)
}

// SearchFilter is a search of the public site. Members widens it to what
// logged-in accounts see (contact persons and documents marked "nur für
// Mitglieder"; office-only documents are never found).
// Now is the store's clock: articles dated later are not found yet.
type SearchFilter struct {
	Query   SearchQuery
	Kind    SearchKind // "": all
	Members bool
	Now     time.Time
	Limit   int
	Offset  int
}

// SearchHit is one result: what it is, where it is, and the passage that
// matched with the matching words between SnippetStart and SnippetStop.
type SearchHit struct {
	Kind    SearchKind
	Title   string
	Path    string
	Context string     // a second line: the kind of article, the member of a contact, …
	Date    *time.Time // articles and events
	Snippet string
}

// The markers around matching words in SearchHit.Snippet: characters of
// Unicode's private use area, which the store removes from the searched
// text first, so the page can escape the snippet and then turn exactly
// these into <mark>.
const (
	SnippetStart = "\uE000"
	SnippetStop  = "\uE001"
)

// SearchQuery is a search as typed, read into words and phrases. It is
// built only of letters and digits, so no operator of PostgreSQL's tsquery
// syntax a visitor types ever reaches the database.
type SearchQuery struct {
	Words   []string   // lower case, searched as prefixes
	Phrases [][]string // words in quotes, searched in this order
}

// Limits of a search: longer input is cut, not refused.
const (
	maxSearchTerms   = 12
	maxSearchWordLen = 60
	// MaxSearchLen is the most characters of a query that are read.
	MaxSearchLen = 500
)

// ParseSearch reads a search as people type it: words, and phrases in
// double quotes (also „…“ and “…”). Everything but letters and digits
// (see inWord) separates words; words of one character are dropped. Input beyond
// MaxSearchLen characters, words beyond 12 and characters of a word beyond 60
// are ignored.
func ParseSearch(s string) SearchQuery {
	var q SearchQuery
	var word []rune
	var phrase []string
	inPhrase := false
	n := 0
	flush := func() {
		if len(word) > 1 && q.count()+len(phrase) < maxSearchTerms {
			w := strings.ToLower(string(word[:min(len(word), maxSearchWordLen)]))
			if inPhrase {
				phrase = append(phrase, w)
			} else {
				q.Words = append(q.Words, w)
			}
		}
		word = word[:0]
	}
	endPhrase := func() {
		switch len(phrase) {
		case 0:
		case 1:
			q.Words = append(q.Words, phrase[0])
		default:
			q.Phrases = append(q.Phrases, phrase)
		}
		phrase = nil
	}
	for _, r := range s {
		if n++; n > MaxSearchLen {
			break
		}
		switch {
		case inWord(r):
			word = append(word, r)
		case r == '"' || r == '„' || r == '“' || r == '”':
			flush()
			if inPhrase {
				endPhrase()
			}
			inPhrase = !inPhrase
		default:
			flush()
		}
	}
	flush()
	endPhrase()
	return q
}

// inWord reports whether r is part of a word: a letter or digit, but not
// one that PostgreSQL's unaccent turns into an apostrophe (modifier letters
// such as ʼ and ˈ, and ŉ), which would end a quoted lexeme of the tsquery
// early and make it fail.
func inWord(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Lm, r) && r != 'ŉ'
}

func (q SearchQuery) count() int {
	n := len(q.Words)
	for _, p := range q.Phrases {
		n += len(p)
	}
	return n
}

// Empty reports whether there is nothing to search for.
func (q SearchQuery) Empty() bool { return q.count() == 0 }

// String is the search as understood, for the page: words, and phrases in
// quotes.
func (q SearchQuery) String() string {
	var parts []string
	for _, p := range q.Phrases {
		parts = append(parts, "„"+strings.Join(p, " ")+"“")
	}
	return strings.Join(append(parts, q.Words...), " ")
}

// TSQuery is the query in PostgreSQL's to_tsquery syntax (to be read with
// the german configuration over defus_unaccent). Every word is a quoted
// lexeme of letters and digits only; all of them must match. A word is
// searched as a prefix ("Resil" finds "Resilienz"), and also as written
// with umlauts when typed with ae/oe/ue ("Goettingen" finds "Göttingen")
// and by its root without a derivational ending ("Prävention" finds
// "präventiven"). Phrase words follow each other in that order.
func (q SearchQuery) TSQuery() string {
	var and []string
	for _, w := range q.Words {
		alts := []string{lexeme(w) + ":*"}
		if u := withUmlauts(w); u != w {
			alts = append(alts, lexeme(u)+":*")
		}
		if r := wordRoot(w); r != w {
			alts = append(alts, lexeme(r)+":*")
		}
		and = append(and, "("+strings.Join(alts, " | ")+")")
	}
	for _, p := range q.Phrases {
		ws := make([]string, len(p))
		for i, w := range p {
			ws[i] = lexeme(w)
		}
		and = append(and, "("+strings.Join(ws, " <-> ")+")")
	}
	return strings.Join(and, " & ")
}

// lexeme quotes a word of letters and digits for to_tsquery.
func lexeme(w string) string { return "'" + w + "'" }

// withUmlauts writes ae, oe, ue as ä, ö, ü: "goettingen" → "göttingen".
func withUmlauts(w string) string {
	return strings.NewReplacer("ae", "ä", "oe", "ö", "ue", "ü").Replace(w)
}

// derivationalEndings are German endings that make words of one family
// differ after stemming ("Prävention", "präventiv"): a word is also
// searched without them.
// Longer endings come first.
var derivationalEndings = []string{"ischen", "ionen", "ische", "itaet", "iven", "isch", "ität", "ion", "ive", "iv"}

// wordRoot is w without a derivational ending, when at least five letters stay.
func wordRoot(w string) string {
	for _, e := range derivationalEndings {
		if strings.HasSuffix(w, e) && len([]rune(w))-len([]rune(e)) >= 5 {
			return strings.TrimSuffix(w, e)
		}
	}
	return w
}
