package nudge

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestSlidingWindow(t *testing.T) {
	t0 := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	t.Run("a 50 a second limit with burst 1 lets 50 sends into a second and holds the 51st until the first is a second old", func(t *testing.T) {
		w := newSlidingWindow(RateLimit{PerSecond: 50, Burst: 1})
		for i := range 50 {
			at := t0.Add(time.Duration(i) * time.Millisecond)
			if wait := w.admit(func() time.Time { return at }); wait != 0 {
				t.Fatalf("send %d held %s", i+1, wait)
			}
		}
		now := t0.Add(500 * time.Millisecond)
		want := time.Second + windowSlack - 500*time.Millisecond
		if wait := w.admit(func() time.Time { return now }); wait != want {
			t.Fatalf("51st send held %s, want %s", wait, want)
		}
		if wait := w.admit(func() time.Time { return now.Add(want) }); wait != 0 {
			t.Fatalf("51st send held again %s after waiting", wait)
		}
	})
	t.Run("the window is the rate rounded up plus the burst less one", func(t *testing.T) {
		if n := len(newSlidingWindow(RateLimit{PerSecond: 2.5, Burst: 3}).starts); n != 5 {
			t.Errorf("window of 2.5/s burst 3 holds %d starts, want 5", n)
		}
	})
	t.Run("no limit, or one too fast to remember, has no window", func(t *testing.T) {
		if w := newSlidingWindow(RateLimit{PerSecond: 0, Burst: 1}); w != nil {
			t.Error("a window for no limit")
		}
		if w := newSlidingWindow(RateLimit{PerSecond: maxWindow, Burst: 10}); w != nil {
			t.Error("a window longer than maxWindow")
		}
	})
	t.Run("however late senders arrive, no second holds more sends than the limit allows", func(t *testing.T) {
		l := RateLimit{PerSecond: 20, Burst: 5}
		allowed := 24 // ceil(20) + 5 - 1
		w := newSlidingWindow(l)
		rng := rand.New(rand.NewPCG(8, 20))
		now := t0
		var starts []time.Time
		for len(starts) < 500 {
			now = now.Add(time.Duration(rng.Int64N(int64(30 * time.Millisecond))))
			if wait := w.admit(func() time.Time { return now }); wait > 0 {
				// A sender wakes after its wait, up to 15ms late.
				now = now.Add(wait + time.Duration(rng.Int64N(int64(15*time.Millisecond))))
				continue
			}
			starts = append(starts, now)
		}
		for i := allowed; i < len(starts); i++ {
			if d := starts[i].Sub(starts[i-allowed]); d < time.Second {
				t.Fatalf("sends %d to %d, %d of them, within %s", i-allowed, i, allowed+1, d)
			}
		}
	})
}
