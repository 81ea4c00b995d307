package console_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

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
		{"it greets and answers help", "help\n", []string{"Hi tester, I'm influbot", "What I can do", "`ask <question>`"}},
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

func TestRenderOnTerminal(t *testing.T) {
	var out bytes.Buffer
	console.Render(&out, bot.Reply{Title: "T", Text: "some **bold** and [a link](https://example.com)", Fields: []bot.Field{{Name: "Source", Value: "FTC"}}}, true)
	s := out.String()
	for _, w := range []string{"\x1b[1mT\x1b[0m", "\x1b[1mbold\x1b[0m", "a link <https://example.com>", "Source"} {
		if !strings.Contains(s, w) {
			t.Errorf("render lacks %q: %q", w, s)
		}
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
