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

// thumbBox is the edge of the square a list thumbnail fits into, in pixels.
const thumbBox = 80

// thumbSize scales an image's size to fit the thumbnail box, keeping its
// proportions; without a known size it fills the box.
func thumbSize(m defus.Media) (w, h int) {
	return fitInto(m.Width, m.Height, thumbBox)
}

// fitInto scales w×h down to fit a box×box square; unknown sizes fill it.
func fitInto(w, h, box int) (int, int) {
	if w <= 0 || h <= 0 {
		return box, box
	}
	if w <= box && h <= box {
		return w, h
	}
	if w >= h {
		return box, max(h*box/w, 1)
	}
	return max(w*box/h, 1), box
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
