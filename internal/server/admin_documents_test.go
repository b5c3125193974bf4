package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
)

// docxFile is a minimal Word document: what CheckDocumentFile looks at.
func docxFile(tb testing.TB, main string) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<Types><Override PartName="/word/document.xml" ContentType="` + main + `"/></Types>`))
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte("<w:document/>"))
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestAdminDocumentUploadChecksContentAndKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	form := url.Values{"title": {"Leitfaden Präventionsräte"}, "description": {"Arbeitshilfe für Kommunen"},
		"dated_on": {"2026-10-01"}, "visibility": {"members"}}

	// A program renamed to .pdf: refused at the field, everything else kept.
	_, body := postWithFile(t, s.ts, s.editor, "/admin/dokumente", form, "file", "leitfaden.pdf", []byte("MZ\x90\x00program"), http.StatusUnprocessableEntity)
	d := doc(t, body)
	if got := d.Find("#document-file-error").Text(); !strings.Contains(got, "Es zählt der Inhalt der Datei") {
		t.Errorf("file error %q", got)
	}
	if got, _ := d.Find("#document-title").Attr("value"); got != "Leitfaden Präventionsräte" {
		t.Errorf("title not kept: %q", got)
	}
	if d.Find(".error-summary a[href='#document-file']").Length() != 1 {
		t.Error("error summary does not link to the file field")
	}

	// A macro-enabled Word file is refused; a plain one is taken.
	postWithFile(t, s.ts, s.editor, "/admin/dokumente", form, "file", "leitfaden.docx",
		docxFile(t, "application/vnd.ms-word.document.macroEnabled.main+xml"), http.StatusUnprocessableEntity)
	resp, _ := postWithFile(t, s.ts, s.editor, "/admin/dokumente", form, "file", "Leitfaden Räte.docx",
		docxFile(t, "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"), http.StatusSeeOther)
	edit := resp.Header.Get("Location")

	_, body = s.get(t, "/intern/dokumente", s.memberA, http.StatusOK)
	link := doc(t, body).Find(".document-title a").First() // the newest
	href, _ := link.Attr("href")
	if link.Text() != "Leitfaden Präventionsräte" || !strings.HasSuffix(href, "/leitfaden-raete.docx") {
		t.Fatalf("members see %q at %q", link.Text(), href)
	}
	resp, _ = s.get(t, href, s.memberA, http.StatusOK)
	if got := resp.Header.Get("Content-Type"); got != defus.TypeDOCX {
		t.Errorf("served as %q", got)
	}
	s.get(t, href, nil, http.StatusNotFound)

	// Made office-only: members no longer see or reach it.
	_, body = s.get(t, edit, s.editor, http.StatusOK)
	version, _ := doc(t, body).Find("input[name=version]").Attr("value")
	form.Set("visibility", "office")
	form.Set("version", version)
	postWithFile(t, s.ts, s.editor, edit, form, "file", "", nil, http.StatusSeeOther)
	s.get(t, href, s.memberA, http.StatusNotFound)
	s.get(t, href, s.editor, http.StatusOK)
	_, body = s.get(t, "/intern/dokumente", s.memberA, http.StatusOK)
	if got := texts(doc(t, body).Find(".document-title")); slices.Contains(got, "Leitfaden Präventionsräte") {
		t.Errorf("an office document is listed for members: %q", got)
	}

	// A stale save is refused with what is stored now.
	form.Set("title", "Alter Stand")
	postWithFile(t, s.ts, s.editor, edit, form, "file", "", nil, http.StatusConflict)

	// Deleting it: the address is gone, the audit log keeps that it was.
	_, body = s.get(t, edit+"/loeschen", s.editor, http.StatusOK)
	version, _ = doc(t, body).Find("input[name=version]").Attr("value")
	send(t, s.ts, http.MethodPost, edit+"/loeschen", s.editor, url.Values{"version": {version}}, http.StatusSeeOther)
	s.get(t, href, s.editor, http.StatusNotFound)
	entries, _, err := s.st.FindAuditEntries(context.Background(), defus.AuditFilter{Entity: defus.EntityDocument})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Errorf("%d audit entries, want create, update, delete", len(entries))
	}
}

func TestAdminDocumentsAreForStaffOnly(t *testing.T) {
	t.Parallel()
	s := newInternSite(t)
	d := s.addDocument(t, "Haushaltsplan", defus.VisibilityOffice)
	for _, path := range []string{"/admin/dokumente", "/admin/dokumente/neu", "/admin/dokumente/" + itoa(d.ID)} {
		s.get(t, path, s.memberA, http.StatusForbidden)
		s.get(t, path, s.editor, http.StatusOK)
		s.get(t, path, s.admin, http.StatusOK)
	}
	_, body := s.get(t, "/admin/dokumente?sichtbarkeit=office", s.editor, http.StatusOK)
	if got := texts(doc(t, body).Find("tbody th")); len(got) != 1 || got[0] != "Haushaltsplan" {
		t.Errorf("office filter: %q", got)
	}
}
