package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/influbot/influbot/adapters/console"
	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/disclosure"
	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/knowledge"
)

// checkSubcommands returns the eligibility check, the commission estimate
// and the disclosure lint, named and summarized by the core's command
// records (bot.StandaloneCommands), whose options are their flags.
func checkSubcommands() []subcommand {
	usage := map[string]string{"check": checkUsage, "commission": commissionUsage, "lint": lintUsage}
	run := map[string]func(ctx context.Context, e *env, args []string) error{"check": runCheck, "commission": runCommission, "lint": runLint}
	var scs []subcommand
	for _, c := range bot.StandaloneCommands() {
		scs = append(scs, subcommand{name: c.Name, summary: strings.TrimSuffix(c.Summary, "."), usage: usage[c.Name], run: run[c.Name]})
	}
	return scs
}

const (
	checkUsage      = `[--json] --platform P --followers N [--likes N] [--comments N] [--shares N] [--views N] [--posts-per-week N] [--niche TEXT]  |  [--json] "free text"`
	commissionUsage = "[--json] --category NAME --amount USD  |  [--json] CATEGORY AMOUNT"
	lintUsage       = "[--json] [--strict] CAPTION  (or - to read the caption from stdin)"
)

// standalone returns the core's record of a one-shot command.
func standalone(name string) *bot.Command {
	for _, c := range bot.StandaloneCommands() {
		if c.Name == name {
			return c
		}
	}
	panic("influbot: no standalone command " + name)
}

// optionFlags defines a string flag for each of a command's options that
// free text does not fill (posts_per_week as --posts-per-week), with the
// option's description as its help.
func optionFlags(fs *flag.FlagSet, c *bot.Command) map[string]*string {
	values := map[string]*string{}
	for _, o := range c.Options {
		if !o.Rest {
			values[o.Name] = fs.String(flagName(o.Name), "", o.Description)
		}
	}
	return values
}

func flagName(option string) string { return strings.ReplaceAll(option, "_", "-") }

// givenOptions returns the options whose flags were set, by option name. A
// flag set to nothing is a usage error, as the flag package says of a
// missing value.
func givenOptions(fs *flag.FlagSet, values map[string]*string) (map[string]string, error) {
	given := map[string]string{}
	var err error
	fs.Visit(func(f *flag.Flag) {
		for name, v := range values {
			if flagName(name) != f.Name {
				continue
			}
			if strings.TrimSpace(*v) == "" && err == nil {
				err = usagef("%s: --%s needs a value", fs.Name(), f.Name)
			}
			given[name] = *v
		}
	})
	return given, err
}

func knowledgeFlag(fs *flag.FlagSet, e *env) *string {
	return fs.String("knowledge", e.getenv("INFLUBOT_KNOWLEDGE"), "directory of knowledge files that override or add to the built-in ones (env INFLUBOT_KNOWLEDGE)")
}

func loadRules(dir string) (*knowledge.Rules, error) {
	src, err := knowledge.WithDir(dir)
	if err != nil {
		return nil, err
	}
	rules, err := knowledge.LoadRules(src, "rules")
	if err != nil {
		return nil, fmt.Errorf("load knowledge: %w", err)
	}
	return rules, nil
}

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "check", checkUsage, `
Grade a creator's numbers for the Amazon Influencer Program: followers,
engagement rate (by followers, or by views on TikTok and YouTube when views
are given), posting cadence and niche, each pass, warn, fail or unknown; a
verdict (ready, borderline or not_yet), a 0-100 score, flags for numbers
that look wrong, and concrete next steps. Give the numbers as flags or as
one line of free text:
  influbot check --platform instagram --followers 4.2k --likes 150 --comments 12 --posts-per-week 3 --niche "home decor"
  influbot check "instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor"
Flags override what the text says and may give what it leaves out
(--platform instagram "5k followers 150 likes"). Bad input exits with status 2.

With --json it prints exactly one object:
  {"platform", "followers", "engagement_rate", "engagement_basis", "view_rate",
   "verdict", "score", "criteria": [{"name", "status", "detail"}], "flags", "next_steps"}`)
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	dir := knowledgeFlag(fs, e)
	values := optionFlags(fs, standalone("check"))
	if err := negativeArg("check", fs, args); err != nil {
		return err
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	given, err := givenOptions(fs, values)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(strings.Join(pos, " "))
	if text == "" && len(given) == 0 {
		return usagef(`check needs a platform and a follower count, e.g. influbot check --platform instagram --followers 4200 --likes 150, or influbot check "instagram 4.2k followers 150 likes"`)
	}
	in, err := bot.BindCheck(text, given)
	if err != nil {
		return inputUsage("check", err)
	}
	rules, err := loadRules(*dir)
	if err != nil {
		return err
	}
	res, err := eligibility.Check(in, rules)
	if err != nil {
		return inputUsage("check", err)
	}
	if *asJSON {
		js, err := res.JSON()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", js)
		return err
	}
	console.Render(e.stdout, bot.CheckReply(res), e.terminal(e.stdout))
	return nil
}

// inputUsage turns a creator-input error into a usage error (exit 2); any
// other error is returned as is.
func inputUsage(cmd string, err error) error {
	var ie *eligibility.InputError
	if errors.As(err, &ie) {
		return usagef("%s: %s", cmd, ie.Msg)
	}
	var de *disclosure.Error
	if errors.As(err, &de) {
		return usagef("%s: %s", cmd, de.Msg)
	}
	return err
}

func runCommission(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "commission", commissionUsage, `
Estimate what a sale earns at Amazon Associates' standard US rates (the
rates Amazon influencers earn too). Category names are matched forgivingly
("electronics", "home & garden", "pc"); an unknown category falls under
"all other categories" and the text output says so.
  influbot commission --category kitchen --amount 80
  influbot commission electronics 250

With --json it prints exactly one object:
  {"category": "...", "rate_percent": N, "amount": N, "commission": N,
   "matched": false when the category was not found and the default line applied}`)
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	dir := knowledgeFlag(fs, e)
	values := optionFlags(fs, standalone("commission"))
	if err := negativeArg("commission", fs, args); err != nil {
		return err
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	given, err := givenOptions(fs, values)
	if err != nil {
		return err
	}
	cat, amount, err := bot.BindCommission(strings.Join(pos, " "), given)
	if err != nil {
		return inputUsage("commission", err)
	}
	switch {
	case cat == "":
		return usagef("commission needs a category, e.g. influbot commission --category kitchen --amount 80")
	case amount == nil:
		return usagef("commission needs an amount in US dollars, e.g. influbot commission --category %s --amount 80", shellWord(cat))
	}
	rules, err := loadRules(*dir)
	if err != nil {
		return err
	}
	est, err := eligibility.EstimateCommission(cat, *amount, rules)
	if err != nil {
		return inputUsage("commission", err)
	}
	if *asJSON {
		return printJSONLine(e.stdout, est)
	}
	console.Render(e.stdout, bot.CommissionReply(est), e.terminal(e.stdout))
	return nil
}

func runLint(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "lint", lintUsage, `
Check a post caption for a clear FTC-style affiliate disclosure. An Amazon
link (amazon.*, amzn.to, /shop/) without a clear disclosure ("#ad", "Ad:",
"(paid link)", "#commissionsearned", "#sponsored", "I earn a commission",
Amazon's Associates sentence) fails; only vague tags (#sp, #spon, #aff,
#affiliate, #partner, "thanks <brand>"), a disclosure hidden behind "more"
(after the first ~125 characters) or buried in trailing hashtags, and
"support me" wording warn. Every report reminds you that Amazon's Associates
sentence belongs on your profile.
  influbot lint "Obsessed with this lamp! amzn.to/3xYz"
  pbpaste | influbot lint -

Exit status is 0 whether or not the caption passes (read "ok"), unless
--strict is given: then a failing caption exits 1.

With --json it prints exactly one object:
  {"ok": bool, "findings": [{"rule": "...", "level": "fail|warn|info", "message": "..."}]}`)
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	strict := fs.Bool("strict", false, "exit with status 1 when the caption fails")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	caption := strings.Join(pos, " ")
	if len(pos) == 1 && pos[0] == "-" {
		text, n, err := readCaption(e.stdin)
		if err != nil {
			return fmt.Errorf("read caption from stdin: %w", err)
		}
		if n > disclosure.MaxCaption {
			return usagef("lint: the caption is %d characters long; I check up to %d", n, disclosure.MaxCaption)
		}
		caption = text
	}
	if strings.TrimSpace(caption) == "" {
		return usagef(`lint needs a caption, e.g. influbot lint "Obsessed with this lamp! #ad amzn.to/3xYz" (or - to read it from stdin)`)
	}
	rep, err := disclosure.Lint(caption)
	if err != nil {
		return inputUsage("lint", err)
	}
	if *asJSON {
		if err := printJSONLine(e.stdout, rep); err != nil {
			return err
		}
	} else {
		console.Render(e.stdout, bot.LintReply(rep), e.terminal(e.stdout))
	}
	if *strict && !rep.OK {
		return errors.New("lint: the caption needs a clear disclosure")
	}
	return nil
}

// readCaption reads a caption from r, keeping at most what Lint reads but
// counting every character, so a pasted book is refused with its real
// length. The input's final line ending (echo's, a file's) is not part of
// the caption.
func readCaption(r io.Reader) (string, int, error) {
	const keep = 4 * disclosure.MaxCaption // bytes: MaxCaption characters of up to 4 bytes
	br := bufio.NewReaderSize(r, 64*1024)
	var sb strings.Builder
	n := 0
	var last, beforeLast rune
	for {
		c, size, err := br.ReadRune()
		if err == io.EOF {
			text := sb.String()
			if last == '\n' {
				n--
				text = strings.TrimSuffix(text, "\n")
				if beforeLast == '\r' {
					n--
					text = strings.TrimSuffix(text, "\r")
				}
			}
			return text, n, nil
		}
		last, beforeLast = c, last
		if err != nil {
			return "", 0, err
		}
		n++
		if sb.Len()+size <= keep {
			sb.WriteRune(c)
		}
	}
}

var negativeNumber = regexp.MustCompile(`^[-−][$]?\d[\d.,]*[kmb]?$`)

// negativeArg reports a negative number written as its own argument
// ("influbot check instagram -5 followers"), which the flag parser would
// otherwise take for an unknown flag.
func negativeArg(cmd string, fs *flag.FlagSet, args []string) error {
	for i, a := range args {
		if a == "--" {
			return nil
		}
		if !negativeNumber.MatchString(strings.ToLower(a)) {
			continue
		}
		if i > 0 && strings.HasPrefix(args[i-1], "-") && !strings.Contains(args[i-1], "=") {
			if f := fs.Lookup(strings.TrimLeft(args[i-1], "-")); f != nil {
				continue // a flag's value: the flag's own check names it
			}
		}
		return usagef("%s: numbers can't be negative (got %s)", cmd, a)
	}
	return nil
}

// shellWord quotes s for a shell example when it has spaces.
func shellWord(s string) string {
	if strings.ContainsAny(s, " \t'\"&") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}
