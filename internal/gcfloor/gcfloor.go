// Package gcfloor keeps Go's garbage collector from running dozens of
// times a second while the live heap is small.
//
// With the default GOGC=100 the collector runs whenever the heap has grown
// by as much as was live after the last collection. The portal keeps only
// about 3 MB live, and serving kept pages allocates some KB per request
// inside net/http, so under load it collected 23 times a second, each time
// stopping the world for milliseconds on a busy machine: the slowest
// hundredth of the answers waited on that. Run keeps the heap goal near a
// floor instead (GOGC raised while little is live, up to 400, and back to
// 100 as soon as twice the live heap reaches the floor): a 16 MB floor cut
// the server's CPU per kept page by about a sixth and kept its memory
// under 50 MB.
package gcfloor

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Percent is the GOGC that gives a heap goal of at least floor bytes when
// live bytes are live after a collection: never less than 100, and never
// more than maxPercent, so that a heap that grows between two readings
// cannot reach more than five times what is live.
func Percent(live, floor uint64) int {
	if live == 0 || 2*live >= floor {
		return 100
	}
	return int(min((floor-live)*100/live, maxPercent))
}

const maxPercent = 400

// Run sets GOGC from the live heap every interval until ctx ends, then
// leaves it at 100. An operator's own GOGC (the environment variable) is
// left alone: the caller does not call Run then.
func Run(ctx context.Context, floor uint64, interval time.Duration) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	t := time.NewTicker(interval)
	defer t.Stop()
	defer debug.SetGCPercent(100)
	last := 100
	for {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			if p := Percent(sample[0].Value.Uint64(), floor); p != last {
				debug.SetGCPercent(p)
				last = p
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
