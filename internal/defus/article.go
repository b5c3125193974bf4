package defus

import (
	"strings"
	"time"
)

// ArticleKind is what an article is: a report, an interview, a press
// release or news from a member.
type ArticleKind string

// The kinds of article.
const (
	ArticleNews       ArticleKind = "news"
	ArticleInterview  ArticleKind = "interview"
	ArticlePress      ArticleKind = "press"
	ArticleMemberNews ArticleKind = "member_news"
)

// ArticleKinds lists the kinds in the order the forms and filters offer them.
var ArticleKinds = []ArticleKind{ArticleNews, ArticleInterview, ArticlePress, ArticleMemberNews}

var articleKindParams = map[ArticleKind]string{
	ArticleNews: "meldung", ArticleInterview: "interview", ArticlePress: "pressemitteilung", ArticleMemberNews: "mitglieder",
}

// ArticleKindFromParam maps the German URL parameter (?art=interview) to a kind.
func ArticleKindFromParam(s string) (ArticleKind, bool) {
	for k, p := range articleKindParams {
		if p == s {
			return k, true
		}
	}
	return "", false
}

// Param is the German URL parameter value of the kind.
func (k ArticleKind) Param() string { return articleKindParams[k] }

// Valid reports whether k is one of the kinds.
func (k ArticleKind) Valid() bool { _, ok := articleKindParams[k]; return ok }

// Label is the German name of the kind.
func (k ArticleKind) Label() string {
	switch k {
	case ArticleNews:
		return "Meldung"
	case ArticleInterview:
		return "Interview"
	case ArticlePress:
		return "Pressemitteilung"
	case ArticleMemberNews:
		return "Neues aus den Mitgliedern"
	}
	return string(k)
}

// Article is a piece of news, an interview or a press release at
// /aktuelles/{slug}. It is visible from PublishedAt on when Published: an
// article with a later date is scheduled and appears at that moment by
// itself, since every query compares with the store's clock.
type Article struct {
	ID          int64
	Slug        string
	Kind        ArticleKind
	Title       string
	Lead        string // a short paragraph that opens the article and lists show
	Body        string // Markdown
	Interview   string // questions and answers, see ParseInterview
	Interviewee string // who answers, "Erika Beispiel, Ordnungsamt Musterstadt"
	ImageID     *int64 // an uploaded picture; nil: none
	ImageAlt    string
	ImageName   string // the picture's file name, for its address; read only
	MemberID    *int64 // the member a "Neues aus den Mitgliedern" comes from
	Member      *ArticleMember
	PublishedAt time.Time
	Published   bool
	TopicIDs    []int64
	MemberIDs   []int64
	Topics      []Topic         // published topics, for the public page; read only
	Members     []ArticleMember // published linked members; read only
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}

// ArticleMember is a member as an article names it.
type ArticleMember struct {
	ID        int64
	Slug      string
	ShortName string
	Name      string
}

// EntityArticle is the audit log's entity name for articles.
const EntityArticle = "article"

// Path is where visitors find the article.
func (a *Article) Path() string { return "/aktuelles/" + a.Slug }

// Visible reports whether visitors see the article at now.
func (a *Article) Visible(now time.Time) bool { return a.Published && !a.PublishedAt.After(now) }

// Scheduled reports whether the article is published but its moment has
// not come yet at now.
func (a *Article) Scheduled(now time.Time) bool { return a.Published && a.PublishedAt.After(now) }

// Revised is the last time the article changed as readers see it: its
// publication, or a later edit. Atom's "updated".
func (a *Article) Revised() time.Time {
	if a.UpdatedAt.After(a.PublishedAt) {
		return a.UpdatedAt
	}
	return a.PublishedAt
}

// Text limits of articles.
const (
	MaxLeadLen        = 1_000
	MaxIntervieweeLen = 300
)

// Validate checks the article's data and returns German messages by field:
// kind, title, slug, lead, body, interview, interviewee, image_alt, member.
// Values are expected trimmed.
func (a *Article) Validate() FieldErrors {
	errs := FieldErrors{}
	if !a.Kind.Valid() {
		errs.Add("kind", "Bitte wählen Sie die Art des Beitrags.")
	}
	if a.Title == "" {
		errs.Add("title", "Bitte geben Sie einen Titel an.")
	}
	errs.Check("title", CheckText(a.Title, "Der Titel", false, MaxTitleLen, false))
	if a.Slug != "" || !errs.Has("title") {
		errs.Check("slug", CheckSlug(a.Slug))
	}
	errs.Check("lead", CheckText(a.Lead, "Der Vorspann", false, MaxLeadLen, false))
	errs.Check("body", CheckText(a.Body, "Der Text", false, MaxBodyLen, true))
	errs.Check("interview", CheckText(a.Interview, "Das Interview", false, MaxBodyLen, true))
	errs.Check("interviewee", CheckText(a.Interviewee, "Der Gesprächspartner", false, MaxIntervieweeLen, false))
	if a.Interview != "" && !errs.Has("interview") {
		if _, msg := ParseInterview(a.Interview); msg != "" {
			errs.Add("interview", msg)
		}
	}
	if a.Kind != ArticleInterview && a.Interview != "" && !errs.Has("interview") {
		errs.Add("interview", "Fragen und Antworten gibt es nur bei der Art „Interview“. Bitte wählen Sie diese Art oder leeren Sie das Feld.")
	}
	if a.Kind == ArticleInterview && a.Interview == "" && a.Body == "" {
		errs.Add("interview", "Bitte schreiben Sie die Fragen und Antworten des Interviews.")
	}
	errs.Check("image_alt", CheckText(a.ImageAlt, "Der Alternativtext", false, MaxTitleLen, false))
	if a.ImageID != nil && a.ImageAlt == "" {
		errs.Add("image_alt", "Bitte beschreiben Sie, was das Bild zeigt (für Menschen, die es nicht sehen).")
	}
	if a.Kind == ArticleMemberNews && a.MemberID == nil {
		errs.Add("member", "Bitte wählen Sie das Mitglied, von dem die Nachricht kommt.")
	}
	return errs
}

// QA is one question of an interview and its answer (Markdown).
type QA struct {
	Question string
	Answer   string
}

// ParseInterview reads an interview as the office writes it: each question
// starts a line with "F:" (or "Frage:"), each answer with "A:" (or
// "Antwort:"); further lines belong to the question or answer above. It
// returns the pairs, or a German message saying what is wrong.
func ParseInterview(src string) ([]QA, string) {
	var out []QA
	part := "" // "q" or "a": where further lines go
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		trimmed := strings.TrimSpace(line)
		if q, ok := cutLabel(trimmed, "F:", "Frage:"); ok {
			if len(out) > 0 && out[len(out)-1].Answer == "" {
				return nil, "Die Frage „" + clip(out[len(out)-1].Question) + "“ hat keine Antwort. Bitte beginnen Sie die Antwort mit „A:“."
			}
			out = append(out, QA{Question: q})
			part = "q"
			continue
		}
		if a, ok := cutLabel(trimmed, "A:", "Antwort:"); ok {
			if len(out) == 0 {
				return nil, "Das Interview beginnt mit einer Antwort. Bitte beginnen Sie jede Frage mit „F:“."
			}
			if out[len(out)-1].Answer != "" {
				return nil, "Auf die Frage „" + clip(out[len(out)-1].Question) + "“ folgen zwei Antworten. Bitte beginnen Sie die nächste Frage mit „F:“."
			}
			out[len(out)-1].Answer = a
			part = "a"
			continue
		}
		switch {
		case part == "" && trimmed != "":
			return nil, "Bitte beginnen Sie jede Frage mit „F:“ und jede Antwort mit „A:“, zum Beispiel „F: Was macht Ihre Stadt?“."
		case part == "q" && trimmed != "":
			out[len(out)-1].Question += " " + trimmed
		case part == "a":
			out[len(out)-1].Answer += "\n" + line
		}
	}
	if len(out) > 0 && strings.TrimSpace(out[len(out)-1].Answer) == "" {
		return nil, "Die Frage „" + clip(out[len(out)-1].Question) + "“ hat keine Antwort. Bitte beginnen Sie die Antwort mit „A:“."
	}
	for i := range out {
		out[i].Answer = strings.TrimSpace(out[i].Answer)
	}
	return out, ""
}

func cutLabel(line string, labels ...string) (string, bool) {
	for _, l := range labels {
		if len(line) >= len(l) && strings.EqualFold(line[:len(l)], l) {
			return strings.TrimSpace(line[len(l):]), true
		}
	}
	return "", false
}

// clip shortens a question for a message.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// ArticleFilter selects published articles for the public pages. Now is
// the store's clock: articles dated later are not yet visible.
type ArticleFilter struct {
	Now      time.Time
	Kind     ArticleKind // "": all
	TopicID  int64
	MemberID int64 // linked or attributed
	Year     int   // 0: all
	Limit    int   // 0: no limit
	Offset   int
	Exclude  int64 // an article not to list (the one shown)
}
