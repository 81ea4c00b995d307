package bot

import (
	"fmt"
	"math"
	"strings"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/bot/numfmt"
)

// "i have 12k on tiktok and 3k on ig, which one should i apply with?": two
// accounts in one message. A check takes one account, so instead of mixing
// their numbers (or answering the FAQ as if none were given) the reply
// says what it read for each and how to choose the one to connect.

// accountSplit cuts a message about several accounts into the parts that
// speak of one: at commas, semicolons, full stops and "and".
var accountSplit = mustPattern(`[,;!?]+|\.(?:\s|$)|\s+and\s+|\s+but\s+`)

// twoAccounts answers a message that gives the audience of two or more
// platforms; ok is false for any other message.
func (b *Bot) twoAccounts(t *turn, text string, msg *reading) (Reply, bool) {
	first, two := "", false
	for _, w := range msg.all {
		if p, ok := eligibility.LookupPlatform(w); ok {
			two = two || first != "" && p.ID != first
			if first == "" {
				first = p.ID
			}
		}
	}
	if !two || !saysCount(msg) {
		return Reply{}, false
	}
	accounts := map[string]eligibility.Input{}
	var order []string
	current := ""
	for _, part := range accountSplit.Split(text, -1) {
		in, err := eligibility.ParseFreeTextLoose(part)
		if err != nil {
			continue
		}
		if in.Platform != "" {
			current = in.Platform
		}
		if current == "" {
			continue
		}
		a, ok := accounts[current]
		if !ok {
			order = append(order, current)
			a.Platform = current
		}
		accounts[current] = mergeInput(a, in)
	}
	withAudience := 0
	for _, id := range order {
		if accounts[id].Followers != nil {
			withAudience++
		}
	}
	if withAudience < 2 {
		return Reply{}, false
	}
	var sb strings.Builder
	sb.WriteString("You have more than one account, and Amazon reviews the one you connect, so it's worth choosing:\n")
	for _, id := range order {
		a := accounts[id]
		p, _ := eligibility.LookupPlatform(id)
		if a.Followers == nil {
			fmt.Fprintf(&sb, "- **%s**: no audience given\n", p.Name)
			continue
		}
		fmt.Fprintf(&sb, "- **%s**: %s %s", p.Name, numfmt.Thousands(int64(math.Round(*a.Followers))), p.Audience)
		if hasEngagement(a) {
			sb.WriteString(", with how posts do")
		}
		sb.WriteString("\n")
	}
	sb.WriteString("\nPick the one with the better engagement and the most product content, not just the most followers (creator guidance; Amazon publishes no rule). " +
		"A check compares them properly: send each account's numbers on its own line, for example `check " + order[0] + " 12k followers 300 likes 20 comments`, then the other.")
	ev := t.call.Event
	ev.Kind, ev.Command = EventChat, "chat"
	ev.OneOffReply = true
	return Reply{Title: "Which account to connect", Text: sb.String()}, true
}
