package main

import (
	"context"
	"time"
)

// clock is the time source of a run, so tests can drive the scheduler.
type clock struct {
	now func() time.Time
	// sleepUntil waits until t or until ctx ends.
	sleepUntil func(ctx context.Context, t time.Time) error
}

func realClock() clock {
	return clock{
		now: time.Now,
		sleepUntil: func(ctx context.Context, t time.Time) error {
			d := time.Until(t)
			if d <= 0 {
				return ctx.Err()
			}
			tm := time.NewTimer(d)
			defer tm.Stop()
			select {
			case <-tm.C:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
	}
}

// intendedStart is when request i (from 0) of an open-loop run at rate
// requests a second is due. Computing each time from the start, rather
// than adding intervals, keeps rounding from drifting over a long run.
func intendedStart(start time.Time, rate float64, i int64) time.Time {
	return start.Add(time.Duration(float64(i) * float64(time.Second) / rate))
}

// openLoop calls fire with the intended start of every request due in
// [start, start+d) at rate requests a second, each at its time or, when
// the loop has fallen behind, at once. fire must not block: a request is
// timed from its intended start, so one that waits for a free sender is
// charged the wait (no coordinated omission). It returns how many it fired.
func openLoop(ctx context.Context, clk clock, start time.Time, rate float64, d time.Duration, fire func(intended time.Time)) int64 {
	end := start.Add(d)
	var i int64
	for ; ; i++ {
		t := intendedStart(start, rate, i)
		if !t.Before(end) {
			return i
		}
		if clk.now().Before(t) {
			if err := clk.sleepUntil(ctx, t); err != nil {
				return i
			}
		} else if ctx.Err() != nil {
			return i
		}
		fire(t)
	}
}
