package slack

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// Over HTTP without a bot token the adapter answers inline only: it
// starts without auth.test, never calls the Web API, and does not offer
// itself for nudges.
func TestWithoutABotTokenItAnswersInlineOnly(t *testing.T) {
	h := newHarness(t, nil, func(a *Adapter) { a.BotToken = "" })
	t.Run("it starts without calling Slack", func(t *testing.T) {
		if calls := apiCalls(h.slack); len(calls) != 0 {
			t.Errorf("Web API calls at start: %v", calls)
		}
		if h.adapter.CanSend() {
			t.Error("CanSend is true without a token")
		}
	})
	t.Run("a slash command is answered in the HTTP response", func(t *testing.T) {
		resp := h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U1", "C1", "/influbot", "check instagram 4k", "tl0"))
		m := decodeInline(t, resp)
		if !strings.Contains(m.Text, "check instagram 4k") {
			t.Errorf("answer %+v, want the core's reply", m)
		}
	})
	t.Run("an event is acknowledged but nothing is posted", func(t *testing.T) {
		resp := h.sendEvent(t, eventCallback(teamA, "EvTL1", map[string]any{
			"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "hello", "ts": "1.000001",
		}))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("event got %d", resp.StatusCode)
		}
		h.settle(t)
	})
	t.Run("no Web API method was called, users.info included", func(t *testing.T) {
		h.settle(t)
		if calls := apiCalls(h.slack); len(calls) != 0 {
			t.Errorf("Web API calls without a token: %v", calls)
		}
	})
	t.Run("Run does not call OnReady, so no nudges are routed to it", func(t *testing.T) {
		ready := false
		a := &Adapter{SigningSecret: testSecret, Bot: newFakeCore(), APIURL: h.slack.apiURL(), Mounted: true, OnReady: func() { ready = true }}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := a.Run(ctx); err != nil {
			t.Fatalf("Run: %v", err)
		}
		if ready {
			t.Error("OnReady was called without a token")
		}
	})
}

func apiCalls(f *fakeSlack) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}
