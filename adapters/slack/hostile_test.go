package slack

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
)

// hostileCorpus is text users might type to make the bot show a live link,
// mention or formatting when it quotes them back to an admin.
var hostileCorpus = []string{
	"[Verify your Amazon account](https://evil.example/login) *bold* @everyone",
	"<https://x|y>",
	"<!channel>",
	"<!here|here> <!everyone>",
	"<@U123>",
	"<@U123|boss> please",
	"<#C123|general>",
	"<!subteam^S123|@team>",
	"<mailto:a@evil.example|support>",
	"&lt;https://evil.example|click&gt;",
	"*bold* _italic_ ~strike~ `code` ```block```",
	"**bold** __bold__ ~~strike~~",
	"> quoted\n# heading\n- bullet",
	"[x](javascript:alert(1))",
	"![img](https://evil.example/x.png)",
	"[a](<https://evil.example>)",
	"\\[escaped\\](https://evil.example)",
	"\\*not\\* \\<@U1\\>",
	"@channel @here @everyone",
	"a\u202Eevil.example\u202C b\u200B*c*",
	"<https://evil.example/login|https://amazon.com>",
	"[https://amazon.com](https://evil.example)",
	"`<@U123>`",
	"x\n```\n<!channel>\n```",
	"||spoiler|| <t:0:R> :smile:",
}

// liveMarkup finds what would make Slack link, mention or format: any
// <...> control sequence, and emphasis or code markers.
var liveMarkup = regexp.MustCompile("<|[*_~`]|@(everyone|channel|here)\\b")

func TestQuotedUserTextStaysInert(t *testing.T) {
	for _, h := range hostileCorpus {
		t.Run(strings.ReplaceAll(h, "/", "∕"), func(t *testing.T) {
			r := bot.Reply{Title: "Questions I couldn't answer", Text: "1. “" + bot.Quote(h) + "”: asked 2 times"}
			msgs := render(r)
			if len(msgs) != 1 {
				t.Fatalf("rendered %d messages, want 1", len(msgs))
			}
			b, err := json.Marshal(msgs[0].Blocks)
			if err != nil {
				t.Fatal(err)
			}
			var blocks []struct {
				Text *struct {
					Text     string `json:"text"`
					Verbatim bool   `json:"verbatim"`
					Type     string `json:"type"`
				} `json:"text"`
			}
			if err := json.Unmarshal(b, &blocks); err != nil {
				t.Fatal(err)
			}
			for _, blk := range blocks {
				if blk.Text == nil || blk.Text.Type != "mrkdwn" {
					continue
				}
				if !blk.Text.Verbatim {
					t.Errorf("a mrkdwn section is not verbatim, so Slack would auto-link in it: %q", blk.Text.Text)
				}
				if m := liveMarkup.FindString(blk.Text.Text); m != "" {
					t.Errorf("section %q carries live markup %q", blk.Text.Text, m)
				}
			}
			if m := liveMarkup.FindString(msgs[0].Text); m != "" {
				t.Errorf("fallback text %q carries live markup %q", msgs[0].Text, m)
			}
		})
	}
}
