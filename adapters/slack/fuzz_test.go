package slack

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/influbot/influbot/bot"
)

// FuzzRender checks that any reply renders into messages Slack accepts.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"", "**bold** _it_ `code` [l](https://x.y)", "```\ncode\n```", "```x```", "# h\n- a\n* b",
		strings.Repeat("a", 3100), strings.Repeat("<&>", 1200), strings.Repeat("[x](https://e.com) ", 300),
		"*" + strings.Repeat("a ", 2000) + "*", "\xff\xfe", "~~a~~ __b__",
	} {
		f.Add(s, s[:len(s)/2])
	}
	f.Fuzz(func(t *testing.T, text, title string) {
		r := bot.Reply{
			Title:   title,
			Text:    text,
			Fields:  []bot.Field{{Name: title, Value: text, Inline: true}, {Name: "n", Value: text}},
			Buttons: []bot.Button{{ActionID: "a:b", Label: title, Value: title}, {ActionID: "a:b", Label: "x", Value: text}},
		}
		for i, m := range render(r) {
			raw, err := json.Marshal(m.Blocks)
			if err != nil {
				t.Fatal(err)
			}
			var blocks []map[string]any
			if code := decodeBlocks(string(raw), &blocks); code != "" {
				t.Fatalf("message %d: Slack would answer %s", i, code)
			}
			if utf8.RuneCountInString(m.Text) > maxFallbackText {
				t.Fatalf("fallback of %d characters", utf8.RuneCountInString(m.Text))
			}
		}
	})
}

// FuzzIncomingText checks that any message text becomes clean text.
func FuzzIncomingText(f *testing.F) {
	for _, s := range []string{"<@UBOT> hi", "<https://a.b|c> &amp; <#C1|x>", "<", "<<>>", "<@UBOT|", "&lt;@UBOT&gt;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := incomingText(s, "UBOT")
		// "&lt;@UBOT&gt;" is text the user typed, not a mention.
		if !strings.Contains(s, "&") && strings.Contains(got, "<@UBOT>") {
			t.Fatalf("the bot's mention survived: %q", got)
		}
		if got != strings.TrimSpace(got) {
			t.Fatalf("untrimmed: %q", got)
		}
	})
}
