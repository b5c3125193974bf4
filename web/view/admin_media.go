package view

import (
	"strconv"
	"strings"

	"defus.de/portal/internal/defus"
)

// MediaIndexData is the office's media library.
type MediaIndexData struct {
	Filter  ListFilterData
	Files   []defus.Media
	Paging  Paging
	BaseURL string // the site's address, for the public URLs to copy
}

// MediaUploadData is the upload form; a file input cannot be filled again,
// so after an error only the texts are kept.
type MediaUploadData struct {
	File    Field
	AltText Field
	Name    Field
	Errors  []ErrorLink
}

// MediaEditData is one file's page: preview, addresses, where it is used,
// and the form for its name and alternative text.
type MediaEditData struct {
	Media    *defus.Media // as stored
	BaseURL  string
	Version  int
	Name     Field
	AltText  Field
	Errors   []ErrorLink
	Conflict []ConflictField
}

// Picture is how a page shows an uploaded picture in a box: the variant
// that fits it, the twice-as-large one for sharp screens when that is
// larger, and the size the variant has, so the page does not jump.
type Picture struct {
	Src, SrcSet string
	Width       int
	Height      int
}

// pictureIn shows m in box, with box2x for screens of two device pixels
// per CSS pixel.
func pictureIn(m defus.Media, box, box2x defus.Box) Picture {
	p := Picture{Src: m.VariantURL(box)}
	p.Width, p.Height = m.VariantSize(box)
	if w2, _ := m.VariantSize(box2x); w2 > p.Width {
		p.SrcSet = p.Src + " 1x, " + m.VariantURL(box2x) + " 2x"
	}
	return p
}

// MarkdownSnippet is what to paste into a Markdown text to show the file:
// an image, or a link to a document labelled with its title.
func MarkdownSnippet(m defus.Media) string {
	esc := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)
	if m.IsImage() {
		return "![" + esc.Replace(m.AltText) + "](" + m.URL() + ")"
	}
	label := m.AltText
	if label == "" {
		label = m.Name
	}
	return "[" + esc.Replace(label) + " (PDF, " + defus.FormatBytes(int64(m.Size)) + ")](" + m.URL() + ")"
}

// pixelSize is "800 × 600 Pixel".
func pixelSize(m *defus.Media) string {
	return defus.FormatNumber(m.Width) + " × " + defus.FormatNumber(m.Height) + " Pixel"
}

// logoNames is "Stadt Köln, Stadt Essen".
func logoNames(refs []defus.MemberRef) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.Name
	}
	return strings.Join(names, ", ")
}

// Action is where the edit form posts.
func (d MediaEditData) Action() string { return "/admin/medien/" + strconv.FormatInt(d.Media.ID, 10) }
