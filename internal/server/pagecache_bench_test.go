package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discard is a ResponseWriter that keeps nothing, so a benchmark measures
// the handler and not a recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkPublicPages serves public pages through the whole handler (every
// middleware), from the page cache and made afresh (a request with a
// cookie), with Accept-Encoding: br, gzip as browsers send it.
func BenchmarkPublicPages(b *testing.B) {
	c := startCachedSite(b, seededPool(b), testClock)
	h := c.srv.Handler()
	for _, page := range []string{"/", "/mitglieder", "/mitglieder/augsburg", "/themen", "/termine"} {
		for _, mode := range []string{"cached", "fresh"} {
			b.Run(page+"/"+mode, func(b *testing.B) {
				r := httptest.NewRequest(http.MethodGet, page, nil)
				r.Header.Set("Accept-Encoding", "br, gzip")
				if mode == "fresh" {
					r.Header.Set("Cookie", "bench=1")
				}
				b.ReportAllocs()
				for b.Loop() {
					h.ServeHTTP(&discard{h: http.Header{}}, r)
				}
			})
		}
	}
}
