package faulttest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	team          = "T0FAULT01"
	botUser       = "UBOTFAULT"
	signingSecret = "fault-suite-signing-secret"
	botToken      = "xoxb-fault-suite"
)

// message is one message the fake Slack was asked to show.
type message struct {
	Via     string // chat.postMessage, chat.postEphemeral or response_url
	Channel string
	Text    string // the fallback text and the blocks' text
	Key     string // a nudge's key from the metadata
	TS      string
	At      time.Time // when the fake received it
}

// fakeSlack speaks enough of Slack's Web API for influbot: auth.test,
// users.info, conversations.open and .history, chat.postMessage and
// .postEphemeral, and response_url posts. It records every message.
type fakeSlack struct {
	srv *httptest.Server
	mu  sync.Mutex
	msg []message
	seq int
	// postDelay is Slack's latency for a post, in nanoseconds: the message
	// is shown at once, the answer comes after the delay (or never, if the
	// caller dies meanwhile). Atomic: tests change it while the fake
	// serves.
	postDelay atomic.Int64
	histories int // conversations.history calls
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", f.api)
	mux.HandleFunc("/response/", f.response)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

func (f *fakeSlack) responseURL(id string) string { return f.srv.URL + "/response/" + id }

// postsPerKey counts the nudge posts for each key.
func (f *fakeSlack) postsPerKey() map[string]int {
	n := map[string]int{}
	for _, m := range f.messages() {
		if m.Key != "" {
			n[m.Key]++
		}
	}
	return n
}

func (f *fakeSlack) historyReads() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.histories
}

func (f *fakeSlack) messages() []message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]message(nil), f.msg...)
}

// shown reports whether some message contains s.
func (f *fakeSlack) shown(s string) bool {
	for _, m := range f.messages() {
		if strings.Contains(m.Text, s) {
			return true
		}
	}
	return false
}

func (f *fakeSlack) add(m message) message {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	m.At = time.Now()
	m.TS = fmt.Sprintf("%d.%06d", m.At.Unix(), f.seq)
	f.msg = append(f.msg, m)
	return m
}

func reply(w http.ResponseWriter, v map[string]any) {
	v["ok"] = true
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) api(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	var body map[string]any
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		json.NewDecoder(r.Body).Decode(&body)
	}
	get := func(k string) string {
		if v := r.Form.Get(k); v != "" {
			return v
		}
		if v, ok := body[k]; ok {
			switch v := v.(type) {
			case string:
				return v
			default:
				b, _ := json.Marshal(v)
				return string(b)
			}
		}
		return ""
	}
	switch method {
	case "auth.test":
		reply(w, map[string]any{"url": "https://fault.slack.com/", "team": "Fault", "user": "influbot", "team_id": team, "user_id": botUser, "bot_id": "BFAULT"})
	case "users.info":
		id := get("user")
		// Users whose id starts with UADMIN are workspace admins.
		reply(w, map[string]any{"user": map[string]any{"id": id, "team_id": team, "name": id, "is_admin": strings.HasPrefix(id, "UADMIN"),
			"profile": map[string]any{"display_name": id}}})
	case "conversations.open":
		reply(w, map[string]any{"channel": map[string]any{"id": "D" + strings.TrimPrefix(get("users"), "U")}})
	case "conversations.history":
		f.mu.Lock()
		f.histories++
		f.mu.Unlock()
		ch := get("channel")
		var out []map[string]any
		for _, m := range f.messages() {
			if m.Channel == ch {
				out = append(out, map[string]any{"type": "message", "text": m.Text, "ts": m.TS,
					"metadata": map[string]any{"event_type": "influbot_nudge", "event_payload": map[string]any{"key": m.Key, "part": 0}}})
			}
		}
		reply(w, map[string]any{"messages": out, "has_more": false})
	case "chat.postMessage", "chat.postEphemeral":
		m := message{Via: method, Channel: get("channel"), Text: get("text") + "\n" + get("blocks")}
		if md := get("metadata"); md != "" {
			var meta struct {
				EventPayload map[string]any `json:"event_payload"`
			}
			json.Unmarshal([]byte(md), &meta)
			m.Key, _ = meta.EventPayload["key"].(string)
		}
		m = f.add(m)
		f.mu.Lock()
		delay := time.Duration(f.postDelay.Load())
		f.mu.Unlock()
		time.Sleep(delay)
		reply(w, map[string]any{"channel": m.Channel, "ts": m.TS, "message_ts": m.TS})
	default:
		reply(w, map[string]any{})
	}
}

func (f *fakeSlack) response(w http.ResponseWriter, r *http.Request) {
	var msg map[string]any
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	b, _ := json.Marshal(msg)
	f.add(message{Via: "response_url", Channel: strings.TrimPrefix(r.URL.Path, "/response/"), Text: string(b)})
	w.Header().Set("Content-Type", "text/html")
	w.Write([]byte("ok"))
}

// sign signs a request body as Slack does, at time at.
func sign(h http.Header, body []byte, at time.Time) {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(signingSecret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// slashCommand is the form body of "/influbot text" from user in channel.
func slashCommand(f *fakeSlack, user, channel, text, responseID string) []byte {
	return []byte(url.Values{
		"team_id": {team}, "team_domain": {"fault"}, "channel_id": {channel}, "channel_name": {"general"},
		"user_id": {user}, "user_name": {user}, "command": {"/influbot"}, "text": {text},
		"api_app_id": {"AFAULT"}, "response_url": {f.responseURL(responseID)}, "trigger_id": {"1.2.3"},
	}.Encode())
}

// directMessage is an Events API message.im event.
func directMessage(eventID, user, text string) []byte {
	b, _ := json.Marshal(map[string]any{
		"token": "x", "team_id": team, "api_app_id": "AFAULT", "type": "event_callback",
		"event_id": eventID, "event_time": time.Now().Unix(),
		"authorizations": []map[string]any{{"team_id": team, "user_id": botUser, "is_bot": true}},
		"event": map[string]any{"type": "message", "channel_type": "im", "channel": "D" + strings.TrimPrefix(user, "U"),
			"user": user, "text": text, "ts": fmt.Sprintf("%d.000100", time.Now().Unix()), "team": team},
	})
	return b
}
