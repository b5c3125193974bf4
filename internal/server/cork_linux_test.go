package server

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
)

// corkState reads TCP_CORK of c.
func corkState(t *testing.T, c *net.TCPConn) int {
	t.Helper()
	raw, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	var gerr error
	raw.Control(func(fd uintptr) { v, gerr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK) })
	if gerr != nil {
		t.Fatal(gerr)
	}
	return v
}

// A kept page larger than net/http's buffer is written corked, and the
// connection is uncorked when it is written, so nothing waits; a small one
// is written as it is.
func TestKeptPagesAreSentCorked(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	conn := sc.(*net.TCPConn)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r = r.WithContext(connContext(context.Background(), conn))

	for _, tc := range []struct {
		size       int
		duringCork int
	}{{10 << 10, 1}, {1 << 10, 0}} {
		during := -1
		w := writeFunc(func(p []byte) { during = corkState(t, conn) })
		sendCorked(w, r, []byte(strings.Repeat("x", tc.size)))
		if during != tc.duringCork {
			t.Errorf("%d bytes: TCP_CORK while written = %d, want %d", tc.size, during, tc.duringCork)
		}
		if after := corkState(t, conn); after != 0 {
			t.Errorf("%d bytes: the connection stays corked after the page was written", tc.size)
		}
	}
	// A request without a TCP connection (TLS, tests) is written plainly.
	written := false
	sendCorked(writeFunc(func([]byte) { written = true }), httptest.NewRequest(http.MethodGet, "/", nil), make([]byte, 10<<10))
	if !written {
		t.Error("without a connection nothing was written")
	}
}

// writeFunc is a ResponseWriter that hands what is written to a function.
type writeFunc func([]byte)

func (f writeFunc) Header() http.Header         { return http.Header{} }
func (f writeFunc) WriteHeader(int)             {}
func (f writeFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }
