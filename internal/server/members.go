package server

import (
	"fmt"
	"net/http"
	"strconv"
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
	places, count, err := s.store.FindMemberPlaces(ctx, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.Count = count
	d.Page, d.Pages = pageNumber(q), max((count+membersPageSize-1)/membersPageSize, 1)
	d.Page = min(d.Page, d.Pages)
	f.Limit, f.Offset = membersPageSize, (d.Page-1)*membersPageSize
	if d.Members, err = s.store.FindMembers(ctx, f); err != nil {
		s.error(w, r, err)
		return
	}
	stats, err := s.store.FindMemberStats(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d.Total = stats.Cities + stats.Organisations
	d.Map = s.memberMap(places, d.Members)
	if len(d.Notes) == 0 && onlyParams(q, "art", "land", "seite") && (!q.Has("seite") || q.Get("seite") == strconv.Itoa(d.Page)) {
		knownQuery(r)
	}
	m := s.meta(r, "Mitglieder", "Die Städte und Organisationen im Deutsch-Europäischen Forum für Urbane Sicherheit, als Liste und auf der Karte.")
	s.render(w, r, http.StatusOK, view.MembersIndex(m, d))
}

// membersPageSize is how many members a page of /mitglieder lists, as many
// as a page of events.
const membersPageSize = eventsPageSize

// memberMap projects the members with a place onto the outline of Germany,
// all of them, so that the map shows where the members of the filter are.
// The members of the list's page (linked) become dots with a link and a
// name; the others are drawn fainter, in one path for each kind, to keep
// the page small with thousands of members. The places are spread (apart
// where they would overlap) as a whole, from s.spread's cache.
func (s *Server) memberMap(places []defus.MemberPlace, linked []defus.Member) view.MapData {
	points := make([]geomap.Point, len(places))
	for i, p := range places {
		points[i] = s.germany.Project(p.Lat, p.Lon)
	}
	points = s.spread.Spread(points)
	onPage := make(map[int64]int, len(linked)) // id → place in the list
	for i := range linked {
		onPage[linked[i].ID] = i
	}
	dots := make([]*view.MapDot, len(linked))
	d := view.MapData{ViewBox: s.germany.ViewBox(), Outline: s.germany.Path}
	var cities, orgs strings.Builder
	r := geomap.DotRadius + 1
	rs := geomap.Num(r)
	diamond := "l" + rs + " " + rs + "-" + rs + " " + rs + "-" + rs + "-" + rs + "z" // from the top corner round
	for i, pl := range places {
		p := points[i]
		x, y := geomap.Num(p.X), geomap.Num(p.Y)
		at, ok := onPage[pl.ID]
		switch {
		case ok:
			m := &linked[at]
			dots[at] = &view.MapDot{
				Href:  "/mitglieder/" + m.Slug,
				Label: m.Name + " (" + m.Kind.Label() + ", " + m.State + ")",
				X:     x,
				Y:     y,
				Diamond: strings.Join([]string{
					x + "," + geomap.Num(p.Y-r),
					geomap.Num(p.X+r) + "," + y,
					x + "," + geomap.Num(p.Y+r),
					geomap.Num(p.X-r) + "," + y,
				}, " "),
				Kind: m.Kind,
			}
		case pl.Kind == defus.KindOrganisation:
			orgs.WriteString("M" + x + " " + geomap.Num(p.Y-r) + diamond)
		default:
			cities.WriteString("M" + x + " " + y + "h0")
		}
	}
	for _, dot := range dots { // in the list's order, which the keyboard follows
		if dot != nil {
			d.Dots = append(d.Dots, *dot)
		}
	}
	d.OtherCities, d.OtherOrganisations = cities.String(), orgs.String()
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
