package slack

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/influbot/influbot/bot"
)

// socketSlack drives one Socket Mode connection from Slack's side.
type socketSlack struct {
	t    *testing.T
	conn *websocket.Conn
}

func (s socketSlack) send(v any) {
	s.t.Helper()
	if err := s.conn.WriteJSON(v); err != nil {
		s.t.Fatalf("write to the socket: %v", err)
	}
}

func (s socketSlack) hello() {
	s.send(map[string]any{"type": "hello", "num_connections": 1,
		"debug_info":      map[string]any{"host": "applink-test", "build_number": 1, "approximate_connection_time": 18060},
		"connection_info": map[string]any{"app_id": "A0000APP"}})
}

func (s socketSlack) envelope(id, typ string, payload any) {
	s.send(map[string]any{"envelope_id": id, "type": typ, "payload": payload, "accepts_response_payload": typ != "events_api", "retry_attempt": 0, "retry_reason": ""})
}

// expectAck reads the acknowledgement of an envelope.
func (s socketSlack) expectAck(id string) map[string]any {
	s.t.Helper()
	s.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var ack map[string]any
	if err := s.conn.ReadJSON(&ack); err != nil {
		s.t.Fatalf("no ack for %s: %v", id, err)
	}
	if ack["envelope_id"] != id {
		s.t.Fatalf("ack %v, want envelope %s", ack, id)
	}
	return ack
}

func TestSocketMode(t *testing.T) {
	fs := newFakeSlack(t)
	core := newFakeCore()
	logs, logger := newLogBuffer()
	ready := make(chan struct{})
	a := &Adapter{BotToken: testBotToken, AppToken: testAppToken, Bot: core, APIURL: fs.apiURL(), Logger: logger,
		OnReady: func() { close(ready) }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("run did not return after its context ended")
		}
	}()

	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("adapter log:\n%s", logs)
		}
	})
	first := socketSlack{t, fs.nextSocket(t)}
	first.hello()
	select {
	case <-ready:
	default:
		t.Error("Run serves Socket Mode without having called OnReady")
	}
	event := eventCallback(teamA, "EvS1", directMessage("U1", "D1", "hello over the socket"))
	first.envelope("env-1", "events_api", event)
	first.expectAck("env-1")
	if req := core.nextRequest(t); req.Text != "hello over the socket" || req.User.Tenant != teamA || !req.DM {
		t.Errorf("request %+v", req)
	}
	if p := fs.nextPost(t); p.Via != "chat.postMessage" || p.Channel != "D1" {
		t.Errorf("reply via %s to %q", p.Via, p.Channel)
	}

	t.Run("a malformed message does not break the connection", func(t *testing.T) {
		if err := first.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"events_api","envelope_id":"bad","payload":{"type":"event_callback","event":7}}`)); err != nil {
			t.Fatal(err)
		}
		first.envelope("env-2", "events_api", eventCallback(teamA, "EvS2", directMessage("U1", "D1", "still here")))
		first.expectAck("env-2")
		core.nextRequest(t)
		fs.nextPost(t)
	})

	// Slack asks the app to reconnect; the client opens a new connection.
	first.send(map[string]any{"type": "disconnect", "reason": "refresh_requested", "debug_info": map[string]any{"host": "applink-test"}})
	second := socketSlack{t, fs.nextSocket(t)}
	second.hello()

	t.Run("a slash command is answered in its acknowledgement", func(t *testing.T) {
		second.envelope("env-3", "slash_commands", map[string]any{
			"token": "x", "team_id": teamA, "team_domain": "a", "channel_id": "C1", "channel_name": "general",
			"user_id": "U2", "user_name": "bo", "command": "/influbot", "text": "help",
			"api_app_id": "A0000APP", "is_enterprise_install": "false",
			"response_url": fs.responseURL("sock-cmd"), "trigger_id": "1.2.3"})
		ack := second.expectAck("env-3")
		if req := core.nextRequest(t); req.Text != "help" || req.User.ID != "U2" {
			t.Errorf("request %+v", req)
		}
		payload, _ := ack["payload"].(map[string]any)
		if payload["response_type"] != "in_channel" || payload["blocks"] == nil {
			t.Errorf("ack %v, want the answer as its payload", ack)
		}
	})

	t.Run("a button press is acked and arrives as an action", func(t *testing.T) {
		second.envelope("env-4", "interactive", map[string]any{
			"type": "block_actions", "team": map[string]any{"id": teamA}, "user": map[string]any{"id": "U2", "team_id": teamA},
			"channel": map[string]any{"id": "C1"}, "container": map[string]any{"type": "message", "channel_id": "C1"},
			"response_url": fs.responseURL("sock-act"),
			"actions":      []map[string]any{{"action_id": "plan:done#3", "block_id": "b1", "value": "t9", "type": "button", "action_ts": "1700000009.000000"}}})
		second.expectAck("env-4")
		req := core.nextRequest(t)
		if req.Action == nil || *req.Action != (bot.Action{ID: "plan:done", Value: "t9"}) {
			t.Errorf("action %+v", req.Action)
		}
		fs.nextPost(t)
	})

	// The connection drops without a word; the client reconnects again,
	// and Slack's redelivery of an event already answered is acked but not
	// answered twice.
	second.conn.Close()
	third := socketSlack{t, fs.nextSocket(t)}
	third.hello()
	retried := map[string]any{"envelope_id": "env-5", "type": "events_api", "payload": event, "retry_attempt": 1, "retry_reason": "timeout"}
	third.send(retried)
	third.expectAck("env-5")
	third.envelope("env-6", "events_api", eventCallback(teamA, "EvS3", directMessage("U1", "D1", "after the drop")))
	third.expectAck("env-6")
	if req := core.nextRequest(t); req.Text != "after the drop" {
		t.Errorf("got %q: the redelivered event was answered again", req.Text)
	}
	fs.nextPost(t)

	fs.mu.Lock()
	opened := fs.connOpen
	fs.mu.Unlock()
	if opened != 3 {
		t.Errorf("apps.connections.open called %d times, want 3", opened)
	}
	for _, secret := range []string{testAppToken, testBotToken} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("a token reached the log:\n%s", logs)
		}
	}
}

func TestSocketModeWithARevokedTokenFailsLoudly(t *testing.T) {
	fs := newFakeSlack(t)
	fs.fail("apps.connections.open", failure{Code: "invalid_auth"})
	a := &Adapter{BotToken: testBotToken, AppToken: testAppToken, Bot: newFakeCore(), APIURL: fs.apiURL()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Run(ctx); err == nil || ctx.Err() != nil {
		t.Errorf("run returned %v, want an immediate invalid_auth error", err)
	}
}
