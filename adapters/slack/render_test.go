package slack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/influbot/influbot/bot"
)

func TestMrkdwn(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"bold becomes single stars", "**Wait 30 days** first", "*Wait 30 days* first"},
		{"underscore bold becomes single stars", "__bold__", "*bold*"},
		{"underscore italic stays", "_maybe_", "_maybe_"},
		{"star italic becomes underscores", "it is *not* final", "it is _not_ final"},
		{"a lone star stays", "5 * 3 = 15", "5 * 3 = 15"},
		{"strikethrough loses a tilde", "~~old~~ new", "~old~ new"},
		{"links become Slack links", "see [the rules](https://affiliate-program.amazon.com/help?a=1&b=2)", "see <https://affiliate-program.amazon.com/help?a=1&amp;b=2|the rules>"},
		{"a bold link label loses its markup", "[**Apply**](https://example.com)", "<https://example.com|Apply>"},
		{"a pipe in a URL cannot end it", "[x](https://e.com/a|b)", "<https://e.com/a%7Cb|x>"},
		{"text that looks like a link but is not stays", "[not a link] (x)", "[not a link] (x)"},
		{"ampersands and angle brackets are escaped", "a & b <!channel> <https://x|y>", "a &amp; b &lt;!channel&gt; &lt;https://x|y&gt;"},
		{"the core's mention of a user is a real mention", "<@U024BE7LH> is now an admin", "<@U024BE7LH> is now an admin"},
		{"a mention of something that is not a user id stays text", "<@here> <@u1> <@U1|x>", "&lt;@here&gt; &lt;@u1&gt; &lt;@U1|x&gt;"},
		{"quoted user text is shown as typed without formatting", bot.Quote("*bold* <@U123> a&b"), "\u2217bold\u2217 &lt;@\u200bU123&gt; a&amp;b"},
		{"an escaped star cannot close the core's emphasis", "*a " + bot.Quote("*") + " b*", "_a \u2217 b_"},
		{"code keeps its markup but is escaped", "use `**x** & <y>`", "use `**x** &amp; &lt;y&gt;`"},
		{"headings become bold lines", "## Next steps", "*Next steps*"},
		{"dash bullets become dots", "- one\n  - two", "• one\n  • two"},
		{"star bullets become dots", "* one", "• one"},
		{"numbered lists stay", "1. one\n2. two", "1. one\n2. two"},
		{"fenced code is kept verbatim", "```go\nx := **y** < 2\n```", "```\nx := **y** &lt; 2\n```"},
		{"one-line fenced code keeps its content", "```x < 1```", "```x &lt; 1```"},
		{"unclosed bold stays", "**oops", "**oops"},
		{"an empty string stays empty", "", ""},
		{"unicode passes through", "Café **ünïcødé** 🎉", "Café *ünïcødé* 🎉"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mrkdwn(tc.in); got != tc.want {
				t.Errorf("mrkdwn(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"markup is dropped", "**Wait** _30_ `days`", "Wait 30 days"},
		{"a link keeps its URL", "[rules](https://e.com)", "rules (https://e.com)"},
		{"entities are escaped", "a < b & c", "a &lt; b &amp; c"},
		{"headings and bullets read as text", "# Title\n- item", "Title\n• item"},
		{"code blocks keep their text", "```\n**x** = 1\n```\nafter", "**x** = 1\n\nafter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := plainText(tc.in); got != tc.want {
				t.Errorf("plainText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestIncomingText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"the bot's mention is removed", "<@UBOT> check instagram 4k", "check instagram 4k"},
		{"a labelled bot mention is removed", "<@UBOT|influbot>   help", "help"},
		{"other mentions keep their id, not the label", "ask <@U2|ada> about it", "ask @U2 about it"},
		{"an unlabelled mention keeps its id", "hi <@U2>", "hi @U2"},
		{"channels become names", "in <#C1|general>", "in #general"},
		{"special mentions are spelled out", "<!here> hi", "@here hi"},
		{"links become their URL", "my page <https://instagram.com/me|instagram.com/me>", "my page https://instagram.com/me"},
		{"mailto links become the address", "<mailto:a@b.c|a@b.c>", "a@b.c"},
		{"entities are unescaped", "4k &amp; 5% &lt;3 &gt;", "4k & 5% <3 >"},
		{"a stray bracket is kept", "a < b", "a < b"},
		{"whitespace is collapsed", "  a \n\n b  ", "a b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := incomingText(tc.in, "UBOT"); got != tc.want {
				t.Errorf("incomingText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// checkLimits fails when a message breaks a Block Kit limit.
func checkLimits(t *testing.T, msgs []message) {
	t.Helper()
	for i, m := range msgs {
		raw, err := json.Marshal(m.Blocks)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		var blocks []map[string]any
		json.Unmarshal(raw, &blocks)
		if code := decodeBlocks(string(raw), &blocks); code != "" {
			t.Errorf("message %d: Slack would answer %s:\n%s", i, code, raw)
		}
		if m.Text == "" || utf8.RuneCountInString(m.Text) > maxFallbackText {
			t.Errorf("message %d: fallback text of %d characters", i, utf8.RuneCountInString(m.Text))
		}
	}
}

func TestRenderRespectsBlockKitLimits(t *testing.T) {
	longParagraphs := strings.Repeat(strings.Repeat("word ", 150)+"\n\n", 20) // ~15,000 characters
	oneLongWord := strings.Repeat("x", 7000)
	manyFields := make([]bot.Field, 23)
	for i := range manyFields {
		manyFields[i] = bot.Field{Name: fmt.Sprintf("Field %d", i), Value: strings.Repeat("v", 2500), Inline: true}
	}
	manyButtons := make([]bot.Button, 30)
	for i := range manyButtons {
		manyButtons[i] = bot.Button{ActionID: "ask:topic", Label: strings.Repeat("L", 100), Value: fmt.Sprint(i)}
	}
	hugeReply := strings.Repeat("para "+strings.Repeat("z", 2990)+"\n\n", 300)
	code := "```\n" + strings.Repeat("line of code\n", 600) + "```"

	for _, tc := range []struct {
		name  string
		reply bot.Reply
		check func(t *testing.T, msgs []message)
	}{
		{"a long title is cut to 150 characters", bot.Reply{Title: strings.Repeat("T", 200), Text: "x"},
			func(t *testing.T, msgs []message) {
				h := msgs[0].Blocks[0].(*slackapi.HeaderBlock)
				if n := utf8.RuneCountInString(h.Text.Text); n != maxHeader {
					t.Errorf("header of %d characters", n)
				}
			}},
		{"long text is split into sections of at most 3000 characters", bot.Reply{Text: longParagraphs},
			func(t *testing.T, msgs []message) {
				var joined strings.Builder
				for _, b := range msgs[0].Blocks {
					joined.WriteString(b.(*slackapi.SectionBlock).Text.Text + " ")
				}
				if strings.Count(joined.String(), "word") != 3000 {
					t.Errorf("words were lost in the split: %d", strings.Count(joined.String(), "word"))
				}
			}},
		{"a link longer than a section is cut rather than looping", bot.Reply{Text: "see ``` " + strings.Repeat("y", 2900) + " [a](https://e.com/" + strings.Repeat("p", 4000) + ")"},
			func(t *testing.T, msgs []message) {
				if len(msgs[0].Blocks) < 2 {
					t.Errorf("%d blocks", len(msgs[0].Blocks))
				}
			}},
		{"one long word is cut", bot.Reply{Text: oneLongWord},
			func(t *testing.T, msgs []message) {
				if len(msgs[0].Blocks) != 3 {
					t.Errorf("%d blocks, want 3", len(msgs[0].Blocks))
				}
			}},
		{"a long code block is closed and reopened across sections", bot.Reply{Text: code},
			func(t *testing.T, msgs []message) {
				for _, b := range msgs[0].Blocks {
					s := b.(*slackapi.SectionBlock).Text.Text
					if !strings.HasPrefix(s, "```") || !strings.HasSuffix(s, "```") {
						t.Errorf("section is not a whole code block: %q...%q", s[:10], s[len(s)-10:])
					}
				}
			}},
		{"fields go ten to a section, each cut to 2000 characters", bot.Reply{Fields: manyFields},
			func(t *testing.T, msgs []message) {
				if n := len(msgs[0].Blocks); n != 3 {
					t.Errorf("%d sections for 23 fields, want 3", n)
				}
			}},
		{"buttons go 25 to an actions block with unique action ids", bot.Reply{Text: "pick", Buttons: manyButtons},
			func(t *testing.T, msgs []message) {
				if got := len(msgs[0].Blocks); got != 3 {
					t.Errorf("%d blocks, want a section and two actions blocks", got)
				}
				second := msgs[0].Blocks[2].(*slackapi.ActionBlock).Elements.ElementSet[4].(*slackapi.ButtonBlockElement)
				if second.ActionID != "ask:topic#30" || actionID(second.ActionID) != "ask:topic" {
					t.Errorf("30th button has action_id %q", second.ActionID)
				}
			}},
		{"a reply over 50 blocks becomes several messages", bot.Reply{Title: "Big", Text: strings.Repeat("para "+strings.Repeat("y", 2990)+"\n\n", 60)},
			func(t *testing.T, msgs []message) {
				if len(msgs) != 2 || len(msgs[0].Blocks) != maxBlocks {
					t.Errorf("%d messages, first with %d blocks; want 2 messages, the first full", len(msgs), len(msgs[0].Blocks))
				}
				if msgs[1].Text != "Big (continued)" {
					t.Errorf("second fallback %q", msgs[1].Text)
				}
			}},
		{"a runaway reply is shortened, with a note", bot.Reply{Text: hugeReply},
			func(t *testing.T, msgs []message) {
				if len(msgs) != maxMessages {
					t.Fatalf("%d messages, want %d", len(msgs), maxMessages)
				}
				last := msgs[len(msgs)-1].Blocks
				if _, ok := last[len(last)-1].(*slackapi.ContextBlock); !ok {
					t.Error("no note that the reply was shortened")
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msgs := render(tc.reply)
			if len(msgs) == 0 {
				t.Fatal("no messages")
			}
			checkLimits(t, msgs)
			tc.check(t, msgs)
		})
	}
}

func TestRenderBlocks(t *testing.T) {
	r := bot.Reply{
		Title: "Eligibility: **likely**",
		Text:  "You meet the bar.",
		Fields: []bot.Field{
			{Name: "Followers", Value: "4,200", Inline: true},
			{Name: "Engagement", Value: "3.1%", Inline: true},
			{Name: "Next step", Value: "Apply [here](https://affiliate-program.amazon.com/influencers)"},
		},
		Image: &bot.Image{URL: "https://example.com/chart.png"},
		Buttons: []bot.Button{
			{ActionID: "check:save", Label: "Save", Style: bot.ButtonPrimary},
			{ActionID: "check:delete", Label: "Delete", Value: "7", Style: bot.ButtonDanger},
			{ActionID: "check:x", Label: "Too big", Value: strings.Repeat("v", maxButtonValue+1)},
		},
	}
	msgs := render(r)
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	raw, _ := json.Marshal(msgs[0].Blocks)
	var blocks []map[string]any
	json.Unmarshal(raw, &blocks)
	if got := strings.Join(blockTypes(blocks), ","); got != "header,section,section,section,image,actions" {
		t.Errorf("blocks %s", got)
	}
	if got := blockText(blocks[0]); got != "Eligibility: likely" {
		t.Errorf("header %q: plain text without markup", got)
	}
	fields := blocks[2]["fields"].([]any)
	if len(fields) != 2 || fields[0].(map[string]any)["text"] != "*Followers*\n4,200" {
		t.Errorf("inline fields %v", fields)
	}
	if got := blockText(blocks[3]); got != "*Next step*\nApply <https://affiliate-program.amazon.com/influencers|here>" {
		t.Errorf("block field %q", got)
	}
	if blocks[4]["alt_text"] != "image" {
		t.Errorf("image %v", blocks[4])
	}
	els := blocks[5]["elements"].([]any)
	if len(els) != 2 {
		t.Fatalf("%d buttons: the one whose value Slack cannot carry should be dropped", len(els))
	}
	if els[0].(map[string]any)["style"] != "primary" || els[1].(map[string]any)["style"] != "danger" {
		t.Errorf("styles %v %v", els[0], els[1])
	}
	if msgs[0].Text != "Eligibility: likely\nYou meet the bar." {
		t.Errorf("fallback %q", msgs[0].Text)
	}
	checkLimits(t, msgs)
}

func TestEmptyReplyRendersNothing(t *testing.T) {
	if msgs := render(bot.Reply{Text: "  \n "}); len(msgs) != 0 {
		t.Errorf("got %d messages", len(msgs))
	}
}

func TestActionID(t *testing.T) {
	for in, want := range map[string]string{
		"ask:topic":    "ask:topic",
		"ask:topic#2":  "ask:topic",
		"ask:topic#x":  "ask:topic#x",
		"plan:done#10": "plan:done",
	} {
		if got := actionID(in); got != want {
			t.Errorf("actionID(%q) = %q, want %q", in, got, want)
		}
	}
}
