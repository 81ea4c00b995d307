package bot

import (
	"context"
	"math"
	"strings"

	"github.com/influbot/influbot/bot/eligibility"
)

// Right after a check, people correct what they sent: "sorry i meant
// tiktok not instagram", "no 12k not 1.2k", "i meant 300 likes". The
// check runs again with the correction in place of what it replaces.

// correctionLeads open a correction; at least one of them, or a "not",
// must be there, so that plain additions stay checkMore's.
var correctionLeads = []string{"sorry", "sry", "oops", "no", "nope", "nah", "wait", "my bad", "actually", "correction", "typo",
	"i meant", "meant", "i mean", "i meant to say", "its", "it is", "should be", "make it", "its actually", "it was", "i typed it wrong"}

// correctionNotWords are words no correction has: a message with one
// ("actually, how do i grow on tiktok?") is a question, not a fix.
var correctionNotWords = wordSet("how", "what", "whats", "why", "when", "where", "which", "who", "should", "can", "could",
	"do", "does", "did", "is", "are", "will", "would", "ask", "asking", "about", "working", "work", "grow", "switch", "mean")

// checkCorrection runs the last check again with a correction; ok is false
// when msg is none. Only a bare correction counts: a platform, a number
// for a number, or labelled numbers, with nothing else said.
func (b *Bot) checkCorrection(ctx context.Context, t *turn, msg *reading) (Reply, bool, error) {
	if t.conv.LastCommand != "check" || len(msg.all) == 0 || len(msg.all) > 12 || strings.Contains(t.call.Text, "?") {
		return Reply{}, false, nil
	}
	s := strings.Trim(msg.norm, " .!")
	marked := false
	for again := true; again; {
		again = false
		for _, l := range correctionLeads {
			if rest, ok := strings.CutPrefix(s, l+" "); ok {
				s, marked, again = strings.TrimLeft(rest, " ,.!:-"), true, true
			}
		}
	}
	x, y, not := strings.Cut(s, " not ")
	if !marked && !not || x == "" || not && !checkWords(y) {
		// "1.2 mil and not ready": no correction of a number or platform.
		return Reply{}, false, nil
	}
	for _, w := range strings.Fields(x) {
		if correctionNotWords[w] {
			return Reply{}, false, nil
		}
	}
	last, err := eligibility.ParseFreeTextPart(t.conv.LastArgs)
	if err != nil || last.Platform == "" {
		return Reply{}, false, nil
	}
	x = strings.TrimPrefix(x, "on ")
	fixed := last
	switch p, isPlatform := eligibility.LookupPlatform(x); {
	case isPlatform:
		fixed.Platform = p.ID
	default:
		if n, err := eligibility.ParseNumber(x); err == nil && not {
			// "12k not 1.2k": the number that was y is now x.
			was, err := eligibility.ParseNumber(strings.TrimSpace(y))
			if err != nil || !replaceNumber(&fixed, was, n) {
				return Reply{}, false, nil
			}
			break
		}
		add, err := eligibility.ParseFreeTextPart(x)
		if err != nil || add.Niche != "" && !strings.Contains(x, "niche") || !hasCheckData(add) {
			// Words besides the numbers: not a bare correction.
			return Reply{}, false, nil
		}
		fixed = mergeInput(last, add)
		if add.Platform != "" {
			fixed.Platform = add.Platform
		}
		if add.Niche != "" {
			fixed.Niche = add.Niche
		}
	}
	r, err := b.runNamed(ctx, t, "check", checkText(fixed))
	return r, true, err
}

// replaceNumber sets to now the one number of in that was was; false when
// none, or more than one, was.
func replaceNumber(in *eligibility.Input, was, now float64) bool {
	var hit **float64
	for _, f := range []**float64{&in.Followers, &in.Likes, &in.Comments, &in.Shares, &in.Views, &in.PostsPerWeek} {
		if *f != nil && math.Abs(**f-was) < 0.5 {
			if hit != nil {
				return false
			}
			hit = f
		}
	}
	if hit == nil {
		return false
	}
	v := now
	*hit = &v
	return true
}

// checkWords reports whether s says a platform or a number of a check
// ("instagram", "1.2k", "100 likes").
func checkWords(s string) bool {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "on "))
	if _, ok := eligibility.LookupPlatform(s); ok {
		return true
	}
	if _, err := eligibility.ParseNumber(s); err == nil {
		return true
	}
	in, err := eligibility.ParseFreeTextPart(s)
	return err == nil && in.Niche == "" && hasCheckData(in)
}
