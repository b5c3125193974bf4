package server

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// GET /admin/mitglieder
func (s *Server) handleAdminMembersIndex(w http.ResponseWriter, r *http.Request) {
	lf, page := readListFilter(r)
	f := defus.MemberListFilter{ListFilter: lf}
	d := view.MembersAdminData{Query: f.Query, State: f.State}
	q := r.URL.Query()
	if k, ok := defus.MemberKindFromParam(q.Get("art")); ok {
		f.Kind, d.Kind = k, k.Param()
	}
	if st := q.Get("land"); defus.IsState(st) {
		f.FederalState, d.FederalState = st, st
	}
	var err error
	if d.Members, d.Total, err = s.store.FindMembersAdmin(r.Context(), f); err != nil {
		s.error(w, r, err)
		return
	}
	d.Paging = paging(r, page, d.Total)
	s.render(w, r, http.StatusOK, view.AdminMembersIndex(s.adminMeta(r, "Mitglieder"), d))
}

// memberChoices are the topics and pictures the member form offers.
type memberChoices struct {
	topics []defus.Topic
	images []defus.Media
}

func (s *Server) memberChoices(ctx context.Context) (memberChoices, error) {
	topics, err := s.store.FindAllTopics(ctx)
	if err != nil {
		return memberChoices{}, err
	}
	images, err := s.store.FindMediaImages(ctx)
	if err != nil {
		return memberChoices{}, err
	}
	return memberChoices{topics: topics, images: images}, nil
}

func (ch memberChoices) image(id int64) (defus.Media, bool) {
	i := slices.IndexFunc(ch.images, func(m defus.Media) bool { return m.ID == id })
	if i < 0 {
		return defus.Media{}, false
	}
	return ch.images[i], true
}

func (ch memberChoices) topic(id int64) (defus.Topic, bool) {
	i := slices.IndexFunc(ch.topics, func(t defus.Topic) bool { return t.ID == id })
	if i < 0 {
		return defus.Topic{}, false
	}
	return ch.topics[i], true
}

// memberFormOf is the form of a stored member, numbers in German notation.
func memberFormOf(m *defus.Member) view.MemberForm {
	f := view.MemberForm{Member: *m}
	if m.Population != nil {
		f.Population = defus.FormatNumber(*m.Population)
	}
	f.PopulationYear = optionalInt(m.PopulationYear)
	f.MemberSince = optionalInt(m.MemberSince)
	if m.Lat != nil {
		f.Lat = defus.FormatDecimal(*m.Lat)
	}
	if m.Lon != nil {
		f.Lon = defus.FormatDecimal(*m.Lon)
	}
	if m.LogoMediaID != nil {
		f.Logo = strconv.FormatInt(*m.LogoMediaID, 10)
	}
	for _, id := range m.TopicIDs {
		f.Topics = append(f.Topics, strconv.FormatInt(id, 10))
	}
	return f
}

func optionalInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

var (
	groupedNumber = regexp.MustCompile(`^\d{1,3}([. \x{a0}\x{202f}]\d{3})+$`)
	plainInteger  = regexp.MustCompile(`^[+-]?\d{1,10}$`)
	decimalNumber = regexp.MustCompile(`^[+-]?\d{1,3}([.,]\d{1,12})?$`)
)

// parseInt reads an optional whole number; grouped thousands ("1.084.831")
// are accepted when grouped allows them.
func parseInt(s string, grouped bool) (*int, bool) {
	if s == "" {
		return nil, true
	}
	if grouped && groupedNumber.MatchString(s) {
		s = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	if !plainInteger.MatchString(s) {
		return nil, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, false
	}
	return &n, true
}

// parseDecimal reads an optional decimal number with a comma or a point.
func parseDecimal(s string) (*float64, bool) {
	if s == "" {
		return nil, true
	}
	if !decimalNumber.MatchString(s) {
		return nil, false
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil {
		return nil, false
	}
	return &v, true
}

// readMemberForm reads the member form over m (the id stays) and checks it:
// first what only the form knows (numbers as typed, a logo and topics from
// the choices offered), then the domain's rules.
func readMemberForm(r *http.Request, m defus.Member, ch memberChoices) (view.MemberForm, defus.FieldErrors) {
	errs := defus.FieldErrors{}
	m.Name = formText(r, "name")
	m.ShortName = formText(r, "short_name")
	m.Slug = formText(r, "slug")
	if m.Slug == "" {
		m.Slug = defus.Slugify(m.ShortName)
		if m.Slug == "" {
			m.Slug = defus.Slugify(m.Name)
		}
	}
	m.Kind = defus.MemberKind(formText(r, "kind"))
	m.State = formText(r, "state")
	m.Website = formText(r, "website")
	m.Description = formText(r, "description")
	m.Published = formChecked(r, "published")
	m.Version = formVersion(r)

	f := view.MemberForm{
		Population: formText(r, "population"), PopulationYear: formText(r, "population_year"),
		MemberSince: formText(r, "member_since"), Lat: formText(r, "lat"), Lon: formText(r, "lon"),
		Logo: formText(r, "logo"),
	}
	var ok bool
	if m.Population, ok = parseInt(f.Population, true); !ok {
		errs.Add("population", "Bitte geben Sie die Einwohnerzahl als ganze Zahl an, zum Beispiel 1.084.831.")
	}
	if m.PopulationYear, ok = parseInt(f.PopulationYear, false); !ok {
		errs.Add("population_year", "Bitte geben Sie das Jahr der Einwohnerzahl vierstellig an, zum Beispiel 2024.")
	}
	if m.MemberSince, ok = parseInt(f.MemberSince, false); !ok {
		errs.Add("member_since", "Bitte geben Sie das Beitrittsjahr vierstellig an, zum Beispiel 2012.")
	}
	if m.Lat, ok = parseDecimal(f.Lat); !ok {
		errs.Add("lat", "Bitte geben Sie den Breitengrad als Dezimalzahl an, zum Beispiel 50,9375.")
	}
	if m.Lon, ok = parseDecimal(f.Lon); !ok {
		errs.Add("lon", "Bitte geben Sie den Längengrad als Dezimalzahl an, zum Beispiel 6,9603.")
	}
	m.LogoMediaID = nil
	if f.Logo != "" {
		id, err := strconv.ParseInt(f.Logo, 10, 64)
		if _, found := ch.image(id); err != nil || !found {
			errs.Add("logo", "Bitte wählen Sie ein Bild aus der Liste.")
		} else {
			m.LogoMediaID = &id
		}
	}
	m.TopicIDs = nil
	for _, v := range r.PostForm["topics"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if _, found := ch.topic(id); err != nil || !found {
			errs.Add("topics", "Bitte wählen Sie nur Themen aus der Liste.")
			continue
		}
		if !slices.Contains(m.TopicIDs, id) {
			m.TopicIDs = append(m.TopicIDs, id)
			f.Topics = append(f.Topics, v)
		}
	}
	for field, msg := range m.Validate() {
		if field == "population_year" && errs.Has("population") {
			continue // the year is fine; the number beside it was not readable
		}
		errs.Add(field, msg)
	}
	f.Member = m
	return f, errs
}

// readMember is readMemberForm with the logo chosen for upload: a good
// picture becomes the member's new logo (stored with the save), a bad one
// an error at the file field. The error is the request's end.
func (s *Server) readMember(r *http.Request, m defus.Member, ch memberChoices) (view.MemberForm, defus.FieldErrors, error) {
	f, errs := readMemberForm(r, m, ch)
	file, logo, msg, err := s.memberLogoUpload(r, &f.Member)
	if err != nil {
		return f, errs, err
	}
	f.LogoFile = file
	errs.Check("logo_file", msg)
	f.NewLogo = logo
	return f, errs, nil
}

// renderMemberForm shows the member form: m as stored (nil for a new one),
// f as typed with its errors and, after a conflict, what is stored now.
func (s *Server) renderMemberForm(w http.ResponseWriter, r *http.Request, status int, m *defus.Member, ch memberChoices, f view.MemberForm, errs defus.FieldErrors, current *defus.Member) {
	d := view.MemberFormData{Member: m, Topics: ch.topics, Images: ch.images,
		Form: view.Form[view.MemberForm]{Values: f, Errors: errs, Current: formOf(current, memberFormOf)},
		Map:  s.locationMap(f.Member.Lat, f.Member.Lon), BaseURL: s.cfg.BaseURLString(),
		CanInvite: currentUser(r.Context()).Role == defus.RoleAdmin}
	if m != nil && len(m.Contacts) > 0 {
		accounts, err := s.accountStatuses(r.Context())
		if err != nil {
			s.error(w, r, err)
			return
		}
		d.Accounts = accounts
	}
	title := "Neues Mitglied"
	if m != nil {
		title = "Mitglied „" + m.ShortName + "“ bearbeiten"
	}
	s.render(w, r, status, view.AdminMemberForm(s.adminMeta(r, title), d))
}

// GET /admin/mitglieder/neu
func (s *Server) handleAdminMemberNew(w http.ResponseWriter, r *http.Request) {
	ch, err := s.memberChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderMemberForm(w, r, http.StatusOK, nil, ch, memberFormOf(&defus.Member{Kind: defus.KindCity}), nil, nil)
}

// POST /admin/mitglieder
func (s *Server) handleAdminMemberCreate(w http.ResponseWriter, r *http.Request) {
	ch, err := s.memberChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs, err := s.readMember(r, defus.Member{}, ch)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if errs.Any() {
		s.renderMemberForm(w, r, http.StatusUnprocessableEntity, nil, ch, f, errs, nil)
		return
	}
	m := &f.Member
	if err := s.store.CreateMember(r.Context(), actor(r), m); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderMemberForm(w, r, status, nil, ch, f, errs, nil)
		})
		return
	}
	s.flash(r, "Das Mitglied „"+m.ShortName+"“ ist angelegt.")
	http.Redirect(w, r, fmt.Sprintf("/admin/mitglieder/%d", m.ID), http.StatusSeeOther)
}

func (s *Server) memberOfRequest(r *http.Request) (*defus.Member, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindMemberByID(r.Context(), id)
}

// memberAndChoices finds the member {id} and what its form offers.
func (s *Server) memberAndChoices(r *http.Request) (*defus.Member, memberChoices, error) {
	m, err := s.memberOfRequest(r)
	if err != nil {
		return nil, memberChoices{}, err
	}
	ch, err := s.memberChoices(r.Context())
	return m, ch, err
}

// GET /admin/mitglieder/{id}
func (s *Server) handleAdminMemberEdit(w http.ResponseWriter, r *http.Request) {
	m, ch, err := s.memberAndChoices(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderMemberForm(w, r, http.StatusOK, m, ch, memberFormOf(m), nil, nil)
}

// POST /admin/mitglieder/{id}
func (s *Server) handleAdminMemberUpdate(w http.ResponseWriter, r *http.Request) {
	m, ch, err := s.memberAndChoices(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs, err := s.readMember(r, *m, ch)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if errs.Any() {
		s.renderMemberForm(w, r, http.StatusUnprocessableEntity, m, ch, f, errs, nil)
		return
	}
	current, err := s.store.UpdateMember(r.Context(), actor(r), &f.Member)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderMemberForm(w, r, status, m, ch, f, errs, current)
		})
		return
	}
	s.flash(r, "Das Mitglied „"+f.ShortName+"“ ist gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/mitglieder/%d", m.ID), http.StatusSeeOther)
}

// POST /admin/mitglieder/vorschau shows the typed profile as visitors would
// see it, without saving anything. Contacts come from the stored member.
func (s *Server) handleAdminMemberPreview(w http.ResponseWriter, r *http.Request) {
	ch, err := s.memberChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, _ := readMemberForm(r, defus.Member{}, ch)
	m := f.Member
	if id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64); err == nil && id > 0 {
		if stored, err := s.store.FindMemberByID(r.Context(), id); err == nil {
			m.ID, m.Contacts = stored.ID, stored.Contacts
		}
	}
	if m.Name == "" {
		m.Name = "(ohne Namen)"
	}
	if m.ShortName == "" {
		m.ShortName = m.Name
	}
	m.Name, m.ShortName, m.State = defus.CleanText(m.Name), defus.CleanText(m.ShortName), defus.CleanText(m.State)
	m.Description = defus.CleanText(m.Description)
	if !defus.ValidWebURL(m.Website) {
		m.Website = "" // never a link the saved profile could not have
	}
	if m.Population != nil && *m.Population < 1 {
		m.Population = nil
	}
	for _, id := range m.TopicIDs {
		if t, ok := ch.topic(id); ok {
			m.Topics = append(m.Topics, t)
		}
	}
	if m.LogoMediaID != nil {
		if img, ok := ch.image(*m.LogoMediaID); ok {
			m.Logo = &img
		}
	}
	meta := s.meta(r, m.Name, "")
	meta.Preview, meta.NoIndex, meta.Canonical, meta.Path = true, true, "", "/mitglieder/"+m.Slug
	s.render(w, r, http.StatusOK, view.MemberShow(meta, m, view.RelatedEvents{Now: s.now()}, view.NewsSection{}))
}

// GET /admin/mitglieder/{id}/loeschen asks before deleting.
func (s *Server) handleAdminMemberDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	m, err := s.memberOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	deps, err := s.store.FindMemberDependants(r.Context(), m.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.ConfirmDeleteData{
		Title: "Mitglied „" + m.ShortName + "“ löschen?",
		Text: "Das Mitglied verschwindet sofort aus dem Verzeichnis, von der Karte und aus den Kennzahlen; seine Adresse /mitglieder/" + m.Slug +
			" führt dann zur Fehlerseite. Termine, die es ausgerichtet hat, bleiben bestehen, aber ohne Gastgeber. Verknüpfte Benutzerkonten bleiben bestehen, ohne Mitglied. Seine Ansprechpersonen werden mit gelöscht. Das Protokoll behält, dass es gelöscht wurde.",
		Action:  fmt.Sprintf("/admin/mitglieder/%d/loeschen", m.ID),
		Back:    fmt.Sprintf("/admin/mitglieder/%d", m.ID),
		Version: m.Version,
	}
	for _, t := range deps.EventTitles {
		d.Dependants = append(d.Dependants, "Termin „"+t+"“ – bleibt bestehen, ohne Gastgeber")
	}
	for _, a := range deps.Accounts {
		d.Dependants = append(d.Dependants, "Benutzerkonto "+a+" – bleibt bestehen, ohne Mitglied")
	}
	switch deps.Contacts {
	case 0:
	case 1:
		d.Dependants = append(d.Dependants, "1 Ansprechperson – wird gelöscht")
	default:
		d.Dependants = append(d.Dependants, strconv.Itoa(deps.Contacts)+" Ansprechpersonen – werden gelöscht")
	}
	s.render(w, r, http.StatusOK, view.AdminConfirmDelete(s.adminMeta(r, d.Title), d))
}

// POST /admin/mitglieder/{id}/loeschen
func (s *Server) handleAdminMemberDelete(w http.ResponseWriter, r *http.Request) {
	m, err := s.memberOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.store.DeleteMember(r.Context(), actor(r), m.ID, formVersion(r))
	s.answerDelete(w, r, err, deleted{
		done:   "Das Mitglied „" + m.ShortName + "“ ist gelöscht.",
		list:   "/admin/mitglieder",
		stale:  "Das Mitglied wurde inzwischen geändert. Bitte prüfen Sie es, bevor Sie es löschen.",
		record: fmt.Sprintf("/admin/mitglieder/%d", m.ID),
	})
}
