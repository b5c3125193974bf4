package view

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
)

// EventFilterForm is the event filter as understood, in URL parameter values.
type EventFilterForm struct {
	Kind  string // ?art, e.g. "fortbildung"
	Topic string // ?thema, a topic slug
	Host  string // ?gastgeber, a member slug
	Month string // ?monat, "2026-06"
}

// Filtered reports whether any filter is in effect.
func (f EventFilterForm) Filtered() bool {
	return f.Kind != "" || f.Topic != "" || f.Host != "" || f.Month != ""
}

// Query is the filter as a URL query without "?", keys sorted; "" when unfiltered.
func (f EventFilterForm) Query() string {
	v := url.Values{}
	for k, val := range map[string]string{"art": f.Kind, "thema": f.Topic, "gastgeber": f.Host, "monat": f.Month} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v.Encode()
}

// FeedLinks are the addresses of a calendar feed.
type FeedLinks struct {
	HTTPS  string // absolute URL of the .ics
	Webcal string // the same as webcal://, which calendar apps open as a subscription
	// MonthsBack: the feed holds the upcoming events and those of as many
	// months back.
	MonthsBack int
}

// EventGroup is a month (upcoming list) or a year (archive) of events.
type EventGroup struct {
	ID     string // fragment id of the heading
	Title  string // "Juni 2026" or "2025"
	Events []defus.Event
}

// EventsData is the list of upcoming events or the archive, with its filter.
type EventsData struct {
	Archive bool
	Groups  []EventGroup
	Count   int
	Filter  EventFilterForm
	Topics  []defus.TopicCount // to choose from
	Hosts   []defus.EventHost  // to choose from
	// ManyHosts: too many hosts for a select; the filter has a text field
	// for the host's name, showing HostName, the chosen host's short name.
	ManyHosts bool
	HostName  string
	Notes     []string // German notes about filter values that were ignored
	Feed      FeedLinks
	Now       time.Time
	// Page of Pages: a long list comes in pages (Count is all of them).
	Page, Pages int
}

// paging is the list's pager, with its filter.
func (d EventsData) paging() Paging {
	q, _ := url.ParseQuery(d.Filter.Query())
	return Paging{Page: d.Page, Pages: d.Pages, Base: eventsPath(d.Archive), Query: q}
}

// EventData is one event's page.
type EventData struct {
	Event  defus.Event
	Now    time.Time
	ICS    string // path of the event's .ics; "" shows no download (preview)
	JSONLD any    // schema.org Event, rendered as application/ld+json; nil for none (preview)
	// SeesOnlineURL: the visitor may see the online link (a participant,
	// or a member where the office allows); see defus.Event.CanSeeOnlineURL.
	SeesOnlineURL bool
	Registration  *RegistrationBox // nil where the portal takes no registrations
}

// onlineURL is the online link the visitor may see, or "".
func (d EventData) onlineURL() string {
	if d.SeesOnlineURL {
		return d.Event.OnlineURL
	}
	return d.Event.PublicOnlineURL()
}

// onlineURLHidden reports whether there is a link the visitor may not see.
func (d EventData) onlineURLHidden() bool {
	return d.onlineURL() == "" && d.Event.OnlineURL != "" && d.Event.Format != defus.FormatInPerson
}

// CalendarData is the month view.
type CalendarData struct {
	Year       int
	Month      time.Month
	Weeks      [][]CalendarDay // Monday first; days outside the month are zero
	Prev, Next string          // paths of the neighbouring months, "" at the edge
	PrevTitle  string
	NextTitle  string
	Count      int
}

// CalendarDay is one cell of the month view.
type CalendarDay struct {
	Day    int // 0 outside the month
	Today  bool
	Events []defus.Event
}

// agendaDay is a day with events in the month view's list, which narrow
// screens show instead of the seven-column table.
type agendaDay struct {
	Date   string // ISO date for <time>
	Label  string // "Dienstag, 24. November"
	Today  bool
	Events []defus.Event
}

// agendaDays lists the days of the month that have events, in order.
func agendaDays(d CalendarData) []agendaDay {
	var days []agendaDay
	for _, week := range d.Weeks {
		for _, day := range week {
			if day.Day == 0 || len(day.Events) == 0 {
				continue
			}
			date := time.Date(d.Year, d.Month, day.Day, 12, 0, 0, 0, defus.Berlin)
			days = append(days, agendaDay{
				Date:   date.Format("2006-01-02"),
				Label:  defus.WeekdayNames[date.Weekday()] + ", " + strconv.Itoa(day.Day) + ". " + defus.MonthNames[d.Month-1],
				Today:  day.Today,
				Events: day.Events,
			})
		}
	}
	return days
}

// agendaMeta is the line under an event in the month's list: the days of
// an event over several days, the times of a timed one-day event (its day
// is the heading above), then eventMeta.
func agendaMeta(e defus.Event) string {
	if e.MultiDay() {
		return e.DateRange() + " · " + eventMeta(e)
	}
	if times, ok := strings.CutPrefix(e.When(), e.DateRange()+", "); ok {
		return times + " · " + eventMeta(e)
	}
	return eventMeta(e)
}

// RelatedEvents are the events shown on a member or topic page.
type RelatedEvents struct {
	Upcoming []defus.Event
	Past     []defus.Event // latest first, possibly shortened
	Now      time.Time
	MoreHref string // the filtered list with all of them
}

// weekdayCols are the column heads of the month view, Monday first.
var weekdayCols = []struct{ Short, Long string }{
	{"Mo", "Montag"}, {"Di", "Dienstag"}, {"Mi", "Mittwoch"}, {"Do", "Donnerstag"},
	{"Fr", "Freitag"}, {"Sa", "Samstag"}, {"So", "Sonntag"},
}

// isoDate is the machine-readable date or date-time of an event for <time>.
func isoDate(e defus.Event) string {
	if e.AllDay {
		return e.StartsAt.In(defus.Berlin).Format("2006-01-02")
	}
	return e.StartsAt.In(defus.Berlin).Format("2006-01-02T15:04-07:00")
}

// eventMeta is the line under an event's title: kind, place, host.
func eventMeta(e defus.Event) string {
	s := e.Kind.Label()
	if p := e.Place(); p != "" {
		s += " · " + p
	}
	if e.Host != nil {
		s += " · Gastgeber: " + e.Host.ShortName
	}
	return s
}

func monthTitle(d CalendarData) string { return defus.MonthTitle(d.Year, d.Month) }

func kindSelected(f EventFilterForm, k defus.EventKind) bool { return f.Kind == k.Param() }

func eventsWord(n int) string {
	if n == 1 {
		return "1 Termin"
	}
	return strconv.Itoa(n) + " Termine"
}
