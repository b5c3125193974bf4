package defus

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
)

// Box is the space a page gives a picture, in pixels: the picture is scaled
// down to fit it, keeping its proportions, and never scaled up. H 0 means
// any height (pictures in a text column only have a width to keep to).
type Box struct{ W, H int }

// The boxes the pages show pictures in, each with its twice-as-large
// counterpart for screens with two device pixels per CSS pixel. They follow
// web/static/css/site.css: the media list's thumbnail column (80 px), the
// admin preview (480 px), .member-logo (max 12rem × 8rem at 16 px) and
// .prose, 70ch wide (about 700 px at 18 px).
var (
	BoxThumb     = Box{80, 80}
	BoxThumb2x   = Box{160, 160}
	BoxPreview   = Box{480, 480}
	BoxPreview2x = Box{960, 960}
	BoxLogo      = Box{192, 128}
	BoxLogo2x    = Box{384, 256}
	BoxContent   = Box{720, 0}
	BoxContent2x = Box{1440, 0}
)

// ImageBoxes are the boxes every uploaded picture gets a variant for.
var ImageBoxes = []Box{BoxContent2x, BoxPreview2x, BoxContent, BoxPreview, BoxLogo2x, BoxLogo, BoxThumb2x, BoxThumb}

// String is the box as it appears in a variant's address: "192x128", "720x0".
func (b Box) String() string { return strconv.Itoa(b.W) + "x" + strconv.Itoa(b.H) }

// ParseBox reads a box from an address; only the boxes in ImageBoxes are
// known, so an address cannot ask for variants of any size.
func ParseBox(s string) (Box, bool) {
	for _, b := range ImageBoxes {
		if b.String() == s {
			return b, true
		}
	}
	return Box{}, false
}

// Fit is the size of a w×h picture scaled down to fit b, keeping its
// proportions (rounded, at least 1 pixel); a picture that fits already
// keeps its size. Pages and the scaler both use it, so the width and height
// a page states are those of the variant it loads.
func Fit(w, h int, b Box) (int, int) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	if w <= b.W && (b.H == 0 || h <= b.H) {
		return w, h
	}
	// Width-bound when the box has no height or the picture is relatively
	// wider than the box: w/h >= W/H.
	if b.H == 0 || int64(w)*int64(b.H) >= int64(h)*int64(b.W) {
		return b.W, max(int((int64(h)*int64(b.W)+int64(w)/2)/int64(w)), 1)
	}
	return max(int((int64(w)*int64(b.H)+int64(h)/2)/int64(h)), 1), b.H
}

// MediaVariant is a picture scaled down to fit a box and encoded anew: PNG
// when the picture has transparent parts, JPEG otherwise. A variant carries
// no metadata of the upload (camera, place).
type MediaVariant struct {
	Box         Box
	ContentType string // image/png or image/jpeg
	Width       int
	Height      int
	SHA256      string
	Data        []byte
}

// NewMediaVariant makes a variant of encoded data and computes its hash.
func NewMediaVariant(b Box, contentType string, width, height int, data []byte) MediaVariant {
	sum := sha256.Sum256(data)
	return MediaVariant{Box: b, ContentType: contentType, Width: width, Height: height, SHA256: hex.EncodeToString(sum[:]), Data: data}
}

// VariantURL is the address of the picture's variant for box b. Like URL it
// never serves other bytes: a changed file is a new record, and other box
// sizes are other addresses.
func (m *Media) VariantURL(b Box) string {
	return "/medien/" + strconv.FormatInt(m.ID, 10) + "/" + b.String() + "/" + url.PathEscape(m.Name)
}

// VariantSize is the size of the picture's variant for box b. Without a
// known size (files stored before sizes were recorded) it is the box.
func (m *Media) VariantSize(b Box) (int, int) {
	if m.Width <= 0 || m.Height <= 0 {
		return b.W, max(b.H, b.W)
	}
	return Fit(m.Width, m.Height, b)
}
