package main

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
)

// serverGCPercent is the garbage collector's target (GOGC) for the
// processes that answer over HTTP, unless GOGC is set. Go's default, 100,
// lets the heap grow to twice what is live before collecting; at 400 it
// grows to five times, so a server answering thousands of requests a
// second collects a quarter as often. Measured with influbot-load (128
// clients): about 10% less CPU per request (196-208 µs -> 176-186 µs),
// with the resident size under load going from ~110 MB to ~190 MB.
const serverGCPercent = 400

// serverHeapFloor is the heap a server lets grow to before it collects
// while what is live is small: the target is the larger of this and
// serverGCPercent's. A target proportional to the live heap alone made
// the process grow for as long as its bounded caches filled (the replay
// set holds a Slack request's key for up to 15 minutes, the interned
// replies up to 4 MB): a soak at 500 requests a second went from 132 MB
// resident at 30 s to 165 MB at 8 minutes, five bytes of heap for every
// byte those caches took. With the floor the heap is the same size from
// the first minute on, and a server collects no more often than before.
const serverHeapFloor = 128 << 20

// maxServerGCPercent bounds the GC percent the floor asks for when very
// little is live.
const maxServerGCPercent = 5000

// tuneGC sets the garbage collector's target for a server, leaving alone
// a GOGC the operator set (Go has applied it already), and keeps it at
// serverGCPercent or the heap floor, whichever is larger, until ctx ends.
// It warms the heap (warmHeap) on a goroutine of its own, while the
// server listens and loads its knowledge: the process was 600 ms later
// to listen when it waited for it. The ready function it returns says
// so until the heap is warm (see heapReady).
func tuneGC(ctx context.Context, e *env, log *slog.Logger) (ready func() error) {
	warmed := make(chan struct{})
	ready = func() error { return heapReady(warmed) }
	if strings.TrimSpace(e.getenv("GOGC")) != "" {
		close(warmed)
		return ready
	}
	was := debug.SetGCPercent(serverGCPercent)
	log.Debug("garbage collector target set for a server", "gogc", serverGCPercent, "heap_floor", serverHeapFloor, "was", was)
	t := newGCTuner(ctx, serverHeapFloor, serverGCPercent, maxServerGCPercent, serverGCPercent)
	t.arm()
	if limit := debug.SetMemoryLimit(-1); limit >= 2*serverHeapFloor {
		go func() {
			defer close(warmed)
			warmHeap(serverHeapFloor)
		}()
	} else {
		log.Debug("heap not warmed: GOMEMLIMIT is below twice the heap floor", "limit", limit)
		close(warmed)
	}
	return ready
}

// heapReady is nil once warmed is closed, and says that the heap is
// being warmed before.
func heapReady(warmed <-chan struct{}) error {
	select {
	case <-warmed:
		return nil
	default:
		return errors.New("starting: warming the heap")
	}
}

// warmHeap has the process touch n bytes of heap once and give them back
// to Go's heap, which keeps them (it returns to the system only what lies
// beyond its target, and the floor makes that target n): so the first n
// bytes a server allocates under load come from memory the system has
// already mapped, instead of each 4 KiB page faulting on first touch.
// Those faults were a fresh server's first seconds: at 3,000 requests a
// second the heap grows by about 120 MB a second until its first
// collection, and growing it (mapping, faulting, clearing) was 8% of the
// server's CPU in that time, on top of the caches still filling. With
// the heap warmed, the first second's p99 went from 146-148 ms to 55-64
// ms in alternating runs. The process is as big from the start as it
// becomes under load anyway (about 180-215 MB resident; warmed while the
// knowledge loads, both are in memory at once). With GOMEMLIMIT under
// twice the floor the heap is not warmed: it would fight the limit.
func warmHeap(n uint64) {
	b := make([]byte, n)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	runtime.KeepAlive(b)
	runtime.GC() // b is unreachable: its pages go back to the heap, free
}

func newGCTuner(ctx context.Context, floor uint64, lo, hi, current int) *gcTuner {
	return &gcTuner{floor: floor, lo: lo, hi: hi, done: ctx.Done(), last: current,
		sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}}
}

// gcTuner sets the GC percent after each collection from the heap it
// found live: what makes the next collection start at floor bytes, within
// [lo, hi] (see heapPercent).
type gcTuner struct {
	floor  uint64
	lo, hi int
	done   <-chan struct{}
	// mu is held while a call checks done and sets the percent, so that
	// once done is closed and mu taken once no call sets it again.
	mu     sync.Mutex
	last   int
	sample []metrics.Sample // live heap, stacks, globals
	// tuned counts the collections seen, for tests.
	tuned atomic.Int64
}

// arm has afterGC run once the next collection has found a fresh object
// unreachable, that is after every collection until done is closed.
func (t *gcTuner) arm() {
	runtime.AddCleanup(&gcSentinel{}, func(t *gcTuner) { t.afterGC() }, t)
}

// gcSentinel is an object made only to be collected; it is big enough
// not to share a block with other small objects (the tiny allocator's
// blocks are freed together, late).
type gcSentinel struct{ _ [32]byte }

// afterGC runs on a cleanup goroutine of the runtime. Cleanups may run
// concurrently, but a tuner arms one sentinel at a time, so its calls
// follow one another.
func (t *gcTuner) afterGC() {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case <-t.done:
		return
	default:
	}
	t.tuned.Add(1)
	metrics.Read(t.sample)
	if live, roots, ok := t.read(); ok {
		if p := heapPercent(live, roots, t.floor, t.lo, t.hi); p != t.last {
			debug.SetGCPercent(p)
			t.last = p
		}
	}
	t.arm()
}

// read returns the live heap and the roots (stacks and globals) the last
// collection found.
func (t *gcTuner) read() (live, roots uint64, ok bool) {
	for _, s := range t.sample {
		if s.Value.Kind() != metrics.KindUint64 {
			return 0, 0, false
		}
	}
	return t.sample[0].Value.Uint64(), t.sample[1].Value.Uint64() + t.sample[2].Value.Uint64(), true
}

// heapPercent is the GC percent that lets a heap with live bytes live
// grow to floor before the next collection, kept within [lo, hi]: Go's
// target is live + (live + roots) * percent / 100, roots being the
// stacks and globals it scans. Rounded down to a multiple of 50 so that
// small changes in what is live do not reset it after every collection.
func heapPercent(live, roots, floor uint64, lo, hi int) int {
	if live == 0 || live >= floor {
		return lo
	}
	p := (floor - live) * 100 / (live + roots) / 50 * 50
	if p > uint64(hi) {
		return hi
	}
	return max(int(p), lo)
}
