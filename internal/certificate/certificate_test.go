package certificate_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"defus.de/portal/internal/certificate"
)

// pdfText extracts the text of a PDF written with embedded TrueType fonts
// (Identity-H): it inflates every stream and decodes the strings of the
// text operators (Tj, TJ) as UTF-16BE, which is what the fonts' ToUnicode
// map (identity) says the codes mean. It is independent of the writer:
// only the PDF format and the map in the file are trusted.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if !bytes.Contains(pdf, []byte("<0000> <FFFF> <0000>")) {
		t.Fatal("the fonts' ToUnicode map is not the identity this extractor reads")
	}
	var out strings.Builder
	streams := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(pdf, -1)
	for _, s := range streams {
		zr, err := zlib.NewReader(bytes.NewReader(s[1]))
		if err != nil {
			continue // not deflated: no page content
		}
		content, err := io.ReadAll(zr)
		if err != nil {
			continue
		}
		for _, m := range regexp.MustCompile(`(?s)\((.*?[^\\])\)\s*Tj`).FindAllSubmatch(content, -1) {
			out.WriteString(utf16BE(unescape(m[1])))
			out.WriteString("\n")
		}
	}
	return out.String()
}

func unescape(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			i++
			switch b[i] {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			default:
				out = append(out, b[i])
			}
			continue
		}
		out = append(out, b[i])
	}
	return out
}

func utf16BE(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}

func TestCertificateText(t *testing.T) {
	c := certificate.Certificate{Name: "Jürgen Müßig-Öztürk", Organisation: "Stadt Düsseldorf", Event: "Fortbildung „Sicherheit im Quartier“",
		Kind: "Fortbildung", Date: "Dienstag, 8. Dezember 2026", Place: "Rathaus, Essen", Duration: "6 Stunden",
		Topics: []string{"Prävention", "Urbane Resilienz"}, Office: "Deutsch-Europäisches Forum für Urbane Sicherheit e.V.",
		OfficeCity: "Hannover", Issued: time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC), IssuedText: "9. Dezember 2026"}
	var buf bytes.Buffer
	if err := certificate.Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) || !bytes.Contains(buf.Bytes(), []byte("/FontFile2")) {
		t.Fatal("not a PDF with an embedded TrueType font")
	}
	text := pdfText(t, buf.Bytes())
	for _, want := range []string{"Teilnahmebescheinigung", c.Name, c.Organisation, c.Event, "6 Stunden", "Prävention, Urbane Resilienz", c.Office, "Hannover, 9. Dezember 2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("the certificate's text lacks %q:\n%s", want, text)
		}
	}
}
