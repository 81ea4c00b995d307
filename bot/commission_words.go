package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/bot/numfmt"
	"github.com/influbot/influbot/knowledge"
)

// Plain-word commission questions: "how much do I earn on a $40 skincare
// order?", "what commission do I get for a $100 kitchen sale?". With a
// category and an amount the estimate runs as `commission <category>
// <amount>` would; with an amount and no category the rates answer says
// what each category earns and how to ask for the estimate.

var (
	// commissionMoney is a dollar amount in the normalised text.
	commissionMoney = mustPattern(`\$\s?\d|\b\d[\d.]*\s*(?:k\s+)?(?:dollars?|bucks|usd)\b|` +
		// "1k in sales", "500 in kitchen sales", "2000 worth of electronics"
		`\b\d[\d.,]*\s?k?\s+(?:in\s+(?:[a-z]+\s+){0,2}sales\b|worth\b)`)
	// commissionAsk is a question about what a sale earns.
	commissionAsk = mustPattern(`^(?:how much|what|whats|would|will|do|does|if|can|could|how many)\b.*\b(?:earn|earns|earning|make|makes|commission|commissions|cut|get paid|get|payout)\b|^(?:estimate|calculate|calc)\b`)
	// commissionAskAfter is the question after the sale: "$40 skincare
	// how much would I make".
	commissionAskAfter = mustPattern(`^(?:a |an )?\$\s?\d[\d,.]*k?\s+[a-z][a-z ]{0,40}?\s(?:how much|what)\b.*\b(?:earn|make|commission|get)\b`)
	// commissionCount is a count of the sale just estimated: "3 of them",
	// "100 of those a month", "if I sell 20".
	commissionCount = mustPattern(`(?:^|\s)(?:sell|sold|selling)\s+(\d[\d,]*)\b|(?:^|\s)(\d[\d,]*)\s+(?:of (?:them|those|these|it|that)|more of (?:them|those|these)|sales|units|orders|pieces|people buy)\b`)
	// commissionPayment are words of a question about being paid, which a
	// count in it ("when do i get paid, i sold 5") does not make an estimate.
	commissionPayment = mustPattern(`\b(?:paid|payout|payouts|payment|payments|pay me|when|threshold|deposit|questions?)\b`)
	// commissionOn asks the rate of a category right after an estimate:
	// "and whats the commission on home decor", "what's the rate for beauty".
	commissionOn = mustPattern(`^(?:(?:and|so|ok|okay|also)\s+)?(?:whats|what is|what about|how about|and|how much is)\s+(?:the\s+)?(?:commission|commissions|rate|rates|cut|percentage|percent)\s+(?:on|for|in)\s+(.+?)$`)
	// rateOf asks one category's rate: "whats the rate for beauty
	// products", "what commission do i get on kitchen stuff".
	rateOf = mustPattern(`^(?:and |so |ok )?(?:whats|what is|what are|how much is|hows)(?: the)? (?:commission rate|commission|rate|rates|cut|percentage|percent) (?:for|on|in) (.{2,40})$|^what commission do i (?:get|earn|make) (?:for|on) (?:selling )?(.{2,40})$`)
	// salesPeriod is a period said of sales: "in sales a month".
	salesPeriod = mustPattern(`\bsales (?:a|per|each|every) (?:day|week|month|year)\b`)
	// anyPeriod is a period: "in a month", "per week", "a year".
	anyPeriod = mustPattern(`\b(?:in a|a|per|each|every) (?:day|week|month|year)\b|\b(?:monthly|weekly|yearly|daily)\b`)
	// commissionPerPeriod says the count is for a period ("a month").
	commissionPerPeriod = mustPattern(`\b(?:a|per|each|every)\s+(day|week|month|year)\b|\b(daily|weekly|monthly|yearly)\b`)
	// commissionNot are questions with an amount that are about something
	// else: payout thresholds, monthly income, what others earn, returns.
	commissionNot = mustPattern(`\b(?:before|threshold|minimum|min|pays? me|paid out|per month|a month|monthly|a year|per year|yearly|a week|per week|a day|per day|influencers|(?:they|people|others) (?:earn|make|get)|followers?|views?|returns?|returned|refunds?|refunded|cancels?|cancell?ed|earned|earnings|balance|so far)\b`)
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
	if !strings.ContainsAny(norm, "$0123456789") && !strings.Contains(norm, "rate") && !strings.Contains(norm, "commission") &&
		!strings.Contains(norm, "cut") && !strings.Contains(norm, "percent") && !strings.Contains(norm, "dollar") &&
		!strings.Contains(norm, "bucks") && !strings.Contains(norm, "usd") && !strings.Contains(norm, "sales") && !strings.Contains(norm, "worth") {
		return Reply{}, false, nil // most messages: no regular expression run
	}
	if m := rateOf.FindStringSubmatch(strings.TrimRight(norm, " .")); m != nil {
		// "whats the rate for beauty products": that category's rate, not
		// the whole table.
		if cat, ok := b.commissionCategory(strings.TrimSpace(m[1] + m[2])); ok {
			r, err := b.runNamed(ctx, t, "commission", cat)
			return r, true, err
		}
	}
	if !strings.Contains(norm, "$") && !strings.Contains(norm, "dollar") && !strings.Contains(norm, "bucks") && !strings.Contains(norm, "usd") &&
		!strings.Contains(norm, "sales") && !strings.Contains(norm, "worth") {
		return Reply{}, false, nil // most messages: no regular expression run
	}
	norm = commissionSpelled(norm, msg.all)
	asked := commissionAsk.MatchString(norm) || commissionAskAfter.MatchString(norm)
	// Right after the rates answer, an amount with a category is what
	// that sale earns, however it is put ("whats that on a $45 serum").
	afterRates := !asked && t.conv.LastTopic == commissionRatesTopic && t.conv.LastCommand == ""
	// "$5000 in sales a month in electronics": the period is of the sales
	// asked about, not a question about monthly income.
	notNorm := salesPeriod.ReplaceAllString(norm, "sales")
	if strings.Contains(norm, "$") {
		// "$2000 of beauty stuff in a month": a dollar amount is a sale
		// however long it takes, not a question about monthly income.
		notNorm = anyPeriod.ReplaceAllString(notNorm, "")
	}
	if !commissionMoney.MatchString(norm) || !(asked || afterRates) || commissionNot.MatchString(notNorm) {
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
		// The category said next ("it's electronics") completes it.
		t.commissionSeed = amountText
	}
	return r, true, err
}

// commissionCounted answers a count of the sale just estimated ("and for
// 3 of them?", "if I sell 100 of those a month how much is that"): the
// estimate of that many, with the sum it rests on. ok is false when msg
// is not one, or the last command was no estimate.
func (b *Bot) commissionCounted(ctx context.Context, t *turn, msg *reading) (Reply, bool, error) {
	if t.conv.LastCommand != "commission" {
		return Reply{}, false, nil
	}
	if category, amount, err := eligibility.ParseCommissionText(t.conv.LastArgs); err == nil && category == "" && amount != nil && len(msg.all) <= 6 &&
		!strings.Contains(msg.norm, "niche") && (!looksLikeQuestion(msg.norm) || strings.HasPrefix(msg.norm, "what about")) {
		// The category asked for, after an amount without one: "beauty",
		// "its electronics", "what about if its beauty". The rates
		// answer's choices may be pending: a category is none of them.
		if cat, ok := b.commissionCategory(msg.norm); ok {
			r, err := b.runNamed(ctx, t, "commission", cat+" "+strconv.FormatFloat(*amount, 'f', -1, 64))
			return r, true, err
		}
	}
	if t.conv.Pending != nil {
		return Reply{}, false, nil
	}
	if m := commissionOn.FindStringSubmatch(strings.TrimRight(msg.norm, " .")); m != nil {
		// The same sale in another category.
		if cat, ok := b.commissionCategory(strings.TrimSpace(m[1])); ok {
			args := cat
			if _, amount, err := eligibility.ParseCommissionText(t.conv.LastArgs); err == nil && amount != nil {
				args += " " + strconv.FormatFloat(*amount, 'f', -1, 64)
			}
			r, err := b.runNamed(ctx, t, "commission", args)
			return r, true, err
		}
	}
	m := commissionCount.FindStringSubmatch(msg.norm)
	if m == nil || len(msg.all) > 14 || commissionPayment.MatchString(msg.norm) {
		return Reply{}, false, nil
	}
	last := t.conv.LastArgs
	category, amount, err := eligibility.ParseCommissionText(last)
	if err != nil || amount == nil || *amount <= 0 || category == "" {
		return Reply{}, false, nil
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[1]+m[2], ",", ""))
	if err != nil || n < 1 || n > 1_000_000 {
		return Reply{}, false, nil
	}
	total := *amount * float64(n)
	r, err := b.runNamed(ctx, t, "commission", category+" "+strconv.FormatFloat(total, 'f', 2, 64))
	if err != nil {
		return r, true, err
	}
	// The next count is of the same sale, not of this total.
	t.call.Args, t.args = last, last
	period := ""
	if p := commissionPerPeriod.FindStringSubmatch(msg.norm); p != nil {
		period = map[string]string{"day": " a day", "week": " a week", "month": " a month", "year": " a year",
			"daily": " a day", "weekly": " a week", "monthly": " a month", "yearly": " a year"}[p[1]+p[2]]
	}
	lead := fmt.Sprintf("%s × %s = %s in sales%s:", numfmt.Thousands(int64(n)), "$"+money(*amount), "$"+money(total), period)
	r.Text = lead + "\n" + strings.Replace(r.Text, "A **$"+money(total)+"** sale", "**$"+money(total)+"** of sales", 1)
	return r, true, nil
}
