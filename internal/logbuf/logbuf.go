// Package logbuf keeps log lines in memory for a moment and writes them
// out together: a busy server logs a line per request, and a write to the
// log per line costs as much as a good part of serving a kept page. Lines
// leave at the latest after the interval given to New, at once when the
// buffer is full, and at once for records that need attention (Handler).
// nginx's access_log buffer=… flush=… does the same.
package logbuf

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// size is how much is kept before it is written at once.
const size = 64 << 10

// Writer buffers whole writes (slog writes a record in one) for w.
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
	stop chan struct{}
	done chan struct{}
}

// New buffers w, writing what it holds every interval until Close.
func New(w io.Writer, interval time.Duration) *Writer {
	t := time.NewTicker(interval)
	b := newWriter(w, t.C)
	go func() { <-b.done; t.Stop() }()
	return b
}

// newWriter flushes at every tick.
func newWriter(w io.Writer, tick <-chan time.Time) *Writer {
	b := &Writer{w: w, buf: make([]byte, 0, size), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for {
			select {
			case <-tick:
				b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write keeps p, writing first what is kept when p would not fit (and p
// itself when it is larger than the buffer).
func (b *Writer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf)+len(p) > size {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
		if len(p) > size {
			return b.w.Write(p)
		}
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Flush writes what is kept.
func (b *Writer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *Writer) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

// Close stops the ticks and writes what is kept.
func (b *Writer) Close() error {
	close(b.stop)
	<-b.done
	return b.Flush()
}

// Handler wraps h, which writes to b, so that records at level or above
// (warnings, errors) are written at once, with everything before them.
func Handler(h slog.Handler, b *Writer, level slog.Level) slog.Handler {
	return &handler{Handler: h, b: b, level: level}
}

type handler struct {
	slog.Handler
	b     *Writer
	level slog.Level
}

func (h *handler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= h.level {
		if ferr := h.b.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h *handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &handler{Handler: h.Handler.WithAttrs(attrs), b: h.b, level: h.level}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{Handler: h.Handler.WithGroup(name), b: h.b, level: h.level}
}
