// Package pagecache keeps rendered public pages in memory, each with its
// gzip and brotli forms made once, and serves them with a strong ETag and
// 304 for If-None-Match.
//
// It never decides alone what is fresh: the server flushes it when a
// notification says the data changed (see server.WatchChanges), keeps it
// off (Live false) while it cannot hear those notifications, and every page
// expires at the turnover the server computes, the next moment at which a
// page could change with time alone (midnight in Berlin, an event's start
// or end).
package pagecache

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/sync/singleflight"
)

// Page is one rendered page: the headers its handler set and its bytes as
// they are and compressed. A Page never changes once made.
type Page struct {
	header  http.Header
	raw     []byte
	gz, br  []byte // nil when compressing did not make it smaller
	etag    string // a strong validator of raw, without quotes
	expires time.Time
	// The header values of each form (raw, gzip, brotli), made once: a
	// page is served many thousand times a second.
	etags, lengths [3][]string
}

// The forms of a page, and their Content-Encoding.
const (
	formRaw = iota
	formGzip
	formBrotli
)

var (
	encodings    = [3][]string{nil, {"gzip"}, {"br"}}
	varyHeader   = []string{Vary}
	noCacheValue = []string{"no-cache"}
)

// minCompress is the size below which compressing does not pay.
const minCompress = 256

// NewPage makes a page of body with the headers its handler set, compressed
// once with gzip and brotli when its type is text.
func NewPage(header http.Header, body []byte, expires time.Time) *Page {
	sum := sha256.Sum256(body)
	p := &Page{header: header, raw: body, etag: hex.EncodeToString(sum[:16]), expires: expires}
	if len(body) >= minCompress && compressible(header.Get("Content-Type")) {
		p.gz = smaller(body, gzipped(body))
		p.br = smaller(body, brotlied(body))
	}
	for form, suffix := range [3]string{"", "-gz", "-br"} {
		p.etags[form] = []string{`"` + p.etag + suffix + `"`}
		p.lengths[form] = []string{strconv.Itoa(len(p.body(form)))}
	}
	return p
}

// body is the page's bytes in a form.
func (p *Page) body(form int) []byte {
	switch form {
	case formGzip:
		return p.gz
	case formBrotli:
		return p.br
	}
	return p.raw
}

// Size is what the page holds in memory, roughly.
func (p *Page) Size() int { return len(p.raw) + len(p.gz) + len(p.br) + 512 }

// Expires is the moment the page may change with time alone.
func (p *Page) Expires() time.Time { return p.expires }

func smaller(raw, c []byte) []byte {
	if len(c) >= len(raw) {
		return nil
	}
	return c
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// brotliQuality is brotli's quality 5: on our pages as small as 9 (within
// 0.2 %) in a seventh of the time, and with 1.4 MB of encoder state instead
// of 33 MB, which several pages made at once after a flush would hold
// together. 11 makes them 15 % smaller but takes 25 times as long, on the
// request that fills the cache.
const brotliQuality = 5

func brotlied(b []byte) []byte {
	var buf bytes.Buffer
	win := 16 // the window need not be larger than the page
	for win < 22 && 1<<win < len(b) {
		win++
	}
	bw := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotliQuality, LGWin: win})
	bw.Write(b)
	bw.Close()
	return buf.Bytes()
}

func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	return strings.HasPrefix(ct, "text/") || ct == "application/xml" || ct == "image/svg+xml" ||
		ct == "application/javascript" || ct == "application/json"
}

// Vary is the Vary header of every page the cache may hold: its bytes
// depend on Accept-Encoding, and whether it is shared on the session
// cookie (a logged-in member's request never reaches the cache).
const Vary = "Accept-Encoding, Cookie"

// Serve answers r with the page: the form that Accept-Encoding asks for
// (brotli before gzip), or 304 when If-None-Match names it.
func (p *Page) Serve(w http.ResponseWriter, r *http.Request) { p.ServeWith(w, r, nil) }

// ServeWith is Serve with the body written by send (when not nil) instead
// of w.Write: a caller may prepare the connection for it (see the
// server's corking). It returns the status and the body's length sent,
// for the log.
func (p *Page) ServeWith(w http.ResponseWriter, r *http.Request, send func(w http.ResponseWriter, r *http.Request, body []byte)) (status, n int) {
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	h["Vary"] = varyHeader
	if _, ok := p.header["Cache-Control"]; !ok {
		h["Cache-Control"] = noCacheValue // may be kept, but asked again: pages change
	}
	form := formRaw
	switch {
	case p.br != nil && accepts(r.Header.Values("Accept-Encoding"), "br"):
		form = formBrotli
	case p.gz != nil && accepts(r.Header.Values("Accept-Encoding"), "gzip"):
		form = formGzip
	}
	h["Etag"] = p.etags[form]
	if inm := r.Header.Get("If-None-Match"); inm != "" && p.matches(inm) {
		delete(h, "Content-Type")
		delete(h, "Content-Disposition")
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified, 0
	}
	if form != formRaw {
		h["Content-Encoding"] = encodings[form]
	}
	h["Content-Length"] = p.lengths[form]
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return http.StatusOK, 0
	}
	body := p.body(form)
	if send != nil {
		send(w, r, body)
	} else {
		w.Write(body)
	}
	return http.StatusOK, len(body)
}

// matches reports whether an If-None-Match header names the page in any of
// its forms (the bytes differ, the page is the same), weakly compared as
// RFC 9110 asks for If-None-Match.
func (p *Page) matches(inm string) bool {
	for tag := range strings.SplitSeq(inm, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" {
			return true
		}
		tag = strings.Trim(tag, `"`)
		if tag == p.etag || tag == p.etag+"-gz" || tag == p.etag+"-br" {
			return true
		}
	}
	return false
}

// accepts reports whether Accept-Encoding values allow coding (present
// with a q-value above 0, or by "*").
func accepts(values []string, coding string) bool {
	star := false
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name != coding && name != "*" {
				continue
			}
			ok := true
			for param := range strings.SplitSeq(params, ";") {
				k, v, _ := strings.Cut(strings.TrimSpace(param), "=")
				if strings.EqualFold(k, "q") {
					q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
					ok = err == nil && q > 0
				}
			}
			if name == coding {
				return ok
			}
			star = ok
		}
	}
	return star
}

// Cache holds pages by key (path and query), within a number of pages and
// of bytes; past either the oldest go first.
type Cache struct {
	maxBytes, maxPages int
	now                func() time.Time

	live atomic.Bool // off until notifications are heard; see SetLive

	mu       sync.RWMutex
	gen      uint64 // grows with every flush; a fill begun before one is not kept
	pages    map[string]*Page
	order    []entry // oldest first, for eviction; may name replaced pages
	bytes    int
	turnover turnover

	fills singleflight.Group
}

type entry struct {
	key  string
	page *Page
}

// turnover is the cached result of the turnover function for one
// generation.
type turnover struct {
	gen uint64
	at  time.Time
	ok  bool
}

// New makes an empty cache, off until SetLive(true), for at most maxPages
// pages in maxBytes, with the clock now.
func New(maxBytes, maxPages int, now func() time.Time) *Cache {
	return &Cache{maxBytes: maxBytes, maxPages: maxPages, now: now, pages: map[string]*Page{}}
}

// Live reports whether the cache serves and keeps pages.
func (c *Cache) Live() bool { return c.live.Load() }

// SetLive turns the cache on or off, flushing it either way: off while the
// notifications of changes cannot be heard (every page is made afresh), on
// once they can, with nothing kept from before.
func (c *Cache) SetLive(on bool) {
	c.live.Store(false)
	c.Flush()
	c.live.Store(on)
}

// Flush forgets every page; fills that began before it keep nothing.
func (c *Cache) Flush() {
	c.mu.Lock()
	c.gen++
	clear(c.pages)
	c.order, c.bytes = nil, 0
	c.mu.Unlock()
}

// Len is the number of pages kept, and their size.
func (c *Cache) Len() (pages, bytes int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.pages), c.bytes
}

// Get returns the page kept under key, or nil when none is kept or it has
// expired.
func (c *Cache) Get(key string) *Page {
	if !c.live.Load() {
		return nil
	}
	c.mu.RLock()
	p := c.pages[key]
	c.mu.RUnlock()
	if p == nil || !c.now().Before(p.expires) {
		return nil
	}
	return p
}

// Ticket marks when a fill began: the page it makes is kept only when no
// flush came in between.
type Ticket struct {
	gen  uint64
	live bool
}

// Begin starts a fill.
func (c *Cache) Begin() Ticket {
	live := c.live.Load()
	c.mu.RLock()
	defer c.mu.RUnlock()
	return Ticket{gen: c.gen, live: live}
}

// Turnover returns the moment pages made now expire, computing it with
// compute once per generation (and again when it has passed).
func (c *Cache) Turnover(ctx context.Context, t Ticket, compute func(context.Context) (time.Time, error)) (time.Time, error) {
	now := c.now()
	c.mu.RLock()
	to := c.turnover
	c.mu.RUnlock()
	if to.ok && to.gen == t.gen && now.Before(to.at) {
		return to.at, nil
	}
	at, err := compute(ctx)
	if err != nil {
		return time.Time{}, err
	}
	c.mu.Lock()
	if c.gen == t.gen {
		c.turnover = turnover{gen: t.gen, at: at, ok: true}
	}
	c.mu.Unlock()
	return at, nil
}

// Put keeps p under key, unless a flush came since t began or p is too
// large; it evicts the oldest pages to stay within the caps.
func (c *Cache) Put(t Ticket, key string, p *Page) bool {
	size := p.Size()
	if !t.live || size > c.maxBytes/8 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != t.gen || !c.live.Load() {
		return false
	}
	if old := c.pages[key]; old != nil {
		c.bytes -= old.Size()
	}
	c.pages[key] = p
	c.bytes += size
	c.order = append(c.order, entry{key, p})
	for len(c.order) > 0 && (len(c.pages) > c.maxPages || c.bytes > c.maxBytes || len(c.order) > 2*c.maxPages) {
		e := c.order[0]
		c.order[0] = entry{}
		c.order = c.order[1:]
		if c.pages[e.key] == e.page {
			delete(c.pages, e.key)
			c.bytes -= e.page.Size()
		}
	}
	return true
}

// Once runs fill once for all requests of key that arrive while it runs
// (a page that was just flushed is asked for by many at once), and gives
// each of them its result; shared tells the callers that did not run it.
func (c *Cache) Once(t Ticket, key string, fill func() any) (v any, shared bool) {
	v, _, shared = c.fills.Do(strconv.FormatUint(t.gen, 10)+" "+key, func() (any, error) { return fill(), nil })
	return v, shared
}
