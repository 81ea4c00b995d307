package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Discord's global rate limit is 50 requests a second per bot, over every
// route except the interaction endpoints. The gate keeps well under it.
const (
	// maxRequestsPerSecond is how many requests the gate lets start in any
	// one-second window: room is left for network jitter between here and
	// Discord, which can bunch requests up on arrival (measured at the
	// fake: 45 admitted a second arrived as up to 47).
	maxRequestsPerSecond = 40
	// maxNudgeRequestsPerSecond is the share of those that nudges may
	// take, so that answers to people are not starved by a nudge run.
	maxNudgeRequestsPerSecond = 30
	// windowSlack widens the window a little for timer and network jitter.
	windowSlack = 20 * time.Millisecond
	// maxGlobalPause bounds a pause asked for by a global 429, in case of a
	// nonsensical retry_after.
	maxGlobalPause = 5 * time.Minute
	// defaultGlobalPause is used when a global 429 gives no retry_after.
	defaultGlobalPause = time.Second
)

// DefaultAPIURL is the base of Discord's REST API; the Adapter's APIURL
// replaces it.
const DefaultAPIURL = "https://discord.com/api"

// gate is the http.RoundTripper under every REST call of the session. It
//
//   - counts requests, not messages, against Discord's global limit: a
//     nudge to a user without a cached DM channel is two requests (open
//     the channel, post), and each waits its turn here, so the busiest
//     one-second window holds at most maxRequestsPerSecond whatever the
//     dispatcher's pace; nudges get at most maxNudgeRequestsPerSecond of
//     them, so answers to people still go out during a nudge run;
//   - holds every route after a global 429 until its retry_after has
//     passed. discordgo's rate limiter sets its global lock only when the
//     429 carries X-RateLimit-Reset-After, which Discord leaves out of a
//     global one, so without the gate other routes keep sending into the
//     limit, and repeated 429s lead to a temporary ban;
//   - sends the API to another base URL when one is set (a proxy, or a
//     fake Discord in tests).
//
// Interaction callbacks and webhooks (follow-ups, edits of the original
// response) are not bound by the global limit and must not wait: Discord
// fails an interaction not acknowledged within 3 seconds.
type gate struct {
	next http.RoundTripper
	base *url.URL // nil: discord.com
	now  func() time.Time

	mu          sync.Mutex
	all         window // every globally limited request
	nudges      window // those made for nudges
	pausedUntil time.Time
}

func newGate(next http.RoundTripper, base *url.URL, now func() time.Time) *gate {
	if next == nil {
		next = http.DefaultTransport
	}
	return &gate{next: next, base: base, now: now,
		all: newWindow(maxRequestsPerSecond), nudges: newWindow(maxNudgeRequestsPerSecond)}
}

// window remembers the latest request starts, to let at most its size
// start in any one second.
type window struct {
	starts []time.Time // a ring
	oldest int         // index of the oldest start
	filled int
}

func newWindow(size int) window { return window{starts: make([]time.Time, size)} }

// wait returns how long until the window has room at now; 0 if it has.
func (w *window) wait(now time.Time) time.Duration {
	if w.filled < len(w.starts) {
		return 0
	}
	if free := w.starts[w.oldest].Add(time.Second + windowSlack); now.Before(free) {
		return free.Sub(now)
	}
	return 0
}

// record notes a request starting at now; call it only after wait said 0.
func (w *window) record(now time.Time) {
	if w.filled < len(w.starts) {
		w.filled++
	}
	w.starts[w.oldest] = now
	w.oldest = (w.oldest + 1) % len(w.starts)
}

// nudgeRequest marks a context whose requests are made for a nudge.
type nudgeRequest struct{}

// forNudge returns ctx marked so that its requests count against the
// nudges' share of the gate.
func forNudge(ctx context.Context) context.Context {
	return context.WithValue(ctx, nudgeRequest{}, true)
}

// parseAPIURL checks an APIURL setting: an absolute http(s) URL.
func parseAPIURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, nil
	}
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("discord: API URL %q is not an http(s) URL like %s", s, DefaultAPIURL)
	}
	return u, nil
}

func (g *gate) RoundTrip(req *http.Request) (*http.Response, error) {
	if g.base != nil && req.URL.Host == "discord.com" && strings.HasPrefix(req.URL.Path, "/api/") {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host = g.base.Scheme, g.base.Host
		req.URL.Path = g.base.Path + strings.TrimPrefix(req.URL.Path, "/api")
		req.URL.RawPath = ""
		req.Host = ""
	}
	if globallyLimited(req.URL.Path) {
		if err := g.wait(req); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
	}
	resp, err := g.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	if pause, global := globalPause(resp); global {
		g.pause(pause)
	}
	return resp, nil
}

// globallyLimited reports whether a request counts against the global
// limit: every route but the interaction endpoints.
func globallyLimited(path string) bool {
	return !strings.Contains(path, "/interactions/") && !strings.Contains(path, "/webhooks/")
}

// wait blocks until the request may start: no global pause, and room in
// the one-second window.
func (g *gate) wait(req *http.Request) error {
	nudge := req.Context().Value(nudgeRequest{}) != nil
	for {
		d := g.admit(nudge)
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-req.Context().Done():
			t.Stop()
			return fmt.Errorf("waiting for Discord's rate limit: %w", req.Context().Err())
		}
	}
}

// admit records a request starting now and returns 0, or returns how long
// to wait before asking again.
func (g *gate) admit(nudge bool) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if now.Before(g.pausedUntil) {
		return g.pausedUntil.Sub(now)
	}
	d := g.all.wait(now)
	if nudge {
		d = max(d, g.nudges.wait(now))
	}
	if d > 0 {
		return d
	}
	g.all.record(now)
	if nudge {
		g.nudges.record(now)
	}
	return 0
}

// pause holds every globally limited route for d from now.
func (g *gate) pause(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until := g.now().Add(d); until.After(g.pausedUntil) {
		g.pausedUntil = until
	}
}

// globalPause reads a 429: whether it is global (the X-RateLimit-Global
// header, X-RateLimit-Scope: global, or "global": true in the body) and
// how long to wait (retry_after in the body, in seconds, else the
// Retry-After header). The body is read and put back for discordgo.
func globalPause(resp *http.Response) (time.Duration, bool) {
	var body struct {
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	if resp.Body != nil {
		raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(raw))
		if err == nil {
			_ = json.Unmarshal(raw, &body) // a body that is not JSON leaves the headers to decide
		}
	}
	global := body.Global || strings.EqualFold(resp.Header.Get("X-RateLimit-Global"), "true") ||
		strings.EqualFold(resp.Header.Get("X-RateLimit-Scope"), "global")
	if !global {
		return 0, false
	}
	secs := body.RetryAfter
	if secs <= 0 {
		secs, _ = strconv.ParseFloat(resp.Header.Get("Retry-After"), 64)
	}
	switch {
	case !(secs > 0): // also NaN
		return defaultGlobalPause, true
	case secs > maxGlobalPause.Seconds():
		return maxGlobalPause, true
	}
	return time.Duration(secs * float64(time.Second)), true
}
