package view

import (
	"strconv"

	"defus.de/portal/internal/defus"
)

// DocumentsIndexData is the office's list of documents, newest date first.
type DocumentsIndexData struct {
	Query      string
	Visibility string // "" or a defus.Visibility
	Total      int
	Documents  []defus.Document
	Paging     Paging
}

func (d DocumentsIndexData) filter() ListFilterData {
	return ListFilterData{Action: "/admin/dokumente", Label: "Dokumente filtern", Query: d.Query, State: d.Visibility,
		Total: d.Total, Noun: [2]string{"Dokument", "Dokumente"},
		StateParam: "sichtbarkeit", StateLabel: "Sichtbar für", StateOptions: visibilityOptions()}
}

// visibilityOptions offers the visibilities of a document.
func visibilityOptions() []Option {
	opts := make([]Option, len(defus.Visibilities))
	for i, v := range defus.Visibilities {
		opts[i] = Option{Value: string(v), Label: v.Label()}
	}
	return opts
}

// DocumentForm is the document form as typed: the document, and as text
// its date and topics.
type DocumentForm struct {
	defus.Document
	Date     string   // as typed, YYYY-MM-DD from the date picker or 24.11.2026
	Topics   []string // ticked topic ids
	FileName string   // the name of a file chosen for upload, to ask for it again
}

// DocumentFormData is the form for a new or existing document.
type DocumentFormData struct {
	Document *defus.Document // as stored; nil for a new one
	Topics   []defus.Topic   // to choose from
	Form[DocumentForm]
}

// fields is the document form's field list.
func (d DocumentFormData) fields(f DocumentForm) Fields {
	fileHint := "PDF, Word (DOCX), Excel (XLSX) oder OpenDocument-Text (ODT), höchstens 10 MB. Es zählt der Inhalt der Datei, nicht ihre Endung."
	file := Field{ID: "document-file", Name: "file", Type: "file", Label: "Datei", Required: d.Document == nil, Hint: fileHint,
		Accept: ".pdf,.docx,.xlsx,.odt,application/pdf", Value: f.FileName}
	if d.Document != nil {
		file.Label, file.Optional = "Neue Datei (ersetzt „"+d.Document.FileName+"“)", true
		file.Hint = fileHint + " Mit einer neuen Datei bekommt das Dokument eine neue Adresse; die alte gilt dann nicht mehr."
	}
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "document-title", Name: "title", Label: "Titel", Value: f.Title, Required: true},
		{ID: "document-description", Name: "description", Label: "Beschreibung", Value: f.Description, Rows: 4, Optional: true,
			Hint: "Ein, zwei Sätze: worum es geht und für wen es nützlich ist."},
		{ID: "document-date", Name: "dated_on", Type: "date", Label: "Datum", Value: f.Date, Required: true,
			Hint: "Das Datum des Dokuments, etwa der Sitzung oder der Veröffentlichung. Die Liste der Mitglieder ist danach geordnet."},
		{ID: "document-visibility", Name: "visibility", Label: "Sichtbar für", Value: string(f.Visibility), Required: true,
			Placeholder: "Bitte wählen", Options: visibilityOptions(),
			Hint: "Öffentlich: alle, auch auf den Themenseiten. Nur für Mitglieder: angemeldete Mitglieder. Nur für die Geschäftsstelle: Redaktion und Administration."},
		{ID: "document-topics", Name: "topics", Type: TypeCheckboxes, Label: "Themen", Checked: f.Topics, Options: topicOptions(d.Topics),
			Optional: true},
		file,
	}
}

// Controls lays out the document form.
func (d DocumentFormData) Controls() Controls { return d.Form.Controls(d.fields) }

// Action is where the form posts.
func (d DocumentFormData) Action() string {
	if d.Document == nil {
		return "/admin/dokumente"
	}
	return "/admin/dokumente/" + strconv.FormatInt(d.Document.ID, 10)
}
