package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/vcard"
	"defus.de/portal/web/view"
)

// The members' area (/intern): member representatives, and the office,
// read the whole network's contacts and the documents for members; a
// representative keeps their own organisation's profile fresh.

// requireIntern lets through member representatives linked to a member and
// office staff. Anyone not logged in goes to the login and back; a member
// account without a member gets the 403 page.
func (s *Server) requireIntern(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r.Context())
		if u == nil {
			s.toLogin(w, r)
			return
		}
		if !u.Staff() && u.MemberID == nil {
			s.forbidden(w, r, "Ihr Konto ist noch keinem Mitglied zugeordnet. Bitte wenden Sie sich an die Geschäftsstelle.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireRepresentative lets through only accounts that speak for a
// member: the pages about one's own profile. Staff edit profiles in /admin.
func (s *Server) requireRepresentative(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ownMemberID(r) == 0 {
			s.forbidden(w, r, "Diese Seite ist für Vertreterinnen und Vertreter von Mitgliedern. Die Geschäftsstelle bearbeitet Profile in der Verwaltung.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ownMemberID is the member the logged-in representative speaks for; 0
// for staff and anybody else.
func ownMemberID(r *http.Request) int64 {
	u := currentUser(r.Context())
	if u == nil || u.Staff() || u.MemberID == nil {
		return 0
	}
	return *u.MemberID
}

// forbidden answers 403 with the page of the public layout.
func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, text string) {
	s.errorPage(w, r, http.StatusForbidden, view.ErrorData{Title: "Kein Zugriff", Text: text})
}

// internMeta fills what every page of the members' area needs. Its pages
// are never indexed.
func (s *Server) internMeta(r *http.Request, title string) view.InternMeta {
	m := s.meta(r, title, "")
	m.NoIndex, m.Canonical = true, ""
	return view.InternMeta{Meta: m, User: currentUser(r.Context()), Flash: s.sessions.PopString(r.Context(), sessionFlash)}
}

// GET /intern
func (s *Server) handleInternHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := view.InternHomeData{Now: s.now()}
	var err error
	if d.Events, err = s.store.FindEvents(ctx, defus.EventFilter{Now: s.now(), Period: defus.PeriodUpcoming, Limit: 5}); err != nil {
		s.error(w, r, err)
		return
	}
	f := defus.DocumentFilter{Visible: defus.VisibleTo(currentUser(ctx)), Limit: 5}
	if d.Documents, _, err = s.store.FindDocuments(ctx, f); err != nil {
		s.error(w, r, err)
		return
	}
	if id := ownMemberID(r); id != 0 {
		if d.Profile, err = s.store.FindProfileStatus(ctx, id); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, view.InternHome(s.internMeta(r, "Mitgliederbereich"), d))
}

// readContactFilter reads ?q=, ?mitglied=, ?land= and ?thema= of the
// contact directory; unknown members, states and topics are ignored.
func (s *Server) readContactFilter(r *http.Request) (defus.ContactFilter, view.InternContactsData, error) {
	ctx := r.Context()
	q := r.URL.Query()
	var f defus.ContactFilter
	d := view.InternContactsData{Query: cleanParam(strings.TrimSpace(q.Get("q")))}
	f.Query = d.Query
	var err error
	if d.Members, err = s.store.FindMemberChoices(ctx); err != nil {
		return f, d, err
	}
	if d.States, err = s.store.FindMemberStates(ctx); err != nil {
		return f, d, err
	}
	if d.Topics, err = s.store.FindTopics(ctx); err != nil {
		return f, d, err
	}
	for _, m := range d.Members {
		if m.Slug == q.Get("mitglied") {
			f.MemberID, d.Member = m.ID, m.Slug
		}
	}
	if contains(d.States, q.Get("land")) {
		f.State, d.State = q.Get("land"), q.Get("land")
	}
	for _, t := range d.Topics {
		if t.Slug == q.Get("thema") {
			f.TopicID, d.Topic = t.ID, t.Slug
		}
	}
	return f, d, nil
}

// contactsPageSize is how many contact persons a page of the directory
// lists (the address book file holds all that the filter selects).
const contactsPageSize = 50

// GET /intern/kontakte
func (s *Server) handleInternContacts(w http.ResponseWriter, r *http.Request) {
	f, d, err := s.readContactFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := pageNumber(r.URL.Query())
	f.Limit, f.Offset = contactsPageSize, (page-1)*contactsPageSize
	if d.Contacts, d.Total, err = s.store.FindNetworkContacts(r.Context(), f); err != nil {
		s.error(w, r, err)
		return
	}
	if len(d.Contacts) == 0 && page > 1 { // past the end: the first page says how many, then the last
		first := f
		first.Offset = 0
		if _, d.Total, err = s.store.FindNetworkContacts(r.Context(), first); err != nil {
			s.error(w, r, err)
			return
		}
		page = max((d.Total+contactsPageSize-1)/contactsPageSize, 1)
		f.Offset = (page - 1) * contactsPageSize
		if d.Contacts, d.Total, err = s.store.FindNetworkContacts(r.Context(), f); err != nil {
			s.error(w, r, err)
			return
		}
	}
	d.Paging = view.Paging{Page: page, Pages: max((d.Total+contactsPageSize-1)/contactsPageSize, 1), Base: "/intern/kontakte", Query: r.URL.Query()}
	s.render(w, r, http.StatusOK, view.InternContacts(s.internMeta(r, "Kontakte im Netzwerk"), d))
}

// GET /intern/kontakte.vcf: the directory as filtered, as one address book file.
func (s *Server) handleInternContactsVCard(w http.ResponseWriter, r *http.Request) {
	f, _, err := s.readContactFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	list, _, err := s.store.FindNetworkContacts(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	cards := make([]vcard.Card, len(list))
	for i, c := range list {
		cards[i] = s.contactCard(c)
	}
	serveVCard(w, "defus-kontakte.vcf", vcard.Encode(cards...))
}

// GET /intern/kontakte/{id}.vcf
func (s *Server) handleInternContactVCard(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(strings.TrimSuffix(chi.URLParam(r, "file"), ".vcf"), 10, 64)
	if err != nil || id <= 0 || !strings.HasSuffix(chi.URLParam(r, "file"), ".vcf") {
		s.handleNotFound(w, r)
		return
	}
	c, err := s.store.FindNetworkContact(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	serveVCard(w, defus.Slugify(c.Name)+".vcf", vcard.Encode(s.contactCard(*c)))
}

// contactCard is a contact person as an address book card.
func (s *Server) contactCard(c defus.NetworkContact) vcard.Card {
	return vcard.Card{
		UID:           s.cfg.BaseURLString() + "/intern/kontakte/" + strconv.FormatInt(c.ID, 10) + ".vcf",
		FormattedName: c.Name, Organisation: c.MemberName, Title: c.Function,
		Email: c.Email, Phone: c.Phone, Revision: c.UpdatedAt,
	}
}

// serveVCard sends address book cards; personal data, so never cached by others.
func serveVCard(w http.ResponseWriter, name string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/vcard; charset=utf-8")
	h.Set("Content-Disposition", contentDisposition("attachment", name))
	h.Set("Cache-Control", "private, no-store")
	w.Write(data)
}

// GET /intern/dokumente
func (s *Server) handleInternDocuments(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	visible := defus.VisibleTo(currentUser(ctx))
	d := view.InternDocumentsData{Query: cleanParam(strings.TrimSpace(q.Get("q")))}
	f := defus.DocumentFilter{Query: d.Query, Visible: visible}
	var err error
	if d.Topics, err = s.store.FindTopics(ctx); err != nil {
		s.error(w, r, err)
		return
	}
	for _, t := range d.Topics {
		if t.Slug == q.Get("thema") {
			f.TopicID, d.Topic = t.ID, t.Slug
		}
	}
	if d.Years, err = s.store.FindDocumentYears(ctx, visible); err != nil {
		s.error(w, r, err)
		return
	}
	if y, err := strconv.Atoi(q.Get("jahr")); err == nil {
		for _, known := range d.Years {
			if known == y {
				f.Year, d.Year = y, y
			}
		}
	}
	if d.Documents, d.Total, err = s.store.FindDocuments(ctx, f); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, view.InternDocuments(s.internMeta(r, "Dokumente"), d))
}

// GET /dokumente/{token}/{name}: a document's file, to whom its visibility
// allows. To anybody else it is the plain 404 page: nothing tells that a
// document is there. Members-only and office files are private to the
// browser; every file is revalidated (its visibility may change).
func (s *Server) handleDocumentFile(w http.ResponseWriter, r *http.Request) {
	d, err := s.store.FindDocumentFile(r.Context(), chi.URLParam(r, "token"))
	if errors.Is(err, defus.ErrNotFound) || err == nil && !visibleTo(d, currentUser(r.Context())) {
		s.handleNotFound(w, r)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if name, err := url.PathUnescape(chi.URLParam(r, "name")); err != nil || name != d.FileName {
		http.Redirect(w, r, d.URL(), http.StatusMovedPermanently)
		return
	}
	disposition := "attachment"
	if d.ContentType == defus.TypePDF {
		disposition = "inline"
	}
	cache := "public, no-cache"
	if d.Visibility != defus.VisibilityPublic {
		cache = "private, no-cache"
		w.Header().Set("Vary", "Cookie")
	}
	serveBytes(w, r, d.ContentType, contentDisposition(disposition, d.FileName), d.SHA256, cache, d.Data)
}

func visibleTo(d *defus.Document, u *defus.User) bool {
	for _, v := range defus.VisibleTo(u) {
		if v == d.Visibility {
			return true
		}
	}
	return false
}
