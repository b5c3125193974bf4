package seed

import "time"

// Demo events are placed by day offsets from "now", which would put some on
// a Saturday or on 26 December. An office plans its meetings and trainings
// for the middle of the week, so each demo event is moved to the next day
// from which all its days fall on a Tuesday, Wednesday or Thursday that is
// no public holiday.

// officeDay reports whether day (a date in Berlin) is a plausible day for
// an event of the network: Tuesday to Thursday, and no holiday.
func officeDay(day time.Time) bool {
	switch day.Weekday() {
	case time.Tuesday, time.Wednesday, time.Thursday:
		return !holiday(day)
	}
	return false
}

// holiday reports whether day is a nationwide public holiday in Germany, or
// 24 or 31 December, when offices are closed or nearly so. Holidays of
// single federal states (Fronleichnam, Reformationstag, …) are not known.
func holiday(day time.Time) bool {
	y, m, d := day.Date()
	switch {
	case m == time.January && d == 1, // Neujahr
		m == time.May && d == 1,                  // Tag der Arbeit
		m == time.October && d == 3,              // Tag der Deutschen Einheit
		m == time.December && d >= 24 && d <= 26, // Heiligabend, Weihnachten
		m == time.December && d == 31:            // Silvester
		return true
	}
	em, ed := easter(y)
	e := time.Date(y, em, ed, 0, 0, 0, 0, time.UTC)
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	switch int(date.Sub(e).Hours() / 24) {
	case -2, // Karfreitag
		1,  // Ostermontag
		39, // Christi Himmelfahrt
		50: // Pfingstmontag
		return true
	}
	return false
}

// easter is Easter Sunday of year in the Gregorian calendar, by the
// Meeus/Jones/Butcher form of Gauss's algorithm.
func easter(year int) (time.Month, int) {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return time.Month(n / 31), n%31 + 1
}

// officeDays moves first (a date in Berlin) forward to the first date from
// which the event's days, days of them in a row, are all office days. An
// event of more than three days cannot fit; its first three days do.
func officeDays(first time.Time, days int) time.Time {
	days = min(days, 3)
	for !allOfficeDays(first, days) {
		first = first.AddDate(0, 0, 1)
	}
	return first
}

func allOfficeDays(first time.Time, days int) bool {
	for i := range days {
		if !officeDay(first.AddDate(0, 0, i)) {
			return false
		}
	}
	return true
}
