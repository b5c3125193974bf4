package defus

import (
	"testing"
	"time"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Stadt Köln":                        "stadt-koeln",
		"Düsseldorf":                        "duesseldorf",
		"Straße der Einheit":                "strasse-der-einheit",
		"ÄÖÜ äöü ß":                         "aeoeue-aeoeue-ss",
		"  Sicherheit – im öffentl. Raum! ": "sicherheit-im-oeffentl-raum",
		"Café Crème":                        "cafe-creme",
		"Mandatsträger*innen":               "mandatstraeger-innen",
		"🙂":                                 "",
		"2026: 30. Mitgliederversammlung":   "2026-30-mitgliederversammlung",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
		if want != "" && !ValidSlug(want) {
			t.Errorf("ValidSlug(%q) = false", want)
		}
	}
	for _, bad := range []string{"", "-a", "a-", "a--b", "Köln", "a b", "a/b", "../x"} {
		if ValidSlug(bad) {
			t.Errorf("ValidSlug(%q) = true", bad)
		}
	}
}

func TestFormatDateAndTimeInBerlin(t *testing.T) {
	// 23:30 UTC on 23 November is 00:30 on 24 November in Berlin (CET, UTC+1).
	winter := time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC)
	if got, want := FormatDate(winter), "24. November 2026"; got != want {
		t.Errorf("FormatDate = %q, want %q", got, want)
	}
	if got, want := FormatTime(winter), "00:30 Uhr"; got != want {
		t.Errorf("FormatTime = %q, want %q", got, want)
	}
	// Summer time: UTC+2.
	summer := time.Date(2026, 6, 15, 16, 30, 0, 0, time.UTC)
	if got, want := FormatTime(summer), "18:30 Uhr"; got != want {
		t.Errorf("FormatTime(summer) = %q, want %q", got, want)
	}
	if got, want := FormatDate(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)), "1. März 2026"; got != want {
		t.Errorf("FormatDate = %q, want %q", got, want)
	}
}

func TestFormatNumber(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1.000", 3700000: "3.700.000", -12345: "-12.345"} {
		if got := FormatNumber(n); got != want {
			t.Errorf("FormatNumber(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestMemberKindParam(t *testing.T) {
	for _, k := range []MemberKind{KindCity, KindOrganisation} {
		got, ok := MemberKindFromParam(k.Param())
		if !ok || got != k {
			t.Errorf("round trip of %q failed: %q %v", k, got, ok)
		}
	}
	for _, bad := range []string{"", "city", "Stadt", "\x00"} {
		if _, ok := MemberKindFromParam(bad); ok {
			t.Errorf("MemberKindFromParam(%q) accepted", bad)
		}
	}
}
