package defus

import (
	"strconv"
	"strings"
	"time"
)

// Berlin is the time zone every date and time of the portal is shown in.
var Berlin = mustLoadBerlin()

func mustLoadBerlin() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		// time/tzdata is imported by the binary, so this only fails if that import is removed.
		panic("defus: load Europe/Berlin: " + err.Error())
	}
	return loc
}

// MonthNames are the German month names, January first.
var MonthNames = [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni",
	"Juli", "August", "September", "Oktober", "November", "Dezember"}

// WeekdayNames are the German weekday names, Sunday first like time.Weekday.
var WeekdayNames = [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}

// FormatDate writes a date the German way in Berlin time: "24. November 2026".
func FormatDate(t time.Time) string {
	t = t.In(Berlin)
	return strconv.Itoa(t.Day()) + ". " + MonthNames[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// FormatTime writes a clock time the German way in Berlin time: "18:30 Uhr".
func FormatTime(t time.Time) string {
	return t.In(Berlin).Format("15:04") + " Uhr"
}

// BerlinClock is hour:minute Berlin time on the Berlin date of day. ok is
// false for a time that does not exist on that day: the hour skipped when
// summer time begins (29.03.2026 02:30). A time in the hour that repeats
// when summer time ends (25.10.2026 02:30) is its first occurrence, still
// summer time, as RFC 5545 reads such a time with a TZID. (time.Date would
// move the first to 03:30 and take the second occurrence of the other.)
func BerlinClock(day time.Time, hour, minute int) (t time.Time, ok bool) {
	d := day.In(Berlin)
	t = time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, Berlin)
	if t.Hour() != hour || t.Minute() != minute {
		return time.Time{}, false
	}
	if earlier := t.Add(-time.Hour); berlinOffset(earlier)-berlinOffset(t) == 3600 { // the same wall clock
		t = earlier
	}
	return t, true
}

// RepeatedWallClock reports whether the Berlin wall-clock time of t occurs
// twice on its day, in the hour that repeats when summer time ends: such a
// time alone does not say which instant is meant. Berlin's clock changes
// by one hour, so the other occurrence is an hour away: the clock an hour
// earlier shows the same time when Berlin's offset from UTC was an hour
// more then, and an hour later when it will be an hour less. (Compared by
// offsets, not formatted clocks: a feed asks this for every event.)
func RepeatedWallClock(t time.Time) bool {
	o := berlinOffset(t)
	return berlinOffset(t.Add(-time.Hour))-o == 3600 || o-berlinOffset(t.Add(time.Hour)) == 3600
}

// berlinOffset is Berlin's offset from UTC at t, in seconds.
func berlinOffset(t time.Time) int {
	_, o := t.In(Berlin).Zone()
	return o
}

// FormatNumber writes an integer with German thousands separators: 3.700.000.
func FormatNumber(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// FormatDecimal writes a decimal number the German way, with a comma and
// as many places as it has: 50.9375 is "50,9375".
func FormatDecimal(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// ParseDate reads a date as a browser's date field sends it ("2025-09-16")
// or as people in Germany type it ("16.09.2025", "16.9.2025"), with a
// four-digit year. It returns midnight of that day in Berlin; ok is false
// for anything else and for days that do not exist ("31.02.2026").
func ParseDate(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	var parts []string
	var y, m, d string
	switch {
	case strings.Count(s, "-") == 2:
		parts = strings.Split(s, "-")
		y, m, d = parts[0], parts[1], parts[2]
	case strings.Count(s, ".") == 2:
		parts = strings.Split(s, ".")
		d, m, y = parts[0], parts[1], parts[2]
	default:
		return time.Time{}, false
	}
	year, ok1 := digits(y, 4, 4)
	month, ok2 := digits(m, 1, 2)
	day, ok3 := digits(d, 1, 2)
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 {
		return time.Time{}, false
	}
	t = time.Date(year, time.Month(month), day, 0, 0, 0, 0, Berlin)
	if t.Day() != day || t.Month() != time.Month(month) {
		return time.Time{}, false // normalised: the day does not exist
	}
	return t, true
}

// ParseClock reads a time of day as a browser's time field sends it
// ("10:00", "10:00:00") or as people type it ("9:30", "9.30", "10",
// "10 Uhr"), and returns hour and minute.
func ParseClock(s string) (hour, minute int, ok bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "Uhr"))
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '.' })
	if len(parts) == 0 || len(parts) > 3 || strings.Count(s, ":")+strings.Count(s, ".") != len(parts)-1 {
		return 0, 0, false
	}
	h, okH := digits(parts[0], 1, 2)
	m, okM := 0, true
	if len(parts) > 1 {
		m, okM = digits(parts[1], 2, 2)
	}
	if len(parts) == 3 { // seconds, as some browsers send them: must be valid, are dropped
		if sec, okS := digits(parts[2], 2, 2); !okS || sec > 59 {
			return 0, 0, false
		}
	}
	if !okH || !okM || h > 23 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

// digits reads a number of min to max ASCII digits.
func digits(s string, min, max int) (int, bool) {
	if len(s) < min || len(s) > max {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
