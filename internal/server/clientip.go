package server

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientIP returns the address of the client of r, the one address that
// the login limits and the enquiry form's rate limit count by. It is the
// direct peer (RemoteAddr), unless the peer is one of TRUSTED_PROXIES: then
// it is the right-most address in X-Forwarded-For that is not itself a
// trusted proxy. Everything left of that entry was sent by the client and
// could be anything, so it is never believed; a header from a peer that is
// not trusted is ignored. When the entry to believe is not an address, the
// nearest trusted proxy stands for the client. The result is the zero Addr
// only when RemoteAddr is not an address (never over TCP).
func (s *Server) clientIP(r *http.Request) netip.Addr {
	client := parseAddr(r.RemoteAddr)
	if !s.trustedProxy(client) {
		return client
	}
	values := r.Header.Values("X-Forwarded-For")
	for i := len(values) - 1; i >= 0; i-- {
		entries := strings.Split(values[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			a := parseAddr(strings.TrimSpace(entries[j]))
			if !a.IsValid() {
				return client
			}
			if !s.trustedProxy(a) {
				return a
			}
			client = a
		}
	}
	return client
}

func (s *Server) trustedProxy(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseAddr reads "203.0.113.5", "203.0.113.5:4711", "2001:db8::1" or
// "[2001:db8::1]:4711" as an address without zone; IPv4 in IPv6 counts as
// IPv4. Anything else gives the zero Addr.
func parseAddr(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

// clientNetwork is what the limits count a client by: its IPv4 address, or
// the /64 network of its IPv6 address, since one IPv6 connection usually
// holds a whole /64 and could otherwise take a fresh address per attempt.
func clientNetwork(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
