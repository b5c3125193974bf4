package server_test

import (
	"context"
	"image"
	_ "image/jpeg" // variants are read back with image.Decode
	_ "image/png"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/imaging/imagingtest"
)

// TestAdminMediaRefusesBombsAndBrokenPictures uploads pictures that lie
// about their size or are broken, as the office's editor would: each is
// refused with a German message beside the file field, nothing is stored,
// and nothing can be chosen as a member's logo.
func TestAdminMediaRefusesBombsAndBrokenPictures(t *testing.T) {
	t.Parallel()
	ts, _, pool, c := mediaSite(t)
	for _, tc := range []struct {
		name, fileName string
		data           []byte
		want           string
	}{
		{"png declaring 50000×50000", "bombe.png", imagingtest.PNGDeclaring(t, 50000, 50000),
			"Das Bild ist zu groß: höchstens 40 Megapixel (dieses hat 2.500.000.000)."},
		{"webp declaring 16777216²", "bombe.webp", imagingtest.WebPDeclaring(1<<24, 1<<24),
			"Das Bild ist zu groß: höchstens 40 Megapixel (dieses hat 281.474.976.710.656)."},
		{"png 20000 pixels wide", "streifen.png", imagingtest.PNGDeclaring(t, 20000, 100),
			"Das Bild ist zu groß: höchstens 16.384 Pixel breit und hoch (dieses hat 20.000 × 100 Pixel)."},
		{"truncated png", "abgeschnitten.png", imagingtest.TruncatedPNG(t),
			"Die Datei ist beschädigt oder kein vollständiges Bild."},
		{"jpeg with a wrong segment length", "falsch.jpg", imagingtest.JPEGWithWrongLength(t),
			"Die Datei ist beschädigt oder kein vollständiges Bild."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, body := upload(t, ts, c, tc.fileName, tc.data, "Ein Logo", "", http.StatusUnprocessableEntity)
			d := doc(t, body)
			if got := d.Find("#media-file-error").Text(); !strings.Contains(got, tc.want) {
				t.Errorf("file error = %q, want %q", got, tc.want)
			}
			if d.Find(`.error-summary a[href="#media-file"]`).Length() != 1 {
				t.Error("error summary does not link the file field")
			}
			if got := d.Find("#media-alt").AttrOr("value", ""); got != "Ein Logo" {
				t.Errorf("typed alt text lost: %q", got)
			}
		})
	}
	var files, variants int
	ctx := context.Background()
	pool.QueryRow(ctx, `SELECT count(*) FROM media`).Scan(&files)
	pool.QueryRow(ctx, `SELECT count(*) FROM media_variants`).Scan(&variants)
	if files != 0 || variants != 0 {
		t.Errorf("stored %d files and %d variants from refused uploads", files, variants)
	}
	_, body := send(t, ts, http.MethodGet, "/admin/mitglieder/neu", c, nil, http.StatusOK)
	if opts := doc(t, body).Find("#member-logo option[value]:not([value=''])"); opts.Length() != 0 {
		t.Errorf("logo choices after refused uploads: %q", opts.Text())
	}
}

// fetchPicture gets a picture's address, checks the headers of a stored,
// immutable picture and decodes it.
func fetchPicture(t *testing.T, ts *httptest.Server, path, wantType string) image.Image {
	t.Helper()
	resp, body := get(t, ts, path, http.StatusOK)
	for k, want := range map[string]string{
		"Content-Type":           wantType,
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "public, max-age=31536000, immutable",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", path, k, got, want)
		}
	}
	if etag := resp.Header.Get("ETag"); len(etag) != 66 {
		t.Errorf("%s: ETag %q is not a quoted SHA-256", path, etag)
	}
	img, format, err := image.Decode(strings.NewReader(body))
	if err != nil || "image/"+format != wantType {
		t.Fatalf("%s: decodes as %q, %v", path, format, err)
	}
	return img
}

// checkShown checks that an <img> states the size of the picture it loads
// and returns the srcset's 2x address ("" without one).
func checkShown(t *testing.T, ts *httptest.Server, sel string, d *goquery.Document, wantType string, want image.Point) string {
	t.Helper()
	img := d.Find(sel)
	if img.Length() != 1 {
		t.Fatalf("%s: %d images", sel, img.Length())
	}
	got := fetchPicture(t, ts, img.AttrOr("src", ""), wantType).Bounds().Size()
	stated := image.Pt(atoi(t, img.AttrOr("width", "")), atoi(t, img.AttrOr("height", "")))
	if got != want || stated != want {
		t.Errorf("%s: loads %v, states %v; want %v", sel, got, stated, want)
	}
	srcset := img.AttrOr("srcset", "")
	if srcset == "" {
		return ""
	}
	parts := strings.Split(srcset, ", ")
	if len(parts) != 2 || parts[0] != img.AttrOr("src", "")+" 1x" || !strings.HasSuffix(parts[1], " 2x") {
		t.Errorf("%s: srcset %q", sel, srcset)
		return ""
	}
	return strings.TrimSuffix(parts[1], " 2x")
}

// TestMediaVariantsOnThePages uploads a photo and a logo with transparent
// parts and follows them to every page that shows them: each page loads a
// variant of the size it states, twice as large for sharp screens, JPEG
// for the photo and PNG for the logo.
func TestMediaVariantsOnThePages(t *testing.T) {
	t.Parallel()
	ts, st, _, c := mediaSite(t)
	ctx := context.Background()

	photo := imagingtest.PNG(t, imagingtest.Drawn(1600, 900, false)) // opaque: JPEG variants
	resp, _ := upload(t, ts, c, "rathaus.png", photo, "Das Rathaus", "", http.StatusSeeOther)
	photoID := strings.TrimPrefix(resp.Header.Get("Location"), "/admin/medien/")
	logo := imagingtest.PNG(t, imagingtest.Drawn(600, 300, true))
	resp, _ = upload(t, ts, c, "wappen.png", logo, "Wappen der Variantenstadt", "", http.StatusSeeOther)
	logoID := strings.TrimPrefix(resp.Header.Get("Location"), "/admin/medien/")

	// The media list: 80-pixel thumbnails, 160 for sharp screens.
	_, body := send(t, ts, http.MethodGet, "/admin/medien?q=rathaus", c, nil, http.StatusOK)
	x2 := checkShown(t, ts, "td.media-thumb img", doc(t, body), "image/jpeg", image.Pt(80, 45))
	if got := fetchPicture(t, ts, x2, "image/jpeg").Bounds().Size(); got != image.Pt(160, 90) {
		t.Errorf("2x thumbnail is %v, want 160×90", got)
	}
	_, body = send(t, ts, http.MethodGet, "/admin/medien?q=wappen", c, nil, http.StatusOK)
	checkShown(t, ts, "td.media-thumb img", doc(t, body), "image/png", image.Pt(80, 40))

	// The file's page: a 480-pixel preview.
	_, body = send(t, ts, http.MethodGet, "/admin/medien/"+photoID, c, nil, http.StatusOK)
	checkShown(t, ts, ".media-preview img", doc(t, body), "image/jpeg", image.Pt(480, 270))

	// The member's profile: the logo fits 192×128 (12rem × 8rem).
	form := memberFormValues("Variantenstadt")
	form.Set("logo", logoID)
	createMember(t, ts, c, form)
	_, body = get(t, ts, "/mitglieder/variantenstadt", http.StatusOK)
	x2 = checkShown(t, ts, "img.member-logo", doc(t, body), "image/png", image.Pt(192, 96))
	logo2x := fetchPicture(t, ts, x2, "image/png")
	if got := logo2x.Bounds().Size(); got != image.Pt(384, 192) {
		t.Errorf("2x logo is %v, want 384×192", got)
	}
	if _, _, _, a := logo2x.At(383, 96).RGBA(); a > 0x1000 {
		t.Errorf("logo's transparent edge has alpha %#x", a)
	}

	// A page embedding the photo with the Markdown snippet: the 720-pixel
	// variant of the text column, not the upload.
	p := &defus.Page{Slug: "variantenseite", Title: "Bilder", Body: "![Das Rathaus](/medien/" + photoID + "/rathaus.png)", Published: true}
	if err := st.CreatePage(ctx, defus.Actor{}, p); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, ts, "/variantenseite", http.StatusOK)
	src := doc(t, body).Find("main .prose img").AttrOr("src", "")
	if got := fetchPicture(t, ts, src, "image/jpeg").Bounds().Size(); got != image.Pt(720, 405) {
		t.Errorf("embedded picture %s is %v, want 720×405", src, got)
	}

	// The upload itself is still served as it was sent.
	if _, got := get(t, ts, "/medien/"+photoID+"/rathaus.png", http.StatusOK); got != string(photo) {
		t.Error("the uploaded file changed")
	}
}

// TestMediaVariantsOfEarlierUploads: pictures stored before uploads were
// decoded get their variants on the first request; those that do not
// decode are marked and answered 404 from then on.
func TestMediaVariantsOfEarlierUploads(t *testing.T) {
	t.Parallel()
	ts, st, pool, _ := mediaSite(t)
	ctx := context.Background()
	old := &defus.Media{Name: "alt.png", ContentType: "image/png", AltText: "Alt", Data: imagingtest.PNG(t, imagingtest.Drawn(400, 200, false))}
	broken := &defus.Media{Name: "kaputt.png", ContentType: "image/png", AltText: "Kaputt", Data: imagingtest.TruncatedPNG(t)}
	bomb := &defus.Media{Name: "bombe.png", ContentType: "image/png", AltText: "Bombe", Data: imagingtest.PNGDeclaring(t, 50000, 50000)}
	pdf := &defus.Media{Name: "satzung.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 x")}
	for _, m := range []*defus.Media{old, broken, bomb, pdf} {
		if err := st.CreateMedia(ctx, defus.Actor{}, m); err != nil { // no size, no variants: as before
			t.Fatal(err)
		}
	}

	if got := fetchPicture(t, ts, old.VariantURL(defus.BoxLogo), "image/jpeg").Bounds().Size(); got != image.Pt(192, 96) {
		t.Errorf("logo variant of an earlier upload is %v, want 192×96", got)
	}
	var n, w, h int
	pool.QueryRow(ctx, `SELECT count(*) FROM media_variants WHERE media_id = $1`, old.ID).Scan(&n)
	pool.QueryRow(ctx, `SELECT width, height FROM media WHERE id = $1`, old.ID).Scan(&w, &h)
	if n != len(defus.ImageBoxes) || w != 400 || h != 200 {
		t.Errorf("after the first request: %d variants, size %d×%d; want %d, 400×200", n, w, h, len(defus.ImageBoxes))
	}
	// Other variants are now served from the database.
	if got := fetchPicture(t, ts, old.VariantURL(defus.BoxThumb), "image/jpeg").Bounds().Size(); got != image.Pt(80, 40) {
		t.Errorf("thumbnail %v", got)
	}

	for _, m := range []*defus.Media{broken, bomb} {
		get(t, ts, m.VariantURL(defus.BoxThumb), http.StatusNotFound)
		var undecodable bool
		pool.QueryRow(ctx, `SELECT undecodable FROM media WHERE id = $1`, m.ID).Scan(&undecodable)
		if !undecodable {
			t.Errorf("%s not marked undecodable", m.Name)
		}
		get(t, ts, m.VariantURL(defus.BoxLogo), http.StatusNotFound)
	}

	// Documents have no variants; unknown boxes are no address; a name
	// the file never had is not found, like at the file's own address.
	get(t, ts, pdf.VariantURL(defus.BoxThumb), http.StatusNotFound)
	get(t, ts, "/medien/"+strconv.FormatInt(old.ID, 10)+"/100x100/alt.png", http.StatusNotFound)
	get(t, ts, "/medien/999999/80x80/x.png", http.StatusNotFound)
	get(t, ts, "/medien/"+strconv.FormatInt(old.ID, 10)+"/80x80/frueher.png", http.StatusNotFound)

	// A deleted picture takes its variants with it.
	if err := st.DeleteMedia(ctx, defus.Actor{}, old.ID, old.Version); err != nil {
		t.Fatal(err)
	}
	get(t, ts, old.VariantURL(defus.BoxThumb), http.StatusNotFound)
	pool.QueryRow(ctx, `SELECT count(*) FROM media_variants`).Scan(&n)
	if n != 0 {
		t.Errorf("%d variants left after deleting", n)
	}
}

// TestMediaVariantsOfOneEarlierUploadAtOnce: requests for an earlier
// picture's variants at the same time all get the right picture, and it
// is stored once. Not parallel: all requests wait on one decode, which
// must end within variantTimeout (30 s); beside the package's parallel
// tests under -race on two cores it took longer.
func TestMediaVariantsOfOneEarlierUploadAtOnce(t *testing.T) {
	ts, st, pool, _ := mediaSite(t)
	ctx := context.Background()
	old := &defus.Media{Name: "gleichzeitig.png", ContentType: "image/png", AltText: "x", Data: imagingtest.PNG(t, imagingtest.Drawn(900, 600, true))}
	if err := st.CreateMedia(ctx, defus.Actor{}, old); err != nil {
		t.Fatal(err)
	}
	type result struct {
		box  defus.Box
		size image.Point
		err  error
	}
	results := make(chan result)
	client := &http.Client{Timeout: time.Minute}
	for _, b := range defus.ImageBoxes {
		go func() {
			r := result{box: b}
			resp, err := client.Get(ts.URL + old.VariantURL(b))
			if err == nil {
				var cfg image.Config
				cfg, _, r.err = image.DecodeConfig(resp.Body)
				r.size = image.Pt(cfg.Width, cfg.Height)
				resp.Body.Close()
			}
			if err != nil {
				r.err = err
			}
			results <- r
		}()
	}
	for range defus.ImageBoxes {
		r := <-results
		w, h := defus.Fit(900, 600, r.box)
		if r.err != nil || r.size != image.Pt(w, h) {
			t.Errorf("%v: %v, %v; want %d×%d", r.box, r.size, r.err, w, h)
		}
	}
	var n int
	pool.QueryRow(ctx, `SELECT count(*) FROM media_variants WHERE media_id = $1`, old.ID).Scan(&n)
	if n != len(defus.ImageBoxes) {
		t.Errorf("%d variants stored, want %d", n, len(defus.ImageBoxes))
	}
}
