package defus

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// The association's logo is also the site's icon: square PNGs made from it
// at the sizes browsers ask for. Without a logo the site keeps its SVG icon.
const (
	IconFavicon    = 32  // the tab's icon (rel="icon")
	IconAppleTouch = 180 // a home-screen bookmark on iOS (rel="apple-touch-icon")
)

// IconSizes are the icons made of a logo when it is uploaded.
var IconSizes = []int{IconFavicon, IconAppleTouch}

// IconFile is the file name of the icon of a size in its address.
func IconFile(size int) string {
	if size == IconAppleTouch {
		return "apple-touch-icon.png"
	}
	return "icon-" + strconv.Itoa(size) + ".png"
}

// IconSize reads the size from an icon's file name; ok is false for any
// name IconFile does not make.
func IconSize(file string) (size int, ok bool) {
	for _, s := range IconSizes {
		if IconFile(s) == file {
			return s, true
		}
	}
	return 0, false
}

// IconURL is the address of the picture's icon of a size. It names the
// picture, whose bytes never change, so it changes with the logo and may
// be cached for long.
func (m *Media) IconURL(size int) string {
	return "/favicon/" + strconv.FormatInt(m.ID, 10) + "/" + IconFile(size)
}

// MediaIcon is a square PNG icon made from a picture.
type MediaIcon struct {
	Size   int
	SHA256 string
	Data   []byte
}

// NewMediaIcon makes an icon of PNG data and computes its hash.
func NewMediaIcon(size int, data []byte) MediaIcon {
	sum := sha256.Sum256(data)
	return MediaIcon{Size: size, SHA256: hex.EncodeToString(sum[:]), Data: data}
}

// LogoAlt is the alternative text of the association's logo, made from its
// record: "Logo des DEFUS e.V.".
func (a *Association) LogoAlt() string {
	name := a.ShortName
	if name == "" {
		name = a.Name
	}
	if strings.HasSuffix(a.Name, " e.V.") && !strings.HasSuffix(name, " e.V.") {
		name += " e.V."
	}
	return "Logo des " + name
}
