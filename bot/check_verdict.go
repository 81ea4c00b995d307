package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/bot/numfmt"
	"github.com/influbot/influbot/knowledge"
)

// verdictLeads say in a sentence what each verdict means for applying.
var verdictLeads = map[string]string{
	eligibility.Ready:      "it's a good time to apply",
	eligibility.Borderline: "close, and worth fixing the gaps below before you apply",
	eligibility.NotYet:     "not there yet, so fix the gaps below before you apply",
}

// checkVerdict answers "is that bad?" or "am I eligible?" straight after a
// check from that check: its verdict and score, what falls short and what
// passes, and the next step. ok is false when there is no saved check to
// read (the message then goes on as a question).
func (b *Bot) checkVerdict(ctx context.Context, t *turn) (Reply, bool, error) {
	chk, ok, err := b.latestCheck(ctx, t.call.User)
	if err != nil || !ok {
		return Reply{}, false, nil
	}
	res := summarizeCheck(chk)
	ev := t.call.Event
	ev.Kind, ev.Command = EventChat, "chat"
	var sb strings.Builder
	title := verdictTitles[res.Verdict]
	if title == "" {
		title = res.Verdict
	}
	account := platformName(knowledge.NormalizePlatform(res.Platform)) + " account"
	if res.Followers > 0 {
		account += " with " + numfmt.Thousands(res.Followers) + " " + audienceOf(res.Platform)
	}
	fmt.Fprintf(&sb, "Your last check (%s %s) came out **%s**, score %d/100", article(account), account, strings.SplitN(title, ":", 2)[0], res.Score)
	if lead := verdictLeads[res.Verdict]; lead != "" {
		fmt.Fprintf(&sb, ": %s.", lead)
	} else {
		sb.WriteString(".")
	}
	var short, pass []string
	for _, c := range res.Criteria {
		switch c.Status {
		case eligibility.Pass:
			pass = append(pass, c.Name)
		case eligibility.Warn, eligibility.Fail, eligibility.Unknown:
			short = append(short, fmt.Sprintf("%s **%s**: %s", statusMarks[c.Status], c.Name, c.Detail))
		}
	}
	if len(short) > 0 {
		sb.WriteString("\n\nWhere it falls short:\n")
		for _, s := range short {
			sb.WriteString("• " + s + "\n")
		}
	}
	if len(pass) > 0 {
		fmt.Fprintf(&sb, "\nWhat already passes: %s.\n", strings.Join(pass, ", "))
	}
	sb.WriteString("\nNone of this is Amazon's rule: it publishes no follower or engagement minimum, and a person reviews each account, so the verdict is a guide to your odds, not a yes or no.")
	if res.Verdict == eligibility.Ready {
		sb.WriteString("\n\nIf Amazon turned this account down anyway, the numbers are probably not why. Look at what a check can't see: " +
			"recent posts that show products people can buy, the account being public and the one you connected, no giveaway-inflated or bought engagement, " +
			"and a niche a reviewer gets in seconds. Ask me \"why was I rejected?\" for each in turn.")
		sb.WriteString("\n\nNext step: apply, and keep posting while you wait; type `plan` if you want weekly tasks to keep the account growing.")
	} else {
		sb.WriteString("\n\nNext step: " + planOffer + " the gaps in your check into a few weekly tasks.")
	}
	return Reply{Text: sb.String()}, true, nil
}

// article is "an" before a word said with a vowel sound first
// ("Instagram", "X"), "a" otherwise.
func article(word string) string {
	if word != "" && strings.ContainsRune("AEIOUaeiouX", rune(word[0])) {
		return "an"
	}
	return "a"
}
