package fakeclock

import (
	"context"
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	start := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)
	t.Run("Add moves the reading on", func(t *testing.T) {
		c := New(start)
		c.Add(time.Hour)
		if got := c.Now(); !got.Equal(start.Add(time.Hour)) {
			t.Errorf("Now = %v", got)
		}
	})
	t.Run("Set never moves the clock back", func(t *testing.T) {
		c := New(start)
		c.Set(start.Add(-time.Minute))
		c.Set(start.Add(time.Minute))
		if got := c.Now(); !got.Equal(start.Add(time.Minute)) {
			t.Errorf("Now = %v", got)
		}
	})
	t.Run("Sleep advances instead of waiting and reports an ended context", func(t *testing.T) {
		c := New(start)
		ctx, cancel := context.WithCancel(context.Background())
		if err := c.Sleep(ctx, time.Hour); err != nil || !c.Now().Equal(start.Add(time.Hour)) {
			t.Errorf("Sleep = %v, Now = %v", err, c.Now())
		}
		cancel()
		if err := c.Sleep(ctx, time.Second); err == nil {
			t.Error("Sleep after cancel reported no error")
		}
	})
}
