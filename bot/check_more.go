package bot

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/bot/numfmt"
)

// Numbers given after a check: the check's reply asks for what it could
// not measure ("give your average likes, comments and views"), and people
// answer in the next message ("300 views 20 likes 5 comments", "i post 1
// video a week", "niche home decor"). Those numbers join the last check's
// and it runs again; a new platform with its own follower count starts a
// check of that account instead.

// whatIf starts a question that is really more numbers for the check:
// "what about 50 likes", "what if i posted daily".
var whatIf = mustPattern(`^(?:what about|what if|how about|and|with|if i (?:had|got|post(?:ed)?))\b`)

// checkMore re-runs the last check with the numbers msg adds; ok is false
// when the last command was not a check or the message adds nothing a
// check reads.
func (b *Bot) checkMore(ctx context.Context, t *turn, text string, msg *reading) (Reply, bool, error) {
	after := t.conv.LastCommand == "check" || t.conv.LastCommand == checkOffered
	if !after && noCheckWhatIf.MatchString(msg.norm) && !namesPlatform(msg) && !b.hasCheck(ctx, t) {
		// "what if i post daily" with no check to change: the what-if
		// needs the numbers it changes.
		ev := t.call.Event
		ev.Kind, ev.Command = EventChat, "chat"
		return Reply{Text: "What-ifs work on a check of your numbers, and I don't have yours yet. Send them first, for example " +
			"`check instagram 4.2k followers 150 likes 12 comments 3 posts a week`, then ask `what if I posted daily?` and I'll show what changes."}, true, nil
	}
	digits := saysCount(msg)
	// Without a digit only a niche ("niche fitness", "i do beauty") or a
	// rhythm in words ("i post daily") can add to a check, and those are
	// short or say "niche".
	if len(msg.all) == 0 || len(msg.all) > 30 || !digits && (!after || len(msg.all) > 8 && !strings.Contains(msg.norm, "niche")) {
		return Reply{}, false, nil
	}
	question := looksLikeQuestion(text)
	if question && !after && digits && namesPlatform(msg) && !mentionsRejection(msg) && asksReadiness(msg) {
		// "yt channel 1.2k subs, avg 300 views. eligible?", "my insta
		// has 50k followers but 200 likes, is that bad?": the account's
		// own numbers, asked about.
		if r, ok, err := b.readinessAsked(ctx, t, text, msg); ok {
			return r, true, err
		}
	}
	if !after && !question && digits && namesPlatform(msg) && !mentionsRejection(msg) && !asksReadiness(msg) && !judgement(msg) && !strings.Contains(msg.norm, "under review") &&
		!slices.ContainsFunc(msg.all, func(w string) bool { return whWords[w] || introNot[w] }) {
		// "hola! i do tiktok about cooking, 15k followers": an account
		// introduced without how its posts do; the check is offered and
		// the likes and views sent next complete it.
		if r, ok := b.introduced(t, text, true); ok {
			return r, true, nil
		}
	}
	if !after && !question && digits && !namesPlatform(msg) && !mentionsRejection(msg) {
		// "i have 12.5k followers and like 400 likes a post": a check
		// but for its platform, which is asked for.
		return b.askPlatform(ctx, t, text)
	}
	// "what about youtube, 2k subs 400 views 30 likes": a question in
	// form only, when what follows its lead is a whole check.
	leadOnly := question && !after && whatIf.MatchString(msg.norm)
	if question && !leadOnly && (!after || !whatIf.MatchString(msg.norm)) || !after && !namesPlatform(msg) {
		return Reply{}, false, nil
	}
	if !after {
		// Numbers alone, without the word check: "tiktok 3k followers
		// 200 likes 10 comments" is a check when it names the platform,
		// the audience and how posts do, also inside a story ("ugh
		// amazon rejected my tiktok again, 22k followers, ...").
		args := text // a check's own text keeps any niche it names
		add, err := eligibility.ParseFreeTextPart(text)
		if err != nil {
			add, _ = b.accountNumbers(text)
			args = checkText(add)
		}
		if add.Platform == "" || add.Followers == nil || !hasEngagement(add) {
			return Reply{}, false, nil
		}
		r, err := b.runNamed(ctx, t, "check", args)
		if err == nil && mentionsRejection(msg) {
			r.Text = "Sorry about the rejection; that's frustrating. Here's how those numbers look, and what to work on before you reapply.\n\n" + r.Text
		}
		return r, true, err
	}
	add, err := eligibility.ParseFreeTextPart(text)
	if err != nil {
		// "ok and if i add niche beauty": the words around what a check
		// reads are skipped.
		if add, err = eligibility.ParseFreeTextLoose(text); err != nil {
			return Reply{}, false, nil
		}
	}
	engagement := hasEngagement(add)
	if after && add.Platform != "" {
		// The platform asked for ("its instagram") completes the numbers
		// that came without one.
		if last, err := eligibility.ParseFreeTextPart(t.conv.LastArgs); err == nil && last.Platform == "" && last.Followers != nil {
			merged := mergeInput(last, add)
			merged.Platform = add.Platform
			r, err := b.runNamed(ctx, t, "check", checkText(merged))
			return r, true, err
		}
	}
	numbers := add.Followers != nil || engagement || add.PostsPerWeek != nil
	// A niche must be said as one ("niche fitness") or be one the rules
	// know ("home decor"), not any leftover words; on its own it must also
	// be short ("i do beauty"): in a sentence leftover words rarely are one.
	niche := add.Niche != "" && (strings.Contains(msg.norm, "niche") || len(eligibility.MatchNiche(add.Niche, b.cfg.Knowledge.Rules.Niches)) > 0) &&
		(numbers || !question && (len(msg.all) <= 5 || strings.Contains(msg.norm, "niche") && len(msg.all) <= 10))
	if !numbers && !niche {
		return Reply{}, false, nil
	}
	last, err := eligibility.ParseFreeTextPart(t.conv.LastArgs)
	if err != nil || last.Platform == "" {
		return Reply{}, false, nil
	}
	if add.Platform != "" && add.Platform != last.Platform {
		// Another account: its own check, when it says enough for one.
		if add.Followers == nil {
			return Reply{}, false, nil
		}
		r, err := b.runNamed(ctx, t, "check", text)
		return r, true, err
	}
	merged := mergeInput(last, add)
	if niche {
		merged.Niche = add.Niche
	}
	if merged.Followers == nil {
		// An account introduced without its audience ("i do fitness on
		// tiktok"), then its likes: kept, and the audience asked for.
		p, _ := eligibility.LookupPlatform(merged.Platform)
		ev := t.call.Event
		ev.Kind, ev.Command = EventChat, "chat"
		t.checkSeed = checkText(merged)
		return Reply{Text: fmt.Sprintf("Got it. How many %s does your %s account have? Send the number (for example `12k %s`) and I'll run the check.",
			p.Audience, p.Name, p.Audience)}, true, nil
	}
	// "what if I had 50 likes?": a check of numbers that are not (yet)
	// the user's, answered but kept out of their progress.
	hypothetical := question && hypotheticalLead.MatchString(msg.norm)
	t.call.whatIf = hypothetical
	r, err := b.runNamed(ctx, t, "check", checkText(merged))
	t.call.whatIf = false
	if hypothetical {
		// What follows adds to the user's own numbers, not these.
		t.call.Args, t.args = t.conv.LastArgs, t.conv.LastArgs
	}
	if err == nil && hypothetical {
		r.Text = strings.TrimRight(r.Text, "\n") + "\n\n_A what-if: not saved to your progress. Send your real numbers when they change and I'll track them._"
	}
	return r, true, err
}

// hypotheticalLead starts a question about numbers the user does not
// have: "what if I had...", "what about 50 likes?".
var hypotheticalLead = mustPattern(`^(?:what about|what if|how about|if i (?:had|got|post(?:ed)?))\b`)

// mergeInput returns last with the numbers add gives in place of its own.
func mergeInput(last, add eligibility.Input) eligibility.Input {
	merged := last
	for _, f := range []struct{ dst, src **float64 }{
		{&merged.Followers, &add.Followers}, {&merged.Likes, &add.Likes}, {&merged.Comments, &add.Comments}, {&merged.Shares, &add.Shares},
		{&merged.Views, &add.Views}, {&merged.PostsPerWeek, &add.PostsPerWeek},
	} {
		if *f.src != nil {
			*f.dst = *f.src
		}
	}
	return merged
}

// askPlatform answers numbers that make a check but for the platform
// ("12.5k followers and 400 likes a post") by asking which platform they
// are from; they are kept, so that the platform said next runs the check.
// ok is false when the text is not such numbers.
func (b *Bot) askPlatform(ctx context.Context, t *turn, text string) (Reply, bool, error) {
	in, err := eligibility.ParseFreeTextPart(text)
	if err != nil {
		in, err = eligibility.ParseFreeTextLoose(text)
	}
	if err != nil || in.Platform != "" || in.Followers == nil || !hasEngagement(in) {
		return Reply{}, false, nil
	}
	if l := strings.ToLower(text); strings.Contains(l, "subscriber") || strings.Contains(l, " subs") {
		// "my channel has 1800 subscribers and 600 views": subscribers
		// are YouTube's audience.
		in.Platform = "youtube"
		r, err := b.runNamed(ctx, t, "check", checkText(in))
		return r, true, err
	}
	ev := t.call.Event
	ev.Kind, ev.Command = EventChat, "chat"
	ev.OneOffReply = true
	t.checkSeed = checkText(in)
	return Reply{
		Title: "Which platform?",
		Text: "I can check those numbers: which platform are they from? Say `instagram`, `tiktok`, `youtube`, `facebook` or `x`, " +
			"and I'll tell you how ready the account looks (engagement is measured differently on each).",
		Ephemeral: true,
	}, true, nil
}

// checkOffered is the context's last command after an answer offered to
// check the numbers its question gave (offerCheck): numbers sent next
// complete that check (checkMore), but it is no check to re-run for
// another platform ("and on tiktok?" stays about the answer).
const checkOffered = "check-offered"

// offerCheck ends an answer to a question that gives the asker's own
// platform and follower count ("i have 3k on tiktok, is that enough?",
// "im a mom blogger on fb with 15k followers") with the check of those
// numbers, and keeps them so that the likes and comments sent next
// complete that check (checkMore).
func (b *Bot) offerCheck(t *turn, text string, msg *reading, r Reply) Reply {
	if !saysCount(msg) || !namesPlatform(msg) {
		return r
	}
	in, err := eligibility.ParseFreeTextPart(text)
	if err != nil {
		return r
	}
	return b.offerCheckOf(t, eligibility.Input{Platform: in.Platform, Followers: in.Followers}, r)
}

// offerCheckOf is offerCheck of numbers already read: the platform, the
// audience and, when known, the niche of in are kept for the numbers sent
// next. r is returned as it is without a platform and an audience.
func (b *Bot) offerCheckOf(t *turn, in eligibility.Input, r Reply) Reply {
	if in.Platform == "" || in.Followers == nil {
		return r
	}
	p, _ := eligibility.LookupPlatform(in.Platform)
	r.Text = strings.TrimRight(r.Text, "\n") + "\n\n**Your account:** for a read on your " + p.Name +
		" numbers, send your average likes, comments and views per " + p.Post + " (for example `150 likes 12 comments`), and I'll check them with your " +
		numfmt.Thousands(int64(math.Round(*in.Followers))) + " " + p.Audience + "."
	t.checkSeed = checkText(eligibility.Input{Platform: in.Platform, Followers: in.Followers, Niche: in.Niche})
	// The asker's numbers make the reply theirs alone: stored as such,
	// not looked up among the shared answers (see Event.OneOffReply).
	t.call.Event.OneOffReply = true
	return r
}

// namesPlatform reports whether a word of msg names a platform a check
// knows ("tiktok", "ig", "fb"): without one the message is no check, and
// the parser is not run.
func namesPlatform(msg *reading) bool {
	for _, w := range msg.all {
		if _, ok := eligibility.LookupPlatform(w); ok {
			return true
		}
	}
	return false
}

// checkText writes in as the free text a check reads back to the same
// input.
func checkText(in eligibility.Input) string {
	var sb strings.Builder
	sb.WriteString(in.Platform)
	num := func(v *float64, label string) {
		if v != nil {
			sb.WriteString(" " + strconv.FormatFloat(*v, 'f', -1, 64) + " " + label)
		}
	}
	num(in.Followers, "followers")
	num(in.Likes, "likes")
	num(in.Comments, "comments")
	num(in.Shares, "shares")
	num(in.Views, "views")
	num(in.PostsPerWeek, "posts a week")
	if in.Niche != "" {
		sb.WriteString(" niche " + in.Niche)
	}
	return sb.String()
}

// eligibleAsked answers "do I qualify?", "am I eligible?", "would I get
// accepted?": from the user's last check when there is one (its verdict,
// what falls short and why), else with what Amazon looks at and how to
// get a check of their own numbers.
func (b *Bot) eligibleAsked(ctx context.Context, t *turn, text string, msg *reading) (Reply, error) {
	if r, ok, err := b.checkVerdict(ctx, t); ok {
		return r, err
	}
	kb := b.knowledgeFor(ctx, t.call.User.TenantRef())
	e, ok := kb.Entry(eligibleTopic)
	ev := t.call.Event
	ev.Kind, ev.Command = EventQuestion, "ask"
	if !ok {
		return b.answerWithPrior(ctx, t, text, msg)
	}
	ev.Topic, ev.Confidence, ev.Answered = e.ID, 1, true
	r := b.entryReply(kb, e)
	r.Text = strings.TrimRight(r.Text, "\n") + "\n\n**For your account:** Amazon publishes no bar to measure against, but I can compare your numbers with what accepted creators report. " +
		"Send them in one message, for example `instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor`."
	return r, nil
}

// eligibleTopic is the FAQ entry on what Amazon looks at.
const eligibleTopic = "evaluation-criteria"

// saysCount reports whether msg gives a number: in digits ("12k"), or in
// words ("twelve thousand").
func saysCount(msg *reading) bool {
	if strings.ContainsAny(msg.norm, "0123456789") {
		return true
	}
	for _, w := range msg.all {
		if eligibility.SaysCount(w) {
			return true
		}
	}
	return false
}

// rejectionWords mark a message about a rejection ("i got rejected with
// 12k followers and 400 likes"): its numbers are context for a question.
var rejectionWords = wordSet("rejected", "reject", "rejection", "denied", "declined", "turned", "why", "refused", "disapproved")

func mentionsRejection(msg *reading) bool {
	for _, w := range msg.all {
		if rejectionWords[w] {
			return true
		}
	}
	return false
}

// hasEngagement reports whether in says how posts do: likes, comments,
// shares or views.
func hasEngagement(in eligibility.Input) bool {
	return in.Likes != nil || in.Comments != nil || in.Shares != nil || in.Views != nil
}

// hasCheckData reports whether in gives anything a check reads besides a
// niche: a platform, the audience, how posts do, or how often.
func hasCheckData(in eligibility.Input) bool {
	return in.Platform != "" || in.Followers != nil || in.PostsPerWeek != nil || hasEngagement(in)
}

// readinessWords ask how ready an account is, whatever the rest of the
// sentence: "eligible?", "can i get accepted", "i can enter in program?".
var readinessWords = wordSet("eligible", "eligibility", "qualify", "qualified", "accepted", "accept", "approved", "approve",
	"chance", "chances", "odds", "ready", "enough", "enter", "join", "shot", "wrong", "missing", "lacking", "improve", "fix")

// judgedWords ask for a judgement of what was just said ("is that bad?",
// "is it ok"), but only right after such a word ("good engagement rate for
// 10k followers" asks what a good rate is, not about an account).
var judgedWords = wordSet("bad", "good", "ok", "okay", "low", "decent", "fine", "normal", "terrible", "poor", "enough")

// judgedAfter are the words a judgement follows: "is that bad", "its low".
var judgedAfter = wordSet("that", "it", "this", "thats", "its", "is", "too")

// asksReadiness reports whether msg asks how its account stands (see
// readinessWords and judgedWords).
func asksReadiness(msg *reading) bool {
	for i, w := range msg.all {
		if readinessWords[w] || judgedWords[w] && i > 0 && judgedAfter[msg.all[i-1]] ||
			(w == "apply" || w == "reapply") && slices.Contains(msg.all[:i], "should") {
			return true
		}
	}
	return false
}

// readinessAsked answers a question about how ready an account is that
// gives the account's numbers beyond its audience (how posts do, how often,
// the niche): with the check of them. ok is false otherwise: the audience
// alone is the FAQ's question, answered there with the check offered.
func (b *Bot) readinessAsked(ctx context.Context, t *turn, text string, msg *reading) (Reply, bool, error) {
	in, ok := b.accountNumbers(text)
	if !ok || in.Platform == "" || in.Followers == nil {
		return Reply{}, false, nil
	}
	if !(hasEngagement(in) || in.PostsPerWeek != nil || in.Niche != "") {
		// The audience alone ("is 1k followers enough for tiktok?",
		// "do i need 1000 followers to join?") is the FAQ's question,
		// answered there with the check offered; when the FAQ cannot
		// place it ("i am from brazil, i have facebook page with 20
		// thousand follower, can i join program?"), what Amazon looks
		// at, with the check offered.
		kb := b.knowledgeFor(ctx, t.call.User.TenantRef())
		e, ok := kb.Entry(eligibleTopic)
		if !ok || kb.Index.Search(text).Answered {
			return Reply{}, false, nil
		}
		ev := t.call.Event
		ev.Kind, ev.Command = EventQuestion, "ask"
		ev.Topic, ev.Confidence, ev.Answered = e.ID, 1, true
		return b.offerCheckOf(t, in, b.entryReply(kb, e)), true, nil
	}
	// Enough for a verdict on what was given; the check says what it
	// could not measure. Someone else's numbers ("my friend has 20k
	// followers, can she join?") are answered, not saved as the user's.
	other := slices.ContainsFunc(msg.all, func(w string) bool { return thirdParty[w] })
	t.call.whatIf = other
	r, err := b.runNamed(ctx, t, "check", checkText(in))
	t.call.whatIf = false
	if other && err == nil {
		r.Text = strings.TrimRight(r.Text, "\n") + "\n\n_Someone else's numbers: answered, not saved to your progress._"
		t.call.Args, t.args = t.conv.LastArgs, t.conv.LastArgs
	}
	return r, true, err
}

// clauseEnd splits a message into the clauses accountNumbers reads one by
// one: at commas, semicolons, ! and ?, and at a full stop that ends a
// sentence (not the one of "1.2k").
var clauseEnd = mustPattern(`[,;!?]+|\.(?:\s|$)`)

// accountNumbers reads what a sentence about an account says a check
// takes, skipping the words a check does not know (ParseFreeTextLoose):
// the whole of it, or else clause by clause ("i have 5k followers, ...").
// A niche is kept only when it is one the rules know or is said with the
// word niche ("make up niche"): the rest of such a sentence ("is that
// bad") is no niche. A Facebook page's likes are its audience. ok is
// false when nothing a check reads was found.
func (b *Bot) accountNumbers(text string) (eligibility.Input, bool) {
	niches := b.cfg.Knowledge.Rules.Niches
	lower := strings.ToLower(text)
	knownNiche := func(n string) string {
		if n == "" {
			return ""
		}
		if strings.Contains(lower, n+" niche") || strings.Contains(lower, "niche "+n) || strings.Contains(lower, "niche: "+n) {
			return n
		}
		if len(eligibility.MatchNiche(n, niches)) == 0 {
			return ""
		}
		// "jess i do fitness", "skincare girlie": the words of the run
		// that name the niche, not the whole run.
		words := strings.Fields(n)
		alone := make([]bool, len(words))
		for i, w := range words {
			alone[i] = len(eligibility.MatchNiche(w, niches)) > 0
		}
		// Two words that name it together ("make up", "home decor"),
		// not one word that names it with a stray one ("do fitness").
		for i := 0; i+1 < len(words); i++ {
			if alone[i] == alone[i+1] && len(eligibility.MatchNiche(words[i]+" "+words[i+1], niches)) > 0 {
				return words[i] + " " + words[i+1]
			}
		}
		for i, w := range words {
			if alone[i] {
				return w
			}
		}
		return n
	}
	in, err := eligibility.ParseFreeTextLoose(text)
	if err != nil {
		// One clause it cannot read ("i have 5k on insta and 20k on
		// tiktok") does not hide the others.
		var all eligibility.Input
		for _, clause := range clauseEnd.Split(text, -1) {
			c, err := eligibility.ParseFreeTextLoose(clause)
			if err != nil || strings.TrimSpace(clause) == "" {
				continue
			}
			if c.Platform != "" && all.Platform != "" && c.Platform != all.Platform {
				// "10k on instagram, 2k on tiktok": no one account.
				return eligibility.Input{}, false
			}
			if all.Platform == "" {
				all.Platform = c.Platform
			}
			if all.Niche == "" {
				all.Niche = c.Niche
			}
			all = mergeInput(all, c)
		}
		in = all
	}
	in.Niche = knownNiche(in.Niche)
	if in.Platform == "facebook" && in.Followers == nil && in.Likes != nil && strings.Contains(lower, "page") {
		// "fb page 10k likes": the page's likes are its followers.
		in.Followers, in.Likes = in.Likes, nil
	}
	return in, hasCheckData(in)
}

// rejectedWords say an application was turned down.
var rejectedWords = wordSet("rejected", "reject", "rejection", "rejecting", "denied", "declined", "refused", "disapproved")

// rejectionTopic is the FAQ entry on why applications are turned down.
const rejectionTopic = "rejection-reasons"

// rejectionStory answers a message that tells of a rejection and that the
// FAQ cannot place ("just got rejected 😭 wtf amazon", "i got rejected
// again ugh"): with sympathy and why applications are turned down, not
// "I'm not sure". ok is false for any other message.
func (b *Bot) rejectionStory(ctx context.Context, t *turn, text string, msg *reading) (Reply, bool) {
	if len(msg.all) == 0 || len(msg.all) > 24 || !slices.ContainsFunc(msg.all, func(w string) bool { return rejectedWords[w] }) {
		return Reply{}, false
	}
	if last := t.conv.LastTopic; last != "" && !rejectionTopics[last] || t.conv.LastCommand != "" && t.conv.LastCommand != "check" {
		return Reply{}, false // "my campaign request got declined" after Creator Connections
	}
	kb := b.knowledgeFor(ctx, t.call.User.TenantRef())
	e, ok := kb.Entry(rejectionTopic)
	if m := kb.Index.Search(text); !ok || m.Answered || m.OffTopic {
		return Reply{}, false // "my card got declined": not the program's
	}
	ev := t.call.Event
	ev.Topic, ev.Confidence, ev.Answered = e.ID, 1, true
	r := b.entryReply(kb, e)
	r.Text = "Sorry, that's a rough one, and you're far from the only one: many creators are accepted on a later try. " +
		"Amazon rarely says why, so here's what it usually comes down to. Send your platform and numbers and I'll check where yours stand.\n\n" + r.Text
	return r, true
}

// noCheckWhatIf is a what-if about a check's numbers: "what if i post
// daily", "what if i had 10k followers", "what if i posted 5 times a
// week" (not "what if i post amazon links without disclosure").
var noCheckWhatIf = mustPattern(`^(?:so |ok |and )?(?:what if|if) i (?:post(?:ed)?|upload(?:ed)?) (?:daily|every day|more|twice|\d+ ?(?:x|times))\b|^(?:so |ok |and )?what if i (?:had|got|get|hit|reach(?:ed)?) \d`)

// hasCheck reports whether the user has a saved check.
func (b *Bot) hasCheck(ctx context.Context, t *turn) bool {
	_, ok, err := b.latestCheck(ctx, t.call.User)
	return err != nil || ok // a store error: say nothing false
}

// introduced answers a creator introducing their account with its
// platform and audience but not how its posts do: it says what it heard
// and offers the check, kept for the numbers sent next. ok is false when
// the text is not such an introduction (a whole check runs as one).
func (b *Bot) introduced(t *turn, text string, needAudience bool) (Reply, bool) {
	in, ok := b.accountNumbers(text)
	if !ok || in.Platform == "" || hasEngagement(in) || needAudience && in.Followers == nil {
		return Reply{}, false
	}
	if in.Niche == "" {
		// "i do tiktok about cooking", "videos about skincare": the
		// niche said in passing, when a word right after names one.
		if m := aboutNiche.FindStringSubmatch(strings.ToLower(text)); m != nil {
			for _, w := range strings.Fields(m[1]) {
				if len(eligibility.MatchNiche(w, b.cfg.Knowledge.Rules.Niches)) > 0 {
					in.Niche = w
					break
				}
			}
		}
	}
	p, _ := eligibility.LookupPlatform(in.Platform)
	ev := t.call.Event
	ev.Kind, ev.Command = EventChat, "chat"
	desc := p.Name + " account"
	if in.Niche != "" {
		desc = p.Name + " " + in.Niche + " account"
	}
	if in.Followers == nil {
		t.checkSeed = checkText(in)
		ex := "12k " + p.Audience + " 300 likes 15 comments"
		if p.ViewsBasis {
			ex += " 5k views"
		}
		return Reply{Text: fmt.Sprintf("Nice to meet you: %s %s. For a read on how ready it looks for the program, send your %s and your average likes, comments and views per %s, for example `%s`: in one message or a few.",
			article(desc), desc, p.Audience, p.Post, ex)}, true
	}
	r := Reply{Text: fmt.Sprintf("Nice to meet you: %s %s with %s %s. ", article(desc), desc, numfmt.Thousands(int64(math.Round(*in.Followers))), p.Audience)}
	return b.offerCheckOf(t, in, r), true
}

// aboutNiche is what a sentence says its content is about: "tiktok
// about cooking", "videos about skincare".
var aboutNiche = mustPattern(`\b(?:tiktok|tiktoks|videos?|content|posts?|reels?|channel|account|page|blog) about ([a-z]+(?: [a-z]+)?)`)

// introLead are words that make a statement naming a platform an
// introduction: "hey im jess, i do fitness content on tiktok", "mom
// blogger on facebook here".
var introLead = mustPattern(`^(?:hi|hii+|hey|heyy+|hello|helo|good (?:day|morning|evening)|hola|namaste)\b|\b(?:i do|i make|i create|i film|i am a|im a|i run a|i have a|ive got a|blogger|vlogger|youtuber|tiktoker|streamer)\b|\bhere$`)

// introNot are words of a statement about a problem or a wish, not an
// introduction: "i want to join with my tiktok", "i post on instagram but
// my storefront link doesnt work", "i lost 2k followers on instagram".
var introNot = wordSet("want", "join", "apply", "applied", "link", "links", "storefront", "doesnt", "dont", "didnt", "cant", "not",
	"lost", "losing", "banned", "help", "tell", "connections", "pending", "but", "problem", "issue", "why", "how")

// introAsked answers a creator introducing their account without numbers
// ("hey im jess, i do fitness content on tiktok"); ok is false for any
// other message. A question, a rejection or a second platform is no
// introduction.
func (b *Bot) introAsked(t *turn, text string, msg *reading) (Reply, bool) {
	if len(msg.all) > 25 || looksLikeQuestion(text) || mentionsRejection(msg) || !introLead.MatchString(msg.norm) || strings.Contains(msg.norm, "under review") ||
		slices.ContainsFunc(msg.all, func(w string) bool { return whWords[w] || introNot[w] }) {
		return Reply{}, false
	}
	platforms := 0
	for _, w := range msg.all {
		if _, ok := eligibility.LookupPlatform(w); ok {
			platforms++
		}
	}
	if platforms != 1 {
		return Reply{}, false
	}
	return b.introduced(t, text, false)
}

// thirdParty are words of a message about someone else's account.
var thirdParty = wordSet("friend", "friends", "she", "her", "he", "his", "client", "clients", "sister", "brother", "cousin",
	"wife", "husband", "girlfriend", "boyfriend", "someone", "somebody", "daughter", "son")

// rejectionTopics are the FAQ entries a rejection told after them still
// belongs to.
var rejectionTopics = map[string]bool{rejectionTopic: true, "rejection-feedback": true, "reapply-wait": true, "reapply-tips": true,
	"rejected-vs-banned": true, "evaluation-criteria": true, "staying-motivated": true}
