package logbuf

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is the log's destination, read while lines are written.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
	n  int // writes
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestLinesLeaveTogetherAtTheTick(t *testing.T) {
	out := &lockedBuffer{}
	tick := make(chan time.Time)
	b := newWriter(out, tick)
	log := slog.New(Handler(slog.NewTextHandler(b, nil), b, slog.LevelWarn))
	for i := range 100 {
		log.Info("request", "n", i)
	}
	if out.String() != "" {
		t.Fatalf("lines written before the tick: %q", out.String())
	}
	tick <- time.Time{} // taken by the flusher…
	tick <- time.Time{} // …which has flushed when it takes the next
	if got := strings.Count(out.String(), "msg=request"); got != 100 {
		t.Fatalf("after the tick %d lines, want 100", got)
	}
	if out.n != 1 {
		t.Errorf("100 lines in %d writes, want 1", out.n)
	}
	log.Info("last")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "msg=last") {
		t.Errorf("Close did not write the last line: %q", out.String())
	}
}

func TestWarningsLeaveAtOnceWithWhatCameBefore(t *testing.T) {
	out := &lockedBuffer{}
	b := newWriter(out, nil)
	defer b.Close()
	log := slog.New(Handler(slog.NewTextHandler(b, nil), b, slog.LevelWarn)).With("app", "defus")
	log.Info("before")
	log.Warn("database stalled")
	got := out.String()
	if !strings.Contains(got, "msg=before") || !strings.Contains(got, `msg="database stalled" app=defus`) {
		t.Fatalf("a warning did not leave at once with the line before it: %q", got)
	}
}

func TestAFullBufferIsWrittenAndLongLinesPass(t *testing.T) {
	out := &lockedBuffer{}
	b := newWriter(out, nil)
	defer b.Close()
	line := strings.Repeat("x", 1000) + "\n"
	for range 100 { // 100 KB: more than the buffer holds
		b.Write([]byte(line))
	}
	if n := len(out.String()); n == 0 || n%len(line) != 0 {
		t.Fatalf("a full buffer wrote %d bytes, want whole lines", n)
	}
	long := strings.Repeat("y", 2*size)
	b.Write([]byte(long))
	b.Flush()
	if got := out.String(); len(got) != 100*len(line)+len(long) || !strings.HasSuffix(got, long) {
		t.Fatalf("wrote %d bytes, want %d in order", len(got), 100*len(line)+len(long))
	}
}

func TestConcurrentLinesStayWhole(t *testing.T) {
	out := &lockedBuffer{}
	b := newWriter(out, nil)
	log := slog.New(slog.NewTextHandler(b, nil))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				log.Info("request", "g", g, "i", i, "pad", strings.Repeat("z", 100))
			}
		})
	}
	wg.Wait()
	b.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4000 {
		t.Fatalf("%d lines, want 4000", len(lines))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "time=") || !strings.HasSuffix(l, strings.Repeat("z", 100)) {
			t.Fatalf("torn line %q", l)
		}
	}
}
