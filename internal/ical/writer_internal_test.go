package ical

import (
	"bufio"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"defus.de/portal/internal/defus"
)

// libraryEvent builds e as a golang-ical component, as the portal did
// before it wrote events itself.
func libraryEvent(site Site, e *defus.Event) *ics.VEvent {
	url := EventURL(site.BaseURL, e)
	v := ics.NewEvent(e.UID)
	v.SetDtStampTime(e.UpdatedAt)
	v.SetCreatedTime(e.CreatedAt)
	v.SetModifiedAt(e.UpdatedAt)
	v.SetSequence(e.Sequence)
	dateTime := func(prop ics.ComponentProperty, t time.Time) {
		if defus.RepeatedWallClock(t) {
			v.SetProperty(prop, t.UTC().Format("20060102T150405Z"))
			return
		}
		v.SetProperty(prop, t.In(defus.Berlin).Format("20060102T150405"), ics.WithTZID(tzid))
	}
	switch {
	case e.AllDay:
		v.SetProperty(ics.ComponentPropertyDtStart, e.StartsAt.In(defus.Berlin).Format("20060102"), ics.WithValue("DATE"))
		v.SetProperty(ics.ComponentPropertyDtEnd, e.EndsAt.In(defus.Berlin).Format("20060102"), ics.WithValue("DATE"))
	case e.EndsAt.Equal(e.StartsAt):
		dateTime(ics.ComponentPropertyDtStart, e.StartsAt)
	default:
		dateTime(ics.ComponentPropertyDtStart, e.StartsAt)
		dateTime(ics.ComponentPropertyDtEnd, e.EndsAt)
	}
	v.Properties = append(v.Properties, ics.IANAProperty{BaseProperty: ics.BaseProperty{
		IANAToken: organizerLine(site.Organizer), ICalParameters: map[string][]string{}, Value: "mailto:" + site.Organizer.Email}})
	summary := e.Title
	if label := e.Status.Label(); label != "" {
		summary = label + ": " + summary
	}
	v.SetSummary(text(summary))
	v.SetDescription(text(description(e, url)))
	if loc := location(e); loc != "" {
		v.SetLocation(text(loc))
	}
	v.SetURL(url)
	v.AddProperty(ics.ComponentPropertyCategories, text(e.Kind.Label()))
	switch e.Status {
	case defus.StatusCancelled:
		v.SetStatus(ics.ObjectStatusCancelled)
	case defus.StatusPostponed:
		v.SetStatus(ics.ObjectStatusTentative)
	default:
		v.SetStatus(ics.ObjectStatusConfirmed)
	}
	v.SetTimeTransparency(ics.TransparencyOpaque)
	return v
}

// TestEventsAsTheLibraryWritesThem compares writeEvent with golang-ical's
// serialisation for texts that fold in every way: long words, spaces and
// angle brackets right at the fold, umlauts and euro signs across it,
// escaped characters, line breaks.
func TestEventsAsTheLibraryWritesThem(t *testing.T) {
	site := Site{BaseURL: "https://www.defus.example", Organizer: Organizer{Name: `Forum "Sicherheit", Köln; e.V.`, Email: "a@b.example"}}
	pieces := []string{"Straßenbeleuchtung", " ", "<", ">", "äöü€", ",", ";", "\\", "\r\n", "x", "Sicherheitspartnerschaft", "  ", "<b>", "https://example.org/a?b=1&c=2"}
	at := time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)
	for i := range 400 {
		var b strings.Builder
		for j := range i % 60 {
			b.WriteString(pieces[(i*7+j*j)%len(pieces)])
		}
		long := b.String()
		e := defus.Event{
			UID: "uid-" + long[:min(len(long), 3)], Slug: "termin", Title: long, Summary: long, Partners: long[:len(long)/2],
			Kind: defus.EventKinds[i%len(defus.EventKinds)], Format: []defus.EventFormat{defus.FormatInPerson, defus.FormatOnline, defus.FormatHybrid}[i%3],
			Status:   []defus.EventStatus{defus.StatusScheduled, defus.StatusCancelled, defus.StatusPostponed}[i%3],
			StartsAt: at.Add(time.Duration(i) * 37 * time.Minute), AllDay: i%5 == 0,
			PlaceName: long[len(long)/3:], City: "Köln", OnlineURL: "https://konferenz.example.org/" + long[:min(len(long), 10)], OnlineURLPublic: i%2 == 0,
			Sequence: i, CreatedAt: at, UpdatedAt: at.Add(time.Hour),
		}
		e.EndsAt = e.StartsAt.Add(time.Duration(i%4) * time.Hour)
		if e.AllDay {
			e.EndsAt = e.StartsAt.AddDate(0, 0, 1)
		}
		var want, got strings.Builder
		if err := libraryEvent(site, &e).SerializeTo(&want, &ics.SerializationConfiguration{MaxLength: 75, PropertyMaxLength: 75, NewLine: crlf}); err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriter(&got)
		writeEvent(w, nil, site, organizerLine(site.Organizer), &e)
		w.Flush()
		if got.String() != want.String() {
			t.Fatalf("event %d differs from golang-ical's:\n got: %q\nwant: %q", i, got.String(), want.String())
		}
	}
}
