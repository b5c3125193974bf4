package ical_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/ical"
	"defus.de/portal/internal/ical/icaltest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func berlin(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, defus.Berlin)
}

// fixtureEvents are fixed inputs for byte-stable output: a timed event over
// the start of summer time, an all-day event over two days, a cancelled
// online event over the end of summer time, a postponed hybrid one, one
// that starts in the hour that repeats when summer time ends (02:30 summer
// time), and one without an end time.
func fixtureEvents() []defus.Event {
	changed := time.Date(2026, 2, 1, 9, 30, 0, 0, time.UTC)
	created := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	mvStart, mvEnd := defus.AllDayRange(berlin(2025, 9, 16, 0, 0), berlin(2025, 9, 17, 0, 0))
	return []defus.Event{
		{
			Slug: "nachtwanderung-zur-zeitumstellung", UID: "0f8d7a2e-1b7c-4c55-9a41-3e2f1d8c9b01",
			Title: "Nachtwanderung: Sicherheit, Licht; Angsträume – ein Rundgang über Straßen und Plätze",
			Kind:  defus.EventWorkshop, Format: defus.FormatInPerson, Status: defus.StatusScheduled,
			StartsAt: berlin(2026, 3, 29, 1, 0), EndsAt: berlin(2026, 3, 29, 4, 0),
			PlaceName: "Rathaus", Street: "Marktplatz 1", Postcode: "70173", City: "Stuttgart",
			Host:             &defus.EventHost{Slug: "stuttgart", Name: "Landeshauptstadt Stuttgart"},
			Partners:         "Polizei, Ordnungsamt; Stadtplanung",
			Summary:          "Wir gehen gemeinsam durch die Innenstadt\r\nund sprechen über Beleuchtung, Sichtachsen und Angsträume – mit Übergrößen-Zeilen voller Umlaute: äöüßÄÖÜ€ äöüßÄÖÜ€ äöüßÄÖÜ€.",
			RegistrationNote: "Bitte bis 20. März anmelden, Plätze begrenzt.", RegistrationURL: "https://example.org/anmeldung?x=1&y=2",
			Sequence: 3, CreatedAt: created, UpdatedAt: changed,
		},
		{
			Slug: "29-mitgliederversammlung-2025", UID: "5c1e9b44-2f0a-4d8e-8d7b-6a0e2c3f4d12",
			Title: "29. Mitgliederversammlung", Kind: defus.EventMeeting, Format: defus.FormatInPerson,
			Status: defus.StatusScheduled, StartsAt: mvStart, EndsAt: mvEnd, AllDay: true, City: "Stuttgart",
			Summary: "Zwei Tage Austausch.", CreatedAt: created, UpdatedAt: created,
		},
		{
			Slug: "online-fachgespraech", UID: "9a7b6c5d-4e3f-4a1b-8c2d-0e1f2a3b4c5d",
			Title: "Online-Fachgespräch", Kind: defus.EventOther, Format: defus.FormatOnline,
			Status:   defus.StatusCancelled,
			StartsAt: berlin(2026, 10, 25, 1, 30), EndsAt: berlin(2026, 10, 25, 4, 0),
			OnlineURL: "https://konferenz.example.org/raum", OnlineURLPublic: true,
			Sequence: 1, CreatedAt: created, UpdatedAt: changed.Add(time.Hour),
		},
		{
			Slug: "netzwerktreffen", UID: "1d2c3b4a-5e6f-4a7b-8c9d-0a1b2c3d4e5f",
			Title: "Netzwerktreffen", Kind: defus.EventMeeting, Format: defus.FormatHybrid,
			Status:   defus.StatusPostponed,
			StartsAt: berlin(2026, 12, 1, 10, 0), EndsAt: berlin(2026, 12, 2, 15, 0),
			City: "Göttingen", OnlineURL: "https://intern.example.org/geheim", OnlineURLPublic: false,
			CreatedAt: created, UpdatedAt: created,
		},
		{
			Slug: "nachtcafe-zur-zeitumstellung", UID: "7e6d5c4b-3a29-4817-a6b5-c4d3e2f1a0b9",
			Title: "Nachtcafé zur Zeitumstellung", Kind: defus.EventOther, Format: defus.FormatInPerson,
			Status:   defus.StatusScheduled,
			StartsAt: time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), // 02:30 CEST, the first 02:30 that night
			EndsAt:   time.Date(2026, 10, 25, 1, 45, 0, 0, time.UTC), // 02:45 CET, the second 02:45
			City:     "Essen", CreatedAt: created, UpdatedAt: created,
		},
		{
			Slug: "pressegespraech", UID: "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901",
			Title: "Pressegespräch", Kind: defus.EventOther, Format: defus.FormatInPerson,
			Status:   defus.StatusScheduled,
			StartsAt: berlin(2026, 6, 3, 14, 0), EndsAt: berlin(2026, 6, 3, 14, 0),
			City: "Berlin", CreatedAt: created, UpdatedAt: created,
		},
	}
}

var (
	testSite = ical.Site{BaseURL: "https://www.defus.example", Organizer: ical.Organizer{
		Name: "Deutsch-Europäisches Forum für Urbane Sicherheit e.V.", Email: "defus@defus.example"}}
	testFeed = ical.Feed{Name: "DEFUS-Termine", Description: "Termine des Netzwerks"}
)

func TestWriteGolden(t *testing.T) {
	for name, write := range map[string]func(*bytes.Buffer) error{
		"feed.golden.ics":  func(b *bytes.Buffer) error { return ical.WriteFeed(b, testSite, testFeed, fixtureEvents()) },
		"event.golden.ics": func(b *bytes.Buffer) error { return ical.WriteEvent(b, testSite, &fixtureEvents()[0]) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			golden := filepath.Join("testdata", name)
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", golden, got)
			}
			checkLines(t, got)
		})
	}
}

// checkLines enforces RFC 5545 §3.1: CRLF line ends, at most 75 octets per
// line, folds that never split a UTF-8 character.
func checkLines(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Error("output does not end with CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, l)
		}
	}
}

// TestFeedParsesWithAnIndependentParser reads the output with
// github.com/emersion/go-ical and compares every event with its input.
func TestFeedParsesWithAnIndependentParser(t *testing.T) {
	events := fixtureEvents()
	var buf bytes.Buffer
	if err := ical.WriteFeed(&buf, testSite, testFeed, events); err != nil {
		t.Fatal(err)
	}
	icaltest.CompareFeed(t, buf.Bytes(), testSite, events)
	for _, e := range events {
		buf.Reset()
		if err := ical.WriteEvent(&buf, testSite, &e); err != nil {
			t.Fatal(err)
		}
		icaltest.CompareEvent(t, buf.Bytes(), testSite, e)
	}
}

// TestTimesAreUnambiguous: a time in the hour that repeats when summer time
// ends is written in UTC, both occurrences; the hours around it keep their
// Berlin wall-clock time; an event without an end time has no DTEND.
func TestTimesAreUnambiguous(t *testing.T) {
	for _, tc := range []struct {
		name       string
		start, end time.Time
		want       []string
		not        []string
	}{
		{"first 02:30 to second 02:45", time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 45, 0, 0, time.UTC),
			[]string{"DTSTART:20261025T003000Z\r\n", "DTEND:20261025T014500Z\r\n"}, []string{"TZID=Europe/Berlin:20261025T02"}},
		{"01:59 summer time to 03:00 winter time", time.Date(2026, 10, 24, 23, 59, 0, 0, time.UTC), time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC),
			[]string{"DTSTART;TZID=Europe/Berlin:20261025T015900\r\n", "DTEND;TZID=Europe/Berlin:20261025T030000\r\n"}, []string{"Z\r\nDTEND"}},
		{"no end time", berlin(2026, 10, 25, 10, 0), berlin(2026, 10, 25, 10, 0),
			[]string{"DTSTART;TZID=Europe/Berlin:20261025T100000\r\n"}, []string{"DTEND"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := fixtureEvents()[0]
			e.StartsAt, e.EndsAt = tc.start, tc.end
			var buf bytes.Buffer
			if err := ical.WriteEvent(&buf, testSite, &e); err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.want {
				if !strings.Contains(buf.String(), want) {
					t.Errorf("lacks %q:\n%s", want, buf.String())
				}
			}
			for _, not := range tc.not {
				if strings.Contains(buf.String(), not) {
					t.Errorf("has %q:\n%s", not, buf.String())
				}
			}
			icaltest.CompareEvent(t, buf.Bytes(), testSite, e)
		})
	}
}

// TestOrganizerNameIsQuoted: the CN is a quoted string, so that commas,
// semicolons and colons in the office's name stay part of it; a double
// quote is written as ^' (RFC 6868), never with a backslash.
func TestOrganizerNameIsQuoted(t *testing.T) {
	for _, tc := range []struct{ name, wantLine string }{
		{"DEFUS e.V., Geschäftsstelle; Tel.: 030 1234", `ORGANIZER;CN="DEFUS e.V., Geschäftsstelle; Tel.: 030 1234":mailto:defus@defus.example`},
		{`Forum "Urbane Sicherheit" ^ d'Europe`, `ORGANIZER;CN="Forum ^'Urbane Sicherheit^' ^^ d'Europe":mailto:defus@defus.example`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := testSite
			site.Organizer.Name = tc.name
			e := fixtureEvents()[1]
			var buf bytes.Buffer
			if err := ical.WriteEvent(&buf, site, &e); err != nil {
				t.Fatal(err)
			}
			checkLines(t, buf.Bytes())
			unfolded := strings.ReplaceAll(buf.String(), "\r\n ", "")
			if !strings.Contains(unfolded, "\r\n"+tc.wantLine+"\r\n") {
				t.Errorf("lacks %s:\n%s", tc.wantLine, unfolded)
			}
			if !strings.Contains(tc.name, `"`) {
				// go-ical does not decode RFC 6868; it reads the rest back.
				icaltest.CompareEvent(t, buf.Bytes(), site, e)
			}
		})
	}
}

func TestTextIsEscaped(t *testing.T) {
	var buf bytes.Buffer
	if err := ical.WriteFeed(&buf, testSite, testFeed, fixtureEvents()[:1]); err != nil {
		t.Fatal(err)
	}
	unfolded := strings.ReplaceAll(buf.String(), "\r\n ", "")
	for _, want := range []string{
		`SUMMARY:Nachtwanderung: Sicherheit\, Licht\; Angsträume – ein Rundgang über Straßen und Plätze`,
		`In Kooperation mit: Polizei\, Ordnungsamt\; Stadtplanung`,
		`Innenstadt\nund sprechen`,
		"DTSTART;TZID=Europe/Berlin:20260329T010000\r\n",
		"DTEND;TZID=Europe/Berlin:20260329T040000\r\n",
		"BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n",
		"REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n",
		"X-PUBLISHED-TTL:PT6H\r\n",
		"NAME:DEFUS-Termine\r\n",
		"X-WR-CALNAME:DEFUS-Termine\r\n",
		"SEQUENCE:3\r\n",
		"LAST-MODIFIED:20260201T093000Z\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
