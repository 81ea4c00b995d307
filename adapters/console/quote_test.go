package console

import (
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
)

func TestQuotedUserTextIsShownAsTyped(t *testing.T) {
	var sb strings.Builder
	typed := "[Verify](https://evil.example) **bold** <@U1>"
	Render(&sb, bot.Reply{Text: "**Recent questions**\n- “" + bot.Quote(typed) + "”"}, true)
	got := sb.String()
	if !strings.Contains(got, "“"+typed+"”") {
		t.Errorf("rendered %q, want the user's words as typed", got)
	}
	if strings.Contains(got, "evil.example>") || strings.Count(got, "\x1b[1m") != 1 {
		t.Errorf("rendered %q: the user's link or bold was rendered as markup", got)
	}
}
