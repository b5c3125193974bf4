package server_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"defus.de/portal/internal/defus"
)

// sendMember posts the member form as the browser does, multipart, with
// data as the file in "logo_file" (an empty part, as for no file chosen,
// when data is nil).
func sendMember(tb testing.TB, ts *httptest.Server, path string, c *http.Cookie, form url.Values, fileName string, data []byte, want int) (*http.Response, string) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="logo_file"; filename=%q`, fileName))
	h.Set("Content-Type", "application/octet-stream")
	fw, err := mw.CreatePart(h)
	if err != nil {
		tb.Fatal(err)
	}
	fw.Write(data)
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, &buf)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(c)
	return request(tb, req, want)
}

// mediaCount is how many files the media library holds.
func mediaCount(tb testing.TB) int {
	tb.Helper()
	var n int
	if err := seededPool(tb).QueryRow(context.Background(), `SELECT count(*) FROM media`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func TestAdminMemberFormUploadsALogo(t *testing.T) {
	t.Parallel()
	ts, _, _, c := editorSite(t, "a@defus.example", "Anna")
	before := mediaCount(t)

	// The form is multipart and offers the upload beside the choice.
	_, body := send(t, ts, http.MethodGet, "/admin/mitglieder/neu", c, nil, http.StatusOK)
	d := doc(t, body)
	if got := d.Find("form.member-form").AttrOr("enctype", ""); got != "multipart/form-data" {
		t.Errorf("form enctype %q", got)
	}
	if d.Find(`#member-logo`).Length() != 1 || d.Find(`input#member-logo-file[type=file][name=logo_file]`).Length() != 1 {
		t.Error("no choice of logo and file field side by side")
	}

	// A picture that does not decode: the message is at the file field,
	// everything typed comes back, and nothing is stored.
	form := memberFormValues("Hochladestadt")
	broken := pngFile(t, 60, 40)
	broken = broken[:len(broken)/2]
	_, body = sendMember(t, ts, "/admin/mitglieder", c, form, "wappen.png", broken, http.StatusUnprocessableEntity)
	d = doc(t, body)
	checkFieldError(t, d, "member-logo-file", "beschädigt")
	for id, want := range map[string]string{"member-name": "Stadt Hochladestadt", "member-short-name": "Hochladestadt",
		"member-population": "123.456", "member-lat": "50,1109", "member-lon": "8.6821", "member-website": "https://www.musterhausen.example/"} {
		if got := d.Find("#"+id).AttrOr("value", ""); got != want {
			t.Errorf("%s: %q after the refused upload, want %q", id, got, want)
		}
	}
	if got := d.Find("#member-description").Text(); got != form.Get("description") {
		t.Errorf("description lost: %q", got)
	}
	if d.Find(`.error-summary a[href="#member-logo-file"]`).Length() != 1 {
		t.Error("error summary does not lead to the file field")
	}

	// Too large in bytes, and a document instead of a picture.
	big := append([]byte("\xff\xd8\xff\xe0"), make([]byte, defus.MaxImageBytes+1)...)
	_, body = sendMember(t, ts, "/admin/mitglieder", c, form, "foto.jpg", big, http.StatusUnprocessableEntity)
	checkFieldError(t, doc(t, body), "member-logo-file", "höchstens 2 MB")
	_, body = sendMember(t, ts, "/admin/mitglieder", c, form, "satzung.pdf", testdata(t, "jahresbericht.pdf"), http.StatusUnprocessableEntity)
	checkFieldError(t, doc(t, body), "member-logo-file", "Ein Logo muss ein Bild sein")
	if n := mediaCount(t); n != before {
		t.Fatalf("refused uploads left %d files, want %d", n, before)
	}

	// A good picture with a mistake elsewhere: the picture is not stored
	// yet, and the form says to choose it again.
	wrong := url.Values{}
	for k, v := range form {
		wrong[k] = v
	}
	wrong.Set("lat", "nördlich")
	_, body = sendMember(t, ts, "/admin/mitglieder", c, wrong, "wappen.png", pngFile(t, 60, 40), http.StatusUnprocessableEntity)
	if got := doc(t, body).Find("#member-logo-file-hint").Text(); !strings.Contains(got, "„wappen.png“ ist noch nicht gespeichert") {
		t.Errorf("file field hint after another field's error: %q", got)
	}
	if n := mediaCount(t); n != before {
		t.Fatalf("a refused save stored the picture (%d files, want %d)", n, before)
	}

	// The happy path: the picture goes into the media library and is the
	// member's logo in the same save.
	resp, _ := sendMember(t, ts, "/admin/mitglieder", c, form, "wappen.png", pngFile(t, 60, 40), http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	if n := mediaCount(t); n != before+1 {
		t.Fatalf("%d files after the upload, want %d", n, before+1)
	}
	_, body = get(t, ts, "/mitglieder/hochladestadt", http.StatusOK)
	img := doc(t, body).Find("img.member-logo")
	if src := img.AttrOr("src", ""); !strings.HasSuffix(src, "/192x128/logo-hochladestadt.png") {
		t.Errorf("profile logo src %q", src)
	}
	if alt := img.AttrOr("alt", ""); alt != "Logo von Hochladestadt" {
		t.Errorf("profile logo alt %q", alt)
	}
	_, body = send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
	chosen := doc(t, body).Find("#member-logo option[selected]")
	if !strings.Contains(chosen.Text(), "logo-hochladestadt.png") {
		t.Errorf("edit form shows logo %q", chosen.Text())
	}

	// Saving again without a file keeps that logo; a new file replaces it.
	form.Set("version", formVersion(t, ts, c, edit))
	form.Set("logo", chosen.AttrOr("value", ""))
	sendMember(t, ts, edit, c, form, "", nil, http.StatusSeeOther)
	_, body = get(t, ts, "/mitglieder/hochladestadt", http.StatusOK)
	if src := doc(t, body).Find("img.member-logo").AttrOr("src", ""); !strings.HasSuffix(src, "/logo-hochladestadt.png") {
		t.Errorf("logo after saving without a file: %q", src)
	}
	form.Set("version", formVersion(t, ts, c, edit))
	sendMember(t, ts, edit, c, form, "neu.webp", testdata(t, "pixel.webp"), http.StatusSeeOther)
	_, body = get(t, ts, "/mitglieder/hochladestadt", http.StatusOK)
	if src := doc(t, body).Find("img.member-logo").AttrOr("src", ""); src == "" || strings.HasSuffix(src, "/logo-hochladestadt.png") {
		t.Errorf("logo after uploading a new one: %q", src)
	}
	if n := mediaCount(t); n != before+2 {
		t.Errorf("%d files after the second upload, want %d", n, before+2)
	}
}

func TestAdminMemberFormNamesTheWebAddress(t *testing.T) {
	t.Parallel()
	ts, st, _, c := editorSite(t, "a@defus.example", "Anna")
	m, err := st.FindMember(context.Background(), "koeln")
	if err != nil {
		t.Fatal(err)
	}
	_, body := send(t, ts, http.MethodGet, fmt.Sprintf("/admin/mitglieder/%d", m.ID), c, nil, http.StatusOK)
	d := doc(t, body)
	label := strings.Join(strings.Fields(d.Find(`label[for="member-slug"]`).Text()), " ")
	if label != "Web-Adresse der Profilseite" {
		t.Errorf("slug label %q", label)
	}
	if got := strings.TrimSpace(d.Find("[data-slug-preview]").Text()); got != "https://www.defus.example/mitglieder/koeln" {
		t.Errorf("resulting address shown as %q", got)
	}
	// "Adresse" alone is left to postal addresses.
	d.Find("form.member-form label, form.member-form legend").Each(func(_ int, s *goquery.Selection) {
		if strings.Fields(s.Text() + " x")[0] == "Adresse" {
			t.Errorf("a label still says just %q", s.Text())
		}
	})
	// A new member's address is proposed from the short name.
	_, body = send(t, ts, http.MethodGet, "/admin/mitglieder/neu", c, nil, http.StatusOK)
	if got := strings.TrimSpace(doc(t, body).Find("[data-slug-preview]").Text()); got != "https://www.defus.example/mitglieder/…" {
		t.Errorf("new member's address shown as %q", got)
	}
}
