package defus_test

import (
	"testing"
	"time"

	"defus.de/portal/internal/defus"
)

func TestEventDurationText(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, defus.Berlin) }
	for _, c := range []struct {
		e    defus.Event
		want string
	}{
		{defus.Event{StartsAt: at(8, 10, 0), EndsAt: at(8, 16, 0)}, "6 Stunden"},
		{defus.Event{StartsAt: at(8, 10, 0), EndsAt: at(8, 11, 30)}, "1,5 Stunden"},
		{defus.Event{StartsAt: at(8, 10, 0), EndsAt: at(8, 11, 0)}, "1 Stunde"},
		{defus.Event{StartsAt: at(8, 10, 0), EndsAt: at(8, 10, 0)}, ""},
		{defus.Event{AllDay: true, StartsAt: at(8, 0, 0), EndsAt: at(9, 0, 0)}, "1 Tag"},
		{defus.Event{AllDay: true, StartsAt: at(8, 0, 0), EndsAt: at(10, 0, 0)}, "2 Tage"},
	} {
		if got := c.e.DurationText(); got != c.want {
			t.Errorf("%v–%v: %q, want %q", c.e.StartsAt, c.e.EndsAt, got, c.want)
		}
	}
}

func TestOnlineURLVisibility(t *testing.T) {
	e := defus.Event{Format: defus.FormatHybrid, OnlineURL: "https://meet.example.org/x"}
	if e.CanSeeOnlineURL(true, false) || !e.CanSeeOnlineURL(false, true) {
		t.Errorf("members see it without the office's leave, or participants do not")
	}
	e.Registration.OnlineURLMembers = true
	if !e.CanSeeOnlineURL(true, false) || e.CanSeeOnlineURL(false, false) {
		t.Errorf("members with leave, or visitors")
	}
	e.Format = defus.FormatInPerson
	if e.CanSeeOnlineURL(true, true) {
		t.Errorf("an event in person shows a link")
	}
}
