package slack

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
	"github.com/influbot/influbot/store"
)

// storedCore is influbot's core on a SQLite file, for the tests where the
// form's content, App Home's data and their refresh are the point.
func storedCore(t *testing.T) *bottest.Bot { return storedCoreB(t) }

func storedCoreB(t testing.TB) *bottest.Bot {
	t.Helper()
	db := store.New(filepath.Join(t.TempDir(), "influbot.db"))
	if err := db.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return bottest.New(t, bot.Config{Checks: db, Plans: db, History: db, Events: db})
}

// slashCommand is a slash command's form as Slack posts it.
func slashWithTrigger(team, user, channel, text, trigger string) url.Values {
	return url.Values{"team_id": {team}, "user_id": {user}, "user_name": {"maya"}, "channel_id": {channel},
		"command": {"/influbot"}, "text": {text}, "trigger_id": {trigger}, "api_app_id": {"A0000APP"}}
}

// interaction is an interactivity payload as Slack posts it.
func interaction(payload map[string]any) url.Values {
	b, _ := json.Marshal(payload)
	return url.Values{"payload": {string(b)}}
}

// checkSubmission is a view_submission of the check form with values.
func checkSubmission(team, user string, values map[string]string) map[string]any {
	state := map[string]any{}
	var blocks []map[string]any
	for _, name := range []string{"platform", "followers", "likes", "comments", "posts_per_week"} {
		blocks = append(blocks, map[string]any{"type": "input", "block_id": name, "label": map[string]any{"type": "plain_text", "text": name},
			"element": map[string]any{"type": "plain_text_input", "action_id": formActionID}})
		v := values[name]
		if name == "platform" {
			opt := any(nil)
			if v != "" {
				opt = map[string]any{"text": map[string]any{"type": "plain_text", "text": v}, "value": v}
			}
			state[name] = map[string]any{formActionID: map[string]any{"type": "static_select", "selected_option": opt}}
			continue
		}
		state[name] = map[string]any{formActionID: map[string]any{"type": "plain_text_input", "value": v}}
	}
	return map[string]any{
		"type": "view_submission", "team": map[string]any{"id": team, "domain": "team"},
		"user":       map[string]any{"id": user, "username": "maya", "name": "maya", "team_id": team},
		"api_app_id": "A0000APP", "trigger_id": "12345.98765.abcd",
		"view": map[string]any{"id": "V0001", "team_id": team, "type": "modal", "callback_id": "form:check",
			"blocks": blocks, "state": map[string]any{"values": state}, "private_metadata": ""},
	}
}

func body(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func blocksOf(v map[string]any) []map[string]any {
	view, _ := v["view"].(map[string]any)
	raw, _ := view["blocks"].([]any)
	var out []map[string]any
	for _, b := range raw {
		if m, ok := b.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// viewText is every text of a view's blocks, joined.
func viewText(v map[string]any) string {
	b, _ := json.Marshal(v["view"])
	return string(b)
}

func TestCheckFormAsAModal(t *testing.T) {
	core := storedCore(t)
	h := newHarness(t, core.Bot)

	t.Run("/influbot check with nothing to check opens the modal and says nothing in the channel", func(t *testing.T) {
		resp := h.sendForm(t, CommandsPath, slashWithTrigger(teamA, "U1", "C1", "check", "trig-1"))
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if b := body(t, resp.Body); strings.TrimSpace(b) != "" {
			t.Errorf("acknowledged with a message as well as the modal: %s", b)
		}
		v := h.slack.nextView(t)
		if v.Method != "views.open" || v.Body["trigger_id"] != "trig-1" {
			t.Fatalf("%s with trigger %v", v.Method, v.Body["trigger_id"])
		}
		view := v.Body["view"].(map[string]any)
		if view["type"] != "modal" || view["callback_id"] != "form:check" {
			t.Fatalf("view %v", view)
		}
		kinds := map[string]string{}
		for _, b := range blocksOf(v.Body) {
			el := b["element"].(map[string]any)
			kinds[b["block_id"].(string)] = el["type"].(string)
			if el["action_id"] != formActionID {
				t.Errorf("action_id %v", el["action_id"])
			}
		}
		if kinds["platform"] != "static_select" || kinds["followers"] != "plain_text_input" {
			t.Errorf("blocks %v: want the platform as a select and the numbers as inputs", kinds)
		}
		h.slack.noMorePosts(t)
	})

	t.Run("an expired trigger falls back to the how-to in text", func(t *testing.T) {
		resp := h.sendForm(t, CommandsPath, slashWithTrigger(teamA, "U1", "C1", "check", "expired"))
		m := decodeInline(t, resp)
		if !strings.Contains(m.Text, "followers") {
			t.Errorf("answer %q", m.Text)
		}
		if n := h.slack.called("views.open"); n != 2 {
			t.Errorf("views.open called %d times, want 2 (the second refused)", n)
		}
	})

	t.Run("an invalid value is answered inside the form", func(t *testing.T) {
		resp := h.sendForm(t, InteractivePath, interaction(checkSubmission(teamA, "U1", map[string]string{"platform": "instagram", "followers": "lots"})))
		var got viewErrors
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if got.ResponseAction != "errors" || got.Errors["followers"] == "" || len(got.Errors) != 1 {
			t.Fatalf("answer %+v, want errors on followers", got)
		}
		h.settle(t)
		h.slack.noMorePosts(t)
	})

	t.Run("a valid form closes, the verdict arrives as a DM and App Home is refreshed", func(t *testing.T) {
		resp := h.sendForm(t, InteractivePath, interaction(checkSubmission(teamA, "U1", map[string]string{"platform": "instagram", "followers": "4200", "likes": "150", "comments": "12", "posts_per_week": "3"})))
		if b := body(t, resp.Body); resp.StatusCode != 200 || strings.TrimSpace(b) != "" {
			t.Fatalf("status %d body %q: want an empty 200 that closes the modal", resp.StatusCode, b)
		}
		p := h.slack.nextPost(t)
		if p.Via != "chat.postMessage" || p.Channel != "DU1" || !strings.Contains(strings.ToLower(p.Text), "instagram") {
			t.Errorf("result via %s to %s: %q", p.Via, p.Channel, p.Text)
		}
		v := h.slack.nextView(t)
		if v.Method != "views.publish" || v.Body["user_id"] != "U1" || !strings.Contains(viewText(v.Body), "Instagram") {
			t.Errorf("%s for %v: %s", v.Method, v.Body["user_id"], viewText(v.Body))
		}
	})

	t.Run("the global shortcut opens the same modal", func(t *testing.T) {
		h.sendForm(t, InteractivePath, interaction(map[string]any{"type": "shortcut", "callback_id": QuickCheckShortcut, "trigger_id": "trig-2",
			"team": map[string]any{"id": teamA}, "user": map[string]any{"id": "U1", "team_id": teamA}}))
		v := h.slack.nextView(t)
		if v.Method != "views.open" || v.Body["trigger_id"] != "trig-2" || v.Body["view"].(map[string]any)["callback_id"] != "form:check" {
			t.Fatalf("%s %v", v.Method, v.Body)
		}
	})

	t.Run("a global shortcut named otherwise (the docs' example payload) opens it too", func(t *testing.T) {
		h.sendForm(t, InteractivePath, interaction(map[string]any{"type": "shortcut", "token": "Xx", "action_ts": "1581106241.371594",
			"team": map[string]any{"id": teamA, "domain": "shortcuts-test"}, "user": map[string]any{"id": "U1", "username": "aman", "team_id": teamA},
			"callback_id": "shortcut_create_task", "trigger_id": "944799105734.773906753841.38b5894552bdd4a780554ee59d1f3638"}))
		if v := h.slack.nextView(t); v.Method != "views.open" || v.Body["view"].(map[string]any)["callback_id"] != "form:check" {
			t.Fatalf("%s %v", v.Method, v.Body)
		}
	})

	t.Run("a check typed in a DM offers a button that opens the form", func(t *testing.T) {
		h.sendEvent(t, eventCallback(teamA, "EvF1", directMessage("U1", "DU1", "check")))
		p := h.slack.nextPost(t)
		if !strings.Contains(mustJSON(t, p.Blocks), `"action_id":"check:form"`) {
			t.Fatalf("no form button: %s", mustJSON(t, p.Blocks))
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCheckDisclosureShortcut(t *testing.T) {
	core := storedCore(t)
	h := newHarness(t, core.Bot)
	h.sendForm(t, InteractivePath, interaction(map[string]any{
		"type": "message_action", "callback_id": CheckDisclosureShortcut, "trigger_id": "trig-3",
		"team": map[string]any{"id": teamA}, "user": map[string]any{"id": "U1", "team_id": teamA},
		"channel":      map[string]any{"id": "C1", "name": "general"},
		"message":      map[string]any{"type": "message", "user": "U2", "ts": "1700000000.000100", "text": "Obsessed with this lamp! amzn.to/3xYz"},
		"response_url": h.slack.responseURL("shortcut-1"),
	}))
	p := h.slack.nextPost(t)
	if p.Via != "response_url" || p.ResponseType != "ephemeral" {
		t.Errorf("answered via %s as %q, want privately", p.Via, p.ResponseType)
	}
	if !strings.Contains(strings.ToLower(p.Text), "disclos") {
		t.Errorf("not a lint of the message: %q", p.Text)
	}
}

func TestAppHome(t *testing.T) {
	core := storedCore(t)
	h := newHarness(t, core.Bot)
	maya := bot.UserRef{Platform: bot.PlatformSlack, Tenant: teamA, ID: "U1"}
	opened := func(t *testing.T, id string) viewCall {
		t.Helper()
		h.sendEvent(t, eventCallback(teamA, id, map[string]any{"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home", "event_ts": "1700000000.000100"}))
		v := h.slack.nextView(t)
		if v.Method != "views.publish" || v.Body["user_id"] != "U1" || v.Body["view"].(map[string]any)["type"] != "home" {
			t.Fatalf("%s %v", v.Method, v.Body)
		}
		return v
	}

	t.Run("a new user's Home has the buttons and says how to start", func(t *testing.T) {
		v := opened(t, "EvH1")
		text := viewText(v.Body)
		for _, want := range []string{"No checks yet", `"action_id":"check:form"`, `"action_id":"help:home"`} {
			if !strings.Contains(text, want) {
				t.Errorf("missing %q in %s", want, text)
			}
		}
	})

	t.Run("the Messages tab is not answered with a Home", func(t *testing.T) {
		h.sendEvent(t, eventCallback(teamA, "EvH2", map[string]any{"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "messages"}))
		h.settle(t)
		select {
		case v := <-h.slack.views:
			t.Fatalf("published %v", v.Body)
		default:
		}
	})

	core.As(maya).Say("check instagram 4200 followers 150 likes 12 comments 3 posts a week")
	core.As(maya).Say("plan")
	core.As(maya).Press(bot.Button{ActionID: "plan:accept", Value: "all"})
	core.As(maya).Say("remind daily at 18:00 Europe/Berlin")

	var doneValue string
	t.Run("Home shows the verdict, the trend, the tasks with buttons and the reminder", func(t *testing.T) {
		v := opened(t, "EvH3")
		text := viewText(v.Body)
		for _, want := range []string{"Instagram", "score", "Show my chart", "Your tasks", `"action_id":"done:home"`, `"action_id":"snooze:home"`, `"action_id":"skip:home"`, "not done yet", "Every day at 18:00"} {
			if !strings.Contains(text, want) {
				t.Errorf("missing %q in %s", want, text)
			}
		}
		for _, b := range blocksOf(v.Body) {
			if b["block_id"] == "task_1" {
				doneValue = b["elements"].([]any)[0].(map[string]any)["value"].(string)
			}
		}
		if doneValue == "" {
			t.Fatal("no Done button on the first task")
		}
	})

	t.Run("Done pressed on Home answers in the DM and publishes Home again without the task", func(t *testing.T) {
		h.sendForm(t, InteractivePath, interaction(map[string]any{
			"type": "block_actions", "trigger_id": "trig-4", "team": map[string]any{"id": teamA},
			"user": map[string]any{"id": "U1", "team_id": teamA}, "container": map[string]any{"type": "view", "view_id": "V0001"},
			"view":    map[string]any{"id": "V0001", "type": "home", "team_id": teamA},
			"actions": []map[string]any{{"type": "button", "action_id": "done:home", "block_id": "task_1", "value": doneValue, "action_ts": "1700000000.000200"}},
		}))
		p := h.slack.nextPost(t)
		if p.Channel != "DU1" {
			t.Errorf("answer in %s, want the DM", p.Channel)
		}
		v := h.slack.nextView(t)
		if text := viewText(v.Body); v.Method != "views.publish" || !strings.Contains(text, "Completed: 1 task") || strings.Contains(text, `"block_id":"task_1"`) {
			t.Errorf("after done: %s %s", v.Method, viewText(v.Body))
		}
	})

	homePress := func(actionID string) {
		h.sendForm(t, InteractivePath, interaction(map[string]any{
			"type": "block_actions", "trigger_id": "trig-5", "team": map[string]any{"id": teamA},
			"user": map[string]any{"id": "U1", "team_id": teamA}, "container": map[string]any{"type": "view", "view_id": "V0001"},
			"view":    map[string]any{"id": "V0001", "type": "home", "team_id": teamA},
			"actions": []map[string]any{{"type": "button", "action_id": actionID, "block_id": "home_actions", "value": "", "action_ts": "1700000000.000300"}},
		}))
	}
	t.Run("Show my chart posts the chart's PNG to the DM", func(t *testing.T) {
		homePress("history:home")
		select {
		case up := <-h.slack.uploads:
			if up.Channel != "DU1" || !strings.HasSuffix(up.Name, ".png") || !strings.HasPrefix(up.Content, "\x89PNG") || up.Alt == "" {
				t.Errorf("upload %q to %s, alt %q, starts %q", up.Name, up.Channel, up.Alt, up.Content[:min(8, len(up.Content))])
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no chart uploaded")
		}
		h.settle(t)
		for len(h.slack.posts) > 0 {
			<-h.slack.posts
		}
	})
	t.Run("Help answers in the DM", func(t *testing.T) {
		homePress("help:home")
		if p := h.slack.nextPost(t); p.Channel != "DU1" || !strings.Contains(p.Text, "check") {
			t.Errorf("help in %s: %q", p.Channel, p.Text)
		}
	})

	t.Run("another workspace's Home shows none of it", func(t *testing.T) {
		h.sendEvent(t, eventCallback(teamB, "EvH4", map[string]any{"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"}))
		v := h.slack.nextView(t)
		if text := viewText(v.Body); strings.Contains(text, "Instagram") || !strings.Contains(text, "No checks yet") {
			t.Errorf("team B sees team A's data: %s", text)
		}
	})
}

func TestFormsAndHomeOverSocketMode(t *testing.T) {
	fs := newFakeSlack(t)
	core := storedCore(t)
	a := &Adapter{BotToken: testBotToken, AppToken: testAppToken, Bot: core.Bot, APIURL: fs.apiURL()}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	s := socketSlack{t, fs.nextSocket(t)}
	s.hello()

	t.Run("a slash command's modal opens and the ack carries no message", func(t *testing.T) {
		s.envelope("env-f1", "slash_commands", map[string]any{"team_id": teamA, "channel_id": "C1", "user_id": "U1", "user_name": "maya",
			"command": "/influbot", "text": "check", "trigger_id": "trig-s1", "api_app_id": "A0000APP"})
		ack := s.expectAck("env-f1")
		if ack["payload"] != nil {
			t.Errorf("ack payload %v, want none: the modal is the answer", ack["payload"])
		}
		if v := fs.nextView(t); v.Method != "views.open" || v.Body["trigger_id"] != "trig-s1" {
			t.Errorf("%s %v", v.Method, v.Body["trigger_id"])
		}
	})

	t.Run("an invalid submission's errors are the ack's payload", func(t *testing.T) {
		s.envelope("env-f2", "interactive", checkSubmission(teamA, "U1", map[string]string{"platform": "tiktok", "followers": "-5"}))
		ack := s.expectAck("env-f2")
		payload, _ := ack["payload"].(map[string]any)
		errs, _ := payload["errors"].(map[string]any)
		if payload["response_action"] != "errors" || errs["followers"] == nil {
			t.Fatalf("ack %v", ack)
		}
	})

	t.Run("App Home is published when opened", func(t *testing.T) {
		s.envelope("env-f3", "events_api", eventCallback(teamA, "EvSH1", map[string]any{"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"}))
		s.expectAck("env-f3")
		if v := fs.nextView(t); v.Method != "views.publish" || v.Body["user_id"] != "U1" {
			t.Errorf("%s %v", v.Method, v.Body["user_id"])
		}
	})
}

func TestASlowFormAnswerClosesTheModalAndFollowsAsADM(t *testing.T) {
	core, slow := slowCore()
	h := newHarness(t, core, slow)
	resp := h.sendForm(t, InteractivePath, interaction(checkSubmission(teamA, "U1", map[string]string{"platform": "instagram", "followers": "4200"})))
	if b := body(t, resp.Body); resp.StatusCode != 200 || strings.TrimSpace(b) != "" {
		t.Fatalf("%d %q: want an empty 200 before the answer", resp.StatusCode, b)
	}
	req := core.nextRequest(t)
	if req.FormID != "check" || req.Command != "check" || req.Options["followers"] != "4200" || req.Options["platform"] != "instagram" {
		t.Errorf("request %+v", req)
	}
	if p := h.slack.nextPost(t); p.Channel != "DU1" {
		t.Errorf("the answer went to %s, want the DM", p.Channel)
	}
}
