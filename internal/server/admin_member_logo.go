package server

import (
	"io"
	"net/http"
	"strconv"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/geomap"
	"defus.de/portal/web/view"
)

// memberFormBodyLimit is the most the member form may carry: it takes a
// logo upload. It is the media library's limit, so that a photo straight
// from a camera (a few MB, more than a logo may have) is still read and
// answered with a message at the file field, everything typed kept, rather
// than with an error page.
const memberFormBodyLimit = uploadBodyLimit

// memberLogoUpload reads the picture chosen in the member form's file field
// "logo_file", if any, and checks it as the media library checks uploads
// (type from the content, size, decoding within imaging's limits). It
// returns the file's name as chosen ("" when none was), the picture to
// store as m's logo, or a German message for the field. The error is the
// request's context ending while the picture waited to be decoded.
//
// rejectBadBytes has parsed the multipart form within memberFormBodyLimit
// and checked the file's name.
func (s *Server) memberLogoUpload(r *http.Request, m *defus.Member) (chosen string, logo *defus.Media, msg string, err error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["logo_file"]) == 0 {
		return "", nil, "", nil
	}
	fh := r.MultipartForm.File["logo_file"][0]
	if fh.Filename == "" && fh.Size == 0 {
		return "", nil, "", nil // the browser sends an empty part when no file was chosen
	}
	f, err := fh.Open()
	if err != nil {
		return fh.Filename, nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return fh.Filename, nil, "", err
	}
	head := data[:min(len(data), sniffLen)]
	logo = &defus.Media{AltText: "Logo von " + m.ShortName}
	if int64(len(data)) > int64(defus.MaxImageBytes) {
		data = nil // over every picture's limit: checkFile refuses it by its size
	}
	msg, err = s.checkFile(r.Context(), logo, head, data, fh.Size)
	if err != nil || msg != "" {
		return fh.Filename, nil, msg, err
	}
	if !logo.IsImage() {
		return fh.Filename, nil, "Ein Logo muss ein Bild sein (PNG, JPEG oder WebP). PDF-Dokumente laden Sie unter „Medien“ hoch.", nil
	}
	logo.Name = defus.MediaFileName("logo-"+m.Slug, logo.ContentType)
	for _, msg := range logo.Validate() {
		return fh.Filename, nil, msg, nil
	}
	return fh.Filename, logo, "", nil
}

// locationMap is the map of Germany in the member form, with the marker at
// lat and lon when both are given and lie in Germany.
func (s *Server) locationMap(lat, lon *float64) view.LocationMap {
	inv := s.germany.Inverse()
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	mp := view.LocationMap{ViewBox: s.germany.ViewBox(), Outline: s.germany.Path,
		Lon0: num(inv.Lon0), LonPerX: num(inv.LonPerX), Lat0: num(inv.Lat0), LatPerY: num(inv.LatPerY)}
	if lat != nil && lon != nil && *lat >= defus.MinLat && *lat <= defus.MaxLat && *lon >= defus.MinLon && *lon <= defus.MaxLon {
		p := s.germany.Project(*lat, *lon)
		mp.MarkerX, mp.MarkerY = geomap.Num(p.X), geomap.Num(p.Y)
	}
	return mp
}
