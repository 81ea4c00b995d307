package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/influbot/influbot/store"
)

func openReplayStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "influbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestReplaysAreAnsweredOnceAcrossARestart(t *testing.T) {
	for _, tc := range []struct {
		name, path, contentType string
		body                    func(h *harness) []byte
	}{
		{"a replayed slash command (same signature and timestamp)", CommandsPath, formType, func(h *harness) []byte {
			return []byte(slashCommand(h, teamA, "U1", "C1", "/influbot", "help", "r1").Encode())
		}},
		{"an event Slack retries (same event id)", EventsPath, jsonType, func(*harness) []byte {
			b, _ := json.Marshal(eventCallback(teamA, "EvReplay1", directMessage("U1", "D1", "hi")))
			return b
		}},
	} {
		t.Run(tc.name+" is answered once though the process restarted", func(t *testing.T) {
			db := openReplayStore(t)
			first := newHarness(t, nil, func(a *Adapter) { a.Replays = db })
			body := tc.body(first)
			header := http.Header{"Content-Type": {tc.contentType}}
			first.sign.sign(header, body)
			first.send(t, tc.path, tc.contentType, body, header)
			first.core.nextRequest(t)
			first.settle(t)

			// A new adapter on the same database: the process restarted.
			second := newHarness(t, nil, func(a *Adapter) { a.Replays = db })
			for range 4 {
				resp := second.send(t, tc.path, tc.contentType, body, header)
				if b, _ := io.ReadAll(resp.Body); resp.StatusCode != http.StatusOK || len(b) != 0 {
					t.Errorf("replay got %d %q, want an empty 200", resp.StatusCode, b)
				}
			}
			second.settle(t)
			if n := second.core.count(); n != 0 {
				t.Errorf("the core answered the replay %d times, want 0", n)
			}
			second.slack.noMorePosts(t)
		})
	}
}

func TestSignedBodyOfTheWrongContentTypeIsRefused(t *testing.T) {
	for _, tc := range []struct{ name, path, contentType string }{
		{"a slash command sent as text/plain", CommandsPath, "text/plain"},
		{"a button press sent as JSON", InteractivePath, "application/json"},
		{"an event sent as a form", EventsPath, "application/x-www-form-urlencoded"},
		{"a slash command with no content type", CommandsPath, ""},
	} {
		t.Run(tc.name+" gets 415 and reaches no one", func(t *testing.T) {
			h := newHarness(t, nil)
			body := []byte(slashCommand(h, teamA, "U1", "C1", "/influbot", "help", "ct").Encode())
			if resp := h.send(t, tc.path, tc.contentType, body, nil); resp.StatusCode != http.StatusUnsupportedMediaType {
				t.Errorf("status %d, want 415", resp.StatusCode)
			}
			h.settle(t)
			if n := h.core.count(); n != 0 {
				t.Errorf("the core got %d requests", n)
			}
		})
	}
	t.Run("a form with a charset parameter is accepted", func(t *testing.T) {
		h := newHarness(t, nil)
		body := []byte(slashCommand(h, teamA, "U1", "C1", "/influbot", "help", "ct2").Encode())
		if resp := h.send(t, CommandsPath, formType+"; charset=utf-8", body, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("status %d, want 200", resp.StatusCode)
		}
	})
}

func TestRefusedRequestsAreLoggedAtMostOncePerInterval(t *testing.T) {
	h := newHarness(t, nil)
	clk := newClock()
	h.adapter.now = clk.Now
	bad := http.Header{"X-Slack-Signature": {"v0=00"}, "X-Slack-Request-Timestamp": {"1"}}
	for range 500 {
		h.send(t, EventsPath, jsonType, []byte(`{}`), bad)
	}
	clk.Add(rejectLogEvery)
	h.send(t, EventsPath, jsonType, []byte(`{}`), bad)
	logs := h.logs.String()
	if n := strings.Count(logs, "refused a request with a bad signature"); n != 2 {
		t.Fatalf("%d WARN lines for 501 refusals, want 2 (one per interval):\n%s", n, logs)
	}
	if !strings.Contains(logs, "also_refused_since_last_log=499") {
		t.Errorf("the second line does not count the 499 held back:\n%s", logs)
	}
}

func TestReadyzReportsTheStoresHealth(t *testing.T) {
	var problem atomic.Pointer[error]
	h := newHarness(t, nil, func(a *Adapter) {
		a.Ready = func() error {
			if p := problem.Load(); p != nil {
				return *p
			}
			return nil
		}
	})
	get := func() (int, string) {
		resp, err := http.Get(h.srv.URL + ReadyPath)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(); code != http.StatusOK {
		t.Errorf("ready: %d, want 200", code)
	}
	err := errors.New("database refuses writes: disk full")
	problem.Store(&err)
	if code, body := get(); code != http.StatusServiceUnavailable || !strings.Contains(body, "disk full") {
		t.Errorf("not ready: %d %q, want 503 with the reason", code, body)
	}
}

func TestAnEventIsAnsweredBeforeItIsAcknowledged(t *testing.T) {
	core := newFakeCore()
	core.delay = 200 * time.Millisecond // slower than the network, within AnswerWithin
	h := newHarness(t, core)
	resp := h.sendEvent(t, eventCallback(teamA, "EvAck1", directMessage("U1", "D1", "hi")))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// The 200 is out: the answer must already be at Slack, so a kill now
	// loses nothing.
	select {
	case p := <-h.slack.posts:
		if p.Channel != "D1" {
			t.Errorf("answer in %q", p.Channel)
		}
	default:
		t.Fatal("the event was acknowledged before its answer was posted")
	}
}

// untilLog records when each remembered key may be forgotten.
type untilLog struct {
	mu    sync.Mutex
	until map[string]time.Time
}

func (l *untilLog) Seen(ctx context.Context, key string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.until[key]
	return ok, nil
}

func (l *untilLog) Remember(ctx context.Context, key string, until time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.until == nil {
		l.until = map[string]time.Time{}
	}
	l.until[key] = until
	return nil
}

// TestSignedRequestsAreRememberedWhileTheirSignatureIsFresh: a slash
// command is remembered until its timestamp is too old to be accepted
// again (5 minutes after it, and a minute's margin), not for the full
// replay window; an event, keyed by its id, for the window.
func TestSignedRequestsAreRememberedWhileTheirSignatureIsFresh(t *testing.T) {
	log := &untilLog{}
	h := newHarness(t, nil, func(a *Adapter) { a.Replays = log })
	body := []byte(slashCommand(h, teamA, "U1", "C1", "/influbot", "help", "w1").Encode())
	header := http.Header{"Content-Type": {formType}}
	h.sign.sign(header, body)
	h.send(t, CommandsPath, formType, body, header)
	ev, _ := json.Marshal(eventCallback(teamA, "EvWindow1", directMessage("U1", "D1", "hi")))
	h.send(t, EventsPath, jsonType, ev, nil)
	h.core.nextRequest(t)
	h.core.nextRequest(t)
	h.settle(t)
	sec, err := strconv.ParseInt(header.Get("X-Slack-Request-Timestamp"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	want := map[string]time.Time{
		signatureKey("command", header.Get("X-Slack-Signature")): time.Unix(sec, 0).Add(6 * time.Minute),
		"slack:event:EvWindow1":                                  h.adapter.now().Add(replayWindow),
	}
	for key, w := range want {
		got, ok := log.until[key]
		if !ok {
			t.Errorf("%s was not remembered (remembered: %v)", key, log.until)
			continue
		}
		if d := got.Sub(w); d < -time.Second || d > time.Second {
			t.Errorf("%s remembered until %v, want %v", key, got, w)
		}
	}
}
