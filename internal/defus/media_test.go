package defus

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
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
	} {
		if got := MediaFileName(tc.in, tc.ct); got != tc.want {
			t.Errorf("MediaFileName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
