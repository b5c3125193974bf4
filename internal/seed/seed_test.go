package seed_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/seed"
	"defus.de/portal/internal/store"
)

func TestSeedLoadsTheNetworkOnceAndNeverOverwrites(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	ctx := context.Background()
	first, err := seed.Run(ctx, pool, seedNow)
	if err != nil {
		t.Fatal(err)
	}
	if first.Members != 20 || first.Topics != 8 || first.Pages < 6 || first.Events < 25 {
		t.Errorf("first run added %v, want 20 members, 8 topics, 6+ pages, 25+ events", first)
	}

	stats, err := store.New(pool, func() time.Time { return seedNow }).FindMemberStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Cities != 17 || stats.Organisations != 3 {
		t.Errorf("stats = %+v, want 17 cities and 3 organisations", stats)
	}

	// The office edits a member and removes a contact; seeding again keeps that.
	if _, err := pool.Exec(ctx, `UPDATE members SET description = 'Vom Büro geändert' WHERE slug = 'essen'`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM member_contacts`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM member_topics WHERE member_id = (SELECT id FROM members WHERE slug = 'koeln')`); err != nil {
		t.Fatal(err)
	}
	// A run on a later day adds no demo events either.
	second, err := seed.Run(ctx, pool, seedNow.AddDate(0, 0, 40))
	if err != nil {
		t.Fatal(err)
	}
	if second != (seed.Result{}) {
		t.Errorf("second run added %v, want nothing", second)
	}
	var desc string
	var contacts, kölnTopics int
	err = pool.QueryRow(ctx, `SELECT description, (SELECT count(*) FROM member_contacts),
		(SELECT count(*) FROM member_topics mt JOIN members m ON m.id = mt.member_id WHERE m.slug = 'koeln')
		FROM members WHERE slug = 'essen'`).Scan(&desc, &contacts, &kölnTopics)
	if err != nil {
		t.Fatal(err)
	}
	if desc != "Vom Büro geändert" || contacts != 0 || kölnTopics != 0 {
		t.Errorf("seed changed existing data: description %q, %d contacts, %d Köln topics", desc, contacts, kölnTopics)
	}
}

func TestSeedDataIsConsistent(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	ctx := context.Background()
	if _, err := seed.Run(ctx, pool, seedNow); err != nil {
		t.Fatal(err)
	}
	st := store.New(pool, func() time.Time { return seedNow })
	members, err := st.FindMembers(ctx, defus.MemberFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if !defus.ValidSlug(m.Slug) || !m.HasLocation() || m.Description == "" || !defus.IsState(m.State) {
			t.Errorf("member %s incomplete: %+v", m.Slug, m)
		}
	}
	topics, err := st.FindTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pillars := 0
	for _, tp := range topics {
		if tp.Pillar {
			pillars++
		}
		if tp.Members < 2 {
			t.Errorf("topic %s has %d members, want at least 2", tp.Slug, tp.Members)
		}
	}
	if pillars != 4 {
		t.Errorf("%d pillars, want 4", pillars)
	}
	// Every seeded page is linked from the layout, is a legal page or opens
	// the home page: all of them are required.
	for _, slug := range []string{"startseite", "ueber-uns", "mitgliedschaft", "impressum", "datenschutz", "barrierefreiheit", "kontakt"} {
		p, err := st.FindPage(ctx, slug)
		if err != nil {
			t.Errorf("page %s: %v", slug, err)
			continue
		}
		if !p.Required {
			t.Errorf("page %s is not marked required", slug)
		}
	}
}

func TestSeedEventsFillThePastAndTheFuture(t *testing.T) {
	t.Parallel()
	pool := dbtest.Pool(t)
	ctx := context.Background()
	if _, err := seed.Run(ctx, pool, seedNow); err != nil {
		t.Fatal(err)
	}
	st := store.New(pool, func() time.Time { return seedNow })
	past, err := st.FindEvents(ctx, defus.EventFilter{Now: seedNow, Period: defus.PeriodPast})
	if err != nil {
		t.Fatal(err)
	}
	upcoming, err := st.FindEvents(ctx, defus.EventFilter{Now: seedNow, Period: defus.PeriodUpcoming})
	if err != nil {
		t.Fatal(err)
	}
	if len(past) < 17 || len(upcoming) < 10 {
		t.Fatalf("%d past and %d upcoming events, want 17+ and 10+", len(past), len(upcoming))
	}
	kinds, hosts, topics := map[defus.EventKind]bool{}, map[string]bool{}, map[string]bool{}
	var cancelled, online, multiDay, allDay bool
	for _, e := range upcoming {
		if errs := e.Validate(); errs.Any() {
			t.Errorf("%s: %v", e.Slug, errs)
		}
		if e.Summary == "" || len(e.Topics) == 0 {
			t.Errorf("%s has no summary or topics", e.Slug)
		}
		kinds[e.Kind] = true
		if e.Host != nil {
			hosts[e.Host.Slug] = true
		}
		for _, tp := range e.Topics {
			topics[tp.Slug] = true
		}
		cancelled = cancelled || e.Status == defus.StatusCancelled
		online = online || e.Format == defus.FormatOnline
		multiDay = multiDay || e.MultiDay()
		allDay = allDay || e.AllDay
	}
	if len(kinds) != len(defus.EventKinds) || len(hosts) < 5 || len(topics) < 6 {
		t.Errorf("upcoming events cover %d kinds, %d hosts, %d topics; want all kinds, 5+ hosts, 6+ topics", len(kinds), len(hosts), len(topics))
	}
	if !cancelled || !online || !multiDay || !allDay {
		t.Errorf("cancelled %v, online %v, multi-day %v, all-day %v: want one of each", cancelled, online, multiDay, allDay)
	}
	mv, err := st.FindEvent(ctx, "29-mitgliederversammlung-2025")
	if err != nil {
		t.Fatal(err)
	}
	if got := mv.DateRange(); got != "16.–17. September 2025" || mv.Host == nil || mv.Host.Slug != "stuttgart" {
		t.Errorf("29. MV: %q hosted by %+v", got, mv.Host)
	}
}

// TestNetworkSeedsNoDemoContent: the real seed (production) writes the
// network with its documented past events and no upcoming (demo) event;
// running it again changes nothing; the demo after it adds the upcoming
// events and nothing else, and repeating it changes nothing.
func TestNetworkSeedsNoDemoContent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Pool(t)

	first, err := seed.Network(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if first.Members != 20 || first.Topics != 8 || first.Pages < 7 || first.Contacts == 0 || first.Events < 15 {
		t.Errorf("network seed added %v, want 20 members with contacts, 8 topics, 7+ pages and the 15+ documented events", first)
	}
	if n := count(t, pool, `SELECT count(*) FROM events WHERE description LIKE '%Demo-Daten%'`); n != 0 {
		t.Errorf("network seed wrote %d demo events, want none", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM association`); n != 1 {
		t.Errorf("%d association records, want 1", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM pages WHERE required`); n != 7 {
		t.Errorf("%d required pages, want 7", n)
	}
	// Written through the store: the audit log says the setup made them.
	if n := count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'create' AND actor_name = 'Einrichtung' AND actor_id IS NULL`); n < 20+8+7+15 {
		t.Errorf("%d records created by „Einrichtung“ in the audit log, want one for every member, topic, page and event", n)
	}
	if again, err := seed.Network(ctx, pool); err != nil || again != (seed.Result{}) {
		t.Errorf("second network seed added %v (%v), want nothing", again, err)
	}

	demo, err := seed.Run(ctx, pool, seedNow)
	if err != nil {
		t.Fatal(err)
	}
	if demo != (seed.Result{Events: demo.Events, Articles: 1}) || demo.Events < 10 {
		t.Errorf("demo after the network added %v, want 10+ events, the sample interview and nothing else", demo)
	}
	if again, err := seed.Run(ctx, pool, seedNow); err != nil || again != (seed.Result{}) {
		t.Errorf("second demo seed added %v (%v), want nothing", again, err)
	}
	if again, err := seed.Network(ctx, pool); err != nil || again != (seed.Result{}) {
		t.Errorf("network seed after the demo added %v (%v), want nothing", again, err)
	}
}

// TestDemoEventsSayTheyAreExamples: whoever opens a demo event, in the admin
// form or on its page, reads that it came from the demo data; the network's
// documented history says no such thing.
func TestDemoEventsSayTheyAreExamples(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if _, err := seed.Run(ctx, pool, seedNow); err != nil {
		t.Fatal(err)
	}
	st := store.New(pool, func() time.Time { return seedNow })
	events, err := st.FindEvents(ctx, defus.EventFilter{Now: seedNow, Period: defus.PeriodAll})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) < 25 {
		t.Fatalf("%d events, want 25+", len(events))
	}
	upcoming := 0
	for _, e := range events {
		ev, err := st.FindEvent(ctx, e.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if ev.StartsAt.After(seedNow) {
			upcoming++
			if !strings.HasPrefix(ev.Description, "*Beispieltermin") {
				t.Errorf("upcoming %s does not open with „Beispieltermin“: %q", e.Slug, ev.Description)
			}
		} else if strings.Contains(ev.Description, "Demo-Daten") {
			t.Errorf("documented event %s is marked as demo: %q", e.Slug, ev.Description)
		}
	}
	if upcoming < 10 {
		t.Errorf("%d upcoming demo events, want 10+", upcoming)
	}
}

// TestDemoEventsFallOnOfficeDays: whatever day the demo is seeded on, each
// day of every demo event is a Tuesday, Wednesday or Thursday and no public
// holiday. The dates are chosen so that plain day offsets would hit
// Christmas and New Year, Easter, Ascension Day and 3 October.
func TestDemoEventsFallOnOfficeDays(t *testing.T) {
	t.Parallel()
	holidays := map[string]string{
		"2026-12-24": "Heiligabend", "2026-12-25": "1. Weihnachtstag", "2026-12-26": "2. Weihnachtstag",
		"2026-12-31": "Silvester", "2027-01-01": "Neujahr", "2027-03-26": "Karfreitag", "2027-03-29": "Ostermontag",
		"2027-05-01": "1. Mai", "2027-05-06": "Christi Himmelfahrt", "2027-05-17": "Pfingstmontag",
		"2028-05-25": "Christi Himmelfahrt", "2028-06-05": "Pfingstmontag", "2029-10-03": "Tag der Deutschen Einheit",
	}
	for _, now := range []time.Time{
		seedNow,
		time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC),  // mid-December: +9 days is 24 December
		time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC),  // before Easter 2027 (28 March)
		time.Date(2027, 4, 27, 23, 30, 0, 0, time.UTC), // already 28 April in Berlin; Ascension Day on +9
		time.Date(2028, 5, 16, 10, 0, 0, 0, time.UTC),  // +9 days is Ascension Day, Thursday 25 May
		time.Date(2029, 9, 24, 8, 0, 0, 0, time.UTC),   // +9 days is Wednesday, 3 October
		time.Date(2026, 12, 20, 15, 0, 0, 0, time.UTC), // a Sunday before Christmas
	} {
		t.Run(now.Format("2006-01-02T15:04Z"), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			pool := dbtest.NewPool(t) // empty: the demo is seeded on this day
			if _, err := seed.Run(ctx, pool, now); err != nil {
				t.Fatal(err)
			}
			st := store.New(pool, func() time.Time { return now })
			events, err := st.FindEvents(ctx, defus.EventFilter{Now: now, Period: defus.PeriodUpcoming})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) < 10 {
				t.Fatalf("%d upcoming events, want 10+", len(events))
			}
			for _, e := range events {
				for d := e.FirstDay(); !d.After(e.LastDay()); d = d.AddDate(0, 0, 1) {
					if wd := d.Weekday(); wd < time.Tuesday || wd > time.Thursday {
						t.Errorf("%s falls on %s, %s", e.Slug, wd, d.Format("02.01.2006"))
					}
					if name, ok := holidays[d.Format("2006-01-02")]; ok {
						t.Errorf("%s falls on %s, %s", e.Slug, name, d.Format("02.01.2006"))
					}
				}
			}
		})
	}
}
