package server

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// Spam protection of the enquiry form. SetEnquiryLimits changes them (tests).
const (
	defaultFormMinAge     = 3 * time.Second  // people need longer to fill the form
	enquiryPostsPerWindow = 10               // per client; a person correcting mistakes stays well below
	enquiryBodyLimit      = 64 << 10         // bytes
	enquiryWindow         = 10 * time.Minute // of the rate limit
)

// SetEnquiryLimits sets the least time between showing and sending the
// enquiry form (faster is treated as spam) and how many POSTs one client may
// send within window. Tests use it; serve keeps the defaults.
func (s *Server) SetEnquiryLimits(minAge time.Duration, posts int, window time.Duration) {
	s.formMinAge = minAge
	s.enquiryPosts, s.enquiryWindow = posts, window
}

// handleEnquiryNew serves GET /mitgliedschaft/anfrage: the empty form.
func (s *Server) handleEnquiryNew(w http.ResponseWriter, r *http.Request) {
	topics, err := s.store.FindTopics(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.EnquiryPage{Form: view.Form[view.EnquiryForm]{Values: view.EnquiryForm{Token: s.newFormToken(s.now())}}, Topics: topics}
	s.renderEnquiryForm(w, r, http.StatusOK, d)
}

// handleEnquiryCreate serves POST /mitgliedschaft/anfrage: validates, stores
// the enquiry with its mails in one transaction and redirects to the thanks
// page. What looks like spam is stored as spam, and the sender sees the same
// thanks page.
func (s *Server) handleEnquiryCreate(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	if !s.allowAttempt(w, r, defus.Limit{Key: s.limitKey("enquiry", clientNetwork(s.clientIP(r))), Max: s.enquiryPosts, Window: s.enquiryWindow}) {
		return
	}
	// rejectBadBytes has read the form already, within enquiryBodyLimit;
	// what is left to fail here is a body that is no form at all.
	if err := r.ParseForm(); err != nil {
		s.badRequest(w, r, "Die gesendeten Angaben konnten nicht gelesen werden. Bitte füllen Sie das Formular erneut aus.")
		return
	}
	ctx := r.Context()
	topics, err := s.store.FindTopics(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := readEnquiryForm(r.PostForm)
	e, errs := enquiryFromForm(f, topics, now)
	issued, key, tokenOK := s.checkFormToken(f.Token)
	if errs.Any() {
		if !tokenOK {
			f.Token = s.newFormToken(now)
		}
		s.renderEnquiryForm(w, r, http.StatusUnprocessableEntity, view.EnquiryPage{Form: view.Form[view.EnquiryForm]{Values: f, Errors: errs}, Topics: topics})
		return
	}
	e.Status, e.CreatedAt = defus.StatusNew, now
	switch {
	case f.Website != "":
		e.Status, e.SpamReason = defus.StatusSpam, "Feld „Bitte leer lassen“ ausgefüllt"
	case !tokenOK:
		e.Status, e.SpamReason = defus.StatusSpam, "Formular-Kennung fehlt oder ist ungültig"
	case now.Sub(issued) < s.formMinAge:
		e.Status, e.SpamReason = defus.StatusSpam, "Formular schneller als "+s.formMinAge.String()+" gesendet"
	}
	if !tokenOK {
		key = randomKey()
	}
	e.IdempotencyKey = key
	var mails []defus.Mail
	if e.Status != defus.StatusSpam {
		// Spam gets no mail: a bot's address may be someone else's.
		mails = defus.EnquiryMails(e, s.enquiryMailSettings(r))
	}
	if _, err := s.store.CreateEnquiry(ctx, e, mails); err != nil {
		s.error(w, r, err)
		return
	}
	if e.Status == defus.StatusSpam {
		s.log.InfoContext(ctx, "enquiry stored as spam", "id", requestIDFrom(ctx), "enquiry", e.ID, "reason", e.SpamReason)
	}
	http.Redirect(w, r, "/mitgliedschaft/anfrage/danke", http.StatusSeeOther)
}

// handleEnquiryThanks serves GET /mitgliedschaft/anfrage/danke. It only
// shows text: reloading it sends nothing.
func (s *Server) handleEnquiryThanks(w http.ResponseWriter, r *http.Request) {
	m := s.meta(r, "Vielen Dank für Ihre Anfrage", "")
	m.NoIndex = true
	s.render(w, r, http.StatusOK, view.EnquiryThanks(m))
}

func (s *Server) renderEnquiryForm(w http.ResponseWriter, r *http.Request, status int, d view.EnquiryPage) {
	title := "Anfrage zur Mitgliedschaft"
	if d.Form.Errors.Any() {
		title = "Fehler: " + title
	}
	m := s.meta(r, title, "Ihre Stadt, Ihr Kreis oder Ihre Organisation möchte DEFUS-Mitglied werden? Hier senden Sie uns Ihre Anfrage.")
	m.Canonical = s.cfg.BaseURLString() + "/mitgliedschaft/anfrage"
	w.Header().Set("Cache-Control", "no-store") // each rendering carries its own token
	s.render(w, r, status, view.EnquiryNew(m, d))
}

// tooManyRequests answers 429 with a German page.
func (s *Server) tooManyRequests(w http.ResponseWriter, r *http.Request, retry time.Duration) {
	s.tooManyRequestsSaying(w, r, retry, "")
}

// tooManyRequestsSaying is tooManyRequests saying why first ("" for the
// visitor's connection).
func (s *Server) tooManyRequestsSaying(w http.ResponseWriter, r *http.Request, retry time.Duration, why string) {
	if why == "" {
		why = "Von Ihrem Anschluss sind in kurzer Zeit sehr viele Anfragen gekommen."
	}
	setRetryAfter(w, retry)
	s.errorPage(w, r, http.StatusTooManyRequests, view.ErrorData{
		Title: "Zu viele Anfragen",
		Text: why + " Bitte warten Sie " + germanMinutes(retry) +
			" und versuchen Sie es dann erneut, oder schreiben Sie uns eine E-Mail.",
	})
}

func (s *Server) enquiryMailSettings(r *http.Request) defus.EnquiryMailSettings {
	st := defus.EnquiryMailSettings{Office: s.cfg.OfficeEmail, BaseURL: s.cfg.BaseURLString(), SiteName: "DEFUS-Geschäftsstelle"}
	if a, err := s.association(r); err == nil {
		st.Phone = a.Phone
	}
	return st
}

// readEnquiryForm reads the posted fields, trimmed, exactly as typed otherwise.
func readEnquiryForm(v url.Values) view.EnquiryForm {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return view.EnquiryForm{
		Organisation: get("organisation"),
		Kind:         get("kind"),
		State:        get("state"),
		ContactName:  get("contact_name"),
		Function:     get("function"),
		Email:        get("email"),
		Phone:        get("phone"),
		Population:   get("population"),
		Topics:       v["topics"],
		Message:      strings.ReplaceAll(get("message"), "\r\n", "\n"),
		HeardFrom:    get("heard_from"),
		Consent:      v.Get("consent") != "",
		Website:      v.Get("website"),
		Token:        v.Get("token"),
	}
}

// thousands matches German-written numbers such as 120.000 or 1 200 000.
var thousands = regexp.MustCompile(`^\d{1,3}([. ]\d{3})+$`)

// enquiryFromForm turns the form into an enquiry and collects every error:
// the domain's rules plus what only this form knows (numbers as typed,
// topics offered).
func enquiryFromForm(f view.EnquiryForm, topics []defus.TopicCount, now time.Time) (*defus.Enquiry, defus.FieldErrors) {
	e := &defus.Enquiry{
		Organisation: f.Organisation,
		Kind:         defus.EnquiryKind(f.Kind),
		State:        f.State,
		ContactName:  f.ContactName,
		Function:     f.Function,
		Email:        f.Email,
		Phone:        f.Phone,
		Message:      f.Message,
		HeardFrom:    f.HeardFrom,
	}
	if f.Consent {
		e.ConsentAt = now
	}
	var popErr bool
	if p := f.Population; p != "" {
		if thousands.MatchString(p) {
			p = strings.NewReplacer(".", "", " ", "").Replace(p)
		}
		if n, err := strconv.Atoi(p); err == nil {
			e.Population = &n
		} else {
			popErr = true
		}
	}
	var topicErr bool
	seen := map[int64]bool{}
	for _, v := range f.Topics {
		id, err := strconv.ParseInt(v, 10, 64)
		title, ok := topicTitle(topics, id)
		if err != nil || !ok {
			topicErr = true
			continue
		}
		if !seen[id] {
			seen[id] = true
			e.TopicIDs = append(e.TopicIDs, id)
			e.Topics = append(e.Topics, title)
		}
	}
	errs := e.Validate()
	if popErr {
		errs.Add("population", "Bitte geben Sie die Einwohnerzahl als ganze Zahl größer als null an.")
	}
	if topicErr {
		errs.Add("topics", "Bitte wählen Sie nur Themen aus der Liste.")
	}
	return e, errs
}

func topicTitle(topics []defus.TopicCount, id int64) (string, bool) {
	for _, t := range topics {
		if t.ID == id {
			return t.Title, true
		}
	}
	return "", false
}

func randomKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
