// Command loadbench is a development helper used by `make bench`, not part
// of the product. It starts the portal (bin/defus serve) on a benchmark
// database and, beside it, nginx serving the very same bytes of each public
// page as static files, runs wrk against both, one after the other, with
// and without Accept-Encoding: br, gzip, and prints the requests per second,
// their ratio, the 99th percentile of the latency and the portal's memory.
// A third server in the same turns shows what Go's net/http itself reaches
// here: it writes the same bytes with the same headers from memory, with
// the portal's timeouts and corked like the portal's kept pages, and does
// nothing else (loadbench -reference, run as a process of its own).
// With -medians it also times every page (public and office, first and last
// page of every list) as a visitor would, 50 times each without the page
// cache, and prints the medians.
//
// Everything runs on 127.0.0.1; each wrk run is bounded by -duration.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

func main() {
	bin := flag.String("bin", "bin/defus", "the portal's binary")
	dbURL := flag.String("db", "", "the benchmark database (created and seeded by make bench)")
	pages := flag.String("pages", "/,/mitglieder,/mitglieder/augsburg,/themen,/termine", "the pages to load, comma-separated")
	duration := flag.Duration("duration", 5*time.Second, "how long each wrk run lasts (at most 10 s)")
	conns := flag.Int("c", 64, "wrk's connections")
	medians := flag.String("medians", "", "time these pages (comma-separated) instead of the load comparison; \"all\" for every list's first and last page")
	login := flag.String("login", "", "e-mail:password of an office account, for the office pages of -medians")
	times := flag.Int("n", 50, "how many times -medians asks for each page")
	reference := flag.String("reference", "", "internal: serve the pages written to this directory on -addr, as the reference")
	refAddr := flag.String("addr", "", "internal: the reference's address")
	flag.Parse()
	if *reference != "" {
		fail(serveReference(*reference, *refAddr))
	}
	if *dbURL == "" {
		fail(errors.New("-db is required"))
	}
	*duration = min(*duration, 10*time.Second)

	portal, err := startPortal(*bin, *dbURL)
	if err != nil {
		fail(err)
	}
	defer portal.stop()

	if *medians == "all" {
		list, err := allPages(*dbURL)
		if err != nil {
			fail(err)
		}
		*medians = strings.Join(list, ",")
	}
	if *medians != "" {
		if err := timePages(portal, *medians, *login, *times); err != nil {
			fail(err)
		}
		return
	}
	if err := compare(portal, strings.Split(*pages, ","), *duration, *conns); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "loadbench:", err)
	os.Exit(1)
}

// freeAddr returns a free port on 127.0.0.1.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

type portal struct {
	cmd  *exec.Cmd
	base string
	log  *os.File
}

// startPortal starts `defus serve` on a free port and waits until it is
// ready and its page cache is on.
func startPortal(bin, dbURL string) (*portal, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	log, err := os.CreateTemp("", "loadbench-portal-*.log")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "ADDR="+addr, "BASE_URL=http://"+addr)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &portal{cmd: cmd, base: "http://" + addr, log: log}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(p.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && p.cacheOn() {
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("the portal did not get ready; see %s", log.Name())
		}
	}
}

// cacheOn reports whether the page cache is on: a page it keeps comes
// with a strong ETag, which the portal sends for no page made afresh.
func (p *portal) cacheOn() bool {
	for range 2 {
		resp, err := http.Get(p.base + "/themen")
		if err != nil {
			return false
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if strings.HasPrefix(resp.Header.Get("ETag"), `"`) {
			return true
		}
	}
	return false
}

func (p *portal) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()
	p.log.Close()
}

// rss returns the portal's resident memory now and at its peak, in MB.
func (p *portal) rss() (now, peak float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			now = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return now, peak
}

// fetchRaw returns a page's bytes as sent (not decoded) and its headers.
func fetchRaw(u string, compressed bool) ([]byte, http.Header, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if compressed {
		req.Header.Set("Accept-Encoding", "br, gzip")
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	return b, resp.Header, err
}

type result struct {
	rps float64
	p99 time.Duration
}

var (
	rpsRe = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p99Re = regexp.MustCompile(`\s99%\s+([0-9.]+)(us|ms|s)`)
)

// runWrk loads u for d with conns connections.
func runWrk(u string, d time.Duration, conns int, compressed bool) (result, error) {
	args := []string{"-t2", "-c" + strconv.Itoa(conns), "-d" + strconv.Itoa(int(d.Seconds())) + "s", "--latency"}
	if compressed {
		args = append(args, "-H", "Accept-Encoding: br, gzip")
	}
	out, err := exec.Command("wrk", append(args, u)...).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk %s: %w\n%s", u, err, out)
	}
	var r result
	if m := rpsRe.FindSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if m := p99Re.FindSubmatch(out); m != nil {
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[string(m[2])]
		r.p99 = time.Duration(v * float64(unit))
	}
	if bytes.Contains(out, []byte("Non-2xx")) {
		return r, fmt.Errorf("wrk %s: answers other than 2xx\n%s", u, out)
	}
	return r, nil
}

// interleaved loads each of urls in turns of a second each, d in all for
// each, so that all meet the same load of a shared machine: their requests
// per second over all turns, and the median of the turns' 99th percentiles.
// Each turn starts with another of them.
func interleaved(urls []string, d time.Duration, conns int, compressed bool) ([]result, error) {
	turns := max(int(d/time.Second), 1)
	res := make([]result, len(urls))
	p99s := make([][]time.Duration, len(urls))
	for i := range turns {
		for k := range urls {
			j := (i + k) % len(urls)
			r, err := runWrk(urls[j], time.Second, conns, compressed)
			if err != nil {
				return nil, err
			}
			res[j].rps += r.rps / float64(turns)
			p99s[j] = append(p99s[j], r.p99)
		}
	}
	for j := range res {
		slices.Sort(p99s[j])
		res[j].p99 = p99s[j][len(p99s[j])/2]
	}
	return res, nil
}

// nginxFor writes each page's bytes (as the portal sends them, compressed
// or not) to dir and starts nginx serving them under the same paths.
func nginxFor(dir string, pages []string, bodies [][]byte, headers []http.Header) (stop func(), base string, err error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	var locs strings.Builder
	for i, p := range pages {
		name := "f" + strconv.Itoa(i)
		if err := os.WriteFile(filepath.Join(dir, name), bodies[i], 0o644); err != nil {
			return nil, "", err
		}
		enc := ""
		if e := headers[i].Get("Content-Encoding"); e != "" {
			enc = "add_header Content-Encoding " + e + "; add_header Vary Accept-Encoding;"
		}
		fmt.Fprintf(&locs, "    location = %s { default_type text/html; %s rewrite ^ /%s break; }\n", p, enc, name)
	}
	conf := fmt.Sprintf(`worker_processes auto;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log %[1]s/access.log;
  client_body_temp_path %[1]s; proxy_temp_path %[1]s; fastcgi_temp_path %[1]s; uwsgi_temp_path %[1]s; scgi_temp_path %[1]s;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  server {
    listen %[2]s;
    root %[1]s;
%[3]s  }
}
`, dir, addr, locs.String())
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return nil, "", err
	}
	return startServer(exec.Command("nginx", "-c", confPath, "-p", dir), syscall.SIGQUIT, "http://"+addr+pages[0])
}

// startServer starts cmd and waits until probe answers; stop ends it with sig.
func startServer(cmd *exec.Cmd, sig os.Signal, probe string) (stop func(), base string, err error) {
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	stop = func() { cmd.Process.Signal(sig); cmd.Wait() }
	u, err := url.Parse(probe)
	if err != nil {
		stop()
		return nil, "", err
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(probe); err == nil {
			resp.Body.Close()
			return stop, u.Scheme + "://" + u.Host, nil
		}
		if time.Now().After(deadline) {
			stop()
			return nil, "", fmt.Errorf("%s did not start", filepath.Base(cmd.Path))
		}
	}
}

// compare runs the load comparison and prints its table.
func compare(p *portal, pages []string, d time.Duration, conns int) error {
	type row struct {
		page, mode       string
		size             int
		portal, ngx, ref result
		rssNow, peak     float64
	}
	var rows []row
	for _, compressed := range []bool{false, true} {
		mode := "plain"
		if compressed {
			mode = "br, gzip"
		}
		dir, err := os.MkdirTemp("", "loadbench-nginx-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		bodies := make([][]byte, len(pages))
		headers := make([]http.Header, len(pages))
		for i, page := range pages {
			fetchRaw(p.base+page, compressed) // the first request fills the cache
			if bodies[i], headers[i], err = fetchRaw(p.base+page, compressed); err != nil {
				return err
			}
		}
		stop, nginx, err := nginxFor(dir, pages, bodies, headers)
		if err != nil {
			return err
		}
		stopRef, ref, err := startReference(dir, pages, headers)
		if err != nil {
			stop()
			return err
		}
		for i, page := range pages {
			rs, err := interleaved([]string{p.base + page, nginx + page, ref + page}, d, conns, compressed)
			if err != nil {
				stop()
				stopRef()
				return err
			}
			now, peak := p.rss()
			rows = append(rows, row{page, mode, len(bodies[i]), rs[0], rs[1], rs[2], now, peak})
			fmt.Fprintf(os.Stderr, "%s (%s): portal %.0f req/s, nginx %.0f req/s, net/http %.0f req/s\n", page, mode, rs[0].rps, rs[1].rps, rs[2].rps)
		}
		stop()
		stopRef()
	}
	fmt.Printf("\nwrk -t2 -c%d, %s each, portal, nginx and bare net/http serving the same bytes in turns of 1 s (p99: median of the turns):\n\n", conns, d)
	fmt.Println("| page | Accept-Encoding | bytes | portal req/s | nginx req/s | ratio | net/http req/s | portal p99 | nginx p99 | net/http p99 | portal RSS (peak) |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	ms := func(d time.Duration) string { return d.Round(10 * time.Microsecond).String() }
	for _, r := range rows {
		fmt.Printf("| `%s` | %s | %d | %.0f | %.0f | %.2f | %.0f | %s | %s | %s | %.0f MB (%.0f MB) |\n", r.page, r.mode, r.size,
			r.portal.rps, r.ngx.rps, r.portal.rps/r.ngx.rps, r.ref.rps, ms(r.portal.p99), ms(r.ngx.p99), ms(r.ref.p99), r.rssNow, r.peak)
	}
	return nil
}

// timePages times each page n times, without the page cache (a request
// with a cookie bypasses it), and prints the medians.
func timePages(p *portal, list, login string, n int) error {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	u, _ := url.Parse(p.base)
	jar.SetCookies(u, []*http.Cookie{{Name: "bench", Value: "no-cache"}})
	if login != "" {
		if err := logIn(client, p.base, login); err != nil {
			return err
		}
	}
	pages := strings.Split(list, ",")
	fmt.Printf("\n| page | median | slowest of %d |\n", n)
	fmt.Println("|---|---|---|")
	for _, page := range pages {
		var times []time.Duration
		for range n {
			start := time.Now()
			resp, err := client.Get(p.base + page)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s: %s", page, resp.Status)
			}
			times = append(times, time.Since(start))
		}
		slices.Sort(times)
		fmt.Printf("| `%s` | %s | %s |\n", page, times[len(times)/2].Round(10*time.Microsecond), times[len(times)-1].Round(10*time.Microsecond))
	}
	_, peak := p.rss()
	fmt.Printf("\nportal peak RSS: %.0f MB\n", peak)
	return nil
}

var tokenRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"|name="token" value="([^"]+)"`)

// logIn logs in through the login form.
func logIn(client *http.Client, base, login string) error {
	email, password, _ := strings.Cut(login, ":")
	resp, err := client.Get(base + "/admin/login")
	if err != nil {
		return err
	}
	var body bytes.Buffer
	io.Copy(&body, bufio.NewReader(resp.Body))
	resp.Body.Close()
	form := url.Values{"email": {email}, "password": {password}}
	if m := tokenRe.FindStringSubmatch(body.String()); m != nil {
		form.Set("csrf_token", m[1]+m[2])
	}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, base+"/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err = client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("login: %s", resp.Status)
	}
	return nil
}

// allPages is every kind of page, public and office, with the first and
// the last page of every list, for -medians all.
func allPages(dbURL string) ([]string, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	var member, topic, event, page, article string
	var oldestAudit int64
	var past, enquiries, members, events, media int
	err = conn.QueryRow(ctx, `
SELECT (SELECT slug FROM members WHERE published ORDER BY id LIMIT 1),
       (SELECT slug FROM topics WHERE published ORDER BY id LIMIT 1),
       (SELECT slug FROM events WHERE published AND ends_at > now() ORDER BY starts_at LIMIT 1),
       (SELECT slug FROM pages WHERE published AND slug <> 'startseite' ORDER BY id LIMIT 1),
       (SELECT coalesce(min(slug), '') FROM articles WHERE published),
       (SELECT coalesce(min(id), 0) FROM audit_log),
       (SELECT count(*) FROM events WHERE published AND ends_at <= now()),
       (SELECT count(*) FROM enquiries), (SELECT count(*) FROM members),
       (SELECT count(*) FROM events), (SELECT count(*) FROM media)`).
		Scan(&member, &topic, &event, &page, &article, &oldestAudit, &past, &enquiries, &members, &events, &media)
	if err != nil {
		return nil, err
	}
	last := func(n, size int) string { return strconv.Itoa(max((n+size-1)/size, 1)) }
	return []string{
		"/", "/mitglieder", "/mitglieder/" + member, "/themen", "/themen/" + topic,
		"/termine", "/termine/archiv", "/termine/archiv?seite=" + last(past, 50), "/termine/" + event,
		"/termine.ics", "/termine/kalender/2026/12", "/sitemap.xml", "/" + page,
		"/aktuelles", "/aktuelles/" + article, "/aktuelles.atom", "/suche?q=Sicherheit", "/suche?q=Stadt",
		"/intern/", "/intern/kontakte", "/intern/dokumente",
		"/admin/", "/admin/protokoll", "/admin/protokoll?nach=" + strconv.FormatInt(oldestAudit, 10),
		"/admin/protokoll?person=1", "/admin/protokoll?bereich=member",
		"/admin/anfragen", "/admin/anfragen?seite=" + last(enquiries, 25), "/admin/anfragen?q=Organisation+99",
		"/admin/mitglieder", "/admin/mitglieder?seite=" + last(members, 25),
		"/admin/termine?zeit=alle", "/admin/termine?zeit=alle&seite=" + last(events, 25),
		"/admin/themen", "/admin/seiten", "/admin/medien", "/admin/medien?seite=" + last(media, 25),
		"/admin/benutzer", "/admin/benutzer/neu", "/admin/termine/neu", "/admin/dokumente", "/admin/aktuelles",
	}, nil
}
