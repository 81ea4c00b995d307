package slack

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	slackapi "github.com/slack-go/slack"

	"github.com/influbot/influbot/bot"
)

// inlineSamples are inline answers of every shape render draws, with
// texts that need escaping, and blocks it does not draw.
func inlineSamples() []*inlineMessage {
	var out []*inlineMessage
	texts := append(markdownSamples()[:3000], "a\u2028b\u2029c", "\x00\x01\x1f\x7f\b\f\n\r\t\"\\", "<&>", "\xff\xfe", "é😀")
	for i, s := range texts {
		t := texts[(i*7+3)%len(texts)]
		r := bot.Reply{Title: t, Text: s}
		if i%2 == 0 {
			r.Fields = []bot.Field{{Name: "Source", Value: t}, {Name: t, Value: s, Inline: true}, {Name: "n", Value: "v", Inline: true}}
		}
		if i%3 == 0 {
			r.Buttons = []bot.Button{{ActionID: "ask:topic", Label: t, Value: s}, {ActionID: "ask:topic", Label: "x", Value: "y", Style: bot.ButtonPrimary},
				{ActionID: "plan:clear", Label: "Clear", Style: bot.ButtonDanger}, {ActionID: "a:b", Label: "ok", Style: bot.ButtonSuccess}}
		}
		if i%5 == 0 {
			r.Image = &bot.Image{URL: "https://example.com/a.png?x=1&y=<2>", Alt: t}
		}
		for _, m := range render(r) {
			for _, rt := range []string{slackapi.ResponseTypeInChannel, slackapi.ResponseTypeEphemeral} {
				out = append(out, &inlineMessage{ResponseType: rt, Text: m.Text, Blocks: m.Blocks})
			}
		}
	}
	yes, no := true, false
	out = append(out,
		&inlineMessage{ResponseType: "in_channel", Text: "", Blocks: nil},
		&inlineMessage{ResponseType: "in_channel", Text: "x", Blocks: []slackapi.Block{}},
		&inlineMessage{Blocks: []slackapi.Block{
			slackapi.NewContextBlock("c1", markdown("_short_")),
			&slackapi.HeaderBlock{Type: "header", Level: 2, Text: plain("h")},
			&slackapi.HeaderBlock{Type: "header", BlockID: "b<1>"},
			(*slackapi.HeaderBlock)(nil),
			&slackapi.SectionBlock{Type: "section", BlockID: "s", Fields: []*slackapi.TextBlockObject{nil, {Type: "plain_text", Text: "t", Emoji: &no}}, Expand: true},
			&slackapi.SectionBlock{Type: "section", Text: &slackapi.TextBlockObject{Type: "plain_text", Text: "t", Emoji: &yes}, Accessory: slackapi.NewAccessory(slackapi.NewButtonBlockElement("a", "v", plain("b")))},
			&slackapi.ActionBlock{Type: "actions"},
			&slackapi.ActionBlock{Type: "actions", BlockID: "x", Elements: &slackapi.BlockElements{}},
			&slackapi.ActionBlock{Type: "actions", Elements: &slackapi.BlockElements{ElementSet: []slackapi.BlockElement{}}},
			&slackapi.ActionBlock{Type: "actions", Elements: &slackapi.BlockElements{ElementSet: []slackapi.BlockElement{
				&slackapi.ButtonBlockElement{Text: nil, URL: "https://a.b/?c&d", AccessibilityLabel: "l", AgentPrompt: "p", AgentPromptDisplay: "d"},
			}}},
			&slackapi.ActionBlock{Type: "actions", Elements: &slackapi.BlockElements{ElementSet: []slackapi.BlockElement{
				&slackapi.ButtonBlockElement{Type: "button", Text: plain("b"), VisibleToUserIDs: []string{"U1"}},
			}}},
			&slackapi.ActionBlock{Type: "actions", Elements: &slackapi.BlockElements{ElementSet: []slackapi.BlockElement{
				slackapi.NewOverflowBlockElement("o", slackapi.NewOptionBlockObject("v", plain("t"), nil)),
			}}},
			slackapi.NewImageBlock("https://a.b/c.png", "alt", "", nil),
			slackapi.NewDividerBlock(),
		}},
	)
	return out
}

// TestInlineJSONMatchesEncodingJSON checks that a slash command's answer
// is written byte for byte as json.Encoder wrote it.
func TestInlineJSONMatchesEncodingJSON(t *testing.T) {
	for _, m := range inlineSamples() {
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(m); err != nil {
			t.Fatal(err)
		}
		got := append(appendInlineMessage(nil, m), '\n')
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("got\n%s\nwant\n%s", got, want.Bytes())
		}
	}
}

func FuzzInlineJSONMatchesEncodingJSON(f *testing.F) {
	for _, s := range []string{"", "a\u2028b", "<&>", "\xff", "**b** [l](u)\n- x", strings.Repeat("é\x01", 40)} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, title, text string) {
		r := bot.Reply{Title: title, Text: text, Fields: []bot.Field{{Name: title, Value: text, Inline: true}},
			Buttons: []bot.Button{{ActionID: "a:b", Label: title, Value: text}}}
		for _, msg := range render(r) {
			m := &inlineMessage{ResponseType: "ephemeral", Text: msg.Text, Blocks: msg.Blocks}
			want, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			if got := appendInlineMessage(nil, m); !bytes.Equal(got, want) {
				t.Fatalf("got\n%s\nwant\n%s", got, want)
			}
		}
	})
}

func BenchmarkInlineJSON(b *testing.B) {
	msgs := render(typicalReply)
	m := &inlineMessage{ResponseType: "in_channel", Text: msgs[0].Text, Blocks: msgs[0].Blocks}
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			json.NewEncoder(&bytes.Buffer{}).Encode(m)
		}
	})
	b.Run("appendInlineMessage", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			appendInlineMessage(make([]byte, 0, 4096), m)
		}
	})
}
