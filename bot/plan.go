package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/bot/schedule"
	"github.com/influbot/influbot/knowledge"
)

// Plan sizes.
const (
	MinPlanTasks = 3
	MaxPlanTasks = 5
	// MaxActiveTasks caps a plan, so nudges stay a handful a day.
	MaxActiveTasks = 8
	// DefaultRecheckAfter is how long after a plan starts the bot suggests
	// checking the numbers again.
	DefaultRecheckAfter = 28 * 24 * time.Hour
)

// NudgeConfig tunes plans and reminders. The zero value uses the defaults.
type NudgeConfig struct {
	// ConsoleZone is the time zone of console users who name none: they
	// sit at this machine, so its zone is theirs. Users of other platforms
	// who name none get UTC, and a tip to name theirs.
	ConsoleZone *time.Location
	// Quiet is the quiet hours of users who set none; nil means
	// schedule.DefaultQuiet (22:00-08:00).
	Quiet *schedule.Quiet
	// RecheckAfter is when to suggest a new check after a plan starts and
	// then again each time; 0 means DefaultRecheckAfter.
	RecheckAfter time.Duration
}

func (c NudgeConfig) zone(u UserRef) *time.Location {
	if c.ConsoleZone != nil && u.Platform == PlatformConsole {
		return c.ConsoleZone
	}
	return time.UTC
}

func (c NudgeConfig) quiet() schedule.Quiet {
	if c.Quiet != nil {
		return *c.Quiet
	}
	return schedule.DefaultQuiet
}

func (c NudgeConfig) recheckAfter() time.Duration {
	if c.RecheckAfter > 0 {
		return c.RecheckAfter
	}
	return DefaultRecheckAfter
}

// Question is a yes/no question a command asks instead of acting on an
// odd reading ("quiet hours 09:00-05:00 are 20 hours: did you mean
// 09:00-17:00?"). Answering yes runs Yes as if the user had pressed a
// button with that action; no runs No when set, and otherwise changes
// nothing. The reply also carries Yes and No as buttons, so platforms with
// buttons need nothing more; the conversation layer makes a typed "yes"
// or "no" answer the latest pending question.
type Question struct {
	Yes Action
	No  *Action
}

// ask builds a reply that asks a yes/no question.
func ask(title, text, yesLabel string, yes Action, noLabel string, no *Action) Reply {
	r := Reply{Title: title, Text: text, Ephemeral: true, Question: &Question{Yes: yes, No: no}}
	r.Buttons = []Button{{ActionID: yes.ID, Label: yesLabel, Value: yes.Value, Style: ButtonPrimary}}
	if no != nil {
		r.Buttons = append(r.Buttons, Button{ActionID: no.ID, Label: noLabel, Value: no.Value})
	}
	return r
}

// Check statuses, weakest first. A criterion the check could not measure
// ("tell me your niche") comes after the measured gaps.
var statusRank = map[string]int{"fail": 0, "warn": 1, "unknown": 2, "pass": 3}

// summarizeCheck reads a stored check back as the result it was saved from
// (CheckRecord.Result is eligibility.Result's JSON); a result that does not
// parse still leaves the record's own columns to plan from.
func summarizeCheck(c CheckRecord) eligibility.Result {
	var s eligibility.Result
	if len(c.Result) > 0 {
		_ = json.Unmarshal(c.Result, &s)
	}
	if s.Platform == "" {
		s.Platform = c.Platform
	}
	if s.Verdict == "" {
		s.Verdict = c.Verdict
	}
	if s.Score == 0 {
		s.Score = c.Score
	}
	for i := range s.Criteria {
		s.Criteria[i].Status = strings.ToLower(s.Criteria[i].Status)
		if _, ok := statusRank[s.Criteria[i].Status]; !ok {
			s.Criteria[i].Status = eligibility.Unknown
		}
	}
	return s
}

// passesAll reports whether a check passes every criterion it has.
func passesAll(r eligibility.Result) bool {
	if len(r.Criteria) == 0 {
		return r.Verdict == eligibility.Ready
	}
	for _, c := range r.Criteria {
		if c.Status != eligibility.Pass {
			return false
		}
	}
	return true
}

// supporting lists, for each criterion, the criteria whose tasks also help
// it, nearest first.
var supporting = map[string][]string{
	"followers":  {"niche", "content"},
	"engagement": {"content"},
	"cadence":    {"content"},
	"niche":      {"content"},
	"content":    {"engagement"},
	"compliance": {},
}

// proposePlan picks 3-5 catalog tasks for the weakest criteria of a check,
// skipping tasks the user already has: two for the weakest criterion, one
// for each other gap, then tasks that support those gaps, then compliance
// (clean disclosure matters before any application).
func proposePlan(catalog []knowledge.Task, chk eligibility.Result, have map[string]bool) []ProposedTask {
	platform := knowledge.NormalizePlatform(chk.Platform)
	gaps := slices.Clone(chk.Criteria)
	slices.SortStableFunc(gaps, func(a, b eligibility.Criterion) int { return cmp.Compare(statusRank[a.Status], statusRank[b.Status]) })
	weak := gaps[:0:0]
	for _, g := range gaps {
		if g.Status != "pass" {
			weak = append(weak, g)
		}
	}
	allPass := len(weak) == 0
	// A criterion the check passed never gets a task (a passed niche
	// never yields "write your niche"), except when everything passed.
	passed := map[string]bool{}
	for _, g := range gaps {
		if g.Status == "pass" && !allPass {
			passed[g.Name] = true
		}
	}
	if allPass {
		// Keep the habits that got them there.
		weak = []eligibility.Criterion{{Name: "cadence", Status: "pass", Detail: "posting steadily"}, {Name: "engagement", Status: "pass", Detail: "keeping people talking"}}
	}
	picked := []ProposedTask{}
	chosen := map[string]bool{}
	pick := func(criterion, reason string, n int) {
		if passed[criterion] {
			return
		}
		for _, t := range rankTasks(catalog, criterion, platform) {
			if n == 0 || len(picked) == MaxPlanTasks {
				return
			}
			if chosen[t.ID] || have[t.ID] {
				continue
			}
			chosen[t.ID] = true
			picked = append(picked, ProposedTask{TaskID: t.ID, Criterion: criterion, Reason: reason})
			n--
		}
	}
	for i, g := range weak {
		n := 1
		if i == 0 {
			n = 2
		}
		pick(g.Name, gapReason(g), n)
	}
	// Still short: more for the gaps themselves, then tasks for criteria
	// the check does not measure that support them.
	for _, g := range weak {
		if len(picked) >= MinPlanTasks {
			break
		}
		pick(g.Name, gapReason(g), MinPlanTasks-len(picked))
	}
	for _, g := range weak {
		if len(picked) >= MinPlanTasks {
			break
		}
		for _, s := range supporting[g.Name] {
			pick(s, gapReason(g), 1)
			if len(picked) >= MinPlanTasks {
				break
			}
		}
	}
	if len(picked) < MinPlanTasks {
		pick("compliance", "a clean, clearly disclosed account before you apply", MinPlanTasks-len(picked))
	}
	return picked
}

// rankTasks returns the catalog tasks improving criterion that fit the
// platform, those written for few platforms (the most specific advice)
// first, then in catalog order.
func rankTasks(catalog []knowledge.Task, criterion, platform string) []knowledge.Task {
	var out []knowledge.Task
	for _, t := range catalog {
		if t.Improves == criterion && t.Fits(platform) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b knowledge.Task) int {
		return cmp.Compare(min(len(a.Platforms), 3), min(len(b.Platforms), 3))
	})
	return out
}

func gapReason(g eligibility.Criterion) string {
	if g.Detail != "" {
		return fmt.Sprintf("%s: %s", g.Name, strings.TrimSuffix(g.Detail, "."))
	}
	switch g.Status {
	case "fail":
		return g.Name + " is your weakest area"
	case "unknown":
		return g.Name + " could not be measured from your numbers"
	case "warn":
		return g.Name + " is close but not there yet"
	}
	return g.Name
}

// latestCheck returns the user's most recent stored check.
func (b *Bot) latestCheck(ctx context.Context, u UserRef) (CheckRecord, bool, error) {
	if b.cfg.Checks == nil {
		return CheckRecord{}, false, nil
	}
	cs, err := b.cfg.Checks.LatestChecks(ctx, u, 1)
	if err != nil {
		return CheckRecord{}, false, WrapError(EUNAVAILABLE, err, "I can't reach your saved checks right now. Please try again in a minute.")
	}
	if len(cs) == 0 {
		return CheckRecord{}, false, nil
	}
	return cs[0], true, nil
}
