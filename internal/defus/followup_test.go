package defus_test

import (
	"strings"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
)

func TestFollowUpValidate(t *testing.T) {
	// 23:30 UTC on 24 November is already the 25th in Berlin.
	now := time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, defus.Berlin) }
	yesterday := day(2026, 11, 24)
	for _, tc := range []struct {
		name  string
		f     defus.FollowUp
		was   *time.Time
		field string // "" when fine
		part  string
	}{
		{"today", defus.FollowUp{On: day(2026, 11, 25)}, nil, "", ""},
		{"next week with a note", defus.FollowUp{On: day(2026, 12, 2), Note: "Rückruf Frau Kim"}, nil, "", ""},
		{"no day", defus.FollowUp{Note: "x"}, nil, "follow_up_on", "Bitte geben Sie einen Tag an, zum Beispiel 02.12.2026."},
		{"yesterday", defus.FollowUp{On: yesterday}, nil, "follow_up_on", "schon vorbei"},
		{"yesterday as stored", defus.FollowUp{On: yesterday, Note: "neu"}, &yesterday, "", ""},
		{"in five years", defus.FollowUp{On: day(2031, 11, 25)}, nil, "", ""},
		{"beyond five years", defus.FollowUp{On: day(2031, 11, 26)}, nil, "follow_up_on", "fünf Jahren"},
		{"note too long", defus.FollowUp{On: day(2026, 12, 1), Note: strings.Repeat("ü", 201)}, nil, "follow_up_note", "höchstens 200"},
		{"line break in note", defus.FollowUp{On: day(2026, 12, 1), Note: "a\nb"}, nil, "follow_up_note", "Steuerzeichen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := tc.f.Validate(now, tc.was)
			if tc.field == "" {
				if errs.Any() {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			if len(errs) != 1 || !strings.Contains(errs[tc.field], tc.part) {
				t.Errorf("errors %v, want %s to say %q", errs, tc.field, tc.part)
			}
		})
	}
}

func TestFollowUpDueOnTheBerlinDay(t *testing.T) {
	on := time.Date(2026, 11, 25, 0, 0, 0, 0, defus.Berlin)
	e := &defus.Enquiry{FollowUpOn: &on}
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2026, 11, 24, 22, 59, 0, 0, time.UTC), false}, // 23:59 on the 24th in Berlin
		{time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC), true},   // midnight in Berlin
		{time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), true},
	} {
		if got := e.FollowUpDue(tc.now); got != tc.want {
			t.Errorf("due at %v: %v, want %v", tc.now, got, tc.want)
		}
	}
	if (&defus.Enquiry{}).FollowUpDue(on) {
		t.Error("an enquiry without a follow-up is due")
	}
}
