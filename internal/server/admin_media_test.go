package server_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"defus.de/portal/internal/defus"
)

// encodeImage draws a w×h picture, noisy when noise is set (so that it
// does not compress), and encodes it with enc.
func encodeImage(t *testing.T, w, h int, noise bool, enc func(io.Writer, image.Image) error) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: 11, G: 74, B: 111, A: 255}
			if noise {
				c = color.NRGBA{R: uint8(rng.IntN(256)), G: uint8(rng.IntN(256)), B: uint8(rng.IntN(256)), A: uint8(rng.IntN(256))}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := enc(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pngFile(t *testing.T, w, h int) []byte {
	return encodeImage(t, w, h, false, png.Encode)
}

func jpegFile(t *testing.T, w, h int) []byte {
	return encodeImage(t, w, h, false, func(out io.Writer, img image.Image) error { return jpeg.Encode(out, img, nil) })
}

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// uploadForm is a multipart form as a browser sends it: the file (with the
// content type the browser guesses from the name), alt_text and name.
func uploadForm(t *testing.T, fileName string, data []byte, alt, name string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, fileName))
	h.Set("Content-Type", "application/octet-stream")
	fw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.WriteField("alt_text", alt)
	mw.WriteField("name", name)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

// upload posts a file to the media library and checks the status.
func upload(t *testing.T, ts *httptest.Server, c *http.Cookie, fileName string, data []byte, alt, name string, want int) (*http.Response, string) {
	t.Helper()
	body, ct := uploadForm(t, fileName, data, alt, name)
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/admin/medien", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	if c != nil {
		req.AddCookie(c)
	}
	return request(t, req, want)
}

func TestAdminMediaUploadEachTypeAndServeIt(t *testing.T) {
	t.Parallel()
	ts, _, _, c := mediaSite(t)
	for _, tc := range []struct {
		name, fileName, alt, typed string
		data                       []byte
		wantName, wantType, label  string
		wantWidth, wantHeight      int
	}{
		{"png", "Logo Köln.png", "Logo der Stadt Köln", "", pngFile(t, 320, 160), "logo-koeln.png", "image/png", "PNG-Bild", 320, 160},
		{"jpeg", "foto.JPG", "Blick über den Rhein", "Rheinufer \"Sommer\" 2026", jpegFile(t, 40, 90), "rheinufer-sommer-2026.jpg", "image/jpeg", "JPEG-Bild", 40, 90},
		{"webp", "pixel.webp", "Ein einzelner Bildpunkt", "", testdata(t, "pixel.webp"), "pixel.webp", "image/webp", "WebP-Bild", 1, 1},
		{"pdf without title", `C:\Ablage\Jahresbericht 2025.pdf`, "", "", testdata(t, "jahresbericht.pdf"), "jahresbericht-2025.pdf", "application/pdf", "PDF-Dokument", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := upload(t, ts, c, tc.fileName, tc.data, tc.alt, tc.typed, http.StatusSeeOther)
			edit := resp.Header.Get("Location")
			if !regexp.MustCompile(`^/admin/medien/\d+$`).MatchString(edit) {
				t.Fatalf("upload redirected to %q", edit)
			}
			_, body := send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
			d := doc(t, body)
			if got := d.Find(".flash").Text(); !strings.Contains(got, tc.wantName) {
				t.Errorf("flash = %q, want the stored name %q", got, tc.wantName)
			}
			if got := d.Find(".media-facts").Text(); !strings.Contains(got, tc.label) {
				t.Errorf("detail does not name the type %q: %s", tc.label, got)
			}
			id := strings.TrimPrefix(edit, "/admin/medien/")
			publicPath := "/medien/" + id + "/" + tc.wantName
			if got := d.Find("#media-url").AttrOr("value", ""); got != "https://www.defus.example"+publicPath {
				t.Errorf("public URL to copy = %q", got)
			}
			md := d.Find("#media-markdown").AttrOr("value", "")
			if tc.wantWidth > 0 && md != "!["+tc.alt+"]("+publicPath+")" {
				t.Errorf("Markdown snippet = %q", md)
			}
			if tc.wantWidth == 0 && !strings.HasPrefix(md, "[") || !strings.HasSuffix(md, "("+publicPath+")") {
				t.Errorf("Markdown snippet = %q", md)
			}

			// Served with the bytes, the type found in the content and safe headers.
			resp, got := get(t, ts, publicPath, http.StatusOK)
			if got != string(tc.data) {
				t.Errorf("served %d bytes, uploaded %d", len(got), len(tc.data))
			}
			disposition := "inline"
			if tc.wantWidth == 0 {
				disposition = "attachment"
			}
			for k, want := range map[string]string{
				"Content-Type":           tc.wantType,
				"Content-Disposition":    disposition + `; filename="` + tc.wantName + `"`,
				"X-Content-Type-Options": "nosniff",
				"Cache-Control":          "public, max-age=31536000, immutable",
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}

			// The list shows it with type, size and, for images, a thumbnail.
			_, body = send(t, ts, http.MethodGet, "/admin/medien?q="+url.QueryEscape(tc.wantName), c, nil, http.StatusOK)
			row := doc(t, body).Find("tbody tr")
			if row.Length() != 1 {
				t.Fatalf("search for %s found %d rows", tc.wantName, row.Length())
			}
			if !strings.Contains(row.Text(), tc.label) || !strings.Contains(row.Text(), defus.FormatBytes(int64(len(tc.data)))) {
				t.Errorf("row lacks type or size: %s", row.Text())
			}
			img := row.Find("img")
			if tc.wantWidth == 0 {
				if img.Length() != 0 {
					t.Error("a PDF has a thumbnail")
				}
				return
			}
			if img.AttrOr("src", "") != "/medien/"+id+"/80x80/"+tc.wantName || img.AttrOr("alt", "") != tc.alt || img.AttrOr("loading", "") != "lazy" {
				t.Errorf("thumbnail = src %q alt %q loading %q", img.AttrOr("src", ""), img.AttrOr("alt", ""), img.AttrOr("loading", ""))
			}
			w, h := atoi(t, img.AttrOr("width", "")), atoi(t, img.AttrOr("height", ""))
			if w <= 0 || h <= 0 || w > 80 || h > 80 || (tc.wantWidth > tc.wantHeight) != (w > h) {
				t.Errorf("thumbnail %d×%d for an image of %d×%d", w, h, tc.wantWidth, tc.wantHeight)
			}
		})
	}

	// The uploads are in the audit log with name, type and size.
	_, body := send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	for _, want := range []string{"Datei: logo-koeln.png", "PNG-Bild", "Rita Redaktion"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

func TestAdminMediaRefusesWrongFiles(t *testing.T) {
	t.Parallel()
	ts, _, pool, c := mediaSite(t)
	bigPNG := encodeImage(t, 820, 820, true, png.Encode)
	if len(bigPNG) < 5<<19 {
		t.Fatalf("noisy PNG has only %d bytes", len(bigPNG))
	}
	for _, tc := range []struct {
		name, fileName string
		data           []byte
		alt            string
		field, want    string
	}{
		{"exe named png", "logo.png", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xffPE\x00\x00"), make([]byte, 2000)...), "Logo",
			"media-file", "Diese Datei ist kein PNG-, JPEG- oder WebP-Bild und kein PDF."},
		{"svg", "logo.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "Logo",
			"media-file", "SVG-Grafiken werden nicht angenommen"},
		{"html", "seite.pdf", []byte(`<!DOCTYPE html><script>alert(1)</script>`), "Logo",
			"media-file", "kein PNG-, JPEG- oder WebP-Bild und kein PDF"},
		{"image over 2 MB", "gross.png", bigPNG, "Rauschen",
			"media-file", "Bilder dürfen höchstens 2 MB groß sein; diese Datei hat " + defus.FormatBytes(int64(len(bigPNG)))},
		{"empty file", "leer.png", nil, "Logo", "media-file", "Die gewählte Datei ist leer."},
		{"no file chosen", "", nil, "Logo", "media-file", "Bitte wählen Sie eine Datei aus."},
		{"damaged image", "kaputt.png", []byte("\x89PNG\r\n\x1a\nnichts weiter"), "Logo", "media-file", "beschädigt"},
		{"image without alt text", "logo.png", pngFile(t, 10, 10), "", "media-alt", "Bitte beschreiben Sie, was auf dem Bild zu sehen ist."},
		{"alt text too long", "logo.png", pngFile(t, 10, 10), strings.Repeat("ä", 301), "media-alt", "höchstens 300 Zeichen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, body := upload(t, ts, c, tc.fileName, tc.data, tc.alt, "Mein Name", http.StatusUnprocessableEntity)
			d := doc(t, body)
			if got := d.Find("#" + tc.field + "-error").Text(); !strings.Contains(got, tc.want) {
				t.Errorf("%s error = %q, want %q", tc.field, got, tc.want)
			}
			if d.Find("#"+tc.field+"[aria-invalid=true]").Length() != 1 {
				t.Errorf("%s not marked invalid", tc.field)
			}
			if d.Find(`.error-summary a[href="#`+tc.field+`"]`).Length() != 1 {
				t.Errorf("error summary does not link %s", tc.field)
			}
			if got := d.Find("#media-name").AttrOr("value", ""); got != "Mein Name" {
				t.Errorf("typed name lost: %q", got)
			}
			if got := d.Find("#media-alt").AttrOr("value", ""); got != tc.alt {
				t.Errorf("typed alt text lost: %q", got)
			}
			if d.Find(`form[enctype="multipart/form-data"] input[type=file][name=file]:not([value])`).Length() != 1 {
				t.Error("the form offers no file input again (without value, which HTML does not allow there)")
			}
		})
	}
	var n int
	pool.QueryRow(context.Background(), `SELECT count(*) FROM media`).Scan(&n)
	if n != 0 {
		t.Errorf("%d files stored from refused uploads", n)
	}
}

// countingReader produces n bytes of x and counts how many were read.
type countingReader struct {
	n, read int64
	total   *atomic.Int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n-r.read)
	for i := range k {
		p[i] = 'x'
	}
	r.read += k
	r.total.Add(k)
	return int(k), nil
}

func TestAdminMediaTooLargeIsRefusedUnread(t *testing.T) {
	t.Parallel()
	ts, _, _, c := mediaSite(t)
	const fifty = 50 << 20
	send := func(declared bool) (status int, body string, read int64) {
		t.Helper()
		var total atomic.Int64
		// A multipart form whose file is 50 MB of "x" after a PNG signature.
		head := "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"riesig.png\"\r\n\r\n\x89PNG\r\n\x1a\n"
		payload := io.MultiReader(strings.NewReader(head), &countingReader{n: fifty, total: &total})
		req, err := http.NewRequest(http.MethodPost, ts.URL+"/admin/medien", payload)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		req.AddCookie(c)
		if declared {
			req.ContentLength = int64(len(head)) + fifty
		} else {
			req.ContentLength = -1 // chunked
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatalf("request failed before an answer: %v", err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), total.Load()
	}

	// Declared too large: refused before the body is read.
	status, body, read := send(true)
	if status != http.StatusRequestEntityTooLarge {
		t.Fatalf("declared 50 MB: status %d, want 413", status)
	}
	if !strings.Contains(doc(t, body).Find("h1").Text(), "Datei zu groß") || !strings.Contains(body, "höchstens 10 MB") {
		t.Errorf("413 page is not the German one:\n%s", body)
	}
	t.Logf("declared: client read %d bytes", read)
	if read > 12<<20 {
		t.Errorf("client had to send %d MB of the declared 50 MB", read>>20)
	}

	// Without a length: reading stops at the upload limit.
	status, body, read = send(false)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "Datei zu groß") {
		t.Fatalf("chunked 50 MB: status %d, want 413 with the German page", status)
	}
	t.Logf("chunked: client read %d bytes", read)
	if read > 20<<20 {
		t.Errorf("server read about %d MB of a 50 MB chunked body", read>>20)
	}
}

func TestBodyLimitsOutsideTheUpload(t *testing.T) {
	t.Parallel()
	ts, _, _, c := mediaSite(t)
	// Other admin forms keep the 1 MB limit…
	send(t, ts, http.MethodPost, "/admin/seiten", c, url.Values{"title": {"Groß"}, "body": {strings.Repeat("x", 1<<20)}}, http.StatusRequestEntityTooLarge)
	// …and a PDF between 1 MB and 10 MB is taken by the upload.
	pdf := testdata(t, "jahresbericht.pdf")
	pdf = append(pdf, []byte("%"+strings.Repeat("x", 3<<20)+"\n")...)
	upload(t, ts, c, "gross.pdf", pdf, "Großer Bericht", "", http.StatusSeeOther)
	// A PDF just over 10 MB fits in the request but not in the limit: a field error.
	pdf = append(pdf, []byte("%"+strings.Repeat("x", 7<<20)+"\n")...)
	_, body := upload(t, ts, c, "zu-gross.pdf", pdf, "Zu großer Bericht", "", http.StatusUnprocessableEntity)
	if got := doc(t, body).Find("#media-file-error").Text(); !strings.Contains(got, "PDF-Dokumente dürfen höchstens 10 MB groß sein") {
		t.Errorf("file error = %q", got)
	}
}

func TestAdminMediaEditConflictAndDelete(t *testing.T) {
	t.Parallel()
	ts, _, pool, c := mediaSite(t)
	resp, _ := upload(t, ts, c, "logo.png", pngFile(t, 64, 64), "Logo", "", http.StatusSeeOther)
	edit := resp.Header.Get("Location")
	id := strings.TrimPrefix(edit, "/admin/medien/")
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `UPDATE members SET logo_media_id = $1 WHERE slug IN ('koeln', 'essen')`, id); err != nil {
		t.Fatal(err)
	}

	// The detail page and the list say where the file is used.
	_, body := send(t, ts, http.MethodGet, edit, c, nil, http.StatusOK)
	if got := doc(t, body).Find(".media-facts").Text(); !strings.Contains(got, "Logo von Stadt Essen, Stadt Köln") {
		t.Errorf("detail does not name the members using the logo: %s", got)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/medien", c, nil, http.StatusOK)
	if got := doc(t, body).Find("tbody tr").Text(); !strings.Contains(got, "Logo von Stadt Essen, Stadt Köln") {
		t.Errorf("list does not name the members using the logo: %s", got)
	}

	// Renaming keeps the extension; the old address leads to the new one.
	form := url.Values{"alt_text": {"Gemeinsames Logo"}, "name": {"Logo Städte"}, "version": {"1"}}
	send(t, ts, http.MethodPost, edit, c, form, http.StatusSeeOther)
	resp, _ = get(t, ts, "/medien/"+id+"/logo.png", http.StatusMovedPermanently)
	if got := resp.Header.Get("Location"); got != "/medien/"+id+"/logo-staedte.png" {
		t.Errorf("old address redirects to %q", got)
	}
	get(t, ts, "/medien/"+id+"/logo-staedte.png", http.StatusOK)
	get(t, ts, "/medien/"+id+"/80x80/logo.png", http.StatusMovedPermanently) // its variants too

	// Someone else saved meanwhile: 409, what is stored now is shown, the typed text kept.
	form = url.Values{"alt_text": {"Meine Fassung"}, "name": {"logo"}, "version": {"1"}}
	_, body = send(t, ts, http.MethodPost, edit, c, form, http.StatusConflict)
	d := doc(t, body)
	if !strings.Contains(d.Find(".conflict").Text(), "Gemeinsames Logo") {
		t.Errorf("conflict does not show the stored text: %s", d.Find(".conflict").Text())
	}
	if got := d.Find("#media-alt").AttrOr("value", ""); got != "Meine Fassung" {
		t.Errorf("typed alt text lost: %q", got)
	}
	if got := d.Find("input[name=version]").AttrOr("value", ""); got != "2" {
		t.Errorf("form carries version %q after the conflict, want 2", got)
	}

	// An image needs its alternative text; a name is required.
	_, body = send(t, ts, http.MethodPost, edit, c, url.Values{"alt_text": {""}, "name": {""}, "version": {"2"}}, http.StatusUnprocessableEntity)
	d = doc(t, body)
	if d.Find("#media-alt[aria-invalid=true]").Length() != 1 || d.Find("#media-name[aria-invalid=true]").Length() != 1 {
		t.Error("empty alt text and name not marked invalid")
	}

	// Delete: the confirmation names the members that lose their logo.
	_, body = send(t, ts, http.MethodGet, edit+"/loeschen", c, nil, http.StatusOK)
	d = doc(t, body)
	if got := strings.Join(texts(d.Find("main ul li")), "; "); !strings.Contains(got, "Stadt Köln verliert sein Logo") || !strings.Contains(got, "Stadt Essen verliert sein Logo") {
		t.Errorf("confirmation lists %q", got)
	}
	send(t, ts, http.MethodPost, edit+"/loeschen", c, url.Values{"version": {d.Find("input[name=version]").AttrOr("value", "")}}, http.StatusSeeOther)
	get(t, ts, "/medien/"+id+"/logo-staedte.png", http.StatusNotFound)
	send(t, ts, http.MethodGet, edit, c, nil, http.StatusNotFound)
	var logos int
	pool.QueryRow(ctx, `SELECT count(*) FROM members WHERE slug IN ('koeln', 'essen') AND logo_media_id IS NOT NULL`).Scan(&logos)
	if logos != 0 {
		t.Errorf("%d members still have the deleted logo", logos)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	for _, want := range []string{"Gelöscht", "Datei: logo-staedte.png", "Stadt Essen, Stadt Köln"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

func TestAdminMediaUnknownIDs(t *testing.T) {
	t.Parallel()
	ts, _, _, c := mediaSite(t)
	for _, path := range []string{"/admin/medien/999999", "/admin/medien/abc", "/admin/medien/0/loeschen", "/admin/medien/-3"} {
		send(t, ts, http.MethodGet, path, c, nil, http.StatusNotFound)
	}
	send(t, ts, http.MethodPost, "/admin/medien/999999/loeschen", c, url.Values{"version": {"1"}}, http.StatusNotFound)
}

func TestAdminMediaListSearchFilterPaging(t *testing.T) {
	t.Parallel()
	ts, st, _, c := mediaSite(t)
	ctx := context.Background()
	img := pngFile(t, 2, 2)
	for i := range 27 {
		m := &defus.Media{Name: fmt.Sprintf("bild-%02d.png", i), ContentType: "image/png", Data: img, AltText: "Bild " + strconv.Itoa(i), Width: 2, Height: 2}
		if err := st.CreateMedia(ctx, defus.Actor{}, m); err != nil {
			t.Fatal(err)
		}
	}
	pdf := &defus.Media{Name: "satzung.pdf", ContentType: "application/pdf", Data: testdata(t, "jahresbericht.pdf")}
	if err := st.CreateMedia(ctx, defus.Actor{}, pdf); err != nil {
		t.Fatal(err)
	}

	_, body := send(t, ts, http.MethodGet, "/admin/medien", c, nil, http.StatusOK)
	d := doc(t, body)
	if got := d.Find("tbody tr").Length(); got != 25 {
		t.Errorf("first page has %d rows, want 25", got)
	}
	if got := d.Find("tbody tr th a").First().Text(); got != "satzung.pdf" {
		t.Errorf("newest first: first row is %q", got)
	}
	if got := d.Find(".count").Text(); got != "28 Dateien" {
		t.Errorf("count = %q", got)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/medien?seite=2", c, nil, http.StatusOK)
	if got := doc(t, body).Find("tbody tr").Length(); got != 3 {
		t.Errorf("second page has %d rows, want 3", got)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/medien?art=dokumente", c, nil, http.StatusOK)
	if got := texts(doc(t, body).Find("tbody tr th a")); len(got) != 1 || got[0] != "satzung.pdf" {
		t.Errorf("documents = %v", got)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/medien?art=bilder&q=bild-1", c, nil, http.StatusOK)
	if got := doc(t, body).Find("tbody tr").Length(); got != 10 {
		t.Errorf("images named bild-1…: %d rows, want 10", got)
	}
	// The filter keeps its choice; a LIKE wildcard is searched literally.
	if doc(t, body).Find(`#filter-state option[value=bilder][selected]`).Length() != 1 {
		t.Error("kind filter does not keep its choice")
	}
	_, body = send(t, ts, http.MethodGet, "/admin/medien?q=%25", c, nil, http.StatusOK)
	if got := doc(t, body).Find("tbody tr").Length(); got != 0 {
		t.Errorf("search for %% found %d rows", got)
	}
}

func TestAdminMediaAccess(t *testing.T) {
	t.Parallel()
	ts, st, _, c := mediaSite(t)
	addAccount(t, st, "mitglied@defus.example", "Mia Mitglied", defus.RoleMember)
	member := login(t, ts, "mitglied@defus.example")
	send(t, ts, http.MethodGet, "/admin/medien", member, nil, http.StatusForbidden)
	upload(t, ts, member, "logo.png", pngFile(t, 4, 4), "Logo", "", http.StatusForbidden)
	// Not logged in: to the login page, nothing stored.
	upload(t, ts, nil, "logo.png", pngFile(t, 4, 4), "Logo", "", http.StatusSeeOther)

	// A cross-site upload is refused, even with a valid session.
	body, ct := uploadForm(t, "logo.png", pngFile(t, 4, 4), "Logo", "")
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/admin/medien", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(c)
	request(t, req, http.StatusForbidden)

	_, page := send(t, ts, http.MethodGet, "/admin/medien", c, nil, http.StatusOK)
	if got := doc(t, page).Find("tbody tr").Length(); got != 0 {
		t.Errorf("%d files stored by refused uploads", got)
	}
	if doc(t, page).Find(`nav a[href="/admin/medien"][aria-current=page]`).Length() != 1 {
		t.Error("admin navigation lacks the current Medien entry")
	}
}
