// Package icaltest checks iCalendar output with an independent parser,
// github.com/emersion/go-ical, so that tests do not trust the generator to
// read back what it wrote. Only tests import it.
package icaltest

import (
	"bytes"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/ical"
)

// Parse decodes b with go-ical and fails the test when it cannot.
func Parse(tb testing.TB, b []byte) *goical.Calendar {
	tb.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		tb.Fatalf("go-ical cannot parse the calendar: %v\n%s", err, b)
	}
	return cal
}

// CompareFeed parses a subscribable feed and checks that it is named and
// that each VEVENT matches want, in order.
func CompareFeed(tb testing.TB, b []byte, site ical.Site, want []defus.Event) {
	tb.Helper()
	cal := Parse(tb, b)
	if got, _ := cal.Props.Text("X-WR-CALNAME"); got == "" {
		tb.Error("feed without X-WR-CALNAME")
	}
	if cal.Props.Get("REFRESH-INTERVAL") == nil {
		tb.Error("feed without REFRESH-INTERVAL")
	}
	compareEvents(tb, cal, b, site, want)
}

// CompareEvent parses the calendar of one event for download and checks
// that it names no calendar (Outlook would import it as a new calendar
// folder) and that its VEVENT matches want.
func CompareEvent(tb testing.TB, b []byte, site ical.Site, want defus.Event) {
	tb.Helper()
	cal := Parse(tb, b)
	for _, name := range []string{"NAME", "X-WR-CALNAME", "X-WR-CALDESC", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"} {
		if p := cal.Props.Get(name); p != nil {
			tb.Errorf("single event names a calendar: %s:%s", name, p.Value)
		}
	}
	compareEvents(tb, cal, b, site, []defus.Event{want})
}

func compareEvents(tb testing.TB, cal *goical.Calendar, b []byte, site ical.Site, want []defus.Event) {
	tb.Helper()
	if got, _ := cal.Props.Text(goical.PropMethod); got != "PUBLISH" {
		tb.Errorf("METHOD %q, want PUBLISH", got)
	}
	got := cal.Events()
	if len(got) != len(want) {
		tb.Fatalf("calendar has %d events, want %d", len(got), len(want))
	}
	for i, ge := range got {
		w := want[i]
		text := func(name string) string {
			s, err := ge.Props.Text(name)
			if err != nil {
				tb.Errorf("%s: %s: %v", w.Slug, name, err)
			}
			return s
		}
		if got := text(goical.PropUID); got != w.UID {
			tb.Errorf("%s: UID %q, want %q", w.Slug, got, w.UID)
		}
		wantSummary := w.Title
		if w.Status.Label() != "" {
			wantSummary = w.Status.Label() + ": " + w.Title
		}
		if got := text(goical.PropSummary); got != wantSummary {
			tb.Errorf("%s: SUMMARY %q, want %q", w.Slug, got, wantSummary)
		}
		// RFC 5546 §3.2.1: every VEVENT of a PUBLISH has an ORGANIZER.
		org := ge.Props.Get(goical.PropOrganizer)
		if org == nil {
			tb.Errorf("%s: no ORGANIZER", w.Slug)
		} else if org.Value != "mailto:"+site.Organizer.Email || org.Params.Get(goical.ParamCommonName) != site.Organizer.Name {
			tb.Errorf("%s: ORGANIZER CN=%q %s, want CN=%q mailto:%s", w.Slug, org.Params.Get(goical.ParamCommonName), org.Value,
				site.Organizer.Name, site.Organizer.Email)
		}
		url := site.BaseURL + "/termine/" + w.Slug
		if got := ge.Props.Get(goical.PropURL); got == nil || got.Value != url {
			tb.Errorf("%s: URL %v, want %s", w.Slug, got, url)
		}
		desc := text(goical.PropDescription)
		if !strings.Contains(desc, url) {
			tb.Errorf("%s: DESCRIPTION lacks the URL: %q", w.Slug, desc)
		}
		if w.Summary != "" && !strings.Contains(desc, strings.ReplaceAll(w.Summary, "\r\n", "\n")) {
			tb.Errorf("%s: DESCRIPTION lacks the summary: %q", w.Slug, desc)
		}
		if w.OnlineURL != "" && !w.OnlineURLPublic && strings.Contains(string(b), w.OnlineURL) {
			tb.Errorf("%s: private online link in the calendar", w.Slug)
		}
		wantStatus := map[defus.EventStatus]goical.EventStatus{
			defus.StatusScheduled: goical.EventConfirmed,
			defus.StatusCancelled: goical.EventCancelled,
			defus.StatusPostponed: goical.EventTentative,
		}[w.Status]
		if got, err := ge.Status(); err != nil || got != wantStatus {
			tb.Errorf("%s: STATUS %q (%v), want %q", w.Slug, got, err, wantStatus)
		}
		if seq, err := ge.Props.Get(goical.PropSequence).Int(); err != nil || seq != w.Sequence {
			tb.Errorf("%s: SEQUENCE %d (%v), want %d", w.Slug, seq, err, w.Sequence)
		}
		for _, name := range []string{goical.PropDateTimeStamp, goical.PropLastModified} {
			// iCalendar has whole seconds.
			if got, err := ge.Props.DateTime(name, nil); err != nil || !got.Equal(w.UpdatedAt.Truncate(time.Second)) {
				tb.Errorf("%s: %s %v (%v), want %v", w.Slug, name, got, err, w.UpdatedAt)
			}
		}
		compareTimes(tb, ge, w)
	}
}

// compareTimes checks DTSTART and DTEND: dates for all-day events, Berlin
// wall-clock time with TZID for others except in the repeated autumn hour
// (UTC), no DTEND for an event without an end time.
func compareTimes(tb testing.TB, ge goical.Event, w defus.Event) {
	tb.Helper()
	start, err1 := ge.DateTimeStart(defus.Berlin)
	end, err2 := ge.DateTimeEnd(defus.Berlin)
	if err1 != nil || err2 != nil {
		tb.Errorf("%s: DTSTART/DTEND: %v %v", w.Slug, err1, err2)
		return
	}
	if !start.Equal(w.StartsAt) || !end.Equal(w.EndsAt) {
		tb.Errorf("%s: %v – %v, want %v – %v", w.Slug, start, end, w.StartsAt, w.EndsAt)
	}
	dtend := ge.Props.Get(goical.PropDateTimeEnd)
	if moment := !w.AllDay && w.EndsAt.Equal(w.StartsAt); moment != (dtend == nil) {
		tb.Errorf("%s: DTEND %v for an event that ends %v after it starts", w.Slug, dtend, w.EndsAt.Sub(w.StartsAt))
	}
	for _, p := range []struct {
		prop *goical.Prop
		t    time.Time
	}{{ge.Props.Get(goical.PropDateTimeStart), w.StartsAt}, {dtend, w.EndsAt}} {
		switch {
		case p.prop == nil:
		case w.AllDay:
			if p.prop.ValueType() != goical.ValueDate {
				tb.Errorf("%s: all-day %s is not VALUE=DATE", w.Slug, p.prop.Name)
			}
		case defus.RepeatedWallClock(p.t):
			if p.prop.Params.Get(goical.PropTimezoneID) != "" || !strings.HasSuffix(p.prop.Value, "Z") {
				tb.Errorf("%s: %s:%s in the repeated hour is not in UTC", w.Slug, p.prop.Name, p.prop.Value)
			}
		case p.prop.Params.Get(goical.PropTimezoneID) != "Europe/Berlin":
			tb.Errorf("%s: %s without TZID=Europe/Berlin", w.Slug, p.prop.Name)
		}
	}
}
