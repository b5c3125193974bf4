// Package web holds the portal's static assets, embedded into the binary and
// served under names that carry a hash of their content, so browsers may keep
// them for a year and still get a changed file at once.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var static embed.FS

// Assets serves the embedded static files under content-hashed names.
type Assets struct {
	byURL  map[string]asset  // "/static/css/site.1a2b3c4d5e.css" → file
	byName map[string]string // "css/site.css" → "/static/css/site.1a2b3c4d5e.css"
}

type asset struct {
	body        []byte
	contentType string
	etag        string
}

// NewAssets reads the embedded files and computes their hashed URLs.
func NewAssets() (*Assets, error) {
	a := &Assets{byURL: map[string]asset{}, byName: map[string]string{}}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:10]
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + hash + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.byURL[url] = asset{body: body, contentType: ct, etag: `"` + hash + `"`}
		a.byName[name] = url
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read embedded assets: %w", err)
	}
	return a, nil
}

// URL returns the hashed URL of an asset such as "css/site.css". It panics
// on an unknown name: that is a programming error caught by any test that
// renders a page.
func (a *Assets) URL(name string) string {
	u, ok := a.byName[name]
	if !ok {
		panic("web: unknown asset " + name)
	}
	return u
}

// ServeHTTP serves an asset by its hashed URL. Only names known at start-up
// are served, so no path (.. or encoded slashes included) reaches anything else.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byURL[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", f.etag)
	if match := r.Header.Get("If-None-Match"); match == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	http.ServeContent(w, r, "", time.Time{}, strings.NewReader(string(f.body)))
}

// Has reports whether url is a known asset URL.
func (a *Assets) Has(url string) bool { _, ok := a.byURL[url]; return ok }
