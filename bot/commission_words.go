package bot

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/knowledge"
)

// Plain-word commission questions: "how much do I earn on a $40 skincare
// order?", "what commission do I get for a $100 kitchen sale?". With a
// category and an amount the estimate runs as `commission <category>
// <amount>` would; with an amount and no category the rates answer says
// what each category earns and how to ask for the estimate.

var (
	// commissionMoney is a dollar amount in the normalised text.
	commissionMoney = regexp.MustCompile(`\$\s?\d|\b\d[\d.]*\s*(?:k\s+)?(?:dollars?|bucks|usd)\b`)
	// commissionAsk is a question about what a sale earns.
	commissionAsk = regexp.MustCompile(`^(?:how much|what|whats|would|will|do|does|if|can|could|how many)\b.*\b(?:earn|earns|earning|make|makes|commission|commissions|cut|get paid|get|payout)\b`)
	// commissionNot are questions with an amount that are about something
	// else: payout thresholds, monthly income, what others earn, returns.
	commissionNot = regexp.MustCompile(`\b(?:before|threshold|minimum|min|pays? me|paid out|per month|a month|monthly|a year|per year|yearly|a week|per week|a day|per day|influencers|they|people|others|followers?|views?|returns?|returned|refunds?|refunded|cancels?|cancell?ed)\b`)
)

// commissionSpelled returns norm with misspellings of "commission" in
// words ("commision", "comission", "comision") spelled right, so the
// plain-word reading above does not miss a question for a typo in its key
// word. Only long words are taken, and within two edits: short words one
// edit apart are other words too.
func commissionSpelled(norm string, words []string) string {
	for _, w := range words {
		if len(w) < 7 || !strings.HasPrefix(w, "com") || w == "commission" || w == "commissions" {
			continue
		}
		want := "commission"
		if strings.HasSuffix(w, "s") {
			want = "commissions"
		}
		if knowledge.EditDistanceWithin(w, want, 2) <= 2 {
			norm = replaceWord(norm, w, want)
		}
	}
	return norm
}

// replaceWord replaces the whole-word occurrences of old in s by new.
func replaceWord(s, old, new string) string {
	var sb strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			sb.WriteString(s)
			return sb.String()
		}
		end := i + len(old)
		whole := (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end]))
		sb.WriteString(s[:i])
		if whole {
			sb.WriteString(new)
		} else {
			sb.WriteString(old)
		}
		s = s[end:]
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// commissionRatesTopic is the FAQ entry with the commission table.
const commissionRatesTopic = "commission-rates"

// commissionAsked answers a plain-word commission question (see above); ok
// is false when the message is not one.
func (b *Bot) commissionAsked(ctx context.Context, t *turn, msg *reading) (Reply, bool, error) {
	norm := msg.norm
	if !strings.Contains(norm, "$") && !strings.Contains(norm, "dollar") && !strings.Contains(norm, "bucks") && !strings.Contains(norm, "usd") {
		return Reply{}, false, nil // most messages: no regular expression run
	}
	norm = commissionSpelled(norm, msg.all)
	asked := commissionAsk.MatchString(norm)
	// Right after the rates answer, an amount with a category is what
	// that sale earns, however it is put ("whats that on a $45 serum").
	afterRates := !asked && t.conv.LastTopic == commissionRatesTopic && t.conv.LastCommand == ""
	if !commissionMoney.MatchString(norm) || !(asked || afterRates) || commissionNot.MatchString(norm) {
		return Reply{}, false, nil
	}
	catText, amount, err := eligibility.ParseCommissionText(norm)
	if err != nil || amount == nil || *amount <= 0 {
		return Reply{}, false, nil
	}
	amountText := strconv.FormatFloat(*amount, 'f', -1, 64)
	if _, alias, ok := eligibility.MatchCategoryAlias(catText, b.cfg.Knowledge.Rules.Commission); ok {
		// The words that named it ("skincare"), not the whole question.
		r, err := b.runNamed(ctx, t, "commission", alias+" "+amountText)
		return r, true, err
	}
	if afterRates {
		return Reply{}, false, nil // no category: not plainly an estimate
	}
	kb := b.knowledgeFor(ctx, t.call.User.TenantRef())
	if _, ok := kb.Entry(commissionRatesTopic); !ok {
		return Reply{}, false, nil
	}
	t.call.Event.Kind = EventQuestion
	r, err := b.press(ctx, t, Button{ActionID: "ask:topic", Value: commissionRatesTopic})
	if err == nil {
		r.Text = strings.TrimRight(r.Text, "\n") + "\n\nTell me the category too and I'll work it out: `commission beauty " + amountText + "`."
	}
	return r, true, err
}
