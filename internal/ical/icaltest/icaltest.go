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
)

// Compare parses b with go-ical and checks each VEVENT against want, in order.
func Compare(tb testing.TB, b []byte, baseURL string, want []defus.Event) {
	tb.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		tb.Fatalf("go-ical cannot parse the feed: %v", err)
	}
	if got, _ := cal.Props.Text("X-WR-CALNAME"); got == "" {
		tb.Error("no X-WR-CALNAME")
	}
	got := cal.Events()
	if len(got) != len(want) {
		tb.Fatalf("feed has %d events, want %d", len(got), len(want))
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
		url := baseURL + "/termine/" + w.Slug
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
			tb.Errorf("%s: private online link in the feed", w.Slug)
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
		start, err1 := ge.DateTimeStart(defus.Berlin)
		end, err2 := ge.DateTimeEnd(defus.Berlin)
		if err1 != nil || err2 != nil {
			tb.Errorf("%s: DTSTART/DTEND: %v %v", w.Slug, err1, err2)
			continue
		}
		dtstart := ge.Props.Get(goical.PropDateTimeStart)
		if w.AllDay {
			if dtstart.ValueType() != goical.ValueDate {
				tb.Errorf("%s: all-day DTSTART is not VALUE=DATE", w.Slug)
			}
		} else if dtstart.Params.Get(goical.PropTimezoneID) != "Europe/Berlin" {
			tb.Errorf("%s: DTSTART without TZID=Europe/Berlin", w.Slug)
		}
		if !start.Equal(w.StartsAt) || !end.Equal(w.EndsAt) {
			tb.Errorf("%s: %v – %v, want %v – %v", w.Slug, start, end, w.StartsAt, w.EndsAt)
		}
	}
}
