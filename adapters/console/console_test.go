package console_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/adapters/console"
	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
)

func chat(t *testing.T, input string) string {
	t.Helper()
	b := bottest.New(t, bot.Config{})
	var out bytes.Buffer
	c := &console.Console{Bot: b, In: strings.NewReader(input), Out: &out, User: b.User, Name: "tester"}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestConversation(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
	}{
		{"it greets and answers help", "help\n", []string{"Hi tester, I'm influbot", "What I can do", "ask <question>"}},
		{"a question gets an answer with numbered related topics", "how long should I wait before reapplying?\n", []string{"Reply with a number:", "[1]"}},
		{"a number presses a button", "how long should I wait before reapplying?\n1\n", []string{"[1]"}},
		{"quit ends the chat", "quit\nhelp\n", []string{"Bye!"}},
		{"a line longer than the limit is refused politely, with its real length", strings.Repeat("a", 200000) + "\nhelp\n", []string{"too long for me (200000 characters)", "What I can do"}},
		{"a line just over the core's limit is refused by the core", strings.Repeat("é", 4001) + "\n", []string{"too long for me (4001 characters)"}},
		{"input without a final newline is still read", "help", []string{"What I can do"}},
		{"blank lines are ignored", "\n\n\nhelp\n", []string{"What I can do"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := chat(t, tt.input)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, clip(out))
				}
			}
			if strings.Contains(out, "\x1b[") {
				t.Error("piped output contains terminal escapes")
			}
		})
	}
}

func TestQuitStopsReading(t *testing.T) {
	out := chat(t, "quit\nhelp\n")
	if strings.Contains(out, "What I can do") {
		t.Error("a line after quit was answered")
	}
}

func TestPressedButtonAnswersTheRelatedTopic(t *testing.T) {
	out := chat(t, "how long should I wait before reapplying?\n1\n")
	// Two titled answers: the question's, then the related topic's.
	parts := strings.Split(out, "Reply with a number:")
	if len(parts) < 3 {
		t.Fatalf("expected two answers with buttons:\n%s", clip(out))
	}
}

func TestRenderMarkdown(t *testing.T) {
	tests := []struct {
		name     string
		reply    bot.Reply
		tty      bool
		want     []string
		dontWant []string
	}{
		{"bold, italics, code and links are styled on a terminal",
			bot.Reply{Title: "T", Text: "some **bold**, _italic_, *also italic*, `code` and [a link](https://example.com)", Fields: []bot.Field{{Name: "Source", Value: "FTC"}}}, true,
			[]string{"\x1b[1mT\x1b[22m", "\x1b[1mbold\x1b[22m", "\x1b[3mitalic\x1b[23m", "\x1b[3malso italic\x1b[23m", "\x1b[36mcode\x1b[39m", "\x1b[4ma link\x1b[24m <https://example.com>", "Source"},
			[]string{"**", "_italic_", "`"}},
		{"piped, the markers are removed and no escapes are written",
			bot.Reply{Title: "**T**", Text: "some **bold**, _italic_, `code` and [a link](https://example.com)"}, false,
			[]string{"T\n", "some bold, italic, code and a link <https://example.com>"},
			[]string{"**", "_", "`", "\x1b["}},
		{"bullets become dots on a terminal and stay dashes piped",
			bot.Reply{Text: "Next steps:\n- post **daily**\n* reply to comments"}, true,
			[]string{"• post \x1b[1mdaily\x1b[22m", "• reply to comments"}, nil},
		{"a bullet piped keeps its dash",
			bot.Reply{Text: "- one\n- two"}, false, []string{"- one\n- two"}, []string{"•"}},
		{"underscores inside words are not emphasis",
			bot.Reply{Text: "snake_case_name and reply_to_comments stay"}, false, []string{"snake_case_name and reply_to_comments stay"}, nil},
		{"a lone star or underscore is kept",
			bot.Reply{Text: "5 * 3 = 15 and a _ alone"}, false, []string{"5 * 3 = 15 and a _ alone"}, nil},
		{"markers inside code are kept as they are",
			bot.Reply{Text: "type `remind quiet 22:00-08:00` or `**not bold**`"}, false, []string{"type remind quiet 22:00-08:00 or **not bold**"}, nil},
		{"headings are bold on a terminal",
			bot.Reply{Text: "# Your plan\nthree tasks"}, true, []string{"\x1b[1mYour plan\x1b[22m\nthree tasks"}, []string{"#"}},
		{"control characters users typed are made harmless",
			bot.Reply{Text: "you asked: \x1b]0;pwned\x07hi\x00 \u202eevil"}, true, []string{`\x1B]0;pwned\x07hi\x00 evil`}, []string{"\x1b]", "\x07", "\u202e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			console.Render(&out, tt.reply, tt.tty)
			s := out.String()
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("render lacks %q: %q", w, s)
				}
			}
			for _, w := range tt.dontWant {
				if strings.Contains(s, w) {
					t.Errorf("render has %q: %q", w, s)
				}
			}
		})
	}
}

func TestDeliverPrintsBetweenPrompts(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	var out bytes.Buffer
	c := &console.Console{Bot: b, In: strings.NewReader(""), Out: &out, User: b.User}
	if err := c.Deliver(context.Background(), bot.Reply{Title: "Time for your task", Buttons: []bot.Button{{ActionID: "task:done", Label: "Done"}}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Time for your task") || !strings.Contains(out.String(), "[1] Done") {
		t.Errorf("got %q", out.String())
	}
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// syncBuffer is a terminal's screen: stdout and stderr both land on it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLogLinesDoNotBreakIntoThePrompt(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	screen := &syncBuffer{}
	in, typing := io.Pipe()
	c := &console.Console{Bot: b, In: in, Out: screen, User: b.User, TTY: true}
	done := make(chan error, 1)
	go func() { done <- c.Run(context.Background()) }()
	waitFor := func(s string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !strings.HasSuffix(screen.String(), s) {
			if time.Now().After(deadline) {
				t.Fatalf("screen never ended with %q: %q", s, screen.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("you> ")
	logw := c.LogWriter(screen)
	io.WriteString(logw, "level=ERROR msg=boom\n")
	waitFor("you> \nlevel=ERROR msg=boom\nyou> ")
	typing.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
