package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/influbot/influbot/bot/disclosure"
	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/bot/numfmt"
)

// checkCommands returns the eligibility check, the commission estimate and
// the disclosure lint.
func (b *Bot) checkCommands() []*Command {
	return []*Command{b.checkCommand(), b.commissionCommand(), b.lintCommand()}
}

const checkExample = "check instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor"

// StandaloneCommands returns the records of the commands that need no
// store or FAQ index (check, commission, lint), without Run, for the
// command line to derive its one-shot subcommands from. Binding their
// arguments goes through BindCheck and BindCommission.
func StandaloneCommands() []*Command {
	return []*Command{checkRecord(), commissionRecord(), lintRecord()}
}

func checkRecord() *Command {
	var platformChoices []string
	for _, p := range eligibility.Platforms() {
		platformChoices = append(platformChoices, p.ID)
	}
	// The options are eligibility.Input's fields (eligibility.Fields), in
	// that order; checkArgs.Set hands each to Input.Set.
	return &Command{
		Name:    "check",
		Private: true,
		Aliases: []string{"eligibility"},
		Summary: "Check how ready you are to (re)apply: a verdict, your engagement rate, what's holding you back and what to do next.",
		Usage:   "check <platform> <followers> [likes] [comments] [shares] [views] [posts a week] [niche ...]",
		Examples: []string{
			checkExample,
			"check ig 4200 followers, avg 150 likes",
			"check youtube 12k subs 800 views 40 likes weekly niche tech",
			"check tiktok 8k followers 3k views 250 likes 20 comments 10 shares daily",
		},
		Options: []Option{
			{Name: "platform", Description: "instagram, youtube, tiktok, facebook or x (ig, insta, yt, fb, twitter work too)", Required: true, Choices: platformChoices},
			{Name: "followers", Description: "Followers (subscribers on YouTube): 4200, 4.2k, 12,300, 1.5M", Required: true},
			{Name: "likes", Description: "Average likes per post, e.g. 150"},
			{Name: "comments", Description: "Average comments per post, e.g. 12"},
			{Name: "shares", Description: "Average shares per post (not counted on YouTube)"},
			{Name: "views", Description: "Average views per post (the engagement basis on TikTok and YouTube)"},
			{Name: "posts_per_week", Description: "How often you post: 3, 3/week, twice a week, daily, 2 a month"},
			{Name: "niche", Description: "Your niche in a few words, e.g. home decor"},
		},
	}
}

func (b *Bot) checkCommand() *Command {
	c := checkRecord()
	c.Run = b.runCheck
	return c
}

// checkArgs binds a check's arguments to eligibility.Input.
type checkArgs struct{ in eligibility.Input }

func (a *checkArgs) ParseText(text string, partial bool) error {
	parse := eligibility.ParseFreeText
	if partial {
		// The options may give what the text leaves out (--platform
		// instagram "5k followers 100 likes").
		parse = eligibility.ParseFreeTextPart
	}
	in, err := parse(text)
	a.in = in
	return err
}

func (a *checkArgs) Set(name, value string) error { return a.in.Set(name, value) }

// BindCheck reads a check's input from free text, named options (by the
// check command's option names), or both, as the check command does.
func BindCheck(text string, opts map[string]string) (eligibility.Input, error) {
	var a checkArgs
	err := checkRecord().Bind(&a, text, opts)
	return a.in, err
}

func (b *Bot) runCheck(ctx context.Context, c *Call) (Reply, error) {
	if c.isFormOpen() {
		return checkFormReply(c, DecodeFormValues(c.Action.Value)), nil
	}
	if strings.TrimSpace(c.Args) == "" && !c.HasOptions() {
		return checkFormReply(c, nil), nil
	}
	var args checkArgs
	if err := c.Bind(&args); err != nil {
		if c.FormID != "" {
			return b.checkFormInvalid(ctx, c, err), nil
		}
		var ie *eligibility.InputError
		if errors.As(err, &ie) && !c.HasOptions() && !ie.SawPlatform && (!ie.SawNumber || looksLikeQuestion(c.Args)) {
			// "check if I'm eligible?": a question for the FAQ.
			return Reply{}, ErrNotCommand
		}
		return Reply{}, checkInputError(err)
	}
	res, err := eligibility.Check(args.in, b.cfg.Knowledge.Rules)
	if err != nil {
		if c.FormID != "" {
			return b.checkFormInvalid(ctx, c, err), nil
		}
		return Reply{}, checkInputError(err)
	}
	reply := CheckReply(res)
	c.Event.OneOffReply = true
	if len(res.NextSteps) > 0 && res.Verdict != eligibility.Ready {
		reply.Text += "\n\nType `plan` to turn these steps into weekly tasks with reminders."
	}
	id, err := b.saveCheck(ctx, c, res)
	if err != nil {
		b.log.ErrorContext(ctx, "save check", "user", c.User.String(), "err", err)
		reply.Text += "\n\n_I couldn't save this check to your history just now; the result above still stands._"
		return reply, nil
	}
	// The check's answer must not fail because the milestone could not
	// be queued; the log gets the detail.
	if err := b.afterCheck(context.WithoutCancel(ctx), c.User, id, res); err != nil {
		b.log.WarnContext(ctx, "queue ready-to-reapply message", "user", c.User.String(), "err", err)
	}
	return reply, nil
}

const checkHowTo = "Tell me your numbers and I'll tell you how ready you are to apply (or reapply), why, and what to do next:\n\n" +
	"`" + checkExample + "`\n\n" +
	"- **platform**: instagram, youtube, tiktok, facebook or x (ig, yt, fb, twitter work too)\n" +
	"- **followers** (subscribers on YouTube), then your **average likes, comments, shares and views** per post: `4.2k`, `1.5M`, `12,300` all work\n" +
	"- **how often you post**: `3 posts a week`, `3/week`, `daily`, `twice a week`\n" +
	"- **niche**: `niche home decor`"

// checkInputError turns a parser or check error into a reply-safe error.
func checkInputError(err error) error {
	var ie *eligibility.InputError
	if errors.As(err, &ie) {
		// Its echoes of the user's words are escaped with the rest of
		// the message (errorReply).
		if ie.Example {
			return WrapError(EINVALID, err, "I couldn't run that check: %s.", ie.Msg)
		}
		return WrapError(EINVALID, err, "I couldn't run that check: %s. Try: `%s`", ie.Msg, checkExample)
	}
	return WrapError(EINTERNAL, err, "internal error")
}

// saveCheck keeps a check in the user's history and returns its id; 0
// when no history is kept.
func (b *Bot) saveCheck(ctx context.Context, c *Call, res eligibility.Result) (int64, error) {
	if b.cfg.Checks == nil || c.whatIf {
		return 0, nil
	}
	js, err := res.JSON()
	if err != nil {
		return 0, err
	}
	in := res.Input
	rec := CheckRecord{
		User:            c.User,
		Time:            c.Time.UTC(),
		Platform:        res.Platform,
		Followers:       res.Followers,
		Likes:           in.Likes,
		Comments:        in.Comments,
		Shares:          in.Shares,
		Views:           in.Views,
		PostsPerWeek:    in.PostsPerWeek,
		Niche:           in.Niche,
		EngagementBasis: res.EngagementBasis,
		ViewRate:        res.ViewRate,
		Verdict:         res.Verdict,
		Score:           res.Score,
		Result:          js,
	}
	if res.EngagementRate != nil {
		rec.EngagementRate = *res.EngagementRate
	}
	// afterCheck needs the check's id for a passing check of a creator
	// with a plan (see milestone.go).
	rec.WantID = b.cfg.Plans != nil && passesAll(res)
	id, err := b.cfg.Checks.SaveCheck(ctx, rec)
	if err != nil {
		return 0, fmt.Errorf("save check for %s: %w", c.User, err)
	}
	return id, nil
}

var statusMarks = map[string]string{
	eligibility.Pass:    "✅",
	eligibility.Warn:    "⚠️",
	eligibility.Fail:    "❌",
	eligibility.Unknown: "❔",
}

var verdictTitles = map[string]string{
	eligibility.Ready:      "Ready to apply",
	eligibility.Borderline: "Borderline: close, not there yet",
	eligibility.NotYet:     "Not yet: fix these first",
}

// CheckReply renders a check for a creator to read at a glance: the verdict
// and score, the engagement rate with its basis, each criterion with a
// mark and its reason, flags and next steps, and a request for the niche
// when it is missing.
func CheckReply(res eligibility.Result) Reply {
	var sb strings.Builder
	fmt.Fprintf(&sb, "**%s**, %s %s · score **%d/100**\n", res.PlatformName, numfmt.Thousands(res.Followers), audienceOf(res.Platform), res.Score)
	if res.EngagementRate != nil {
		basis := res.EngagementBasis
		if basis == eligibility.BasisFollowers {
			basis = audienceOf(res.Platform)
		}
		bbasis := res.Benchmark.Basis
		if bbasis == eligibility.BasisFollowers {
			bbasis = audienceOf(res.Platform)
		}
		fmt.Fprintf(&sb, "Engagement rate: **%.2f%%** of %s (%s: about %s%% of %s)\n", *res.EngagementRate, basis, res.BenchmarkName(),
			trimFloat(res.Benchmark.Rate), bbasis)
	}
	if res.ViewRate != nil {
		if *res.ViewRate > 100 {
			// Views beyond the subscribers: "141% of subscribers watch"
			// reads as nonsense; the ratio says the same plainly.
			fmt.Fprintf(&sb, "View rate: a typical video gets **%s×** your subscriber count in views (%.0f%%)\n", trimFloat(*res.ViewRate/100), *res.ViewRate)
		} else {
			fmt.Fprintf(&sb, "View rate: **%.2f%%** of subscribers watch a typical video\n", *res.ViewRate)
		}
	}
	sb.WriteString("\n")
	for _, cr := range res.Criteria {
		fmt.Fprintf(&sb, "%s **%s**: %s\n", statusMarks[cr.Status], capitalize(cr.Name), QuoteEchoes(cr.Detail))
	}
	if len(res.Flags) > 0 {
		sb.WriteString("\n**Worth a second look**\n")
		for _, f := range res.Flags {
			fmt.Fprintf(&sb, "- %s\n", QuoteEchoes(f))
		}
	}
	if len(res.NextSteps) > 0 {
		sb.WriteString("\n**Next steps**\n")
		for i, s := range res.NextSteps {
			fmt.Fprintf(&sb, "%d. %s\n", i+1, QuoteEchoes(s))
		}
	}
	if res.NeedsNiche() && !strings.Contains(strings.Join(res.NextSteps, " "), "niche") {
		sb.WriteString("\n**What's your niche?** Add it to your next check (for example `niche home decor`) and I'll match it to Amazon categories.\n")
	}
	sb.WriteString("\n_Amazon publishes no follower or engagement minimum: these thresholds are community guidance, and the engagement benchmarks are influbot's defaults, set near published figures._")
	tone := ToneWarning
	switch res.Verdict {
	case eligibility.Ready:
		tone = ToneSuccess
	case eligibility.NotYet:
		tone = ToneError
	}
	return Reply{Title: verdictTitles[res.Verdict], Text: sb.String(), Tone: tone, Ephemeral: true}
}

func commissionRecord() *Command {
	return &Command{
		Name:     "commission",
		Private:  true,
		Summary:  "Estimate what a sale earns at Amazon's standard commission rates (US).",
		Usage:    "commission <category> <amount in USD>",
		Examples: []string{"commission electronics 250", "commission home & garden $80", "commission kitchen"},
		Options: []Option{
			{Name: "category", Description: "Product category, e.g. kitchen, beauty, electronics, pc", Required: true},
			{Name: "amount", Description: "Sale amount in US dollars, e.g. 250 or 49.99", Required: true},
		},
	}
}

func (b *Bot) commissionCommand() *Command {
	c := commissionRecord()
	c.Run = b.runCommission
	return c
}

// commissionArgs binds a commission estimate's arguments.
type commissionArgs struct {
	category string
	amount   *float64
}

func (a *commissionArgs) ParseText(text string, _ bool) error {
	var err error
	a.category, a.amount, err = eligibility.ParseCommissionText(text)
	return err
}

func (a *commissionArgs) Set(name, value string) error {
	switch name {
	case "category":
		a.category = value
	case "amount":
		v, err := eligibility.ParseAmount(value)
		if err != nil {
			return err
		}
		a.amount = &v
	}
	return nil
}

// BindCommission reads a commission estimate's category and amount (nil
// when not given) from free text, named options, or both, as the
// commission command does.
func BindCommission(text string, opts map[string]string) (category string, amount *float64, err error) {
	var a commissionArgs
	err = commissionRecord().Bind(&a, text, opts)
	return strings.TrimSpace(a.category), a.amount, err
}

func (b *Bot) runCommission(ctx context.Context, c *Call) (Reply, error) {
	rules := b.cfg.Knowledge.Rules
	text := strings.TrimSpace(c.Args)
	if text == "" && !c.HasOptions() {
		return Reply{}, ErrNotCommand // "commission" alone: the FAQ has the table
	}
	var args commissionArgs
	if err := c.Bind(&args); err != nil {
		return Reply{}, commissionInputError(err)
	}
	category, amount := strings.TrimSpace(args.category), args.amount
	if !c.HasOptions() {
		_, known := eligibility.MatchCategory(category, rules.Commission)
		if !known && (amount == nil || looksLikeQuestion(text)) {
			// "commission rates?", "commission how much do I get on a $100 sale"
			return Reply{}, ErrNotCommand
		}
	}
	if category == "" {
		return Reply{}, Errorf(EINVALID, "Which category? Try `commission kitchen 80` or `commission electronics 250`.")
	}
	if amount == nil {
		rate, known := eligibility.MatchCategory(category, rules.Commission)
		if !known {
			return Reply{}, Errorf(EINVALID, "Give an amount in US dollars too, like `commission %s 80`.", codeSafe(category, 30))
		}
		return Reply{
			Title: fmt.Sprintf("%s: %s%%", rate.Category, trimFloat(rate.Rate)),
			Text: fmt.Sprintf("**%s** earns **%s%%** at Amazon's standard US rates. Add an amount for an estimate, like `commission %s 80`.%s\n\n_Source: %s._",
				rate.Category, trimFloat(rate.Rate), codeSafe(strings.ToLower(category), 40), noteLine(rate.Note), eligibility.RateSource(rate)),
			Ephemeral: true,
		}, nil
	}
	est, err := eligibility.EstimateCommission(category, *amount, rules)
	if err != nil {
		return Reply{}, commissionInputError(err)
	}
	return CommissionReply(est), nil
}

func commissionInputError(err error) error {
	var ie *eligibility.InputError
	if errors.As(err, &ie) {
		return WrapError(EINVALID, err, "I couldn't estimate that: %s. Try: `commission electronics 250`", ie.Msg)
	}
	return WrapError(EINTERNAL, err, "internal error")
}

// CommissionReply renders a commission estimate, saying which line of the
// table the category matched.
func CommissionReply(est eligibility.Commission) Reply {
	var sb strings.Builder
	fmt.Fprintf(&sb, "A **$%s** sale in **%s** earns about **$%s** (%s%%).", money(est.Amount), est.Category, money(est.Commission), trimFloat(est.RatePercent))
	if !est.Matched {
		fmt.Fprintf(&sb, "\n\nI don't know the category “%s”, so I used Amazon's rate for all other categories.", QuoteClip(est.Query, 40))
	} else if !strings.EqualFold(strings.TrimSpace(est.Query), est.Category) {
		fmt.Fprintf(&sb, "\n\nI read “%s” as Amazon's **%s** line.", QuoteClip(est.Query, 40), est.Category)
	}
	sb.WriteString(noteLine(est.Rate.Note))
	fmt.Fprintf(&sb, "\n\n_Standard US rates; Amazon can change them. Source: %s._", eligibility.RateSource(est.Rate))
	return Reply{Title: fmt.Sprintf("Commission estimate: $%s", money(est.Commission)), Text: sb.String(), Ephemeral: true}
}

func noteLine(note string) string {
	if note == "" {
		return ""
	}
	return "\n\n" + note
}

func lintRecord() *Command {
	return &Command{
		Name:     "lint",
		Private:  true,
		Summary:  "Check a post caption for a clear affiliate disclosure (FTC style).",
		Usage:    "lint <caption>",
		Examples: []string{"lint Obsessed with this lamp! amzn.to/3xYz", "lint #ad My go-to blender: amzn.to/3xYz"},
		Options:  []Option{{Name: "caption", Description: "The caption of your post", Required: true, Rest: true}},
	}
}

func (b *Bot) lintCommand() *Command {
	c := lintRecord()
	c.Run = func(ctx context.Context, c *Call) (Reply, error) {
		caption := c.Value("caption")
		if strings.TrimSpace(caption) == "" {
			return Reply{Title: "Disclosure lint", Text: "Paste your caption after `lint` and I'll check its affiliate disclosure, for example:\n`lint Obsessed with this lamp! amzn.to/3xYz`", Ephemeral: true}, nil
		}
		if n := len([]rune(caption)); n > MaxInput {
			return Reply{}, Errorf(EINVALID, "That caption is too long for me (%d characters). Please keep it under %d characters.", n, MaxInput)
		}
		rep, err := disclosure.Lint(caption)
		if err != nil {
			var de *disclosure.Error
			if errors.As(err, &de) {
				return Reply{}, WrapError(EINVALID, err, "I couldn't check that: %s.", de.Msg)
			}
			return Reply{}, err
		}
		return LintReply(rep), nil
	}
	return c
}

var levelMarks = map[string]string{disclosure.Fail: "❌", disclosure.Warn: "⚠️", disclosure.Info: "ℹ️"}

// LintReply renders a disclosure lint: a title with the outcome and each
// finding with a mark.
func LintReply(rep disclosure.Report) Reply {
	title, tone := "Disclosure looks good", ToneSuccess
	warned := false
	for _, f := range rep.Findings {
		if f.Level == disclosure.Warn {
			warned = true
		}
	}
	switch {
	case !rep.OK:
		title, tone = "Missing disclosure", ToneError
	case warned:
		title, tone = "Disclosure could be clearer", ToneWarning
	case !rep.HasLink && !rep.HasDisclosure:
		title = "Nothing to disclose"
	}
	var sb strings.Builder
	for _, f := range rep.Findings {
		// Findings quote words of the caption, which are the user's:
		// they are shown as typed, never as markup.
		fmt.Fprintf(&sb, "%s %s\n", levelMarks[f.Level], QuoteEchoes(f.Message))
	}
	return Reply{Title: title, Text: strings.TrimSpace(sb.String()), Tone: tone, Ephemeral: true}
}

// looksLikeQuestion reports whether text reads as a question rather than
// data: it ends with "?" or starts with a question word.
func looksLikeQuestion(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	if strings.HasSuffix(t, "?") {
		return true
	}
	first, _ := splitFirstWord(t)
	switch strings.Trim(first, ",.!") {
	case "if", "whether", "what", "what's", "whats", "how", "why", "when", "where", "who", "which", "can", "could",
		"do", "does", "did", "is", "are", "am", "will", "would", "should", "rates", "rate", "out":
		return true
	}
	return false
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// money formats dollars with cents and thousands separators: 1234.5 ->
// "1,234.50".
func money(v float64) string {
	whole := int64(v)
	cents := int64((v-float64(whole))*100 + 0.5)
	if cents >= 100 {
		whole, cents = whole+1, cents-100
	}
	return fmt.Sprintf("%s.%02d", numfmt.Thousands(whole), cents)
}

// codeSafe prepares user text for a code span: one line, at most n
// characters, no backtick that could end the span early (a code span shows
// everything else literally).
func codeSafe(s string, n int) string {
	return strings.ReplaceAll(clipRunes(oneLine(s), n), "`", "'")
}
