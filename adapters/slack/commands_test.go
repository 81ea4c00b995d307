package slack

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
)

func realCore(t testing.TB) *bot.Bot {
	t.Helper()
	kb, err := knowledge.LoadDir("")
	if err != nil {
		t.Fatalf("load knowledge: %v", err)
	}
	b, err := bot.New(bot.Config{Knowledge: kb})
	if err != nil {
		t.Fatalf("new bot: %v", err)
	}
	return b
}

func slashCommand(h *harness, team, user, channel, command, text, responseID string) url.Values {
	return url.Values{
		"token":        {"deprecated"},
		"team_id":      {team},
		"team_domain":  {"team"},
		"channel_id":   {channel},
		"channel_name": {"general"},
		"user_id":      {user},
		"user_name":    {"ada"},
		"command":      {command},
		"text":         {text},
		"api_app_id":   {"A0000APP"},
		"response_url": {h.slack.responseURL(responseID)},
		"trigger_id":   {"13345224609.738474920.8088930838d88f008e0"},
	}
}

// slowCore is a fake core whose answers take longer than the adapter
// waits for them before acknowledging.
func slowCore() (*fakeCore, func(*Adapter)) {
	core := newFakeCore()
	core.delay = 300 * time.Millisecond
	return core, func(a *Adapter) { a.AnswerWithin = 50 * time.Millisecond }
}

// inlineAnswer decodes a slash command's answer given in the HTTP
// response.
func decodeInline(t *testing.T, resp *http.Response) inlineMessage {
	t.Helper()
	var m struct {
		ResponseType string           `json:"response_type"`
		Text         string           `json:"text"`
		Blocks       []map[string]any `json:"blocks"`
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, content type %q: want a JSON answer", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("decode the answer: %v", err)
	}
	if len(m.Blocks) == 0 {
		t.Fatalf("answer %+v has no blocks", m)
	}
	return inlineMessage{ResponseType: m.ResponseType, Text: m.Text}
}

func TestSlashCommandIsAnsweredInTheHTTPResponse(t *testing.T) {
	h := newHarness(t, nil)
	resp := h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U1", "C1", "/influbot", "check instagram 4k", "cmd0"))
	m := decodeInline(t, resp)
	if m.ResponseType != "in_channel" || !strings.Contains(m.Text, "check instagram 4k") {
		t.Errorf("answer %+v, want the core's reply in_channel", m)
	}
	h.settle(t)
	h.slack.noMorePosts(t) // the answer was the response: nothing goes to the response_url
}

func TestSlashCommandIsAckedBeforeASlowCoreAnswers(t *testing.T) {
	core := newFakeCore()
	core.release = make(chan struct{})
	h := newHarness(t, core, func(a *Adapter) { a.AnswerWithin = 100 * time.Millisecond })

	// The core holds its answer until released, so a 200 here proves the
	// ack does not wait for it beyond AnswerWithin (send fails after
	// Slack's 3 s deadline).
	resp := h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U1", "C1", "/influbot", "check instagram 4k", "cmd1"))
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || len(body) != 0 {
		t.Fatalf("ack %d %q, want an empty 200", resp.StatusCode, body)
	}
	req := core.nextRequest(t)
	close(core.release)

	if req.User != (bot.UserRef{Platform: bot.PlatformSlack, Tenant: teamA, ID: "U1"}) || req.Text != "check instagram 4k" || req.Channel != "C1" {
		t.Errorf("request %+v", req)
	}
	p := h.slack.nextPost(t)
	if p.Via != "response_url" || p.Path != "/response/cmd1" {
		t.Fatalf("reply went via %s %s, want the command's response_url", p.Via, p.Path)
	}
	if p.ResponseType != "in_channel" || len(p.Blocks) == 0 {
		t.Errorf("response_type %q with %d blocks, want in_channel Block Kit", p.ResponseType, len(p.Blocks))
	}
}

func TestSlashCommandReplyVisibility(t *testing.T) {
	for _, tc := range []struct {
		name      string
		text      string
		ephemeral bool
		want      string
	}{
		{"an ephemeral reply is posted ephemeral", "help", true, "ephemeral"},
		{"a public reply is posted in_channel", "help", false, "in_channel"},
		{"a private command's reply is ephemeral even when the reply is not", "plan", false, "ephemeral"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			core := newFakeCore()
			core.reply = func(bot.Request) bot.Reply { return bot.Reply{Text: "answer", Ephemeral: tc.ephemeral} }
			h := newHarness(t, core)
			resp := h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U1", "C1", "/influbot", tc.text, "cmd2"))
			if m := decodeInline(t, resp); m.ResponseType != tc.want {
				t.Errorf("response_type %q, want %q", m.ResponseType, tc.want)
			}
		})
	}
}

func TestSlashCommandNamedAfterACoreCommandRunsIt(t *testing.T) {
	h := newHarness(t, nil)
	resp := h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U1", "C1", "/check", "instagram 4k", "cmd3"))
	if req := h.core.nextRequest(t); req.Text != "check instagram 4k" {
		t.Errorf("text %q, want the command name in front", req.Text)
	}
	decodeInline(t, resp)
}

func TestSlashCommandFallsBackToTheWebAPIWhenTheResponseURLFails(t *testing.T) {
	core, slow := slowCore()
	h := newHarness(t, core, slow)
	form := slashCommand(h, teamA, "U1", "C1", "/influbot", "hi", "cmd4")
	form.Set("response_url", h.slack.srv.URL+"/response-expired/cmd4")
	h.sendForm(t, CommandsPath, form)
	if p := h.slack.nextPost(t); p.Via != "chat.postMessage" || p.Channel != "C1" {
		t.Errorf("got %s to %q, want chat.postMessage to C1", p.Via, p.Channel)
	}
}

func TestResponseURLStaysOutOfTheLog(t *testing.T) {
	// A response_url lets whoever holds it post in the channel for 30
	// minutes; a network error quotes it in full.
	const secret = "T0000AAAA/1234567890/c2VjcmV0LXBhcnQtb2YtdGhlLXVybA"
	core, slow := slowCore()
	h := newHarness(t, core, slow)
	form := slashCommand(h, teamA, "U1", "C1", "/influbot", "hi", "unused")
	form.Set("response_url", h.slack.srv.URL+"/response-drop/"+secret)
	h.sendForm(t, CommandsPath, form)
	if p := h.slack.nextPost(t); p.Via != "chat.postMessage" || p.Channel != "C1" {
		t.Errorf("got %s to %q, want chat.postMessage to C1 after the response_url failed", p.Via, p.Channel)
	}
	h.settle(t)
	if !strings.Contains(h.logs.String(), "response_url failed") {
		t.Fatalf("the failed response_url was not logged:\n%s", h.logs)
	}
	if strings.Contains(h.logs.String(), "c2VjcmV0LXBhcnQtb2YtdGhlLXVybA") {
		t.Errorf("the response_url is in the log:\n%s", h.logs)
	}
	if !strings.Contains(h.logs.String(), "/[response_url]") {
		t.Errorf("the log does not show where the response_url was cut:\n%s", h.logs)
	}
}

func TestResponseURLOutsideSlackIsNotUsed(t *testing.T) {
	core, slow := slowCore()
	h := newHarness(t, core, slow)
	form := slashCommand(h, teamA, "U1", "C1", "/influbot", "hi", "cmd5")
	form.Set("response_url", "http://attacker.example/collect")
	h.sendForm(t, CommandsPath, form)
	if p := h.slack.nextPost(t); p.Via != "chat.postMessage" {
		t.Errorf("got %s, want chat.postMessage instead of the foreign URL", p.Via)
	}
	if !strings.Contains(h.logs.String(), "response_url outside Slack") {
		t.Errorf("the refused URL was not logged:\n%s", h.logs)
	}
}

func TestBusySlashCommandGetsAFriendlyAnswer(t *testing.T) {
	core := newFakeCore()
	core.release = make(chan struct{})
	var refusals atomic.Int32
	h := newHarness(t, core, func(a *Adapter) {
		a.MaxInFlight = 1
		a.AnswerWithin = 50 * time.Millisecond
		a.OnBusy = func() { refusals.Add(1) }
	})
	h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U1", "C1", "/influbot", "one", "cmd6"))
	core.nextRequest(t)
	resp := h.sendForm(t, CommandsPath, slashCommand(h, teamA, "U2", "C1", "/influbot", "two", "cmd7"))
	var msg busyMessage
	if err := json.NewDecoder(resp.Body).Decode(&msg); err != nil || msg.ResponseType != "ephemeral" || msg.Text != busyText {
		t.Errorf("busy answer %+v (%v), want the ephemeral busy text", msg, err)
	}
	if n := refusals.Load(); n != 1 {
		t.Errorf("OnBusy called %d times, want once", n)
	}
	close(core.release)
	h.slack.nextPost(t)
}

func blockActions(h *harness, team, user, channel, actionID, value, responseID string) url.Values {
	payload := map[string]any{
		"type":         "block_actions",
		"team":         map[string]any{"id": team, "domain": "team"},
		"user":         map[string]any{"id": user, "username": "ada", "name": "ada", "team_id": team},
		"api_app_id":   "A0000APP",
		"token":        "deprecated",
		"container":    map[string]any{"type": "message", "message_ts": "1700000000.000100", "channel_id": channel, "is_ephemeral": false},
		"trigger_id":   "123.456.abc",
		"channel":      map[string]any{"id": channel, "name": "general"},
		"response_url": h.slack.responseURL(responseID),
		"actions": []map[string]any{{
			"action_id": actionID, "block_id": "b1", "text": map[string]any{"type": "plain_text", "text": "Label"},
			"value": value, "type": "button", "action_ts": "1700000005.000300",
		}},
	}
	b, _ := json.Marshal(payload)
	return url.Values{"payload": {string(b)}}
}

func TestButtonPressArrivesAsAnAction(t *testing.T) {
	h := newHarness(t, nil)
	resp := h.sendForm(t, InteractivePath, blockActions(h, teamA, "U1", "C1", "ask:topic#2", "reapply-wait", "act1"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	req := h.core.nextRequest(t)
	if req.Action == nil || req.Action.ID != "ask:topic" || req.Action.Value != "reapply-wait" {
		t.Fatalf("action %+v, want ask:topic reapply-wait", req.Action)
	}
	if req.User != (bot.UserRef{Platform: bot.PlatformSlack, Tenant: teamA, ID: "U1"}) || req.Time.Unix() != 1700000005 {
		t.Errorf("request %+v", req)
	}
	if p := h.slack.nextPost(t); p.Via != "response_url" || p.Path != "/response/act1" {
		t.Errorf("reply via %s %s, want the response_url", p.Via, p.Path)
	}
}

func TestPressingAPrivateCommandsButtonIsAnsweredPrivately(t *testing.T) {
	h := newHarness(t, nil)
	h.sendForm(t, InteractivePath, blockActions(h, teamA, "U1", "C1", "plan:accept", "1", "act-private"))
	if p := h.slack.nextPost(t); p.ResponseType != "ephemeral" {
		t.Errorf("a plan button's answer was posted %q in a channel, want ephemeral", p.ResponseType)
	}
}

func TestBadlySignedButtonPressIsRefused(t *testing.T) {
	h := newHarness(t, nil)
	body := []byte(blockActions(h, teamA, "U1", "C1", "ask:topic", "x", "act2").Encode())
	header := http.Header{}
	signer{secret: "wrong", now: h.sign.now}.sign(header, body)
	if resp := h.send(t, InteractivePath, "application/x-www-form-urlencoded", body, header); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", resp.StatusCode)
	}
	h.settle(t)
	if h.core.count() != 0 {
		t.Error("a badly signed press reached the core")
	}
}

func TestRealCoreButtonsRoundTrip(t *testing.T) {
	core := realCore(t)
	var entry knowledge.Entry
	for _, e := range core.Knowledge().FAQ {
		if len(e.Related) >= 2 {
			entry = e
			break
		}
	}
	if entry.ID == "" {
		t.Fatal("the shipped knowledge has no entry with two related entries")
	}
	h := newHarness(t, core)
	// A bare entry id opens the entry, with its related entries as buttons.
	h.sendEvent(t, eventCallback(teamA, "Ev090", directMessage("U1", "D1", entry.ID)))
	p := h.slack.nextPost(t)
	if got := blockText(p.Blocks[0]); got != clip(entry.Title, maxHeader) {
		t.Fatalf("header %q, want %q", got, entry.Title)
	}

	var ids, values []string
	for _, b := range p.Blocks {
		if b["type"] != "actions" {
			continue
		}
		for _, e := range b["elements"].([]any) {
			el := e.(map[string]any)
			ids = append(ids, el["action_id"].(string))
			values = append(values, el["value"].(string))
		}
	}
	if len(ids) < 2 || ids[0] != "ask:topic" || ids[1] != "ask:topic#2" {
		t.Fatalf("action ids %q, want ask:topic, ask:topic#2, ...", ids)
	}
	// Pressing the second button opens the second related entry.
	h.sendForm(t, InteractivePath, blockActions(h, teamA, "U1", "D1", ids[1], values[1], "act3"))
	rel, ok := core.Knowledge().Entry(values[1])
	if !ok {
		t.Fatalf("button value %q is not an entry", values[1])
	}
	next := h.slack.nextPost(t)
	if next.Via != "response_url" || len(next.Blocks) == 0 || blockText(next.Blocks[0]) != clip(rel.Title, maxHeader) {
		t.Fatalf("pressing %s gave %+v, want the entry %q", ids[1], next, rel.Title)
	}
}
