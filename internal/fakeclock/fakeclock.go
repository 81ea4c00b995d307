// Package fakeclock is the one settable clock the tests share: the bot,
// the store, the nudge dispatcher and the adapters all take a
// func() time.Time, and a test hands them Clock.Now to live through weeks
// in milliseconds.
package fakeclock

import (
	"context"
	"sync"
	"time"
)

// Clock is a settable clock, safe for concurrent use. Its zero value reads
// the zero time.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// New returns a clock reading t.
func New(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's reading.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t; it never moves back, so goroutines that set
// the time they have reached cannot undo each other.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Sleep advances the clock by d instead of waiting, and reports whether
// ctx has ended.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.Add(d)
	return ctx.Err()
}
