package view

import (
	"path"
	"strconv"
	"strings"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/imaging"
)

// MediaIndexData is the office's media library.
type MediaIndexData struct {
	Query   string // the search as typed
	Kind    string // "", "bilder", "dokumente"
	Total   int
	Files   []defus.Media
	Paging  Paging
	BaseURL string // the site's address, for the public URLs to copy
}

func (d MediaIndexData) filter() ListFilterData {
	return ListFilterData{Action: "/admin/medien", Label: "Medien filtern", Query: d.Query, State: d.Kind,
		Total: d.Total, Noun: [2]string{"Datei", "Dateien"},
		StateParam: "art", StateLabel: "Art", StateOptions: []Option{{Value: "bilder", Label: "Bilder"}, {Value: "dokumente", Label: "Dokumente"}}}
}

// MediaForm is the media form as typed: the file's record, and its name as
// typed, from which the stored name is made (defus.MediaFileName). The
// upload form sends the file besides; a file input cannot be filled again,
// so after an error only the texts are kept.
type MediaForm struct {
	defus.Media
	FileName string
}

// MediaUploadData is the upload form.
type MediaUploadData struct {
	Form[MediaForm]
}

// fields is the upload form's field list.
func (d MediaUploadData) fields(f MediaForm) Fields {
	return Fields{
		{ID: "media-file", Name: "file", Type: "file", Label: "Datei", Required: true,
			Accept: "image/png,image/jpeg,image/webp,application/pdf,.png,.jpg,.jpeg,.webp,.pdf",
			Hint: "PNG, JPEG oder WebP bis " + defus.FormatBytes(defus.MaxImageBytes) + " und " + defus.FormatNumber(imaging.MaxPixels/1_000_000) +
				" Megapixel, PDF bis " + defus.FormatBytes(defus.MaxDocumentBytes) + "."},
		{ID: "media-alt", Name: "alt_text", Label: "Alternativtext (bei Bildern) oder Titel (bei PDF)", Value: f.AltText,
			Hint: "Bei Bildern Pflicht: beschreiben Sie in einem Satz, was zu sehen ist, zum Beispiel „Logo der Stadt Köln“. " +
				"Bei PDF-Dokumenten: Titel oder kurze Beschreibung; er wird zum Linktext."},
		{ID: "media-name", Name: "name", Label: "Dateiname", Value: f.FileName, Optional: true,
			Hint: "Wird Teil der Adresse, Umlaute werden umschrieben. Leer lassen, um den Namen der hochgeladenen Datei zu verwenden."},
	}
}

// Controls lays out the upload form.
func (d MediaUploadData) Controls() Controls { return d.Form.Controls(d.fields) }

// MediaEditData is one file's page: preview, addresses, where it is used,
// and the form for its name and alternative text.
type MediaEditData struct {
	Stored  *defus.Media
	BaseURL string
	Form[MediaForm]
}

// fields is the edit form's field list: an image needs its alternative
// text, a document may have a title.
func (d MediaEditData) fields(f MediaForm) Fields {
	alt := Field{ID: "media-alt", Name: "alt_text", Label: "Titel oder Beschreibung", Value: f.AltText, Optional: true,
		Hint: "Wird zum Linktext, wenn das Dokument in einer Seite verlinkt ist."}
	if d.Stored.IsImage() {
		alt.Label, alt.Optional, alt.Required = "Alternativtext", false, true
		alt.Hint = "Beschreiben Sie in einem Satz, was zu sehen ist. Er wird vorgelesen, wenn jemand das Bild nicht sehen kann."
	}
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		alt,
		{ID: "media-name", Name: "name", Label: "Dateiname", Value: f.FileName, Shown: f.Name, Required: true,
			Hint: "Teil der Adresse; die Endung " + path.Ext(d.Stored.Name) + " kommt von selbst dazu. Die bisherige Adresse leitet auf die neue weiter."},
	}
}

// Controls lays out the edit form.
func (d MediaEditData) Controls() Controls { return d.Form.Controls(d.fields) }

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
func (d MediaEditData) Action() string { return "/admin/medien/" + strconv.FormatInt(d.Stored.ID, 10) }
