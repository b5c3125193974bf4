package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/geomap"
	"defus.de/portal/web/view"
)

// handleMembersIndex serves GET /mitglieder?art=stadt|organisation&land=....
// Filter values it does not know are ignored with a German note.
func (s *Server) handleMembersIndex(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	states, err := s.store.FindMemberStates(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.MembersData{States: states}
	var f defus.MemberFilter
	q := r.URL.Query()
	if v := q.Get("art"); v != "" {
		if kind, ok := defus.MemberKindFromParam(v); ok {
			f.Kind, d.Kind = kind, v
		} else {
			d.Notes = append(d.Notes, fmt.Sprintf("Die Art „%s“ gibt es nicht. Es werden Städte und Organisationen gezeigt.", cleanParam(v)))
		}
	}
	if v := q.Get("land"); v != "" {
		if contains(states, v) {
			f.State, d.State = v, v
		} else if defus.IsState(v) {
			// A real state without members: filter anyway, the list says "none".
			f.State, d.State = v, v
			d.States = append(d.States, v)
		} else {
			d.Notes = append(d.Notes, fmt.Sprintf("Das Bundesland „%s“ gibt es nicht. Es werden alle Bundesländer gezeigt.", cleanParam(v)))
		}
	}
	d.Members, err = s.store.FindMembers(ctx, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	stats, err := s.store.FindMemberStats(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.Total = stats.Cities + stats.Organisations
	d.Map = s.memberMap(d.Members)
	m := s.meta(r, "Mitglieder", "Die Städte und Organisationen im Deutsch-Europäischen Forum für Urbane Sicherheit, als Liste und auf der Karte.")
	s.render(w, r, http.StatusOK, view.MembersIndex(m, d))
}

// memberMap projects the members with a location onto the outline of Germany.
func (s *Server) memberMap(members []defus.Member) view.MapData {
	var placed []defus.Member
	var points []geomap.Point
	for _, m := range members {
		if m.HasLocation() {
			placed = append(placed, m)
			points = append(points, s.germany.Project(*m.Lat, *m.Lon))
		}
	}
	points = geomap.Spread(points)
	d := view.MapData{ViewBox: s.germany.ViewBox(), Outline: s.germany.Path}
	for i, m := range placed {
		p := points[i]
		r := geomap.DotRadius + 1
		d.Dots = append(d.Dots, view.MapDot{
			Href:  "/mitglieder/" + m.Slug,
			Label: m.Name + " (" + m.Kind.Label() + ", " + m.State + ")",
			X:     geomap.Num(p.X),
			Y:     geomap.Num(p.Y),
			Diamond: strings.Join([]string{
				geomap.Num(p.X) + "," + geomap.Num(p.Y-r),
				geomap.Num(p.X+r) + "," + geomap.Num(p.Y),
				geomap.Num(p.X) + "," + geomap.Num(p.Y+r),
				geomap.Num(p.X-r) + "," + geomap.Num(p.Y),
			}, " "),
			Kind: m.Kind,
		})
	}
	return d
}

// handleMemberShow serves GET /mitglieder/{slug}; an old slug of the
// member gets a 301 to its address now.
func (s *Server) handleMemberShow(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	m, err := s.store.FindMember(r.Context(), slug)
	if err != nil {
		s.errorOrMoved(w, r, err, defus.EntityMember, slug, func(slug string) string { return "/mitglieder/" + slug })
		return
	}
	events, err := s.relatedEvents(r.Context(), defus.EventFilter{HostID: m.ID}, "/termine?gastgeber="+m.Slug)
	if err != nil {
		s.error(w, r, err)
		return
	}
	news, err := s.newsSection(r.Context(), defus.ArticleFilter{MemberID: m.ID}, "/aktuelles", "")
	if err != nil {
		s.error(w, r, err)
		return
	}
	desc := m.Name + " im Deutsch-Europäischen Forum für Urbane Sicherheit."
	s.render(w, r, http.StatusOK, view.MemberShow(s.meta(r, m.Name, desc), *m, events, news))
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
