package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
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
	kind := map[string]string{defus.MediaImages: "bilder", defus.MediaDocuments: "dokumente"}[f.Kind]
	d := view.MediaIndexData{
		Filter: view.ListFilterData{Action: "/admin/medien", Label: "Medien filtern", Query: f.Query, State: kind,
			Total: total, Noun: [2]string{"Datei", "Dateien"},
			StateParam: "art", StateLabel: "Art", StateOptions: []view.Option{{Value: "bilder", Label: "Bilder"}, {Value: "dokumente", Label: "Dokumente"}}},
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
	d := view.MediaUploadData{
		File: view.Field{ID: "media-file", Name: "file", Type: "file", Label: "Datei", Error: errs["file"], Required: true,
			Accept: "image/png,image/jpeg,image/webp,application/pdf,.png,.jpg,.jpeg,.webp,.pdf",
			Hint: "PNG, JPEG oder WebP bis " + defus.FormatBytes(defus.MaxImageBytes) + " und " + defus.FormatNumber(imaging.MaxPixels/1_000_000) +
				" Megapixel, PDF bis " + defus.FormatBytes(defus.MaxDocumentBytes) + "."},
		AltText: view.Field{ID: "media-alt", Name: "alt_text", Label: "Alternativtext (bei Bildern) oder Titel (bei PDF)",
			Value: defus.CleanText(u.altText), Error: errs["alt_text"],
			Hint: "Bei Bildern Pflicht: beschreiben Sie in einem Satz, was zu sehen ist, zum Beispiel „Logo der Stadt Köln“. " +
				"Bei PDF-Dokumenten: Titel oder kurze Beschreibung; er wird zum Linktext."},
		Name: view.Field{ID: "media-name", Name: "name", Label: "Dateiname", Value: defus.CleanText(u.name), Error: errs["name"], Optional: true,
			Hint: "Wird Teil der Adresse, Umlaute werden umschrieben. Leer lassen, um den Namen der hochgeladenen Datei zu verwenden."},
	}
	for _, fe := range errs.In("file", "alt_text", "name") {
		id := map[string]string{"file": "media-file", "alt_text": "media-alt", "name": "media-name"}[fe.Field]
		d.Errors = append(d.Errors, view.ErrorLink{Href: "#" + id, Text: fe.Message})
	}
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
	res, err := s.images.Process(ctx, m.Data, m.ContentType, defus.ImageBoxes)
	if msg := imageProblem(err); msg != "" {
		return msg, nil
	} else if err != nil {
		return "", err
	}
	m.Width, m.Height, m.Variants = res.Width, res.Height, res.Variants
	return "", nil
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

// renderMediaEdit shows a file with the form for its name and alternative
// text: what was typed, errors and, after a conflict, what is stored now.
func (s *Server) renderMediaEdit(w http.ResponseWriter, r *http.Request, status int, stored, typed *defus.Media, typedName string, errs defus.FieldErrors, current *defus.Media) {
	alt := view.Field{ID: "media-alt", Name: "alt_text", Label: "Titel oder Beschreibung", Value: defus.CleanText(typed.AltText), Error: errs["alt_text"], Optional: true,
		Hint: "Wird zum Linktext, wenn das Dokument in einer Seite verlinkt ist."}
	if stored.IsImage() {
		alt.Label, alt.Optional, alt.Required = "Alternativtext", false, true
		alt.Hint = "Beschreiben Sie in einem Satz, was zu sehen ist. Er wird vorgelesen, wenn jemand das Bild nicht sehen kann."
	}
	d := view.MediaEditData{
		Media:   stored,
		BaseURL: s.cfg.BaseURLString(),
		Version: typed.Version,
		AltText: alt,
		Name: view.Field{ID: "media-name", Name: "name", Label: "Dateiname", Value: defus.CleanText(typedName), Error: errs["name"], Required: true,
			Hint: "Teil der Adresse; die Endung " + path.Ext(stored.Name) + " kommt von selbst dazu. Die bisherige Adresse leitet auf die neue weiter."},
	}
	d.Errors = errorLinks(errs, []fieldID{{"alt_text", "media-alt"}, {"name", "media-name"}})
	if current != nil {
		d.Version = current.Version
		d.Conflict = conflictFields([]conflictRow{
			{alt.Label, current.AltText, typed.AltText},
			{"Dateiname", current.Name, typed.Name},
		})
	}
	s.render(w, r, status, view.AdminMediaEdit(s.adminMeta(r, "Datei „"+stored.Name+"“"), d))
}

// GET /admin/medien/{id}
func (s *Server) handleAdminMediaEdit(w http.ResponseWriter, r *http.Request) {
	m, err := s.mediaOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderMediaEdit(w, r, http.StatusOK, m, m, strings.TrimSuffix(m.Name, path.Ext(m.Name)), nil, nil)
}

// POST /admin/medien/{id}
func (s *Server) handleAdminMediaUpdate(w http.ResponseWriter, r *http.Request) {
	m, err := s.mediaOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	typed := *m
	typed.AltText = formText(r, "alt_text")
	typed.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	typedName := formText(r, "name")
	typed.Name = defus.MediaFileName(typedName, m.ContentType)
	errs := typed.Validate()
	if typedName == "" {
		errs.Add("name", "Bitte geben Sie einen Dateinamen an.")
	}
	errs.Check("name", defus.CheckText(typedName, "Der Dateiname", false, maxMediaNameLen, false))
	if errs.Any() {
		s.renderMediaEdit(w, r, http.StatusUnprocessableEntity, m, &typed, typedName, errs, nil)
		return
	}
	current, err := s.store.UpdateMedia(r.Context(), actor(r), &typed)
	switch {
	case errors.Is(err, defus.ErrConflict):
		s.renderMediaEdit(w, r, http.StatusConflict, m, &typed, typedName, nil, current)
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Angaben zur Datei „"+typed.Name+"“ sind gespeichert.")
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
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	err = s.store.DeleteMedia(r.Context(), actor(r), m.ID, version)
	switch {
	case errors.Is(err, defus.ErrConflict):
		s.flash(r, "Die Datei wurde inzwischen geändert. Bitte prüfen Sie sie, bevor Sie sie löschen.")
		http.Redirect(w, r, fmt.Sprintf("/admin/medien/%d", m.ID), http.StatusSeeOther)
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Datei „"+m.Name+"“ ist gelöscht.")
	http.Redirect(w, r, "/admin/medien", http.StatusSeeOther)
}
