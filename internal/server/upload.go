package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"defus.de/portal/internal/defus"
)

// A picture chosen in a form that is about something else (the
// association's record with its logo): the form is sent as
// multipart/form-data, and its route has pictureFormLimit in routes.go's
// bodyLimits, so rejectBadBytes parses it in memory and checks its text
// fields and the file's name like any form's. Its text fields then read
// with formText as usual, and formPicture reads the picture. The file
// goes through the media library's checks and decoding (decodePicture).

// pictureFormLimit is the body limit of a form with a picture. A picture
// over defus.MaxImageBytes is a field error, with everything typed kept;
// the limit leaves room for one up to four times that, so only a far
// larger file gets the bare 413 page.
const pictureFormLimit = 4*defus.MaxImageBytes + 1<<20

// formPicture reads the picture chosen in field of a parsed multipart form
// and makes the media record to store, with its variants and the icons of
// iconSizes (none: nil). It returns a nil record when no file was chosen,
// and a German message for the field when the file is no picture the
// portal takes. The error is a failure to read the parsed form, or the
// request ending while the picture waited to be decoded.
func (s *Server) formPicture(r *http.Request, field, altText string, iconSizes []int) (*defus.Media, string, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return nil, "", nil
	}
	fh := r.MultipartForm.File[field][0]
	if fh.Filename == "" && fh.Size == 0 {
		return nil, "", nil // a file input left empty
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", fmt.Errorf("open %s: %w", field, err)
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, "", fmt.Errorf("read %s: %w", field, err)
	}
	head = head[:n]
	contentType, msg := defus.CheckMediaFile(head, fh.Size)
	if msg != "" {
		return nil, msg, nil
	}
	m := &defus.Media{Name: defus.MediaFileName(fh.Filename, contentType), ContentType: contentType, AltText: altText}
	if !m.IsImage() {
		return nil, "Bitte wählen Sie ein Bild (PNG, JPEG oder WebP); ein PDF-Dokument kann hier nicht gezeigt werden.", nil
	}
	if m.Data, err = io.ReadAll(io.MultiReader(bytes.NewReader(head), f)); err != nil {
		return nil, "", fmt.Errorf("read %s: %w", field, err)
	}
	if msg, err := s.decodePicture(r.Context(), m, iconSizes); msg != "" || err != nil {
		return nil, msg, err
	}
	return m, "", nil
}

// decodePicture decodes the picture m carries within imaging's limits and
// fills its size, its variants and the icons of iconSizes. A picture that
// does not decode, or is too large in pixels, gets a German message for
// its field; the error is ctx ending while it waited to decode.
func (s *Server) decodePicture(ctx context.Context, m *defus.Media, iconSizes []int) (string, error) {
	res, err := s.images.ProcessWithIcons(ctx, m.Data, m.ContentType, defus.ImageBoxes, iconSizes)
	if msg := imageProblem(err); msg != "" {
		return msg, nil
	}
	if err != nil {
		return "", err
	}
	m.Width, m.Height, m.Variants, m.Icons = res.Width, res.Height, res.Variants, res.Icons
	return "", nil
}
