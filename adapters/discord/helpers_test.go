package discord

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// fakeCore records requests and answers with a canned reply.
type fakeCore struct {
	mu     sync.Mutex
	reqs   []bot.Request
	reply  func(bot.Request) bot.Reply // nil: echo the text
	before func(bot.Request)           // runs first, e.g. to check the ack came first
	cmds   []*bot.Command
	got    chan bot.Request
}

func newFakeCore() *fakeCore {
	return &fakeCore{got: make(chan bot.Request, 100), cmds: []*bot.Command{
		{Name: "help", Aliases: []string{"commands", "?"}, Private: true, Summary: "Show what I can do.", Options: []bot.Option{{Name: "command", Description: "A command to explain"}}},
		{Name: "ask", Summary: "Ask anything about the Amazon Influencer Program.", Options: []bot.Option{{Name: "question", Description: "Your question", Required: true}}},
		{Name: "check", Summary: "Check your numbers against the usual bar.", Options: []bot.Option{
			{Name: "likes", Description: "Average likes", Kind: bot.OptionInteger},
			{Name: "platform", Description: "Where you post", Required: true, Choices: []string{"instagram", "youtube", "tiktok", "facebook"}},
			{Name: "followers", Description: "Followers", Kind: bot.OptionInteger, Required: true},
		}},
		{Name: "export", Summary: "Export your data.", Private: true},
		{Name: "press", Hidden: true, Summary: "button handler"},
	}}
}

func (c *fakeCore) Handle(ctx context.Context, req bot.Request) bot.Reply {
	c.mu.Lock()
	before := c.before
	c.mu.Unlock()
	if before != nil {
		before(req)
	}
	c.mu.Lock()
	c.reqs = append(c.reqs, req)
	reply := c.reply
	c.mu.Unlock()
	c.got <- req
	if reply != nil {
		return reply(req)
	}
	return bot.Reply{Text: "you said: " + clip(req.Text, 100)}
}

func (c *fakeCore) setBefore(f func(bot.Request)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.before = f
}

func (c *fakeCore) Commands() []*bot.Command { return c.cmds }

// Private decides as bot.Bot does: from the command record, found by name
// or alias, of a structured command or of free text's first word.
func (c *fakeCore) Private(req bot.Request) bool {
	name := req.Command
	if name == "" {
		first, _, _ := strings.Cut(strings.TrimSpace(req.Text), " ")
		name = strings.TrimLeft(first, "/!")
	}
	for _, cmd := range c.cmds {
		if strings.EqualFold(cmd.Name, name) || slices.ContainsFunc(cmd.Aliases, func(a string) bool { return strings.EqualFold(a, name) }) {
			return cmd.Private
		}
	}
	return false
}

func (c *fakeCore) setReply(f func(bot.Request) bot.Reply) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reply = f
}

// within waits up to d for the core's next request.
func (c *fakeCore) within(d time.Duration) (bot.Request, bool) {
	select {
	case r := <-c.got:
		return r, true
	case <-time.After(d):
		return bot.Request{}, false
	}
}

// next waits for the core's next request.
func (c *fakeCore) next(t testing.TB) bot.Request {
	t.Helper()
	select {
	case r := <-c.got:
		return r
	case <-time.After(waitLimit):
		t.Fatalf("the core got no request")
		return bot.Request{}
	}
}

// syncBuffer is a log sink safe for the adapter's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startAdapter starts an adapter against the fake and closes it when the
// test ends; the log is printed if the test failed.
func startAdapter(t testing.TB, f *fakeDiscord, h Handler, configure ...func(*Adapter)) (*Adapter, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	a := &Adapter{
		Token:           fakeToken,
		Bot:             h,
		Logger:          slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		HTTPClient:      f.client(),
		ShutdownTimeout: 5 * time.Second,
	}
	for _, c := range configure {
		c(a)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatalf("start: %v\nlog:\n%s", err, logs)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
		if t.Failed() {
			t.Logf("adapter log:\n%s", logs)
		}
		if strings.Contains(logs.String(), fakeToken) {
			t.Errorf("the token appeared in the log")
		}
	})
	return a, logs
}

// jsonPath digs into decoded JSON: keys for objects, ints for arrays.
func jsonPath(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// deferAtOnce makes the adapter defer every gateway interaction before the
// core runs, the path a slow core takes, without waiting for it.
func deferAtOnce(a *Adapter) { a.inline = -1 }
