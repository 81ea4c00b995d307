package slack

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/influbot/influbot/bot"
)

func TestAppMentionGetsBlockKitReply(t *testing.T) {
	h := newHarness(t, nil)
	resp := h.sendEvent(t, eventCallback(teamA, "Ev001", appMention("U1", "C1", "<@"+botUser+"> why was I *rejected* &amp; what now?")))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}

	req := h.core.nextRequest(t)
	want := bot.UserRef{Platform: bot.PlatformSlack, Tenant: teamA, ID: "U1"}
	if req.User != want || req.Channel != "C1" || req.DM {
		t.Errorf("request from %+v in %q (dm %v), want %+v in C1", req.User, req.Channel, req.DM, want)
	}
	if req.Text != "why was I *rejected* & what now?" {
		t.Errorf("text %q: the mention should be gone and entities unescaped", req.Text)
	}
	if req.Time.Unix() != 1700000000 {
		t.Errorf("time %v, want the message's ts", req.Time)
	}

	p := h.slack.nextPost(t)
	if p.Via != "chat.postMessage" || p.Channel != "C1" {
		t.Fatalf("reply went via %s to %q, want chat.postMessage to C1", p.Via, p.Channel)
	}
	if got := strings.Join(blockTypes(p.Blocks), ","); got != "header,section" {
		t.Errorf("blocks %s, want header,section", got)
	}
	if got := blockText(p.Blocks[1]); got != "You said: *why was I _rejected_ &amp; what now?*" {
		t.Errorf("section %q", got)
	}
	if !strings.HasPrefix(p.Text, "Echo") {
		t.Errorf("fallback text %q should start with the title", p.Text)
	}
}

func TestDirectMessageGetsReply(t *testing.T) {
	h := newHarness(t, nil)
	h.sendEvent(t, eventCallback(teamA, "Ev002", directMessage("U2", "D2", "how long should I wait?")))

	req := h.core.nextRequest(t)
	if !req.DM || req.Channel != "D2" || req.Text != "how long should I wait?" {
		t.Errorf("request %+v, want a DM in D2", req)
	}
	p := h.slack.nextPost(t)
	if p.Via != "chat.postMessage" || p.Channel != "D2" {
		t.Errorf("reply went via %s to %q, want chat.postMessage to D2", p.Via, p.Channel)
	}
}

func TestThreadedMentionIsAnsweredInTheThread(t *testing.T) {
	h := newHarness(t, nil)
	ev := appMention("U1", "C1", "<@"+botUser+"> hi")
	ev["thread_ts"] = "1699999999.000100"
	h.sendEvent(t, eventCallback(teamA, "Ev003", ev))
	if p := h.slack.nextPost(t); p.Thread != "1699999999.000100" {
		t.Errorf("thread_ts %q, want the mention's thread", p.Thread)
	}
}

func TestEphemeralReplyInChannelGoesToTheUserOnly(t *testing.T) {
	core := newFakeCore()
	core.reply = func(bot.Request) bot.Reply { return bot.Reply{Text: "just for you", Ephemeral: true} }
	h := newHarness(t, core)

	h.sendEvent(t, eventCallback(teamA, "Ev010", appMention("U1", "C1", "<@"+botUser+"> help")))
	if p := h.slack.nextPost(t); p.Via != "chat.postEphemeral" || p.Channel != "C1" || p.User != "U1" {
		t.Errorf("got %s to %q for %q, want chat.postEphemeral to C1 for U1", p.Via, p.Channel, p.User)
	}
	h.sendEvent(t, eventCallback(teamA, "Ev011", directMessage("U1", "D1", "help")))
	if p := h.slack.nextPost(t); p.Via != "chat.postMessage" || p.Channel != "D1" {
		t.Errorf("in a DM got %s to %q, want an ordinary message", p.Via, p.Channel)
	}
}

func TestEventsTheBotMustNotAnswer(t *testing.T) {
	edited := directMessage("U1", "D1", "edited")
	edited["subtype"] = "message_changed"
	fromBot := directMessage("U9", "D1", "beep")
	fromBot["bot_id"] = "B0000OTHER"
	mentionByBot := appMention("U9", "C1", "<@"+botUser+"> hi")
	mentionByBot["bot_id"] = "B0000OTHER"
	editedMention := appMention("U1", "C1", "<@"+botUser+"> hi")
	editedMention["edited"] = map[string]any{"user": "U1", "ts": "1700000002.000100"}
	channelMessage := directMessage("U1", "C1", "hello channel")
	channelMessage["channel_type"] = "channel"

	for _, tc := range []struct {
		name  string
		inner map[string]any
	}{
		{"the bot's own message is ignored", directMessage(botUser, "D1", "my own reply")},
		{"another bot's message is ignored", fromBot},
		{"a mention by a bot is ignored", mentionByBot},
		{"an edit is ignored", edited},
		{"an edited mention is ignored", editedMention},
		{"a mention in a DM is left to message.im", appMention("U1", "D1", "<@"+botUser+"> hi")},
		{"a message in a channel without a mention is ignored", channelMessage},
		{"an event the bot does not subscribe to is ignored", map[string]any{"type": "reaction_added", "user": "U1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			resp := h.sendEvent(t, eventCallback(teamA, "EvIgnored", tc.inner))
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d, want 200 so Slack does not retry", resp.StatusCode)
			}
			h.settle(t)
			if n := h.core.count(); n != 0 {
				t.Errorf("the core got %d requests, want none", n)
			}
			h.slack.noMorePosts(t)
		})
	}
}

func TestRequestsSlackMustNotHaveSentAreRefused(t *testing.T) {
	body, _ := json.Marshal(eventCallback(teamA, "Ev020", appMention("U1", "C1", "<@"+botUser+"> hi")))
	now := time.Now()
	for _, tc := range []struct {
		name   string
		header func(h http.Header)
	}{
		{"a request signed with another secret gets 401", func(h http.Header) {
			signer{secret: "not-the-secret", now: time.Now}.sign(h, body)
		}},
		{"a request with a tampered body gets 401", func(h http.Header) {
			signer{secret: testSecret, now: time.Now}.sign(h, append([]byte(" "), body...))
		}},
		{"a request without a signature gets 401", func(h http.Header) {
			h.Set("X-Slack-Request-Timestamp", "1700000000")
		}},
		{"a stale timestamp gets 401", func(h http.Header) {
			signer{secret: testSecret, now: func() time.Time { return now.Add(-6 * time.Minute) }}.sign(h, body)
		}},
		{"a timestamp from the future gets 401", func(h http.Header) {
			signer{secret: testSecret, now: func() time.Time { return now.Add(6 * time.Minute) }}.sign(h, body)
		}},
		{"a malformed signature gets 401", func(h http.Header) {
			signer{secret: testSecret, now: time.Now}.sign(h, body)
			h.Set("X-Slack-Signature", "v0=zz")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			header := http.Header{}
			tc.header(header)
			resp := h.send(t, EventsPath, "application/json", body, header)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", resp.StatusCode)
			}
			h.settle(t)
			if n := h.core.count(); n != 0 {
				t.Errorf("the core got %d requests, want none", n)
			}
			if !strings.Contains(h.logs.String(), "bad signature") {
				t.Errorf("no log line for the refused request:\n%s", h.logs)
			}
		})
	}
}

func TestSignatureTimestampFollowsTheAdaptersClock(t *testing.T) {
	h := newHarness(t, nil, func(a *Adapter) {
		a.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
	})
	resp := h.sendEvent(t, eventCallback(teamA, "Ev021", appMention("U1", "C1", "hi")))
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d: a request 10 minutes ahead of the adapter's clock should get 401", resp.StatusCode)
	}
}

func TestSignatureFreshnessIsJudgedByTheAdaptersClockAlone(t *testing.T) {
	// Slack's timestamp is checked against Adapter.Now, not the wall
	// clock: a request that is fresh by the adapter's clock is accepted.
	adapterNow := func() time.Time { return time.Now().Add(-10 * time.Minute) }
	h := newHarness(t, nil, func(a *Adapter) { a.Now = adapterNow })
	h.sign.now = adapterNow
	resp := h.sendEvent(t, eventCallback(teamA, "Ev022", directMessage("U1", "D1", "hi")))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: a request fresh by the adapter's clock should get 200\n%s", resp.StatusCode, h.logs)
	}
	h.core.nextRequest(t)
	h.slack.nextPost(t)
}

func TestURLVerificationReturnsTheChallenge(t *testing.T) {
	h := newHarness(t, nil)
	resp := h.sendEvent(t, map[string]any{"token": "x", "type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("got %d %q, want 200 and the challenge", resp.StatusCode, body)
	}
}

func TestRetriedEventIsHandledOnce(t *testing.T) {
	h := newHarness(t, nil)
	payload := eventCallback(teamA, "Ev030", appMention("U1", "C1", "<@"+botUser+"> hi"))
	h.sendEvent(t, payload)
	body, _ := json.Marshal(payload)
	for retry := 1; retry <= 3; retry++ {
		header := http.Header{}
		h.sign.sign(header, body)
		header.Set("X-Slack-Retry-Num", string(rune('0'+retry)))
		header.Set("X-Slack-Retry-Reason", "http_timeout")
		if resp := h.send(t, EventsPath, "application/json", body, header); resp.StatusCode != http.StatusOK {
			t.Errorf("retry %d: status %d, want 200", retry, resp.StatusCode)
		}
	}
	h.settle(t)
	if n := h.core.count(); n != 1 {
		t.Errorf("the core got %d requests, want 1", n)
	}
	h.slack.nextPost(t)
	h.slack.noMorePosts(t)
}

func TestMalformedAndOversizedRequestsGet4xx(t *testing.T) {
	for _, tc := range []struct {
		name, path, contentType string
		body                    []byte
		status                  int // 0: 400
	}{
		{"malformed JSON", EventsPath, "application/json", []byte(`{"type":"event_callback",`), 0},
		{"an event_callback without an event", EventsPath, "application/json", []byte(`{"type":"event_callback","team_id":"T1","event_id":"Ev1"}`), 0},
		{"an event of the wrong shape", EventsPath, "application/json", []byte(`{"type":"event_callback","team_id":"T1","event":{"type":"app_mention","user":7}}`), 0},
		{"an oversized event", EventsPath, "application/json", []byte(`{"type":"event_callback","pad":"` + strings.Repeat("x", maxBody) + `"}`), http.StatusRequestEntityTooLarge},
		{"a slash command without a user", CommandsPath, "application/x-www-form-urlencoded", []byte("command=%2Finfluebot&text=hi&team_id=T1"), 0},
		{"a slash command with a broken form", CommandsPath, "application/x-www-form-urlencoded", []byte("text=%zz"), 0},
		{"an oversized slash command", CommandsPath, "application/x-www-form-urlencoded", []byte("text=" + strings.Repeat("x", maxBody)), http.StatusRequestEntityTooLarge},
		{"an interaction without a payload", InteractivePath, "application/x-www-form-urlencoded", []byte("foo=bar"), 0},
		{"an interaction with malformed JSON", InteractivePath, "application/x-www-form-urlencoded", []byte("payload=%7B%22type%22%3A"), 0},
	} {
		want := cmp.Or(tc.status, http.StatusBadRequest)
		t.Run(fmt.Sprintf("%s gets %d", tc.name, want), func(t *testing.T) {
			h := newHarness(t, nil)
			resp := h.send(t, tc.path, tc.contentType, tc.body, nil)
			if resp.StatusCode != want {
				t.Errorf("status %d, want %d", resp.StatusCode, want)
			}
			h.settle(t)
			if n := h.core.count(); n != 0 {
				t.Errorf("the core got %d requests, want none", n)
			}
		})
	}
}

func TestOnlyPOSTIsServed(t *testing.T) {
	h := newHarness(t, nil)
	resp, err := http.Get(h.srv.URL + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET %s: status %d, want 405", EventsPath, resp.StatusCode)
	}
	resp, err = http.Get(h.srv.URL + HealthPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: status %d, want 200", HealthPath, resp.StatusCode)
	}
}

func TestTenancy(t *testing.T) {
	h := newHarness(t, nil)
	h.sendEvent(t, eventCallback(teamA, "Ev040", directMessage("U1", "D1", "hi")))
	a := h.core.nextRequest(t)
	h.sendEvent(t, eventCallback(teamB, "Ev041", directMessage("U1", "D1", "hi")))
	b := h.core.nextRequest(t)
	if a.User == b.User {
		t.Errorf("the same user id in two teams gave one user %v", a.User)
	}
	if a.User.Tenant != teamA || b.User.Tenant != teamB {
		t.Errorf("tenants %q and %q, want %q and %q", a.User.Tenant, b.User.Tenant, teamA, teamB)
	}

	t.Run("on Enterprise Grid the tenant is the workspace, not the organisation", func(t *testing.T) {
		ev := eventCallback(teamA, "Ev042", directMessage("W1", "D1", "hi"))
		ev["enterprise_id"] = enterprise
		h.sendEvent(t, ev)
		if got := h.core.nextRequest(t).User.Tenant; got != teamA {
			t.Errorf("tenant %q, want %q", got, teamA)
		}
	})
	t.Run("an org-level event falls back to the installation's workspace", func(t *testing.T) {
		ev := eventCallback(enterprise, "Ev043", directMessage("W1", "D1", "hi"))
		ev["enterprise_id"] = enterprise
		ev["authorizations"] = []map[string]any{{"enterprise_id": enterprise, "team_id": teamB, "user_id": botUser, "is_bot": true}}
		h.sendEvent(t, ev)
		if got := h.core.nextRequest(t).User.Tenant; got != teamB {
			t.Errorf("tenant %q, want %q", got, teamB)
		}
	})
}

func TestAdminAndNameComeFromUsersInfo(t *testing.T) {
	clk := newClock()
	h := newHarness(t, nil, func(a *Adapter) { a.Now, a.ProfileTTL = clk.Now, time.Minute })
	h.slack.setUser("UADMIN", true, "Ada")

	h.sendEvent(t, eventCallback(teamA, "Ev050", directMessage("UADMIN", "D1", "admin-report")))
	req := h.core.nextRequest(t)
	if !req.Admin || req.UserName != "Ada" {
		t.Errorf("admin %v name %q, want an admin named Ada", req.Admin, req.UserName)
	}
	h.sendEvent(t, eventCallback(teamA, "Ev051", directMessage("UADMIN", "D1", "help")))
	h.core.nextRequest(t)
	if n := h.slack.called("users.info"); n != 1 {
		t.Errorf("users.info called %d times, want 1 (cached)", n)
	}

	t.Run("a plain question costs no users.info call", func(t *testing.T) {
		h.sendEvent(t, eventCallback(teamA, "Ev052", directMessage("UOTHER", "D1", "why was I rejected?")))
		if req := h.core.nextRequest(t); req.Admin {
			t.Error("a question was marked admin")
		}
		if n := h.slack.called("users.info"); n != 1 {
			t.Errorf("users.info called %d times, want still 1", n)
		}
	})
	t.Run("the cache expires", func(t *testing.T) {
		clk.Add(time.Minute + time.Second)
		h.sendEvent(t, eventCallback(teamA, "Ev053", directMessage("UADMIN", "D1", "check")))
		h.core.nextRequest(t)
		if n := h.slack.called("users.info"); n != 2 {
			t.Errorf("users.info called %d times, want 2", n)
		}
	})
	t.Run("admin in one workspace is not admin in another", func(t *testing.T) {
		// UADMIN is an admin of teamA (users.info says so), writing in teamB.
		h.sendEvent(t, eventCallback(teamB, "Ev054", directMessage("UADMIN", "D1", "admin-report")))
		if req := h.core.nextRequest(t); req.Admin {
			t.Error("the admin flag leaked across workspaces")
		}
	})
	t.Run("an admin of another organisation in a shared channel is not an admin here", func(t *testing.T) {
		// Slack Connect: users.info describes an outside user's standing in
		// their own workspace.
		h.slack.setUser("UOUTSIDE", true, "Olu")
		h.slack.setUserTeam("UOUTSIDE", "T0000EXTERNAL")
		ev := appMention("UOUTSIDE", "C1", "<@"+botUser+"> admin-report")
		ev["user_team"], ev["source_team"] = "T0000EXTERNAL", "T0000EXTERNAL"
		h.sendEvent(t, eventCallback(teamA, "Ev056", ev))
		req := h.core.nextRequest(t)
		if req.User.Tenant != teamA {
			t.Errorf("tenant %q, want the workspace the channel belongs to (%s)", req.User.Tenant, teamA)
		}
		if req.Admin {
			t.Error("an outside organisation's admin counts as an admin of this workspace")
		}
	})
	t.Run("a failing users.info means not admin, and the request is still answered", func(t *testing.T) {
		h.slack.fail("users.info", failure{Code: "missing_scope"})
		h.sendEvent(t, eventCallback(teamA, "Ev055", directMessage("UNEW", "D1", "help")))
		if req := h.core.nextRequest(t); req.Admin {
			t.Error("admin after a failed lookup")
		}
	})
	h.settle(t)
	for len(h.slack.posts) > 0 {
		<-h.slack.posts
	}
}

func TestRateLimitedReplyIsRetried(t *testing.T) {
	h := newHarness(t, nil)
	h.slack.fail("chat.postMessage", failure{Status: http.StatusTooManyRequests, RetryAfter: "2"})
	h.slack.fail("chat.postMessage", failure{Status: http.StatusTooManyRequests, RetryAfter: "1"})
	h.sendEvent(t, eventCallback(teamA, "Ev060", directMessage("U1", "D1", "hi")))

	if p := h.slack.nextPost(t); p.Channel != "D1" {
		t.Errorf("reply landed in %q, want D1", p.Channel)
	}
	if first, second := <-h.waits, <-h.waits; first != 2*time.Second || second != time.Second {
		t.Errorf("waited %v then %v, want Retry-After's 2s then 1s", first, second)
	}
	if n := h.slack.called("chat.postMessage"); n != 3 {
		t.Errorf("chat.postMessage called %d times, want 3", n)
	}
}

func TestRateLimitRetriesAreBounded(t *testing.T) {
	h := newHarness(t, nil)
	for range maxRetries + 1 {
		h.slack.fail("chat.postMessage", failure{Status: http.StatusTooManyRequests, RetryAfter: "1"})
	}
	h.sendEvent(t, eventCallback(teamA, "Ev061", directMessage("U1", "D1", "hi")))
	h.settle(t)
	if n := h.slack.called("chat.postMessage"); n != maxRetries+1 {
		t.Errorf("chat.postMessage called %d times, want %d", n, maxRetries+1)
	}
	if !strings.Contains(h.logs.String(), "deliver reply") {
		t.Errorf("the lost reply was not logged:\n%s", h.logs)
	}
}

func TestBusyAdapterAsksSlackToRetry(t *testing.T) {
	core := newFakeCore()
	core.release = make(chan struct{})
	h := newHarness(t, core, func(a *Adapter) { a.MaxInFlight, a.QueueWait = 1, 50*time.Millisecond })

	h.sendEvent(t, eventCallback(teamA, "Ev070", directMessage("U1", "D1", "one")))
	core.nextRequest(t)
	resp := h.sendEvent(t, eventCallback(teamA, "Ev071", directMessage("U1", "D1", "two")))
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d with no room, want 503", resp.StatusCode)
	}
	close(core.release)
	h.settle(t)
	h.slack.nextPost(t)

	// Slack's retry of the refused event is answered.
	resp = h.sendEvent(t, eventCallback(teamA, "Ev071", directMessage("U1", "D1", "two")))
	if resp.StatusCode != http.StatusOK {
		t.Errorf("retry status %d, want 200", resp.StatusCode)
	}
	if req := core.nextRequest(t); req.Text != "two" {
		t.Errorf("got %q, want the retried event", req.Text)
	}
	h.slack.nextPost(t)
}

func TestRealCoreAnswersAMention(t *testing.T) {
	h := newHarness(t, realCore(t))
	h.sendEvent(t, eventCallback(teamA, "Ev080", appMention("U1", "C1", "<@"+botUser+"> why was I rejected?")))
	p := h.slack.nextPost(t)
	if p.Via != "chat.postMessage" || p.Channel != "C1" || len(p.Blocks) == 0 {
		t.Fatalf("got %+v, want a Block Kit message in C1", p)
	}
	var text strings.Builder
	for _, b := range p.Blocks {
		text.WriteString(blockText(b))
	}
	if !strings.Contains(strings.ToLower(text.String()), "reject") {
		t.Errorf("the answer does not talk about rejection:\n%s", text.String())
	}
	if strings.Contains(text.String(), "**") {
		t.Errorf("Markdown bold reached Slack unconverted:\n%s", text.String())
	}
}

func TestAdminCountsOnlyInTheUsersOwnWorkspace(t *testing.T) {
	grid := slackapi.EnterpriseUser{EnterpriseID: enterprise, Teams: []string{teamA, teamB}}
	for _, tc := range []struct {
		name   string
		user   slackapi.User
		tenant string
		want   bool
	}{
		{"an admin of this workspace is an admin", slackapi.User{TeamID: teamA, IsAdmin: true}, teamA, true},
		{"an owner of this workspace is an admin", slackapi.User{TeamID: teamA, IsOwner: true}, teamA, true},
		{"a member is not an admin", slackapi.User{TeamID: teamA}, teamA, false},
		{"an admin of another workspace is not an admin here", slackapi.User{TeamID: teamB, IsAdmin: true}, teamA, false},
		{"an outside user (is_stranger) is not an admin", slackapi.User{TeamID: teamA, IsAdmin: true, IsStranger: true}, teamA, false},
		{"a Grid admin counts in every workspace of the organisation", slackapi.User{TeamID: teamB, IsAdmin: true, Enterprise: grid}, teamA, true},
		{"a Grid admin counts at the organisation level", slackapi.User{TeamID: teamB, IsAdmin: true, Enterprise: grid}, enterprise, true},
		{"a Grid admin does not count in a workspace outside the organisation", slackapi.User{TeamID: teamB, IsAdmin: true, Enterprise: grid}, "T0000OTHER", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := adminIn(&tc.user, tc.tenant); got != tc.want {
				t.Errorf("adminIn = %v, want %v", got, tc.want)
			}
		})
	}
}
