package main

import (
	"context"
	"testing"
	"time"
)

func TestIntendedStart(t *testing.T) {
	start := time.Unix(1000, 0)
	tests := []struct {
		name string
		rate float64
		i    int64
		want time.Duration
	}{
		{"the first request is due at the start", 500, 0, 0},
		{"at 500/s the second is due 2 ms in", 500, 1, 2 * time.Millisecond},
		{"at 3000/s the 3000th is due one second in", 3000, 3000, time.Second},
		{"at 3/s the second is due a third of a second in", 3, 1, 333333333 * time.Nanosecond},
		{"a million requests in, there is no drift", 3000, 1_000_000, 333333333333 * time.Nanosecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := intendedStart(start, tc.rate, tc.i).Sub(start); got != tc.want {
				t.Errorf("due %v after the start, want %v", got, tc.want)
			}
		})
	}
}

// fakeClock jumps to each time the scheduler sleeps until, and can be
// made to lag behind it.
type fakeClock struct {
	t   time.Time
	lag time.Duration // added after every sleep, as a slow machine would
}

func (c *fakeClock) clock() clock {
	return clock{
		now: func() time.Time { return c.t },
		sleepUntil: func(ctx context.Context, t time.Time) error {
			if t.After(c.t) {
				c.t = t
			}
			c.t = c.t.Add(c.lag)
			return ctx.Err()
		},
	}
}

func TestOpenLoopFiresAtIntendedTimes(t *testing.T) {
	start := time.Unix(1000, 0)
	tests := []struct {
		name string
		rate float64
		d    time.Duration
		lag  time.Duration
		want []time.Duration
	}{
		{"four a second for a second fire on the quarters", 4, time.Second, 0,
			[]time.Duration{0, 250 * time.Millisecond, 500 * time.Millisecond, 750 * time.Millisecond}},
		{"a scheduler that falls behind still reports the intended times", 4, time.Second, 400 * time.Millisecond,
			[]time.Duration{0, 250 * time.Millisecond, 500 * time.Millisecond, 750 * time.Millisecond}},
		{"a duration shorter than one interval fires once", 2, 100 * time.Millisecond, 0,
			[]time.Duration{0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &fakeClock{t: start, lag: tc.lag}
			var got []time.Duration
			n := openLoop(context.Background(), c.clock(), start, tc.rate, tc.d, func(intended time.Time) {
				got = append(got, intended.Sub(start))
			})
			if int(n) != len(tc.want) || len(got) != len(tc.want) {
				t.Fatalf("fired %d (%v), want %v", n, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("request %d due at %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestOpenLoopStopsWhenCancelled(t *testing.T) {
	start := time.Unix(1000, 0)
	c := &fakeClock{t: start}
	ctx, cancel := context.WithCancel(context.Background())
	fired := 0
	n := openLoop(ctx, c.clock(), start, 100, time.Second, func(time.Time) {
		fired++
		if fired == 10 {
			cancel()
		}
	})
	if n != 10 || fired != 10 {
		t.Errorf("fired %d (returned %d) of 100, want 10 once cancelled", fired, n)
	}
}
