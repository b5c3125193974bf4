package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// The reference: Go's net/http serving the bytes nginx serves, with the
// headers the portal sent for them (its security headers, ETag, Vary, …),
// the portal's server timeouts (server.HTTPServer), and the body written
// corked in one Write, as the portal writes a kept page. It does nothing
// else: no routing, no cache lookup, no log. What it reaches is what the
// portal could reach on net/http with these headers; the distance to it is
// the portal's own cost.

type refPage struct {
	Path   string      `json:"path"`
	File   string      `json:"file"`
	Header http.Header `json:"header"`
}

// startReference writes the manifest of the pages (whose bytes nginxFor
// wrote to dir as f0, f1, …) and starts this program as the reference.
func startReference(dir string, pages []string, headers []http.Header) (stop func(), base string, err error) {
	var list []refPage
	for i, p := range pages {
		h := headers[i].Clone()
		h.Del("Date") // net/http writes its own
		list = append(list, refPage{Path: p, File: "f" + strconv.Itoa(i), Header: h})
	}
	b, err := json.Marshal(list)
	if err != nil {
		return nil, "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "reference.json"), b, 0o644); err != nil {
		return nil, "", err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, "", err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	return startServer(exec.Command(self, "-reference", dir, "-addr", addr), syscall.SIGTERM, "http://"+addr+pages[0])
}

// serveReference is the reference server's process.
func serveReference(dir, addr string) error {
	b, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		return err
	}
	var list []refPage
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	type page struct {
		header http.Header
		body   []byte
	}
	pages := map[string]page{}
	for _, p := range list {
		body, err := os.ReadFile(filepath.Join(dir, p.File))
		if err != nil {
			return err
		}
		pages[p.Path] = page{p.Header, body}
	}
	type connKey struct{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		wh := w.Header()
		for k, v := range p.header {
			wh[k] = v
		}
		c, _ := r.Context().Value(connKey{}).(*net.TCPConn)
		if c != nil && len(p.body) >= 3<<10 {
			cork(c, 1)
			defer cork(c, 0)
		}
		w.Write(p.body)
	})
	srv := &http.Server{Addr: addr, Handler: h,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if tc, ok := c.(*net.TCPConn); ok {
				return context.WithValue(ctx, connKey{}, tc)
			}
			return ctx
		}}
	return srv.ListenAndServe()
}

// cork sets TCP_CORK (Linux, where bench-load runs).
func cork(c *net.TCPConn, v int) {
	if raw, err := c.SyscallConn(); err == nil {
		raw.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, v) })
	}
}
