package defus

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func berlin(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, Berlin)
}

func allDay(y1 int, m1 time.Month, d1 int, y2 int, m2 time.Month, d2 int) Event {
	s, e := AllDayRange(berlin(y1, m1, d1, 0, 0), berlin(y2, m2, d2, 0, 0))
	return Event{StartsAt: s, EndsAt: e, AllDay: true}
}

func timed(s, e time.Time) Event { return Event{StartsAt: s, EndsAt: e} }

func TestEventDates(t *testing.T) {
	for _, tc := range []struct {
		name      string
		e         Event
		dateRange string
		when      string
	}{
		{"one day with times", timed(berlin(2025, 9, 16, 10, 0), berlin(2025, 9, 16, 17, 0)),
			"Dienstag, 16. September 2025", "Dienstag, 16. September 2025, 10:00–17:00 Uhr"},
		{"no end time", timed(berlin(2026, 11, 24, 18, 30), berlin(2026, 11, 24, 18, 30)),
			"Dienstag, 24. November 2026", "Dienstag, 24. November 2026, 18:30 Uhr"},
		{"two days in one month", allDay(2025, 9, 16, 2025, 9, 17),
			"16.–17. September 2025", "16.–17. September 2025"},
		{"across months", allDay(2025, 9, 30, 2025, 10, 2),
			"30. Sept. – 2. Okt. 2025", "30. Sept. – 2. Okt. 2025"},
		{"across years", allDay(2025, 12, 30, 2026, 1, 2),
			"30. Dez. 2025 – 2. Jan. 2026", "30. Dez. 2025 – 2. Jan. 2026"},
		{"single all-day", allDay(2010, 5, 10, 2010, 5, 10),
			"Montag, 10. Mai 2010", "Montag, 10. Mai 2010"},
		{"timed over two days", timed(berlin(2026, 6, 15, 13, 0), berlin(2026, 6, 16, 12, 30)),
			"15.–16. Juni 2026", "Montag, 15. Juni 2026, 13:00 Uhr bis Dienstag, 16. Juni 2026, 12:30 Uhr"},
		// Daylight-saving starts on 29 March 2026 at 02:00 and ends on 25 October 2026 at 03:00.
		{"DST starts", timed(berlin(2026, 3, 29, 1, 0), berlin(2026, 3, 29, 4, 0)),
			"Sonntag, 29. März 2026", "Sonntag, 29. März 2026, 01:00–04:00 Uhr"},
		{"DST ends", timed(berlin(2026, 10, 25, 1, 30), berlin(2026, 10, 25, 4, 0)),
			"Sonntag, 25. Oktober 2026", "Sonntag, 25. Oktober 2026, 01:30–04:00 Uhr"},
		{"all-day across DST start", allDay(2026, 3, 28, 2026, 3, 29),
			"28.–29. März 2026", "28.–29. März 2026"},
		{"all-day across DST end", allDay(2026, 10, 24, 2026, 10, 26),
			"24.–26. Oktober 2026", "24.–26. Oktober 2026"},
		{"UTC input shown in Berlin", timed(time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC), time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC)),
			"Mittwoch, 1. Juli 2026", "Mittwoch, 1. Juli 2026, 00:30–08:00 Uhr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.e.DateRange(); got != tc.dateRange {
				t.Errorf("DateRange = %q, want %q", got, tc.dateRange)
			}
			if got := tc.e.When(); got != tc.when {
				t.Errorf("When = %q, want %q", got, tc.when)
			}
		})
	}
}

func TestAllDayRangeAcrossDST(t *testing.T) {
	// The night of the change is 23 or 25 hours long; the range still ends at midnight.
	s, e := AllDayRange(berlin(2026, 3, 28, 15, 0), berlin(2026, 3, 29, 0, 0))
	if got, want := e.Sub(s), 47*time.Hour; got != want {
		t.Errorf("28–29 March lasts %v, want %v", got, want)
	}
	if h := e.In(Berlin).Hour(); h != 0 {
		t.Errorf("end hour %d, want midnight", h)
	}
	s, e = AllDayRange(berlin(2026, 10, 25, 0, 0), berlin(2026, 10, 25, 0, 0))
	if got, want := e.Sub(s), 25*time.Hour; got != want {
		t.Errorf("25 October lasts %v, want %v", got, want)
	}
	ev := Event{StartsAt: s, EndsAt: e, AllDay: true}
	if !ev.FirstDay().Equal(ev.LastDay()) || ev.MultiDay() {
		t.Errorf("25 October all-day is not a single day: %v – %v", ev.FirstDay(), ev.LastDay())
	}
}

func TestCountdown(t *testing.T) {
	now := berlin(2026, 11, 24, 23, 30)
	for _, tc := range []struct {
		name string
		e    Event
		want string
	}{
		{"later today", timed(berlin(2026, 11, 24, 23, 45), berlin(2026, 11, 25, 1, 0)), "heute"},
		{"just after midnight", timed(berlin(2026, 11, 25, 0, 15), berlin(2026, 11, 25, 1, 0)), "morgen"},
		{"29 days", allDay(2026, 12, 23, 2026, 12, 23), "in 29 Tagen"},
		{"running since yesterday", allDay(2026, 11, 23, 2026, 11, 25), "läuft"},
		{"over", timed(berlin(2026, 11, 24, 10, 0), berlin(2026, 11, 24, 12, 0)), ""},
		{"a point in time right now", timed(berlin(2026, 11, 24, 23, 30), berlin(2026, 11, 24, 23, 30)), "heute"},
		{"next spring", allDay(2027, 3, 27, 2027, 3, 27), "in 123 Tagen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.e.Countdown(now); got != tc.want {
				t.Errorf("Countdown = %q, want %q", got, tc.want)
			}
		})
	}
	// Across the DST change the calendar-day count stays right.
	if got := DaysBetween(berlin(2026, 3, 28, 23, 0), berlin(2026, 3, 30, 0, 30)); got != 2 {
		t.Errorf("DaysBetween over 29 March = %d, want 2", got)
	}
	if got := DaysBetween(berlin(2026, 10, 24, 0, 30), berlin(2026, 10, 26, 23, 30)); got != 2 {
		t.Errorf("DaysBetween over 25 October = %d, want 2", got)
	}
}

func validEvent() Event {
	return Event{
		Slug: "workshop-x", Title: "Workshop X", Kind: EventWorkshop, Format: FormatInPerson, Status: StatusScheduled,
		StartsAt: berlin(2026, 6, 15, 10, 0), EndsAt: berlin(2026, 6, 15, 16, 0), City: "Mannheim",
	}
}

func TestEventValidate(t *testing.T) {
	if errs := (&Event{}).Validate(); !errs.Any() {
		t.Error("empty event passes")
	}
	ok := validEvent()
	if errs := ok.Validate(); errs.Any() {
		t.Fatalf("valid event: %v", errs)
	}
	online := validEvent()
	online.Format, online.City, online.RegistrationNote = FormatOnline, "", "Den Link erhalten Sie nach der Anmeldung."
	if errs := online.Validate(); errs.Any() {
		t.Errorf("online event whose registration says how to get the link: %v", errs)
	}
	for _, tc := range []struct {
		field  string
		change func(*Event)
	}{
		{"title", func(e *Event) { e.Title = "  " }},
		{"title", func(e *Event) { e.Title = "a\x00b" }},
		{"slug", func(e *Event) { e.Slug = "Köln" }},
		{"slug", func(e *Event) { e.Slug = "archiv" }},
		{"kind", func(e *Event) { e.Kind = "party" }},
		{"format", func(e *Event) { e.Format = "" }},
		{"status", func(e *Event) { e.Status = "done" }},
		{"starts_at", func(e *Event) { e.StartsAt = time.Time{} }},
		{"starts_at", func(e *Event) { e.StartsAt = berlin(1989, 12, 31, 10, 0) }},
		{"starts_at", func(e *Event) { e.StartsAt = time.Date(0, 6, 15, 10, 0, 0, 0, Berlin) }},
		{"ends_at", func(e *Event) { e.EndsAt = berlin(2101, 1, 1, 10, 0) }},
		{"ends_at", func(e *Event) { e.EndsAt = e.StartsAt.Add(-time.Minute) }},
		{"ends_at", func(e *Event) { e.AllDay = true }},
		{"city", func(e *Event) { e.City = "" }},
		{"city", func(e *Event) { e.Format, e.City, e.OnlineURL = FormatHybrid, "", "https://x.example" }},
		{"online_url", func(e *Event) { e.Format = FormatOnline; e.OnlineURL = "javascript:alert(1)" }},
		{"online_url", func(e *Event) { e.Format = FormatOnline }},
		{"online_url", func(e *Event) { e.Format = FormatHybrid }},
		{"registration_url", func(e *Event) { e.RegistrationURL = "ftp://x" }},
		{"registration_url", func(e *Event) { e.RegistrationURL = "https://" }},
		{"online_url", func(e *Event) { e.Format = FormatOnline; e.OnlineURL = `https://meet.example/"onclick="x` }},
		{"description", func(e *Event) { e.Description = strings.Repeat("x", MaxBodyLen+1) }},
	} {
		e := validEvent()
		tc.change(&e)
		if errs := e.Validate(); errs[tc.field] == "" {
			t.Errorf("%s: Validate() = %v, want a message for %s", tc.field, errs, tc.field)
		}
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2025-09-16": "2025-09-16", "16.09.2025": "2025-09-16", "6.9.2025": "2025-09-06", " 29.02.2028 ": "2028-02-29",
		"0000-01-01": "0000-01-01",
		"31.02.2026": "", "29.02.2027": "", "2026-13-01": "", "16.09.25": "", "16/09/2025": "", "": "",
		"20255-09-16": "", "16.09.2025.": "", "1a.09.2025": "", "-1.09.2025": "", "00.01.2026": "",
	} {
		got, ok := ParseDate(in)
		if want == "" {
			if ok {
				t.Errorf("ParseDate(%q) = %v, want not ok", in, got)
			}
			continue
		}
		if !ok || fmt.Sprintf("%04d-%02d-%02d", got.Year(), got.Month(), got.Day()) != want || got.Location() != Berlin {
			t.Errorf("ParseDate(%q) = %v, %v, want %s in Berlin", in, got, ok, want)
		}
	}
}

func TestParseClock(t *testing.T) {
	for in, want := range map[string]string{
		"10:00": "10:00", "9:30": "09:30", "09.30": "09:30", "10": "10:00", "18:30 Uhr": "18:30", "10:00:00": "10:00",
		"23:59": "23:59", "0:00": "00:00",
		"24:00": "", "10:60": "", "10:5": "", "abc": "", "": "", "10:": "", ":10": "", "10::00": "", "1000": "", "-1:00": "",
	} {
		h, m, ok := ParseClock(in)
		if want == "" {
			if ok {
				t.Errorf("ParseClock(%q) = %d:%d, want not ok", in, h, m)
			}
			continue
		}
		if got := fmt.Sprintf("%02d:%02d", h, m); !ok || got != want {
			t.Errorf("ParseClock(%q) = %s, %v, want %s", in, got, ok, want)
		}
	}
}

func TestEventKindParams(t *testing.T) {
	for _, k := range EventKinds {
		got, ok := EventKindFromParam(k.Param())
		if !ok || got != k || k.Label() == "" {
			t.Errorf("kind %s does not round-trip through %q", k, k.Param())
		}
	}
	if _, ok := EventKindFromParam("unbekannt"); ok {
		t.Error("unknown kind accepted")
	}
}

func TestParseMonth(t *testing.T) {
	for in, ok := range map[string]bool{"2026-06": true, "2026-13": false, "2026-00": false, "0000-01": false,
		"99999-01": false, "2026-6": false, "abcd-ef": false, "": false, "2200-12": true, "1900-01": true} {
		if _, _, got := ParseMonth(in); got != ok {
			t.Errorf("ParseMonth(%q) ok = %v, want %v", in, got, ok)
		}
	}
}

func TestEventPlace(t *testing.T) {
	e := Event{Format: FormatHybrid, City: "Hannover", PlaceName: "HCC"}
	if got := e.Place(); got != "Hannover und online" {
		t.Errorf("Place = %q", got)
	}
	e = Event{Format: FormatInPerson, PlaceName: "Rathaus", Street: "Marktplatz 1", Postcode: "70173", City: "Stuttgart"}
	if got, want := e.Address(), "Rathaus, Marktplatz 1, 70173 Stuttgart"; got != want {
		t.Errorf("Address = %q, want %q", got, want)
	}
	e = Event{Format: FormatOnline, OnlineURL: "https://meet.example/x", OnlineURLPublic: false}
	if e.PublicOnlineURL() != "" || e.Place() != "online" {
		t.Error("non-public online link shown")
	}
}

// TestBerlinClock: wall-clock times on the days the clocks change. In 2026
// summer time begins on 29 March (02:00 → 03:00) and ends on 25 October
// (03:00 → 02:00).
func TestBerlinClock(t *testing.T) {
	utc := func(month time.Month, day, h, m int) time.Time {
		return time.Date(2026, month, day, h, m, 0, 0, time.UTC)
	}
	for _, tc := range []struct {
		name         string
		day          time.Time
		hour, minute int
		want         time.Time // zero: does not exist
		repeated     bool
	}{
		{"before the skipped hour", berlin(2026, 3, 29, 0, 0), 1, 59, utc(3, 29, 0, 59), false},
		{"in the skipped hour", berlin(2026, 3, 29, 0, 0), 2, 30, time.Time{}, false},
		{"start of the skipped hour", berlin(2026, 3, 29, 0, 0), 2, 0, time.Time{}, false},
		{"after the skipped hour", berlin(2026, 3, 29, 0, 0), 3, 0, utc(3, 29, 1, 0), false},
		{"before the repeated hour", berlin(2026, 10, 25, 0, 0), 1, 59, utc(10, 24, 23, 59), false},
		{"in the repeated hour: the first, summer time", berlin(2026, 10, 25, 0, 0), 2, 30, utc(10, 25, 0, 30), true},
		{"start of the repeated hour", berlin(2026, 10, 25, 0, 0), 2, 0, utc(10, 25, 0, 0), true},
		{"after the repeated hour", berlin(2026, 10, 25, 0, 0), 3, 0, utc(10, 25, 2, 0), false},
		{"an ordinary day, given as an instant late in the Berlin day", utc(6, 3, 22, 30), 14, 0, utc(6, 4, 12, 0), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := BerlinClock(tc.day, tc.hour, tc.minute)
			if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
				t.Fatalf("BerlinClock = %v, %v; want %v", got, ok, tc.want)
			}
			if ok && RepeatedWallClock(got) != tc.repeated {
				t.Errorf("RepeatedWallClock(%v) = %v, want %v", got, !tc.repeated, tc.repeated)
			}
		})
	}
	// The second 02:30 is repeated too, and an hour after the first.
	if second := utc(10, 25, 1, 30); !RepeatedWallClock(second) || second.In(Berlin).Format("15:04") != "02:30" {
		t.Error("the second 02:30 is not recognised as repeated")
	}
}
