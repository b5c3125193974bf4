package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAssociationLogoAsTheOfficeUsesIt uploads the association's logo
// through the file input of /admin/verein, finds it in the header of the
// public site instead of the "D", with the office's address in the footer,
// and removes it again; axe checks the form and a public page with the
// logo.
func TestAssociationLogoAsTheOfficeUsesIt(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := loggedIn(t, b, base)

	img := image.NewNRGBA(image.Rect(0, 0, 240, 80))
	for x := 20; x < 220; x++ {
		for y := 10; y < 70; y++ {
			img.Set(x, y, color.NRGBA{R: 11, G: 74, B: 111, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "Vereinslogo.png")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	must(t, ctx, chromedp.Navigate(base+"/admin/verein"), chromedp.WaitVisible(chromedp.CSS(`#association-logo`)))
	b.CheckA11y(t, ctx, "association form")
	must(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`#association-logo`), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/admin/verein"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if w := imageLoaded(t, ctx, ".site-header .brand img"); w == 0 {
		t.Error("the logo in the admin header did not load")
	}
	b.CheckA11y(t, ctx, "association form with a logo")

	must(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`.site-header .brand img`)))
	if w := imageLoaded(t, ctx, ".site-header .brand img"); w == 0 {
		t.Error("the logo in the public header did not load")
	}
	alt, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.site-header .brand img').alt`))
	if err != nil || alt != "Logo des DEFUS e.V." {
		t.Errorf("logo alt = %q, %v", alt, err)
	}
	// The logo fits the header: no taller than the "D" it replaces, plus its frame.
	h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('.site-header .brand img').getBoundingClientRect().height`))
	if err != nil || h <= 0 || h > 40 {
		t.Errorf("logo height %v px, want up to 40, %v", h, err)
	}
	footer, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`footer address`)))
	if err != nil || !strings.Contains(footer, "30159 Hannover") {
		t.Errorf("footer address = %q, %v", footer, err)
	}
	b.CheckA11y(t, ctx, "home page with the association's logo")
	// Removing it brings the "D" back.
	must(t, ctx, chromedp.Navigate(base+"/admin/verein"), chromedp.WaitVisible(chromedp.CSS(`#association-logo_remove`)),
		chromedp.Click(chromedp.CSS(`#association-logo_remove`)),
		chromedp.Click(chromedp.CSS(`form[action="/admin/verein"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	mark, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.site-header .brand-mark`)))
	if err != nil || mark != "D" {
		t.Errorf("brand mark after removing the logo = %q, %v", mark, err)
	}
}
