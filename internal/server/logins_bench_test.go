package server_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// BenchmarkLoginFlood shows what guessing passwords does to the site, with
// the real argon2id parameters (`make bench`):
//
//   - pages: the median latency of public pages, idle and while about 30
//     login attempts a second arrive from ever new addresses for ever new
//     e-mail addresses (the worst case: every attempt reaches a password
//     check); slowdown-x is their ratio (wanted: under 3).
//   - memory: 200 logins at once; peak-heap-MB is the most heap the Go
//     runtime held in objects, peak-rss-MB the peak resident memory of the
//     whole test process, server and clients (wanted: under 150).
//
// It reports and asserts nothing: speed and memory depend on the machine.
func BenchmarkLoginFlood(b *testing.B) {
	prev := defus.SetPasswordParams(defus.DefaultPasswordParams)
	defer defus.SetPasswordParams(prev)
	pool := seededPool(b)
	hash, err := defus.HashPassword(testPassword)
	if err != nil {
		b.Fatal(err)
	}
	u := &defus.User{Email: "a@defus.de", Name: "A", Role: defus.RoleAdmin, PasswordHash: hash}
	if err := store.New(pool, testClock).CreateUser(context.Background(), defus.Actor{}, u); err != nil {
		b.Fatal(err)
	}
	ts := startServer(b, pool, behindProxy, nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 300}} // asks for gzip, as browsers do

	b.Run("pages", func(b *testing.B) {
		pages := []string{"/", "/mitglieder", "/termine", "/themen", "/ueber-uns"}
		for _, p := range pages { // warm up caches and connections
			fetch(b, client, ts.URL+p)
		}
		// Idle and flooded rounds take turns, so that whatever else the
		// machine does falls on both alike.
		var idle, flooded []time.Duration
		statuses := newStatusCount()
		var floodTime time.Duration
		for range 4 {
			for i := range 40 {
				idle = append(idle, fetch(b, client, ts.URL+pages[i%len(pages)]))
			}
			stop := make(chan struct{})
			var flood sync.WaitGroup
			flood.Go(func() {
				tick := time.NewTicker(time.Second / 30)
				defer tick.Stop()
				for {
					select {
					case <-stop:
						return
					case <-tick.C:
						flood.Go(func() { statuses.add(randomLogin(b, client, ts)) })
					}
				}
			})
			time.Sleep(500 * time.Millisecond) // let the flood reach its pace
			start := time.Now()
			for i := range 40 {
				flooded = append(flooded, fetch(b, client, ts.URL+pages[i%len(pages)]))
			}
			floodTime += time.Since(start) + 500*time.Millisecond
			close(stop)
			flood.Wait()
		}
		idleMedian, floodMedian := median(idle), median(flooded)
		b.ReportMetric(float64(idleMedian.Microseconds())/1000, "idle-median-ms")
		b.ReportMetric(float64(floodMedian.Microseconds())/1000, "flood-median-ms")
		b.ReportMetric(float64(floodMedian)/float64(idleMedian), "slowdown-x")
		b.ReportMetric(float64(statuses.total())/floodTime.Seconds(), "logins/s")
		b.Logf("login answers during the flood: %s", statuses)
	})

	b.Run("memory", func(b *testing.B) {
		debug.FreeOSMemory() // what the pages left behind
		resetPeakRSS()
		if rss, ok := peakRSS(); ok {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.Logf("before: rss %d MB, heap objects %d MB", rss>>20, ms.HeapAlloc>>20)
		}
		peakHeap := new(atomic.Uint64)
		done := make(chan struct{})
		var sampler sync.WaitGroup
		sampler.Go(func() {
			sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			for {
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > peakHeap.Load() {
					peakHeap.Store(v)
				}
				select {
				case <-done:
					return
				case <-time.After(2 * time.Millisecond):
				}
			}
		})
		statuses := newStatusCount()
		begin := make(chan struct{})
		var logins sync.WaitGroup
		for range 200 {
			logins.Go(func() {
				<-begin
				statuses.add(randomLogin(b, client, ts))
			})
		}
		close(begin)
		logins.Wait()
		close(done)
		sampler.Wait()

		b.ReportMetric(float64(peakHeap.Load())/(1<<20), "peak-heap-MB")
		if rss, ok := peakRSS(); ok {
			b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
		}
		b.Logf("answers to 200 logins at once: %s", statuses)
	})
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// fetch gets url and returns how long it took.
func fetch(tb testing.TB, client *http.Client, url string) time.Duration {
	start := time.Now()
	resp, err := client.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return time.Since(start)
}

// randomLogin tries a wrong password for a random address from a random
// client (198.18.0.0/15, the benchmarking range) and returns the status.
func randomLogin(tb testing.TB, client *http.Client, ts *httptest.Server) int {
	n := rand.Uint32()
	form := url.Values{"email": {fmt.Sprintf("gast%d@defus.de", n)}, "password": {"geraten-123456"}}
	req, err := http.NewRequest(http.MethodPost, ts.URL+"/admin/login", strings.NewReader(form.Encode()))
	if err != nil {
		tb.Error(err)
		return 0
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.%d.%d.%d", 18+(n>>24)%2, (n>>16)&0xff, (n>>8)&0xff))
	resp, err := client.Do(req)
	if err != nil {
		tb.Error(err)
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// statusCount counts answers by status.
type statusCount struct {
	mu sync.Mutex
	n  map[int]int
}

func newStatusCount() *statusCount { return &statusCount{n: map[int]int{}} }

func (c *statusCount) add(status int) {
	c.mu.Lock()
	c.n[status]++
	c.mu.Unlock()
}

func (c *statusCount) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := 0
	for _, v := range c.n {
		t += v
	}
	return t
}

func (c *statusCount) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(c.n)) {
		parts = append(parts, fmt.Sprintf("%d×%d", c.n[s], s))
	}
	return strings.Join(parts, ", ")
}

// resetPeakRSS starts a new peak of resident memory (Linux; elsewhere the
// peak is the process's).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the peak resident memory of the process since resetPeakRSS.
func peakRSS() (uint64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
