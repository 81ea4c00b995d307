package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// answerText is the part of an inline answer (or the busy message) the
// capacity tests read.
type answerText struct {
	ResponseType string `json:"response_type"`
	Text         string `json:"text"`
}

// pacedCore answers every request after delay, like a core doing real
// work; it counts what it answered.
type pacedCore struct {
	delay    time.Duration
	answered atomic.Int64
}

func (c *pacedCore) Handle(ctx context.Context, req bot.Request) bot.Reply {
	select {
	case <-time.After(c.delay):
	case <-ctx.Done():
	}
	c.answered.Add(1)
	return bot.Reply{Text: "answer to " + req.Text}
}

func (c *pacedCore) Invoked(bot.Request) (*bot.Command, bool) { return nil, false }
func (c *pacedCore) Private(bot.Request) bool                 { return false }

// TestBurstIsQueuedNotRefused sends bursts of concurrent slash commands,
// many times more than MaxInFlight, to a core that takes a few
// milliseconds a request: the ones beyond MaxInFlight wait their turn and
// every one is answered inline; none hears the busy message. The deadline
// is long, so that a machine busy with other work (and the race
// detector) cannot turn a slow burst into refusals; the other tests here
// hold the default deadline's behaviour.
func TestBurstIsQueuedNotRefused(t *testing.T) {
	for _, tc := range []struct {
		name        string
		maxInFlight int
		burst       int
		delay       time.Duration
	}{
		{"128 at 8 places", 8, 128, 2 * time.Millisecond},
		{"256 at the default places", 0, 256, 5 * time.Millisecond},
		{"200 at one place", 1, 200, 200 * time.Microsecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			core := &pacedCore{delay: tc.delay}
			var refusals atomic.Int32
			h := newHarness(t, core, func(a *Adapter) {
				a.MaxInFlight = tc.maxInFlight
				a.AnswerWithin = 20 * time.Second
				a.OnBusy = func() { refusals.Add(1) }
			})
			client := &http.Client{
				Timeout:   30 * time.Second,
				Transport: &http.Transport{MaxIdleConnsPerHost: tc.burst},
			}
			defer client.CloseIdleConnections()
			var (
				wg       sync.WaitGroup
				start    = make(chan struct{})
				inline   atomic.Int32
				busy     atomic.Int32
				failMu   sync.Mutex
				failures []string
			)
			for i := range tc.burst {
				wg.Add(1)
				go func() {
					defer wg.Done()
					form := slashCommand(h, teamA, fmt.Sprintf("U%03d", i), "C1", "/influbot", fmt.Sprintf("question %d", i), fmt.Sprintf("burst%d", i))
					body := []byte(form.Encode())
					req, err := http.NewRequest(http.MethodPost, h.srv.URL+CommandsPath, strings.NewReader(string(body)))
					if err != nil {
						panic(err)
					}
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					h.sign.sign(req.Header, body)
					<-start
					resp, err := client.Do(req)
					if err != nil {
						failMu.Lock()
						failures = append(failures, err.Error())
						failMu.Unlock()
						return
					}
					defer resp.Body.Close()
					data, _ := io.ReadAll(resp.Body)
					var m answerText
					switch {
					case resp.StatusCode != http.StatusOK || json.Unmarshal(data, &m) != nil:
						failMu.Lock()
						failures = append(failures, fmt.Sprintf("status %d: %q", resp.StatusCode, data))
						failMu.Unlock()
					case m.Text == busyText:
						busy.Add(1)
					case strings.Contains(m.Text, fmt.Sprintf("question %d", i)):
						inline.Add(1)
					}
				}()
			}
			close(start)
			wg.Wait()
			if len(failures) > 0 {
				t.Errorf("%d requests failed, e.g. %s", len(failures), failures[0])
			}
			if n := busy.Load(); n != 0 {
				t.Errorf("%d of %d got the busy message, want none", n, tc.burst)
			}
			if n := refusals.Load(); n != 0 {
				t.Errorf("OnBusy counted %d refusals, want 0", n)
			}
			if n := inline.Load(); int(n) != tc.burst {
				t.Errorf("%d of %d answered inline with their own answer", n, tc.burst)
			}
			if n := core.answered.Load(); int(n) != tc.burst {
				t.Errorf("the core answered %d, want %d", n, tc.burst)
			}
		})
	}
}

// TestWaitCountsAgainstTheDeadline: a request that waited for a place has
// only the rest of AnswerWithin for its answer; when that is not enough
// it is acknowledged in time and its answer follows by response_url.
func TestWaitCountsAgainstTheDeadline(t *testing.T) {
	core := &pacedCore{delay: 300 * time.Millisecond}
	h := newHarness(t, core, func(a *Adapter) {
		a.MaxInFlight = 1
		a.AnswerWithin = 450 * time.Millisecond
		a.QueueWait = 400 * time.Millisecond
	})
	first := make(chan *http.Response, 1)
	go func() {
		first <- h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U1", "C1", "/influbot", "one", "wait1"))
	}()
	// The first holds the only place for 300 ms; the second waits for it,
	// then needs 300 ms more: 600 ms, past its 450 ms.
	time.Sleep(50 * time.Millisecond)
	resp := h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U2", "C1", "/influbot", "two", "wait2"))
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || len(strings.TrimSpace(string(data))) != 0 {
		t.Errorf("second: status %d body %q, want an empty 200 (acknowledged before its answer)", resp.StatusCode, data)
	}
	if p := h.slack.nextPost(t); p.Via != "response_url" || !strings.Contains(p.Text, "two") {
		t.Errorf("second's answer came %+v, want it by response_url", p)
	}
	r1 := <-first
	var m answerText
	if err := json.NewDecoder(r1.Body).Decode(&m); err != nil || !strings.Contains(m.Text, "one") {
		t.Errorf("first: %+v (%v), want its answer inline", m, err)
	}
}

// TestBusyOnlyWhenNoPlaceComesFree: with the one place held past
// QueueWait, a second request is refused as busy, once, and counted.
func TestBusyOnlyWhenNoPlaceComesFree(t *testing.T) {
	for _, tc := range []struct {
		name      string
		queueWait time.Duration
		release   time.Duration // when the first answer is let go
		wantBusy  int32
	}{
		{"place frees in time", 2 * time.Second, 50 * time.Millisecond, 0},
		{"place held too long", 50 * time.Millisecond, time.Second, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			core := newFakeCore()
			core.release = make(chan struct{})
			var refusals atomic.Int32
			h := newHarness(t, core, func(a *Adapter) {
				a.MaxInFlight = 1
				a.QueueWait = tc.queueWait
				a.OnBusy = func() { refusals.Add(1) }
			})
			go h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U1", "C1", "/influbot", "one", "hold1"))
			core.nextRequest(t)
			timer := time.AfterFunc(tc.release, func() { close(core.release) })
			defer func() {
				if timer.Stop() {
					close(core.release)
				}
			}()
			resp := h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U2", "C1", "/influbot", "two", "hold2"))
			var m answerText
			if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got := m.Text == busyText; got != (tc.wantBusy > 0) {
				t.Errorf("answer %q; busy %v, want %v", m.Text, got, tc.wantBusy > 0)
			}
			if n := refusals.Load(); n != tc.wantBusy {
				t.Errorf("OnBusy counted %d, want %d", n, tc.wantBusy)
			}
		})
	}
}
