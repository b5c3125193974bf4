// Package seed fills an empty database. Network is the real DEFUS network
// (the association's record, its 17 cities and 3 organisations with their
// contacts, the topics, the required pages and the documented past events):
// what a production database gets. Run adds demo content on top (upcoming
// sample events now; articles, documents and
// registrations when they come), for development and tests only. Both only
// ever add: a record whose address (slug) is taken already, edited by the
// office or not, is left alone, so running either twice changes nothing.
//
// The seed writes through the store, like the office does, so its records
// obey the same rules and the audit log says where they came from: the
// actor "Einrichtung". Each record is its own transaction; a run that fails
// half-way leaves what it added, and running it again adds the rest.
package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// Setup is who the seed's records are created by in the audit log.
var Setup = defus.Actor{Name: "Einrichtung"}

// Result counts what a run inserted.
type Result struct {
	Members, Contacts, Topics, Pages, Events int
	Articles                                 int
}

func (r Result) String() string {
	return fmt.Sprintf("%d members, %d contacts, %d topics, %d pages, %d events, %d articles added",
		r.Members, r.Contacts, r.Topics, r.Pages, r.Events, r.Articles)
}

// Network adds whatever of the real network is missing: `defus seed`. It
// adds no demo content, so it is safe on a production database.
func Network(ctx context.Context, pool *pgxpool.Pool) (Result, error) {
	var res Result
	if err := seedNetwork(ctx, store.New(pool, time.Now), &res); err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	return res, nil
}

// Run adds whatever of the network and the demo content is missing:
// `defus seed -demo`, `make run` and the tests. Upcoming demo events are
// placed relative to now, which is also the time the records are made.
// Demo content needs the network (hosts, topics), which is why Run always
// seeds both.
func Run(ctx context.Context, pool *pgxpool.Pool, now time.Time) (Result, error) {
	var res Result
	st := store.New(pool, func() time.Time { return now })
	err := seedNetwork(ctx, st, &res)
	if err == nil {
		var demo int
		demo, err = seedEvents(ctx, st, demoEvents, now)
		res.Events += demo
	}
	if err == nil {
		var demo int
		demo, err = seedArticles(ctx, st, demoArticles, now)
		res.Articles += demo
	}
	if err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	return res, nil
}

func seedNetwork(ctx context.Context, st *store.Store, res *Result) error {
	if err := seedAssociation(ctx, st); err != nil {
		return err
	}
	var err error
	if res.Topics, err = seedTopics(ctx, st); err != nil {
		return err
	}
	if res.Members, res.Contacts, err = seedMembers(ctx, st); err != nil {
		return err
	}
	if res.Pages, err = seedPages(ctx, st); err != nil {
		return err
	}
	if res.Events, err = seedEvents(ctx, st, pastEvents, time.Time{}); err != nil { // dated, now is not needed
		return err
	}
	res.Articles, err = seedArticles(ctx, st, networkArticles, time.Time{})
	return err
}

// exists reports whether a create was refused because the address is
// taken: the record is there already.
func exists(err error) bool { return defus.FieldErrorsOf(err).Has("slug") }

func seedAssociation(ctx context.Context, st *store.Store) error {
	if _, err := st.FindAssociation(ctx); !errors.Is(err, defus.ErrNotFound) {
		return err // there already, or the database failed
	}
	a := &defus.Association{Name: "Deutsch-Europäisches Forum für Urbane Sicherheit e.V.", ShortName: "DEFUS",
		FoundedOn: time.Date(2010, time.May, 10, 0, 0, 0, 0, defus.Berlin), FoundedPlace: "Berlin",
		Street: "Kurt-Schumacher-Straße 29", Postcode: "30159", City: "Hannover", Phone: "0511 36739420", Email: "defus@defus.de"}
	return st.CreateAssociation(ctx, Setup, a)
}

// seedTopics adds the missing topics; each new one goes to the end of the
// order, so a new database has them in the order of the list.
func seedTopics(ctx context.Context, st *store.Store) (int, error) {
	n := 0
	for _, t := range topics {
		err := st.CreateTopic(ctx, Setup, &defus.Topic{Slug: t.Slug, Title: t.Title, Summary: t.Summary,
			Description: t.Description, Pillar: t.Pillar, Published: true})
		switch {
		case exists(err):
		case err != nil:
			return 0, err
		default:
			n++
		}
	}
	return n, nil
}

// topicIDs maps the topics' slugs to their ids.
func topicIDs(ctx context.Context, st *store.Store) (map[string]int64, error) {
	all, err := st.FindAllTopics(ctx)
	if err != nil {
		return nil, err
	}
	ids := map[string]int64{}
	for _, t := range all {
		ids[t.Slug] = t.ID
	}
	return ids, nil
}

// seedMembers adds the missing members; contacts are added only for members
// added in this run, so the office's later changes stay.
func seedMembers(ctx context.Context, st *store.Store) (nMembers, nContacts int, err error) {
	topicID, err := topicIDs(ctx, st)
	if err != nil {
		return 0, 0, err
	}
	for _, ms := range members {
		lat, lon := ms.Lat, ms.Lon
		m := &defus.Member{Slug: ms.Slug, Name: ms.Name, ShortName: ms.ShortName, Kind: defus.MemberKind(ms.Kind), State: ms.State,
			Population: nullInt(ms.Population), PopulationYear: nullInt(ms.PopulationYear), MemberSince: nullInt(ms.MemberSince),
			Lat: &lat, Lon: &lon, Website: ms.Website, Description: ms.Description, Published: true}
		for _, slug := range ms.Topics {
			if id, ok := topicID[slug]; ok {
				m.TopicIDs = append(m.TopicIDs, id)
			}
		}
		err := st.CreateMember(ctx, Setup, m)
		if exists(err) {
			continue
		}
		if err != nil {
			return 0, 0, err
		}
		nMembers++
		for _, c := range ms.Contacts {
			err := st.CreateContact(ctx, Setup, &defus.Contact{MemberID: m.ID, Name: c.Name, Function: c.Function,
				Email: c.Email, Phone: c.Phone, Public: c.Public})
			if err != nil {
				return 0, 0, err
			}
			nContacts++
		}
	}
	return nMembers, nContacts, nil
}

func seedPages(ctx context.Context, st *store.Store) (int, error) {
	n := 0
	for _, p := range pages {
		err := st.CreatePage(ctx, Setup, &defus.Page{Slug: p.Slug, Title: p.Title, Summary: p.Summary, Body: p.Body,
			Required: p.Required, Published: true})
		switch {
		case exists(err):
		case err != nil:
			return 0, err
		default:
			n++
		}
	}
	return n, nil
}

func nullInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}
