package slack

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
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
	t.Run("an event is acknowledged, not worked out, and logged as a warning", func(t *testing.T) {
		before := h.core.count()
		resp := h.sendEvent(t, eventCallback(teamA, "EvTL1", map[string]any{
			"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "hello", "ts": "1.000001",
		}))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("event got %d", resp.StatusCode)
		}
		h.settle(t)
		if n := h.core.count(); n != before {
			t.Errorf("the core got %d requests for a message nobody could read the answer to", n-before)
		}
		if logs := h.logs.String(); strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, "without a bot token") {
			t.Errorf("log:\n%s\nwant one warning and no error", logs)
		}
	})
	t.Run("a reply with a chart answers with its text and says by the response_url what the chart shows", func(t *testing.T) {
		h.core.mu.Lock()
		h.core.reply = func(bot.Request) bot.Reply {
			return bot.Reply{Title: "Your progress", Text: "Engagement 1.2% → 2.4% over 3 checks.", Ephemeral: true,
				File: &bot.File{Name: "progress.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\n\x00"), Alt: "a line rising from 1.2% to 2.4%"}}
		}
		h.core.mu.Unlock()
		defer func() { h.core.mu.Lock(); h.core.reply = nil; h.core.mu.Unlock() }()
		resp := h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U1", "C1", "/influbot", "history", "tl1"))
		m := decodeInline(t, resp)
		if !strings.Contains(m.Text, "Engagement 1.2%") || m.ResponseType != "ephemeral" {
			t.Errorf("inline answer %+v, want the reply's text, ephemeral", m)
		}
		p := h.slack.nextPost(t)
		if p.Via != "response_url" || !strings.Contains(p.Text, "progress.png") || !strings.Contains(p.Text, "rising from 1.2% to 2.4%") ||
			strings.Contains(p.Text, "try again") || p.ResponseType != "ephemeral" {
			t.Errorf("follow-up %+v, want what the chart shows, ephemeral, by the response_url, and no promise of a retry", p)
		}
		h.slack.noMorePosts(t)
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
