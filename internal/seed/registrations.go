package seed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// Demo registrations, so a newcomer sees every state of registration after
// `make run`: an event open to everyone with a couple of places left, one
// for members only (per-member limit, online link for members), one full
// with people on its waitlist, and a past training with attendance marked.
// The people are invented, with addresses under example.org; no mail is
// queued (the seed's store has no mailer).

// pastDemoTraining is the demo's past training, with attendance.
var pastDemoTraining = eventSeed{Slug: "fortbildung-sicherheitsaudits-rueckblick", Title: "Fortbildung Sicherheitsaudits (Rückblick)",
	Kind: defus.EventTraining, Format: defus.FormatInPerson, PlaceName: "Rathaus", City: "Stuttgart", Host: "stuttgart",
	Days: -30, Start: 9, End: 15, Topics: []string{topicPublicSpace, topicPrevention},
	Summary: "Eine vergangene Fortbildung der Demo-Daten: Teilnahme erfasst, Bescheinigungen bereit."}

// demoRegistration says how registration is set up on a demo event and who
// registered.
type demoRegistration struct {
	slug      string
	settings  defus.RegistrationSettings
	confirmed int // invented participants with a place
	waiting   int // and on the waitlist
	attended  int // of the confirmed, who attended (past event)
}

func places(n int) *int { return &n }

var demoRegistrations = []demoRegistration{
	{slug: "workshop-sicherheitsaudits-im-quartier", confirmed: 23,
		settings: defus.RegistrationSettings{Mode: defus.RegistrationOpen, Capacity: places(25), ShowParticipants: true}},
	{slug: "fortbildung-deeskalation-im-buergerservice", confirmed: 4,
		settings: defus.RegistrationSettings{Mode: defus.RegistrationMembers, Capacity: places(30), PlacesPerMember: places(2), OnlineURLMembers: true}},
	{slug: "fortbildung-krisenkommunikation", confirmed: 12, waiting: 3,
		settings: defus.RegistrationSettings{Mode: defus.RegistrationOpen, Capacity: places(12)}},
	{slug: pastDemoTraining.Slug, confirmed: 8, attended: 7,
		settings: defus.RegistrationSettings{Mode: defus.RegistrationOpen, Capacity: places(20)}},
}

var demoFirstNames = []string{"Anna", "Ben", "Clara", "David", "Elif", "Frank", "Greta", "Hakan", "Ines", "Jonas",
	"Katrin", "Lars", "Mira", "Nils", "Olga", "Paul", "Rana", "Sven", "Tanja", "Uwe"}

var demoLastNames = []string{"Becker", "Schulz", "Yılmaz", "Wagner", "Krüger", "Hoffmann", "Öztürk", "Schäfer",
	"Koch", "Richter", "Weiß", "Lehmann", "Braun", "Zimmermann", "Hartmann"}

var demoOrgs = []string{"Stadt Essen", "Stadt Mannheim", "Landeshauptstadt Hannover", "Stadt Köln", "Stadt Freiburg im Breisgau",
	"Landespräventionsrat Niedersachsen", "Stadt Düsseldorf", "Stadt Stuttgart"}

// seedRegistrations opens registration on the demo events and fills them,
// once: an event that has registrations already is left alone.
func seedRegistrations(ctx context.Context, st *store.Store, now time.Time) error {
	if _, err := seedEvents(ctx, st, []eventSeed{pastDemoTraining}, now); err != nil {
		return err
	}
	person := 0
	for _, d := range demoRegistrations {
		e, err := st.FindEvent(ctx, d.slug)
		if errors.Is(err, defus.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if c, err := st.CountRegistrations(ctx, e.ID); err != nil || c != (defus.RegistrationCounts{}) {
			continue
		}
		full, err := st.FindEventByID(ctx, e.ID)
		if err != nil {
			return err
		}
		full.Registration = d.settings
		if _, err := st.UpdateEvent(ctx, Setup, full); err != nil {
			return fmt.Errorf("registration of %s: %w", d.slug, err)
		}
		var ids []int64
		for i := range d.confirmed + d.waiting {
			state := defus.RegConfirmed
			if i >= d.confirmed {
				state = defus.RegWaiting
			}
			first, last := demoFirstNames[person%len(demoFirstNames)], demoLastNames[(person*7)%len(demoLastNames)]
			in := defus.RegistrationInput{Name: first + " " + last, Organisation: demoOrgs[person%len(demoOrgs)],
				Email: fmt.Sprintf("%s.%s.%d@example.org", defus.Slugify(first), defus.Slugify(last), person)}
			if state == defus.RegWaiting {
				in.Organisation = "" // the waitlist asks name and e-mail only
			}
			person++
			r, err := st.AddRegistration(ctx, Setup, e.ID, in, state)
			if err != nil {
				return fmt.Errorf("registration for %s: %w", d.slug, err)
			}
			if i < d.attended {
				ids = append(ids, r.ID)
			}
		}
		if d.attended > 0 {
			if err := st.SetAttendance(ctx, Setup, e.ID, ids); err != nil {
				return err
			}
		}
	}
	return nil
}
