package gcfloor

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercentKeepsTheGoalAtTheFloor(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, 100},        // nothing measured yet
		{1 * mb, 400},   // at most five times what is live: goal 5 MB
		{3 * mb, 400},   // goal 15 MB
		{4 * mb, 300},   // goal 16 MB
		{5 * mb, 220},   // goal 16 MB
		{8 * mb, 100},   // twice the live heap is the floor
		{200 * mb, 100}, // a big heap is collected as usual
	} {
		got := Percent(tc.live, 16*mb)
		if got != tc.want {
			t.Errorf("Percent(%d MB) = %d, want %d", tc.live/mb, got, tc.want)
		}
	}
}

func TestRunRaisesGOGCWhileLittleIsLiveAndRestoresIt(t *testing.T) {
	runtime.GC()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); Run(ctx, 1<<40, time.Hour) }() // a floor no test heap reaches
	deadline := time.Now().Add(10 * time.Second)
	for {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		if p > 100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Run did not raise GOGC")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("GOGC after Run = %d, want 100 again", p)
	}
}
