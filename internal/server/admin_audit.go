package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

const auditPageSize = 50

// GET /admin/protokoll
func (s *Server) handleAuditIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := view.AuditData{Person: q.Get("person"), Entity: q.Get("bereich"), From: q.Get("von"), To: q.Get("bis"), Query: url.Values{}}
	f := defus.AuditFilter{Limit: auditPageSize}
	if id, err := strconv.ParseInt(d.Person, 10, 64); err == nil && id > 0 {
		f.ActorID = id
		d.Query.Set("person", d.Person)
	} else {
		d.Person = ""
	}
	if d.Entity != "" {
		f.Entity = d.Entity
		d.Query.Set("bereich", d.Entity)
	}
	if id, err := strconv.ParseInt(q.Get("id"), 10, 64); err == nil && id > 0 && f.Entity != "" {
		f.EntityID = id
		d.Query.Set("id", q.Get("id"))
	}
	// Dates are Berlin days; "bis" includes its whole day.
	if d.From != "" {
		if t, err := time.ParseInLocation(time.DateOnly, d.From, defus.Berlin); err == nil {
			f.From = t
			d.Query.Set("von", d.From)
		} else {
			d.FromError = "Bitte geben Sie das Datum als TT.MM.JJJJ ein."
		}
	}
	if d.To != "" {
		if t, err := time.ParseInLocation(time.DateOnly, d.To, defus.Berlin); err == nil {
			f.To = t.AddDate(0, 0, 1)
			d.Query.Set("bis", d.To)
		} else {
			d.ToError = "Bitte geben Sie das Datum als TT.MM.JJJJ ein."
		}
	}
	status := http.StatusOK
	if d.FromError != "" {
		d.Errors = append(d.Errors, view.ErrorLink{Href: "#" + "filter-von", Text: d.FromError})
	}
	if d.ToError != "" {
		d.Errors = append(d.Errors, view.ErrorLink{Href: "#" + "filter-bis", Text: d.ToError})
	}
	if len(d.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	f.Before, _ = strconv.ParseInt(q.Get("vor"), 10, 64)
	f.After, _ = strconv.ParseInt(q.Get("nach"), 10, 64)

	ctx := r.Context()
	page, err := s.store.FindAuditPage(ctx, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.Entries, d.Count, d.CountCapped = page.Entries, page.Count, page.CountCapped
	if n := len(page.Entries); n > 0 && page.Newer {
		d.Newer = page.Entries[0].ID
	}
	if n := len(page.Entries); n > 0 && page.Older {
		d.Older = page.Entries[n-1].ID
	}
	// Ids in the changes are shown as the names of what they refer to,
	// looked up for the whole page at once.
	if d.Names, err = s.store.FindAuditNames(ctx, defus.AuditRefs(d.Entries)); err != nil {
		s.error(w, r, err)
		return
	}
	if d.Actors, err = s.store.FindAuditActors(ctx); err != nil {
		s.error(w, r, err)
		return
	}
	if d.Entities, err = s.store.FindAuditEntities(ctx); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, status, view.AdminAudit(s.adminMeta(r, "Protokoll"), d))
}

// GET /admin/protokoll/{id}
func (s *Server) handleAuditShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ctx := r.Context()
	var d view.AuditEntryData
	if d.Entry, err = s.store.FindAuditEntry(ctx, id); err != nil {
		s.error(w, r, err)
		return
	}
	if d.Names, err = s.store.FindAuditNames(ctx, defus.AuditRefs([]defus.AuditEntry{d.Entry})); err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, view.AdminAuditEntry(s.adminMeta(r, "Protokolleintrag"), d))
}
