package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/internal/fakeclock"
)

// Test credentials. They only ever reach the fake servers.
const (
	testBotToken = "xoxb-0000-test-bot-token"
	testAppToken = "xapp-1-test-app-token"
	testSecret   = "8f742231b10e8888abcd99yyyzzz85a5"
	// testClientID and testClientSecret are the app's OAuth credentials.
	testClientID     = "1111.2222"
	testClientSecret = "client-secret-0000"
	botUser          = "UBOT0001"
	teamA            = "T0000AAAA"
	teamB            = "T0000BBBB"
	enterprise       = "E0000GRID"
)

// fakeSlack is an in-process Slack: the Web API methods the adapter calls,
// the upload endpoint, response_urls and the Socket Mode WebSocket, all
// speaking Slack's documented wire format.
type fakeSlack struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	calls    []string             // Web API methods in call order
	failures map[string][]failure // queued failures by method
	admins   map[string]bool      // users.info is_admin
	names    map[string]string    // users.info display names
	teams    map[string]string    // users.info team_id; teamA when unset
	dmErrors map[string]string    // conversations.open error by user
	connOpen int                  // apps.connections.open calls

	pendingUpload *upload                     // uploaded, not yet completed
	history       map[string][]map[string]any // channel -> messages, oldest first
	lastTS        int

	posts   chan post
	uploads chan upload
	sockets chan *websocket.Conn
	views   chan viewCall

	// tokens are bot tokens of installed workspaces, accepted besides
	// testBotToken; byToken counts the calls made with each.
	tokens  map[string]bool
	byToken map[string][]string
	// oauth answers oauth.v2.access for a code; nil refuses every code.
	oauth map[string]map[string]any
}

// viewCall is a views.open or views.publish call: its JSON body and the
// token it came with.
type viewCall struct {
	Method string
	Token  string
	Body   map[string]any
}

// failure is one scripted error answer: an HTTP status (429 with
// Retry-After) or an ok:false error code.
type failure struct {
	Status     int
	RetryAfter string
	Code       string
	// Lost carries the call out and then drops the connection, as when
	// Slack's answer is lost on the way back.
	Lost bool
	// Pass answers normally: a queued failure for a later call.
	Pass bool
}

// post is a message that reached a conversation.
type post struct {
	Via          string // chat.postMessage, chat.postEphemeral or response_url
	Path         string // the response_url's path
	Channel      string
	User         string // recipient of an ephemeral message
	Thread       string
	Text         string
	ResponseType string
	Blocks       []map[string]any
	Metadata     map[string]any
}

// upload is a file that was uploaded and shared.
type upload struct {
	Name    string
	Content string
	Channel string
	Thread  string
	Alt     string // alt_txt, as given to files.getUploadURLExternal
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{
		t:        t,
		failures: map[string][]failure{},
		admins:   map[string]bool{},
		names:    map[string]string{},
		teams:    map[string]string{},
		dmErrors: map[string]string{},
		history:  map[string][]map[string]any{},
		posts:    make(chan post, 100),
		uploads:  make(chan upload, 10),
		sockets:  make(chan *websocket.Conn, 10),
		views:    make(chan viewCall, 100),
		tokens:   map[string]bool{},
		byToken:  map[string][]string{},
		oauth:    map[string]map[string]any{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", f.api)
	mux.HandleFunc("POST /upload/{file}", f.upload)
	mux.HandleFunc("POST /response/{id}", f.response)
	// A response_url whose connection breaks, as on a network failure.
	mux.HandleFunc("POST /response-drop/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	})
	mux.HandleFunc("GET /ws", f.websocket)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// apiURL is the Web API base URL for slackapi.OptionAPIURL.
func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

// responseURL is a response_url for one slash command or button press.
func (f *fakeSlack) responseURL(id string) string { return f.srv.URL + "/response/" + id }

func (f *fakeSlack) fail(method string, fl failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[method] = append(f.failures[method], fl)
}

func (f *fakeSlack) setUser(id string, admin bool, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.admins[id], f.names[id] = admin, name
}

// setUserTeam sets the workspace a user belongs to, for users.info.
func (f *fakeSlack) setUserTeam(id, team string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.teams[id] = team
}

func (f *fakeSlack) setDMError(user, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dmErrors[user] = code
}

func (f *fakeSlack) called(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == method {
			n++
		}
	}
	return n
}

// nextPost waits for the next message to reach a conversation.
func (f *fakeSlack) nextPost(t testing.TB) post {
	t.Helper()
	select {
	case p := <-f.posts:
		return p
	case <-time.After(10 * time.Second):
		t.Fatal("no message was posted")
		return post{}
	}
}

// noMorePosts fails if a message is waiting.
func (f *fakeSlack) noMorePosts(t testing.TB) {
	t.Helper()
	select {
	case p := <-f.posts:
		t.Fatalf("unexpected message posted via %s: %q", p.Via, p.Text)
	default:
	}
}

func writeJSONResponse(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) api(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	token := r.PostForm.Get("token")
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		token = strings.TrimPrefix(h, "Bearer ")
	}
	want := testBotToken
	if method == "apps.connections.open" {
		want = testAppToken
	}
	if method == "oauth.v2.access" {
		f.oauthAccess(w, r)
		return
	}
	f.mu.Lock()
	if f.tokens[token] {
		want = token
	}
	f.byToken[token] = append(f.byToken[token], method)
	f.calls = append(f.calls, method)
	var fl *failure
	if q := f.failures[method]; len(q) > 0 {
		fl = &q[0]
		f.failures[method] = q[1:]
	}
	f.mu.Unlock()
	if token != want {
		writeJSONResponse(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	if fl != nil && fl.Pass {
		fl = nil
	}
	if fl != nil && fl.Lost {
		f.method(httptest.NewRecorder(), r, method)
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	if fl != nil {
		if fl.Status != 0 {
			if fl.RetryAfter != "" {
				w.Header().Set("Retry-After", fl.RetryAfter)
			}
			w.WriteHeader(fl.Status)
			return
		}
		writeJSONResponse(w, map[string]any{"ok": false, "error": fl.Code})
		return
	}
	f.method(w, r, method)
}

// method carries out one Web API call that passed authentication.
func (f *fakeSlack) method(w http.ResponseWriter, r *http.Request, method string) {
	form := r.PostForm
	switch method {
	case "auth.test":
		writeJSONResponse(w, map[string]any{"ok": true, "url": "https://team-a.slack.com/", "team": "Team A", "user": "influbot",
			"team_id": teamA, "user_id": botUser, "bot_id": "B0000BOT"})
	case "users.info":
		id := form.Get("user")
		f.mu.Lock()
		admin, name, team := f.admins[id], f.names[id], f.teams[id]
		f.mu.Unlock()
		if team == "" {
			team = teamA
		}
		writeJSONResponse(w, map[string]any{"ok": true, "user": map[string]any{
			"id": id, "team_id": team, "name": strings.ToLower(id), "is_admin": admin, "profile": map[string]any{"display_name": name}}})
	case "conversations.open":
		user := form.Get("users")
		f.mu.Lock()
		code := f.dmErrors[user]
		f.mu.Unlock()
		if code != "" {
			writeJSONResponse(w, map[string]any{"ok": false, "error": code})
			return
		}
		writeJSONResponse(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + user}})
	case "chat.postMessage", "chat.postEphemeral":
		p := post{Via: method, Channel: form.Get("channel"), User: form.Get("user"), Thread: form.Get("thread_ts"), Text: form.Get("text")}
		if code := decodeBlocks(form.Get("blocks"), &p.Blocks); code != "" {
			writeJSONResponse(w, map[string]any{"ok": false, "error": code})
			return
		}
		if m := form.Get("metadata"); m != "" {
			if err := json.Unmarshal([]byte(m), &p.Metadata); err != nil {
				writeJSONResponse(w, map[string]any{"ok": false, "error": "invalid_metadata_format"})
				return
			}
		}
		if p.Channel == "" || (p.Text == "" && p.Blocks == nil) {
			writeJSONResponse(w, map[string]any{"ok": false, "error": "no_text"})
			return
		}
		f.posts <- p
		if method == "chat.postMessage" {
			f.mu.Lock()
			f.lastTS++
			msg := map[string]any{"type": "message", "ts": fmt.Sprintf("1700000000.%06d", f.lastTS), "text": p.Text, "bot_id": "B0000BOT"}
			if p.Metadata != nil {
				msg["metadata"] = p.Metadata
			}
			f.history[p.Channel] = append(f.history[p.Channel], msg)
			f.mu.Unlock()
		}
		if method == "chat.postEphemeral" {
			writeJSONResponse(w, map[string]any{"ok": true, "message_ts": "1700000000.000200"})
			return
		}
		writeJSONResponse(w, map[string]any{"ok": true, "channel": p.Channel, "ts": "1700000000.000100"})
	case "conversations.history":
		// Newest first; metadata only when asked for, as Slack does.
		withMeta := form.Get("include_all_metadata") == "1"
		f.mu.Lock()
		var msgs []map[string]any
		for _, m := range slices.Backward(f.history[form.Get("channel")]) {
			c := maps.Clone(m)
			if !withMeta {
				delete(c, "metadata")
			}
			msgs = append(msgs, c)
		}
		f.mu.Unlock()
		writeJSONResponse(w, map[string]any{"ok": true, "messages": msgs, "has_more": false})
	case "files.getUploadURLExternal":
		if form.Get("filename") == "" || form.Get("length") == "" {
			writeJSONResponse(w, map[string]any{"ok": false, "error": "invalid_arguments"})
			return
		}
		writeJSONResponse(w, map[string]any{"ok": true, "upload_url": f.srv.URL + "/upload/F0001?name=" + url.QueryEscape(form.Get("filename")) + "&alt=" + url.QueryEscape(form.Get("alt_txt")), "file_id": "F0001"})
	case "files.completeUploadExternal":
		var files []map[string]any
		if err := json.Unmarshal([]byte(form.Get("files")), &files); err != nil || len(files) != 1 {
			writeJSONResponse(w, map[string]any{"ok": false, "error": "invalid_arguments"})
			return
		}
		f.mu.Lock()
		up := f.pendingUpload
		f.pendingUpload = nil
		f.mu.Unlock()
		if up == nil {
			writeJSONResponse(w, map[string]any{"ok": false, "error": "file_not_found"})
			return
		}
		up.Channel, up.Thread = form.Get("channel_id"), form.Get("thread_ts")
		f.uploads <- *up
		writeJSONResponse(w, map[string]any{"ok": true, "files": []map[string]any{{"id": "F0001", "title": files[0]["title"]}}})
	case "views.open", "views.publish":
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeJSONResponse(w, map[string]any{"ok": false, "error": "invalid_json"})
			return
		}
		if method == "views.open" && body["trigger_id"] == "expired" {
			writeJSONResponse(w, map[string]any{"ok": false, "error": "expired_trigger_id"})
			return
		}
		if method == "views.publish" && body["user_id"] == "" {
			writeJSONResponse(w, map[string]any{"ok": false, "error": "invalid_arguments"})
			return
		}
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		f.views <- viewCall{Method: method, Token: token, Body: body}
		writeJSONResponse(w, map[string]any{"ok": true, "view": map[string]any{"id": "V0001"}})
	case "apps.connections.open":
		f.mu.Lock()
		f.connOpen++
		f.mu.Unlock()
		writeJSONResponse(w, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"})
	default:
		writeJSONResponse(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

// oauthAccess answers oauth.v2.access: the client's credentials (in the
// form or as HTTP Basic auth) and a code it was given.
func (f *fakeSlack) oauthAccess(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	f.mu.Lock()
	f.calls = append(f.calls, "oauth.v2.access")
	resp, found := f.oauth[r.PostForm.Get("code")]
	f.mu.Unlock()
	switch {
	case id != testClientID || secret != testClientSecret:
		writeJSONResponse(w, map[string]any{"ok": false, "error": "invalid_client_id"})
	case !found || r.PostForm.Get("redirect_uri") == "":
		writeJSONResponse(w, map[string]any{"ok": false, "error": "invalid_code"})
	default:
		writeJSONResponse(w, resp)
	}
}

// install lets oauth.v2.access exchange code for a bot token of team (an
// org install of enterprise when org is set), and accepts the token.
func (f *fakeSlack) install(code, team, enterprise, token string, org bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens[token] = true
	resp := map[string]any{"ok": true, "access_token": token, "token_type": "bot", "scope": "commands,chat:write",
		"bot_user_id": botUser, "app_id": "A0000APP", "is_enterprise_install": org,
		"team": map[string]any{"id": team, "name": "Team " + team}, "authed_user": map[string]any{"id": "UINSTALLER"}}
	if enterprise != "" {
		resp["enterprise"] = map[string]any{"id": enterprise, "name": "Grid " + enterprise}
	}
	if org {
		resp["team"] = nil
	}
	f.oauth[code] = resp
}

// tokenCalls returns the Web API methods called with token.
func (f *fakeSlack) tokenCalls(token string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.byToken[token])
}

// nextView waits for a views.open or views.publish call.
func (f *fakeSlack) nextView(t testing.TB) viewCall {
	t.Helper()
	select {
	case v := <-f.views:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("no view was opened or published")
		return viewCall{}
	}
}

// decodeBlocks checks blocks against Block Kit's limits the way Slack
// does, answering "invalid_blocks" for a message Slack would refuse.
func decodeBlocks(raw string, into *[]map[string]any) string {
	if raw == "" {
		return ""
	}
	if err := json.Unmarshal([]byte(raw), into); err != nil {
		return "invalid_blocks_format"
	}
	blocks := *into
	if len(blocks) > 50 {
		return "invalid_blocks"
	}
	actionIDs := map[string]bool{}
	for _, b := range blocks {
		text, _ := b["text"].(map[string]any)
		s, _ := text["text"].(string)
		switch b["type"] {
		case "header":
			if text["type"] != "plain_text" || s == "" || utf8.RuneCountInString(s) > 150 {
				return "invalid_blocks"
			}
		case "section":
			fields, _ := b["fields"].([]any)
			if text == nil && len(fields) == 0 {
				return "invalid_blocks"
			}
			if text != nil && (s == "" || utf8.RuneCountInString(s) > 3000) {
				return "invalid_blocks"
			}
			if len(fields) > 10 {
				return "invalid_blocks"
			}
			for _, fl := range fields {
				ft, _ := fl.(map[string]any)["text"].(string)
				if ft == "" || utf8.RuneCountInString(ft) > 2000 {
					return "invalid_blocks"
				}
			}
		case "actions":
			els, _ := b["elements"].([]any)
			if len(els) == 0 || len(els) > 25 {
				return "invalid_blocks"
			}
			for _, e := range els {
				el := e.(map[string]any)
				id, _ := el["action_id"].(string)
				value, _ := el["value"].(string)
				label, _ := el["text"].(map[string]any)["text"].(string)
				if id == "" || actionIDs[id] || len(id) > 255 || utf8.RuneCountInString(value) > 2000 ||
					label == "" || utf8.RuneCountInString(label) > 75 {
					return "invalid_blocks"
				}
				actionIDs[id] = true
				if st, ok := el["style"]; ok && st != "primary" && st != "danger" {
					return "invalid_blocks"
				}
			}
		case "context", "image", "divider":
		default:
			return "invalid_blocks"
		}
	}
	return ""
}

func (f *fakeSlack) upload(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+testBotToken {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.pendingUpload = &upload{Name: hdr.Filename, Content: string(data), Alt: r.URL.Query().Get("alt")}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, "OK - "+strconv.Itoa(len(data)))
}

func (f *fakeSlack) response(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Text            string           `json:"text"`
		ResponseType    string           `json:"response_type"`
		ReplaceOriginal bool             `json:"replace_original"`
		Blocks          json.RawMessage  `json:"blocks"`
		Metadata        map[string]any   `json:"metadata"`
		ThreadTS        string           `json:"thread_ts"`
		Attachments     []map[string]any `json:"attachments"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	p := post{Via: "response_url", Path: r.URL.Path, Text: msg.Text, ResponseType: msg.ResponseType}
	if len(msg.Blocks) > 0 && string(msg.Blocks) != "null" {
		if code := decodeBlocks(string(msg.Blocks), &p.Blocks); code != "" {
			http.Error(w, code, http.StatusBadRequest)
			return
		}
	}
	f.posts <- p
	// Slack answers a response_url with a bare "ok".
	w.Header().Set("Content-Type", "text/html")
	io.WriteString(w, "ok")
}

// upgrader accepts the Origin slack-go sends, as Slack's endpoint does.
var upgrader = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
	return r.Header.Get("Origin") == "https://api.slack.com"
}}

func (f *fakeSlack) websocket(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	f.sockets <- conn
}

// nextSocket waits for the adapter to open a Socket Mode connection.
func (f *fakeSlack) nextSocket(t testing.TB) *websocket.Conn {
	t.Helper()
	select {
	case c := <-f.sockets:
		t.Cleanup(func() { c.Close() })
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("the adapter did not open a Socket Mode connection")
		return nil
	}
}

// signer signs requests exactly as Slack does: v0=HMAC-SHA256 of
// "v0:timestamp:body" with the signing secret.
type signer struct {
	secret string
	now    func() time.Time
}

func (s signer) sign(h http.Header, body []byte) {
	ts := strconv.FormatInt(s.now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(s.secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// fakeCore stands in for bot.Bot: it records requests and answers with
// reply (an echo by default), optionally holding each answer until
// release is closed.
type fakeCore struct {
	mu       sync.Mutex
	requests []bot.Request
	got      chan bot.Request
	reply    func(bot.Request) bot.Reply
	release  chan struct{}
	delay    time.Duration // each answer takes this long
}

func newFakeCore() *fakeCore { return &fakeCore{got: make(chan bot.Request, 100)} }

func (c *fakeCore) Handle(ctx context.Context, req bot.Request) bot.Reply {
	c.mu.Lock()
	c.requests = append(c.requests, req)
	reply, release := c.reply, c.release
	c.mu.Unlock()
	c.got <- req
	if c.delay > 0 {
		time.Sleep(c.delay)
	}
	if release != nil {
		select {
		case <-release:
		case <-ctx.Done():
		}
	}
	if reply != nil {
		return reply(req)
	}
	text := req.Text
	if req.Action != nil {
		text = "pressed " + req.Action.ID + " " + req.Action.Value
	}
	return bot.Reply{Title: "Echo", Text: "You said: **" + text + "**"}
}

func (c *fakeCore) Commands() []*bot.Command {
	return []*bot.Command{
		{Name: "help", Aliases: []string{"commands"}},
		{Name: "check"},
		{Name: "admin-report", Admin: true},
		{Name: "plan", Private: true},
	}
}

// Invoked finds the command of a request by its first word, a slash
// command's name or a button's prefix, as bot.Bot does (plain words
// aside).
func (c *fakeCore) Invoked(req bot.Request) (*bot.Command, bool) {
	first, _, _ := strings.Cut(strings.TrimSpace(req.Text), " ")
	if req.Command != "" {
		first = req.Command
	}
	if req.Action != nil {
		first, _, _ = strings.Cut(req.Action.ID, ":")
	}
	first = strings.ToLower(strings.TrimLeft(first, "/!"))
	for _, cmd := range c.Commands() {
		if cmd.Name == first || slices.Contains(cmd.Aliases, first) {
			return cmd, true
		}
	}
	return nil, false
}

// Private decides privacy from the command record, as bot.Bot does.
func (c *fakeCore) Private(req bot.Request) bool {
	cmd, ok := c.Invoked(req)
	return ok && cmd.Private
}

func (c *fakeCore) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.requests)
}

// nextRequest waits for the core to receive a request.
func (c *fakeCore) nextRequest(t testing.TB) bot.Request {
	t.Helper()
	select {
	case r := <-c.got:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("the core received no request")
		return bot.Request{}
	}
}

// harness is an Adapter wired to a fake Slack and a core, served over
// HTTP.
type harness struct {
	slack   *fakeSlack
	core    *fakeCore
	adapter *Adapter
	srv     *httptest.Server
	sign    signer
	waits   chan time.Duration // rate-limit waits the adapter asked for
	logs    *logBuffer
}

// logBuffer collects the adapter's log for assertions.
type logBuffer struct {
	mu sync.Mutex
	sb strings.Builder
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sb.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sb.String()
}

func newLogBuffer() (*logBuffer, *slog.Logger) {
	b := &logBuffer{}
	return b, slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// clock is the shared settable test clock, for the adapter's Now.
type clock = fakeclock.Clock

func newClock() *clock { return fakeclock.New(time.Now()) }

// newHarness wires an Adapter to a fake Slack and core (a fakeCore when
// core is nil); configure adjusts the Adapter before it starts.
func newHarness(t testing.TB, core Bot, configure ...func(*Adapter)) *harness {
	t.Helper()
	fs := newFakeSlack(t)
	logs, logger := newLogBuffer()
	h := &harness{slack: fs, sign: signer{secret: testSecret, now: time.Now}, waits: make(chan time.Duration, 10), logs: logs}
	if fc, ok := core.(*fakeCore); ok {
		h.core = fc
	}
	if core == nil {
		h.core = newFakeCore()
		core = h.core
	}
	h.adapter = &Adapter{
		BotToken:      testBotToken,
		SigningSecret: testSecret,
		Bot:           core,
		APIURL:        fs.apiURL(),
		Logger:        logger,
	}
	for _, c := range configure {
		c(h.adapter)
	}
	h.adapter.wait = func(ctx context.Context, d time.Duration) error {
		h.waits <- d
		return nil
	}
	if err := h.adapter.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		h.settle(t)
		for _, secret := range []string{testSecret, testBotToken, testAppToken} {
			if strings.Contains(h.logs.String(), secret) {
				t.Errorf("a secret reached the log:\n%s", h.logs)
			}
		}
	})
	h.srv = httptest.NewServer(h.adapter)
	t.Cleanup(h.srv.Close)
	return h
}

// send posts body to path, signed as Slack would unless sign is false.
func (h *harness) send(t testing.TB, path, contentType string, body []byte, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if header == nil {
		h.sign.sign(req.Header, body)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	// Slack gives up on a request after 3 seconds.
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (h *harness) sendEvent(t testing.TB, payload any) *http.Response {
	t.Helper()
	body, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return h.send(t, EventsPath, "application/json", body, nil)
}

func (h *harness) sendForm(t testing.TB, path string, form url.Values) *http.Response {
	t.Helper()
	return h.send(t, path, "application/x-www-form-urlencoded", []byte(form.Encode()), nil)
}

// settle waits for the adapter's background work to finish.
func (h *harness) settle(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.adapter.Wait(ctx); err != nil {
		t.Fatalf("background work did not finish: %v", err)
	}
}

// eventCallback wraps an inner event as Slack's Events API does.
func eventCallback(team, eventID string, inner map[string]any) map[string]any {
	return map[string]any{
		"token":      "deprecated-verification-token",
		"team_id":    team,
		"api_app_id": "A0000APP",
		"type":       "event_callback",
		"event_id":   eventID,
		"event_time": 1700000000,
		"event":      inner,
		"authorizations": []map[string]any{
			{"enterprise_id": nil, "team_id": team, "user_id": botUser, "is_bot": true, "is_enterprise_install": false},
		},
	}
}

func appMention(user, channel, text string) map[string]any {
	return map[string]any{"type": "app_mention", "user": user, "text": text, "ts": "1700000000.000100",
		"channel": channel, "event_ts": "1700000000.000100"}
}

func directMessage(user, channel, text string) map[string]any {
	return map[string]any{"type": "message", "user": user, "text": text, "ts": "1700000001.000100",
		"channel": channel, "channel_type": "im", "event_ts": "1700000001.000100"}
}

func blockTypes(blocks []map[string]any) []string {
	var out []string
	for _, b := range blocks {
		out = append(out, b["type"].(string))
	}
	return out
}

// blockText returns the text of a header or section block.
func blockText(b map[string]any) string {
	t, _ := b["text"].(map[string]any)
	s, _ := t["text"].(string)
	return s
}
