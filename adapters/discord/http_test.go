package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// endpointFixture is an Endpoint with a real key pair, a fake core and a
// fake Discord REST API for deferred answers.
type endpointFixture struct {
	ep   *Endpoint
	core *fakeCore
	f    *fakeDiscord
	priv ed25519.PrivateKey
	now  time.Time
}

func newEndpointFixture(t *testing.T) *endpointFixture {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fx := &endpointFixture{core: newFakeCore(), f: newFakeDiscord(t), priv: priv, now: time.Unix(1_800_000_000, 0)}
	t.Cleanup(fx.f.close)
	fx.ep, err = NewEndpoint(EndpointConfig{
		PublicKey:     hex.EncodeToString(pub),
		ApplicationID: fakeAppID,
		Bot:           fx.core,
		HTTPClient:    fx.f.client(),
		Now:           func() time.Time { return fx.now },
		InlineTimeout: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fx.ep.Close() })
	return fx
}

// interactionJSON is an interaction from alice in a guild.
func interactionJSON(id string, typ int, data, msg map[string]any) []byte {
	in := map[string]any{
		"id": id, "application_id": fakeAppID, "type": typ, "token": "token-" + id, "version": 1,
		"channel_id": "300000000000000001", "guild_id": "400000000000000001",
		"member": map[string]any{"user": map[string]any{"id": "500000000000000001", "username": "alice"}, "roles": []any{}, "permissions": "0"},
	}
	if data != nil {
		in["data"] = data
	}
	if msg != nil {
		in["message"] = msg
	}
	b, _ := json.Marshal(in)
	return b
}

// post signs body with key at ts and posts it; sign false sends no signature.
func (fx *endpointFixture) post(t *testing.T, body []byte, ts time.Time, key ed25519.PrivateKey) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
	if key != nil {
		stamp := strconv.FormatInt(ts.Unix(), 10)
		r.Header.Set("X-Signature-Timestamp", stamp)
		r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(stamp), body...))))
	}
	w := httptest.NewRecorder()
	fx.ep.ServeHTTP(w, r)
	return w
}

func TestEndpointAnswersSignedInteractions(t *testing.T) {
	fx := newEndpointFixture(t)
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	fx.core.setReply(func(req bot.Request) bot.Reply {
		if req.Action != nil {
			return bot.Reply{Text: "pressed " + req.Action.ID + "=" + req.Action.Value}
		}
		if req.Command == "export" {
			return bot.Reply{Text: "your data"}
		}
		return bot.Reply{Text: "followers " + req.Options["followers"], Buttons: []bot.Button{{ActionID: "ask:topic", Label: "More", Value: "reapply"}}}
	})
	check := interactionJSON("1200000000000000001", 2, map[string]any{"id": "1", "name": "check", "type": 1, "options": []any{
		map[string]any{"name": "followers", "type": 4, "value": 1500},
		map[string]any{"name": "platform", "type": 3, "value": "instagram"},
	}}, nil)
	button := interactionJSON("1200000000000000002", 3, map[string]any{"custom_id": "ask:topic|reapply", "component_type": 2},
		map[string]any{"id": "1200000000000000009", "channel_id": "300000000000000001", "flags": 0, "content": "", "type": 0})
	export := interactionJSON("1200000000000000003", 2, map[string]any{"id": "2", "name": "export", "type": 1}, nil)
	// A modal submitted as Discord's documentation now shows it: each
	// field in a Label (type 18), which discordgo v0.29 does not know.
	labelled := interactionJSON("1200000000000000005", 5, map[string]any{"custom_id": modalPrefix + "check", "components": []any{
		map[string]any{"type": 18, "id": 1, "component": map[string]any{"type": 4, "id": 2, "custom_id": "followers", "value": "1500"}},
		map[string]any{"type": 18, "id": 3, "component": map[string]any{"type": 4, "id": 4, "custom_id": "platform", "value": "instagram"}},
		map[string]any{"type": 18, "id": 5, "component": map[string]any{"type": 99, "id": 6, "custom_id": "unknown"}},
		map[string]any{"type": 19, "id": 7, "custom_id": "upload", "values": []any{"1"}},
	}}, nil)
	// A button under a message that holds a component of a newer type.
	newerMessage := interactionJSON("1200000000000000006", 3, map[string]any{"custom_id": "ask:topic|reapply", "component_type": 2},
		map[string]any{"id": "1200000000000000009", "channel_id": "300000000000000001", "flags": 0, "content": "", "type": 0,
			"components": []any{map[string]any{"type": 21, "id": 1}, map[string]any{"type": 1, "components": []any{
				map[string]any{"type": 2, "style": 1, "label": "More", "custom_id": "ask:topic|reapply"}}}}})

	tests := []struct {
		name   string
		body   []byte
		at     time.Time
		key    ed25519.PrivateKey
		status int
		want   []string // substrings of the response body
	}{
		{"a PING is answered with a PONG", []byte(`{"id":"1","type":1,"application_id":"` + fakeAppID + `","token":"t","version":1}`), fx.now, fx.priv, 200, []string{`"type":1`}},
		{"a slash command is answered inline with the core's reply and its options", check, fx.now, fx.priv, 200, []string{`"type":4`, "followers 1500", `"custom_id":"ask:topic|reapply"`}},
		{"a button press reaches the core as its action", button, fx.now, fx.priv, 200, []string{`"type":4`, "pressed ask:topic=reapply"}},
		{"a private command is answered with the ephemeral flag", export, fx.now, fx.priv, 200, []string{`"type":4`, "your data", `"flags":64`}},
		{"a modal whose fields are in Labels reaches the core with their values", labelled, fx.now, fx.priv, 200, []string{`"type":4`, "followers 1500"}},
		{"a button under a message with a newer component type reaches the core", newerMessage, fx.now, fx.priv, 200, []string{`"type":4`, "pressed ask:topic=reapply"}},
		{"a body still unreadable once its unknown components are left out is a bad request", []byte(`{"id":"1","type":5,"token":"t","data":{"components":[{"type":18}]},"member":7}`), fx.now, fx.priv, 400, nil},
		{"a PING signed with another key is refused, as Discord checks when the URL is saved", []byte(`{"id":"1","type":1}`), fx.now, otherKey, 401, nil},
		{"a request signed with another key is refused", check, fx.now, otherKey, 401, nil},
		{"a request without a signature is refused", check, fx.now, nil, 401, nil},
		{"a request signed six minutes ago is refused", check, fx.now.Add(-6 * time.Minute), fx.priv, 401, nil},
		{"a signed body that is not JSON is a bad request", []byte(`{"type":2,`), fx.now, fx.priv, 400, nil},
		{"a command without its data is a bad request", []byte(`{"id":"1200000000000000004","type":2,"token":"t"}`), fx.now, fx.priv, 400, nil},
		{"a body over the cap is too large", bytes.Repeat([]byte("x"), MaxInteractionBody+1), fx.now, fx.priv, 413, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := fx.post(t, tt.body, tt.at, tt.key)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			for _, s := range tt.want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("body %s lacks %s", w.Body, s)
				}
			}
			if tt.status == 200 && w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("content type %q", w.Header().Get("Content-Type"))
			}
		})
	}
	if got := fx.f.requestsTo("POST", "/interactions/*"); len(got) != 0 {
		t.Errorf("inline answers called the REST API: %v", got)
	}
}

func TestEndpointDefersASlowAnswerAndFollowsUp(t *testing.T) {
	fx := newEndpointFixture(t)
	release := make(chan struct{})
	fx.core.setReply(func(req bot.Request) bot.Reply {
		<-release
		return bot.Reply{Text: "the slow answer"}
	})
	id := fx.f.snowflake()
	body := interactionJSON(id, 2, map[string]any{"id": "1", "name": "help", "type": 1}, nil)
	// Discord registers the interaction; the deferral is the HTTP response.
	fx.f.mu.Lock()
	fx.f.interactions[id] = &fakeInteraction{Token: "token-" + id}
	fx.f.mu.Unlock()

	w := fx.post(t, body, fx.now, fx.priv)
	var resp struct {
		Type int `json:"type"`
		Data struct {
			Flags int `json:"flags"`
		} `json:"data"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || w.Code != 200 {
		t.Fatalf("status %d body %s: %v", w.Code, w.Body, err)
	}
	if resp.Type != 5 || resp.Data.Flags != 64 {
		t.Fatalf("response type %d flags %d, want a private deferral (5, 64) for /help", resp.Type, resp.Data.Flags)
	}
	fx.f.mu.Lock()
	fx.f.interactions[id].AckType, fx.f.interactions[id].AckFlags = resp.Type, resp.Data.Flags
	fx.f.mu.Unlock()
	close(release)

	in := fx.f.waitAnswered(t, id)
	if got := str(in.Original["content"]) + str(jsonPath(in.Original, "embeds", 0, "description")); !strings.Contains(got, "the slow answer") {
		t.Errorf("placeholder replaced by %v, want the slow answer", in.Original)
	}
}

func TestEndpointCloseWaitsForDeferredAnswers(t *testing.T) {
	fx := newEndpointFixture(t)
	release := make(chan struct{})
	fx.core.setReply(func(bot.Request) bot.Reply { <-release; return bot.Reply{Text: "late"} })
	id := fx.f.snowflake()
	fx.f.mu.Lock()
	fx.f.interactions[id] = &fakeInteraction{Token: "token-" + id, AckType: 5}
	fx.f.mu.Unlock()
	if w := fx.post(t, interactionJSON(id, 2, map[string]any{"id": "1", "name": "ask", "type": 1, "options": []any{map[string]any{"name": "question", "type": 3, "value": "hi"}}}, nil), fx.now, fx.priv); w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	closed := make(chan struct{})
	go func() { fx.ep.Close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("Close returned before the deferred answer was sent")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-closed
	if in := fx.f.interactionState(id); in.Original == nil {
		t.Error("the deferred answer was not sent before Close returned")
	}
	if w := fx.post(t, []byte(`{"id":"1","type":1}`), fx.now, fx.priv); w.Code != 200 {
		t.Errorf("a PING after Close got %d; PINGs need no core", w.Code)
	}
}

func TestNewEndpointExplainsBadConfiguration(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	key := hex.EncodeToString(pub)
	tests := []struct {
		name string
		cfg  EndpointConfig
		want string
	}{
		{"a missing public key is named", EndpointConfig{ApplicationID: fakeAppID, Bot: newFakeCore()}, "DISCORD_PUBLIC_KEY is not set"},
		{"a key that is not hex is refused", EndpointConfig{PublicKey: "xyz", ApplicationID: fakeAppID, Bot: newFakeCore()}, "DISCORD_PUBLIC_KEY is not a public key"},
		{"a missing application id is named", EndpointConfig{PublicKey: key, Bot: newFakeCore()}, "DISCORD_APPLICATION_ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewEndpoint(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestEndpointDefersAFastAnswerWithAFile(t *testing.T) {
	fx := newEndpointFixture(t)
	fx.core.setReply(func(bot.Request) bot.Reply {
		return bot.Reply{Text: "here is your export", File: &bot.File{Name: "export.json", ContentType: "application/json", Data: []byte(`{}`)}}
	})
	id := fx.f.snowflake()
	fx.f.mu.Lock()
	fx.f.interactions[id] = &fakeInteraction{Token: "token-" + id, AckType: 5, AckFlags: 64}
	fx.f.mu.Unlock()
	w := fx.post(t, interactionJSON(id, 2, map[string]any{"id": "2", "name": "export", "type": 1}, nil), fx.now, fx.priv)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"type":5`) {
		t.Fatalf("status %d body %s: want a deferral, since a file cannot travel in the HTTP response", w.Code, w.Body)
	}
	fx.f.waitAnswered(t, id)
	edits := fx.f.waitRequests(t, 1, "PATCH", "/webhooks/"+fakeAppID+"/token-"+id+"/messages/@original")
	if len(edits[0].Files) != 1 || edits[0].Files[0].Name != "export.json" {
		t.Errorf("the answer's edit carried files %v, want export.json", edits[0].Files)
	}
}

// BenchmarkEndpointInlineCommand measures one signed slash command
// answered inline: signature check, parsing, the (fake) core, rendering.
func BenchmarkEndpointInlineCommand(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	now := time.Unix(1_800_000_000, 0)
	ep, err := NewEndpoint(EndpointConfig{PublicKey: hex.EncodeToString(pub), ApplicationID: fakeAppID, Bot: echoCore{newFakeCore()}, Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	defer ep.Close()
	body := interactionJSON("1200000000000000001", 2, map[string]any{"id": "1", "name": "ask", "type": 1, "options": []any{map[string]any{"name": "question", "type": 3, "value": "how do I qualify?"}}}, nil)
	stamp := strconv.FormatInt(now.Unix(), 10)
	sig := hex.EncodeToString(ed25519.Sign(priv, append([]byte(stamp), body...)))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
		r.Header.Set("X-Signature-Timestamp", stamp)
		r.Header.Set("X-Signature-Ed25519", sig)
		w := httptest.NewRecorder()
		ep.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// echoCore answers at once and remembers nothing, for benchmarks.
type echoCore struct{ *fakeCore }

func (echoCore) Handle(_ context.Context, req bot.Request) bot.Reply {
	return bot.Reply{Text: "you asked: " + req.Options["question"]}
}

func TestEndpointAcceptsOnlyPOST(t *testing.T) {
	fx := newEndpointFixture(t)
	w := httptest.NewRecorder()
	fx.ep.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/discord/interactions", nil))
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != http.MethodPost {
		t.Errorf("GET got %d, Allow %q; want 405 with Allow: POST", w.Code, w.Header().Get("Allow"))
	}
}
