package nudge

import (
	"testing"
	"time"
)

func TestTokenBucket(t *testing.T) {
	t0 := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	t.Run("waiting senders are reserved exactly one interval apart", func(t *testing.T) {
		b := newTokenBucket(RateLimit{PerSecond: 50, Burst: 1}, t0)
		for i, want := range []time.Duration{0, 20 * time.Millisecond, 40 * time.Millisecond} {
			wait, reserved := b.reserve(t0)
			if !reserved || wait != want {
				t.Errorf("sender %d: wait %s reserved %v, want %s", i+1, wait, reserved, want)
			}
		}
	})
	t.Run("a group takes what the bucket holds now and no more", func(t *testing.T) {
		b := newTokenBucket(RateLimit{PerSecond: 20, Burst: 10}, t0)
		if k := b.takeUpTo(t0, 63); k != 10 {
			t.Errorf("took %d of a full bucket of 10", k)
		}
		if k := b.takeUpTo(t0, 63); k != 0 {
			t.Errorf("took %d of an empty bucket", k)
		}
		if k := b.takeUpTo(t0.Add(100*time.Millisecond), 63); k != 2 {
			t.Errorf("took %d after 100ms at 20/s, want 2", k)
		}
	})
	t.Run("a clock read before an earlier call does not refill the bucket twice", func(t *testing.T) {
		b := newTokenBucket(RateLimit{PerSecond: 10, Burst: 1}, t0)
		b.takeUpTo(t0.Add(time.Second), 1)
		b.reserve(t0.Add(500 * time.Millisecond)) // a sender that read the clock early
		if k := b.takeUpTo(t0.Add(time.Second+50*time.Millisecond), 1); k != 0 {
			t.Errorf("took %d 50ms after two sends were taken at 10/s", k)
		}
	})
	t.Run("a pause holds every send until it ends, then starts with an empty bucket", func(t *testing.T) {
		b := newTokenBucket(RateLimit{PerSecond: 50, Burst: 10}, t0)
		until := t0.Add(30 * time.Second)
		b.pause(until)
		if wait, reserved := b.reserve(t0.Add(10 * time.Second)); reserved || wait != 20*time.Second {
			t.Errorf("during the pause: wait %s reserved %v, want 20s and not reserved", wait, reserved)
		}
		if got := b.paused(t0.Add(time.Second)); !got.Equal(until) {
			t.Errorf("paused until %s, want %s", got, until)
		}
		if k := b.takeUpTo(until, 10); k != 0 {
			t.Errorf("took %d as the pause ended, want a gentle start", k)
		}
		if wait, reserved := b.reserve(until); !reserved || wait != 20*time.Millisecond {
			t.Errorf("first send after the pause: wait %s reserved %v, want one interval", wait, reserved)
		}
		if got := b.paused(until); !got.IsZero() {
			t.Errorf("still paused at its end: %s", got)
		}
	})
	t.Run("a shorter pause does not cut a longer one", func(t *testing.T) {
		b := newTokenBucket(RateLimit{PerSecond: 50, Burst: 10}, t0)
		b.pause(t0.Add(time.Minute))
		b.pause(t0.Add(time.Second))
		if got := b.paused(t0.Add(2 * time.Second)); !got.Equal(t0.Add(time.Minute)) {
			t.Errorf("paused until %s", got)
		}
	})
	t.Run("no limit lets everything through at once", func(t *testing.T) {
		b := newTokenBucket(RateLimit{}, t0)
		if k := b.takeUpTo(t0, 64); k != 64 {
			t.Errorf("took %d", k)
		}
		if wait, reserved := b.reserve(t0); wait != 0 || !reserved {
			t.Errorf("wait %s reserved %v", wait, reserved)
		}
		if wait := b.admit(func() time.Time { return t0 }); wait != 0 {
			t.Errorf("admit waits %s", wait)
		}
	})
}
