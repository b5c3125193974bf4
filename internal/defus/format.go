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
