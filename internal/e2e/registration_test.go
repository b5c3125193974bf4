package e2e

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/dbtest"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// mailLink reads the path of the newest registration link for action in
// the outbox's mails to addr.
func mailLink(t *testing.T, addr, action string) string {
	t.Helper()
	rows, err := dbtest.Pool(t).Query(context.Background(), `SELECT body FROM mails WHERE to_addr = $1 ORDER BY id DESC`, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	re := regexp.MustCompile(`https?://[^/\s]+(/anmeldung/\d+/[0-9a-f]+/` + action + `)`)
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		if m := re.FindStringSubmatch(body); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no %s link in the mails to %s", action, addr)
	return ""
}

// TestRegistrationFromGuestToWaitlist: a guest registers (first with
// mistakes) and confirms by the mail's link, a member registers with one
// click, the event is full, a third person joins the waitlist, the guest
// cancels, and the waiting person is offered the place and completes the
// registration. axe checks every page on the way, errors shown included.
func TestRegistrationFromGuestToWaitlist(t *testing.T) {
	t.Parallel()
	b := NewBrowser(t)
	base := site(t)
	ctx := context.Background()
	st := store.New(dbtest.Pool(t), clock)
	start := time.Date(2026, 12, 9, 10, 0, 0, 0, defus.Berlin)
	capacity := 2
	e := &defus.Event{Slug: "fortbildung-videoschutz", Title: "Fortbildung Videoschutz im öffentlichen Raum", Kind: defus.EventTraining,
		StartsAt: start, EndsAt: start.Add(5 * time.Hour), Format: defus.FormatHybrid, PlaceName: "Rathaus", City: "Essen",
		OnlineURL: "https://meet.example.org/videoschutz", Status: defus.StatusScheduled, Published: true,
		Registration: defus.RegistrationSettings{Mode: defus.RegistrationOpen, Capacity: &capacity}}
	if err := st.CreateEvent(ctx, defus.Actor{}, e); err != nil {
		t.Fatal(err)
	}
	member, err := st.FindMember(ctx, "essen")
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := defus.HashPassword("mitglied-passwort-1")
	if err := st.CreateUser(ctx, defus.Actor{}, &defus.User{Email: "rita@essen.example", Name: "Rita Vertreterin",
		Role: defus.RoleMember, MemberID: &member.ID, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	page := base + "/termine/" + e.Slug
	step := func(tab context.Context, name string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		must(t, tab, steps...)
		b.CheckA11y(t, tab, name)
	}
	see := func(tab context.Context, sel, want string) {
		t.Helper()
		if got := text(t, tab, sel); !strings.Contains(got, want) {
			t.Errorf("%s reads %q, want %q", sel, got, want)
		}
	}

	// The guest: mistakes first, then right; confirmed by the mail's link.
	guest := b.Tab(t)
	step(guest, "event page with the form", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#registration-name`)))
	see(guest, ".facts", defus.OnlineURLHidden)
	step(guest, "registration with errors",
		chromedp.SendKeys(chromedp.CSS(`#registration-email`), "kim@beispiel"),
		chromedp.Click(chromedp.CSS(`.registration-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	if v := value(t, guest, `#registration-email`); v != "kim@beispiel" {
		t.Errorf("typed address lost: %q", v)
	}
	step(guest, "registration sent",
		chromedp.SendKeys(chromedp.CSS(`#registration-name`), "Kim Gast"),
		chromedp.Clear(chromedp.CSS(`#registration-email`)),
		chromedp.SendKeys(chromedp.CSS(`#registration-email`), "kim@beispiel.example"),
		chromedp.SendKeys(chromedp.CSS(`#registration-organisation`), "Stadt Görlitz"),
		chromedp.Click(chromedp.CSS(`.registration-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.registration-state`)))
	see(guest, ".registration-state", "Bitte bestätigen Sie")
	step(guest, "confirmation link", chromedp.Navigate(base+mailLink(t, "kim@beispiel.example", "bestaetigen")),
		chromedp.WaitVisible(chromedp.CSS(`main form button`)))
	step(guest, "confirmed", chromedp.Click(chromedp.CSS(`main form button`)), chromedp.WaitNotPresent(chromedp.CSS(`main form`)))
	see(guest, "h1", "Sie sind angemeldet")
	step(guest, "event page, registered", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`.registration-state`)))
	see(guest, ".registration-state", "Sie sind angemeldet.")
	see(guest, ".facts", e.OnlineURL)

	// The member: one click.
	rita := b.Tab(t)
	must(t, rita, chromedp.Navigate(base+"/admin/login"),
		chromedp.SetValue(chromedp.CSS(`#login-email`), "rita@essen.example"),
		chromedp.SetValue(chromedp.CSS(`#login-password`), "mitglied-passwort-1"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`#login-password`)))
	step(rita, "member's event page", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#anmeldung form button`)))
	if n, _ := chromedp.Run(rita, chromedp.Evaluate[int](`document.querySelectorAll('#registration-name').length`)); n != 0 {
		t.Fatal("the member is asked for details")
	}
	step(rita, "member registered", chromedp.Click(chromedp.CSS(`#anmeldung form button`)), chromedp.WaitVisible(chromedp.CSS(`.registration-state`)))
	see(rita, ".registration-state", "Sie sind angemeldet.")

	// Full: a third person joins the waitlist with name and e-mail.
	lou := b.Tab(t)
	step(lou, "full event, waitlist form", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#registration-name`)))
	if n, _ := chromedp.Run(lou, chromedp.Evaluate[int](`document.querySelectorAll('#registration-organisation').length`)); n != 0 {
		t.Errorf("the waitlist asks for the organisation")
	}
	step(lou, "on the waitlist",
		chromedp.SendKeys(chromedp.CSS(`#registration-name`), "Lou Wartend"),
		chromedp.SendKeys(chromedp.CSS(`#registration-email`), "lou@warten.example"),
		chromedp.Click(chromedp.CSS(`.registration-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.registration-state`)))
	see(lou, ".registration-state", "Warteliste, an Stelle 1")

	// The guest cancels by the link in the confirmation.
	step(guest, "cancel link", chromedp.Navigate(base+mailLink(t, "kim@beispiel.example", "abmelden")),
		chromedp.WaitVisible(chromedp.CSS(`main form button`)))
	step(guest, "cancelled", chromedp.Click(chromedp.CSS(`main form button`)), chromedp.WaitNotPresent(chromedp.CSS(`main form`)))
	see(guest, "h1", "Sie sind abgemeldet")

	// The waiting person is offered the place and completes the details.
	step(lou, "offer", chromedp.Navigate(base+mailLink(t, "lou@warten.example", "platz")),
		chromedp.WaitVisible(chromedp.CSS(`#registration-organisation`)))
	step(lou, "offer with errors", chromedp.Click(chromedp.CSS(`main form button`)), chromedp.WaitVisible(chromedp.CSS(`.error-summary`)))
	step(lou, "offer taken",
		chromedp.SendKeys(chromedp.CSS(`#registration-organisation`), "Stadt Zwickau"),
		chromedp.Click(chromedp.CSS(`main form button`)), chromedp.WaitNotPresent(chromedp.CSS(`main form`)))
	see(lou, "h1", "Sie sind angemeldet")

	// The office sees it all.
	office := loggedIn(t, b, base)
	step(office, "office's list", chromedp.Navigate(base+"/admin/termine/"+strconv.FormatInt(e.ID, 10)+"/anmeldungen"),
		chromedp.WaitVisible(chromedp.CSS(`.count`)))
	see(office, ".count", "2 von 2 Plätzen")
}
