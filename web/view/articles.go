package view

import (
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
)

// NewsIndexData is /aktuelles: the visible articles, newest first, with
// the filter by kind, topic and year.
type NewsIndexData struct {
	Articles []defus.Article
	Total    int
	Kind     string        // ?art as understood
	Topic    string        // ?thema as understood
	Year     string        // ?jahr as understood
	Topics   []defus.Topic // published topics to choose from
	Years    []int
	Notes    []string // German notes about filter values that were ignored
	Paging   Paging
}

// Filtered reports whether any filter is in effect.
func (d NewsIndexData) Filtered() bool { return d.Kind != "" || d.Topic != "" || d.Year != "" }

func (d NewsIndexData) kindField() Field {
	opts := make([]Option, len(defus.ArticleKinds))
	for i, k := range defus.ArticleKinds {
		opts[i] = Option{Value: k.Param(), Label: k.Label()}
	}
	return Field{ID: "news-kind", Name: "art", Label: "Art", Value: d.Kind, Placeholder: "Alle", Options: opts}
}

func (d NewsIndexData) topicField() Field {
	opts := make([]Option, len(d.Topics))
	for i, t := range d.Topics {
		opts[i] = Option{Value: t.Slug, Label: t.Title}
	}
	return Field{ID: "news-topic", Name: "thema", Label: "Thema", Value: d.Topic, Placeholder: "Alle", Options: opts}
}

func (d NewsIndexData) yearField() Field {
	opts := make([]Option, len(d.Years))
	for i, y := range d.Years {
		opts[i] = Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)}
	}
	return Field{ID: "news-year", Name: "jahr", Label: "Jahr", Value: d.Year, Placeholder: "Alle", Options: opts}
}

// ArticleData is one article with what is related to it.
type ArticleData struct {
	Article   defus.Article
	Interview []defus.QA
	Related   []defus.Article
}

// NewsSection is a short list of articles on another page (home, topic,
// member) with a link to all of them.
type NewsSection struct {
	Articles []defus.Article
	MoreHref string
	FeedHref string // an Atom feed of these, when there is one
}

// articleImage is the address of an article's picture.
func articleImage(a defus.Article) string {
	return "/medien/" + strconv.FormatInt(*a.ImageID, 10) + "/" + a.ImageName
}

// isoTime is t for a datetime attribute.
func isoTime(t time.Time) string { return t.In(defus.Berlin).Format(time.RFC3339) }

// articleDate is the German date of an article.
func articleDate(a defus.Article) string { return defus.FormatDate(a.PublishedAt) }

// SearchData is the search page: the query as typed, what was understood,
// the page of hits of the chosen kind and how many each kind has.
type SearchData struct {
	Query   string // as typed, made safe to show
	Searched string // the words and phrases searched for
	Kind    string // ?art as understood
	Hits    []defus.SearchHit
	Counts  map[defus.SearchKind]int
	Notes   []string
	Paging  Paging
	Topics  []defus.TopicCount // suggested when nothing is found
	Members bool               // searched as a logged-in account
}

// Total is the number of hits over all kinds.
func (d SearchData) Total() int {
	n := 0
	for _, c := range d.Counts {
		n += c
	}
	return n
}

// kindTotal is the number of hits of the chosen kind, or of all.
func (d SearchData) kindTotal() int {
	if d.Kind == "" {
		return d.Total()
	}
	return d.Counts[defus.SearchKind(d.Kind)]
}

// kindURL is the search with the same query, filtered to kind ("" for all).
func (d SearchData) kindURL(kind string) templ.SafeURL {
	u := "/suche?q=" + url.QueryEscape(d.Query)
	if kind != "" {
		u += "&art=" + kind
	}
	return templ.SafeURL(u)
}

// resultsText says how many results there are.
func (d SearchData) resultsText() string {
	switch n := d.kindTotal(); n {
	case 1:
		return "1 Ergebnis"
	default:
		return defus.FormatNumber(n) + " Ergebnisse"
	}
}

// snippet shows a matching passage: escaped as text, with the matching
// words (between defus.SnippetStart and SnippetStop) marked. The markers
// are characters escaping leaves alone, so nothing from the text can
// become markup.
func snippet(s string) templ.Component {
	esc := html.EscapeString(s)
	esc = strings.NewReplacer(defus.SnippetStart, "<mark>", defus.SnippetStop, "</mark>").Replace(esc)
	if strings.Count(esc, "<mark>") != strings.Count(esc, "</mark>") {
		esc = strings.NewReplacer("<mark>", "", "</mark>", "").Replace(esc)
	}
	return templ.Raw(esc)
}

// hitDate is the date a hit shows, or "".
func hitDate(h defus.SearchHit) string {
	if h.Date == nil {
		return ""
	}
	return defus.FormatDate(*h.Date)
}
