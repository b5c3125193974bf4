package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// Reading requests: path parameters, posted fields, list filters and paging.
// Every handler reads its request through these, so a malformed id is "not
// found" everywhere and a list's ?seite= means the same on every list.

// pathID reads the numeric {id} of a URL; anything else is not found.
func pathID(r *http.Request) (int64, error) { return pathParamID(r, "id") }

// pathParamID reads the numeric URL parameter name; anything else (not a
// number, zero, negative, too large) is defus.ErrNotFound, which s.error
// answers with the 404 page.
func pathParamID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%s %q: %w", name, chi.URLParam(r, name), defus.ErrNotFound)
	}
	return id, nil
}

// formText reads a posted text field: trimmed, and with line endings made \n.
func formText(r *http.Request, name string) string {
	return strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(name), "\r\n", "\n"))
}

// formVersion reads the version a form was loaded at; a missing or broken
// one is 0, which no stored record has, so the save is refused as stale.
func formVersion(r *http.Request) int {
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	return v
}

// formChecked reads a checkbox: ticked when it sent any value.
func formChecked(r *http.Request, name string) bool { return r.PostFormValue(name) != "" }

// maxPage is the highest ?seite= a list takes; beyond it is page 1.
const maxPage = 100_000

// pageNumber reads ?seite=, the page of a long list: 1 unless it is a
// number from 1 to maxPage.
func pageNumber(q url.Values) int {
	page, err := strconv.Atoi(q.Get("seite"))
	if err != nil || page < 1 || page > maxPage {
		return 1
	}
	return page
}

// listPageSize is how many rows a content list shows at once.
const listPageSize = 25

// readListFilter reads ?q=, ?status= and ?seite= of a content list.
func readListFilter(r *http.Request) (defus.ListFilter, int) {
	q := r.URL.Query()
	f := defus.ListFilter{Query: cleanParam(strings.TrimSpace(q.Get("q"))), Limit: listPageSize}
	if st := q.Get("status"); st == "published" || st == "draft" {
		f.State = st
	}
	page := pageNumber(q)
	f.Offset = (page - 1) * listPageSize
	return f, page
}

// paging is the pager of a content list on page of total rows.
func paging(r *http.Request, page, total int) view.Paging {
	pages := max((total+listPageSize-1)/listPageSize, 1)
	return view.Paging{Page: page, Pages: pages, Base: r.URL.Path, Query: r.URL.Query()}
}

// cleanParam makes a query value safe to echo in a note: valid UTF-8, no
// control characters, at most 40 characters.
func cleanParam(v string) string {
	v = strings.ToValidUTF8(v, "�")
	v = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, v)
	if rs := []rune(v); len(rs) > 40 {
		v = string(rs[:40]) + "…"
	}
	return v
}
