// Package ical writes events as iCalendar (RFC 5545) for calendar apps:
// one event for download and subscribable feeds. It uses
// github.com/arran4/golang-ical for the calendar and its time zone and for
// TEXT escaping, writes the events itself the way the library would
// (folding at 75 octets without splitting UTF-8) and decides what goes into
// each property.
//
// The output depends only on its input: DTSTAMP is the event's last change,
// not the time of the request, so a feed is byte-stable while nothing
// changes and can be answered with 304 Not Modified.
package ical

import (
	"bufio"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"defus.de/portal/internal/defus"
)

// Site is what every calendar of the portal says about its events: where
// they live and who publishes them.
type Site struct {
	BaseURL   string    // absolute site URL without trailing slash, for each event's URL
	Organizer Organizer // the ORGANIZER of every event
}

// Organizer is the office that publishes the events. RFC 5546 requires an
// ORGANIZER in every VEVENT of a METHOD:PUBLISH calendar.
type Organizer struct {
	Name  string // CN, e.g. the association's name
	Email string // the address, in its ASCII form (see defus.ASCIIEmail)
}

// Feed says what a subscribable calendar is called.
type Feed struct {
	Name        string // NAME and X-WR-CALNAME, e.g. "DEFUS-Termine"
	Description string // X-WR-CALDESC, optional
}

// RefreshInterval is how often subscribed calendars should look for changes.
const RefreshInterval = "PT6H"

const tzid = "Europe/Berlin"

// WriteFeed writes a subscribable calendar with events in the given order,
// with CRLF line ends: named, with how often to refresh it.
func WriteFeed(w io.Writer, site Site, f Feed, events []defus.Event) error {
	cal := newCalendar()
	cal.SetName(f.Name) // NAME and X-WR-CALNAME
	if f.Description != "" {
		cal.SetXWRCalDesc(f.Description)
	}
	cal.SetXWRTimezone(tzid)
	cal.SetRefreshInterval(RefreshInterval)
	cal.SetXPublishedTTL(RefreshInterval)
	return write(w, cal, site, events)
}

// WriteEvent writes one event for one's own calendar. It names no calendar
// and asks for no refreshing (no NAME, X-WR-*, REFRESH-INTERVAL or
// X-PUBLISHED-TTL): with those, Outlook imports the file as a new calendar
// folder instead of adding the event.
func WriteEvent(w io.Writer, site Site, e *defus.Event) error {
	return write(w, newCalendar(), site, []defus.Event{*e})
}

func newCalendar() *ics.Calendar {
	cal := ics.NewCalendarFor("DEFUS//Termine//DE")
	cal.SetProductId("-//DEFUS//Termine//DE")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	return cal
}

// write writes cal (its properties and the time zone, through the
// library) with events. The VEVENTs, thousands in a feed, are written
// directly (writeEvent): building a library component for each cost more
// than everything else of the feed. The bytes are the library's all the
// same (golden files in testdata).
func write(w io.Writer, cal *ics.Calendar, site Site, events []defus.Event) error {
	cal.AddVTimezone(berlinTimezone())
	var head strings.Builder
	if err := cal.SerializeTo(&head, ics.WithNewLineWindows); err != nil {
		return err
	}
	const end = "END:VCALENDAR" + crlf
	start, ok := strings.CutSuffix(head.String(), end)
	if !ok {
		return errors.New("ical: calendar does not end with END:VCALENDAR")
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString(start)
	org := organizerLine(site.Organizer)
	var line []byte
	for i := range events {
		line = writeEvent(bw, line, site, org, &events[i])
	}
	bw.WriteString(end)
	return bw.Flush()
}

const crlf = "\r\n"

// writeEvent writes e as a VEVENT with the properties, in the order and
// form, that golang-ical gives them; line is a buffer to reuse, returned.
func writeEvent(w *bufio.Writer, line []byte, site Site, organizer string, e *defus.Event) []byte {
	url := EventURL(site.BaseURL, e)
	prop := func(name, value string, isText bool) {
		line = append(line[:0], name...)
		line = append(line, ':')
		if isText {
			line = append(line, ics.ToText(value)...)
		} else {
			line = append(line, value...)
		}
		fold(w, line)
	}
	timeProp := func(name string, t time.Time, layout string) { // no escaping, never folded
		line = append(line[:0], name...)
		line = append(line, ':')
		line = t.AppendFormat(line, layout)
		w.Write(line)
		w.WriteString(crlf)
	}
	const utc = "20060102T150405Z"
	w.WriteString("BEGIN:VEVENT" + crlf)
	prop("UID", e.UID, true)
	timeProp("DTSTAMP", e.UpdatedAt.UTC(), utc)
	timeProp("CREATED", e.CreatedAt.UTC(), utc)
	timeProp("LAST-MODIFIED", e.UpdatedAt.UTC(), utc)
	prop("SEQUENCE", strconv.Itoa(e.Sequence), false)
	dateTime := func(name string, t time.Time) {
		if defus.RepeatedWallClock(t) {
			timeProp(name, t.UTC(), utc)
			return
		}
		timeProp(name+";TZID="+tzid, t.In(defus.Berlin), "20060102T150405")
	}
	switch {
	case e.AllDay:
		// DTEND of a date is exclusive: EndsAt is midnight after the last day.
		timeProp("DTSTART;VALUE=DATE", e.StartsAt.In(defus.Berlin), "20060102")
		timeProp("DTEND;VALUE=DATE", e.EndsAt.In(defus.Berlin), "20060102")
	case e.EndsAt.Equal(e.StartsAt):
		// No end time given: without DTEND the event is a moment (RFC 5545
		// §3.6.1), which is what it is; DTEND = DTSTART would say the same
		// with a made-up end that some clients show.
		dateTime("DTSTART", e.StartsAt)
	default:
		dateTime("DTSTART", e.StartsAt)
		dateTime("DTEND", e.EndsAt)
	}
	prop(organizer, "mailto:"+site.Organizer.Email, true)
	summary := e.Title
	if label := e.Status.Label(); label != "" {
		// Many clients ignore STATUS in subscribed calendars; the title says it too.
		summary = label + ": " + summary
	}
	prop("SUMMARY", text(summary), true)
	prop("DESCRIPTION", text(description(e, url)), true)
	if loc := location(e); loc != "" {
		prop("LOCATION", text(loc), true)
	}
	prop("URL", url, false)
	prop("CATEGORIES", text(e.Kind.Label()), true)
	status := ics.ObjectStatusConfirmed
	switch e.Status {
	case defus.StatusCancelled:
		status = ics.ObjectStatusCancelled
	case defus.StatusPostponed:
		status = ics.ObjectStatusTentative
	}
	prop("STATUS", string(status), true)
	prop("TRANSP", string(ics.TransparencyOpaque), true)
	w.WriteString("END:VEVENT" + crlf)
	return line
}

// fold writes a content line folded as golang-ical folds it: at most 75
// octets a line, never inside a UTF-8 sequence, and before the last space
// (or "<", or after ">") that fits when there is one; each continuation
// line starts with a space. (After golang-ical's BaseProperty.SerializeTo,
// Apache License 2.0.)
func fold(w *bufio.Writer, r []byte) {
	const maxLength = 75
	if len(r) > maxLength {
		l := foldAt(maxLength, r)
		w.Write(r[:l])
		w.WriteString(crlf)
		r = r[l:]
		for len(r) > maxLength-1 {
			l := foldAt(maxLength-1, r)
			w.WriteByte(' ')
			w.Write(r[:l])
			w.WriteString(crlf)
			r = r[l:]
		}
		w.WriteByte(' ')
	}
	w.Write(r)
	w.WriteString(crlf)
}

// foldAt is how many bytes of s go on a line of at most maxLength octets
// (golang-ical's trimUT8StringUpTo).
func foldAt(maxLength int, s []byte) int {
	length, lastWordBoundary := 0, -1
	var lastRune rune
	for i, r := range string(s) {
		if r == ' ' || r == '<' {
			lastWordBoundary = i
		} else if lastRune == '>' {
			lastWordBoundary = i
		}
		lastRune = r
		newLength := length + utf8.RuneLen(r)
		if newLength > maxLength {
			break
		}
		length = newLength
	}
	if lastWordBoundary > 0 {
		return lastWordBoundary
	}
	return length
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

// organizerLine is the name and parameter of the ORGANIZER property.
// golang-ical escapes parameter values with backslashes, which RFC 5545
// does not know (a comma in the name would end the CN), so the parameter
// is written here: always as a quoted string, in which ";", ":" and ","
// are plain characters. A quoted string cannot hold a DQUOTE; RFC 6868
// writes it as ^' (and ^ as ^^). Control characters, which no parameter
// may hold, are dropped.
func organizerLine(o Organizer) string {
	var cn strings.Builder
	for _, r := range o.Name {
		switch {
		case r == '"':
			cn.WriteString("^'")
		case r == '^':
			cn.WriteString("^^")
		case r < 0x20 || r == 0x7f:
		default:
			cn.WriteRune(r)
		}
	}
	return string(ics.ComponentPropertyOrganizer) + `;CN="` + cn.String() + `"`
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
