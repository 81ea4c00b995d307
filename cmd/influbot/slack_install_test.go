package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	slackadapter "github.com/influbot/influbot/adapters/slack"
	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

const (
	installClientID     = "4444.5555"
	installClientSecret = "install-client-secret"
)

var installKey = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

func TestSlackInstallConfiguration(t *testing.T) {
	full := map[string]string{
		"SLACK_SIGNING_SECRET": "sig", "SLACK_CLIENT_ID": installClientID, "SLACK_CLIENT_SECRET": installClientSecret,
		"INFLUBOT_SECRET_KEY": installKey, "INFLUBOT_PUBLIC_URL": "https://influbot.example/",
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range full {
			m[a] = b
		}
		m[k] = v
		return m
	}
	db := store.New(filepath.Join(t.TempDir(), "i.db"))
	tests := []struct {
		name    string
		env     map[string]string
		noDB    bool
		wantErr string
	}{
		{"the full set turns installs on without a bot token", full, false, ""},
		{"no client secret", with("SLACK_CLIENT_SECRET", ""), false, "SLACK_CLIENT_SECRET"},
		{"no secret key", with("INFLUBOT_SECRET_KEY", ""), false, "INFLUBOT_SECRET_KEY"},
		{"a secret key that is not 32 bytes", with("INFLUBOT_SECRET_KEY", "c2hvcnQ="), false, "32 random bytes"},
		{"a bad old key", with("INFLUBOT_SECRET_KEY_OLD", "nope"), false, "INFLUBOT_SECRET_KEY_OLD"},
		{"no public URL", with("INFLUBOT_PUBLIC_URL", ""), false, "INFLUBOT_PUBLIC_URL"},
		{"a public URL that is not one", with("INFLUBOT_PUBLIC_URL", "influbot.example"), false, "INFLUBOT_PUBLIC_URL"},
		{"a bad grace period", with("INFLUBOT_SLACK_PURGE_AFTER", "soon"), false, "INFLUBOT_SLACK_PURGE_AFTER"},
		{"no database", full, true, "--db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{getenv: func(k string) string { return tt.env[k] }}
			a := &app{bot: &bot.Bot{}, db: db}
			if tt.noDB {
				a.db = nil
			}
			ad, err := slackPlatform().adapter(a, e)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want one mentioning %q", err, tt.wantErr)
				}
				for _, s := range []string{installClientSecret, installKey} {
					if strings.Contains(err.Error(), s) {
						t.Errorf("the error shows a secret: %v", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sa := ad.(*slackadapter.Adapter)
			if sa.Installs == nil || sa.Sealer == nil || sa.OAuth == nil || sa.OAuth.RedirectURL != "https://influbot.example/slack/oauth/callback" || sa.Housekeeping == nil {
				t.Fatalf("installs not configured: %+v", sa.OAuth)
			}
			if err := sa.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// fakeSlackAPI answers oauth.v2.access for one code and records the other
// Web API calls with the token each came with.
type fakeSlackAPI struct {
	mu    sync.Mutex
	calls []string // "method token"
}

func (f *fakeSlackAPI) handler(t *testing.T, code, team, token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		method := strings.TrimPrefix(r.URL.Path, "/api/")
		w.Header().Set("Content-Type", "application/json")
		if method == "oauth.v2.access" {
			id, secret, ok := r.BasicAuth()
			if !ok {
				id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
			}
			if id != installClientID || secret != installClientSecret || r.PostForm.Get("code") != code {
				json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_code"})
				return
			}
			json.NewEncoder(w).Encode(map[string]any{"ok": true, "access_token": token, "token_type": "bot", "scope": "commands,chat:write",
				"bot_user_id": "UBOT", "app_id": "A1", "team": map[string]any{"id": team, "name": "Team One"}, "authed_user": map[string]any{"id": "UADMIN"}})
			return
		}
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if got == "" {
			got = r.PostForm.Get("token")
		}
		f.mu.Lock()
		f.calls = append(f.calls, method+" "+got)
		f.mu.Unlock()
		if got != token {
			json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_auth"})
			return
		}
		switch method {
		case "conversations.open":
			json.NewEncoder(w).Encode(map[string]any{"ok": true, "channel": map[string]any{"id": "D1"}})
		default:
			json.NewEncoder(w).Encode(map[string]any{"ok": true, "ts": "1.2", "channel": "D1", "user": map[string]any{"id": "U1", "team_id": team}})
		}
	})
}

func (f *fakeSlackAPI) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// signedEvent posts an Events API payload signed with the signing secret.
func signedEvent(t *testing.T, base, secret string, payload any) int {
	t.Helper()
	b, _ := json.Marshal(payload)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, "v0:"+ts+":"+string(b))
	req, _ := http.NewRequest(http.MethodPost, base+"/slack/events", strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func teamEvent(team, id string, inner map[string]any) map[string]any {
	return map[string]any{"type": "event_callback", "team_id": team, "api_app_id": "A1", "event_id": id, "event_time": time.Now().Unix(), "event": inner,
		"authorizations": []map[string]any{{"team_id": team, "user_id": "UBOT", "is_bot": true}}}
}

func TestServeInstallsSlackWorkspaces(t *testing.T) {
	const code, team, token = "code-1", "T1", "xoxb-installed-team-token"
	fake := &fakeSlackAPI{}
	api := httptest.NewServer(fake.handler(t, code, team, token))
	t.Cleanup(api.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dbPath := filepath.Join(t.TempDir(), "influbot.db")
	s := &served{base: "http://" + addr, stderr: &syncBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(binary, "serve", "--addr", addr, "--db", dbPath)
	s.cmd.Env = append(os.Environ(), "SLACK_SIGNING_SECRET="+serveSecret, "SLACK_API_URL="+api.URL+"/api/", "SLACK_BOT_TOKEN=", "SLACK_APP_TOKEN=",
		"INFLUBOT_ADDR=", "INFLUBOT_HTTP_ADDR=", "SLACK_CLIENT_ID="+installClientID, "SLACK_CLIENT_SECRET="+installClientSecret,
		"INFLUBOT_SECRET_KEY="+installKey, "INFLUBOT_PUBLIC_URL=http://"+addr, "INFLUBOT_LOG_LEVEL=debug")
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
		for _, secret := range []string{token, installClientSecret, installKey, code} {
			if strings.Contains(s.stderr.String(), secret) {
				t.Errorf("%q in the log", secret)
			}
		}
		if t.Failed() {
			t.Logf("influbot's log:\n%s", s.stderr)
		}
	})
	if !eventually(10*time.Second, func() bool { return s.status(t, "/readyz") == http.StatusOK }) {
		t.Fatalf("/readyz never answered 200:\n%s", s.stderr.String())
	}
	browser := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	resp, err := browser.Get(s.base + "/slack/install")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	t.Run("GET /slack/install redirects to Slack's authorize URL with the client id, the scopes and a state", func(t *testing.T) {
		q := loc.Query()
		if resp.StatusCode != http.StatusFound || loc.Host != "slack.com" || loc.Path != "/oauth/v2/authorize" {
			t.Fatalf("%d to %s", resp.StatusCode, loc)
		}
		if q.Get("client_id") != installClientID || !strings.Contains(q.Get("scope"), "commands") || q.Get("state") == "" || q.Get("redirect_uri") != s.base+"/slack/oauth/callback" {
			t.Errorf("query %v", q)
		}
	})

	t.Run("the callback exchanges the code and stores the token sealed", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, s.base+"/slack/oauth/callback?"+url.Values{"code": {code}, "state": {loc.Query().Get("state")}}.Encode(), nil)
		for _, c := range resp.Cookies() {
			req.AddCookie(c)
		}
		cb, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(cb.Body)
		cb.Body.Close()
		if cb.StatusCode != http.StatusOK || !strings.Contains(string(page), "installed in Team One") {
			t.Fatalf("%d %s", cb.StatusCode, page)
		}
		raw, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var sealed string
		if err := raw.QueryRow(`SELECT bot_token FROM slack_installs WHERE install_id = ?`, team).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if sealed == "" || strings.Contains(sealed, token) || !strings.HasPrefix(sealed, "v1:") {
			t.Errorf("stored token %q is not sealed", sealed)
		}
	})

	t.Run("a message in the installed workspace is answered with its token; another workspace's is not", func(t *testing.T) {
		if st := signedEvent(t, s.base, serveSecret, teamEvent(team, "Ev1", map[string]any{"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "text": "help", "ts": "1700000000.000100"})); st != 200 {
			t.Fatalf("status %d", st)
		}
		if st := signedEvent(t, s.base, serveSecret, teamEvent("T2", "Ev2", map[string]any{"type": "message", "channel_type": "im", "user": "U2", "channel": "D2", "text": "help", "ts": "1700000000.000200"})); st != 200 {
			t.Fatalf("status %d", st)
		}
		if !eventually(5*time.Second, func() bool { return strings.Contains(strings.Join(fake.seen(), ","), "chat.postMessage "+token) }) {
			t.Fatalf("no post with the workspace's token: %v", fake.seen())
		}
		for _, c := range fake.seen() {
			if !strings.HasSuffix(c, " "+token) {
				t.Errorf("a call without the installed token: %q", c)
			}
		}
	})

	t.Run("App Home opened is published with the workspace's token", func(t *testing.T) {
		signedEvent(t, s.base, serveSecret, teamEvent(team, "Ev5", map[string]any{"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1700000000.000400"}))
		if !eventually(5*time.Second, func() bool { return strings.Contains(strings.Join(fake.seen(), ","), "views.publish "+token) }) {
			t.Fatalf("no views.publish: %v", fake.seen())
		}
	})

	t.Run("a modal submission with an invalid value is answered inline with its errors", func(t *testing.T) {
		payload, _ := json.Marshal(map[string]any{
			"type": "view_submission", "team": map[string]any{"id": team, "domain": "one"}, "user": map[string]any{"id": "U1", "username": "maya", "team_id": team},
			"api_app_id": "A1", "trigger_id": "1.2.3",
			"view": map[string]any{"id": "V1", "team_id": team, "type": "modal", "callback_id": "form:check",
				"blocks": []map[string]any{
					{"type": "input", "block_id": "platform", "label": map[string]any{"type": "plain_text", "text": "Platform"}, "element": map[string]any{"type": "static_select", "action_id": "value"}},
					{"type": "input", "block_id": "followers", "label": map[string]any{"type": "plain_text", "text": "Followers"}, "element": map[string]any{"type": "plain_text_input", "action_id": "value"}},
				},
				"state": map[string]any{"values": map[string]any{
					"platform":  map[string]any{"value": map[string]any{"type": "static_select", "selected_option": map[string]any{"text": map[string]any{"type": "plain_text", "text": "Instagram"}, "value": "instagram"}}},
					"followers": map[string]any{"value": map[string]any{"type": "plain_text_input", "value": "lots"}},
				}}},
		})
		form := url.Values{"payload": {string(payload)}}.Encode()
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(serveSecret))
		io.WriteString(mac, "v0:"+ts+":"+form)
		req, _ := http.NewRequest(http.MethodPost, s.base+"/slack/interactive", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got struct {
			ResponseAction string            `json:"response_action"`
			Errors         map[string]string `json:"errors"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || got.ResponseAction != "errors" || got.Errors["followers"] == "" {
			t.Fatalf("%d %+v", resp.StatusCode, got)
		}
	})

	t.Run("app_uninstalled deletes the token", func(t *testing.T) {
		if st := signedEvent(t, s.base, serveSecret, teamEvent(team, "Ev3", map[string]any{"type": "app_uninstalled"})); st != 200 {
			t.Fatalf("status %d", st)
		}
		raw, _ := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
		defer raw.Close()
		if !eventually(5*time.Second, func() bool {
			var sealed string
			var revoked sql.NullInt64
			raw.QueryRow(`SELECT bot_token, revoked_at FROM slack_installs WHERE install_id = ?`, team).Scan(&sealed, &revoked)
			return sealed == "" && revoked.Valid
		}) {
			t.Fatal("the token is still stored")
		}
		before := len(fake.seen())
		signedEvent(t, s.base, serveSecret, teamEvent(team, "Ev4", map[string]any{"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "text": "help", "ts": "1700000000.000300"}))
		time.Sleep(300 * time.Millisecond) // a post, if any, would be made before the 200
		if n := len(fake.seen()); n != before {
			t.Errorf("Slack was called after the uninstall: %v", fake.seen()[before:])
		}
	})
}
