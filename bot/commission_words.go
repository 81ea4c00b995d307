package bot

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/influbot/influbot/bot/eligibility"
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

// commissionRatesTopic is the FAQ entry with the commission table.
const commissionRatesTopic = "commission-rates"

// commissionAsked answers a plain-word commission question (see above); ok
// is false when the message is not one.
func (b *Bot) commissionAsked(ctx context.Context, t *turn, msg *reading) (Reply, bool, error) {
	norm := msg.norm
	if !strings.Contains(norm, "$") && !strings.Contains(norm, "dollar") && !strings.Contains(norm, "bucks") && !strings.Contains(norm, "usd") {
		return Reply{}, false, nil // most messages: no regular expression run
	}
	if !commissionMoney.MatchString(norm) || !commissionAsk.MatchString(norm) || commissionNot.MatchString(norm) {
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
