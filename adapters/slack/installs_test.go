package slack

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// memInstalls keeps installs in memory: the adapter's side of the flow is
// the point here (store/ has its own tests on SQLite).
type memInstalls struct {
	mu    sync.Mutex
	m     map[string]Install
	teams map[string]string
	saves int
}

func newMemInstalls() *memInstalls {
	return &memInstalls{m: map[string]Install{}, teams: map[string]string{}}
}

func (s *memInstalls) SaveInstall(_ context.Context, in Install) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[in.ID] = in
	s.saves++
	return nil
}

func (s *memInstalls) LoadInstall(_ context.Context, id string) (Install, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.m[id]
	if !ok {
		in, ok = s.m[s.teams[id]]
	}
	return in, ok && in.Token != "", nil
}

func (s *memInstalls) RevokeInstall(_ context.Context, id string, _ time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.m[id]
	if !ok || in.Token == "" {
		return false, nil
	}
	in.Token = ""
	s.m[id] = in
	return true, nil
}

func (s *memInstalls) NoteInstallTeam(_ context.Context, id, team string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.teams[team] = id
	return nil
}

func (s *memInstalls) get(id string) Install {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}

func testKey(b byte) string {
	return base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(rune('a'+b)), 32)))
}

func newTestSealer(t testing.TB) *Sealer {
	t.Helper()
	s, err := NewSealer(testKey(0))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// installHarness is an adapter in many-workspace mode: no SLACK_BOT_TOKEN,
// installs in memory, the install flow on.
func installHarness(t *testing.T) (*harness, *memInstalls) {
	t.Helper()
	installs := newMemInstalls()
	var h *harness
	h = newHarness(t, nil, func(a *Adapter) {
		a.BotToken = ""
		a.Installs = installs
		a.Sealer = newTestSealer(t)
		a.OAuth = &OAuthConfig{ClientID: testClientID, ClientSecret: testClientSecret,
			RedirectURL: "https://influbot.example/slack/oauth/callback", AuthorizeURL: "https://slack.example/oauth/v2/authorize"}
	})
	return h, installs
}

// noRedirects is a browser that shows redirects rather than following them.
var noRedirects = &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// startInstall opens the install link and returns the state and the cookie.
func startInstall(t *testing.T, h *harness) (*url.URL, *http.Cookie) {
	t.Helper()
	resp, err := noRedirects.Get(h.srv.URL + InstallPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("install: status %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	var ck *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == stateCookie {
			ck = c
		}
	}
	if ck == nil {
		t.Fatal("no state cookie")
	}
	return loc, ck
}

// callback comes back from Slack with code and state, carrying cookie.
func callback(t *testing.T, h *harness, q url.Values, ck *http.Cookie) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+OAuthCallbackPath+"?"+q.Encode(), nil)
	if ck != nil {
		req.AddCookie(ck)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, body(t, resp.Body)
}

func install(t *testing.T, h *harness, code, team, enterprise, token string, org bool) {
	t.Helper()
	h.slack.install(code, team, enterprise, token, org)
	loc, ck := startInstall(t, h)
	status, page := callback(t, h, url.Values{"code": {code}, "state": {loc.Query().Get("state")}}, ck)
	if status != http.StatusOK || !strings.Contains(page, "installed") {
		t.Fatalf("callback: %d %s", status, page)
	}
}

func TestInstallFlow(t *testing.T) {
	h, installs := installHarness(t)

	t.Run("the install link redirects to Slack's authorize page with the client id, scopes and a state", func(t *testing.T) {
		loc, ck := startInstall(t, h)
		q := loc.Query()
		if loc.Host != "slack.example" || loc.Path != "/oauth/v2/authorize" {
			t.Errorf("redirect to %s", loc)
		}
		if q.Get("client_id") != testClientID || q.Get("scope") != strings.Join(BotScopes, ",") || q.Get("redirect_uri") != "https://influbot.example/slack/oauth/callback" {
			t.Errorf("query %v", q)
		}
		if st := q.Get("state"); len(st) < 40 || !strings.HasPrefix(st, ck.Value+".") {
			t.Errorf("state %q not bound to the cookie %q", st, ck.Value)
		}
		if !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode {
			t.Errorf("cookie %+v", ck)
		}
	})

	const tokenA, tokenB = "xoxb-team-a-token", "xoxb-team-b-token"
	install(t, h, "code-a", teamA, "", tokenA, false)
	install(t, h, "code-b", teamB, "", tokenB, false)

	t.Run("the token is stored sealed, bound to its workspace", func(t *testing.T) {
		in := installs.get(teamA)
		if in.Token == "" || strings.Contains(in.Token, tokenA) || !strings.HasPrefix(in.Token, "v1:") || in.TeamName != "Team "+teamA || in.InstalledBy != "UINSTALLER" {
			t.Fatalf("stored %+v", in)
		}
		if _, _, err := h.adapter.Sealer.Open(in.Token, teamB); err == nil {
			t.Error("team A's sealed token opens as team B's")
		}
	})

	t.Run("every call uses the token of the workspace it concerns", func(t *testing.T) {
		h.sendEvent(t, eventCallback(teamA, "EvI1", directMessage("U1", "D1", "hello from A")))
		if p := h.slack.nextPost(t); p.Channel != "D1" {
			t.Errorf("posted to %s", p.Channel)
		}
		h.sendEvent(t, eventCallback(teamB, "EvI2", directMessage("U9", "D9", "hello from B")))
		if p := h.slack.nextPost(t); p.Channel != "D9" {
			t.Errorf("posted to %s", p.Channel)
		}
		a, b := h.slack.tokenCalls(tokenA), h.slack.tokenCalls(tokenB)
		if len(a) != 1 || len(b) != 1 || a[0] != "chat.postMessage" || b[0] != "chat.postMessage" {
			t.Errorf("calls with A's token %v, with B's %v: want one post each", a, b)
		}
	})

	t.Run("a workspace that did not install gets no token", func(t *testing.T) {
		before := h.slack.called("chat.postMessage")
		h.sendEvent(t, eventCallback("T0000CCCC", "EvI3", directMessage("U5", "D5", "hello from C")))
		h.settle(t)
		if n := h.slack.called("chat.postMessage"); n != before {
			t.Errorf("posted for a workspace without an install")
		}
	})

	t.Run("bad states are refused", func(t *testing.T) {
		h.slack.install("code-x", "T0000XXXX", "", "xoxb-x", false)
		loc, ck := startInstall(t, h)
		state := loc.Query().Get("state")
		other := *ck
		other.Value = "someone-else"
		for name, tc := range map[string]struct {
			q  url.Values
			ck *http.Cookie
		}{
			"no cookie":       {url.Values{"code": {"code-x"}, "state": {state}}, nil},
			"another cookie":  {url.Values{"code": {"code-x"}, "state": {state}}, &other},
			"forged state":    {url.Values{"code": {"code-x"}, "state": {ck.Value + ".9999999999.AAAA"}}, ck},
			"no code":         {url.Values{"state": {state}}, ck},
			"malformed state": {url.Values{"code": {"code-x"}, "state": {"nonsense"}}, ck},
		} {
			if status, page := callback(t, h, tc.q, tc.ck); status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", name, status, page)
			}
		}
		if status, _ := callback(t, h, url.Values{"code": {"code-x"}, "state": {state}}, ck); status != http.StatusOK {
			t.Fatalf("the good callback after refusals: %d", status)
		}
		if status, _ := callback(t, h, url.Values{"code": {"code-x"}, "state": {state}}, ck); status != http.StatusBadRequest {
			t.Errorf("a state used twice: %d", status)
		}
	})

	t.Run("the user canceling in Slack gets a page, not an error", func(t *testing.T) {
		if status, page := callback(t, h, url.Values{"error": {"access_denied"}}, nil); status != http.StatusOK || !strings.Contains(page, "canceled") {
			t.Errorf("%d %s", status, page)
		}
	})

	t.Run("app_uninstalled deletes that workspace's token only", func(t *testing.T) {
		h.sendEvent(t, eventCallback(teamA, "EvI4", map[string]any{"type": "app_uninstalled"}))
		h.settle(t)
		if in := installs.get(teamA); in.Token != "" {
			t.Fatalf("token kept after uninstall")
		}
		before := len(h.slack.tokenCalls(tokenA))
		h.sendEvent(t, eventCallback(teamA, "EvI5", directMessage("U1", "D1", "still there?")))
		h.settle(t)
		if n := len(h.slack.tokenCalls(tokenA)); n != before {
			t.Errorf("the revoked token was used again")
		}
		h.sendEvent(t, eventCallback(teamB, "EvI6", directMessage("U9", "D9", "B still works")))
		if p := h.slack.nextPost(t); p.Channel != "D9" {
			t.Errorf("B posted to %s", p.Channel)
		}
	})

	t.Run("tokens_revoked for the bot deletes the token", func(t *testing.T) {
		h.sendEvent(t, eventCallback(teamB, "EvI7", map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"bot": []string{botUser}}}))
		h.settle(t)
		if in := installs.get(teamB); in.Token != "" {
			t.Fatalf("token kept after tokens_revoked")
		}
	})

	t.Run("tokens come from no log", func(t *testing.T) {
		for _, tok := range []string{tokenA, tokenB, testClientSecret, "code-a"} {
			if strings.Contains(h.logs.String(), tok) {
				t.Errorf("%q in the log", tok)
			}
		}
	})
}

func TestInstallStateExpires(t *testing.T) {
	clk := newClock()
	installs := newMemInstalls()
	h := newHarness(t, nil, func(a *Adapter) {
		a.BotToken, a.Installs, a.Sealer, a.Now = "", installs, newTestSealer(t), clk.Now
		a.OAuth = &OAuthConfig{ClientID: testClientID, ClientSecret: testClientSecret, RedirectURL: "https://influbot.example/slack/oauth/callback"}
	})
	h.slack.install("code-x", "T0000XXXX", "", "xoxb-x", false)
	loc, ck := startInstall(t, h)
	if loc.Host != "slack.com" {
		t.Errorf("authorize at %s, want Slack's", loc.Host)
	}
	clk.Add(DefaultStateTTL + time.Second)
	if status, page := callback(t, h, url.Values{"code": {"code-x"}, "state": {loc.Query().Get("state")}}, ck); status != http.StatusBadRequest || !strings.Contains(page, "expired") {
		t.Errorf("%d %s", status, page)
	}
	if h.slack.called("oauth.v2.access") != 0 {
		t.Error("an expired state reached oauth.v2.access")
	}
}

func TestOrgInstall(t *testing.T) {
	h, installs := installHarness(t)
	const token = "xoxb-grid-token"
	install(t, h, "code-e", "", enterprise, token, true)
	in := installs.get(enterprise)
	if !in.EnterpriseInstall || in.ID != enterprise || in.TeamID != "" {
		t.Fatalf("org install stored as %+v", in)
	}
	// An event from one of the organisation's workspaces, delivered for
	// the org install.
	ev := eventCallback(teamA, "EvE1", directMessage("U1", "D1", "hello from the grid"))
	ev["enterprise_id"] = enterprise
	ev["authorizations"] = []map[string]any{{"enterprise_id": enterprise, "team_id": nil, "user_id": botUser, "is_bot": true, "is_enterprise_install": true}}
	h.sendEvent(t, ev)
	if p := h.slack.nextPost(t); p.Channel != "D1" {
		t.Fatalf("posted to %s", p.Channel)
	}
	if calls := h.slack.tokenCalls(token); len(calls) != 1 {
		t.Errorf("calls with the org token: %v", calls)
	}
	t.Run("a nudge to a user of a workspace seen under the org finds its token", func(t *testing.T) {
		h.adapter.clients.mu.Lock()
		clear(h.adapter.clients.m)
		h.adapter.clients.mu.Unlock()
		if err := h.adapter.Notify(context.Background(), bot.UserRef{Platform: bot.PlatformSlack, Tenant: teamA, ID: "U1"}, bot.Reply{Text: "nudge"}, ""); err != nil {
			t.Fatal(err)
		}
		if p := h.slack.nextPost(t); p.Channel != "DU1" {
			t.Errorf("nudge to %s", p.Channel)
		}
	})
}

func TestSealer(t *testing.T) {
	old, err := NewSealer(testKey(1))
	if err != nil {
		t.Fatal(err)
	}
	sealedOld, _ := old.Seal("xoxb-secret", "T1")
	cur, err := NewSealer(testKey(2), testKey(1)+","+testKey(3))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := cur.Seal("xoxb-secret", "T1")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := cur.Seal("xoxb-secret", "T1")
	tests := []struct {
		name      string
		sealer    *Sealer
		sealed    string
		context   string
		want      string
		wantStale bool
		wantErr   bool
	}{
		{"opens what it sealed", cur, sealed, "T1", "xoxb-secret", false, false},
		{"opens an old key's value and says it is stale", cur, sealedOld, "T1", "xoxb-secret", true, false},
		{"refuses another workspace's context", cur, sealed, "T2", "", false, true},
		{"refuses a key it does not have", old, sealed, "T1", "", false, true},
		{"refuses a tampered value", cur, sealed[:len(sealed)-2] + "AA", "T1", "", false, true},
		{"refuses plain text", cur, "xoxb-secret", "T1", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, stale, err := tt.sealer.Open(tt.sealed, tt.context)
			if (err != nil) != tt.wantErr || got != tt.want || stale != tt.wantStale {
				t.Errorf("got %q stale %v err %v", got, stale, err)
			}
		})
	}
	if sealed == again {
		t.Error("two seals of one value are equal: the nonce is not fresh")
	}
	for _, bad := range []string{"", "short", base64.StdEncoding.EncodeToString(make([]byte, 16))} {
		if _, err := NewSealer(bad); err == nil || strings.Contains(err.Error(), bad) && bad != "" {
			t.Errorf("key %q: err %v", bad, err)
		}
	}
}

func TestKeyRotationResealsOnRead(t *testing.T) {
	h, installs := installHarness(t)
	install(t, h, "code-a", teamA, "", "xoxb-rot", false)
	oldID := h.adapter.Sealer.KeyID()
	rotated, err := NewSealer(testKey(5), testKey(0))
	if err != nil {
		t.Fatal(err)
	}
	h.adapter.Sealer = rotated
	h.sendEvent(t, eventCallback(teamA, "EvR1", directMessage("U1", "D1", "after rotation")))
	h.slack.nextPost(t)
	in := installs.get(teamA)
	if strings.Contains(in.Token, ":"+oldID+":") || !strings.Contains(in.Token, ":"+rotated.KeyID()+":") {
		t.Errorf("token still sealed with the old key: %s", in.Token[:12])
	}
}
