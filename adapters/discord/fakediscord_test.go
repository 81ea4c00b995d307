package discord

// This file is a fake Discord for end-to-end tests: an httptest server that
// speaks the parts of Discord's REST API the adapter uses, and a gateway
// (gorilla/websocket) that speaks the documented protocol: HELLO,
// IDENTIFY/READY, heartbeats and their ACKs, numbered dispatches, RESUME
// with replay of missed events, RECONNECT and INVALID_SESSION. The real
// discordgo session is pointed at it by an http.Client whose transport
// rewrites discord.com to the fake; the fake's GET /gateway answers with
// its own ws:// URL.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

const (
	fakeAppID = "900000000000000001"
	fakeBotID = "900000000000000002"
	fakeToken = "fake.token.value"
	waitLimit = 15 * time.Second
)

// fakeRequest is one REST request the fake received.
type fakeRequest struct {
	Method string
	Path   string // without /api/vN
	Header http.Header
	JSON   map[string]any // the JSON body, or a multipart request's payload_json
	List   []any          // a JSON array body (bulk command overwrite)
	Files  []fakeFile
	Status int       // what the fake answered
	At     time.Time // when it arrived
}

type fakeFile struct {
	Field, Name, ContentType string
	Data                     []byte
}

// fault is a canned answer to the next request matching Method and Path
// (a Path ending in "/*" matches every path under it). Drop closes the connection without an answer instead, as a network
// failure would.
type fault struct {
	Method, Path string
	Status       int
	Header       map[string]string
	Body         string
	Drop         bool
}

// dropped is the status recorded for a request whose connection a fault
// closed.
const dropped = -1

type fakeInteraction struct {
	Token     string
	Type      int            // the interaction's type (2 command, 3 component, 4 autocomplete, 5 modal submit)
	AckType   int            // 0 until the callback arrives
	AckData   map[string]any // the callback's data, whatever its type
	AckFlags  int
	AckIndex  int // index of the callback in requests
	Original  map[string]any
	Deleted   bool
	Followups []map[string]any
}

type fakeGuild struct {
	ID, OwnerID string
	AdminRole   string // a role with Manage Server
}

type fakeDispatch struct {
	Seq   int64
	Frame []byte
}

type fakeConn struct {
	ws *websocket.Conn
	mu sync.Mutex // gorilla allows one writer at a time
}

func (c *fakeConn) write(v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := v.([]byte); ok {
		return c.ws.WriteMessage(websocket.TextMessage, b)
	}
	return c.ws.WriteJSON(v)
}

// fakeDiscord is the fake. All fields after mu are guarded by it.
type fakeDiscord struct {
	t           testing.TB
	srv         *httptest.Server
	heartbeatMS int
	guilds      []fakeGuild
	// shards is the count GET /gateway/bot recommends; 0 means 1.
	shards int

	mu           sync.Mutex
	changed      chan struct{} // closed and replaced on every change
	requests     []fakeRequest
	faults       []fault
	conn         *fakeConn   // the identified or resumed connection
	all          []*fakeConn // every connection, to close at the end
	connections  int
	identifies   []map[string]any
	resumes      []map[string]any
	heartbeats   []int64 // the sequence each heartbeat carried
	sessionID    string
	seq          int64
	history      []fakeDispatch
	interactions map[string]*fakeInteraction
	dmChannels   map[string]string // user -> channel
	closedDMs    map[string]bool   // users whose DMs are closed (50007)
	unknownUsers map[string]bool   // users that do not exist (10013)
	nonces       map[string]map[string]any
	commands     map[string][]any // path -> last bulk overwrite
	nextID       int64
}

func newFakeDiscord(t testing.TB, guilds ...fakeGuild) *fakeDiscord {
	t.Helper()
	f := &fakeDiscord{
		t:            t,
		heartbeatMS:  1000, // discordgo reconnects after 5 missed ACKs; keep that beyond a loaded CI machine's hiccups
		guilds:       guilds,
		changed:      make(chan struct{}),
		interactions: map[string]*fakeInteraction{},
		dmChannels:   map[string]string{},
		closedDMs:    map[string]bool{},
		unknownUsers: map[string]bool{},
		nonces:       map[string]map[string]any{},
		commands:     map[string][]any{},
		nextID:       1,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway-ws", f.serveGateway)
	mux.HandleFunc("/gateway-ws/", f.serveGateway)
	mux.HandleFunc("/api/", f.serveREST)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.close)
	return f
}

func (f *fakeDiscord) close() {
	f.mu.Lock()
	all := f.all
	f.mu.Unlock()
	for _, c := range all {
		c.ws.Close()
	}
	f.srv.CloseClientConnections()
	f.srv.Close()
}

// client returns an http.Client that sends discord.com's API to the fake.
func (f *fakeDiscord) client() *http.Client {
	u, _ := url.Parse(f.srv.URL)
	return &http.Client{Timeout: 10 * time.Second, Transport: rewriteHost{to: u, next: f.srv.Client().Transport}}
}

// rewriteHost sends every request to another host, keeping the path.
type rewriteHost struct {
	to   *url.URL
	next http.RoundTripper
}

func (r rewriteHost) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = r.to.Scheme, r.to.Host, ""
	return r.next.RoundTrip(req)
}

func (f *fakeDiscord) wsURL() string {
	return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway-ws"
}

// notify wakes waiters; call with f.mu held.
func (f *fakeDiscord) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// wait blocks until cond (called with f.mu held) is true, failing the test
// after waitLimit.
func (f *fakeDiscord) wait(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !f.waitFor(waitLimit, cond) {
		t.Fatalf("timed out waiting for %s; requests so far:\n%s", what, f.describe())
	}
}

// waitFor waits up to d for cond (called with f.mu held) and reports
// whether it came true.
func (f *fakeDiscord) waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		ok := cond()
		ch := f.changed
		f.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			return false
		}
	}
}

func (f *fakeDiscord) describe() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var sb strings.Builder
	for _, r := range f.requests {
		fmt.Fprintf(&sb, "  %s %s -> %d\n", r.Method, r.Path, r.Status)
	}
	return sb.String()
}

// snowflake returns a fresh id with the current time in it.
func (f *fakeDiscord) snowflake() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snowflakeLocked()
}

func (f *fakeDiscord) snowflakeLocked() string {
	f.nextID++
	ms := time.Now().UnixMilli() - discordEpoch
	return strconv.FormatUint(uint64(ms)<<22|uint64(f.nextID&0x3fffff), 10)
}

// fail queues a canned answer for the next request matching method and
// path.
func (f *fakeDiscord) fail(fl fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, fl)
}

// requestsTo returns the requests so far with this method and path.
func (f *fakeDiscord) requestsTo(method, path string) []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requestsToLocked(method, path)
}

func (f *fakeDiscord) requestsToLocked(method, path string) []fakeRequest {
	var out []fakeRequest
	for _, r := range f.requests {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// waitRequests waits for n successful requests to method and path and
// returns them.
func (f *fakeDiscord) waitRequests(t testing.TB, n int, method, path string) []fakeRequest {
	t.Helper()
	var got []fakeRequest
	f.wait(t, fmt.Sprintf("%d× %s %s", n, method, path), func() bool {
		got = got[:0]
		for _, r := range f.requestsToLocked(method, path) {
			if r.Status >= 200 && r.Status < 300 {
				got = append(got, r)
			}
		}
		return len(got) >= n
	})
	return got
}

// --- REST ---

func (f *fakeDiscord) serveREST(w http.ResponseWriter, r *http.Request) {
	path := apiVersionRE.ReplaceAllString(r.URL.Path, "")
	req := fakeRequest{Method: r.Method, Path: path, Header: r.Header.Clone(), At: time.Now()}
	status, header, body := f.parseBody(r, &req)
	if status == 0 {
		status, header, body = f.route(r, path, &req)
	}
	f.mu.Lock()
	req.Status = status
	f.requests = append(f.requests, req)
	if status >= 200 && status < 300 && r.Method == http.MethodPost && strings.HasSuffix(path, "/callback") {
		if in := f.interactions[strings.Split(path, "/")[2]]; in != nil {
			in.AckIndex = len(f.requests) - 1
		}
	}
	f.notify()
	f.mu.Unlock()
	if status == dropped {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	for k, v := range header {
		w.Header().Set(k, v)
	}
	if body == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func (f *fakeDiscord) parseBody(r *http.Request, req *fakeRequest) (int, map[string]string, any) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return 400, nil, apiError(0, "unreadable body")
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case len(raw) == 0:
	case ct == "application/json":
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return 400, nil, apiError(50109, "The request body contains invalid JSON.")
		}
		switch v := v.(type) {
		case map[string]any:
			req.JSON = v
		case []any:
			req.List = v
		}
	case ct == "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return 400, nil, apiError(0, "bad multipart body")
			}
			data, _ := io.ReadAll(p)
			if p.FormName() == "payload_json" {
				if err := json.Unmarshal(data, &req.JSON); err != nil {
					return 400, nil, apiError(50109, "The request body contains invalid JSON.")
				}
				continue
			}
			req.Files = append(req.Files, fakeFile{Field: p.FormName(), Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
		}
	default:
		return 400, nil, apiError(0, "unsupported content type "+ct)
	}
	return 0, nil, nil
}

func apiError(code int, msg string) map[string]any {
	return map[string]any{"code": code, "message": msg}
}

func (f *fakeDiscord) route(r *http.Request, path string, req *fakeRequest) (int, map[string]string, any) {
	f.mu.Lock()
	for i, fl := range f.faults {
		if fl.Method == r.Method && (fl.Path == path || strings.HasSuffix(fl.Path, "/*") && strings.HasPrefix(path, strings.TrimSuffix(fl.Path, "*"))) {
			f.faults = append(f.faults[:i:i], f.faults[i+1:]...)
			f.mu.Unlock()
			if fl.Drop {
				return dropped, nil, nil
			}
			var body any
			if fl.Body != "" {
				body = json.RawMessage(fl.Body)
			}
			return fl.Status, fl.Header, body
		}
	}
	f.mu.Unlock()

	parts := strings.Split(strings.Trim(path, "/"), "/")
	authed := r.Header.Get("Authorization") == "Bot "+fakeToken
	switch {
	case r.Method == "GET" && (path == "/gateway" || path == "/gateway/bot"):
		return 200, nil, map[string]any{"url": f.wsURL(), "shards": max(f.shards, 1),
			"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}
	case parts[0] == "interactions" && len(parts) == 4 && parts[3] == "callback" && r.Method == "POST":
		return f.callback(parts[1], parts[2], req.JSON)
	case parts[0] == "webhooks" && len(parts) >= 3:
		return f.webhook(r.Method, parts, req)
	case !authed:
		return 401, nil, apiError(0, "401: Unauthorized")
	case r.Method == "GET" && path == "/oauth2/applications/@me":
		return 200, nil, map[string]any{"id": fakeAppID, "name": "influbot", "bot_public": true}
	case r.Method == "PUT" && parts[0] == "applications" && parts[len(parts)-1] == "commands":
		if parts[1] != fakeAppID {
			return 403, nil, apiError(50001, "Missing Access")
		}
		if msg := validateCommands(req.List); msg != "" {
			return 400, nil, apiError(50035, "Invalid Form Body: "+msg)
		}
		f.mu.Lock()
		f.commands[path] = req.List
		f.mu.Unlock()
		for _, c := range req.List {
			c.(map[string]any)["id"] = f.snowflake()
		}
		return 200, nil, req.List
	case r.Method == "POST" && path == "/users/@me/channels":
		return f.openDM(req.JSON)
	case r.Method == "POST" && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		return f.createMessage(parts[1], req)
	}
	return 404, nil, apiError(0, "404: Not Found")
}

func (f *fakeDiscord) callback(id, token string, body map[string]any) (int, map[string]string, any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	in := f.interactions[id]
	switch {
	case in == nil || in.Token != token:
		return 404, nil, apiError(10062, "Unknown interaction")
	case in.AckType != 0:
		return 400, nil, apiError(40060, "Interaction has already been acknowledged.")
	}
	typ, _ := body["type"].(float64)
	if msg := validateCallback(in.Type, int(typ), body); msg != "" {
		return 400, nil, apiError(50035, "Invalid Form Body: "+msg)
	}
	in.AckType = int(typ)
	in.AckData, _ = body["data"].(map[string]any)
	if data, ok := body["data"].(map[string]any); ok {
		flags, _ := data["flags"].(float64)
		in.AckFlags = int(flags)
		if in.AckType == 4 {
			in.Original = data
		}
	}
	return 204, nil, nil
}

func (f *fakeDiscord) interactionByToken(token string) *fakeInteraction {
	for _, in := range f.interactions {
		if in.Token == token {
			return in
		}
	}
	return nil
}

func (f *fakeDiscord) webhook(method string, parts []string, req *fakeRequest) (int, map[string]string, any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	in := f.interactionByToken(parts[2])
	if parts[1] != fakeAppID || in == nil || in.AckType == 0 {
		return 404, nil, apiError(10015, "Unknown Webhook")
	}
	original := len(parts) == 5 && parts[3] == "messages" && parts[4] == "@original"
	switch {
	case method == "PATCH" && original:
		if in.Deleted {
			return 404, nil, apiError(10008, "Unknown Message")
		}
		if msg := validateMessage(req.JSON, len(req.Files)); msg != "" {
			return 400, nil, apiError(50035, "Invalid Form Body: "+msg)
		}
		in.Original = req.JSON
		return 200, nil, f.messageLocked("interaction-channel", req.JSON)
	case method == "DELETE" && original:
		in.Deleted = true
		return 204, nil, nil
	case method == "POST" && len(parts) == 3:
		if msg := validateMessage(req.JSON, len(req.Files)); msg != "" {
			return 400, nil, apiError(50035, "Invalid Form Body: "+msg)
		}
		in.Followups = append(in.Followups, req.JSON)
		return 200, nil, f.messageLocked("interaction-channel", req.JSON)
	}
	return 405, nil, apiError(0, "405: Method Not Allowed")
}

func (f *fakeDiscord) openDM(body map[string]any) (int, map[string]string, any) {
	user, _ := body["recipient_id"].(string)
	f.mu.Lock()
	defer f.mu.Unlock()
	if user == "" || f.unknownUsers[user] {
		return 400, nil, apiError(10013, "Unknown User")
	}
	ch, ok := f.dmChannels[user]
	if !ok {
		ch = f.snowflakeLocked()
		f.dmChannels[user] = ch
	}
	return 200, nil, map[string]any{"id": ch, "type": 1, "recipients": []any{map[string]any{"id": user, "username": "user" + user}}}
}

func (f *fakeDiscord) createMessage(channel string, req *fakeRequest) (int, map[string]string, any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for user, ch := range f.dmChannels {
		if ch == channel && f.closedDMs[user] {
			return 403, nil, apiError(50007, "Cannot send messages to this user")
		}
	}
	if msg := validateMessage(req.JSON, len(req.Files)); msg != "" {
		return 400, nil, apiError(50035, "Invalid Form Body: "+msg)
	}
	nonce, _ := req.JSON["nonce"].(string)
	if nonce != "" && req.JSON["enforce_nonce"] == true {
		if m, ok := f.nonces[channel+"/"+nonce]; ok {
			return 200, nil, m // Discord returns the message already created
		}
	}
	m := f.messageLocked(channel, req.JSON)
	if nonce != "" {
		f.nonces[channel+"/"+nonce] = m
	}
	return 200, nil, m
}

// messagesIn returns the messages created in a channel (repeats dropped by
// nonce are not there).
func (f *fakeDiscord) messagesIn(channel string) []fakeRequest {
	var out []fakeRequest
	for _, r := range f.requestsTo("POST", "/channels/"+channel+"/messages") {
		if r.Status == 200 {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeDiscord) messageLocked(channel string, body map[string]any) map[string]any {
	m := map[string]any{
		"id": f.snowflakeLocked(), "channel_id": channel, "type": 0, "timestamp": time.Now().UTC().Format(time.RFC3339),
		"author": map[string]any{"id": fakeBotID, "username": "influbot", "bot": true},
	}
	for k, v := range body {
		switch k {
		case "content", "embeds", "components", "nonce", "flags":
			m[k] = v
		}
	}
	return m
}

// apiVersionRE matches the API prefix, whichever version discordgo speaks.
var apiVersionRE = regexp.MustCompile(`^/api/v[0-9]+`)

var commandNameRE = regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)

// validateCommands checks a bulk overwrite against Discord's rules.
func validateCommands(list []any) string {
	if len(list) > 100 {
		return "too many commands"
	}
	seen := map[string]bool{}
	for _, c := range list {
		cmd, ok := c.(map[string]any)
		if !ok {
			return "command is not an object"
		}
		name, _ := cmd["name"].(string)
		desc, _ := cmd["description"].(string)
		if typ, _ := cmd["type"].(float64); typ == 2 || typ == 3 {
			// A user or message command: a name of 1-32 characters, any case,
			// spaces allowed; no description, no options.
			switch {
			case utf8.RuneCountInString(name) < 1 || utf8.RuneCountInString(name) > 32:
				return "invalid context menu command name " + strconv.Quote(name)
			case desc != "" || cmd["options"] != nil:
				return "context menu command " + name + " takes no description or options"
			case seen["\x00"+name]:
				return "duplicate command name " + name
			}
			seen["\x00"+name] = true
			continue
		}
		switch {
		case !commandNameRE.MatchString(name) || strings.ToLower(name) != name:
			return "invalid command name " + strconv.Quote(name)
		case seen[name]:
			return "duplicate command name " + name
		case utf8.RuneCountInString(desc) < 1 || utf8.RuneCountInString(desc) > 100:
			return "description of " + name + " must be 1-100 characters"
		}
		seen[name] = true
		opts, _ := cmd["options"].([]any)
		if len(opts) > 25 {
			return "too many options on " + name
		}
		optional := false
		optNames := map[string]bool{}
		for _, o := range opts {
			opt := o.(map[string]any)
			on, _ := opt["name"].(string)
			od, _ := opt["description"].(string)
			req, _ := opt["required"].(bool)
			switch {
			case !commandNameRE.MatchString(on) || strings.ToLower(on) != on || optNames[on]:
				return "invalid option name " + strconv.Quote(on) + " on " + name
			case utf8.RuneCountInString(od) < 1 || utf8.RuneCountInString(od) > 100:
				return "description of option " + on + " must be 1-100 characters"
			case req && optional:
				return "required options must be placed before non-required options on " + name
			}
			optNames[on] = true
			optional = optional || !req
			ch, _ := opt["choices"].([]any)
			if len(ch) > 25 {
				return "too many choices on " + on
			}
			if ac, _ := opt["autocomplete"].(bool); ac && (len(ch) > 0 || opt["type"] != float64(3)) {
				return "autocomplete on " + on + " needs a string option without choices"
			}
		}
	}
	return ""
}

func utf16Len(s string) int { return textLen(s) }

// validateCallback checks an interaction response against Discord's rules
// for the interaction's type (0 when the test did not say).
func validateCallback(interactionType, respType int, body map[string]any) string {
	data, _ := body["data"].(map[string]any)
	switch respType {
	case 1:
		return "a PONG answers only a PING"
	case 4, 5:
		if interactionType == 4 {
			return "an autocomplete must be answered with choices (type 8)"
		}
	case 6, 7:
		if interactionType != 0 && interactionType != 3 && interactionType != 5 {
			return "only a component or modal submit interaction can update its message"
		}
	case 8:
		if interactionType != 0 && interactionType != 4 {
			return "choices answer only an autocomplete"
		}
		choices, ok := data["choices"].([]any)
		if !ok {
			return "data.choices: this field is required"
		}
		if len(choices) > 25 {
			return "data.choices: at most 25"
		}
		for _, c := range choices {
			ch, _ := c.(map[string]any)
			name, _ := ch["name"].(string)
			v, _ := ch["value"].(string)
			if utf16Len(name) < 1 || utf16Len(name) > 100 || utf16Len(v) < 1 || utf16Len(v) > 100 {
				return "data.choices: name and value must be 1-100 characters"
			}
		}
	case 9:
		if interactionType == 4 || interactionType == 5 {
			return "a modal cannot answer an autocomplete or a modal submission"
		}
		id, _ := data["custom_id"].(string)
		title, _ := data["title"].(string)
		rows, _ := data["components"].([]any)
		switch {
		case utf16Len(id) < 1 || utf16Len(id) > 100:
			return "data.custom_id: 1-100 characters"
		case utf16Len(title) < 1 || utf16Len(title) > 45:
			return "data.title: 1-45 characters"
		case len(rows) < 1 || len(rows) > 5:
			return "data.components: 1-5 rows"
		}
		for _, r := range rows {
			row, _ := r.(map[string]any)
			inputs, _ := row["components"].([]any)
			if row["type"] != float64(1) || len(inputs) != 1 {
				return "data.components: each row holds one text input"
			}
			in, _ := inputs[0].(map[string]any)
			label, _ := in["label"].(string)
			cid, _ := in["custom_id"].(string)
			value, _ := in["value"].(string)
			ph, _ := in["placeholder"].(string)
			maxLen, _ := in["max_length"].(float64)
			switch {
			case in["type"] != float64(4):
				return "data.components: a modal holds text inputs"
			case in["style"] != float64(1) && in["style"] != float64(2):
				return "text input style must be 1 or 2"
			case utf16Len(label) < 1 || utf16Len(label) > 45:
				return "text input label: 1-45 characters"
			case utf16Len(cid) < 1 || utf16Len(cid) > 100:
				return "text input custom_id: 1-100 characters"
			case utf16Len(ph) > 100 || utf16Len(value) > 4000 || maxLen > 4000:
				return "text input placeholder, value or max_length too long"
			case maxLen > 0 && float64(utf16Len(value)) > maxLen:
				return "text input value longer than its max_length"
			}
		}
	}
	return ""
}

// validateMessage checks a message body against Discord's limits.
func validateMessage(m map[string]any, files int) string {
	if m == nil {
		return "no body"
	}
	content, _ := m["content"].(string)
	if utf16Len(content) > 2000 {
		return "content: Must be 2000 or fewer in length."
	}
	embeds, _ := m["embeds"].([]any)
	components, _ := m["components"].([]any)
	if content == "" && len(embeds) == 0 && len(components) == 0 && files == 0 {
		return "Cannot send an empty message"
	}
	if len(embeds) > 10 {
		return "embeds: Must be 10 or fewer in length."
	}
	total := 0
	for _, e := range embeds {
		em := e.(map[string]any)
		title, _ := em["title"].(string)
		desc, _ := em["description"].(string)
		if utf16Len(title) > 256 || utf16Len(desc) > 4096 {
			return "embed title or description too long"
		}
		total += utf16Len(title) + utf16Len(desc)
		fields, _ := em["fields"].([]any)
		if len(fields) > 25 {
			return "embed: more than 25 fields"
		}
		for _, fl := range fields {
			fm := fl.(map[string]any)
			n, _ := fm["name"].(string)
			v, _ := fm["value"].(string)
			if n == "" || v == "" || utf16Len(n) > 256 || utf16Len(v) > 1024 {
				return "embed field name or value empty or too long"
			}
			total += utf16Len(n) + utf16Len(v)
		}
		if title == "" && desc == "" && len(fields) == 0 && em["image"] == nil {
			return "embed is empty"
		}
	}
	if total > 6000 {
		return "Embed size exceeds maximum size of 6000"
	}
	if len(components) > 5 {
		return "components: Must be 5 or fewer in length."
	}
	ids := map[string]bool{}
	for _, row := range components {
		rm := row.(map[string]any)
		if rm["type"] != float64(1) {
			return "top-level component must be an action row"
		}
		buttons, _ := rm["components"].([]any)
		if len(buttons) < 1 || len(buttons) > 5 {
			return "action row must hold 1-5 buttons"
		}
		for _, b := range buttons {
			bm := b.(map[string]any)
			id, _ := bm["custom_id"].(string)
			label, _ := bm["label"].(string)
			if id == "" || utf16Len(id) > 100 || ids[id] {
				return "custom_id missing, too long or repeated: " + strconv.Quote(id)
			}
			if label == "" || utf16Len(label) > 80 {
				return "button label must be 1-80 characters"
			}
			ids[id] = true
		}
	}
	return ""
}

// --- gateway ---

var upgrader = websocket.Upgrader{}

func (f *fakeDiscord) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &fakeConn{ws: ws}
	f.mu.Lock()
	f.all = append(f.all, c)
	f.connections++
	f.notify()
	f.mu.Unlock()
	defer ws.Close()
	if err := c.write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": f.heartbeatMS}}); err != nil {
		return
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			f.mu.Lock()
			if f.conn == c {
				f.conn = nil
				f.notify()
			}
			f.mu.Unlock()
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if json.Unmarshal(data, &p) != nil {
			ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Error while decoding payload."), time.Now().Add(time.Second))
			return
		}
		switch p.Op {
		case 1:
			var seq int64
			json.Unmarshal(p.D, &seq)
			f.mu.Lock()
			f.heartbeats = append(f.heartbeats, seq)
			f.notify()
			f.mu.Unlock()
			c.write(map[string]any{"op": 11})
		case 2:
			var d map[string]any
			json.Unmarshal(p.D, &d)
			if d["token"] != "Bot "+fakeToken {
				ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."), time.Now().Add(time.Second))
				return
			}
			f.identify(c, d)
		case 6:
			var d struct {
				SessionID string `json:"session_id"`
				Seq       int64  `json:"seq"`
				Token     string `json:"token"`
			}
			json.Unmarshal(p.D, &d)
			f.resume(c, d.SessionID, d.Seq, d.Token)
		}
	}
}

// identify starts a new session on c: READY, then a GUILD_CREATE per
// guild. From then on c gets the dispatches.
func (f *fakeDiscord) identify(c *fakeConn, d map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.identifies = append(f.identifies, d)
	f.sessionID = fmt.Sprintf("session-%d", len(f.identifies))
	f.seq = 0
	f.history = nil
	f.conn = c
	var guilds []any
	for _, g := range f.guilds {
		guilds = append(guilds, map[string]any{"id": g.ID, "unavailable": true})
	}
	f.dispatchLocked("READY", map[string]any{
		"v": 10, "session_id": f.sessionID, "resume_gateway_url": f.wsURL(),
		"user":        map[string]any{"id": fakeBotID, "username": "influbot", "bot": true},
		"application": map[string]any{"id": fakeAppID, "flags": 0},
		"guilds":      guilds,
	})
	for _, g := range f.guilds {
		roles := []any{map[string]any{"id": g.ID, "name": "@everyone", "permissions": "0"}}
		if g.AdminRole != "" {
			roles = append(roles, map[string]any{"id": g.AdminRole, "name": "mods", "permissions": "32"})
		}
		f.dispatchLocked("GUILD_CREATE", map[string]any{"id": g.ID, "name": "guild " + g.ID, "owner_id": g.OwnerID, "roles": roles})
	}
}

// resume replays on c what the client missed since seq, then RESUMED.
// Dispatches go to c only from then on, so none is sent twice or lost.
func (f *fakeDiscord) resume(c *fakeConn, session string, seq int64, token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resumes = append(f.resumes, map[string]any{"session_id": session, "seq": seq})
	f.notify()
	if session != f.sessionID || token != "Bot "+fakeToken {
		c.write(map[string]any{"op": 9, "d": false})
		return
	}
	for _, d := range f.history {
		if d.Seq > seq {
			c.write(d.Frame)
		}
	}
	f.conn = c
	f.dispatchLocked("RESUMED", map[string]any{})
}

// dispatch sends an event (op 0) with the next sequence number. With no
// live connection it is kept and replayed when the client resumes, as
// Discord does.
func (f *fakeDiscord) dispatch(event string, data any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dispatchLocked(event, data)
}

func (f *fakeDiscord) dispatchLocked(event string, data any) {
	f.seq++
	frame, err := json.Marshal(map[string]any{"op": 0, "s": f.seq, "t": event, "d": data})
	if err != nil {
		panic(err)
	}
	f.history = append(f.history, fakeDispatch{Seq: f.seq, Frame: frame})
	if f.conn != nil {
		f.conn.write(frame)
	}
	f.notify()
}

// sendRaw writes a frame as is to the current connection.
func (f *fakeDiscord) sendRaw(frame string) {
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	if c != nil {
		c.write([]byte(frame))
	}
}

// reconnect sends op 7 RECONNECT.
func (f *fakeDiscord) reconnect() { f.sendRaw(`{"op":7,"d":null}`) }

// invalidSession sends op 9 INVALID_SESSION, not resumable.
func (f *fakeDiscord) invalidSession() { f.sendRaw(`{"op":9,"d":false}`) }

// invalidSessionResumable sends op 9 INVALID_SESSION with d: true, as
// Discord writes it: the session may be resumed.
func (f *fakeDiscord) invalidSessionResumable() { f.sendRaw(`{"t":null,"s":null,"op":9,"d":true}`) }

// dropConnection closes the TCP connection under the gateway without a
// close frame, as a network failure would.
func (f *fakeDiscord) dropConnection() {
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	if c != nil {
		c.ws.NetConn().Close()
	}
}

// waitConnected waits until the gateway has had n identifies plus resumes
// and a connection is open.
func (f *fakeDiscord) waitSessions(t testing.TB, identifies, resumes int) {
	t.Helper()
	f.wait(t, fmt.Sprintf("%d identifies and %d resumes", identifies, resumes), func() bool {
		return len(f.identifies) >= identifies && len(f.resumes) >= resumes && f.conn != nil
	})
}

// --- events the tests send ---

type fakeUser struct {
	ID, Name string
	Bot      bool
}

func (u fakeUser) json() map[string]any {
	return map[string]any{"id": u.ID, "username": u.Name, "global_name": u.Name, "bot": u.Bot}
}

// message dispatches MESSAGE_CREATE and returns the message id. guild ""
// is a DM.
func (f *fakeDiscord) message(guild, channel string, author fakeUser, content string, mentionBot bool, roles ...string) string {
	m := f.messageEvent(guild, channel, author, content, mentionBot, roles...)
	f.dispatch("MESSAGE_CREATE", m)
	return m["id"].(string)
}

// messageEvent returns the data of a MESSAGE_CREATE with a fresh id.
func (f *fakeDiscord) messageEvent(guild, channel string, author fakeUser, content string, mentionBot bool, roles ...string) map[string]any {
	id := f.snowflake()
	m := map[string]any{
		"id": id, "channel_id": channel, "author": author.json(), "content": content, "type": 0,
		"timestamp": time.Now().UTC().Format(time.RFC3339Nano), "mentions": []any{},
	}
	if mentionBot {
		m["mentions"] = []any{map[string]any{"id": fakeBotID, "username": "influbot", "bot": true}}
	}
	if guild != "" {
		m["guild_id"] = guild
		if roles == nil {
			roles = []string{}
		}
		m["member"] = map[string]any{"roles": roles, "nick": ""}
	}
	return m
}

// interaction dispatches INTERACTION_CREATE and returns its id and token.
// guild "" is a DM; perms are the member's permissions in the channel.
func (f *fakeDiscord) interaction(typ int, guild, channel string, user fakeUser, perms int64, data map[string]any, msg map[string]any) (id, token string) {
	return f.interactionWith(typ, guild, channel, user, perms, data, msg, nil)
}

// interactionWith dispatches INTERACTION_CREATE with extra top-level
// fields (context, authorizing_integration_owners) set or replaced.
func (f *fakeDiscord) interactionWith(typ int, guild, channel string, user fakeUser, perms int64, data map[string]any, msg map[string]any, extra map[string]any) (id, token string) {
	id = f.snowflake()
	token = "token-" + id
	f.mu.Lock()
	f.interactions[id] = &fakeInteraction{Token: token, Type: typ}
	f.mu.Unlock()
	in := map[string]any{
		"id": id, "application_id": fakeAppID, "type": typ, "token": token, "version": 1,
		"channel_id": channel, "data": data, "locale": "en-US",
	}
	if guild != "" {
		in["guild_id"] = guild
		in["context"] = 0
		in["member"] = map[string]any{"user": user.json(), "roles": []any{}, "permissions": strconv.FormatInt(perms, 10)}
	} else {
		in["context"] = 1
		in["user"] = user.json()
	}
	if msg != nil {
		in["message"] = msg
	}
	for k, v := range extra {
		in[k] = v
	}
	f.dispatch("INTERACTION_CREATE", in)
	return id, token
}

// slash dispatches a slash command with string options.
func (f *fakeDiscord) slash(guild, channel string, user fakeUser, perms int64, name string, options map[string]any) (id, token string) {
	var opts []any
	for k, v := range options {
		typ := 3
		switch v.(type) {
		case float64:
			typ = 10
		case bool:
			typ = 5
		}
		opts = append(opts, map[string]any{"name": k, "type": typ, "value": v})
	}
	return f.interaction(2, guild, channel, user, perms, map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": opts}, nil)
}

// press dispatches a button press on a message.
func (f *fakeDiscord) press(guild, channel string, user fakeUser, customID string, ephemeral bool) (id, token string) {
	flags := 0
	if ephemeral {
		flags = 64
	}
	msg := map[string]any{"id": f.snowflake(), "channel_id": channel, "flags": flags, "content": "", "type": 0,
		"author": map[string]any{"id": fakeBotID, "username": "influbot", "bot": true}}
	return f.interaction(3, guild, channel, user, 0, map[string]any{"custom_id": customID, "component_type": 2}, msg)
}

// interactionState returns a copy of what the fake knows of an interaction.
func (f *fakeDiscord) interactionState(id string) fakeInteraction {
	f.mu.Lock()
	defer f.mu.Unlock()
	in := f.interactions[id]
	if in == nil {
		return fakeInteraction{}
	}
	return *in
}

// waitAnswered waits until the interaction's placeholder was replaced (or
// deleted and followed up).
func (f *fakeDiscord) waitAnswered(t testing.TB, id string) fakeInteraction {
	t.Helper()
	f.wait(t, "the answer to interaction "+id, func() bool {
		in := f.interactions[id]
		return in != nil && ((in.AckType == 5 && in.Original != nil) || in.AckType == 4 || len(in.Followups) > 0)
	})
	return f.interactionState(id)
}
