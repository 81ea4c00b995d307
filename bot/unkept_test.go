package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
)

func TestUserIsToldOnceWhenHistoryIsNotKept(t *testing.T) {
	rec := &recorder{err: bot.WrapError(bot.EUNAVAILABLE, fmt.Errorf("record event: %w: disk full", bot.ErrNotKept), "I can't save your history right now.")}
	b := bottest.New(t, bot.Config{Events: rec})
	ctx := context.Background()
	alice := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T1", ID: "U1"}
	bob := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T1", ID: "U2"}
	say := func(u bot.UserRef, text string) bot.Reply {
		return b.Bot.Handle(ctx, bot.Request{User: u, Text: text})
	}
	const note = "can't save your history"
	t.Run("the first reply says so", func(t *testing.T) {
		if r := say(alice, "help"); !strings.Contains(r.Text, note) {
			t.Errorf("reply %q does not say history is not kept", r.Text)
		}
	})
	t.Run("later replies do not repeat it", func(t *testing.T) {
		if r := say(alice, "help"); strings.Contains(r.Text, note) {
			t.Errorf("told twice: %q", r.Text)
		}
	})
	t.Run("another user is told too", func(t *testing.T) {
		if r := say(bob, "how long should I wait before reapplying?"); !strings.Contains(r.Text, note) {
			t.Errorf("reply %q does not say history is not kept", r.Text)
		}
	})
	t.Run("a merely delayed record says nothing", func(t *testing.T) {
		rec.mu.Lock()
		rec.err = nil
		rec.mu.Unlock()
		carol := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T1", ID: "U3"}
		if r := say(carol, "help"); strings.Contains(r.Text, note) {
			t.Errorf("reply %q claims history is not kept", r.Text)
		}
	})
}
