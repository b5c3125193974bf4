package imaging

import (
	"encoding/binary"
	"image"
)

// webpSize reads the canvas size from a WebP file's first chunk: VP8
// (lossy), VP8L (lossless) or VP8X (extended), as the WebP container
// specification (RFC 9649) lays them out.
func webpSize(d []byte) (width, height int, ok bool) {
	if len(d) < 30 || string(d[0:4]) != "RIFF" || string(d[8:12]) != "WEBP" {
		return 0, 0, false
	}
	switch string(d[12:16]) {
	case "VP8 ":
		// Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
		if d[23] != 0x9d || d[24] != 0x01 || d[25] != 0x2a {
			return 0, 0, false
		}
		width = int(binary.LittleEndian.Uint16(d[26:28]) & 0x3fff)
		height = int(binary.LittleEndian.Uint16(d[28:30]) & 0x3fff)
	case "VP8L":
		// Signature 0x2f, then width-1 and height-1 in 14 bits each.
		if d[20] != 0x2f {
			return 0, 0, false
		}
		bits := binary.LittleEndian.Uint32(d[21:25])
		width = int(bits&0x3fff) + 1
		height = int(bits>>14&0x3fff) + 1
	case "VP8X":
		// Flags (4 bytes), then canvas width-1 and height-1 in 24 bits each.
		width = int(uint32(d[24])|uint32(d[25])<<8|uint32(d[26])<<16) + 1
		height = int(uint32(d[27])|uint32(d[28])<<8|uint32(d[29])<<16) + 1
	default:
		return 0, 0, false
	}
	return width, height, width > 0 && height > 0
}

// orientation is the EXIF orientation (1–8) of a JPEG file, 1 when it has
// none. Browsers turn a JPEG as its EXIF says; the variants carry no EXIF,
// so they are turned when they are made.
func orientation(data []byte, contentType string) int {
	if contentType != "image/jpeg" || len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		return 1
	}
	// Walk the segments before the image data for APP1 "Exif".
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return 1
		}
		marker := data[i+1]
		if marker == 0xd8 || marker >= 0xd0 && marker <= 0xd7 || marker == 0x01 || marker == 0xff {
			i += 2 // markers without a length
			if marker == 0xff {
				i-- // fill byte
			}
			continue
		}
		if marker == 0xda || marker == 0xd9 { // start of scan, end of image
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2 : i+4]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xe1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return exifOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// exifOrientation reads tag 0x0112 from the first IFD of a TIFF structure.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:4]) != 42 {
		return 1
	}
	ifd := int(bo.Uint32(t[4:8]))
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	count := int(bo.Uint16(t[ifd : ifd+2]))
	for k := range count {
		e := ifd + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:e+2]) == 0x0112 && bo.Uint16(t[e+2:e+4]) == 3 { // SHORT
			if v := int(bo.Uint16(t[e+8 : e+10])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// orientImage turns and mirrors src as EXIF orientation o says, so that it
// shows as the camera held it.
func orientImage(src *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return src
	}
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	dw, dh := sw, sh
	if o >= 5 {
		dw, dh = sh, sw
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for dy := range dh {
		for dx := range dw {
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = sw-1-dx, dy
			case 3: // upside down
				sx, sy = sw-1-dx, sh-1-dy
			case 4: // mirrored upside down
				sx, sy = dx, sh-1-dy
			case 5: // mirrored along the diagonal
				sx, sy = dy, dx
			case 6: // turned a quarter clockwise to show
				sx, sy = dy, sh-1-dx
			case 7:
				sx, sy = sw-1-dy, sh-1-dx
			case 8: // turned a quarter counter-clockwise to show
				sx, sy = sw-1-dy, dx
			}
			copy(dst.Pix[dst.PixOffset(dx, dy):][:4], src.Pix[src.PixOffset(sx, sy):][:4])
		}
	}
	return dst
}
