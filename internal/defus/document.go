package defus

import (
	"archive/zip"
	"bytes"
	"io"
	"net/url"
	"path"
	"strings"
	"time"
)

// Visibility says who may read a document.
type Visibility string

// The visibilities of a document.
const (
	VisibilityPublic  Visibility = "public"  // everybody; listed on the topic pages
	VisibilityMembers Visibility = "members" // logged-in members and the office
	VisibilityOffice  Visibility = "office"  // the office only
)

// Visibilities lists every visibility, most open first.
var Visibilities = []Visibility{VisibilityPublic, VisibilityMembers, VisibilityOffice}

// Valid reports whether v is one of Visibilities.
func (v Visibility) Valid() bool {
	return v == VisibilityPublic || v == VisibilityMembers || v == VisibilityOffice
}

// Label is the German name of the visibility.
func (v Visibility) Label() string {
	switch v {
	case VisibilityPublic:
		return "Öffentlich"
	case VisibilityMembers:
		return "Nur für Mitglieder"
	case VisibilityOffice:
		return "Nur für die Geschäftsstelle"
	}
	return string(v)
}

// VisibleTo lists the visibilities an account of role may read; nil
// (anonymous, or an unknown role) reads public documents only.
func VisibleTo(u *User) []Visibility {
	switch {
	case u == nil:
		return []Visibility{VisibilityPublic}
	case u.Staff():
		return Visibilities
	case u.Role == RoleMember:
		return []Visibility{VisibilityPublic, VisibilityMembers}
	}
	return []Visibility{VisibilityPublic}
}

// Document is a file the office shares ("Informationssammlung"): a PDF or
// an office document with title, description, date, topics and a
// visibility. Its address holds Token, a random string, so documents
// cannot be guessed or counted.
type Document struct {
	ID          int64
	Token       string
	Title       string
	Description string    // plain text
	DatedOn     time.Time // midnight Berlin
	Visibility  Visibility
	FileName    string
	ContentType string
	Size        int
	SHA256      string
	Data        []byte // empty in lists
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int

	Topics   []Topic // filled by the finds
	TopicIDs []int64 // what CreateDocument and UpdateDocument save
	// NewFile, when set, replaces the file in UpdateDocument (a new token:
	// the old address stops working).
	NewFile bool
}

// EntityDocument is the audit log's entity name for documents.
const EntityDocument = "document"

// DocumentFilter narrows a document list. Zero values mean "all".
type DocumentFilter struct {
	Query   string // searched in title and description, umlaut spellings alike
	TopicID int64
	Year    int
	Visible []Visibility // required: what the reader may see
	Limit   int          // 0: no limit
	Offset  int
}

// URL is the document's address.
func (d *Document) URL() string {
	return "/dokumente/" + d.Token + "/" + url.PathEscape(d.FileName)
}

// TypeLabel is the German name of the file's type.
func (d *Document) TypeLabel() string {
	if l, ok := documentTypes[d.ContentType]; ok {
		return l.label
	}
	return d.ContentType
}

// Validate checks the office's form; messages by field: title, description,
// dated_on, visibility.
func (d *Document) Validate() FieldErrors {
	errs := FieldErrors{}
	if d.Title == "" {
		errs.Add("title", "Bitte geben Sie einen Titel an.")
	}
	errs.Check("title", CheckText(d.Title, "Der Titel", false, MaxTitleLen, false))
	errs.Check("description", CheckText(d.Description, "Die Beschreibung", false, MaxSummaryLen*4, true))
	if d.DatedOn.IsZero() {
		errs.Add("dated_on", "Bitte geben Sie das Datum des Dokuments an, etwa 24.11.2026.")
	}
	if !d.Visibility.Valid() {
		errs.Add("visibility", "Bitte wählen Sie, wer das Dokument sehen darf.")
	}
	return errs
}

// The document file types the office may upload, found by content.
const (
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeODT  = "application/vnd.oasis.opendocument.text"
)

var documentTypes = map[string]struct{ label, ext string }{
	TypePDF:  {"PDF-Dokument", ".pdf"},
	TypeDOCX: {"Word-Dokument (DOCX)", ".docx"},
	TypeXLSX: {"Excel-Tabelle (XLSX)", ".xlsx"},
	TypeODT:  {"Textdokument (ODT)", ".odt"},
}

// CheckDocumentFile finds the type of an uploaded document from its
// content, never its name, and returns a German message when the portal
// does not take it. Office documents are zip archives: a DOCX or XLSX is
// taken when its [Content_Types].xml declares the main part of that type
// (macro-enabled files declare another and are refused), an ODT when its
// first entry is the stored "mimetype" naming an OpenDocument text. Only
// these small entries are read, never the whole archive.
func CheckDocumentFile(data []byte) (contentType, msg string) {
	const unknown = "Diese Datei ist kein PDF-, DOCX-, XLSX- oder ODT-Dokument. Es zählt der Inhalt der Datei, nicht ihre Endung."
	switch {
	case len(data) == 0:
		return "", "Die gewählte Datei ist leer. Bitte wählen Sie eine andere Datei."
	case len(data) > MaxDocumentBytes:
		return "", "Dokumente dürfen höchstens " + FormatBytes(MaxDocumentBytes) + " groß sein; diese Datei hat " +
			FormatBytes(int64(len(data))) + ". Bitte verkleinern Sie sie und laden Sie sie erneut hoch."
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return TypePDF, ""
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "", unknown
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) == 0 {
		return "", "Die Datei sieht wie ein Office-Dokument aus, lässt sich aber nicht öffnen. Ist sie beschädigt?"
	}
	if f := zr.File[0]; f.Name == "mimetype" && f.Method == zip.Store {
		if b, ok := readZipEntry(f, 200); ok && string(b) == TypeODT {
			return TypeODT, ""
		}
		return "", unknown
	}
	for _, f := range zr.File {
		if f.Name != "[Content_Types].xml" {
			continue
		}
		b, ok := readZipEntry(f, 1<<20)
		if !ok {
			break
		}
		switch {
		case bytes.Contains(b, []byte(`"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"`)):
			return TypeDOCX, ""
		case bytes.Contains(b, []byte(`"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"`)):
			return TypeXLSX, ""
		}
	}
	return "", unknown
}

// readZipEntry reads an archive entry of at most max bytes, uncompressed.
func readZipEntry(f *zip.File, max int64) ([]byte, bool) {
	if f.UncompressedSize64 > uint64(max) {
		return nil, false
	}
	rc, err := f.Open()
	if err != nil {
		return nil, false
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	return b, err == nil && int64(len(b)) <= max
}

// DocumentFileName makes a safe download name, as MediaFileName does, with
// the extension of the type found in the content.
func DocumentFileName(original, contentType string) string {
	base := path.Base(strings.ReplaceAll(original, `\`, "/"))
	switch strings.ToLower(path.Ext(base)) {
	case ".pdf", ".docx", ".xlsx", ".odt", ".doc", ".xls":
		base = strings.TrimSuffix(base, path.Ext(base))
	}
	return MediaFileName(base, "") + documentTypes[contentType].ext
}
