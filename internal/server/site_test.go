package server_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// TestFooterShowsTheOfficeFromTheRecord: the footer of public pages names
// the office as the association's record has it, as an address with a
// phone link and a mail link, and shows an edit on the next page.
func TestFooterShowsTheOfficeFromTheRecord(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)

	for _, path := range []string{"/", "/impressum", "/termine", "/gibt-es-nicht"} {
		want := http.StatusOK
		if path == "/gibt-es-nicht" {
			want = http.StatusNotFound
		}
		_, body := get(t, ts, path, want)
		addr := doc(t, body).Find("footer address")
		if addr.Length() != 1 {
			t.Fatalf("%s: %d address elements in the footer, want 1", path, addr.Length())
		}
		text := strings.Join(strings.Fields(addr.Text()), " ")
		for _, want := range []string{"Deutsch-Europäisches Forum für Urbane Sicherheit e.V.", "Kurt-Schumacher-Straße 29", "30159 Hannover"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: footer address %q lacks %q", path, text, want)
			}
		}
		if got := addr.Find(`a[href^="tel:"]`).AttrOr("href", ""); got != "tel:051136739420" {
			t.Errorf("%s: phone link %q", path, got)
		}
		if got := addr.Find(`a[href^="mailto:"]`).AttrOr("href", ""); got != "mailto:defus@defus.de" {
			t.Errorf("%s: mail link %q", path, got)
		}
	}

	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	c := login(t, ts, "a@defus.example")
	a, err := st.FindAssociation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	moved := associationValues(itoa(int64(a.Version)))
	moved.Set("street", "Am Markt 1")
	moved.Set("postcode", "28195")
	moved.Set("city", "Bremen")
	moved.Set("phone", "+49 421 123456")
	moved.Set("email", "buero@defus.example")
	send(t, ts, http.MethodPost, "/admin/verein", c, moved, http.StatusSeeOther)

	_, body := get(t, ts, "/datenschutz", http.StatusOK)
	addr := doc(t, body).Find("footer address")
	text := strings.Join(strings.Fields(addr.Text()), " ")
	if !strings.Contains(text, "Am Markt 1") || !strings.Contains(text, "28195 Bremen") || strings.Contains(text, "Hannover") {
		t.Errorf("footer after the edit: %q", text)
	}
	if got := addr.Find(`a[href^="tel:"]`); got.AttrOr("href", "") != "tel:+49421123456" || got.Text() != "+49 421 123456" {
		t.Errorf("phone link after the edit: %q %q", got.AttrOr("href", ""), got.Text())
	}
	if got := addr.Find(`a[href^="mailto:"]`).AttrOr("href", ""); got != "mailto:buero@defus.example" {
		t.Errorf("mail link after the edit: %q", got)
	}
	for _, link := range []string{"/impressum", "/datenschutz", "/barrierefreiheit"} {
		if doc(t, body).Find(`footer a[href="`+link+`"]`).Length() != 1 {
			t.Errorf("footer lacks the link to %s", link)
		}
	}
}

// TestAssociationIsReadOncePerPage: the layout's record costs one query
// per page, also where the handler reads it as well (the home page), and
// none where no page is rendered.
func TestAssociationIsReadOncePerPage(t *testing.T) {
	t.Parallel()
	pool, n := countingPoolOf(t, "FROM association")
	ts := newServer(t, pool)
	for path, want := range map[string]int64{"/": 1, "/impressum": 1, "/mitglieder/essen": 1, "/mitgliedschaft/anfrage": 1,
		"/healthz": 0, "/robots.txt": 0, "/termine/2026/keiner": 1} {
		n.Store(0)
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := n.Load(); got != want {
			t.Errorf("%s (%d): %d reads of the association, want %d", path, resp.StatusCode, got, want)
		}
	}
}

// brandLogo is the logo in the header of the page at path, or nil while
// the header shows the letter "D".
func brandLogo(t *testing.T, ts *httptest.Server, c *http.Cookie, path string) *goquery.Selection {
	t.Helper()
	_, body := send(t, ts, http.MethodGet, path, c, nil, http.StatusOK)
	d := doc(t, body)
	img, mark := d.Find(".site-header .brand img"), d.Find(".site-header .brand .brand-mark")
	switch {
	case img.Length() == 0 && mark.Length() == 1 && mark.Text() == "D":
		if d.Find(`head link[rel=icon][type="image/svg+xml"]`).Length() != 1 || d.Find(`head link[rel=apple-touch-icon]`).Length() != 0 {
			t.Errorf("%s: without a logo, the icon is not the SVG alone", path)
		}
		return nil
	case img.Length() == 1 && mark.Length() == 0:
		return img
	}
	t.Fatalf("%s: header with %d logos and %d letters", path, img.Length(), mark.Length())
	return nil
}

// fetchIcon loads an icon from the page's head and checks it is a PNG of
// size × size, cached for long.
func fetchIcon(t *testing.T, ts *httptest.Server, href string, size int) {
	t.Helper()
	resp, body := get(t, ts, href, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "image/png" {
		t.Errorf("%s: Content-Type %q", href, ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("%s: Cache-Control %q", href, cc)
	}
	img, err := png.Decode(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: no PNG: %v", href, err)
	}
	if got := img.Bounds().Size(); got != image.Pt(size, size) {
		t.Errorf("%s: %v, want %d×%d", href, got, size, size)
	}
}

// TestAssociationLogo: the office uploads the association's logo with its
// record; it replaces the "D" in the header of public and admin pages, with
// an alternative text, and becomes the site's icon. A bad picture is a
// field error with everything typed kept; a new logo has new addresses;
// removing it brings the "D" back.
func TestAssociationLogo(t *testing.T) {
	t.Parallel()
	ts, st := adminSite(t)
	addAccount(t, st, "a@defus.example", "Anna", defus.RoleEditor)
	c := login(t, ts, "a@defus.example")
	version := func() string {
		a, err := st.FindAssociation(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return itoa(int64(a.Version))
	}

	_, body := send(t, ts, http.MethodGet, "/admin/verein", c, nil, http.StatusOK)
	d := doc(t, body)
	if d.Find(`form[action="/admin/verein"][enctype="multipart/form-data"] input[type=file][name=logo]`).Length() != 1 {
		t.Fatal("the association's form has no logo upload")
	}
	if brandLogo(t, ts, c, "/") != nil {
		t.Fatal("a logo before any was uploaded")
	}

	// A damaged picture: refused beside the field, everything typed kept.
	typed := associationValues(version())
	typed.Set("founded_place", "Köln")
	typed.Set("phone", "0221 1234")
	_, body = postWithFile(t, ts, c, "/admin/verein", typed, "logo", "logo.png", pngFile(t, 60, 40)[:80], http.StatusUnprocessableEntity)
	d = doc(t, body)
	checkFieldError(t, d, "association-logo", "beschädigt")
	for id, want := range map[string]string{"association-founded_place": "Köln", "association-phone": "0221 1234"} {
		if got := d.Find("#"+id).AttrOr("value", ""); got != want {
			t.Errorf("%s after the refused logo: %q, want %q", id, got, want)
		}
	}
	// A PDF and a file over the limit are refused the same way.
	_, body = postWithFile(t, ts, c, "/admin/verein", typed, "logo", "logo.pdf", testdata(t, "jahresbericht.pdf"), http.StatusUnprocessableEntity)
	checkFieldError(t, doc(t, body), "association-logo", "Bild")
	big := encodeImage(t, 1000, 800, true, png.Encode)
	if len(big) <= defus.MaxImageBytes {
		t.Fatalf("test picture of %d bytes is within the limit", len(big))
	}
	_, body = postWithFile(t, ts, c, "/admin/verein", typed, "logo", "gross.png", big, http.StatusUnprocessableEntity)
	d = doc(t, body)
	checkFieldError(t, d, "association-logo", "höchstens")
	if got := d.Find("#association-founded_place").AttrOr("value", ""); got != "Köln" {
		t.Errorf("founding place after the large logo: %q", got)
	}
	// A good picture with a wrong field: nothing saved, the picture asked
	// for again (a browser sends no file twice), the rest kept.
	typed.Set("postcode", "301")
	_, body = postWithFile(t, ts, c, "/admin/verein", typed, "logo", "logo.png", logoPNG(t, 200, 100), http.StatusUnprocessableEntity)
	d = doc(t, body)
	checkFieldError(t, d, "association-postcode", "fünfstellige")
	checkFieldError(t, d, "association-logo", "noch einmal")
	if got := d.Find("#association-phone").AttrOr("value", ""); got != "0221 1234" {
		t.Errorf("phone after the refused form: %q", got)
	}
	// Far over the limit: refused by the route's body limit before the
	// form is read, with the 413 page, never a 500.
	postWithFile(t, ts, c, "/admin/verein", typed, "logo", "riesig.png", append(pngFile(t, 10, 10), make([]byte, 10<<20)...), http.StatusRequestEntityTooLarge)
	if brandLogo(t, ts, c, "/") != nil {
		t.Fatal("a refused logo shows in the header")
	}

	// A good one: saved with the record, shown in the header with its
	// alternative text, on public and admin pages, and as the icon.
	postWithFile(t, ts, c, "/admin/verein", associationValues(version()), "logo", "DEFUS Logo.png", logoPNG(t, 300, 100), http.StatusSeeOther)
	var first string
	for _, path := range []string{"/", "/termine", "/admin", "/admin/verein"} {
		img := brandLogo(t, ts, c, path)
		if img == nil {
			t.Fatalf("%s: no logo in the header after the upload", path)
		}
		if got := img.AttrOr("alt", ""); got != "Logo des DEFUS e.V." {
			t.Errorf("%s: logo alt %q", path, got)
		}
		src := img.AttrOr("src", "")
		if !strings.HasPrefix(src, "/medien/") || !strings.HasSuffix(src, "/defus-logo.png") {
			t.Errorf("%s: logo src %q", path, src)
		}
		resp, _ := get(t, ts, src, http.StatusOK)
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("logo Cache-Control %q", cc)
		}
		first = src
	}
	_, body = get(t, ts, "/impressum", http.StatusOK)
	d = doc(t, body)
	icon := d.Find(`head link[rel=icon][type="image/png"][sizes="32x32"]`).AttrOr("href", "")
	touch := d.Find(`head link[rel=apple-touch-icon][sizes="180x180"]`).AttrOr("href", "")
	if icon == "" || touch == "" || d.Find(`head link[rel=icon][type="image/svg+xml"]`).Length() != 0 {
		t.Fatalf("icons %q and %q, or the SVG icon besides them", icon, touch)
	}
	fetchIcon(t, ts, icon, 32)
	fetchIcon(t, ts, touch, 180)
	_, body = send(t, ts, http.MethodGet, "/admin/protokoll", c, nil, http.StatusOK)
	if text := doc(t, body).Find("main").Text(); !strings.Contains(text, "Vereinsdaten") || !strings.Contains(text, "defus-logo.png") {
		t.Error("the audit log does not name the new logo of the association")
	}
	resp, _ := get(t, ts, "/favicon.ico", http.StatusFound)
	if got := resp.Header.Get("Location"); got != icon {
		t.Errorf("/favicon.ico points at %q, want %q", got, icon)
	}

	// Against a stale version: refused, the stored logo named in the
	// conflict table, the new picture asked for again and not stored.
	_, body = postWithFile(t, ts, c, "/admin/verein", associationValues("1"), "logo", "spaet.png", logoPNG(t, 90, 60), http.StatusConflict)
	d = doc(t, body)
	checkFieldError(t, d, "association-logo", "noch einmal")
	if text := d.Find(".conflict").Text(); !strings.Contains(text, "Logo") || !strings.Contains(text, "defus-logo.png") {
		t.Errorf("conflict table does not show the stored logo: %q", text)
	}
	if img := brandLogo(t, ts, c, "/"); img == nil || img.AttrOr("src", "") != first {
		t.Fatal("a logo sent against a stale version changed the logo")
	}

	// Saving without choosing a file keeps the logo; a new one has new
	// addresses, so no cache keeps showing the old one.
	send(t, ts, http.MethodPost, "/admin/verein", c, associationValues(version()), http.StatusSeeOther)
	if img := brandLogo(t, ts, c, "/"); img == nil || img.AttrOr("src", "") != first {
		t.Fatal("saving without a file changed the logo")
	}
	postWithFile(t, ts, c, "/admin/verein", associationValues(version()), "logo", "neu.png", logoPNG(t, 120, 120), http.StatusSeeOther)
	_, body = get(t, ts, "/", http.StatusOK)
	d = doc(t, body)
	if src := d.Find(".brand img").AttrOr("src", ""); src == first || !strings.HasSuffix(src, "/neu.png") {
		t.Errorf("new logo at %q, the old one at %q", src, first)
	}
	if href := d.Find(`head link[rel=icon]`).AttrOr("href", ""); href == icon {
		t.Errorf("the icon kept its address %q after a new logo", href)
	}

	// Removing it brings the "D" and the SVG icon back; a wrong field on
	// the way keeps the box ticked.
	remove := associationValues(version())
	remove.Set("logo_remove", "ja")
	remove.Set("email", "keine-adresse")
	_, body = send(t, ts, http.MethodPost, "/admin/verein", c, remove, http.StatusUnprocessableEntity)
	if d := doc(t, body); d.Find("#association-logo_remove[checked]").Length() != 1 || d.Find(".logo-current img").Length() != 1 {
		t.Error("after a refused removal, the box is not ticked or the stored logo not shown")
	}
	remove.Set("email", "defus@defus.de")
	send(t, ts, http.MethodPost, "/admin/verein", c, remove, http.StatusSeeOther)
	for _, path := range []string{"/", "/admin"} {
		if brandLogo(t, ts, c, path) != nil {
			t.Errorf("%s: logo still shown after removing it", path)
		}
	}
	resp, _ = get(t, ts, "/favicon.ico", http.StatusFound)
	if got := resp.Header.Get("Location"); !strings.HasSuffix(got, ".svg") {
		t.Errorf("/favicon.ico without a logo points at %q", got)
	}
	get(t, ts, "/favicon/"+strings.Split(icon, "/")[2]+"/icon-64.png", http.StatusNotFound)
	get(t, ts, "/favicon/999999/icon-32.png", http.StatusNotFound)
	get(t, ts, "/favicon/abc/icon-32.png", http.StatusNotFound)

	// Deleting the logo in the media library, after a warning, also brings
	// the "D" back.
	postWithFile(t, ts, c, "/admin/verein", associationValues(version()), "logo", "wieder.png", logoPNG(t, 90, 60), http.StatusSeeOther)
	a, err := st.FindAssociation(context.Background())
	if err != nil || a.Logo == nil {
		t.Fatalf("logo after the upload: %+v, %v", a, err)
	}
	del := "/admin/medien/" + itoa(a.Logo.ID) + "/loeschen"
	_, body = send(t, ts, http.MethodGet, del, c, nil, http.StatusOK)
	d = doc(t, body)
	if !strings.Contains(d.Find("main").Text(), "Die Website verliert das Logo des Vereins") {
		t.Error("deleting the logo does not warn that the site loses it")
	}
	send(t, ts, http.MethodPost, del, c, url.Values{"version": {d.Find(`input[name=version]`).AttrOr("value", "")}}, http.StatusSeeOther)
	if brandLogo(t, ts, c, "/") != nil {
		t.Error("logo still shown after deleting its file")
	}
	get(t, ts, a.Logo.IconURL(defus.IconFavicon), http.StatusNotFound)
}

// logoPNG is a w×h logo: a dark mark on a transparent ground.
func logoPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := h / 4; y < h*3/4; y++ {
		for x := w / 8; x < w*7/8; x++ {
			img.Set(x, y, color.NRGBA{R: 11, G: 74, B: 111, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkFooterRecord measures what the layout's record costs a page:
// the impressum with it (as served) against FindAssociation alone.
func BenchmarkFooterRecord(b *testing.B) {
	pool := seededPool(b)
	ts := newServer(b, pool)
	st := store.New(pool, testClock)
	b.Run("FindAssociation", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.FindAssociation(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			resp, err := http.Get(ts.URL + "/impressum")
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
		}
	})
}
