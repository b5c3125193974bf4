package defus

import (
	"bytes"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Upload limits by kind of file.
const (
	MaxImageBytes    = 2 << 20  // logos and pictures
	MaxDocumentBytes = 10 << 20 // PDF documents
)

// Media is an uploaded file: an image (PNG, JPEG, WebP) or a PDF document.
type Media struct {
	ID          int64
	Name        string // file name as shown and offered for download
	ContentType string
	Size        int
	SHA256      string
	Data        []byte // empty in lists
	AltText     string // images: what the picture shows; documents: title or description
	Width       int    // pixels as shown, images only; 0 when unknown
	Height      int
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
	LogoOf      []MemberRef    // members showing the file as their logo; filled by lists and FindMedia
	SiteLogo    bool           // the association's logo (header and icon); filled like LogoOf
	Undecodable bool           // a picture stored before uploads were decoded that does not decode: no variants
	Variants    []MediaVariant // a picture's scaled copies, one per ImageBoxes; set for CreateMedia only
	Icons       []MediaIcon    // square icons of a logo (IconSizes); set for storing it only
}

// MemberRef names a member, for lists of where something is used.
type MemberRef struct {
	ID   int64
	Slug string
	Name string
}

// EntityMedia is the audit log's entity name for uploaded files.
const EntityMedia = "media"

// MaxAltTextLen is the most characters an alternative text or document title may have.
const MaxAltTextLen = 300

// MediaFilter selects files for the office's media library: a search in
// the name, a kind ("images", "documents" or "") and paging.
type MediaFilter struct {
	Query  string
	Kind   string
	Limit  int // 0: no limit
	Offset int
}

// Media kinds for MediaFilter.Kind.
const (
	MediaImages    = "images"
	MediaDocuments = "documents"
)

// IsImage reports whether the file is a picture.
func (m *Media) IsImage() bool { return strings.HasPrefix(m.ContentType, "image/") }

// TypeLabel is the German name of the file's type: "PNG-Bild", "PDF-Dokument".
func (m *Media) TypeLabel() string {
	if l, ok := typeLabels[m.ContentType]; ok {
		return l
	}
	return m.ContentType
}

var typeLabels = map[string]string{
	"image/png": "PNG-Bild", "image/jpeg": "JPEG-Bild", "image/webp": "WebP-Bild", "application/pdf": "PDF-Dokument",
}

// Validate checks what the office typed about a file: images need an
// alternative text, documents may have a title. Messages by field: alt_text.
func (m *Media) Validate() FieldErrors {
	errs := FieldErrors{}
	if m.IsImage() && m.AltText == "" {
		errs.Add("alt_text", "Bitte beschreiben Sie, was auf dem Bild zu sehen ist. Der Alternativtext wird vorgelesen, wenn jemand das Bild nicht sehen kann.")
	}
	label := "Der Titel"
	if m.IsImage() {
		label = "Der Alternativtext"
	}
	errs.Check("alt_text", CheckText(m.AltText, label, false, MaxAltTextLen, false))
	return errs
}

// CheckMediaFile looks at an upload: head is its beginning (at least its
// first 512 bytes when it has that many), size its full length. It returns
// the type found in the content, never from the name, and a German message
// when the portal does not take the file.
func CheckMediaFile(head []byte, size int64) (contentType, msg string) {
	if size == 0 {
		return "", "Die gewählte Datei ist leer. Bitte wählen Sie eine andere Datei."
	}
	contentType, ok := DetectMediaType(head)
	switch {
	case !ok && looksLikeSVG(head):
		return "", "SVG-Grafiken werden nicht angenommen, weil sie Programmcode (Skripte) enthalten können, der im Browser ausgeführt würde. " +
			"Bitte speichern Sie die Grafik als PNG oder WebP und laden Sie diese Datei hoch."
	case !ok:
		return "", "Diese Datei ist kein PNG-, JPEG- oder WebP-Bild und kein PDF. Es zählt der Inhalt der Datei, nicht ihre Endung."
	case size > int64(MaxBytesFor(contentType)):
		kind := "Bilder"
		if contentType == "application/pdf" {
			kind = "PDF-Dokumente"
		}
		return contentType, kind + " dürfen höchstens " + FormatBytes(int64(MaxBytesFor(contentType))) +
			" groß sein; diese Datei hat " + FormatBytes(size) + ". Bitte verkleinern Sie sie und laden Sie sie erneut hoch."
	}
	return contentType, ""
}

// looksLikeSVG reports whether head is markup with an <svg element: an SVG
// file, perhaps after an XML declaration, a doctype or a comment.
func looksLikeSVG(head []byte) bool {
	h := bytes.ToLower(bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))))
	return bytes.HasPrefix(h, []byte("<")) && bytes.Contains(h, []byte("<svg"))
}

// FormatBytes writes a file size the German way: "350 KB", "1,2 MB"
// (1 KB = 1024 bytes, as the upload limits count).
func FormatBytes(n int64) string {
	const kb, mb = 1 << 10, 1 << 20
	switch {
	case n < kb:
		return strconv.FormatInt(n, 10) + " Byte"
	case (n+kb/2)/kb < 1000:
		return strconv.FormatInt((n+kb/2)/kb, 10) + " KB"
	}
	tenths := (n*10 + mb/2) / mb
	s := strconv.FormatInt(tenths/10, 10)
	if tenths%10 != 0 {
		s += "," + strconv.FormatInt(tenths%10, 10)
	}
	return s + " MB"
}

// URL is the public address of the file. It changes when the file does,
// since a changed file is a new record, so it may be cached for long.
func (m *Media) URL() string {
	return "/medien/" + strconv.FormatInt(m.ID, 10) + "/" + url.PathEscape(m.Name)
}

// DetectMediaType tells the type of an upload from its first bytes, never
// from its name: a renamed .exe stays an .exe. SVG, which can carry script,
// is never accepted. ok is false for every type the portal does not take.
func DetectMediaType(head []byte) (contentType string, ok bool) {
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", true
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return "image/jpeg", true
	case len(head) >= 12 && bytes.Equal(head[0:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")):
		return "image/webp", true
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf", true
	}
	return "", false
}

// MaxBytesFor is the size limit for a content type.
func MaxBytesFor(contentType string) int {
	if contentType == "application/pdf" {
		return MaxDocumentBytes
	}
	return MaxImageBytes
}

// extensions maps a content type to the file extension the stored name gets.
var extensions = map[string]string{
	"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp", "application/pdf": ".pdf",
}

// fileTypeExtensions are extensions of image and document files that an
// uploaded file's name may end in; the stored name gets the right one instead.
var fileTypeExtensions = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".jpe": true, ".jfif": true, ".webp": true, ".pdf": true,
	".gif": true, ".svg": true, ".bmp": true, ".tif": true, ".tiff": true, ".heic": true, ".avif": true,
}

// MediaFileName makes a safe download name from what the uploader called the
// file or typed as its name: German transliteration, no path, no odd
// characters, and the extension that matches the real content type. A file
// type extension given (".PNG", ".pdf") is dropped; other dots are kept as
// hyphens, so "Bericht 2.0" stays recognisable.
func MediaFileName(original, contentType string) string {
	base := path.Base(strings.ReplaceAll(original, `\`, "/"))
	if ext := path.Ext(base); fileTypeExtensions[strings.ToLower(ext)] {
		base = strings.TrimSuffix(base, ext)
	}
	slug := Slugify(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, base))
	if slug == "" {
		slug = "datei"
	}
	return slug + extensions[contentType]
}
