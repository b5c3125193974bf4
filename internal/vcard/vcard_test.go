package vcard_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"defus.de/portal/internal/vcard"
)

func TestEncodeWritesVersion4WithEscapesAndTelURI(t *testing.T) {
	got := string(vcard.Encode(vcard.Card{
		UID: "urn:defus:contact:7", FormattedName: "Dr. Jörg Müller", Organisation: "Stadt Köln",
		Title: "Leitung; Prävention, Sicherheit", Email: "j.mueller@koeln.example", Phone: "+49 (221) 123-45",
		Revision: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
	}))
	want := "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:defus:contact:7\r\nFN:Dr. Jörg Müller\r\nN:Müller;Dr. Jörg;;;\r\n" +
		"ORG:Stadt Köln\r\nTITLE:Leitung\\; Prävention\\, Sicherheit\r\nEMAIL;TYPE=work:j.mueller@koeln.example\r\n" +
		"TEL;TYPE=work,voice;VALUE=uri:tel:+4922112345\r\nREV:20261124T100000Z\r\nEND:VCARD\r\n"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestEncodeFoldsLongLinesWithoutSplittingCharacters(t *testing.T) {
	title := strings.Repeat("Präventionsräte und Ordnungsämter ", 6)
	got := string(vcard.Encode(vcard.Card{FormattedName: "Anna", Title: title}, vcard.Card{FormattedName: "Ben"}))
	for _, l := range strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line splits a character: %q", l)
		}
	}
	unfolded := strings.ReplaceAll(got, "\r\n ", "")
	if !strings.Contains(unfolded, "TITLE:"+strings.TrimSpace(title)) && !strings.Contains(unfolded, "TITLE:"+title) {
		t.Errorf("unfolded title lost: %q", unfolded)
	}
	if n := strings.Count(got, "BEGIN:VCARD"); n != 2 {
		t.Errorf("%d cards, want 2", n)
	}
}
