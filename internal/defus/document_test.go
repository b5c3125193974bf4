package defus_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"defus.de/portal/internal/defus"
)

// zipOf builds an archive of the entries (name, content) in order; the
// first is stored uncompressed when stored is set, as ODF wants "mimetype".
func zipOf(t *testing.T, stored bool, entries ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i, e := range entries {
		method := zip.Deflate
		if i == 0 && stored {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func contentTypes(main string) string {
	return `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Override PartName="/main.xml" ContentType="` + main + `"/></Types>`
}

func TestCheckDocumentFileTrustsContentNotName(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", []byte("%PDF-1.7\n..."), defus.TypePDF},
		{"docx", zipOf(t, false, [2]string{"[Content_Types].xml", contentTypes("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")},
			[2]string{"word/document.xml", "<w:document/>"}), defus.TypeDOCX},
		{"xlsx", zipOf(t, false, [2]string{"[Content_Types].xml", contentTypes("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")}), defus.TypeXLSX},
		{"odt", zipOf(t, true, [2]string{"mimetype", defus.TypeODT}, [2]string{"content.xml", "<office:document-content/>"}), defus.TypeODT},
		{"docm with macros", zipOf(t, false, [2]string{"[Content_Types].xml", contentTypes("application/vnd.ms-word.document.macroEnabled.main+xml")}), ""},
		{"ods spreadsheet", zipOf(t, true, [2]string{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}), ""},
		{"plain zip", zipOf(t, false, [2]string{"virus.exe", "MZ"}), ""},
		{"broken zip", []byte("PK\x03\x04garbage"), ""},
		{"exe", []byte("MZ\x90\x00"), ""},
		{"empty", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, msg := defus.CheckDocumentFile(c.data)
			if got != c.want {
				t.Errorf("type %q, want %q", got, c.want)
			}
			if (msg == "") != (c.want != "") {
				t.Errorf("message %q", msg)
			}
		})
	}
}

func TestDocumentFileNameTakesTheExtensionOfTheContent(t *testing.T) {
	for _, c := range [][3]string{
		{"Bericht 2025.docx", defus.TypeDOCX, "bericht-2025.docx"},
		{`C:\Users\x\Übersicht.PDF`, defus.TypePDF, "uebersicht.pdf"},
		{"tabelle.pdf", defus.TypeXLSX, "tabelle.xlsx"},
	} {
		if got := defus.DocumentFileName(c[0], c[1]); got != c[2] {
			t.Errorf("DocumentFileName(%q) = %q, want %q", c[0], got, c[2])
		}
	}
}

func TestFoldUmlautsMakesSpellingsAlike(t *testing.T) {
	for _, s := range []string{"Müller", "Mueller", "MULLER"} {
		if got := defus.FoldUmlauts(s); got != "muller" {
			t.Errorf("FoldUmlauts(%q) = %q", s, got)
		}
	}
}
