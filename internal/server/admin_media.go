package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/imaging"
	"defus.de/portal/web/view"
)

// uploadBodyLimit is the most an upload request may carry: the largest file
// the portal takes (a PDF of defus.MaxDocumentBytes) and room for the form
// around it. The global body limit skips the upload route, which enforces
// this one itself (see handleAdminMediaCreate).
const uploadBodyLimit = defus.MaxDocumentBytes + 1<<20

// Limits of the upload form's text fields.
const (
	maxMediaNameLen = 200
	maxTextPartLen  = 16 << 10 // bytes read of one text field; more is cut off and then too long
	sniffLen        = 1024     // bytes of a file looked at to tell its type
)

// readMediaFilter reads ?q=, ?art= and ?seite= of the media library.
func readMediaFilter(r *http.Request) (defus.MediaFilter, int) {
	lf, page := readListFilter(r)
	f := defus.MediaFilter{Query: lf.Query, Limit: lf.Limit, Offset: lf.Offset}
	switch r.URL.Query().Get("art") {
	case "bilder":
		f.Kind = defus.MediaImages
	case "dokumente":
		f.Kind = defus.MediaDocuments
	}
	return f, page
}

// GET /admin/medien
func (s *Server) handleAdminMediaIndex(w http.ResponseWriter, r *http.Request) {
	f, page := readMediaFilter(r)
	files, total, err := s.store.FindMediaList(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.MediaIndexData{
		Query:   f.Query,
		Kind:    map[string]string{defus.MediaImages: "bilder", defus.MediaDocuments: "dokumente"}[f.Kind],
		Total:   total,
		Files:   files,
		Paging:  paging(r, page, total),
		BaseURL: s.cfg.BaseURLString(),
	}
	s.render(w, r, http.StatusOK, view.AdminMediaIndex(s.adminMeta(r, "Medien"), d))
}

// mediaUpload is what the upload form sent. The file's content is kept only
// when its type is one the portal takes and it is within that type's limit.
type mediaUpload struct {
	chosen   bool   // the form carried a file
	fileName string // as the browser named it
	head     []byte // the first sniffLen bytes
	data     []byte // the whole file, or nil (see above)
	size     int64  // bytes sent
	altText  string
	name     string
}

// readMediaUpload streams the multipart form: text fields are read up to
// maxTextPartLen, the file up to the limit of its type, which is told from
// its first bytes. So at most one copy of an allowed file is held in memory,
// and what is too large is counted, not kept.
func readMediaUpload(r *http.Request) (*mediaUpload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	var u mediaUpload
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return &u, nil
		}
		if err != nil {
			return nil, err
		}
		switch p.FormName() {
		case "file":
			if u.chosen {
				break // one file per upload; further ones are drained below
			}
			u.fileName = p.FileName()
			if !validFileName(u.fileName) {
				return nil, errFormBytes
			}
			if err := u.readFile(p, r.ContentLength); err != nil {
				return nil, err
			}
			u.chosen = u.fileName != "" || u.size > 0
		case "alt_text", "name":
			b, err := io.ReadAll(io.LimitReader(p, maxTextPartLen))
			if err != nil {
				return nil, err
			}
			if !validFormValue(string(b)) {
				return nil, errFormBytes // as rejectBadBytes does for other forms
			}
			v := strings.TrimSpace(strings.ReplaceAll(string(b), "\r\n", "\n"))
			if p.FormName() == "alt_text" {
				u.altText = v
			} else {
				u.name = v
			}
		}
		if _, err := io.Copy(io.Discard, p); err != nil {
			return nil, err
		}
	}
}

// readFile reads a file part; sizeHint is the request's declared length.
func (u *mediaUpload) readFile(p io.Reader, sizeHint int64) error {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(p, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	u.head = head[:n]
	u.size = int64(n)
	contentType, ok := defus.DetectMediaType(u.head)
	if !ok {
		return nil // refused by its type; the rest is drained
	}
	limit := int64(defus.MaxBytesFor(contentType))
	buf := bytes.NewBuffer(make([]byte, 0, min(limit+1, max(sizeHint, sniffLen))))
	buf.Write(u.head)
	copied, err := io.Copy(buf, io.LimitReader(p, limit+1-int64(n)))
	u.size += copied
	if err != nil {
		return err
	}
	rest, err := io.Copy(io.Discard, p)
	u.size += rest
	if err != nil {
		return err
	}
	if u.size <= limit {
		u.data = buf.Bytes()
	}
	return nil
}

// uploadTooLarge answers an upload over uploadBodyLimit. The connection is
// closed, so the rest of the body is never read.
func (s *Server) uploadTooLarge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	s.adminErrorPage(w, r, http.StatusRequestEntityTooLarge, view.ErrorData{Title: "Datei zu groß",
		Text: "Die gesendete Datei ist zu groß und wurde nicht angenommen. Bilder dürfen höchstens " +
			defus.FormatBytes(defus.MaxImageBytes) + " groß sein, PDF-Dokumente höchstens " +
			defus.FormatBytes(defus.MaxDocumentBytes) + ". Bitte verkleinern Sie die Datei und laden Sie sie unter „Medien“ erneut hoch."})
}

// renderMediaUpload shows the upload form with what was typed and errors.
func (s *Server) renderMediaUpload(w http.ResponseWriter, r *http.Request, status int, u *mediaUpload, errs defus.FieldErrors) {
	d := view.MediaUploadData{Form: view.Form[view.MediaForm]{Values: view.MediaForm{Media: defus.Media{AltText: u.altText}, FileName: u.name}, Errors: errs}}
	s.render(w, r, status, view.AdminMediaUpload(s.adminMeta(r, "Datei hochladen"), d))
}

// GET /admin/medien/neu
func (s *Server) handleAdminMediaNew(w http.ResponseWriter, r *http.Request) {
	s.renderMediaUpload(w, r, http.StatusOK, &mediaUpload{}, nil)
}

// POST /admin/medien takes an upload. Its body may be larger than other
// requests', up to uploadBodyLimit: a declared length over that is refused
// before anything is read, and a body without a length stops being read
// there.
func (s *Server) handleAdminMediaCreate(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > uploadBodyLimit {
		s.uploadTooLarge(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, uploadBodyLimit)
	u, err := readMediaUpload(r)
	if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
		s.uploadTooLarge(w, r)
		return
	}
	if errors.Is(err, errFormBytes) {
		s.badRequest(w, r, formBytesMessage)
		return
	}
	if err != nil {
		s.badRequest(w, r, "Das Formular konnte nicht gelesen werden. Bitte wählen Sie die Datei erneut aus und senden Sie das Formular noch einmal.")
		return
	}
	m, errs, err := s.mediaFromUpload(r.Context(), u)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if errs.Any() {
		s.renderMediaUpload(w, r, http.StatusUnprocessableEntity, u, errs)
		return
	}
	if err := s.store.CreateMedia(r.Context(), actor(r), m); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Datei „"+m.Name+"“ ist hochgeladen.")
	http.Redirect(w, r, fmt.Sprintf("/admin/medien/%d", m.ID), http.StatusSeeOther)
}

// mediaFromUpload checks an upload and makes the record to store. A
// picture is decoded (see imaging.Processor) and gets its variants; one
// that does not decode, or is too large in pixels, is a field error. The
// error is the request's context ending while it waited to decode.
func (s *Server) mediaFromUpload(ctx context.Context, u *mediaUpload) (*defus.Media, defus.FieldErrors, error) {
	errs := defus.FieldErrors{}
	m := &defus.Media{AltText: u.altText}
	if !u.chosen {
		errs.Add("file", "Bitte wählen Sie eine Datei aus.")
	} else {
		msg, err := s.checkFile(ctx, m, u.head, u.data, u.size)
		if err != nil {
			return nil, nil, err
		}
		errs.Check("file", msg)
	}
	for f, msg := range m.Validate() {
		errs.Add(f, msg)
	}
	errs.Check("name", defus.CheckText(u.name, "Der Dateiname", false, maxMediaNameLen, false))
	name := u.name
	if name == "" {
		name = u.fileName
	}
	m.Name = defus.MediaFileName(name, m.ContentType)
	return m, errs, nil
}

// checkFile checks an uploaded file's type and size (defus.CheckMediaFile)
// and decodes a picture within imaging's limits (see imaging.Processor),
// filling in m's type, data, pixel size and variants. msg is the German
// refusal for the file's field, "" when the file is fine; the error is the
// request's context ending while it waited to decode. head is the file's
// start, data the whole file (nil when it is over its type's limit), size
// its length.
func (s *Server) checkFile(ctx context.Context, m *defus.Media, head, data []byte, size int64) (msg string, err error) {
	m.ContentType, msg = defus.CheckMediaFile(head, size)
	if msg != "" {
		return msg, nil
	}
	m.Data = data
	if !m.IsImage() {
		return "", nil
	}
	return s.decodePicture(ctx, m, nil)
}

// imageProblem is the German message for a picture the portal does not
// take, or "" when err is none of imaging's refusals.
func imageProblem(err error) string {
	var tooLarge *imaging.TooLargeError
	switch {
	case errors.As(err, &tooLarge) && tooLarge.Pixels() > imaging.MaxPixels:
		return "Das Bild ist zu groß: höchstens " + defus.FormatNumber(imaging.MaxPixels/1_000_000) + " Megapixel (dieses hat " +
			defus.FormatNumber(int(tooLarge.Pixels())) + "). Bitte verkleinern Sie es, zum Beispiel auf 4.000 Pixel Breite, und laden Sie es erneut hoch."
	case errors.As(err, &tooLarge):
		return "Das Bild ist zu groß: höchstens " + defus.FormatNumber(imaging.MaxSide) + " Pixel breit und hoch (dieses hat " +
			defus.FormatNumber(tooLarge.Width) + " × " + defus.FormatNumber(tooLarge.Height) + " Pixel). Bitte verkleinern Sie es und laden Sie es erneut hoch."
	case errors.Is(err, imaging.ErrDamaged):
		return "Die Datei ist beschädigt oder kein vollständiges Bild. Bitte speichern Sie das Bild neu (zum Beispiel als PNG oder JPEG) und laden Sie es noch einmal hoch."
	}
	return ""
}

func (s *Server) mediaOfRequest(r *http.Request) (*defus.Media, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindMediaInfo(r.Context(), id)
}

// mediaFormOf is the edit form of a stored file: its name without the
// extension, which the type gives.
func mediaFormOf(m *defus.Media) view.MediaForm {
	return view.MediaForm{Media: *m, FileName: strings.TrimSuffix(m.Name, path.Ext(m.Name))}
}

// readMediaForm reads the edit form over m and checks it; the stored name
// is made from the typed one with the extension of m's type.
func readMediaForm(r *http.Request, m defus.Media) (view.MediaForm, defus.FieldErrors) {
	f := view.MediaForm{Media: m, FileName: formText(r, "name")}
	f.AltText, f.Version = formText(r, "alt_text"), formVersion(r)
	f.Name = defus.MediaFileName(f.FileName, m.ContentType)
	errs := f.Validate()
	if f.FileName == "" {
		errs.Add("name", "Bitte geben Sie einen Dateinamen an.")
	}
	errs.Check("name", defus.CheckText(f.FileName, "Der Dateiname", false, maxMediaNameLen, false))
	return f, errs
}

// renderMediaEdit shows a file with the form for its name and alternative
// text: stored as stored, f as typed with its errors and, after a conflict,
// what is stored now.
func (s *Server) renderMediaEdit(w http.ResponseWriter, r *http.Request, status int, stored *defus.Media, f view.MediaForm, errs defus.FieldErrors, current *defus.Media) {
	d := view.MediaEditData{Stored: stored, BaseURL: s.cfg.BaseURLString(),
		Form: view.Form[view.MediaForm]{Values: f, Errors: errs, Current: formOf(current, mediaFormOf)}}
	s.render(w, r, status, view.AdminMediaEdit(s.adminMeta(r, "Datei „"+stored.Name+"“"), d))
}

// GET /admin/medien/{id}
func (s *Server) handleAdminMediaEdit(w http.ResponseWriter, r *http.Request) {
	m, err := s.mediaOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderMediaEdit(w, r, http.StatusOK, m, mediaFormOf(m), nil, nil)
}

// POST /admin/medien/{id}
func (s *Server) handleAdminMediaUpdate(w http.ResponseWriter, r *http.Request) {
	m, err := s.mediaOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readMediaForm(r, *m)
	if errs.Any() {
		s.renderMediaEdit(w, r, http.StatusUnprocessableEntity, m, f, errs, nil)
		return
	}
	current, err := s.store.UpdateMedia(r.Context(), actor(r), &f.Media)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderMediaEdit(w, r, status, m, f, errs, current)
		})
		return
	}
	s.flash(r, "Die Angaben zur Datei „"+f.Name+"“ sind gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/medien/%d", m.ID), http.StatusSeeOther)
}

// GET /admin/medien/{id}/loeschen asks before deleting and names the
// members that lose their logo.
func (s *Server) handleAdminMediaDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	m, err := s.mediaOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.ConfirmDeleteData{
		Title: "Datei „" + m.Name + "“ löschen?",
		Text: "Die Datei verschwindet sofort; ihre Adresse " + m.URL() + " führt dann zur Fehlerseite „Seite nicht gefunden“, " +
			"auch in Seiten, die sie einbinden. Das Protokoll behält, dass sie gelöscht wurde.",
		Action:  fmt.Sprintf("/admin/medien/%d/loeschen", m.ID),
		Back:    fmt.Sprintf("/admin/medien/%d", m.ID),
		Version: m.Version,
	}
	if m.SiteLogo {
		d.Dependants = append(d.Dependants, "Die Website verliert das Logo des Vereins oben links und als Browser-Symbol; dort steht wieder das „D“")
	}
	for _, mb := range m.LogoOf {
		d.Dependants = append(d.Dependants, mb.Name+" verliert sein Logo")
	}
	s.render(w, r, http.StatusOK, view.AdminConfirmDelete(s.adminMeta(r, d.Title), d))
}

// POST /admin/medien/{id}/loeschen
func (s *Server) handleAdminMediaDelete(w http.ResponseWriter, r *http.Request) {
	m, err := s.mediaOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.store.DeleteMedia(r.Context(), actor(r), m.ID, formVersion(r))
	s.answerDelete(w, r, err, deleted{
		done:   "Die Datei „" + m.Name + "“ ist gelöscht.",
		list:   "/admin/medien",
		stale:  "Die Datei wurde inzwischen geändert. Bitte prüfen Sie sie, bevor Sie sie löschen.",
		record: fmt.Sprintf("/admin/medien/%d", m.ID),
	})
}
