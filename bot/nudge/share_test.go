package nudge

import (
	"math"
	"testing"
)

// windowOf is the most sends a limit allows in one second.
func windowOf(l RateLimit) int { return int(math.Ceil(l.PerSecond)) + max(l.Burst, 1) - 1 }

func TestShareLimitsNeverSumAboveTheLimit(t *testing.T) {
	for _, c := range []struct {
		name string
		l    RateLimit
		n    int
		want RateLimit
	}{
		{"one instance keeps the limit", RateLimit{40, 10}, 1, RateLimit{40, 10}},
		{"three instances share slack=150:1, 5% kept for delivery jitter", RateLimit{150, 1}, 3, RateLimit{47, 1}},
		{"three instances share discord=40:10", RateLimit{40, 10}, 3, RateLimit{13, 3}},
		{"a rate that does not divide is rounded down", RateLimit{20, 1}, 3, RateLimit{6, 1}},
		// More instances than the second allows sends: each still sends
		// (a second may then hold n sends; ShareLimits says so).
		{"more instances than sends a second keep the average", RateLimit{2, 1}, 5, RateLimit{0.4, 1}},
		{"no limit stays none", RateLimit{0, 1}, 4, RateLimit{0, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ShareLimits(map[string]RateLimit{"slack": c.l}, c.n)["slack"]
			if got != c.want {
				t.Errorf("share of %+v among %d: %+v, want %+v", c.l, c.n, got, c.want)
			}
			if c.l.PerSecond > 0 && c.n <= windowOf(c.l) && c.n*windowOf(got) > windowOf(c.l) {
				t.Errorf("%d instances may send %d in a second, the limit allows %d", c.n, c.n*windowOf(got), windowOf(c.l))
			}
		})
	}
}
