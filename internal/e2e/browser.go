// Package e2e runs the portal in a real Chromium, as visitors use it: pages
// are opened, links clicked and forms sent, and axe-core checks every page
// for WCAG 2.1 A/AA violations. The tests live in the _test files; this file
// holds the helpers they share.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"defus.de/portal/internal/devdb"
)

// Browser is one headless Chromium shared by the tests of a package.
type Browser struct {
	ctx    context.Context
	cancel context.CancelFunc
	axe    string
}

var (
	browserOnce sync.Once
	shared      *Browser
	browserErr  error
)

// chromiumPath finds Debian's chromium (or another Chrome) on PATH.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// NewBrowser returns the shared browser. Without Chromium the test is
// skipped with one line, unless CI=true, where browser tests must run.
func NewBrowser(tb testing.TB) *Browser {
	tb.Helper()
	browserOnce.Do(func() { shared, browserErr = startBrowser() })
	if browserErr != nil {
		if os.Getenv("CI") != "true" && strings.Contains(browserErr.Error(), "not found") {
			tb.Skip("browser tests skipped:", browserErr)
		}
		tb.Fatalf("browser: %v", browserErr)
	}
	return shared
}

func startBrowser() (*Browser, error) {
	path := chromiumPath()
	if path == "" {
		return nil, fmt.Errorf("chromium not found (Debian: apt-get install chromium)")
	}
	root, err := devdb.RepoRoot()
	if err != nil {
		return nil, err
	}
	axe, err := os.ReadFile(filepath.Join(root, "web", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return nil, fmt.Errorf("axe-core not found (run: cd web && npm ci): %w", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "de-DE"),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	return &Browser{ctx: ctx, cancel: func() { cancel(); cancelAlloc() }, axe: string(axe)}, nil
}

// CloseBrowser stops the shared browser; call it from TestMain.
func CloseBrowser() {
	if shared != nil {
		shared.cancel()
	}
}

// Tab opens a new tab that closes when the test ends. Its browser context
// is its own (like a private window), so tests running in parallel, whose
// sites all live on 127.0.0.1, never share a cookie.
func (b *Browser) Tab(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	tb.Cleanup(func() { cancelTimeout(); cancel() })
	return ctx
}

// LongTab opens a tab for a test that visits many pages in one tab (a tab
// per page takes three times as long). It has no deadline of its own (give
// each step one with context.WithTimeout) and, like SeparateTab, a browser
// context of its own: it starts logged out, whatever other tests left. It
// closes when the test ends.
func (b *Browser) LongTab(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	// Open the tab now: a step's deadline must not end the tab's first run.
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("open tab: %v", err)
	}
	return ctx
}

// SeparateTab opens a second tab with a session of its own: like Tab, it
// shares no cookies with the other tabs, so a second login there is a
// second session. It closes when the test ends.
func (b *Browser) SeparateTab(tb testing.TB) context.Context {
	tb.Helper()
	return b.Tab(tb)
}

// Violation is one axe-core finding.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// CheckA11y runs axe-core on the page in ctx and fails the test for every
// WCAG 2.1 A or AA violation.
func (b *Browser) CheckA11y(tb testing.TB, ctx context.Context, page string) {
	tb.Helper()
	// Runtime.evaluate is not subject to the page's Content-Security-Policy,
	// so axe can be injected into a page that forbids inline script.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](b.axe)); err != nil {
		tb.Fatalf("%s: inject axe: %v", page, err)
	}
	const run = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
		.then(r => JSON.stringify(r.violations))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("%s: run axe: %v", page, err)
	}
	var violations []Violation
	if err := json.Unmarshal([]byte(out), &violations); err != nil {
		tb.Fatalf("%s: axe result: %v", page, err)
	}
	for _, v := range violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target)+" "+n.HTML)
		}
		tb.Errorf("%s: axe %s (%s): %s\n  %s", page, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
	}
}
