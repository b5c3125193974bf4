package server

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// documentFormLimit is the body limit of the document form: a file over
// defus.MaxDocumentBytes is a field error with everything typed kept; only
// a far larger one gets the bare 413 page.
const documentFormLimit = 2*defus.MaxDocumentBytes + 1<<20

// chooseFileAgain asks for a good file that the browser cannot send again
// after another field was wrong.
const chooseFileAgain = "Bitte wählen Sie die Datei noch einmal aus: Ein Browser schickt sie nach einem Fehler nicht erneut."

// GET /admin/dokumente
func (s *Server) handleAdminDocumentsIndex(w http.ResponseWriter, r *http.Request) {
	lf, page := readListFilter(r)
	f := defus.DocumentFilter{Query: lf.Query, Visible: defus.Visibilities, Limit: lf.Limit, Offset: lf.Offset}
	d := view.DocumentsIndexData{Query: lf.Query}
	if v := defus.Visibility(r.URL.Query().Get("sichtbarkeit")); v.Valid() {
		f.Visible, d.Visibility = []defus.Visibility{v}, string(v)
	}
	var err error
	if d.Documents, d.Total, err = s.store.FindDocuments(r.Context(), f); err != nil {
		s.error(w, r, err)
		return
	}
	d.Paging = paging(r, page, d.Total)
	s.render(w, r, http.StatusOK, view.AdminDocumentsIndex(s.adminMeta(r, "Dokumente"), d))
}

// readTopicIDs reads the ticked topics of field: ids of topics, each once.
// One that is not offered is an error of the field.
func readTopicIDs(r *http.Request, field string, topics []defus.Topic, errs defus.FieldErrors) (ids []int64, ticked []string) {
	for _, v := range r.PostForm[field] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !slices.ContainsFunc(topics, func(t defus.Topic) bool { return t.ID == id }) {
			errs.Add(field, "Bitte wählen Sie nur Themen aus der Liste.")
			continue
		}
		if !slices.Contains(ids, id) {
			ids, ticked = append(ids, id), append(ticked, v)
		}
	}
	return ids, ticked
}

func topicIDStrings(ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

func documentFormOf(d *defus.Document) view.DocumentForm {
	return view.DocumentForm{Document: *d, Date: d.DatedOn.Format("2006-01-02"), Topics: topicIDStrings(d.TopicIDs)}
}

// readDocumentForm reads the document form over d and checks it. The file
// is read when one was chosen; a new document needs one.
func readDocumentForm(r *http.Request, d defus.Document, topics []defus.Topic) (view.DocumentForm, defus.FieldErrors, error) {
	errs := defus.FieldErrors{}
	f := view.DocumentForm{Date: formText(r, "dated_on")}
	d.Title, d.Description = formText(r, "title"), formText(r, "description")
	d.Visibility = defus.Visibility(formText(r, "visibility"))
	d.Version = formVersion(r)
	d.DatedOn = time.Time{}
	if f.Date != "" {
		if day, ok := defus.ParseDate(f.Date); ok {
			d.DatedOn = day
		} else {
			errs.Add("dated_on", "Bitte geben Sie ein gültiges Datum an, etwa 24.11.2026.")
		}
	}
	d.TopicIDs, f.Topics = readTopicIDs(r, "topics", topics, errs)
	for field, msg := range d.Validate() {
		if field != "dated_on" || !errs.Has("dated_on") {
			errs.Add(field, msg)
		}
	}
	isNew := d.ID == 0
	d.NewFile = false
	if r.MultipartForm != nil && len(r.MultipartForm.File["file"]) > 0 && r.MultipartForm.File["file"][0].Size > 0 {
		fh := r.MultipartForm.File["file"][0]
		file, err := fh.Open()
		if err != nil {
			return f, errs, fmt.Errorf("open document file: %w", err)
		}
		data, err := io.ReadAll(file)
		file.Close()
		if err != nil {
			return f, errs, fmt.Errorf("read document file: %w", err)
		}
		contentType, msg := defus.CheckDocumentFile(data)
		switch {
		case msg != "":
			errs.Add("file", msg)
		case errs.Any():
			errs.Add("file", chooseFileAgain)
		default:
			d.Data, d.ContentType, d.FileName, d.NewFile = data, contentType, defus.DocumentFileName(fh.Filename, contentType), true
		}
	} else if isNew {
		errs.Add("file", "Bitte wählen Sie die Datei des Dokuments aus.")
	}
	f.Document = d
	return f, errs, nil
}

// renderDocumentForm shows the document form: d as stored (nil for a new
// one), f as typed with its errors and, after a conflict, what is stored now.
func (s *Server) renderDocumentForm(w http.ResponseWriter, r *http.Request, status int, d *defus.Document, f view.DocumentForm, errs defus.FieldErrors, current *defus.Document) {
	topics, err := s.store.FindAllTopics(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	data := view.DocumentFormData{Document: d, Topics: topics,
		Form: view.Form[view.DocumentForm]{Values: f, Errors: errs, Current: formOf(current, documentFormOf)}}
	title := "Neues Dokument"
	if d != nil {
		title = "Dokument „" + d.Title + "“ bearbeiten"
	}
	s.render(w, r, status, view.AdminDocumentForm(s.adminMeta(r, title), data))
}

// GET /admin/dokumente/neu
func (s *Server) handleAdminDocumentNew(w http.ResponseWriter, r *http.Request) {
	f := view.DocumentForm{Document: defus.Document{Visibility: defus.VisibilityMembers}, Date: s.now().In(defus.Berlin).Format("2006-01-02")}
	s.renderDocumentForm(w, r, http.StatusOK, nil, f, nil, nil)
}

// saveDocument reads the form over base (stored: nil for a new document)
// and creates or updates it.
func (s *Server) saveDocument(w http.ResponseWriter, r *http.Request, stored *defus.Document) {
	topics, err := s.store.FindAllTopics(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	var base defus.Document
	if stored != nil {
		base = *stored
	}
	f, errs, err := readDocumentForm(r, base, topics)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if errs.Any() {
		s.renderDocumentForm(w, r, http.StatusUnprocessableEntity, stored, f, errs, nil)
		return
	}
	d := &f.Document
	var current *defus.Document
	if stored == nil {
		err = s.store.CreateDocument(r.Context(), actor(r), d)
	} else {
		current, err = s.store.UpdateDocument(r.Context(), actor(r), d)
	}
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			if d.NewFile {
				errs.Add("file", chooseFileAgain)
			}
			s.renderDocumentForm(w, r, status, stored, f, errs, current)
		})
		return
	}
	s.flash(r, "Das Dokument „"+d.Title+"“ ist gespeichert ("+d.Visibility.Label()+").")
	http.Redirect(w, r, fmt.Sprintf("/admin/dokumente/%d", d.ID), http.StatusSeeOther)
}

// POST /admin/dokumente
func (s *Server) handleAdminDocumentCreate(w http.ResponseWriter, r *http.Request) {
	s.saveDocument(w, r, nil)
}

func (s *Server) documentOfRequest(r *http.Request) (*defus.Document, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindDocumentByID(r.Context(), id)
}

// GET /admin/dokumente/{id}
func (s *Server) handleAdminDocumentEdit(w http.ResponseWriter, r *http.Request) {
	d, err := s.documentOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderDocumentForm(w, r, http.StatusOK, d, documentFormOf(d), nil, nil)
}

// POST /admin/dokumente/{id}
func (s *Server) handleAdminDocumentUpdate(w http.ResponseWriter, r *http.Request) {
	d, err := s.documentOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.saveDocument(w, r, d)
}

// GET /admin/dokumente/{id}/loeschen
func (s *Server) handleAdminDocumentDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	d, err := s.documentOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	c := view.ConfirmDeleteData{
		Title: "Dokument „" + d.Title + "“ löschen?",
		Text: "Die Datei ist danach unter ihrer Adresse nicht mehr abrufbar, auch nicht für Mitglieder. " +
			"Das Protokoll behält, dass das Dokument gelöscht wurde.",
		Action:  fmt.Sprintf("/admin/dokumente/%d/loeschen", d.ID),
		Back:    fmt.Sprintf("/admin/dokumente/%d", d.ID),
		Version: d.Version,
	}
	s.render(w, r, http.StatusOK, view.AdminConfirmDelete(s.adminMeta(r, c.Title), c))
}

// POST /admin/dokumente/{id}/loeschen
func (s *Server) handleAdminDocumentDelete(w http.ResponseWriter, r *http.Request) {
	d, err := s.documentOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.store.DeleteDocument(r.Context(), actor(r), d.ID, formVersion(r))
	s.answerDelete(w, r, err, deleted{
		done:   "Das Dokument „" + d.Title + "“ ist gelöscht.",
		list:   "/admin/dokumente",
		stale:  "Das Dokument wurde inzwischen geändert. Bitte prüfen Sie es, bevor Sie es löschen.",
		record: fmt.Sprintf("/admin/dokumente/%d", d.ID),
	})
}
