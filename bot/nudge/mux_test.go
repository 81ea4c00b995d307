package nudge_test

import (
	"context"
	"testing"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
)

// plainNotifier only has Notify.
type plainNotifier struct{ keys []string }

func (p *plainNotifier) Notify(_ context.Context, _ bot.UserRef, _ bot.Reply, key string) error {
	p.keys = append(p.keys, key)
	return nil
}

func TestNotifierMuxPassesMaybeSent(t *testing.T) {
	var mux nudge.Mux
	rich, plain := &keyCounter{}, &plainNotifier{}
	mux.Register(bot.PlatformSlack, rich)
	mux.Register(bot.PlatformDiscord, plain)
	ctx := context.Background()
	if err := mux.NotifyNudge(ctx, bot.Outgoing{User: bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T", ID: "U"}, Key: "k1", MaybeSent: true}); err != nil {
		t.Fatal(err)
	}
	if err := mux.NotifyNudge(ctx, bot.Outgoing{User: theo, Key: "k2", MaybeSent: true}); err != nil {
		t.Fatal(err)
	}
	t.Run("a notifier with NotifyNudge is told MaybeSent", func(t *testing.T) {
		if !rich.maybeSent["k1"] {
			t.Error("MaybeSent lost on the way")
		}
	})
	t.Run("a notifier with only Notify still gets the nudge", func(t *testing.T) {
		if len(plain.keys) != 1 || plain.keys[0] != "k2" {
			t.Errorf("got %v", plain.keys)
		}
	})
	t.Run("a platform with no notifier is an error", func(t *testing.T) {
		if err := mux.NotifyNudge(ctx, bot.Outgoing{User: maya, Key: "k3"}); err == nil {
			t.Error("no error")
		}
	})
}
