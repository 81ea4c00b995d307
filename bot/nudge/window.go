package nudge

import (
	"math"
	"sync"
	"time"
)

// maxWindow caps the sends a slidingWindow remembers; a limit allowing
// more in one second than this is kept by the token bucket alone.
const maxWindow = 4096

// windowSlack is added to the window's second: the start recorded is read
// just before Notify is called, and the scheduler can delay that call by
// a few microseconds (rarely more), which must not let a send into the
// previous second of the notifier's clock.
const windowSlack = 500 * time.Microsecond

// slidingWindow is the guarantee on top of the token bucket. The bucket
// reserves sends exactly 1/rate apart, but reservations are not sends: a
// sender that woke late and the next one that woke on time start closer
// than 1/rate, and a second could hold one send more than the limit. So
// each send also passes this window, the start times of the last
// ceil(rate)+burst-1 sends (what the bucket allows in one second): a send
// starts only when the oldest of them is a full second (and windowSlack)
// old. No half-open second [t, t+1s) then holds more sends than the bucket
// allows. The price is the timers' lateness plus the slack, about a
// millisecond a second: 49.95 sends a second at a limit of 50.
type slidingWindow struct {
	mu     sync.Mutex
	starts []time.Time // ring of the latest send starts
	next   int         // the oldest entry of starts, overwritten next
	filled int         // how many entries of starts are set
}

// newSlidingWindow returns the window for a limit, or nil when the limit
// is off (rate 0) or allows more than maxWindow sends in a second.
func newSlidingWindow(l RateLimit) *slidingWindow {
	if l.PerSecond <= 0 {
		return nil
	}
	w := math.Ceil(l.PerSecond) + float64(max(l.Burst, 1)-1)
	if w > maxWindow {
		return nil
	}
	return &slidingWindow{starts: make([]time.Time, int(w))}
}

// admit records a send starting now and returns 0, or returns how long to
// wait until the window has room for it. It reads the clock under the
// lock, so the recorded starts are in order.
func (w *slidingWindow) admit(clock func() time.Time) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := clock()
	if w.filled == len(w.starts) {
		if free := w.starts[w.next].Add(time.Second + windowSlack); now.Before(free) {
			return free.Sub(now)
		}
	} else {
		w.filled++
	}
	w.starts[w.next] = now
	w.next = (w.next + 1) % len(w.starts)
	return 0
}
