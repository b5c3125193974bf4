// Package imagingtest makes pictures for tests: valid ones drawn in code,
// and crafted ones that lie about their size or are broken, as an attacker
// or a failed transfer would send them.
package imagingtest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Drawn is a w×h gradient; with alpha it fades to transparent on the right.
func Drawn(w, h int, alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if alpha {
				a = uint8(255 - 255*x/w)
			}
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x * 255 / w), G: 74, B: uint8(y * 255 / h), A: a})
		}
	}
	return img
}

// PNG encodes img as PNG.
func PNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// JPEG encodes img as JPEG of quality.
func JPEG(tb testing.TB, img image.Image, quality int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// PNGDeclaring is a small, valid PNG whose IHDR is patched to declare w×h
// pixels, with the chunk's CRC made right again: only the size lies.
func PNGDeclaring(tb testing.TB, w, h uint32) []byte {
	tb.Helper()
	b := PNG(tb, Drawn(16, 16, false))
	// Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4),
	// 5 more bytes of data, then the CRC of type and data.
	if string(b[12:16]) != "IHDR" {
		tb.Fatalf("no IHDR at 12: %q", b[12:16])
	}
	binary.BigEndian.PutUint32(b[16:20], w)
	binary.BigEndian.PutUint32(b[20:24], h)
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// WebPDeclaring is a 30-byte WebP: the RIFF header and a VP8X chunk whose
// canvas is w×h (each 1 to 2²⁴), and no picture data.
func WebPDeclaring(w, h uint32) []byte {
	b := []byte("RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00")
	w, h = w-1, h-1
	return append(b, byte(w), byte(w>>8), byte(w>>16), byte(h), byte(h>>8), byte(h>>16))
}

// TruncatedPNG is a valid PNG cut off in its image data.
func TruncatedPNG(tb testing.TB) []byte {
	tb.Helper()
	b := PNG(tb, Drawn(64, 48, false))
	return b[:len(b)/2]
}

// JPEGWithWrongLength is a valid JPEG whose first quantisation table
// segment claims more bytes than it has.
func JPEGWithWrongLength(tb testing.TB) []byte {
	tb.Helper()
	b := JPEG(tb, Drawn(64, 48, false), 90)
	i := bytes.Index(b, []byte{0xff, 0xdb})
	if i < 0 {
		tb.Fatal("no DQT segment")
	}
	binary.BigEndian.PutUint16(b[i+2:], binary.BigEndian.Uint16(b[i+2:])+7)
	return b
}
