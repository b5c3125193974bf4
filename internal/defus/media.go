package defus

import (
	"bytes"
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
	AltText     string
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}

// IsImage reports whether the file is a picture.
func (m *Media) IsImage() bool { return strings.HasPrefix(m.ContentType, "image/") }

// URL is the public address of the file. It changes when the file does,
// since a changed file is a new record, so it may be cached for long.
func (m *Media) URL() string {
	return "/medien/" + strconv.FormatInt(m.ID, 10) + "/" + m.Name
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

// MediaFileName makes a safe download name from what the uploader called the
// file: German transliteration, no path, no odd characters, and the extension
// that matches the real content type.
func MediaFileName(original, contentType string) string {
	base := path.Base(strings.ReplaceAll(original, `\`, "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
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
