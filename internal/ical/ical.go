// Package ical writes events as iCalendar (RFC 5545) for calendar apps:
// one event for download and subscribable feeds. It uses
// github.com/arran4/golang-ical for the format (TEXT escaping, folding at 75
// octets without splitting UTF-8) and decides what goes into each property.
//
// The output depends only on its input: DTSTAMP is the event's last change,
// not the time of the request, so a feed is byte-stable while nothing
// changes and can be answered with 304 Not Modified.
package ical

import (
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"defus.de/portal/internal/defus"
)

// Calendar says what a feed is called and where its events live.
type Calendar struct {
	Name        string // NAME and X-WR-CALNAME, e.g. "DEFUS-Termine"
	Description string // X-WR-CALDESC, optional
	BaseURL     string // absolute site URL without trailing slash, for each event's URL
}

// RefreshInterval is how often subscribed calendars should look for changes.
const RefreshInterval = "PT6H"

const tzid = "Europe/Berlin"

// Write writes the calendar with events in the given order, with CRLF line ends.
func Write(w io.Writer, c Calendar, events []defus.Event) error {
	cal := ics.NewCalendarFor("DEFUS//Termine//DE")
	cal.SetProductId("-//DEFUS//Termine//DE")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(c.Name) // NAME and X-WR-CALNAME
	if c.Description != "" {
		cal.SetXWRCalDesc(c.Description)
	}
	cal.SetXWRTimezone(tzid)
	cal.SetRefreshInterval(RefreshInterval)
	cal.SetXPublishedTTL(RefreshInterval)
	cal.AddVTimezone(berlinTimezone())
	for i := range events {
		cal.AddVEvent(vevent(c, &events[i]))
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// berlinTimezone describes Europe/Berlin with the EU daylight-saving rule
// (in force since 1996): summer time from the last Sunday of March 02:00 to
// the last Sunday of October 03:00.
func berlinTimezone() *ics.VTimezone {
	tz := ics.NewTimezone(tzid)
	daylight := &ics.Daylight{}
	daylight.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0100")
	daylight.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0200")
	daylight.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CEST")
	daylight.AddProperty(ics.ComponentPropertyDtStart, "19700329T020000")
	daylight.AddProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	standard := tz.AddStandard()
	standard.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0200")
	standard.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0100")
	standard.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CET")
	standard.AddProperty(ics.ComponentPropertyDtStart, "19701025T030000")
	standard.AddProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	tz.Components = append([]ics.Component{daylight}, tz.Components...)
	return tz
}

// EventURL is the absolute address of an event's page.
func EventURL(baseURL string, e *defus.Event) string {
	return baseURL + "/termine/" + e.Slug
}

func vevent(c Calendar, e *defus.Event) *ics.VEvent {
	url := EventURL(c.BaseURL, e)
	v := ics.NewEvent(e.UID)
	v.SetDtStampTime(e.UpdatedAt)
	v.SetCreatedTime(e.CreatedAt)
	v.SetModifiedAt(e.UpdatedAt)
	v.SetSequence(e.Sequence)
	if e.AllDay {
		// DTEND of a date is exclusive: EndsAt is midnight after the last day.
		v.SetProperty(ics.ComponentPropertyDtStart, e.StartsAt.In(defus.Berlin).Format("20060102"), ics.WithValue("DATE"))
		v.SetProperty(ics.ComponentPropertyDtEnd, e.EndsAt.In(defus.Berlin).Format("20060102"), ics.WithValue("DATE"))
	} else {
		v.SetProperty(ics.ComponentPropertyDtStart, e.StartsAt.In(defus.Berlin).Format("20060102T150405"), ics.WithTZID(tzid))
		v.SetProperty(ics.ComponentPropertyDtEnd, e.EndsAt.In(defus.Berlin).Format("20060102T150405"), ics.WithTZID(tzid))
	}
	summary := e.Title
	if label := e.Status.Label(); label != "" {
		// Many clients ignore STATUS in subscribed calendars; the title says it too.
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

// description is the plain-text DESCRIPTION, ending with the event's URL so
// that clients without a URL field still link to it.
func description(e *defus.Event, url string) string {
	var parts []string
	switch e.Status {
	case defus.StatusCancelled:
		parts = append(parts, "Dieser Termin ist abgesagt.")
	case defus.StatusPostponed:
		parts = append(parts, "Dieser Termin wird verschoben.")
	}
	if e.Summary != "" {
		parts = append(parts, e.Summary)
	}
	if e.Host != nil {
		parts = append(parts, "Gastgeber: "+e.Host.Name)
	}
	if e.Partners != "" {
		parts = append(parts, "In Kooperation mit: "+e.Partners)
	}
	if e.RegistrationNote != "" {
		parts = append(parts, "Anmeldung: "+e.RegistrationNote)
	}
	if e.RegistrationURL != "" {
		parts = append(parts, "Zur Anmeldung: "+e.RegistrationURL)
	}
	if link := e.PublicOnlineURL(); link != "" {
		parts = append(parts, "Online teilnehmen: "+link)
	}
	parts = append(parts, "Weitere Informationen: "+url)
	return strings.Join(parts, "\n\n")
}

func location(e *defus.Event) string {
	addr := e.Address()
	switch e.Format {
	case defus.FormatOnline:
		if link := e.PublicOnlineURL(); link != "" {
			return "Online: " + link
		}
		return "Online"
	case defus.FormatHybrid:
		if addr == "" {
			return "Vor Ort und online"
		}
		return addr + " und online"
	}
	return addr
}

// text normalises line ends to "\n" (which the library escapes as \n) and
// drops other control characters, which TEXT must not contain.
func text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if r == '\r' || r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// LastModified is the latest change among events, or the zero time.
func LastModified(events []defus.Event) time.Time {
	var t time.Time
	for _, e := range events {
		if e.UpdatedAt.After(t) {
			t = e.UpdatedAt
		}
	}
	return t
}
