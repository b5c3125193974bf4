// Package certificate writes certificates of attendance
// (Teilnahmebescheinigungen) as PDF.
//
// It uses github.com/go-pdf/fpdf, a maintained fork of the long-standing
// gofpdf: pure Go, no cgo, embeds TrueType fonts as subsets with a
// ToUnicode map (so the text can be searched and copied), and needs nothing
// but the bytes of a font. The font is Go Regular and Go Bold
// (golang.org/x/image/font/gofont, BSD licence like Go itself), compiled
// into the binary and complete for German (ä, ö, ü, ß, „“, –).
package certificate

import (
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Certificate is what a certificate says.
type Certificate struct {
	Name         string
	Organisation string
	Event        string   // the event's title
	Kind         string   // "Fortbildung", "Workshop", …
	Date         string   // "Dienstag, 8. Dezember 2026"
	Place        string   // "Rathaus, Essen" or "online"
	Duration     string   // "6 Stunden"
	Topics       []string // titles of the event's topics
	Office       string   // who certifies: the association's name
	OfficeCity   string   // the office's town, for the place of issue
	Issued       time.Time
	IssuedText   string // "26. November 2026"
}

// Write writes c as a one-page A4 PDF, dated c.Issued.
func Write(w io.Writer, c Certificate) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(c.Issued)
	pdf.SetModificationDate(c.Issued)
	pdf.SetTitle("Teilnahmebescheinigung – "+c.Name, true)
	pdf.SetAuthor(c.Office, true)
	pdf.SetProducer("DEFUS-Portal", true)
	pdf.AddUTF8FontFromBytes("Go", "", goregular.TTF)
	pdf.AddUTF8FontFromBytes("Go", "B", gobold.TTF)
	pdf.SetMargins(25, 30, 25)
	pdf.AddPage()

	pdf.SetFont("Go", "B", 11)
	pdf.SetTextColor(11, 74, 111)
	pdf.CellFormat(0, 6, c.Office, "", 1, "L", false, 0, "")
	pdf.Ln(18)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("Go", "B", 24)
	pdf.CellFormat(0, 12, "Teilnahmebescheinigung", "", 1, "L", false, 0, "")
	pdf.Ln(10)

	pdf.SetFont("Go", "", 12)
	pdf.MultiCell(0, 7, "Hiermit bestätigen wir, dass", "", "L", false)
	pdf.Ln(3)
	pdf.SetFont("Go", "B", 16)
	pdf.MultiCell(0, 8, c.Name, "", "L", false)
	if c.Organisation != "" {
		pdf.SetFont("Go", "", 12)
		pdf.MultiCell(0, 7, c.Organisation, "", "L", false)
	}
	pdf.Ln(3)
	pdf.SetFont("Go", "", 12)
	kind := c.Kind
	if kind == "" {
		kind = "Veranstaltung"
	}
	pdf.MultiCell(0, 7, "an der folgenden "+kind+" teilgenommen hat:", "", "L", false)
	pdf.Ln(3)
	pdf.SetFont("Go", "B", 14)
	pdf.MultiCell(0, 8, c.Event, "", "L", false)
	pdf.Ln(4)

	row := func(label, value string) {
		if value == "" {
			return
		}
		pdf.SetFont("Go", "B", 11)
		pdf.CellFormat(35, 7, label, "", 0, "L", false, 0, "")
		pdf.SetFont("Go", "", 11)
		pdf.MultiCell(0, 7, value, "", "L", false)
	}
	row("Datum", c.Date)
	row("Ort", c.Place)
	row("Umfang", c.Duration)
	row("Themen", strings.Join(c.Topics, ", "))

	pdf.Ln(20)
	pdf.SetFont("Go", "", 11)
	issued := c.IssuedText
	if c.OfficeCity != "" {
		issued = c.OfficeCity + ", " + issued
	}
	pdf.MultiCell(0, 6, issued, "", "L", false)
	pdf.Ln(14)
	pdf.MultiCell(0, 6, c.Office+"\nGeschäftsstelle", "", "L", false)
	pdf.SetY(-30)
	pdf.SetFont("Go", "", 8)
	pdf.SetTextColor(77, 90, 102)
	pdf.MultiCell(0, 4, "Diese Bescheinigung wurde maschinell erstellt und ist ohne Unterschrift gültig.", "", "L", false)
	return pdf.Output(w)
}
