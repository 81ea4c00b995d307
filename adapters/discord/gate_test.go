package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
)

// busiestSecond returns the most requests that arrived at the fake within
// any one second, counting every route but the interaction endpoints.
func busiestSecond(reqs []fakeRequest) int {
	var at []time.Time
	for _, r := range reqs {
		if globallyLimited(r.Path) {
			at = append(at, r.At)
		}
	}
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	most, lo := 0, 0
	for hi := range at {
		for at[hi].Sub(at[lo]) >= time.Second {
			lo++
		}
		most = max(most, hi-lo+1)
	}
	return most
}

func TestNudgePacingCountsRequests(t *testing.T) {
	t.Parallel()
	// After a restart no DM channel is cached, so every nudge is two
	// requests: open the DM, post. The dispatcher paces nudges at its
	// default rate; the adapter must keep the requests under Discord's
	// global limit of 50 a second.
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	a, _ := startAdapter(t, f, newFakeCore())
	f.mu.Lock()
	startAt := len(f.requests)
	f.mu.Unlock()

	const nudges = 100
	limit := nudge.DefaultLimits[bot.PlatformDiscord]
	var wg sync.WaitGroup
	errs := make(chan error, nudges)
	begin := time.Now()
	var replyWait time.Duration
	for i := range nudges {
		if i == nudges/2 {
			// Someone writes to the bot in the middle of the run.
			wg.Add(1)
			go func() {
				defer wg.Done()
				sent := time.Now()
				f.message("", dmChan, alice, "are you there?", false)
				f.waitRequests(t, 1, "POST", "/channels/"+dmChan+"/messages")
				replyWait = time.Since(sent)
			}()
		}
		// The dispatcher's pace: a burst, then PerSecond sends a second.
		if i >= limit.Burst {
			time.Sleep(time.Until(begin.Add(time.Duration(float64(i-limit.Burst+1) / limit.PerSecond * float64(time.Second)))))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: guildA, ID: fmt.Sprintf("5%017d", i)}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			errs <- a.Notify(ctx, user, bot.Reply{Text: "Time for today's task."}, fmt.Sprintf("key%d", i))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("notify: %v", err)
		}
	}
	f.mu.Lock()
	reqs := append([]fakeRequest(nil), f.requests[startAt:]...)
	f.mu.Unlock()
	if len(reqs) != 2*nudges+1 {
		t.Errorf("%d requests for %d nudges and a reply, want %d (open the DM, post; the reply)", len(reqs), nudges, 2*nudges+1)
	}
	busiest := busiestSecond(reqs)
	t.Logf("%d nudges, %d requests in %v; busiest second: %d requests; a reply during the run took %v", nudges, len(reqs), time.Since(begin).Round(time.Millisecond), busiest, replyWait.Round(time.Millisecond))
	if replyWait > time.Second {
		t.Errorf("a reply during the nudge run took %v: nudges must leave room for answers", replyWait)
	}
	if busiest > 50 {
		t.Errorf("the busiest second held %d requests; Discord's global limit is 50", busiest)
	}
}

func TestGlobalRateLimitPausesEveryRoute(t *testing.T) {
	t.Parallel()
	// Discord sends a global 429 with X-RateLimit-Global and retry_after in
	// the body, without X-RateLimit-Reset-After. Every route must wait it
	// out, not only the one that got it.
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	a, _ := startAdapter(t, f, newFakeCore())
	const aliceDM = "600000000000000001"
	f.mu.Lock()
	f.dmChannels[alice.ID] = aliceDM
	f.mu.Unlock()
	const retryAfter = 500 * time.Millisecond
	f.fail(fault{Method: "POST", Path: "/channels/" + aliceDM + "/messages", Status: http.StatusTooManyRequests,
		Header: map[string]string{"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"},
		Body:   `{"message": "You are being rate limited.", "retry_after": 0.5, "global": true}`})

	ctx := context.Background()
	err := a.Notify(ctx, bot.UserRef{Platform: bot.PlatformDiscord, Tenant: guildA, ID: alice.ID}, bot.Reply{Text: "first"}, "keyalice")
	var rl *bot.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("notify alice: %v, want a rate-limited error", err)
	}
	if err := a.Notify(ctx, bot.UserRef{Platform: bot.PlatformDiscord, Tenant: guildA, ID: bob.ID}, bot.Reply{Text: "second"}, "keybob"); err != nil {
		t.Fatalf("notify bob: %v", err)
	}
	limited := f.requestsTo("POST", "/channels/"+aliceDM+"/messages")
	opened := f.requestsTo("POST", "/users/@me/channels")
	if len(limited) != 1 || len(opened) == 0 {
		t.Fatalf("requests:\n%s", f.describe())
	}
	waited := opened[len(opened)-1].At.Sub(limited[0].At)
	t.Logf("the next request, on another route, went out %v after the global 429", waited.Round(time.Millisecond))
	if waited < retryAfter-20*time.Millisecond {
		t.Errorf("another route sent %v after a global 429 with retry_after %v", waited, retryAfter)
	}

	t.Run("an interaction is still acknowledged at once during a global pause", func(t *testing.T) {
		f.fail(fault{Method: "POST", Path: "/channels/" + aliceDM + "/messages", Status: http.StatusTooManyRequests,
			Header: map[string]string{"X-RateLimit-Global": "true"}, Body: `{"message": "You are being rate limited.", "retry_after": 2, "global": true}`})
		a.Notify(ctx, bot.UserRef{Platform: bot.PlatformDiscord, Tenant: guildA, ID: alice.ID}, bot.Reply{Text: "third"}, "keyalice3")
		start := time.Now()
		id, _ := f.slash(guildA, channelA, alice, 0, "ask", map[string]any{"question": "why?"})
		f.wait(t, "the acknowledgement", func() bool { return f.interactions[id].AckType != 0 })
		if d := time.Since(start); d > time.Second {
			t.Errorf("the acknowledgement waited %v behind the global pause", d)
		}
	})
}

func TestGateReadsGlobal429s(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		body   string
		want   time.Duration
		global bool
	}{
		{"retry_after in the body, as Discord sends it", map[string]string{"X-RateLimit-Global": "true"}, `{"retry_after": 1.5, "global": true}`, 1500 * time.Millisecond, true},
		{"the scope header alone marks it global", map[string]string{"X-RateLimit-Scope": "global", "Retry-After": "2"}, `not json`, 2 * time.Second, true},
		{"a global 429 without a wait pauses a second", map[string]string{"X-RateLimit-Global": "true"}, `{}`, defaultGlobalPause, true},
		{"an absurd wait is capped", nil, `{"retry_after": 1e9, "global": true}`, maxGlobalPause, true},
		{"a route's own 429 is not global", map[string]string{"X-RateLimit-Scope": "user"}, `{"retry_after": 1, "global": false}`, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: 429, Header: http.Header{}, Body: http.NoBody}
			for k, v := range tc.header {
				resp.Header.Set(k, v)
			}
			resp.Body = readCloser(tc.body)
			d, global := globalPause(resp)
			if d != tc.want || global != tc.global {
				t.Errorf("pause %v global %v, want %v %v", d, global, tc.want, tc.global)
			}
			var sb strings.Builder
			buf := make([]byte, 64)
			for {
				n, err := resp.Body.Read(buf)
				sb.Write(buf[:n])
				if err != nil {
					break
				}
			}
			if sb.String() != tc.body {
				t.Errorf("body left for discordgo = %q, want %q", sb.String(), tc.body)
			}
		})
	}
}

func readCloser(s string) *stringBody { return &stringBody{Reader: strings.NewReader(s)} }

type stringBody struct{ *strings.Reader }

func (stringBody) Close() error { return nil }

func TestAPIURLPointsTheAdapterElsewhere(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	// No rewriting client: only APIURL leads the adapter to the fake.
	startAdapter(t, f, core, func(a *Adapter) {
		a.HTTPClient = nil
		a.APIURL = f.srv.URL + "/api/"
	})
	f.message("", dmChan, alice, "hello", false)
	msgs := f.waitRequests(t, 1, "POST", "/channels/"+dmChan+"/messages")
	if got := str(msgs[0].JSON["content"]); got != "you said: hello" {
		t.Errorf("reply = %q", got)
	}

	t.Run("a URL that is not http(s) is refused at start", func(t *testing.T) {
		for _, bad := range []string{"discord.com/api", "ftp://example.com/api", "http://"} {
			a := &Adapter{Token: fakeToken, Bot: core, APIURL: bad}
			if err := a.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "API URL") {
				t.Errorf("APIURL %q: err = %v, want a clear refusal", bad, err)
			}
		}
	})
}

func TestGateWindows(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	now := t0
	g := newGate(nil, nil, func() time.Time { return now })
	for i := range maxNudgeRequestsPerSecond {
		if d := g.admit(true); d != 0 {
			t.Fatalf("nudge request %d waits %v, want none within the nudges' share", i+1, d)
		}
	}
	t.Run("nudges beyond their share wait for the window to move", func(t *testing.T) {
		if d := g.admit(true); d != time.Second+windowSlack {
			t.Errorf("nudge request %d waits %v, want %v", maxNudgeRequestsPerSecond+1, d, time.Second+windowSlack)
		}
	})
	t.Run("answers to people still go out while nudges wait", func(t *testing.T) {
		for i := maxNudgeRequestsPerSecond; i < maxRequestsPerSecond; i++ {
			if d := g.admit(false); d != 0 {
				t.Fatalf("request %d waits %v", i+1, d)
			}
		}
	})
	t.Run("no request goes beyond the limit in one second", func(t *testing.T) {
		now = t0.Add(500 * time.Millisecond)
		if d := g.admit(false); d != 500*time.Millisecond+windowSlack {
			t.Errorf("request %d waits %v, want until the first is a second old", maxRequestsPerSecond+1, d)
		}
	})
	t.Run("a global pause holds every request", func(t *testing.T) {
		now = t0.Add(2 * time.Second)
		g.pause(3 * time.Second)
		if d := g.admit(false); d != 3*time.Second {
			t.Errorf("waits %v during a 3 s pause", d)
		}
		now = now.Add(3 * time.Second)
		if d := g.admit(false); d != 0 {
			t.Errorf("waits %v after the pause", d)
		}
	})
}
