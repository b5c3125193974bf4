package view

import (
	"strings"
	"testing"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/worddiff"
)

func TestChangedFieldsForOneLine(t *testing.T) {
	for _, tc := range []struct {
		changes defus.Changes
		want    string
	}{
		{defus.Changes{"body": {"a", "b"}}, "Text"},
		{defus.Changes{"body": {"a", "b"}, "title": {"a", "b"}}, "Text und Titel"},
		{defus.Changes{"public": {true, false}, "name": {"a", "b"}, "email": {nil, "geändert"}, "phone": {nil, "x"}}, "E-Mail, Name, Öffentlich sichtbar und Telefon"},
		{defus.Changes{"title": {1, 2}, "slug": {1, 2}, "summary": {1, 2}, "body": {1, 2}, "published": {1, 2}}, "Kurzbeschreibung, Text, Titel und 2 weitere"},
	} {
		if got := changedFields(defus.AuditEntry{Entity: defus.EntityPage, Changes: tc.changes}); got != tc.want {
			t.Errorf("changedFields(%v) = %q, want %q", tc.changes, got, tc.want)
		}
	}
}

func TestChangeLinesChooseWordDiffForLongTexts(t *testing.T) {
	long := strings.Repeat("Ein Satz über Prävention. ", 10)
	e := defus.AuditEntry{Entity: defus.EntityMember, Changes: defus.Changes{
		"description": {long, long + "Noch einer."},
		"name":        {"Stadt Köln", "Stadt Kölle"},
		"kind":        {nil, "city"},
		"email":       {nil, defus.ChangeWithheld},
	}}
	lines := changeLines(e, nil, true)
	byField := map[string]changeLine{}
	for _, l := range lines {
		byField[l.Field] = l
	}
	if l := byField["Beschreibung"]; l.Diff == nil || l.FullNew != long+"Noch einer." {
		t.Errorf("description not shown as a word diff: %+v", l)
	}
	if l := byField["Name"]; l.Diff != nil || l.Old != "Stadt Köln" || l.New != "Stadt Kölle" {
		t.Errorf("short name: %+v", l)
	}
	if l := byField["Art"]; l.New != defus.KindCity.Label() {
		t.Errorf("member kind shown as %q", l.New)
	}
	if l := byField["E-Mail"]; l.Diff != nil || l.New != defus.ChangeWithheld {
		t.Errorf("withheld e-mail: %+v", l)
	}
	if got := lines[0].Field; got != "Art" {
		t.Errorf("first line %q, want the fields in German alphabetical order", got)
	}
}

func TestVisibleTextShowsWhitespaceChanges(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Wort ", "Wort "},
		{"\n\n", "¶\n¶\n"},
		{"  ", "␣␣"},
	} {
		if got := visibleText(worddiff.Span{Op: worddiff.Insert, Text: tc.in}); got != tc.want {
			t.Errorf("visibleText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
