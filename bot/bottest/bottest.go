// Package bottest runs conversations with the core in tests: send a line,
// get the reply, press a button.
package bottest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
)

// Bot is a core wired for tests, talking as one user.
type Bot struct {
	*bot.Bot
	User bot.UserRef
	t    testing.TB
}

// shipped loads the shipped knowledge once per test binary: a *Base is
// read-only once loaded, and loading it (training the classifier) is the
// slowest part of building a core, many times over under the race
// detector.
var shipped = sync.OnceValues(func() (*knowledge.Base, error) { return knowledge.LoadDir("") })

// Knowledge returns the shipped knowledge, loaded once per test binary.
func Knowledge(t testing.TB) *knowledge.Base {
	t.Helper()
	kb, err := shipped()
	if err != nil {
		t.Fatalf("load knowledge: %v", err)
	}
	return kb
}

// New builds a bot from cfg, with the shipped knowledge when
// cfg.Knowledge is nil. The user is console:local:tester.
func New(t testing.TB, cfg bot.Config) *Bot {
	t.Helper()
	if cfg.Knowledge == nil {
		kb, err := shipped()
		if err != nil {
			t.Fatalf("load knowledge: %v", err)
		}
		cfg.Knowledge = kb
	}
	b, err := bot.New(cfg)
	if err != nil {
		t.Fatalf("new bot: %v", err)
	}
	return &Bot{Bot: b, User: bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "tester"}, t: t}
}

// As returns the same bot talking as another user.
func (b *Bot) As(u bot.UserRef) *Bot { return &Bot{Bot: b.Bot, User: u, t: b.t} }

// Say sends a line of free text and returns the reply.
func (b *Bot) Say(text string) bot.Reply {
	b.t.Helper()
	return b.Handle(context.Background(), bot.Request{User: b.User, Text: text, DM: true})
}

// SayAt sends a line of free text at a given time.
func (b *Bot) SayAt(text string, at time.Time) bot.Reply {
	b.t.Helper()
	return b.Handle(context.Background(), bot.Request{User: b.User, Text: text, DM: true, Time: at})
}

// Press presses a button of an earlier reply.
func (b *Bot) Press(btn bot.Button) bot.Reply {
	b.t.Helper()
	return b.Handle(context.Background(), bot.Request{User: b.User, Action: &bot.Action{ID: btn.ActionID, Value: btn.Value}, DM: true})
}

// Run invokes a command the way a native slash command does.
func (b *Bot) Run(command string, options map[string]string) bot.Reply {
	b.t.Helper()
	return b.Handle(context.Background(), bot.Request{User: b.User, Command: command, Options: options})
}
