// Package markdown turns the Markdown the office writes into HTML that is
// safe to put on any page: goldmark renders it, bluemonday removes every
// script, event handler, javascript: URL and raw HTML it does not allow.
package markdown

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

var (
	md = goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify,
			extension.NewTypographer(extension.WithTypographicSubstitutions(extension.TypographicSubstitutions{
				// German quotation marks „…“ instead of English “…”.
				extension.LeftDoubleQuote:  []byte("&bdquo;"),
				extension.RightDoubleQuote: []byte("&ldquo;"),
				extension.LeftSingleQuote:  []byte("&sbquo;"),
				extension.RightSingleQuote: []byte("&lsquo;"),
			}))),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(externalLinks{}, 100), util.Prioritized(mediaImages{}, 100))),
	)
	policy = newPolicy()
)

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.RequireParseableURLs(true)
	// The office writes these texts; its links are trusted enough to be followed.
	p.RequireNoFollowOnLinks(false)
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^noopener$`)).OnElements("a")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	p.AllowAttrs("decoding").Matching(regexp.MustCompile(`^async$`)).OnElements("img")
	return p
}

// HTML renders Markdown to sanitised HTML.
func HTML(src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark only fails on writer errors, which a bytes.Buffer never returns.
		return policy.Sanitize("<p>" + src + "</p>")
	}
	return wrapTables(policy.SanitizeReader(&buf).String())
}

// tableTag finds the start and end tags of tables in sanitised HTML, where
// a "<" in text or an attribute value is always escaped.
var tableTag = regexp.MustCompile(`<table[ >]|</table>`)

// wrapTables puts every table into a region of its own that scrolls
// sideways on a narrow screen, so a wide table does not widen the page.
// The region takes keyboard focus, so it can be scrolled without a mouse.
// It is added after sanitising, as the policy rightly removes tabindex and
// role from what the office writes.
func wrapTables(html string) string {
	return tableTag.ReplaceAllStringFunc(html, func(tag string) string {
		if tag == "</table>" {
			return tag + "</div>"
		}
		return `<div class="table-wrap" role="region" aria-label="Tabelle" tabindex="0">` + tag
	})
}

// externalLinks marks links that leave the site with rel="noopener"; they open
// in the same tab, as visitors expect.
type externalLinks struct{}

func (externalLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest string
		switch l := n.(type) {
		case *ast.Link:
			dest = string(l.Destination)
		case *ast.AutoLink:
			dest = string(l.URL(reader.Source()))
		default:
			return ast.WalkContinue, nil
		}
		if isExternal(dest) {
			n.SetAttributeString("rel", []byte("noopener"))
		}
		return ast.WalkContinue, nil
	})
}

func isExternal(dest string) bool {
	d := strings.ToLower(strings.TrimSpace(dest))
	return strings.HasPrefix(d, "http://") || strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "//") ||
		strings.HasPrefix(d, "www.")
}

// mediaFile matches the address of an uploaded file, /medien/{id}/{name}.
var mediaFile = regexp.MustCompile(`^/medien/([0-9]+)/([^/?#]+)$`)

// ContentBox is the variant box that pictures in a text get (defus.BoxContent).
const ContentBox = "720x0"

// mediaImages shows uploaded pictures in a text as their variant for the
// text column, scaled down on upload, instead of the file as uploaded
// (which may be a 2 MB photo), and loads them when scrolled near. The
// variant of a picture narrower than the column is as large as the
// picture. A srcset for sharp screens would need the pictures' sizes, which
// Markdown does not know: a "2x" entry would show a small picture at half
// its size.
type mediaImages struct{}

func (mediaImages) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		img, ok := n.(*ast.Image)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if m := mediaFile.FindSubmatch(img.Destination); m != nil {
			img.Destination = []byte("/medien/" + string(m[1]) + "/" + ContentBox + "/" + string(m[2]))
			img.SetAttributeString("loading", []byte("lazy"))
			img.SetAttributeString("decoding", []byte("async"))
		}
		return ast.WalkContinue, nil
	})
}
