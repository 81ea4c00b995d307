package nudge

import "math"

// ShareLimits returns each instance's part of the per-platform send rates
// when n instances send nudges for one database (PostgreSQL): the rate
// limits hold across instances because each keeps to its share, with no
// coordination between them. A limit allows at most W = ceil(rate) +
// burst - 1 sends in any one second (the sliding window, window.go); each
// instance gets a window of floor(0.95 W)/n sends (5% kept for posts that bunch on the way), so the n windows together
// never exceed W: a platform's combined rate stays within its limit in
// every second, whichever instances are up. An instance that is down
// leaves its share unused (the others do not speed up), and more than n
// instances running would exceed the limit: n must be the number of
// instances that may send at once. With n above W (more instances than
// sends a second), each still gets rate/n on average, but a second may
// hold n sends. n <= 1 returns the limits unchanged.
// shareHeadroom is the part of a shared limit no instance may use: room
// for delivery jitter between processes.
const shareHeadroom = 0.05

func ShareLimits(limits map[string]RateLimit, n int) map[string]RateLimit {
	out := make(map[string]RateLimit, len(limits))
	for p, l := range limits {
		if n <= 1 || l.PerSecond <= 0 {
			out[p] = l
			continue
		}
		w := int(math.Ceil(l.PerSecond)) + max(l.Burst, 1) - 1
		// Each window counts sends as they start; posts from separate
		// processes reach the platform after different delays and can
		// bunch, so the shares leave shareHeadroom of the window unused
		// (three instances at exactly 50 a second each were seen arriving
		// 153 in one second at a limit of 150).
		share := max(int(float64(w)*(1-shareHeadroom))/n, 1)
		burst := max(1, min(l.Burst/n, share))
		rate := min(l.PerSecond/float64(n), float64(share-burst+1))
		out[p] = RateLimit{PerSecond: rate, Burst: burst}
	}
	return out
}
