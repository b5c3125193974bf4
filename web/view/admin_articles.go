package view

import (
	"strconv"
	"time"

	"defus.de/portal/internal/defus"
)

// ArticlesAdminData is the office's list of articles, newest first.
type ArticlesAdminData struct {
	Query    string // the search as typed
	State    string // "", "published", "draft"
	Total    int
	Articles []defus.Article
	Paging   Paging
	Now      time.Time // the store's clock: which articles are scheduled
}

func (d ArticlesAdminData) filter() ListFilterData {
	return ListFilterData{Action: "/admin/aktuelles", Label: "Beiträge filtern", Query: d.Query, State: d.State,
		Total: d.Total, Noun: [2]string{"Beitrag", "Beiträge"}}
}

// articleState says whether visitors see an article: "Entwurf", "geplant
// für …" or "veröffentlicht".
func articleState(a defus.Article, now time.Time) string {
	switch {
	case !a.Published:
		return "Entwurf"
	case a.Scheduled(now):
		return "geplant für " + defus.FormatDate(a.PublishedAt) + ", " + defus.FormatTime(a.PublishedAt)
	}
	return "veröffentlicht"
}

// ArticleForm is the article form as typed: the article, and as text what
// it holds as dates or ids, so a wrong entry comes back as typed.
type ArticleForm struct {
	defus.Article
	Date, Time, Image, Member string
	Topics, Members           []string // ticked ids
}

// ArticleFormData is the form for a new or existing article.
type ArticleFormData struct {
	Article *defus.Article  // as stored; nil for a new one
	Topics  []defus.Topic   // to choose from
	Members []defus.Member  // to choose from
	Images  []defus.Media   // pictures to choose from
	Form[ArticleForm]
}

// interviewHint explains how an interview is written.
const interviewHint = "Nur bei Interviews. Jede Frage beginnt mit „F:“, jede Antwort mit „A:“ (Antworten in Markdown); " +
	"eine Antwort darf mehrere Absätze haben. Die Website zeigt sie als Fragen und Antworten."

// fields is the article form's field list.
func (d ArticleFormData) fields(f ArticleForm) Fields {
	kinds := make([]Option, len(defus.ArticleKinds))
	for i, k := range defus.ArticleKinds {
		kinds[i] = Option{Value: string(k), Label: k.Label()}
	}
	images := make([]Option, len(d.Images))
	for i, img := range d.Images {
		images[i] = Option{Value: itoa64(img.ID), Label: ImageLabel(img)}
	}
	members := make([]Option, len(d.Members))
	for i, m := range d.Members {
		label := m.ShortName
		if !m.Published {
			label += " (Entwurf)"
		}
		members[i] = Option{Value: itoa64(m.ID), Label: label}
	}
	when := ""
	if !f.PublishedAt.IsZero() {
		when = defus.FormatDate(f.PublishedAt) + ", " + defus.FormatTime(f.PublishedAt)
	}
	return Fields{
		{Name: "version", Type: TypeHidden, Value: itoa(f.Version)},
		{ID: "article-kind", Name: "kind", Label: "Art", Value: string(f.Kind), Required: true, Placeholder: "Bitte wählen", Options: kinds},
		{ID: "article-title", Name: "title", Label: "Titel", Value: f.Title, Required: true},
		{ID: "article-slug", Name: "slug", Label: "Adresse", Value: f.Slug,
			Hint: "Der Teil nach /aktuelles/, zum Beispiel „fachtag-resilienz-2026“. Leer lassen, um sie aus dem Titel zu bilden."},
		{ID: "article-lead", Name: "lead", Label: "Vorspann", Value: f.Lead, Rows: 3, Optional: true,
			Hint: "Zwei, drei Sätze, die den Beitrag eröffnen; die Listen und der Feed zeigen sie."},
		{ID: "article-body", Name: "body", Label: "Text", Value: f.Body, Rows: 14, Optional: true, Hint: markdownHint},
		{ID: "article-interviewee", Name: "interviewee", Label: "Gesprächspartnerin oder Gesprächspartner", Short: "Gesprächspartner",
			Value: f.Interviewee, Optional: true, Hint: "Nur bei Interviews: Name und Funktion, zum Beispiel „Erika Beispiel, Ordnungsamt Musterstadt“."},
		{ID: "article-interview", Name: "interview", Label: "Fragen und Antworten", Value: f.Interview, Rows: 14, Optional: true, Hint: interviewHint},
		{ID: "article-image", Name: "image", Label: "Bild aus den Medien", Short: "Bild", Value: f.Image, Placeholder: "Kein Bild", Options: images,
			Hint: "Ein schon hochgeladenes Bild (unter Medien hochladen)."},
		{ID: "article-image-alt", Name: "image_alt", Label: "Bildbeschreibung (Alternativtext)", Short: "Bildbeschreibung", Value: f.ImageAlt, Optional: true,
			Hint: "Was das Bild zeigt, für Menschen, die es nicht sehen. Mit Bild Pflicht."},
		{ID: "article-member", Name: "member", Label: "Von Mitglied", Value: f.Member, Placeholder: "Kein Mitglied", Options: members,
			Hint: "Bei „Neues aus den Mitgliedern“ Pflicht: das Mitglied, von dem die Nachricht kommt."},
		{ID: "article-date", Name: "date", Type: "date", Label: "Veröffentlichung: Datum", Value: f.Date, Optional: true, Short: "Veröffentlichung", Shown: when,
			Hint: "Leer lassen für sofort. Ein späterer Tag plant den Beitrag: Er erscheint dann von selbst, wenn er veröffentlicht ist."},
		{ID: "article-time", Name: "time", Type: "time", Label: "Veröffentlichung: Uhrzeit", Value: f.Time, Optional: true, Short: "Veröffentlichung", Shown: when,
			Hint: "Zum Beispiel 09:00; leer für 0:00 Uhr."},
		{ID: "article-topics", Name: "topics", Type: TypeCheckboxes, Label: "Themen", Checked: f.Topics, Options: topicOptions(d.Topics),
			Hint: "Der Beitrag erscheint auf den Seiten dieser Themen und in ihren Feeds."},
		{ID: "article-members", Name: "members", Type: TypeCheckboxes, Label: "Beteiligte Mitglieder", Checked: f.Members, Options: members,
			Hint: "Der Beitrag erscheint in ihren Profilen."},
		{ID: "article-published", Name: "published", Type: TypeCheckbox, Label: "Veröffentlicht (sonst Entwurf, nur hier sichtbar)",
			Value: checked(f.Published), Short: "Status", Shown: publishedLabel(f.Published)},
	}
}

// Controls lays out the article form.
func (d ArticleFormData) Controls() Controls { return d.Form.Controls(d.fields) }

// Action is where the form posts.
func (d ArticleFormData) Action() string {
	if d.Article == nil {
		return "/admin/aktuelles"
	}
	return "/admin/aktuelles/" + strconv.FormatInt(d.Article.ID, 10)
}
