package console

import (
	"context"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
)

func TestNotifierPrintsNudgesOnceWithNumberedButtons(t *testing.T) {
	var out strings.Builder
	me := bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "maya"}
	n := &Notifier{Console: &Console{Out: &out, User: me}}
	nudge := bot.Reply{Title: "Time for: Reply to comments", Text: "Why it matters.", Buttons: []bot.Button{{ActionID: "done:nudge", Label: "Done", Value: "reply-to-comments"}}}
	ctx := context.Background()
	t.Run("a nudge is printed with its buttons numbered", func(t *testing.T) {
		if err := n.Notify(ctx, me, nudge, "k1"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "Time for: Reply to comments") || !strings.Contains(out.String(), "[1] Done") {
			t.Fatalf("printed %q", out.String())
		}
		if a := n.Console.pressed("1"); a == nil || a.ID != "done:nudge" || a.Value != "reply-to-comments" {
			t.Fatalf("pressing 1 gives %+v", a)
		}
	})
	t.Run("a repeat of the same key is dropped", func(t *testing.T) {
		before := out.Len()
		if err := n.Notify(ctx, me, nudge, "k1"); err != nil || out.Len() != before {
			t.Fatalf("repeat printed again (err %v)", err)
		}
	})
	t.Run("someone else's nudge is refused", func(t *testing.T) {
		if err := n.Notify(ctx, bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "bob"}, nudge, "k2"); err == nil {
			t.Fatal("delivered bob's nudge to maya's terminal")
		}
	})
}
