package bot_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
)

type recorder struct {
	mu     sync.Mutex
	events []bot.Event
	err    error
}

func (r *recorder) RecordEvent(_ context.Context, e bot.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return r.err
}

// lastTopic is the FAQ entry that answered the last recorded request, so
// a test can tell the right answer from any answer with a title.
func (r *recorder) lastTopic() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) == 0 {
		return ""
	}
	return r.events[len(r.events)-1].Topic
}

func TestRouting(t *testing.T) {
	rec := &recorder{}
	b := bottest.New(t, bot.Config{Events: rec})
	tests := []struct {
		name, text string
		check      func(t *testing.T, r bot.Reply)
	}{
		{"help lists the commands", "help", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Text, "`ask <question>`") {
				t.Errorf("help does not list ask: %q", r.Text)
			}
		}},
		{"help for one command shows its usage", "help ask", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Text, "Usage: `ask <question>`") {
				t.Errorf("got %q", r.Text)
			}
		}},
		{"a slash-prefixed command routes too", "/help", func(t *testing.T, r bot.Reply) {
			if r.Title != "What I can do" {
				t.Errorf("got title %q", r.Title)
			}
		}},
		{"a question goes to the FAQ", "how long should I wait before reapplying?", func(t *testing.T, r bot.Reply) {
			if r.Title == "" || r.Tone == bot.ToneError {
				t.Errorf("no answer: %+v", r)
			}
		}},
		{"ask routes a question explicitly", "ask how many followers do I need", func(t *testing.T, r bot.Reply) {
			if r.Title == "" {
				t.Errorf("no answer: %+v", r)
			}
		}},
		{"help followed by a question is a question", "help why was I rejected", func(t *testing.T, r bot.Reply) {
			if r.Title == "What I can do" || strings.HasPrefix(r.Title, "help ") {
				t.Errorf("treated as help: %q", r.Title)
			}
		}},
		{"a greeting mid-conversation gets a hello back, not the welcome", "hi!", func(t *testing.T, r bot.Reply) {
			if strings.Contains(r.Title, "influbot") || !strings.HasPrefix(r.Text, "Hi again") {
				t.Errorf("got %q %q", r.Title, r.Text)
			}
		}},
		{"an off-topic question is declined", "where is my package? it was due yesterday", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Text, "outside what I can help with") {
				t.Errorf("got %q", r.Text)
			}
		}},
		{"an empty message gets the welcome", "   ", func(t *testing.T, r bot.Reply) {
			if r.Title == "" {
				t.Errorf("got %+v", r)
			}
		}},
		{"a huge message is refused kindly", strings.Repeat("why ", 2000), func(t *testing.T, r bot.Reply) {
			if r.Tone != bot.ToneError || !strings.Contains(r.Text, "too long") {
				t.Errorf("got %+v", r)
			}
		}},
		{"invalid UTF-8 does not break anything", "why was I rejected \xff\xfe", func(t *testing.T, r bot.Reply) {
			if r.Tone == bot.ToneError {
				t.Errorf("got %+v", r)
			}
		}},
	}
	// The FAQ entry that must answer, by test: any answer with a title
	// is not enough.
	topics := map[string]string{
		"a question goes to the FAQ":       "reapply-wait",
		"ask routes a question explicitly": "follower-requirement",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, b.Say(tt.text))
			if want, got := topics[tt.name], rec.lastTopic(); want != "" && got != want {
				t.Errorf("answered from %q, want %q", got, want)
			}
		})
	}
}

func TestRelatedButtonsOpenEntries(t *testing.T) {
	rec := &recorder{}
	b := bottest.New(t, bot.Config{Events: rec})
	r := b.Say("how long do I have to wait to reapply after a rejection")
	if got := rec.lastTopic(); got != "reapply-wait" {
		t.Fatalf("answered from %q, want reapply-wait", got)
	}
	if len(r.Buttons) == 0 {
		t.Fatalf("answer has no related buttons: %+v", r)
	}
	next := b.Press(r.Buttons[0])
	if next.Title == "" || next.Title == r.Title {
		t.Errorf("pressing %q gave %+v", r.Buttons[0].Label, next)
	}
	if got := rec.lastTopic(); got != r.Buttons[0].Value || got == "reapply-wait" {
		t.Errorf("pressing %q (%s) opened %q", r.Buttons[0].Label, r.Buttons[0].Value, got)
	}
	stale := b.Press(bot.Button{ActionID: "nosuch:thing"})
	if stale.Tone != bot.ToneError {
		t.Errorf("an unknown button gave %+v", stale)
	}
}

// TestGreetingsWelcomeOnce: a new user's greeting gets the welcome; a
// greeting right after the welcome a new chat session shows (an empty
// message), or later in a conversation, gets a hello back.
func TestGreetingsWelcomeOnce(t *testing.T) {
	tests := []struct {
		name      string
		before    []string
		greeting  string
		welcome   bool
		wantStart string
	}{
		{"a new user's hi", nil, "hi", true, "I help creators"},
		{"hi after the session's welcome", []string{""}, "hi", false, "Hi! Where shall we start?"},
		{"hello mid-conversation", []string{"why was I rejected?"}, "hello", false, "Hi again! Anything else?"},
		{"hi after the welcome and a question", []string{"", "why was I rejected?"}, "hey", false, "Hi again!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := bottest.New(t, bot.Config{})
			for _, m := range tt.before {
				b.Say(m)
			}
			r := b.Say(tt.greeting)
			if got := strings.Contains(r.Title, "I'm influbot"); got != tt.welcome {
				t.Errorf("welcomed = %v, want %v: %q", got, tt.welcome, r.Title)
			}
			if !strings.HasPrefix(r.Text, tt.wantStart) {
				t.Errorf("got %q, want it to start %q", r.Text, tt.wantStart)
			}
		})
	}
}

// TestGreetingAfterTheContextExpired: a hello half an hour after the
// last message is a new conversation, welcomed again.
func TestGreetingAfterTheContextExpired(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	b := bottest.New(t, bot.Config{Now: func() time.Time { return now }})
	b.Say("why was I rejected?")
	now = now.Add(bot.ContextTTL + time.Minute)
	if r := b.Say("hi"); !strings.Contains(r.Title, "I'm influbot") {
		t.Errorf("after the context expired, hi got %q %q, want the welcome", r.Title, r.Text)
	}
}

// failingContext is a context store whose reads fail and whose writes are
// counted.
type failingContext struct {
	mu    sync.Mutex
	saves int
}

func (f *failingContext) LoadContext(context.Context, bot.UserRef) (bot.Conversation, bool, error) {
	return bot.Conversation{}, false, errors.New("database is locked")
}

func (f *failingContext) SaveContext(context.Context, bot.Conversation) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saves++
	return nil
}

// TestWelcomeKeepsAContextItCouldNotRead: the welcome of an empty message
// starts a context only when none is stored, not over one that could not
// be read (a pending question in it would be lost).
func TestWelcomeKeepsAContextItCouldNotRead(t *testing.T) {
	fc := &failingContext{}
	b := bottest.New(t, bot.Config{Context: fc})
	if r := b.Say(""); !strings.Contains(r.Title, "I'm influbot") {
		t.Fatalf("an empty message got %q", r.Title)
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.saves != 0 {
		t.Errorf("the welcome wrote the context %d times over one it could not read", fc.saves)
	}
}

func TestStructuredCommand(t *testing.T) {
	rec := &recorder{}
	b := bottest.New(t, bot.Config{Events: rec})
	r := b.Run("ask", map[string]string{"question": "what is the amazon influencer program"})
	if r.Title == "" || rec.lastTopic() != "program-overview" {
		t.Errorf("answered from %q: %+v", rec.lastTopic(), r)
	}
	if r := b.Run("nosuch", nil); r.Tone != bot.ToneError {
		t.Errorf("unknown command gave %+v", r)
	}
}

func TestEventsAreRecorded(t *testing.T) {
	rec := &recorder{}
	unanswered := bot.NewMemoryUnanswered(10)
	b := bottest.New(t, bot.Config{Events: rec, Unanswered: unanswered})
	b.Say("how many followers do I need for the influencer program")
	b.Say("what is the best pizza in naples")
	b.Say("help")
	if len(rec.events) != 3 {
		t.Fatalf("recorded %d events, want 3", len(rec.events))
	}
	q := rec.events[0]
	if q.Kind != bot.EventQuestion || q.Topic == "" || !q.Answered || q.User != b.User {
		t.Errorf("first event = %+v", q)
	}
	if off := rec.events[1]; off.Answered || off.Topic != "" {
		t.Errorf("off-topic event = %+v", off)
	}
	if h := rec.events[2]; h.Kind != bot.EventCommand || h.Command != "help" {
		t.Errorf("help event = %+v", h)
	}
	qs := unanswered.Questions()
	if len(qs) != 1 || !strings.Contains(qs[0].Text, "pizza") {
		t.Errorf("unanswered = %+v", qs)
	}
}

func TestRecordFailureDoesNotBreakTheReply(t *testing.T) {
	var logs bytes.Buffer
	rec := &recorder{err: errors.New("database is locked")}
	b := bottest.New(t, bot.Config{Events: rec, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	r := b.Say("help")
	if r.Title != "What I can do" {
		t.Errorf("reply = %+v", r)
	}
	if !strings.Contains(logs.String(), "database is locked") {
		t.Errorf("the failure was not logged: %s", logs.String())
	}
}

type panickingLog struct{}

func (panickingLog) LogUnanswered(context.Context, bot.UnansweredQuestion) error {
	panic("boom")
}

func TestPanicsBecomeAnApology(t *testing.T) {
	var logs bytes.Buffer
	rec := &recorder{}
	b := bottest.New(t, bot.Config{Events: rec, Unanswered: panickingLog{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	r := b.Say("what is the capital of peru")
	if r.Tone != bot.ToneError || strings.Contains(r.Text, "boom") {
		t.Errorf("got %+v", r)
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("the panic was not logged: %s", logs.String())
	}
	if len(rec.events) != 1 || rec.events[0].ErrorCode != bot.EINTERNAL {
		t.Errorf("events = %+v", rec.events)
	}
	// A button for a topic that no longer exists is a friendly error.
	r = b.Press(bot.Button{ActionID: "ask:topic", Value: "gone"})
	if r.Tone != bot.ToneError {
		t.Errorf("got %+v", r)
	}
	// A request without a user is refused, not crashed on.
	r = b.Handle(context.Background(), bot.Request{Text: "help"})
	if r.Tone != bot.ToneError || strings.Contains(r.Text, "panic") {
		t.Errorf("got %+v", r)
	}
}

func TestErrorMessagesHideInternals(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"an invalid-input error shows its message", bot.Errorf(bot.EINVALID, "Followers must be a number."), "Followers must be a number."},
		{"an unavailable error shows its message", bot.WrapError(bot.EUNAVAILABLE, errors.New("SQLITE_BUSY"), "The database is busy; try again."), "The database is busy; try again."},
		{"a plain error shows an apology", errors.New("secret token xoxb-123 leaked"), "Sorry, something went wrong on my side. Please try again in a moment."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bot.ErrorMessage(tt.err); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUserRefRoundTrip(t *testing.T) {
	u, err := bot.ParseUserRef("discord:123:456")
	if err != nil || u.String() != "discord:123:456" || u.TenantRef().String() != "discord:123" {
		t.Errorf("got %v, %v", u, err)
	}
	for _, bad := range []string{"", "discord", "discord:123", ":1:2", "a::c"} {
		if _, err := bot.ParseUserRef(bad); err == nil {
			t.Errorf("ParseUserRef(%q) accepted", bad)
		}
	}
}
