package imaging

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"runtime"
	"testing"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/imaging/imagingtest"
)

// tinyWebP is a valid 1×1 lossless WebP file.
var tinyWebP = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")

var (
	drawn               = imagingtest.Drawn
	pngOf               = imagingtest.PNG
	jpegOf              = imagingtest.JPEG
	pngDeclaring        = imagingtest.PNGDeclaring
	webpVP8XDeclaring   = imagingtest.WebPDeclaring
	jpegWithWrongLength = imagingtest.JPEGWithWrongLength
)

var testBoxes = []defus.Box{{W: 80, H: 80}, {W: 160, H: 160}, {W: 720, H: 0}}

func process(t *testing.T, data []byte, contentType string) (*Result, error) {
	t.Helper()
	return NewProcessor(DefaultBudget).Process(context.Background(), data, contentType, testBoxes)
}

// TestRefusesBombsAndBrokenFiles: pictures declaring too many pixels are
// refused from their header, broken ones when they are decoded.
func TestRefusesBombsAndBrokenFiles(t *testing.T) {
	valid := pngOf(t, drawn(40, 30, false))
	for _, tc := range []struct {
		name, contentType string
		data              []byte
		tooLarge          *TooLargeError // nil: want ErrDamaged
	}{
		{"png declaring 50000×50000", "image/png", pngDeclaring(t, 50000, 50000), &TooLargeError{50000, 50000}},
		{"png declaring 20000×10", "image/png", pngDeclaring(t, 20000, 10), &TooLargeError{20000, 10}},
		{"webp declaring 16777216²", "image/webp", webpVP8XDeclaring(1<<24, 1<<24), &TooLargeError{1 << 24, 1 << 24}},
		{"png declaring 50×50 with 16×16 of data", "image/png", pngDeclaring(t, 50, 50), nil},
		{"truncated png", "image/png", valid[:len(valid)/2], nil},
		{"png without its end", "image/png", valid[:len(valid)-12], nil},
		{"jpeg with a wrong segment length", "image/jpeg", jpegWithWrongLength(t), nil},
		{"truncated jpeg", "image/jpeg", jpegOf(t, drawn(64, 48, false), 90)[:300], nil},
		{"webp header alone", "image/webp", webpVP8XDeclaring(100, 100), nil},
		{"png signature alone", "image/png", []byte("\x89PNG\r\n\x1a\nkaputt"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.contentType == "image/webp" && len(tc.data) != 30 {
				t.Fatalf("crafted WebP has %d bytes", len(tc.data))
			}
			res, err := process(t, tc.data, tc.contentType)
			if res != nil {
				t.Errorf("got a result: %+v", res)
			}
			var tl *TooLargeError
			switch {
			case tc.tooLarge != nil && (!errors.As(err, &tl) || *tl != *tc.tooLarge):
				t.Errorf("err = %v, want %v", err, tc.tooLarge)
			case tc.tooLarge == nil && !errors.Is(err, ErrDamaged):
				t.Errorf("err = %v, want ErrDamaged", err)
			}
		})
	}
}

// TestBombCostsNoMemory: refusing a picture that declares 2.5 billion
// pixels reads its header only.
func TestBombCostsNoMemory(t *testing.T) {
	bomb := pngDeclaring(t, 50000, 50000)
	p := NewProcessor(DefaultBudget)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := p.Process(context.Background(), bomb, "image/png", testBoxes)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("bomb accepted")
	}
	// Decoding it would take 10 GB; reading the header takes a few KB.
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", got)
	}
}

// TestVariantsOfAPictureWithAlpha: transparency survives as PNG, and the
// variants have the size Fit promises, never more than the picture's.
func TestVariantsOfAPictureWithAlpha(t *testing.T) {
	res, err := process(t, pngOf(t, drawn(300, 200, true)), "image/png")
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 300 || res.Height != 200 {
		t.Errorf("size %d×%d, want 300×200", res.Width, res.Height)
	}
	for i, want := range []image.Point{{80, 53}, {160, 107}, {300, 200}} {
		v := res.Variants[i]
		if v.Box != testBoxes[i] || v.ContentType != "image/png" || v.Width != want.X || v.Height != want.Y {
			t.Errorf("variant %d: box %v, %s, %d×%d; want %v, image/png, %v", i, v.Box, v.ContentType, v.Width, v.Height, testBoxes[i], want)
		}
		img, err := png.Decode(bytes.NewReader(v.Data))
		if err != nil {
			t.Fatalf("variant %d does not decode: %v", i, err)
		}
		if got := img.Bounds().Size(); got != want {
			t.Errorf("variant %d decodes to %v, want %v", i, got, want)
		}
		// Left opaque, right nearly transparent, as drawn.
		if _, _, _, a := img.At(0, want.Y/2).RGBA(); a < 0xf000 {
			t.Errorf("variant %d: left edge alpha %#x, want opaque", i, a)
		}
		if _, _, _, a := img.At(want.X-1, want.Y/2).RGBA(); a > 0x1000 {
			t.Errorf("variant %d: right edge alpha %#x, want transparent", i, a)
		}
	}
}

// TestVariantsOfAJPEG: an opaque picture gets JPEG variants; a picture
// smaller than a box keeps its size; colours survive scaling.
func TestVariantsOfAJPEG(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 1000, 400))
	for y := range 400 {
		for x := range 1000 {
			c := color.RGBA{R: 200, G: 30, B: 30, A: 255} // red left half
			if x >= 500 {
				c = color.RGBA{R: 30, G: 30, B: 200, A: 255} // blue right half
			}
			src.SetRGBA(x, y, c)
		}
	}
	res, err := process(t, jpegOf(t, src, 90), "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []image.Point{{80, 32}, {160, 64}, {720, 288}} {
		v := res.Variants[i]
		img, err := jpeg.Decode(bytes.NewReader(v.Data))
		if err != nil || v.ContentType != "image/jpeg" {
			t.Fatalf("variant %d: %s, %v", i, v.ContentType, err)
		}
		if got := img.Bounds().Size(); got != want || v.Width != want.X || v.Height != want.Y {
			t.Errorf("variant %d is %v (says %d×%d), want %v", i, got, v.Width, v.Height, want)
		}
		r, _, b, _ := img.At(want.X/4, want.Y/2).RGBA()
		r2, _, b2, _ := img.At(want.X*3/4, want.Y/2).RGBA()
		if r>>8 < 170 || b>>8 > 60 || b2>>8 < 170 || r2>>8 > 60 {
			t.Errorf("variant %d: colours %d/%d and %d/%d, want red then blue", i, r>>8, b>>8, r2>>8, b2>>8)
		}
	}
	if len(res.Variants[0].Data) >= len(res.Variants[2].Data) {
		t.Errorf("thumbnail has %d bytes, the 720 variant %d", len(res.Variants[0].Data), len(res.Variants[2].Data))
	}
}

func TestWebPDecodes(t *testing.T) {
	res, err := process(t, tinyWebP, "image/webp")
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 1 || res.Height != 1 || len(res.Variants) != len(testBoxes) || res.Variants[0].Width != 1 {
		t.Errorf("result %+v", res)
	}
}

// withOrientation puts an APP1 Exif segment with orientation o after the
// JPEG's start marker, as cameras write it.
func withOrientation(jpg []byte, o uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00")
	binary.BigEndian.PutUint16(tiff[18:], o)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(append(out, app1...), seg...)
	return append(out, jpg[2:]...)
}

// TestJPEGOrientation: a photo taken with the camera turned shows upright,
// as browsers show the original.
func TestJPEGOrientation(t *testing.T) {
	// 200×100, stored sideways: the top half of the shown picture (red) is
	// the file's left half.
	src := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for y := range 100 {
		for x := range 200 {
			c := color.RGBA{R: 220, G: 20, B: 20, A: 255}
			if x >= 100 {
				c = color.RGBA{R: 20, G: 20, B: 220, A: 255}
			}
			src.SetRGBA(x, y, c)
		}
	}
	jpg := withOrientation(jpegOf(t, src, 90), 8) // shown turned a quarter counter-clockwise
	if got := orientation(jpg, "image/jpeg"); got != 8 {
		t.Fatalf("orientation = %d, want 8", got)
	}
	res, err := process(t, jpg, "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 100 || res.Height != 200 {
		t.Errorf("shown size %d×%d, want 100×200", res.Width, res.Height)
	}
	v := res.Variants[1] // 160 box: 80×160
	img, err := jpeg.Decode(bytes.NewReader(v.Data))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != (image.Point{80, 160}) || v.Width != 80 || v.Height != 160 {
		t.Fatalf("variant %v (says %d×%d), want 80×160", got, v.Width, v.Height)
	}
	// Orientation 8: the file's left (red) is shown at the bottom.
	rTop, _, bTop, _ := img.At(40, 20).RGBA()
	rBottom, _, bBottom, _ := img.At(40, 140).RGBA()
	if rTop>>8 > 80 || bTop>>8 < 160 || rBottom>>8 < 160 || bBottom>>8 > 80 {
		t.Errorf("top %d/%d, bottom %d/%d: want blue above red", rTop>>8, bTop>>8, rBottom>>8, bBottom>>8)
	}
	if got := orientation(jpegOf(t, src, 90), "image/jpeg"); got != 1 {
		t.Errorf("orientation without EXIF = %d", got)
	}
}

// TestDecodesWaitForTheBudget: a picture is decoded only when its share of
// the memory budget is free.
func TestDecodesWaitForTheBudget(t *testing.T) {
	p := NewProcessor(64 << 20)
	data := pngOf(t, drawn(50, 50, false))
	if err := p.sem.Acquire(context.Background(), 64<<20); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Process(ctx, data, "image/png", testBoxes); !errors.Is(err, context.Canceled) {
		t.Errorf("with the budget taken: err = %v, want to wait until cancelled", err)
	}
	p.sem.Release(64 << 20)
	if _, err := p.Process(context.Background(), data, "image/png", testBoxes); err != nil {
		t.Errorf("with the budget free: %v", err)
	}
}

func TestWebPSize(t *testing.T) {
	// Headers of a lossy (VP8) and an extended (VP8X) WebP file, as the
	// container specification lays them out.
	vp8 := []byte("RIFF\x00\x00\x00\x00WEBPVP8 \x00\x00\x00\x00\x00\x00\x00\x9d\x01\x2a\x40\x01\xf0\x00")
	for _, tc := range []struct {
		name string
		data []byte
		w, h int
		ok   bool
	}{
		{"lossless", tinyWebP, 1, 1, true},
		{"lossy", vp8, 320, 240, true},
		{"extended", webpVP8XDeclaring(1024, 600), 1024, 600, true},
		{"extended at most", webpVP8XDeclaring(1<<24, 1<<24), 1 << 24, 1 << 24, true},
		{"short", []byte("RIFF\x00\x00\x00\x00WEBPVP8L"), 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, h, ok := webpSize(tc.data)
			if w != tc.w || h != tc.h || ok != tc.ok {
				t.Errorf("webpSize = %d×%d %v, want %d×%d %v", w, h, ok, tc.w, tc.h, tc.ok)
			}
		})
	}
}

// photo is a w×h picture like a photograph to a JPEG encoder: smooth
// areas with fine grain, so that it compresses as photos do.
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(3, 4))
	for y := range h {
		for x := range w {
			n := rng.IntN(48)
			img.SetRGBA(x, y, color.RGBA{R: uint8(x * 200 / w), G: uint8(80 + y*120/h + n), B: uint8((x + y) % 256 / 2), A: 255})
		}
	}
	return img
}

// BenchmarkUploadPhoto decodes a 12-megapixel photo of about 2 MB (the
// upload limit) and makes all variants the pages use, or only the list's
// thumbnail.
func BenchmarkUploadPhoto(b *testing.B) {
	data := jpegOf(b, photo(4000, 3000), 75)
	b.Logf("photo: 4000×3000, %d bytes", len(data))
	for _, bc := range []struct {
		name  string
		boxes []defus.Box
	}{
		{"thumbnail", []defus.Box{defus.BoxThumb}},
		{"all-variants", defus.ImageBoxes},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := NewProcessor(DefaultBudget)
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			var out int
			for b.Loop() {
				res, err := p.Process(context.Background(), data, "image/jpeg", bc.boxes)
				if err != nil {
					b.Fatal(err)
				}
				out = 0
				for _, v := range res.Variants {
					out += len(v.Data)
				}
			}
			b.ReportMetric(float64(out), "variant-bytes")
		})
	}
}

// TestIconsOfALogo: icons are square PNGs of the sizes asked for, the logo
// centred in them; a tab icon keeps transparency, a home-screen icon is on
// white with a margin.
func TestIconsOfALogo(t *testing.T) {
	res, err := NewProcessor(DefaultBudget).ProcessWithIcons(context.Background(), pngOf(t, drawn(300, 200, true)), "image/png",
		testBoxes, []int{32, 180})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Variants) != len(testBoxes) || len(res.Icons) != 2 {
		t.Fatalf("%d variants and %d icons, want %d and 2", len(res.Variants), len(res.Icons), len(testBoxes))
	}
	for i, size := range []int{32, 180} {
		ic := res.Icons[i]
		img, err := png.Decode(bytes.NewReader(ic.Data))
		if err != nil {
			t.Fatalf("icon %d does not decode as PNG: %v", size, err)
		}
		if ic.Size != size || img.Bounds().Dx() != size || img.Bounds().Dy() != size {
			t.Errorf("icon %d: size %d, decodes to %v", size, ic.Size, img.Bounds())
		}
		if ic.SHA256 == "" {
			t.Errorf("icon %d has no hash", size)
		}
	}
	tab, _ := png.Decode(bytes.NewReader(res.Icons[0].Data))
	// 300×200 fills the width: 32×21, centred from row 5; the left edge is drawn opaque.
	if _, _, _, a := tab.At(0, 0).RGBA(); a != 0 {
		t.Errorf("tab icon: top row alpha %#x, want transparent", a)
	}
	if _, _, _, a := tab.At(0, 16).RGBA(); a < 0xf000 {
		t.Errorf("tab icon: the logo's opaque left edge has alpha %#x", a)
	}
	home, _ := png.Decode(bytes.NewReader(res.Icons[1].Data))
	if r, g, b, a := home.At(0, 0).RGBA(); r != 0xffff || g != 0xffff || b != 0xffff || a != 0xffff {
		t.Errorf("home-screen icon corner %#x %#x %#x %#x, want opaque white", r, g, b, a)
	}
	if r, _, _, _ := home.At(20, 90).RGBA(); r == 0xffff {
		t.Error("home-screen icon: no logo inside the margin")
	}
}
