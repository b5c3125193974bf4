package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// imageLoaded waits until the first image matching sel has loaded and
// returns its natural width (0: it did not load).
func imageLoaded(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	js := fmt.Sprintf(`(() => { const i = document.querySelector(%q); return i && i.complete ? i.naturalWidth : -1 })()`, sel)
	for range 50 {
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatal(err)
		}
		if w >= 0 {
			return w
		}
		time.Sleep(100 * time.Millisecond)
	}
	return 0
}

// TestMediaUploadAsTheOfficeUsesIt uploads a picture through the file
// input, first without alternative text, then with it, finds it in the
// list with its thumbnail, and embeds it in a page with the Markdown
// snippet; axe checks the list, the form with errors and the file's page.
func TestMediaUploadAsTheOfficeUsesIt(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := loggedIn(t, b, base)
	// Tabs share cookies: log out so that later tests find the login form.
	t.Cleanup(func() {
		err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin"),
			chromedp.Click(chromedp.CSS(`form[action="/admin/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`#login-email`)))
		if err != nil {
			t.Errorf("log out: %v", err)
		}
	})

	img := image.NewNRGBA(image.Rect(0, 0, 120, 60))
	for x := range 120 {
		for y := range 60 {
			img.Set(x, y, color.NRGBA{R: uint8(x * 2), G: 74, B: 111, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "Logo Browserstadt.png")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	must(t, ctx, chromedp.Navigate(base+"/admin"), chromedp.Click(chromedp.CSS(`nav a[href="/admin/medien"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/medien/neu"]`)))
	b.CheckA11y(t, ctx, "media list")

	// Upload without alternative text: refused, errors shown accessibly.
	must(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/admin/medien/neu"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#media-file`)))
	b.CheckA11y(t, ctx, "upload form")
	must(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`#media-file`), []string{file}),
		chromedp.SendKeys(chromedp.CSS(`#media-name`), "Logo Browserstadt"),
		chromedp.Click(chromedp.CSS(`form[enctype="multipart/form-data"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#media-alt-error`)))
	if err != nil || !strings.Contains(msg, "Bitte beschreiben Sie, was auf dem Bild zu sehen ist") {
		t.Errorf("alt text error = %q, %v", msg, err)
	}
	b.CheckA11y(t, ctx, "upload form with errors")

	// With alternative text: stored, its page offers the addresses.
	must(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`#media-file`), []string{file}),
		chromedp.SendKeys(chromedp.CSS(`#media-alt`), "Logo der Browserstadt"),
		chromedp.Click(chromedp.CSS(`form[enctype="multipart/form-data"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	snippet, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#media-markdown`)))
	if err != nil || !strings.HasPrefix(snippet, "![Logo der Browserstadt](/medien/") || !strings.HasSuffix(snippet, "/logo-browserstadt.png)") {
		t.Fatalf("Markdown snippet = %q, %v", snippet, err)
	}
	if w := imageLoaded(t, ctx, ".media-preview img"); w != 120 {
		t.Errorf("preview image natural width = %d, want 120", w)
	}
	b.CheckA11y(t, ctx, "media file page")

	// The list shows it first, with a loaded thumbnail.
	must(t, ctx, chromedp.Click(chromedp.CSS(`nav a[href="/admin/medien"]`)), chromedp.WaitVisible(chromedp.CSS(`table.media-list`)))
	name, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`table.media-list tbody tr:first-child th a`)))
	if err != nil || name != "logo-browserstadt.png" {
		t.Errorf("first row = %q, %v", name, err)
	}
	alt, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('table.media-list tbody tr:first-child img').alt`))
	if err != nil || alt != "Logo der Browserstadt" {
		t.Errorf("thumbnail alt = %q, %v", alt, err)
	}
	// A real thumbnail: the 120-pixel picture scaled down to the list's
	// 80-pixel box (the browser has one device pixel per CSS pixel).
	if w := imageLoaded(t, ctx, "table.media-list tbody tr:first-child img"); w != 80 {
		t.Errorf("thumbnail natural width = %d, want 80", w)
	}
	b.CheckA11y(t, ctx, "media list with a file")

	// The snippet shows the picture on a page, under the site's CSP.
	st := store.New(dbtest.Pool(t), clock)
	slug := fmt.Sprintf("bild-test-%d", time.Now().UnixNano())
	p := &defus.Page{Slug: slug, Title: "Bildtest", Body: "Unser Logo:\n\n" + snippet, Published: true}
	if err := st.CreatePage(context.Background(), defus.Actor{}, p); err != nil {
		t.Fatal(err)
	}
	must(t, ctx, chromedp.Navigate(base+"/"+slug), chromedp.WaitVisible(chromedp.CSS(`main img`)))
	if w := imageLoaded(t, ctx, "main img"); w != 120 {
		t.Errorf("embedded image natural width = %d, want 120", w)
	}
}
