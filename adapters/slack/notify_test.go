package slack

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

var _ bot.Notifier = (*Adapter)(nil)

func slackUser(team, id string) bot.UserRef {
	return bot.UserRef{Platform: bot.PlatformSlack, Tenant: team, ID: id}
}

func TestNotifyOpensADMAndPostsWithTheKey(t *testing.T) {
	h := newHarness(t, nil)
	nudge := bot.Reply{Title: "Time to post", Text: "Share one **product video** today.", Buttons: []bot.Button{{ActionID: "plan:done", Label: "Done", Value: "t1", Style: bot.ButtonSuccess}}}
	if err := h.adapter.Notify(context.Background(), slackUser(teamA, "U1"), nudge, "nudge42"); err != nil {
		t.Fatalf("notify: %v", err)
	}
	p := h.slack.nextPost(t)
	if p.Via != "chat.postMessage" || p.Channel != "DU1" {
		t.Fatalf("got %s to %q, want chat.postMessage to the DM DU1", p.Via, p.Channel)
	}
	if p.Metadata["event_type"] != NudgeEventType {
		t.Errorf("metadata %v, want event_type %s", p.Metadata, NudgeEventType)
	}
	if payload, _ := p.Metadata["event_payload"].(map[string]any); payload["key"] != "nudge42" {
		t.Errorf("metadata payload %v, want the key", p.Metadata["event_payload"])
	}
	if got := strings.Join(blockTypes(p.Blocks), ","); got != "header,section,actions" {
		t.Errorf("blocks %s", got)
	}
	if n := h.slack.called("conversations.open"); n != 1 {
		t.Errorf("conversations.open called %d times", n)
	}
}

func TestNotifyErrors(t *testing.T) {
	for _, tc := range []struct {
		name        string
		user        bot.UserRef
		setup       func(f *fakeSlack)
		unreachable bool
		retryAfter  time.Duration
	}{
		{"a user that does not exist is unreachable", slackUser(teamA, "UGONE"),
			func(f *fakeSlack) { f.setDMError("UGONE", "user_not_found") }, true, 0},
		{"a bot user is unreachable", slackUser(teamA, "UBOT2"),
			func(f *fakeSlack) { f.setDMError("UBOT2", "cannot_dm_bot") }, true, 0},
		{"a deactivated user is unreachable", slackUser(teamA, "UOFF"),
			func(f *fakeSlack) { f.setDMError("UOFF", "user_disabled") }, true, 0},
		{"an archived DM is unreachable", slackUser(teamA, "U1"),
			func(f *fakeSlack) { f.fail("chat.postMessage", failure{Code: "is_archived"}) }, true, 0},
		{"a user of another workspace is unreachable", slackUser(teamB, "U1"), nil, true, 0},
		{"a user of another platform is unreachable", bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "1", ID: "2"}, nil, true, 0},
		{"a 429 on conversations.open is a RateLimitedError", slackUser(teamA, "U1"),
			func(f *fakeSlack) {
				f.fail("conversations.open", failure{Status: http.StatusTooManyRequests, RetryAfter: "30"})
			}, false, 30 * time.Second},
		{"a 429 on chat.postMessage is a RateLimitedError", slackUser(teamA, "U1"),
			func(f *fakeSlack) {
				f.fail("chat.postMessage", failure{Status: http.StatusTooManyRequests, RetryAfter: "7"})
			}, false, 7 * time.Second},
		{"a server error is transient", slackUser(teamA, "U1"),
			func(f *fakeSlack) { f.fail("chat.postMessage", failure{Status: http.StatusInternalServerError}) }, false, 0},
		{"an internal_error is transient", slackUser(teamA, "U1"),
			func(f *fakeSlack) { f.fail("chat.postMessage", failure{Code: "internal_error"}) }, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			if tc.setup != nil {
				tc.setup(h.slack)
			}
			err := h.adapter.Notify(context.Background(), tc.user, bot.Reply{Text: "nudge"}, "k1")
			if err == nil {
				t.Fatal("notify succeeded, want an error")
			}
			if got := errors.Is(err, bot.ErrUnreachable); got != tc.unreachable {
				t.Errorf("errors.Is(ErrUnreachable) = %v, want %v (err: %v)", got, tc.unreachable, err)
			}
			var rl *bot.RateLimitedError
			if got := errors.As(err, &rl); got != (tc.retryAfter > 0) {
				t.Errorf("RateLimitedError: %v, want %v (err: %v)", got, tc.retryAfter > 0, err)
			} else if got && rl.RetryAfter != tc.retryAfter {
				t.Errorf("RetryAfter %v, want %v", rl.RetryAfter, tc.retryAfter)
			}
			if n := h.slack.called("chat.postMessage") + h.slack.called("conversations.open"); tc.retryAfter > 0 && n > 2 {
				t.Errorf("Notify retried by itself (%d calls); the dispatcher backs off", n)
			}
			h.slack.noMorePosts(t)
		})
	}
}

func TestNotifyUploadsAFile(t *testing.T) {
	h := newHarness(t, nil)
	r := bot.Reply{Text: "Your plan", File: &bot.File{Name: "plan.csv", ContentType: "text/csv", Data: []byte("day,task\n1,post\n")}}
	if err := h.adapter.Notify(context.Background(), slackUser(teamA, "U1"), r, "k2"); err != nil {
		t.Fatalf("notify: %v", err)
	}
	h.slack.nextPost(t)
	select {
	case up := <-h.slack.uploads:
		if up.Name != "plan.csv" || up.Content != "day,task\n1,post\n" || up.Channel != "DU1" {
			t.Errorf("upload %+v", up)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no file was uploaded")
	}
}

func TestRetriedNudgeIsShownOnce(t *testing.T) {
	nudge := bot.Reply{Title: "Time to post", Text: "Share one product video today."}
	user := slackUser(teamA, "U1")
	ctx := context.Background()

	t.Run("a nudge whose answer was lost is not posted again", func(t *testing.T) {
		h := newHarness(t, nil)
		h.slack.fail("chat.postMessage", failure{Lost: true})
		err := h.adapter.Notify(ctx, user, nudge, "key1")
		if err == nil || errors.Is(err, bot.ErrUnreachable) {
			t.Fatalf("notify = %v, want a transient error", err)
		}
		h.slack.nextPost(t) // Slack showed it; the adapter did not hear so
		if err := h.adapter.Notify(ctx, user, nudge, "key1"); err != nil {
			t.Fatalf("retry: %v", err)
		}
		h.slack.noMorePosts(t)
		if n := h.slack.called("conversations.history"); n != 1 {
			t.Errorf("conversations.history called %d times, want once for the retry", n)
		}
	})

	t.Run("a nudge lost before Slack showed it is posted on retry", func(t *testing.T) {
		h := newHarness(t, nil)
		h.slack.fail("chat.postMessage", failure{Status: http.StatusBadGateway})
		if err := h.adapter.Notify(ctx, user, nudge, "key2"); err == nil {
			t.Fatal("notify succeeded through a 502")
		}
		if err := h.adapter.Notify(ctx, user, nudge, "key2"); err != nil {
			t.Fatalf("retry: %v", err)
		}
		if p := h.slack.nextPost(t); p.Metadata["event_type"] != NudgeEventType {
			t.Errorf("metadata %v", p.Metadata)
		}
		h.slack.noMorePosts(t)
	})

	t.Run("a nudge Slack refused is posted on retry without reading the DM", func(t *testing.T) {
		h := newHarness(t, nil)
		h.slack.fail("chat.postMessage", failure{Code: "internal_error"})
		if err := h.adapter.Notify(ctx, user, nudge, "key3"); err == nil {
			t.Fatal("notify succeeded through an error")
		}
		if err := h.adapter.Notify(ctx, user, nudge, "key3"); err != nil {
			t.Fatalf("retry: %v", err)
		}
		h.slack.nextPost(t)
		if n := h.slack.called("conversations.history"); n != 0 {
			t.Errorf("conversations.history called %d times after a plain refusal", n)
		}
	})

	t.Run("when the DM cannot be read the nudge is posted again: at least once", func(t *testing.T) {
		h := newHarness(t, nil)
		h.slack.fail("chat.postMessage", failure{Lost: true})
		h.slack.fail("conversations.history", failure{Code: "missing_scope"})
		h.adapter.Notify(ctx, user, nudge, "key4")
		h.slack.nextPost(t)
		if err := h.adapter.Notify(ctx, user, nudge, "key4"); err != nil {
			t.Fatalf("retry: %v", err)
		}
		h.slack.nextPost(t)
		if !strings.Contains(h.logs.String(), "could not read the DM") {
			t.Errorf("the fallback was not logged:\n%s", h.logs)
		}
	})

	t.Run("only the parts of a long nudge that are missing are posted", func(t *testing.T) {
		h := newHarness(t, nil)
		long := bot.Reply{Title: "Weekly summary", Text: strings.Repeat("A line of the summary.\n\n", 20000)}
		parts := len(render(long))
		if parts < 3 {
			t.Fatalf("the reply renders as %d messages, want at least 3", parts)
		}
		h.slack.fail("chat.postMessage", failure{Pass: true})
		h.slack.fail("chat.postMessage", failure{Lost: true})
		if err := h.adapter.Notify(ctx, user, long, "key5"); err == nil {
			t.Fatal("notify succeeded although the answer to part 1 was lost")
		}
		for range 2 {
			h.slack.nextPost(t)
		}
		if err := h.adapter.Notify(ctx, user, long, "key5"); err != nil {
			t.Fatalf("retry: %v", err)
		}
		for want := 2; want < parts; want++ {
			p := h.slack.nextPost(t)
			payload, _ := p.Metadata["event_payload"].(map[string]any)
			if payload["part"] != float64(want) || payload["key"] != "key5" {
				t.Errorf("retry posted %v, want part %d of key5", payload, want)
			}
		}
		h.slack.noMorePosts(t)
	})
}

func TestNudgeResentAfterARestartIsShownOnce(t *testing.T) {
	ctx := context.Background()
	db := openReplayStore(t)
	h := newHarness(t, nil, func(a *Adapter) { a.Replays = db })
	nudge := bot.Reply{Title: "Time to post", Text: "Share one product video today."}
	user := slackUser(teamA, "U1")
	keys := []string{"rk1", "rk2", "rk3", "rk4", "rk5", "rk6", "rk7", "rk8"}
	for _, k := range keys {
		if err := h.adapter.Notify(ctx, user, nudge, k); err != nil {
			t.Fatal(err)
		}
		h.slack.nextPost(t)
	}
	// The process died before the dispatcher recorded the sends: a new
	// adapter on the same database is handed every nudge again.
	restarted := &Adapter{BotToken: testBotToken, SigningSecret: testSecret, Bot: h.core, APIURL: h.slack.apiURL(), Replays: db}
	if err := restarted.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if err := restarted.Notify(ctx, user, nudge, k); err != nil {
			t.Fatalf("resend %s: %v", k, err)
		}
	}
	h.slack.noMorePosts(t)
	if n := h.slack.called("conversations.history"); n != len(keys) {
		t.Errorf("conversations.history read %d times, want once per resent nudge (%d)", n, len(keys))
	}
	t.Run("a new nudge costs no history read", func(t *testing.T) {
		before := h.slack.called("conversations.history")
		if err := restarted.Notify(ctx, user, nudge, "fresh"); err != nil {
			t.Fatal(err)
		}
		h.slack.nextPost(t)
		if n := h.slack.called("conversations.history") - before; n != 0 {
			t.Errorf("%d history reads for a first send", n)
		}
	})
}
