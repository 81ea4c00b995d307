package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

// realCore is the real core with the shipped knowledge and a SQLite file
// for history, checks and plans.
func realCore(t testing.TB) *bot.Bot {
	t.Helper()
	kb, err := knowledge.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	db := store.New(filepath.Join(t.TempDir(), "influbot.db"))
	if err := db.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b, err := bot.New(bot.Config{Knowledge: kb, Events: db, Unanswered: db, Checks: db, Plans: db, History: db, Context: db})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitAck waits for the interaction's response (any type) and returns it.
func (f *fakeDiscord) waitAck(t testing.TB, id string) fakeInteraction {
	t.Helper()
	f.wait(t, "the response to interaction "+id, func() bool {
		in := f.interactions[id]
		return in != nil && in.AckType != 0
	})
	return f.interactionState(id)
}

// modalSubmit dispatches a modal submission with these values.
func (f *fakeDiscord) modalSubmit(guild, channel string, user fakeUser, customID string, values map[string]string) string {
	var rows []any
	for k, v := range values {
		rows = append(rows, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": k, "value": v}}})
	}
	id, _ := f.interaction(5, guild, channel, user, 0, map[string]any{"custom_id": customID, "components": rows}, nil)
	return id
}

// autocomplete dispatches an autocomplete for option of command, typed so far.
func (f *fakeDiscord) autocomplete(guild, channel string, user fakeUser, command, option, typed string) string {
	id, _ := f.interaction(4, guild, channel, user, 0, map[string]any{"id": "cmd-" + command, "name": command, "type": 1,
		"options": []any{map[string]any{"name": option, "type": 3, "value": typed, "focused": true}}}, nil)
	return id
}

// modalInputs returns a modal's text inputs by custom_id.
func modalInputs(data map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	rows, _ := data["components"].([]any)
	for i := range rows {
		in, _ := jsonPath(rows, i, "components", 0).(map[string]any)
		out[str(in["custom_id"])] = in
	}
	return out
}

// buttonsOf returns a message's buttons as custom_id -> label.
func buttonsOf(msg map[string]any) map[string]string {
	out := map[string]string{}
	rows, _ := msg["components"].([]any)
	for _, r := range rows {
		btns, _ := r.(map[string]any)["components"].([]any)
		for _, b := range btns {
			bm := b.(map[string]any)
			out[str(bm["custom_id"])] = str(bm["label"])
		}
	}
	return out
}

// messageText is a message's content and embed text together.
func messageText(msg map[string]any) string {
	b, _ := json.Marshal(msg["embeds"])
	return str(msg["content"]) + string(b)
}

func TestCheckFormAsAModal(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	startAdapter(t, f, realCore(t))

	// /check with nothing to check opens the form.
	id, _ := f.slash(guildA, channelA, alice, 0, "check", nil)
	in := f.waitAck(t, id)
	if in.AckType != 9 || str(in.AckData["custom_id"]) != "form:check" || str(in.AckData["title"]) == "" {
		t.Fatalf("/check with no options: response type %d data %v, want a modal (9) for the check form", in.AckType, in.AckData)
	}
	inputs := modalInputs(in.AckData)
	for _, name := range []string{"platform", "followers", "likes", "comments", "posts_per_week"} {
		if inputs[name] == nil {
			t.Errorf("the modal has no %q input: %v", name, in.AckData["components"])
		}
	}
	if inputs["followers"]["required"] != true || inputs["likes"]["required"] != false {
		t.Errorf("followers must be required and likes optional: %v", inputs)
	}

	// An invalid value is answered privately with the error and a button
	// that reopens the form with the values kept.
	id = f.modalSubmit(guildA, channelA, alice, "form:check", map[string]string{"platform": "instagram", "followers": "lots", "likes": "150", "comments": "", "posts_per_week": ""})
	in = f.waitAck(t, id)
	if in.AckType != 4 || in.AckFlags&64 == 0 {
		t.Fatalf("invalid submission: response type %d flags %d, want a private message (4, ephemeral)", in.AckType, in.AckFlags)
	}
	if txt := messageText(in.AckData); !strings.Contains(strings.ToLower(txt), "follower") {
		t.Errorf("the error does not name the field: %s", txt)
	}
	var fix string
	for cid, label := range buttonsOf(in.AckData) {
		if label == "Fix my numbers" {
			fix = cid
		}
	}
	if !strings.HasPrefix(fix, "check:form|") {
		t.Fatalf("no 'Fix my numbers' button: %v", buttonsOf(in.AckData))
	}
	id, _ = f.press(guildA, channelA, alice, fix, true)
	in = f.waitAck(t, id)
	if in.AckType != 9 {
		t.Fatalf("pressing Fix my numbers: response type %d, want the modal again", in.AckType)
	}
	inputs = modalInputs(in.AckData)
	if str(inputs["followers"]["value"]) != "lots" || str(inputs["platform"]["value"]) != "instagram" || str(inputs["likes"]["value"]) != "150" {
		t.Errorf("the reopened form lost the values: %v", inputs)
	}

	// Valid values give the verdict, privately, with a Share button.
	id = f.modalSubmit(guildA, channelA, alice, "form:check", map[string]string{"platform": "instagram", "followers": "12k", "likes": "600", "comments": "40", "posts_per_week": "4 a week"})
	in = f.waitAck(t, id)
	if in.AckType != 4 || in.AckFlags&64 == 0 || !strings.Contains(strings.ToLower(messageText(in.AckData)), "instagram") {
		t.Fatalf("valid submission: type %d flags %d data %v, want the private verdict", in.AckType, in.AckFlags, in.AckData)
	}
	var shareID string
	for cid, label := range buttonsOf(in.AckData) {
		if label == shareLabel {
			shareID = cid
		}
	}
	if shareID == "" {
		t.Fatalf("the private verdict has no %q button: %v", shareLabel, buttonsOf(in.AckData))
	}

	// Share posts a public copy once, and takes the button off.
	verdict := in.AckData
	msg := map[string]any{"id": f.snowflake(), "channel_id": channelA, "flags": 64, "content": verdict["content"], "embeds": verdict["embeds"], "components": verdict["components"], "type": 0,
		"author": map[string]any{"id": fakeBotID, "username": "influbot", "bot": true}}
	id, _ = f.interaction(3, guildA, channelA, alice, 0, map[string]any{"custom_id": shareID, "component_type": 2}, msg)
	f.wait(t, "the public copy", func() bool { return len(f.interactions[id].Followups) == 1 })
	in = f.interactionState(id)
	if in.AckType != 7 {
		t.Errorf("share: response type %d, want 7 (update the private message)", in.AckType)
	}
	if _, still := buttonsOf(in.AckData)[shareID]; still {
		t.Errorf("the updated message still offers sharing: %v", buttonsOf(in.AckData))
	}
	if messageText(in.AckData) != messageText(verdict) {
		t.Errorf("the update changed the result: %s, was %s", messageText(in.AckData), messageText(verdict))
	}
	pub := in.Followups[0]
	if flags, _ := pub["flags"].(float64); int(flags)&64 != 0 {
		t.Errorf("the shared copy is ephemeral (flags %v)", pub["flags"])
	}
	if !strings.Contains(str(pub["content"]), "Shared by <@"+alice.ID+">") || !strings.Contains(strings.ToLower(messageText(pub)), "instagram") || len(buttonsOf(pub)) != 0 {
		t.Errorf("public copy = %v, want the verdict, who shared it, and no buttons", pub)
	}
	id, _ = f.interaction(3, guildA, channelA, alice, 0, map[string]any{"custom_id": shareID, "component_type": 2}, msg)
	if in := f.waitAck(t, id); in.AckType != 4 || str(in.AckData["content"]) != shareGone || len(in.Followups) != 0 {
		t.Errorf("a second share: type %d data %v follow-ups %d, want a private note and nothing posted", in.AckType, in.AckData, len(in.Followups))
	}
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	startAdapter(t, f, realCore(t))

	puts := f.requestsTo("PUT", "/applications/"+fakeAppID+"/commands")
	if len(puts) != 1 {
		t.Fatalf("registrations: %v", f.describe())
	}
	auto := map[string]bool{}
	for _, c := range puts[0].List {
		opts, _ := c.(map[string]any)["options"].([]any)
		for _, o := range opts {
			if jsonPath(o, "autocomplete") == true {
				auto[str(jsonPath(c, "name"))+"/"+str(jsonPath(o, "name"))] = true
			}
		}
	}
	for _, want := range []string{"ask/question", "done/task", "skip/task", "snooze/task", "commission/category", "remind/when"} {
		if !auto[want] {
			t.Errorf("%s is not registered with autocomplete (registered: %v)", want, auto)
		}
	}

	tests := []struct {
		name            string
		command, option string
		typed           string
		want            string // a choice's value
	}{
		{"FAQ titles as a question is typed, typos and all", "ask", "question", "reaply tips", "reapply-tips"},
		{"commission categories", "commission", "category", "jewel", "Jewelry"},
		{"time zones for a reminder", "remind", "when", "daily at 9:00 berl", "daily at 9:00 Europe/Berlin"},
		{"no tasks before a plan", "done", "task", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := f.autocomplete(guildA, channelA, alice, tt.command, tt.option, tt.typed)
			in := f.waitAck(t, id)
			if in.AckType != 8 {
				t.Fatalf("response type %d, want 8", in.AckType)
			}
			choices, ok := in.AckData["choices"].([]any)
			if !ok {
				t.Fatalf("no choices array: %v", in.AckData)
			}
			var values []string
			for _, c := range choices {
				values = append(values, str(jsonPath(c, "value")))
			}
			if tt.want == "" && len(values) != 0 || tt.want != "" && !slices.Contains(values, tt.want) {
				t.Errorf("choices %v, want %q", values, tt.want)
			}
		})
	}
}

func TestMessageCommands(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	startAdapter(t, f, realCore(t))

	target := func(content string) map[string]any {
		return map[string]any{"id": "cmd-msg", "name": "", "type": 3, "target_id": "700000000000000001",
			"resolved": map[string]any{"messages": map[string]any{"700000000000000001": map[string]any{
				"id": "700000000000000001", "channel_id": channelA, "content": content, "type": 0,
				"author": map[string]any{"id": bob.ID, "username": "bob"}}}}}
	}
	tests := []struct {
		name, command, content string
		private                bool
		want                   string // in the answer, lower case
	}{
		{"Check disclosure lints the message privately", "Check disclosure", "Love this lamp! amzn.to/3xYz", true, "disclos"},
		{"Ask influbot answers the message's question privately", "Ask influbot", "how long should I wait before reapplying?", true, "reappl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := target(tt.content)
			data["name"] = tt.command
			id, _ := f.interaction(2, guildA, channelA, alice, 0, data, nil)
			in := f.waitAck(t, id)
			if in.AckType != 4 {
				t.Fatalf("response type %d, want 4", in.AckType)
			}
			if got := in.AckFlags&64 != 0; got != tt.private {
				t.Errorf("private = %v, want %v", got, tt.private)
			}
			if txt := strings.ToLower(messageText(in.AckData)); !strings.Contains(txt, tt.want) {
				t.Errorf("answer %s, want it about %q", txt, tt.want)
			}
		})
	}
}

func TestUserInstallScope(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	startAdapter(t, f, core)

	puts := f.requestsTo("PUT", "/applications/"+fakeAppID+"/commands")
	for _, c := range puts[0].List {
		if got := jsonPath(c, "integration_types"); !reflectJSON(got, []any{0.0, 1.0}) {
			t.Errorf("%s integration_types = %v, want [0 1]", str(jsonPath(c, "name")), got)
		}
		if got := jsonPath(c, "contexts"); !reflectJSON(got, []any{0.0, 1.0, 2.0}) {
			t.Errorf("%s contexts = %v, want [0 1 2]", str(jsonPath(c, "name")), got)
		}
	}

	ask := map[string]any{"id": "cmd-ask", "name": "ask", "type": 1, "options": []any{map[string]any{"name": "question", "type": 3, "value": "hi"}}}
	tests := []struct {
		name       string
		guild      string
		extra      map[string]any
		wantTenant string
		wantDM     bool
	}{
		{"a server that installed the app is the tenant", guildA, map[string]any{"context": 0, "authorizing_integration_owners": map[string]any{"0": guildA}}, guildA, false},
		{"a server where only the user installed the app is the user's personal scope", guildB, map[string]any{"context": 0, "authorizing_integration_owners": map[string]any{"1": alice.ID}}, DMTenant, false},
		{"a group DM is the personal scope, not a DM with the bot", "", map[string]any{"context": 2, "authorizing_integration_owners": map[string]any{"1": alice.ID}}, DMTenant, false},
		{"a DM with the bot is the personal scope", "", map[string]any{"context": 1, "authorizing_integration_owners": map[string]any{"1": alice.ID}}, DMTenant, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.interactionWith(2, tt.guild, channelB, alice, 0, ask, nil, tt.extra)
			req := core.next(t)
			if req.User.Tenant != tt.wantTenant || req.User.ID != alice.ID || req.DM != tt.wantDM || req.Forms != bot.FormsNow {
				t.Errorf("request user %v dm %v forms %v, want tenant %q dm %v and forms now", req.User, req.DM, req.Forms, tt.wantTenant, tt.wantDM)
			}
		})
	}
}

// reflectJSON compares decoded JSON values.
func reflectJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestEndpointNativeInteractions(t *testing.T) {
	fx := newEndpointFixture(t)
	core := realCore(t)
	var err error
	fx.ep, err = NewEndpoint(EndpointConfig{PublicKey: hex.EncodeToString(fx.priv.Public().(ed25519.PublicKey)), ApplicationID: fakeAppID, Bot: core, HTTPClient: fx.f.client(), Now: func() time.Time { return fx.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fx.ep.Close() })

	tests := []struct {
		name string
		typ  int
		data map[string]any
		want []string
	}{
		{"an autocomplete is answered with choices", 4, map[string]any{"id": "1", "name": "ask", "type": 1, "options": []any{map[string]any{"name": "question", "type": 3, "value": "how many foll", "focused": true}}},
			[]string{`"type":8`, `"value":"follower-requirement"`}},
		{"/check with no options is answered with a modal", 2, map[string]any{"id": "2", "name": "check", "type": 1},
			[]string{`"type":9`, `"custom_id":"form:check"`, `"custom_id":"followers"`}},
		{"an invalid modal submission is answered privately with a button to fix it", 5, map[string]any{"custom_id": "form:check", "components": []any{
			map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": "platform", "value": "instagram"}}},
			map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": "followers", "value": "-5"}}},
		}}, []string{`"type":4`, `"flags":64`, "Fix my numbers", `check:form|`}},
		{"a modal the bot did not open is refused kindly", 5, map[string]any{"custom_id": "someone-else", "components": []any{}}, []string{`"type":4`, "That form has expired"}},
	}
	for n, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := fx.post(t, interactionJSON("130000000000000000"+string(rune('1'+n)), tt.typ, tt.data, nil), fx.now, fx.priv)
			if w.Code != 200 {
				t.Fatalf("status %d body %s", w.Code, w.Body)
			}
			var body map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			typ, _ := body["type"].(float64)
			if msg := validateCallback(tt.typ, int(typ), body); msg != "" {
				t.Errorf("Discord would refuse the response: %s (%s)", msg, w.Body)
			}
			for _, s := range tt.want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("response %s lacks %s", w.Body, s)
				}
			}
		})
	}
}

func TestAReplyThatReplacesUpdatesThePressedMessage(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	core.setReply(func(req bot.Request) bot.Reply {
		switch req.Action.Value {
		case "replace":
			return bot.Reply{Title: "Done", Text: "Nice work: streak 2.", Tone: bot.ToneSuccess, Replace: true}
		case "private":
			return bot.Reply{Text: "only you see this", Ephemeral: true, Replace: true}
		}
		return bot.Reply{Text: "a new message"}
	})
	startAdapter(t, f, core)
	tests := []struct {
		name     string
		value    string
		wantType int
	}{
		{"a reply that replaces updates the message (type 7)", "replace", 7},
		{"any other reply is a new message (type 4)", "new", 4},
		{"a private reply never replaces a public message", "private", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, _ := f.press("", dmChan, alice, "done:nudge|"+tt.value, false)
			in := f.waitAck(t, id)
			if in.AckType != tt.wantType {
				t.Fatalf("response type %d, want %d", in.AckType, tt.wantType)
			}
			if tt.wantType == 7 {
				if comps, ok := in.AckData["components"].([]any); !ok || len(comps) != 0 {
					t.Errorf("the update keeps the old buttons: components %v, want []", in.AckData["components"])
				}
				if !strings.Contains(messageText(in.AckData), "streak 2") {
					t.Errorf("update = %v", in.AckData)
				}
			}
		})
	}
}

func TestATypedCheckOffersTheFormByButton(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	startAdapter(t, f, realCore(t))
	f.message("", dmChan, alice, "check", false)
	posts := f.waitRequests(t, 1, "POST", "/channels/"+dmChan+"/messages")
	var open string
	for cid, label := range buttonsOf(posts[0].JSON) {
		if label == "Check my numbers" {
			open = cid
		}
	}
	if !strings.HasPrefix(open, "check:form|") {
		t.Fatalf("a typed check with nothing to check offers no form button: %v", posts[0].JSON)
	}
	id, _ := f.press("", dmChan, alice, open, false)
	if in := f.waitAck(t, id); in.AckType != 9 || str(in.AckData["custom_id"]) != "form:check" {
		t.Errorf("pressing Check my numbers: response type %d, want the modal (9)", in.AckType)
	}
}

// sharingCore is the fake core, with every private answer shareable.
type sharingCore struct{ *fakeCore }

func (sharingCore) Shareable(bot.Request, bot.Reply) bool { return true }

func TestSharingAChartPostsThePicture(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	core := newFakeCore()
	png := []byte("\x89PNG\r\n\x1a\nchart")
	core.setReply(func(bot.Request) bot.Reply {
		return bot.Reply{Title: "Your history", Text: "Followers up 20% since March.", Ephemeral: true,
			File: &bot.File{Name: "progress.png", ContentType: "image/png", Data: png, Alt: "followers rising"}}
	})
	startAdapter(t, f, sharingCore{core})

	id, _ := f.slash(guildA, channelA, alice, 0, "export", nil)
	in := f.waitAnswered(t, id)
	var shareID string
	for cid, label := range buttonsOf(in.Original) {
		if label == shareLabel {
			shareID = cid
		}
	}
	if shareID == "" {
		t.Fatalf("no share button on the private chart: %v", in.Original)
	}
	// Someone else cannot share it (they never saw it).
	msg := map[string]any{"id": f.snowflake(), "channel_id": channelA, "flags": 64, "content": "", "embeds": in.Original["embeds"], "components": in.Original["components"], "type": 0}
	id, _ = f.interaction(3, guildA, channelA, bob, 0, map[string]any{"custom_id": shareID, "component_type": 2}, msg)
	if got := f.waitAck(t, id); got.AckType != 4 || str(got.AckData["content"]) != shareGone {
		t.Errorf("bob's press: type %d data %v, want the private note", got.AckType, got.AckData)
	}
	id, _ = f.interaction(3, guildA, channelA, alice, 0, map[string]any{"custom_id": shareID, "component_type": 2}, msg)
	posts := f.waitRequests(t, 1, "POST", "/webhooks/"+fakeAppID+"/token-"+id)
	if len(posts[0].Files) != 1 || posts[0].Files[0].Name != "progress.png" || string(posts[0].Files[0].Data) != string(png) {
		t.Errorf("the public copy carried files %+v, want the chart", posts[0].Files)
	}
	if flags, _ := posts[0].JSON["flags"].(float64); int(flags)&64 != 0 {
		t.Errorf("the public copy is ephemeral")
	}
}

func TestEndpointSharesOnce(t *testing.T) {
	fx := newEndpointFixture(t)
	core := newFakeCore()
	core.setReply(func(bot.Request) bot.Reply {
		return bot.Reply{Title: "Likely eligible", Text: "Score 82.", Ephemeral: true}
	})
	var err error
	fx.ep, err = NewEndpoint(EndpointConfig{PublicKey: hex.EncodeToString(fx.priv.Public().(ed25519.PublicKey)), ApplicationID: fakeAppID, Bot: sharingCore{core}, HTTPClient: fx.f.client(), Now: func() time.Time { return fx.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fx.ep.Close() })
	w := fx.post(t, interactionJSON("1300000000000000011", 2, map[string]any{"id": "1", "name": "export", "type": 1}, nil), fx.now, fx.priv)
	var resp map[string]any
	json.Unmarshal(w.Body.Bytes(), &resp)
	data, _ := resp["data"].(map[string]any)
	var shareID string
	for cid, label := range buttonsOf(data) {
		if label == shareLabel {
			shareID = cid
		}
	}
	if resp["type"] != float64(4) || shareID == "" {
		t.Fatalf("response %s: want a private answer with a share button", w.Body)
	}
	press := func(id string) map[string]any {
		fx.f.mu.Lock()
		fx.f.interactions[id] = &fakeInteraction{Token: "token-" + id, Type: 3, AckType: 7}
		fx.f.mu.Unlock()
		msg := map[string]any{"id": "1300000000000000099", "channel_id": "300000000000000001", "flags": 64, "content": "", "embeds": data["embeds"], "components": data["components"], "type": 0}
		w := fx.post(t, interactionJSON(id, 3, map[string]any{"custom_id": shareID, "component_type": 2}, msg), fx.now, fx.priv)
		var out map[string]any
		json.Unmarshal(w.Body.Bytes(), &out)
		return out
	}
	first := press("1300000000000000012")
	if first["type"] != float64(7) {
		t.Fatalf("share over HTTP: %v, want the message updated (7)", first)
	}
	fx.f.waitRequests(t, 1, "POST", "/webhooks/"+fakeAppID+"/token-1300000000000000012")
	if second := press("1300000000000000013"); second["type"] != float64(4) || str(jsonPath(second, "data", "content")) != shareGone {
		t.Errorf("a second share over HTTP: %v, want the private note", second)
	}
}

// BenchmarkEndpointAutocomplete measures one signed autocomplete answered
// by the real core from memory: signature check, parsing, matching the
// FAQ's titles (and its search), the response.
func BenchmarkEndpointAutocomplete(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	now := time.Unix(1_800_000_000, 0)
	ep, err := NewEndpoint(EndpointConfig{PublicKey: hex.EncodeToString(pub), ApplicationID: fakeAppID, Bot: realCore(b), Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer ep.Close()
	for _, typed := range []string{"how many foll", "reaply tips after rejction"} {
		body := interactionJSON("1200000000000000001", 4, map[string]any{"id": "1", "name": "ask", "type": 1, "options": []any{map[string]any{"name": "question", "type": 3, "value": typed, "focused": true}}}, nil)
		stamp := strconv.FormatInt(now.Unix(), 10)
		sig := hex.EncodeToString(ed25519.Sign(priv, append([]byte(stamp), body...)))
		b.Run(strings.ReplaceAll(typed, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
				r.Header.Set("X-Signature-Timestamp", stamp)
				r.Header.Set("X-Signature-Ed25519", sig)
				w := httptest.NewRecorder()
				ep.ServeHTTP(w, r)
				if w.Code != 200 || !strings.Contains(w.Body.String(), `"type":8`) {
					b.Fatalf("status %d body %s", w.Code, w.Body)
				}
			}
		})
	}
}
