package server

import (
	"net/http/httptest"
	"testing"

	"defus.de/portal/internal/config"
)

func TestClientIP(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(func(k string) string {
		if k == "TRUSTED_PROXIES" {
			return "10.0.0.0/8, 2001:db8:ffff::1"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: cfg}
	for _, tc := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy", "203.0.113.1:5000", nil, "203.0.113.1"},
		{"spoofed header from an untrusted peer", "203.0.113.1:5000", []string{"198.51.100.1"}, "203.0.113.1"},
		{"through a trusted proxy", "10.0.0.1:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"spoofed entries left of the real one", "10.0.0.1:443", []string{"1.1.1.1, 2.2.2.2, 198.51.100.1"}, "198.51.100.1"},
		{"chain of trusted proxies", "10.0.0.1:443", []string{"9.9.9.9, 198.51.100.1, 10.0.0.7, 10.0.0.8"}, "198.51.100.1"},
		{"several header lines", "10.0.0.1:443", []string{"9.9.9.9, 198.51.100.1", "10.0.0.7"}, "198.51.100.1"},
		{"IPv6 proxy, entry with port", "[2001:db8:ffff::1]:443", []string{"[2001:db8::5]:4711"}, "2001:db8::5"},
		{"IPv4 in IPv6", "[::ffff:10.0.0.1]:443", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
		{"only trusted addresses", "10.0.0.1:443", []string{"10.0.0.9"}, "10.0.0.9"},
		{"no header", "10.0.0.1:443", nil, "10.0.0.1"},
		{"garbage: the nearest trusted proxy stands in", "10.0.0.1:443", []string{"198.51.100.1, unknown, 10.0.0.2"}, "10.0.0.2"},
		{"empty entry", "10.0.0.1:443", []string{"198.51.100.1, "}, "10.0.0.1"},
		{"peer that is no address", "@", []string{"198.51.100.1"}, "invalid IP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientIP(r).String(); got != tc.want {
				t.Errorf("clientIP = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestClientNetwork(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"203.0.113.1":        "203.0.113.1",
		"2001:db8:1:2:3::4":  "2001:db8:1:2::/64",
		"[2001:db8:1:2::9]":  "2001:db8:1:2::/64",
		"::ffff:203.0.113.1": "203.0.113.1",
		"kaputt":             "unknown",
	} {
		if got := clientNetwork(parseAddr(addr)); got != want {
			t.Errorf("clientNetwork(%s) = %s, want %s", addr, got, want)
		}
	}
}
