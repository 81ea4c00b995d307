package bot

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/bot/numfmt"
)

// "my engagement is like 2% is that good?": a rate the creator already
// worked out, asked about. The FAQ's engagement answer explains rates in
// general; this compares theirs with the benchmark of their platform, or
// of each platform when they name none (a rate means different things on
// each: of followers on Instagram, of views on TikTok).

// ratePercent is a rate in the normalized text: "2%", "2.5 %", "3 percent".
var ratePercent = mustPattern(`(?:^|\s)(\d{1,2}(?:\.\d{1,2})?)\s?(?:%|percent\b|pct\b)`)

// rateWords make a message with a percentage about engagement.
var rateWords = wordSet("engagement", "er", "engagment", "engagemnt", "enagement")

// otherRates are rates that are not engagement: "a 3% commission rate",
// "my conversion rate", "my return rate".
var otherRates = wordSet("commission", "commissions", "conversion", "return", "returns", "click", "ctr", "off", "discount", "tax", "fee")

// engagementTopic is the FAQ entry on engagement rates.
const engagementTopic = "engagement-rate"

// engagementGiven answers a question that gives an engagement rate and
// asks how it stands; ok is false for any other message.
func (b *Bot) engagementGiven(ctx context.Context, t *turn, msg *reading) (Reply, bool) {
	if !strings.Contains(msg.norm, "%") && !strings.Contains(msg.norm, "percent") && !strings.Contains(msg.norm, "pct") {
		return Reply{}, false // most messages: no regular expression run
	}
	m := ratePercent.FindStringSubmatch(msg.norm)
	if m == nil || !asksReadiness(msg) && !judgement(msg) && !namesPlatform(msg) {
		return Reply{}, false
	}
	about := t.conv.LastTopic == engagementTopic
	for _, w := range msg.all {
		if otherRates[w] {
			return Reply{}, false
		}
		about = about || rateWords[w]
	}
	if !about {
		return Reply{}, false
	}
	rate, err := strconv.ParseFloat(m[1], 64)
	if err != nil || rate <= 0 || rate >= 100 {
		return Reply{}, false
	}
	rules := b.cfg.Knowledge.Rules
	var followers int64
	var only string
	for _, w := range msg.all {
		if p, ok := eligibility.LookupPlatform(w); ok {
			only = p.ID
		}
	}
	if in, err := eligibility.ParseFreeTextLoose(msg.norm); err == nil && in.Followers != nil {
		followers = int64(math.Round(*in.Followers))
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Your %s%%, against influbot's benchmarks (creator guidance set near published figures; Amazon publishes no engagement minimum):\n", trimPercent(rate))
	for _, p := range eligibility.Platforms() {
		if only != "" && p.ID != only {
			continue
		}
		bm, ok := rules.Benchmark(p.ID, followers)
		if !ok {
			continue
		}
		verdict := "about at it"
		switch {
		case rate >= bm.Rate*1.1:
			verdict = "above it"
		case rate < bm.Rate*0.5:
			verdict = "well below it"
		case rate < bm.Rate*0.9:
			verdict = "below it"
		}
		tier := ""
		if bm.MinFollowers > 0 {
			tier = fmt.Sprintf(" with %s+ %s", numfmt.Thousands(bm.MinFollowers), p.Audience)
		}
		fmt.Fprintf(&sb, "- **%s**%s: about %s%% of %s, so yours is %s.\n", p.Name, tier, trimPercent(bm.Rate), bm.Basis, verdict)
	}
	if only == "" {
		sb.WriteString("\nWhich platform is it? On TikTok and YouTube a rate counts against views, elsewhere against followers, so the same number reads differently. ")
	}
	example := "check instagram 4.2k followers 150 likes 12 comments"
	if p, ok := eligibility.LookupPlatform(only); ok {
		example = "check " + p.ID + " 4.2k " + p.Audience + " 150 likes 12 comments"
		if p.ViewsBasis {
			example += " 3k views"
		}
	}
	sb.WriteString("\nFor a full read, send your numbers, for example `" + example + "`: I'll work the rate out the same way for every account and say what else to fix.")
	ev := t.call.Event
	ev.Kind, ev.Command = EventQuestion, "ask"
	ev.Topic, ev.Confidence, ev.Answered = engagementTopic, 1, true
	ev.OneOffReply = true // the creator's own rate: not a shared answer
	return Reply{Title: "Is your engagement rate good?", Text: sb.String()}, true
}

// judgement reports whether msg asks for a judgement ("is that good",
// "is 2% bad", "too low?").
func judgement(msg *reading) bool {
	for _, w := range msg.all {
		if judgedWords[w] || w == "high" || w == "average" || w == "normal" {
			return true
		}
	}
	return false
}

// trimPercent writes a rate without trailing zeros: 2, 1.5, 0.25.
func trimPercent(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
