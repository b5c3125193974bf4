package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/defus"
	"defus.de/portal/web"
)

// plainInput is input no check may refuse.
var plainInput = regexp.MustCompile(`^[A-Za-z0-9=&/._-]*$`)

// FuzzRejectBadBytes sends arbitrary paths, queries and form bodies through
// the edge (body limit and rejectBadBytes, as routes.go wires them) to a
// handler that takes everything. Whatever reaches the handler is text
// PostgreSQL takes: paths and query parameters are single lines of valid
// text, form fields valid UTF-8 without NUL. Nothing is answered with a
// 500, and plain input always gets through. `go test` runs the seeds;
// `go test -fuzz FuzzRejectBadBytes ./internal/server/` explores further.
func FuzzRejectBadBytes(f *testing.F) {
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		f.Fatal(err)
	}
	assets, err := web.NewAssets()
	if err != nil {
		f.Fatal(err)
	}
	s := &Server{cfg: cfg, assets: assets, log: slog.New(slog.DiscardHandler)}

	for _, seed := range [][3]string{
		{"mitglieder/koeln", "art=stadt&land=Hessen", "name=Stadt+K%C3%B6ln&version=3"},
		{"mitglieder/\x00", "", ""},
		{"termine/\xff\xfe", "", ""},
		{"termine/\x00.ics", "", ""},
		{"themen/a\u202eb", "", ""},
		{"admin/anfragen", "q=%00", ""},
		{"admin/anfragen", "q=%FF%FE", ""},
		{"admin/anfragen", "q=\xff", ""},
		{"admin/anfragen", "q=M%C3%BC%E2%80%AEller", ""},
		{"admin/protokoll", "%00=1", ""},
		{"admin/protokoll", "bereich=%zz&von=%E2%80%8B", ""},
		{"admin/login", "", "email=a%00%40b.de&password=x"},
		{"admin/login", "", "email=a%FF%40b.de&password=x"},
		{"admin/login", "", "email=a\xff@b.de&password=x"},
		{"admin/themen", "", "ti%00tle=x"},
		{"admin/themen", "", "%zz=%"},
		{"admin/themen", "", "title=a%E2%80%AEb&description=Zeile%0D%0AZeile%09Tab"},
		{"admin/themen", "a=1;b=2", "title=x"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, path, query, body string) {
		var reached *http.Request
		mux := chi.NewRouter()
		limits := map[string]int64{"POST /upload": handlerLimit}
		mux.Use(limitBodies(mux, 1<<20, limits), s.rejectBadBytes(mux, limits))
		takeAll := func(w http.ResponseWriter, r *http.Request) {
			r.ParseForm()
			reached = r
		}
		mux.Get("/*", takeAll)
		mux.Post("/*", takeAll)

		for _, method := range []string{http.MethodGet, http.MethodPost} {
			reached = nil
			r := (&http.Request{
				Method:        method,
				URL:           &url.URL{Path: "/" + path, RawQuery: query},
				Header:        http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
				Body:          io.NopCloser(strings.NewReader(body)),
				ContentLength: int64(len(body)),
			}).WithContext(context.Background())
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, r)
			if w.Code >= 500 {
				t.Fatalf("%s /%q?%q body %q: status %d", method, path, query, body, w.Code)
			}
			if reached == nil {
				if plainInput.MatchString(path) && plainInput.MatchString(query) && plainInput.MatchString(body) {
					t.Fatalf("%s /%q?%q body %q: plain input refused with %d", method, path, query, body, w.Code)
				}
				continue
			}
			if !defus.ValidText(reached.URL.Path, false) {
				t.Fatalf("path %q reached the handler", reached.URL.Path)
			}
			for k, vs := range reached.URL.Query() {
				for _, v := range append(vs, k) {
					if !defus.ValidText(v, false) {
						t.Fatalf("query text %q reached the handler", v)
					}
				}
			}
			for k, vs := range reached.PostForm {
				for _, v := range append(vs, k) {
					if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
						t.Fatalf("form text %q reached the handler", v)
					}
				}
			}
		}
	})
}

// BenchmarkRejectBadBytes measures what the edge check adds to a request,
// against the same request without it: a list with a search and filters,
// and a form of the size the admin forms have. The handler parses the form
// in both, as handlers do.
func BenchmarkRejectBadBytes(b *testing.B) {
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{cfg: cfg, log: slog.New(slog.DiscardHandler)}
	handler := func(w http.ResponseWriter, r *http.Request) { r.ParseForm() }
	plain, guarded := chi.NewRouter(), chi.NewRouter()
	guarded.Use(s.rejectBadBytes(guarded, map[string]int64{}))
	for _, mux := range []*chi.Mux{plain, guarded} {
		mux.Get("/*", handler)
		mux.Post("/*", handler)
	}
	form := url.Values{}
	for _, k := range []string{"name", "short_name", "slug", "kind", "state", "population", "population_year", "member_since",
		"lat", "lon", "website", "published", "version"} {
		form.Set(k, "Stadt Köln an der Grenze – Amt für Prävention")
	}
	form.Set("description", strings.Repeat("## Profil\n\nEine **Musterstadt** im Netzwerk, mit Umlauten: äöüß.\n", 40))
	body := form.Encode()
	for _, mux := range []struct {
		name string
		h    http.Handler
	}{{"without", plain}, {"with", guarded}} {
		b.Run("GET list "+mux.name, func(b *testing.B) {
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, "/admin/mitglieder?q=M%C3%BCller&art=stadt&land=Hessen&status=published&seite=2", nil)
				mux.h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
		b.Run("POST form "+mux.name, func(b *testing.B) {
			for b.Loop() {
				r := httptest.NewRequest(http.MethodPost, "/admin/mitglieder", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				mux.h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
}
