// Package imaging decodes uploaded pictures within limits and makes the
// scaled-down variants that pages show.
//
// An upload is never trusted: its header is read first and a picture over
// MaxPixels or MaxSide is refused before a single pixel is decoded, so an
// image bomb (a few bytes declaring billions of pixels) costs no memory.
// Then the whole picture is decoded, so a truncated or damaged file is
// refused too. Decoding is the only step whose memory grows with the
// picture; a Processor lets only as many run at once as fit its budget.
package imaging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"slices"
	"sort"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
	"golang.org/x/sync/semaphore"

	"defus.de/portal/internal/defus"
)

// Limits of a picture that is decoded at all.
const (
	MaxPixels = 40_000_000 // a 40-megapixel camera picture; a logo or photo for the web needs far less
	MaxSide   = 16_384     // the most a WebP can have, and plenty for a panorama
)

// JPEGQuality is the quality of JPEG variants: at 82 photos show no visible
// artefacts at the sizes pages use, at about a third of the bytes of 95.
const JPEGQuality = 82

// TooLargeError is a picture over MaxPixels or MaxSide, as its header
// declares it; nothing of it was decoded.
type TooLargeError struct{ Width, Height int }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("imaging: picture of %d×%d pixels is over the limit", e.Width, e.Height)
}

// Pixels is the picture's declared number of pixels.
func (e *TooLargeError) Pixels() int64 { return int64(e.Width) * int64(e.Height) }

// ErrDamaged is a file that does not decode to a whole picture: damaged,
// truncated, or of a kind the decoders do not read (an animated WebP).
var ErrDamaged = errors.New("imaging: damaged or incomplete picture")

// Result is an uploaded picture as decoded: its size as it is shown (after
// the JPEG's EXIF orientation), its variants, one per box asked for, and
// its icons, one per size asked for (ProcessWithIcons).
type Result struct {
	Width, Height int
	Variants      []defus.MediaVariant
	Icons         []defus.MediaIcon
}

// Processor decodes pictures and makes their variants, holding a share of a
// memory budget while it does: a picture's share is an estimate of the
// bytes its decoded pixels and the scaling take, so several small pictures
// are decoded at once and a large one alone. Parallel uploads then wait for
// each other instead of exhausting memory.
type Processor struct {
	sem    *semaphore.Weighted
	budget int64
}

// DefaultBudget lets the largest picture allowed, with 8-bit RGBA pixels,
// be decoded on its own (about 256 MB); four 12-megapixel photos fit at once.
const DefaultBudget = MaxPixels*6 + scratchBytes

// NewProcessor makes a processor with a memory budget in bytes.
func NewProcessor(budget int64) *Processor {
	return &Processor{sem: semaphore.NewWeighted(budget), budget: budget}
}

// Process checks the picture in data (of contentType, as told from its
// content), decodes it and makes a variant for each box. It waits for its
// share of the budget as long as ctx lets it. Errors are *TooLargeError,
// ErrDamaged, or ctx's error.
func (p *Processor) Process(ctx context.Context, data []byte, contentType string, boxes []defus.Box) (*Result, error) {
	return p.ProcessWithIcons(ctx, data, contentType, boxes, nil)
}

// ProcessWithIcons is Process, and also makes a square PNG icon of each
// size in iconSizes from the same decode (see makeIcons): a logo that is
// also the site's icon.
func (p *Processor) ProcessWithIcons(ctx context.Context, data []byte, contentType string, boxes []defus.Box, iconSizes []int) (*Result, error) {
	cfg, err := checkConfig(data, contentType)
	if err != nil {
		return nil, err
	}
	weight := min(estimateBytes(cfg), p.budget)
	if err := p.sem.Acquire(ctx, weight); err != nil {
		return nil, err
	}
	defer p.sem.Release(weight)
	img, err := decode(data, contentType, cfg)
	if err != nil {
		return nil, err
	}
	orient := orientation(data, contentType)
	res, err := makeVariants(img, orient, boxes)
	if err != nil || len(iconSizes) == 0 {
		return res, err
	}
	if res.Icons, err = makeIcons(img, orient, iconSizes); err != nil {
		return nil, err
	}
	return res, nil
}

// codecs are the decoders of the picture types the portal takes, called
// by type (found in the content) rather than through image.Decode's
// registry, which would take any format some import registered.
var codecs = map[string]struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}{
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

// checkConfig reads the picture's header and refuses what is over the
// limits or unreadable, before anything is decoded.
func checkConfig(data []byte, contentType string) (image.Config, error) {
	if contentType == "image/webp" {
		// x/image/webp refuses a canvas over 2³¹ pixels as invalid; the
		// header says how large it claims to be, which is the better message.
		if w, h, ok := webpSize(data); ok && !withinLimits(w, h) {
			return image.Config{}, &TooLargeError{w, h}
		}
	}
	codec, ok := codecs[contentType]
	if !ok {
		return image.Config{}, fmt.Errorf("%w: %s is no picture type", ErrDamaged, contentType)
	}
	cfg, err := codec.config(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return cfg, fmt.Errorf("%w: header: %v", ErrDamaged, err)
	}
	if !withinLimits(cfg.Width, cfg.Height) {
		return cfg, &TooLargeError{cfg.Width, cfg.Height}
	}
	return cfg, nil
}

func withinLimits(w, h int) bool {
	return w <= MaxSide && h <= MaxSide && int64(w)*int64(h) <= MaxPixels
}

// scratchBytes is what scaling needs besides the pyramid: CatmullRom's
// temporary rows (see scalerFor) and the encoder's buffers.
const scratchBytes = 16 << 20

// estimateBytes is about what decoding and scaling a picture of cfg take:
// its pixels as the decoder stores them, plus the halved copies (a quarter,
// a sixteenth, … of 4 bytes a pixel) and the scaler's scratch space.
func estimateBytes(cfg image.Config) int64 {
	px := int64(cfg.Width) * int64(cfg.Height)
	var perPixel int64
	switch cfg.ColorModel {
	case color.GrayModel, color.AlphaModel:
		perPixel = 1
	case color.YCbCrModel: // JPEG: 1.5 bytes at 4:2:0, 3 at 4:4:4
		perPixel = 3
	case color.Gray16Model:
		perPixel = 2
	case color.RGBA64Model, color.NRGBA64Model:
		perPixel = 8
	default: // RGBA, NRGBA, CMYK, NYCbCrA, paletted
		perPixel = 4
	}
	return px*(perPixel+2) + scratchBytes
}

// decode decodes the whole picture; any error, also a truncated file,
// is ErrDamaged.
func decode(data []byte, contentType string, cfg image.Config) (image.Image, error) {
	img, err := codecs[contentType].decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, fmt.Errorf("%w: decoded %v, header says %d×%d", ErrDamaged, b, cfg.Width, cfg.Height)
	}
	return img, nil
}

// makeVariants scales img into each box and encodes the result. Each
// variant is made from a copy halved as often as it stays at least as
// large as the variant (a pyramid, largest variant first): halving with
// ApproxBiLinear at exactly 2:1 averages each 2×2 block, which is cheap,
// needs no scratch memory and loses no detail to aliasing. What is left
// is a reduction by less than 2, done with CatmullRom, the sharpest of
// x/image/draw's kernels, where its scratch rows stay small (thumbnails,
// logos); for large variants its scratch would take dw×sh×32 bytes (up to
// 100 MB for a 1440-pixel variant) and ApproxBiLinear does it instead,
// which after the halving differs from CatmullRom only in a little
// softness.
func makeVariants(img image.Image, orient int, boxes []defus.Box) (*Result, error) {
	b := img.Bounds()
	res := &Result{Width: b.Dx(), Height: b.Dy()}
	if orient >= 5 { // turned by a quarter: shown with width and height swapped
		res.Width, res.Height = res.Height, res.Width
	}
	opaque := isOpaque(img)

	// Largest first, so that each variant can start from the pyramid
	// level the previous one left.
	order := make([]int, len(boxes))
	for i := range order {
		order[i] = i
	}
	size := func(i int) int {
		w, h := defus.Fit(res.Width, res.Height, boxes[i])
		return w * h
	}
	sort.SliceStable(order, func(a, b int) bool { return size(order[a]) > size(order[b]) })

	res.Variants = make([]defus.MediaVariant, len(boxes))
	cur := img
	for _, i := range order {
		tw, th := defus.Fit(res.Width, res.Height, boxes[i])
		var out *image.RGBA
		out, cur = scaleShown(cur, tw, th, orient)
		data, ct, err := encode(out, opaque)
		if err != nil {
			return nil, err
		}
		res.Variants[i] = defus.NewMediaVariant(boxes[i], ct, tw, th, data)
	}
	return res, nil
}

// scaleShown scales cur, a picture (or a halved copy of it) in the file's
// own orientation, to be tw×th as shown after orientation orient, and
// turns it so. It returns the result and the last halved copy (see shrink).
func scaleShown(cur image.Image, tw, th, orient int) (*image.RGBA, image.Image) {
	rw, rh := tw, th // in the file's own orientation
	if orient >= 5 {
		rw, rh = th, tw
	}
	dst, cur := shrink(cur, rw, rh)
	return orientImage(dst, orient), cur
}

// shrink scales cur to rw×rh. It halves cur as often as it stays at
// least that large and scales the rest (see makeVariants); it returns the
// result and the last halved copy, from which a smaller size can start.
func shrink(cur image.Image, rw, rh int) (*image.RGBA, image.Image) {
	for cb := cur.Bounds(); cb.Dx()/2 >= rw && cb.Dy()/2 >= rh; cb = cur.Bounds() {
		half := image.NewRGBA(image.Rect(0, 0, cb.Dx()/2, cb.Dy()/2))
		draw.ApproxBiLinear.Scale(half, half.Bounds(), cur, cb, draw.Src, nil)
		cur = half
	}
	dst := image.NewRGBA(image.Rect(0, 0, rw, rh))
	if cb := cur.Bounds(); cb.Dx() == rw && cb.Dy() == rh {
		draw.Draw(dst, dst.Bounds(), cur, cb.Min, draw.Src)
	} else {
		scalerFor(rw, cb.Dy()).Scale(dst, dst.Bounds(), cur, cb, draw.Src, nil)
	}
	return dst, cur
}

// homeScreenIcon is the smallest icon size that is for a home screen
// rather than a browser tab: iOS shows transparency there as black, so
// such an icon is drawn on white, with a margin of a tenth around the logo
// so that the rounded corners iOS cuts do not touch it.
const homeScreenIcon = 120

// makeIcons makes a square PNG icon of each size: the picture scaled, up
// or down, to fill the square in its longer side and centred, the rest
// transparent (a tab icon) or white (a home-screen icon, see
// homeScreenIcon). Largest first, like makeVariants.
func makeIcons(img image.Image, orient int, sizes []int) ([]defus.MediaIcon, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if orient >= 5 {
		w, h = h, w
	}
	order := slices.Clone(sizes)
	slices.Sort(order)
	slices.Reverse(order)
	made := map[int]defus.MediaIcon{}
	cur := img
	for _, size := range order {
		inner := size
		if size >= homeScreenIcon {
			inner = size - 2*(size/10)
		}
		tw, th := inner, max(1, (h*inner+w/2)/w) // fill the square's width
		if h > w {
			tw, th = max(1, (w*inner+h/2)/h), inner
		}
		var logo *image.RGBA
		logo, cur = scaleShown(cur, tw, th, orient)
		icon := image.NewRGBA(image.Rect(0, 0, size, size))
		if size >= homeScreenIcon {
			draw.Draw(icon, icon.Bounds(), image.White, image.Point{}, draw.Src)
		}
		at := image.Pt((size-tw)/2, (size-th)/2)
		draw.Draw(icon, image.Rectangle{Min: at, Max: at.Add(logo.Bounds().Size())}, logo, logo.Bounds().Min, draw.Over)
		var buf bytes.Buffer
		if err := png.Encode(&buf, icon); err != nil {
			return nil, fmt.Errorf("encode icon: %w", err)
		}
		made[size] = defus.NewMediaIcon(size, buf.Bytes())
	}
	icons := make([]defus.MediaIcon, len(sizes))
	for i, size := range sizes {
		icons[i] = made[size]
	}
	return icons, nil
}

// scalerFor picks the kernel for scaling sh source rows to dw columns:
// CatmullRom while its scratch buffer (dw×sh of four float64) stays within
// scratchBytes, ApproxBiLinear beyond.
func scalerFor(dw, sh int) draw.Scaler {
	if int64(dw)*int64(sh)*32 <= scratchBytes {
		return draw.CatmullRom
	}
	return draw.ApproxBiLinear
}

// isOpaque reports whether no pixel of img is (partly) transparent.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}

// encode writes a variant: JPEG for an opaque picture (photos shrink to a
// fraction), PNG where transparency must survive.
func encode(img *image.RGBA, opaque bool) (data []byte, contentType string, err error) {
	var buf bytes.Buffer
	if opaque {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality})
		contentType = "image/jpeg"
	} else {
		err = png.Encode(&buf, img)
		contentType = "image/png"
	}
	if err != nil {
		return nil, "", fmt.Errorf("encode variant: %w", err)
	}
	return buf.Bytes(), contentType, nil
}
