package view

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/worddiff"
)

// AuditData is the audit log page.
type AuditData struct {
	Entries            []defus.AuditEntry
	Names              defus.AuditNames // what the ids in the changes name
	Count              int              // matching entries, counted up to defus.AuditCountCap
	CountCapped        bool             // more than that
	Newer, Older       int64            // the keysets of the pages before and after this one; 0: none
	Actors             []defus.AuditActor
	Entities           []string
	Person, Entity     string // the filter as typed
	From, To           string // YYYY-MM-DD
	Errors             []ErrorLink
	FromError, ToError string
	Query              url.Values // the filter, for the paging links
}

// AuditEntryData is the page of one audit entry.
type AuditEntryData struct {
	Entry defus.AuditEntry
	Names defus.AuditNames
}

// pageURL is the audit log URL with the current filter of the page before
// (param "vor") or after ("nach") the entry with id.
func (d AuditData) pageURL(param string, id int64) templ.SafeURL {
	q := url.Values{}
	for k, v := range d.Query {
		q[k] = v
	}
	q.Set(param, strconv.FormatInt(id, 10))
	return templ.SafeURL("/admin/protokoll?" + q.Encode())
}

// countWord says how many entries match.
func (d AuditData) countWord() string {
	if d.CountCapped {
		return "Mehr als " + entriesWord(d.Count)
	}
	return entriesWord(d.Count)
}

// auditURL is the page of one audit entry.
func auditURL(id int64) templ.SafeURL { return templ.SafeURL(fmt.Sprintf("/admin/protokoll/%d", id)) }

// recordAuditURL is the log filtered to the entry's record.
func recordAuditURL(e defus.AuditEntry) templ.SafeURL {
	q := url.Values{"bereich": {e.Entity}, "id": {strconv.FormatInt(e.EntityID, 10)}}
	return templ.SafeURL("/admin/protokoll?" + q.Encode())
}

// How long texts are shown: a text with a line break or longer than
// longText characters is compared word by word, showing diffContext words
// of unchanged text around each change; in the list each change is cut
// after listChangeWords words.
const (
	longText        = 80
	diffContext     = 8
	listChangeWords = 25
)

// changeLine is one field of an audit entry's changes, ready to show:
// either Old → New, or for long texts the changed passages (Diff) and the
// whole texts.
type changeLine struct {
	Field            string
	Old, New         string
	Diff             []worddiff.Span
	FullOld, FullNew string
}

// changeLines lists an entry's changes by their German labels. With
// shorten, long changes are cut for the list.
func changeLines(e defus.AuditEntry, names defus.AuditNames, shorten bool) []changeLine {
	var out []changeLine
	for field, v := range e.Changes {
		l := changeLine{Field: defus.FieldLabel(e.Entity, field)}
		if old, new, ok := longTexts(v); ok {
			l.FullOld, l.FullNew = old, new
			l.Diff = worddiff.Passages(worddiff.Diff(old, new), diffContext)
			if shorten {
				l.Diff = worddiff.Shorten(l.Diff, listChangeWords)
			}
		}
		if l.Diff == nil {
			l.Old, l.New = changeValue(e.Entity, field, v[0], names), changeValue(e.Entity, field, v[1], names)
		}
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b changeLine) int { return cmp.Compare(sortKey(a.Field), sortKey(b.Field)) })
	return out
}

// sortKey orders German labels alphabetically ("Öffentlich" with the O).
func sortKey(label string) string { return defus.Slugify(label) }

// longTexts reports whether a change is of a long text, and its two sides.
func longTexts(v [2]any) (old, new string, ok bool) {
	for i, x := range v {
		switch x := x.(type) {
		case nil:
		case string:
			if i == 0 {
				old = x
			} else {
				new = x
			}
		default:
			return "", "", false
		}
	}
	long := func(s string) bool { return strings.Contains(s, "\n") || utf8.RuneCountInString(s) > longText }
	if new == defus.ChangeWithheld || !(long(old) || long(new)) {
		return "", "", false
	}
	return old, new, true
}

// changeValue is how the log shows the value v of field: names for ids,
// German labels for stored codes, "–" for nothing.
func changeValue(entity, field string, v any, names defus.AuditNames) string {
	if name, ok := names.Name(field, v); ok {
		return name
	}
	s, isString := v.(string)
	switch {
	case field == "role" && isString:
		return defus.Role(s).Label()
	case field == "kind" && entity == defus.EntityMember && isString && defus.MemberKind(s).Valid():
		return defus.MemberKind(s).Label()
	case field == "filter_status" && isString:
		if s == "" {
			return "alle"
		}
		return defus.EnquiryStatus(s).Label()
	}
	switch v := v.(type) {
	case nil:
		return "–"
	case string:
		if v == "" {
			return "–"
		}
		return v
	case bool:
		if v {
			return "ja"
		}
		return "nein"
	case float64: // JSON numbers come back as float64
		if field == "population" && v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return defus.FormatNumber(int(v))
		}
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// changedFields names an entry's changed fields for the dashboard's one
// line: "Text, Titel und 2 weitere".
func changedFields(e defus.AuditEntry) string {
	var labels []string
	for field := range e.Changes {
		labels = append(labels, defus.FieldLabel(e.Entity, field))
	}
	slices.SortFunc(labels, func(a, b string) int { return cmp.Compare(sortKey(a), sortKey(b)) })
	const shown = 3
	if len(labels) > shown+1 {
		return strings.Join(labels[:shown], ", ") + " und " + strconv.Itoa(len(labels)-shown) + " weitere"
	}
	if len(labels) > 1 {
		return strings.Join(labels[:len(labels)-1], ", ") + " und " + labels[len(labels)-1]
	}
	return strings.Join(labels, "")
}

// visibleText is the text of a deleted or inserted span; one that is only
// whitespace shows its line breaks as ¶ and spaces as ␣, so the change can
// be seen.
func visibleText(s worddiff.Span) string {
	if strings.TrimSpace(s.Text) != "" {
		return s.Text
	}
	if strings.Contains(s.Text, "\n") {
		return strings.ReplaceAll(s.Text, "\n", "¶\n")
	}
	return strings.Repeat("␣", utf8.RuneCountInString(s.Text))
}

// actorName is who did it, or "System" for changes without a person.
func actorName(a defus.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return "System"
}

// entityText is "Benutzerkonto: Anna Admin".
func entityText(e defus.AuditEntry) string {
	if e.EntityLabel == "" {
		return defus.EntityLabel(e.Entity)
	}
	return defus.EntityLabel(e.Entity) + ": " + e.EntityLabel
}

// entityQuoted is "Benutzerkonto „Anna Admin“".
func entityQuoted(e defus.AuditEntry) string {
	if e.EntityLabel == "" {
		return defus.EntityLabel(e.Entity)
	}
	return defus.EntityLabel(e.Entity) + " „" + e.EntityLabel + "“"
}

func actorOptions(actors []defus.AuditActor) []Option {
	opts := []Option{{"", "Alle Personen"}}
	for _, a := range actors {
		opts = append(opts, Option{fmt.Sprint(a.ID), a.Name + " (" + a.Email + ")"})
	}
	return opts
}

func entityOptions(entities []string) []Option {
	opts := []Option{{"", "Alle Bereiche"}}
	for _, e := range entities {
		opts = append(opts, Option{e, defus.EntityLabel(e)})
	}
	return opts
}

// entriesWord is "1 Eintrag" or "n Einträge".
func entriesWord(n int) string {
	if n == 1 {
		return "1 Eintrag"
	}
	return defus.FormatNumber(n) + " Einträge"
}
