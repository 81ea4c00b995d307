package main

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

func TestTuneGCLeavesAnOperatorsGOGC(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name    string
		gogc    string
		atLeast int
		exact   bool
	}{
		// A collection may come between tuneGC and the read: then the
		// floor may have raised it.
		{"unset: the server's target or more", "", serverGCPercent, false},
		{"set: left as Go applied it", "150", 150, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			was := debug.SetGCPercent(150) // as Go would have applied GOGC=150
			t.Cleanup(func() { debug.SetGCPercent(was) })
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			tuneGC(ctx, &env{getenv: func(k string) string {
				if k == "GOGC" {
					return tt.gogc
				}
				return ""
			}}, log)
			got := debug.SetGCPercent(150)
			if got < tt.atLeast || tt.exact && got != tt.atLeast {
				t.Errorf("GC percent = %d, want %d%s", got, tt.atLeast, map[bool]string{false: " or more"}[tt.exact])
			}
		})
	}
}

func TestHeapPercent(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name        string
		live, roots uint64
		want        int
		wantTarget  uint64 // the heap the next collection starts at, about
	}{
		{"nothing measured yet", 0, 0, 400, 0},
		{"little live: the floor, within the cap", 1 * mb, 0, 5000, 51 * mb},
		{"little live, and roots: the cap counts them", 1 * mb, 1 * mb, 5000, 101 * mb},
		{"a server's usual live heap: the floor", 20 * mb, 0, 500, 120 * mb},
		{"the same with 2 MB of stacks and globals: still the floor", 20 * mb, 2 * mb, 450, 119 * mb},
		{"live grows: the floor still", 25 * mb, 0, 400, 125 * mb},
		{"live past a fifth of the floor: proportional", 40 * mb, 0, 400, 200 * mb},
		{"live past the floor: proportional", 200 * mb, 0, 400, 1000 * mb},
		{"a few kilobytes live: the cap, no overflow", 4 << 10, 0, 5000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := heapPercent(tt.live, tt.roots, 128*mb, 400, 5000)
			if got != tt.want {
				t.Errorf("heapPercent(%d MB, roots %d MB) = %d, want %d", tt.live/mb, tt.roots/mb, got, tt.want)
			}
			if tt.live > 0 {
				target := tt.live + (tt.live+tt.roots)*uint64(got)/100
				if d := int64(target) - int64(tt.wantTarget); d > 8*mb || d < -8*mb {
					t.Errorf("target %d MB, want about %d MB", target/mb, tt.wantTarget/mb)
				}
			}
		})
	}
}

// TestGCTunerFollowsCollections runs the tuner for real: after
// collections it has set the percent the live heap asks for, and once its
// context ends it stops.
func TestGCTunerFollowsCollections(t *testing.T) {
	was := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(was) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A floor far above what this test process holds: the percent goes
	// to the cap.
	tu := newGCTuner(ctx, 1<<40, 400, 5000, 100)
	tu.arm()
	waitTuned := func(n int64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for tu.tuned.Load() < n {
			if time.Now().After(deadline) {
				t.Fatalf("the tuner saw %d collections, want %d", tu.tuned.Load(), n)
			}
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
	}
	waitTuned(2)
	if got := debug.SetGCPercent(5000); got != 5000 {
		t.Errorf("GC percent after collections = %d, want 5000", got)
	}
	cancel()
	tu.mu.Lock() // a call under way has finished; later ones see done
	tu.mu.Unlock()
	n := tu.tuned.Load()
	for range 5 {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	if got := tu.tuned.Load(); got > n {
		t.Errorf("the tuner ran %d times after its context ended", got-n)
	}
}

// TestWarmHeapLeavesMappedMemoryInTheHeap: what warmHeap touched is kept
// by the heap, free and still mapped, for the allocations that follow.
func TestWarmHeapLeavesMappedMemoryInTheHeap(t *testing.T) {
	const n = 64 << 20
	free := func() uint64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/free:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	debug.FreeOSMemory() // what earlier tests warmed goes back to the system
	before := free()
	warmHeap(n)
	if after := free(); after < before+n*3/4 {
		t.Errorf("heap free and mapped: %d MB before, %d MB after warming %d MB", before>>20, after>>20, n>>20)
	}
}

// TestTuneGCReadyOnceTheHeapIsWarm: a server's readiness waits for the
// heap warmed on its own goroutine; with GOGC set nothing is warmed and it
// is ready at once.
func TestTuneGCReadyOnceTheHeapIsWarm(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tt := range []struct {
		name string
		gogc string
	}{{"GOGC unset: warmed, then ready", ""}, {"GOGC set: ready at once", "150"}} {
		t.Run(tt.name, func(t *testing.T) {
			was := debug.SetGCPercent(150)
			t.Cleanup(func() { debug.SetGCPercent(was) })
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(cancel)
			ready := tuneGC(ctx, &env{getenv: func(k string) string {
				if k == "GOGC" {
					return tt.gogc
				}
				return ""
			}}, log)
			if tt.gogc != "" {
				if err := ready(); err != nil {
					t.Fatalf("ready = %v, want nil", err)
				}
				return
			}
			deadline := time.Now().Add(30 * time.Second)
			for ready() != nil && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if err := ready(); err != nil {
				t.Fatalf("still not ready after warming: %v", err)
			}
		})
	}
}

func TestHeapReady(t *testing.T) {
	warming := make(chan struct{})
	if err := heapReady(warming); err == nil || !strings.Contains(err.Error(), "warming the heap") {
		t.Errorf("while warming: %v, want it said", err)
	}
	close(warming)
	if err := heapReady(warming); err != nil {
		t.Errorf("once warm: %v, want nil", err)
	}
}
