package seed

import (
	"testing"
	"time"
)

// TestEaster checks the computed Easter Sunday against the calendar,
// including the earliest (22 March) and latest (25 April) dates it can have.
func TestEaster(t *testing.T) {
	for _, want := range []string{"2019-04-21", "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2038-04-25", "2285-03-22", "1818-03-22", "2000-04-23"} {
		d, _ := time.Parse("2006-01-02", want)
		m, day := easter(d.Year())
		if m != d.Month() || day != d.Day() {
			t.Errorf("easter(%d) = %d.%d., want %s", d.Year(), day, m, want)
		}
	}
}

func TestHoliday(t *testing.T) {
	for date, want := range map[string]bool{
		"2026-01-01": true,  // Neujahr
		"2026-04-03": true,  // Karfreitag
		"2026-04-06": true,  // Ostermontag
		"2026-05-01": true,  // Tag der Arbeit
		"2026-05-14": true,  // Christi Himmelfahrt
		"2026-05-25": true,  // Pfingstmontag
		"2026-10-03": true,  // Tag der Deutschen Einheit
		"2026-12-24": true,  // Heiligabend
		"2026-12-25": true,  // 1. Weihnachtstag
		"2026-12-26": true,  // 2. Weihnachtstag
		"2026-12-31": true,  // Silvester
		"2027-03-26": true,  // Karfreitag
		"2027-05-06": true,  // Christi Himmelfahrt
		"2026-04-05": false, // Ostersonntag is a Sunday anyway, not a holiday of its own here
		"2026-05-13": false,
		"2026-12-23": false,
		"2026-12-27": false,
		"2026-10-02": false,
	} {
		d, _ := time.Parse("2006-01-02", date)
		if got := holiday(d); got != want {
			t.Errorf("holiday(%s) = %v, want %v", date, got, want)
		}
	}
}
