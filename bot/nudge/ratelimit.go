package nudge

import (
	"fmt"
	"maps"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/influbot/influbot/bot"
)

// DefaultLimits are the platforms' send rates: Discord allows 50 requests
// a second per bot, shared with everything else the bot does; Slack's
// chat.postMessage allows about one message a second per channel with
// short bursts, and each nudge is its own DM channel.
var DefaultLimits = map[string]RateLimit{
	bot.PlatformDiscord: {PerSecond: 40, Burst: 10},
	bot.PlatformSlack:   {PerSecond: 20, Burst: 10},
}

// RateLimit is a token bucket: PerSecond sends a second on average, up to
// Burst at once. PerSecond 0 means no limit.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// Bounds of a configured rate limit.
const (
	MaxRatePerSecond = 1000
	MaxBurst         = 1000
)

// ParseRateLimits reads per-platform send rates written
// "discord=40:10,slack=20": the sends a second (a decimal; 0 for no
// limit), then optionally ":" and the burst. Without a burst a platform
// keeps its default one, but never more than its rate (at least 1).
// Platforms not named keep their defaults. The result is a new map.
func ParseRateLimits(s string, defaults map[string]RateLimit) (map[string]RateLimit, error) {
	out := maps.Clone(defaults)
	if out == nil {
		out = map[string]RateLimit{}
	}
	if len(s) > 200 {
		return nil, fmt.Errorf("%d characters is too long for send rates; write them like discord=40:10,slack=20", len(s))
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, val, ok := strings.Cut(part, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if !ok || strings.TrimSpace(val) == "" {
			return nil, fmt.Errorf("%q: write a platform's send rate like discord=40 or discord=40:10 (rate:burst)", part)
		}
		switch name {
		case bot.PlatformDiscord, bot.PlatformSlack, bot.PlatformConsole:
		default:
			return nil, fmt.Errorf("%q is not a platform; use discord, slack or console", name)
		}
		rateText, burstText, hasBurst := strings.Cut(strings.TrimSpace(val), ":")
		rate, err := strconv.ParseFloat(strings.TrimSpace(rateText), 64)
		if err != nil || math.IsNaN(rate) || rate < 0 || rate > MaxRatePerSecond {
			return nil, fmt.Errorf("%s send rate %q: use a number of sends a second from 0 (no limit) to %d", name, rateText, MaxRatePerSecond)
		}
		l := RateLimit{PerSecond: rate, Burst: max(1, min(defaults[name].Burst, int(rate)))}
		if hasBurst {
			b, err := strconv.Atoi(strings.TrimSpace(burstText))
			if err != nil || b < 1 || b > MaxBurst {
				return nil, fmt.Errorf("%s burst %q: use a whole number from 1 to %d", name, burstText, MaxBurst)
			}
			l.Burst = b
		}
		out[name] = l
	}
	return out, nil
}

// tokenBucket is a platform's send rate: a token bucket (x/time/rate)
// that can also be paused (a 429's Retry-After), with the sliding window
// of window.go on top.
//
// The bucket sets the pace: sends are reserved exactly 1/rate apart (after
// a burst), so the average is the limit however late a waiting sender
// wakes up. Reservations are not sends, though: the window holds each send
// until no second can hold more sends than the bucket allows (admit).
type tokenBucket struct {
	mu          sync.Mutex
	limit       RateLimit
	lim         *rate.Limiter // nil: no limit
	last        time.Time     // the latest time the limiter was asked at
	pausedUntil time.Time

	window *slidingWindow // nil: no window
}

func newTokenBucket(l RateLimit, now time.Time) *tokenBucket {
	l.Burst = max(l.Burst, 1)
	b := &tokenBucket{limit: l, last: now}
	if l.PerSecond > 0 {
		b.lim = rate.NewLimiter(rate.Limit(l.PerSecond), l.Burst)
		b.window = newSlidingWindow(l)
	}
	return b
}

// at is now, or the latest time the limiter was asked at when the clock
// read before the lock is older: the limiter counts refills from the last
// call, and a call back in time would count a stretch twice.
func (b *tokenBucket) at(now time.Time) time.Time {
	if now.Before(b.last) {
		return b.last
	}
	b.last = now
	return now
}

// reserve takes a token, returning how long to wait before using it; or,
// while the platform is paused, returns the pause's length with reserved
// false (ask again after it). Reserving ahead keeps sends exactly 1/rate
// apart however late a waiting sender wakes up, so the rate is met, not
// undershot.
func (b *tokenBucket) reserve(now time.Time) (wait time.Duration, reserved bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Before(b.pausedUntil) {
		return b.pausedUntil.Sub(now), false
	}
	if b.lim == nil {
		return 0, true
	}
	now = b.at(now)
	return b.lim.ReserveN(now, 1).DelayFrom(now), true
}

// takeUpTo takes up to n tokens that are available now, without waiting,
// and returns how many it took.
func (b *tokenBucket) takeUpTo(now time.Time, n int) int {
	if n <= 0 {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Before(b.pausedUntil) {
		return 0
	}
	if b.lim == nil {
		return n
	}
	now = b.at(now)
	k := max(0, min(n, int(b.lim.TokensAt(now))))
	if k > 0 && !b.lim.AllowN(now, k) {
		return 0
	}
	return k
}

// paused returns when a pause in force at now ends, or the zero time.
func (b *tokenBucket) paused(now time.Time) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Before(b.pausedUntil) {
		return b.pausedUntil
	}
	return time.Time{}
}

// pause holds every send until until; the bucket then starts empty, so the
// platform is resumed gently, not with a burst.
func (b *tokenBucket) pause(until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !until.After(b.pausedUntil) {
		return
	}
	b.pausedUntil = until
	if b.lim != nil {
		b.lim = rate.NewLimiter(rate.Limit(b.limit.PerSecond), b.limit.Burst)
		b.lim.AllowN(until, b.limit.Burst)
		b.last = until
	}
}

// admit records a send starting now and returns 0, or returns how long to
// wait until the platform's one-second window has room for it.
func (b *tokenBucket) admit(clock func() time.Time) time.Duration {
	if b.window == nil {
		return 0
	}
	return b.window.admit(clock)
}
