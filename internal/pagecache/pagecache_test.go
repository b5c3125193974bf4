package pagecache

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func page(body string) *Page {
	return NewPage(http.Header{"Content-Type": {"text/html; charset=utf-8"}}, []byte(body), now.Add(time.Hour))
}

func TestAcceptsReadsQValues(t *testing.T) {
	for _, c := range []struct {
		header, coding string
		want           bool
	}{
		{"gzip, deflate, br", "br", true},
		{"gzip;q=0.8, br;q=0", "br", false},
		{"gzip;q=0.8, br;q=0", "gzip", true},
		{"*", "br", true},
		{"*;q=0, gzip", "br", false},
		{"identity", "gzip", false},
		{"", "gzip", false},
		{"GZIP ; Q=1.0", "gzip", true},
	} {
		if got := accepts([]string{c.header}, c.coding); got != c.want {
			t.Errorf("accepts(%q, %s) = %v, want %v", c.header, c.coding, got, c.want)
		}
	}
}

func TestPageServesEachFormAndNotModified(t *testing.T) {
	body := strings.Repeat("<p>Städte und Organisationen für urbane Sicherheit.</p>\n", 100)
	p := page(body)
	for _, enc := range []string{"", "gzip", "br"} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", enc)
		w := httptest.NewRecorder()
		p.Serve(w, r)
		if got := w.Header().Get("Content-Encoding"); got != enc {
			t.Errorf("%q: Content-Encoding %q", enc, got)
		}
		var rd io.Reader = w.Body
		switch enc {
		case "gzip":
			rd, _ = gzip.NewReader(w.Body)
		case "br":
			rd = brotli.NewReader(w.Body)
		}
		got, _ := io.ReadAll(rd)
		if string(got) != body {
			t.Errorf("%q: body differs", enc)
		}
		etag := w.Header().Get("ETag")
		r.Header.Set("If-None-Match", `"other", `+etag)
		w = httptest.NewRecorder()
		p.Serve(w, r)
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("%q with If-None-Match %s: %d, %d bytes", enc, etag, w.Code, w.Body.Len())
		}
	}
	r := httptest.NewRequest(http.MethodHead, "/", nil)
	w := httptest.NewRecorder()
	p.Serve(w, r)
	if w.Body.Len() != 0 || w.Header().Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Errorf("HEAD: %d bytes, Content-Length %s", w.Body.Len(), w.Header().Get("Content-Length"))
	}
}

func TestCacheStaysWithinItsCaps(t *testing.T) {
	c := New(64<<10, 10, func() time.Time { return now })
	c.SetLive(true)
	big := bytes.Repeat([]byte{'x'}, 3000)
	for i := range 1000 {
		p := NewPage(http.Header{"Content-Type": {"image/png"}}, append(big, strconv.Itoa(i)...), now.Add(time.Hour))
		c.Put(c.Begin(), "/p"+strconv.Itoa(i), p)
		if n, size := c.Len(); n > 10 || size > 64<<10 {
			t.Fatalf("after %d pages: %d pages, %d bytes", i+1, n, size)
		}
	}
	if c.Get("/p999") == nil || c.Get("/p0") != nil {
		t.Error("the newest page went, or the oldest stayed")
	}
}

func TestCacheKeepsNothingFromBeforeAFlushOrWhileOff(t *testing.T) {
	clock := now
	c := New(1<<20, 100, func() time.Time { return clock })
	if c.Put(c.Begin(), "/", page("off")) {
		t.Error("kept a page while off")
	}
	c.SetLive(true)
	ticket := c.Begin()
	c.Flush() // a change committed while the page was made
	if c.Put(ticket, "/", page("old")) || c.Get("/") != nil {
		t.Error("kept a page made before a flush")
	}
	c.Put(c.Begin(), "/", page("new"))
	if c.Get("/") == nil {
		t.Fatal("kept nothing")
	}
	clock = now.Add(time.Hour) // the page's turnover
	if c.Get("/") != nil {
		t.Error("served a page at its turnover")
	}
}
