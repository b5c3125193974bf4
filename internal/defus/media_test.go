package defus

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

// tinyWebP is a valid 1×1 lossless WebP file.
var tinyWebP = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")

func encoded(t *testing.T, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 11, G: 74, B: 111, A: 255})
	var buf bytes.Buffer
	if err := enc(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDetectMediaType(t *testing.T) {
	pngFile := encoded(t, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) })
	jpegFile := encoded(t, func(b *bytes.Buffer, i image.Image) error { return jpeg.Encode(b, i, nil) })
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"png", pngFile, "image/png"},
		{"jpeg", jpegFile, "image/jpeg"},
		{"webp", tinyWebP, "image/webp"},
		{"pdf", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), "application/pdf"},
		{"exe renamed to png", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), ""},
		{"html", []byte("<!DOCTYPE html><script>alert(1)</script>"), ""},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), ""},
		{"empty", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := DetectMediaType(tc.data)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("DetectMediaType = %q, %v; want %q", got, ok, tc.want)
			}
		})
	}
}

func TestMediaFileName(t *testing.T) {
	for _, tc := range []struct{ in, ct, want string }{
		{"Logo Köln.PNG", "image/png", "logo-koeln.png"},
		{`C:\Users\x\Jahresbericht 2025.pdf`, "application/pdf", "jahresbericht-2025.pdf"},
		{"../../etc/passwd", "application/pdf", "passwd.pdf"},
		{"virus.exe.png", "image/jpeg", "virus-exe.jpg"},
		{"\x00\x01.png", "image/png", "datei.png"},
		{"Bericht 2.0", "application/pdf", "bericht-2-0.pdf"},
		{"logo.webp", "image/png", "logo.png"},
	} {
		if got := MediaFileName(tc.in, tc.ct); got != tc.want {
			t.Errorf("MediaFileName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCheckMediaFile(t *testing.T) {
	pngFile := encoded(t, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) })
	for _, tc := range []struct {
		name     string
		head     []byte
		size     int64
		wantType string
		wantMsg  string // part of the message; "" for none
	}{
		{"png", pngFile, int64(len(pngFile)), "image/png", ""},
		{"png at the limit", pngFile, MaxImageBytes, "image/png", ""},
		{"png over the limit", pngFile, 5 << 19, "image/png", "Bilder dürfen höchstens 2 MB groß sein; diese Datei hat 2,5 MB."},
		{"pdf of 9 MB", []byte("%PDF-1.7\n"), 9 << 20, "application/pdf", ""},
		{"pdf over 10 MB", []byte("%PDF-1.7\n"), 10<<20 + 1, "application/pdf", "PDF-Dokumente dürfen höchstens 10 MB groß sein"},
		{"empty", nil, 0, "", "leer"},
		{"svg", []byte("\xef\xbb\xbf <?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), 80, "", "SVG-Grafiken werden nicht angenommen"},
		{"exe", []byte("MZ\x90\x00"), 4, "", "Diese Datei ist kein PNG-, JPEG- oder WebP-Bild und kein PDF."},
		{"html", []byte("<html><body>x</body></html>"), 27, "", "kein PNG-, JPEG- oder WebP-Bild"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, msg := CheckMediaFile(tc.head, tc.size)
			if ct != tc.wantType || (tc.wantMsg == "") != (msg == "") || !strings.Contains(msg, tc.wantMsg) {
				t.Errorf("CheckMediaFile = %q, %q; want %q, %q", ct, msg, tc.wantType, tc.wantMsg)
			}
		})
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{
		1: "1 Byte", 512: "512 Byte", 1024: "1 KB", 358_400: "350 KB", 1_022_000: "998 KB", 1_023_000: "999 KB", 1_023_500: "1 MB",
		1_258_291: "1,2 MB", 2 << 20: "2 MB", 5 << 19: "2,5 MB", 10 << 20: "10 MB",
	} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestMediaValidate(t *testing.T) {
	img := Media{ContentType: "image/png"}
	if errs := img.Validate(); !errs.Has("alt_text") {
		t.Error("an image without alternative text passes")
	}
	doc := Media{ContentType: "application/pdf"}
	if errs := doc.Validate(); errs.Any() {
		t.Errorf("a PDF without title fails: %v", errs)
	}
	doc.AltText = strings.Repeat("x", MaxAltTextLen+1)
	if errs := doc.Validate(); !strings.Contains(errs["alt_text"], "Der Titel darf höchstens 300 Zeichen") {
		t.Errorf("long title: %v", errs)
	}
}
