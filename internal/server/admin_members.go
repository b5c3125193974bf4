package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/imaging"
	"defus.de/portal/web/view"
)

// GET /admin/mitglieder
func (s *Server) handleAdminMembersIndex(w http.ResponseWriter, r *http.Request) {
	lf, page := readListFilter(r)
	f := defus.MemberListFilter{ListFilter: lf}
	q := r.URL.Query()
	if k, ok := defus.MemberKindFromParam(q.Get("art")); ok {
		f.Kind = k
	}
	if st := q.Get("land"); defus.IsState(st) {
		f.FederalState = st
	}
	members, total, err := s.store.FindMembersAdmin(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.MembersAdminData{
		Filter: view.ListFilterData{Action: "/admin/mitglieder", Label: "Mitglieder filtern", Query: f.Query, State: f.State,
			Total: total, Noun: [2]string{"Mitglied", "Mitglieder"},
			Extra: []view.Field{
				{ID: "filter-kind", Name: "art", Label: "Art", Value: kindParam(f.Kind), Placeholder: "Alle",
					Options: []view.Option{{Value: "stadt", Label: "Städte"}, {Value: "organisation", Label: "Organisationen"}}},
				{ID: "filter-land", Name: "land", Label: "Bundesland", Value: f.FederalState, Placeholder: "Alle", Options: stateOptions()},
			}},
		Members: members,
		Paging:  paging(r, page, total),
	}
	s.render(w, r, http.StatusOK, view.AdminMembersIndex(s.adminMeta(r, "Mitglieder"), d))
}

func kindParam(k defus.MemberKind) string {
	if k == "" {
		return ""
	}
	return k.Param()
}

var kindOptions = []view.Option{{Value: string(defus.KindCity), Label: "Stadt"}, {Value: string(defus.KindOrganisation), Label: "Organisation"}}

func stateOptions() []view.Option {
	opts := make([]view.Option, len(defus.States))
	for i, st := range defus.States {
		opts[i] = view.Option{Value: st, Label: st}
	}
	return opts
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

// memberForm holds what was typed into the member form's number, choice
// and coordinate fields as text, so a wrong entry comes back as typed.
type memberForm struct {
	Population, PopulationYear, MemberSince, Lat, Lon, Logo string
	Topics                                                  []string
	LogoFile                                                string // name of a picture chosen for upload
}

// memberFormOf is the form text of a stored member, in German notation.
func memberFormOf(m *defus.Member) memberForm {
	var f memberForm
	if m.Population != nil {
		f.Population = defus.FormatNumber(*m.Population)
	}
	f.PopulationYear = optionalInt(m.PopulationYear)
	f.MemberSince = optionalInt(m.MemberSince)
	f.Lat, f.Lon = germanDecimal(m.Lat), germanDecimal(m.Lon)
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

// germanDecimal writes 50.9375 as "50,9375".
func germanDecimal(v *float64) string {
	if v == nil {
		return ""
	}
	return strings.Replace(strconv.FormatFloat(*v, 'f', -1, 64), ".", ",", 1)
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

// readMemberForm reads the member form into m (id stays) and returns the
// typed text of its number and choice fields and what is wrong with them;
// the rest is for m.Validate.
func readMemberForm(r *http.Request, m *defus.Member, ch memberChoices) (memberForm, defus.FieldErrors) {
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
	m.Published = r.PostFormValue("published") != ""
	m.Version, _ = strconv.Atoi(r.PostFormValue("version"))

	f := memberForm{
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
	return f, errs
}

// validateMember reads and checks the member form: the reading errors
// first, then the domain's rules.
func validateMember(r *http.Request, m *defus.Member, ch memberChoices) (memberForm, defus.FieldErrors) {
	f, errs := readMemberForm(r, m, ch)
	for field, msg := range m.Validate() {
		if field == "population_year" && errs.Has("population") {
			continue // the year is fine; the number beside it was not readable
		}
		errs.Add(field, msg)
	}
	return f, errs
}

// readMember reads and checks the member form with the logo chosen for
// upload: a good picture becomes m's new logo (stored with the save), a bad
// one an error at the file field. The error is the request's end.
func (s *Server) readMember(r *http.Request, m *defus.Member, ch memberChoices) (memberForm, defus.FieldErrors, error) {
	f, errs := validateMember(r, m, ch)
	file, logo, msg, err := s.memberLogoUpload(r, m)
	if err != nil {
		return f, errs, err
	}
	f.LogoFile = file
	errs.Check("logo_file", msg)
	m.NewLogo = logo
	return f, errs, nil
}

// memberFieldIDs are the form's fields in order with their element ids.
var memberFieldIDs = []struct{ name, id string }{
	{"name", "member-name"}, {"short_name", "member-short-name"}, {"slug", "member-slug"},
	{"kind", "member-kind"}, {"state", "member-state"}, {"lat", "member-lat"}, {"lon", "member-lon"},
	{"population", "member-population"}, {"population_year", "member-population-year"},
	{"member_since", "member-since"}, {"website", "member-website"}, {"description", "member-description"},
	{"logo", "member-logo"}, {"logo_file", "member-logo-file"}, {"topics", ""}, {"published", "member-published"},
}

// renderMemberForm shows the member form with what was typed, errors and,
// after a conflict, what is stored now.
func (s *Server) renderMemberForm(w http.ResponseWriter, r *http.Request, status int, existing, typed *defus.Member, f memberForm, ch memberChoices, errs defus.FieldErrors, current *defus.Member) {
	text := func(v string) string { return defus.CleanText(v) }
	d := view.MemberFormData{
		Member:  existing,
		Version: typed.Version,
		Name: view.Field{ID: "member-name", Name: "name", Label: "Name", Value: text(typed.Name), Error: errs["name"], Required: true,
			Hint: "Der offizielle Name, zum Beispiel „Stadt Köln“ oder „Landespräventionsrat Niedersachsen“."},
		ShortName: view.Field{ID: "member-short-name", Name: "short_name", Label: "Kurzname", Value: text(typed.ShortName), Error: errs["short_name"], Required: true,
			Hint: "Für Listen und die Karte, zum Beispiel „Köln“. Das Verzeichnis sortiert danach."},
		Slug: view.Field{ID: "member-slug", Name: "slug", Label: "Web-Adresse der Profilseite", Value: text(typed.Slug), Error: errs["slug"],
			Hint: "Der Teil nach /mitglieder/, zum Beispiel „koeln“: Kleinbuchstaben, Ziffern und Bindestriche. Leer lassen, um sie aus dem Kurznamen zu bilden."},
		Kind: view.Field{ID: "member-kind", Name: "kind", Label: "Art", Value: text(string(typed.Kind)), Error: errs["kind"], Required: true,
			Placeholder: "Bitte wählen", Options: kindOptions},
		State: view.Field{ID: "member-state", Name: "state", Label: "Bundesland", Value: text(typed.State), Error: errs["state"],
			Hint: "Bei Städten Pflicht; Organisationen ohne Sitz in einem Land bleiben ohne.", Placeholder: "Kein Bundesland", Options: stateOptions()},
		Lat: view.Field{ID: "member-lat", Name: "lat", Label: "Breitengrad", Value: text(f.Lat), Error: errs["lat"], Optional: true, InputMode: "decimal",
			Hint: "Für die Karte, zum Beispiel 50,9375 (Komma oder Punkt). Beide Koordinaten oder keine."},
		Lon: view.Field{ID: "member-lon", Name: "lon", Label: "Längengrad", Value: text(f.Lon), Error: errs["lon"], Optional: true, InputMode: "decimal",
			Hint: "Zum Beispiel 6,9603."},
		Population: view.Field{ID: "member-population", Name: "population", Label: "Einwohnerzahl", Value: text(f.Population), Error: errs["population"],
			Optional: true, InputMode: "numeric", Hint: "Nur bei Städten, zum Beispiel 1.084.831."},
		PopulationYear: view.Field{ID: "member-population-year", Name: "population_year", Label: "Stand (Jahr)", Value: text(f.PopulationYear),
			Error: errs["population_year"], Optional: true, InputMode: "numeric", Hint: "Das Jahr der Einwohnerzahl, zum Beispiel 2024."},
		MemberSince: view.Field{ID: "member-since", Name: "member_since", Label: "Mitglied seit", Value: text(f.MemberSince), Error: errs["member_since"],
			Optional: true, InputMode: "numeric", Hint: "Das Beitrittsjahr, zum Beispiel 2012."},
		Website: view.Field{ID: "member-website", Name: "website", Label: "Website", Type: "url", Value: text(typed.Website), Error: errs["website"],
			Optional: true, Hint: "Mit https://, zum Beispiel https://www.stadt-koeln.de."},
		Description: view.Field{ID: "member-description", Name: "description", Label: "Beschreibung", Value: text(typed.Description),
			Error: errs["description"], Rows: 12,
			Hint: "In Markdown: ## Zwischenüberschrift, **fett**, [Linktext](https://…), Listen mit „- “."},
		Logo: view.Field{ID: "member-logo", Name: "logo", Label: "Logo aus den Medien", Value: text(f.Logo), Error: errs["logo"], Placeholder: "Kein Logo",
			Hint: "Ein schon hochgeladenes Bild; sein Alternativtext beschreibt das Logo im Profil."},
		LogoFile: view.Field{ID: "member-logo-file", Name: "logo_file", Type: "file", Label: "Oder ein neues Logo hochladen", Error: errs["logo_file"],
			Optional: true, Accept: "image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp",
			Hint: "PNG, JPEG oder WebP bis " + defus.FormatBytes(defus.MaxImageBytes) + " und " + defus.FormatNumber(imaging.MaxPixels/1_000_000) +
				" Megapixel. Es kommt beim Speichern in die Medien, mit dem Alternativtext „Logo von " + defus.CleanText(typed.ShortName) +
				"“, und ersetzt die Auswahl darüber."},
		Published: view.Field{ID: "member-published", Name: "published", Error: errs["published"]},
		Topics: view.CheckboxGroup{IDPrefix: "member-topics", Name: "topics", Legend: "Themen", Error: errs["topics"],
			Hint: "Woran das Mitglied im Netzwerk arbeitet.", Checked: f.Topics},
	}
	if typed.Published {
		d.Published.Value = "ja"
	}
	if f.LogoFile != "" && !errs.Has("logo_file") && errs.Any() {
		// A browser cannot fill in a file field again.
		d.LogoFile.Hint = "Ihre Datei „" + defus.CleanText(f.LogoFile) + "“ ist noch nicht gespeichert: Bitte wählen Sie sie noch einmal aus, bevor Sie speichern."
	}
	d.Map = s.locationMap(typed.Lat, typed.Lon)
	d.SlugBase = s.cfg.BaseURLString() + "/mitglieder/"
	d.SlugShown = typed.Slug
	if d.SlugShown == "" {
		d.SlugShown = defus.Slugify(typed.ShortName)
	}
	for _, img := range ch.images {
		d.Logo.Options = append(d.Logo.Options, view.Option{Value: strconv.FormatInt(img.ID, 10), Label: imageLabel(img)})
	}
	for _, t := range ch.topics {
		label := t.Title
		if !t.Published {
			label += " (Entwurf)"
		}
		d.Topics.Options = append(d.Topics.Options, view.Option{Value: strconv.FormatInt(t.ID, 10), Label: label})
	}
	for _, fe := range memberFieldIDs {
		if msg, ok := errs[fe.name]; ok {
			id := fe.id
			if fe.name == "topics" {
				id = d.Topics.FirstID()
			}
			d.Errors = append(d.Errors, view.ErrorLink{Href: "#" + id, Text: msg})
		}
	}
	if current != nil {
		d.Version = current.Version
		d.Conflict = summaryConflicts(memberSummary(current, ch), memberSummary(typed, ch))
	}
	title := "Neues Mitglied"
	if existing != nil {
		title = "Mitglied „" + existing.ShortName + "“ bearbeiten"
	}
	s.render(w, r, status, view.AdminMemberForm(s.adminMeta(r, title), d))
}

func imageLabel(img defus.Media) string {
	if img.AltText == "" {
		return img.Name
	}
	return img.Name + " – " + img.AltText
}

// summaryField is one field of a record as the office reads it.
type summaryField struct{ label, value string }

// memberSummary writes out m's fields for comparing two versions.
func memberSummary(m *defus.Member, ch memberChoices) []summaryField {
	logo := ""
	if m.LogoMediaID != nil {
		if img, ok := ch.image(*m.LogoMediaID); ok {
			logo = imageLabel(img)
		} else {
			logo = "Bild " + strconv.FormatInt(*m.LogoMediaID, 10)
		}
	}
	var topics []string
	for _, id := range slices.Sorted(slices.Values(m.TopicIDs)) {
		if t, ok := ch.topic(id); ok {
			topics = append(topics, t.Title)
		}
	}
	f := memberFormOf(m)
	return []summaryField{
		{"Name", m.Name},
		{"Kurzname", m.ShortName},
		{"Web-Adresse der Profilseite", m.Slug},
		{"Art", m.Kind.Label()},
		{"Bundesland", m.State},
		{"Breitengrad", f.Lat},
		{"Längengrad", f.Lon},
		{"Einwohnerzahl", f.Population},
		{"Stand (Jahr)", f.PopulationYear},
		{"Mitglied seit", f.MemberSince},
		{"Website", m.Website},
		{"Beschreibung", m.Description},
		{"Logo", logo},
		{"Themen", strings.Join(topics, ", ")},
		{"Status", publishedLabelOf(m.Published)},
	}
}

// summaryConflicts compares two summaries of the same record field by field.
func summaryConflicts(current, typed []summaryField) []view.ConflictField {
	rows := make([]conflictRow, len(current))
	for i, c := range current {
		rows[i] = conflictRow{c.label, c.value, typed[i].value}
	}
	return conflictFields(rows)
}

// GET /admin/mitglieder/neu
func (s *Server) handleAdminMemberNew(w http.ResponseWriter, r *http.Request) {
	ch, err := s.memberChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	m := &defus.Member{Kind: defus.KindCity}
	s.renderMemberForm(w, r, http.StatusOK, nil, m, memberFormOf(m), ch, nil, nil)
}

// POST /admin/mitglieder
func (s *Server) handleAdminMemberCreate(w http.ResponseWriter, r *http.Request) {
	ch, err := s.memberChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	var m defus.Member
	f, errs, err := s.readMember(r, &m, ch)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if errs.Any() {
		s.renderMemberForm(w, r, http.StatusUnprocessableEntity, nil, &m, f, ch, errs, nil)
		return
	}
	err = s.store.CreateMember(r.Context(), actor(r), &m)
	if errors.Is(err, defus.ErrSlugTaken) {
		s.renderMemberForm(w, r, http.StatusUnprocessableEntity, nil, &m, f, ch, defus.FieldErrors{"slug": slugTaken}, nil)
		return
	}
	if err != nil {
		s.error(w, r, err)
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
	s.renderMemberForm(w, r, http.StatusOK, m, m, memberFormOf(m), ch, nil, nil)
}

// POST /admin/mitglieder/{id}
func (s *Server) handleAdminMemberUpdate(w http.ResponseWriter, r *http.Request) {
	m, ch, err := s.memberAndChoices(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	typed := *m
	f, errs, err := s.readMember(r, &typed, ch)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if errs.Any() {
		s.renderMemberForm(w, r, http.StatusUnprocessableEntity, m, &typed, f, ch, errs, nil)
		return
	}
	current, err := s.store.UpdateMember(r.Context(), actor(r), &typed)
	switch {
	case errors.Is(err, defus.ErrConflict):
		s.renderMemberForm(w, r, http.StatusConflict, m, &typed, f, ch, nil, current)
		return
	case errors.Is(err, defus.ErrSlugTaken):
		s.renderMemberForm(w, r, http.StatusUnprocessableEntity, m, &typed, f, ch, defus.FieldErrors{"slug": slugTaken}, nil)
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	s.flash(r, "Das Mitglied „"+typed.ShortName+"“ ist gespeichert.")
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
	var m defus.Member
	readMemberForm(r, &m, ch)
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
	s.render(w, r, http.StatusOK, view.MemberShow(meta, m, view.RelatedEvents{Now: s.now()}))
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
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	err = s.store.DeleteMember(r.Context(), actor(r), m.ID, version)
	switch {
	case errors.Is(err, defus.ErrConflict):
		s.flash(r, "Das Mitglied wurde inzwischen geändert. Bitte prüfen Sie es, bevor Sie es löschen.")
		http.Redirect(w, r, fmt.Sprintf("/admin/mitglieder/%d", m.ID), http.StatusSeeOther)
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	s.flash(r, "Das Mitglied „"+m.ShortName+"“ ist gelöscht.")
	http.Redirect(w, r, "/admin/mitglieder", http.StatusSeeOther)
}

// contactOfRequest finds the member {id} and its contact {cid}; a contact
// of another member is not found.
func (s *Server) contactOfRequest(r *http.Request) (*defus.Member, *defus.Contact, error) {
	m, err := s.memberOfRequest(r)
	if err != nil {
		return nil, nil, err
	}
	cid, err := pathParamID(r, "cid")
	if err != nil {
		return nil, nil, err
	}
	c, err := s.store.FindContact(r.Context(), m.ID, cid)
	if err != nil {
		return nil, nil, err
	}
	return m, c, nil
}

// readContactForm reads the contact form into c (ids stay).
func readContactForm(r *http.Request, c *defus.Contact) {
	c.Name = formText(r, "name")
	c.Function = formText(r, "function")
	c.Email = formText(r, "email")
	c.Phone = formText(r, "phone")
	c.Public = r.PostFormValue("public") != ""
	c.Version, _ = strconv.Atoi(r.PostFormValue("version"))
}

func contactSummary(c *defus.Contact) []summaryField {
	audience := "nur für Mitglieder"
	if c.Public {
		audience = "öffentlich"
	}
	return []summaryField{{"Name", c.Name}, {"Funktion", c.Function}, {"E-Mail", c.Email}, {"Telefon", c.Phone}, {"Sichtbarkeit", audience}}
}

// renderContactForm shows the contact form with what was typed, errors
// and, after a conflict, what is stored now.
func (s *Server) renderContactForm(w http.ResponseWriter, r *http.Request, status int, m *defus.Member, existing, typed *defus.Contact, errs defus.FieldErrors, current *defus.Contact) {
	d := view.ContactFormData{
		Member:  *m,
		Contact: existing,
		Version: typed.Version,
		Name: view.Field{ID: "contact-name", Name: "name", Label: "Name", Value: defus.CleanText(typed.Name), Error: errs["name"],
			Required: true, Autocomplete: "off"},
		Function: view.Field{ID: "contact-function", Name: "function", Label: "Funktion", Value: defus.CleanText(typed.Function),
			Error: errs["function"], Optional: true, Hint: "Zum Beispiel „Leiterin der Geschäftsstelle Kommunale Kriminalprävention“."},
		Email: view.Field{ID: "contact-email", Name: "email", Label: "E-Mail-Adresse", Type: "email", Value: defus.CleanText(typed.Email),
			Error: errs["email"], Optional: true, Autocomplete: "off"},
		Phone: view.Field{ID: "contact-phone", Name: "phone", Label: "Telefon", Type: "tel", Value: defus.CleanText(typed.Phone),
			Error: errs["phone"], Optional: true, Autocomplete: "off", Hint: "Zum Beispiel 0221 221-12345."},
		Public: view.Field{ID: "contact-public", Name: "public", Error: errs["public"],
			Hint: "Öffentliche Ansprechpersonen stehen mit Funktion, E-Mail und Telefon im Profil auf der Website."},
	}
	if typed.Public {
		d.Public.Value = "ja"
	}
	for _, fe := range errs.In("name", "function", "email", "phone", "public") {
		d.Errors = append(d.Errors, view.ErrorLink{Href: "#contact-" + fe.Field, Text: fe.Message})
	}
	if current != nil {
		d.Version = current.Version
		d.Conflict = summaryConflicts(contactSummary(current), contactSummary(typed))
	}
	title := "Neue Ansprechperson für " + m.ShortName
	if existing != nil {
		title = "Ansprechperson „" + existing.Name + "“ bearbeiten"
	}
	s.render(w, r, status, view.AdminContactForm(s.adminMeta(r, title), d))
}

// contactsURL is the contacts section of the member's edit page.
func contactsURL(memberID int64) string {
	return fmt.Sprintf("/admin/mitglieder/%d#ansprechpersonen", memberID)
}

// GET /admin/mitglieder/{id}/ansprechpersonen/neu
func (s *Server) handleAdminContactNew(w http.ResponseWriter, r *http.Request) {
	m, err := s.memberOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderContactForm(w, r, http.StatusOK, m, nil, &defus.Contact{MemberID: m.ID}, nil, nil)
}

// POST /admin/mitglieder/{id}/ansprechpersonen
func (s *Server) handleAdminContactCreate(w http.ResponseWriter, r *http.Request) {
	m, err := s.memberOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	c := defus.Contact{MemberID: m.ID}
	readContactForm(r, &c)
	if errs := c.Validate(); errs.Any() {
		s.renderContactForm(w, r, http.StatusUnprocessableEntity, m, nil, &c, errs, nil)
		return
	}
	if err := s.store.CreateContact(r.Context(), actor(r), &c); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, c.Name+" ist als Ansprechperson eingetragen.")
	http.Redirect(w, r, contactsURL(m.ID), http.StatusSeeOther)
}

// GET /admin/mitglieder/{id}/ansprechpersonen/{cid}
func (s *Server) handleAdminContactEdit(w http.ResponseWriter, r *http.Request) {
	m, c, err := s.contactOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderContactForm(w, r, http.StatusOK, m, c, c, nil, nil)
}

// POST /admin/mitglieder/{id}/ansprechpersonen/{cid}
func (s *Server) handleAdminContactUpdate(w http.ResponseWriter, r *http.Request) {
	m, c, err := s.contactOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	typed := *c
	readContactForm(r, &typed)
	if errs := typed.Validate(); errs.Any() {
		s.renderContactForm(w, r, http.StatusUnprocessableEntity, m, c, &typed, errs, nil)
		return
	}
	current, err := s.store.UpdateContact(r.Context(), actor(r), &typed)
	switch {
	case errors.Is(err, defus.ErrConflict):
		s.renderContactForm(w, r, http.StatusConflict, m, c, &typed, nil, current)
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Angaben zu "+typed.Name+" sind gespeichert.")
	http.Redirect(w, r, contactsURL(m.ID), http.StatusSeeOther)
}

// GET /admin/mitglieder/{id}/ansprechpersonen/{cid}/loeschen asks before deleting.
func (s *Server) handleAdminContactDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	m, c, err := s.contactOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.ConfirmDeleteData{
		Title: "Ansprechperson „" + c.Name + "“ löschen?",
		Text: c.Name + " wird aus den Ansprechpersonen von " + m.ShortName +
			" entfernt und erscheint nicht mehr im Profil. Das Protokoll behält, dass der Eintrag gelöscht wurde.",
		Action:  contactPath(m.ID, c.ID, "/loeschen"),
		Back:    contactsURL(m.ID),
		Version: c.Version,
	}
	s.render(w, r, http.StatusOK, view.AdminConfirmDelete(s.adminMeta(r, d.Title), d))
}

func contactPath(memberID, id int64, suffix string) string {
	return fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/%d%s", memberID, id, suffix)
}

// POST /admin/mitglieder/{id}/ansprechpersonen/{cid}/loeschen
func (s *Server) handleAdminContactDelete(w http.ResponseWriter, r *http.Request) {
	m, c, err := s.contactOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	err = s.store.DeleteContact(r.Context(), actor(r), m.ID, c.ID, version)
	switch {
	case errors.Is(err, defus.ErrConflict):
		s.flash(r, "Die Angaben zu "+c.Name+" wurden inzwischen geändert. Bitte prüfen Sie sie, bevor Sie sie löschen.")
		http.Redirect(w, r, contactPath(m.ID, c.ID, ""), http.StatusSeeOther)
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	s.flash(r, c.Name+" ist als Ansprechperson gelöscht.")
	http.Redirect(w, r, contactsURL(m.ID), http.StatusSeeOther)
}

// handleAdminContactMove serves POST /admin/mitglieder/{id}/ansprechpersonen/{cid}/hoch
// (step -1) and …/runter (step +1).
func (s *Server) handleAdminContactMove(step int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, c, err := s.contactOfRequest(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if err := s.store.MoveContact(r.Context(), actor(r), m.ID, c.ID, step); err != nil {
			s.error(w, r, err)
			return
		}
		s.flash(r, "Die Reihenfolge der Ansprechpersonen ist gespeichert.")
		http.Redirect(w, r, contactsURL(m.ID), http.StatusSeeOther)
	}
}
