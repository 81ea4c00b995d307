package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/bot/schedule"
	"github.com/influbot/influbot/knowledge"
)

// planCommands returns the engagement-plan commands: plan, tasks, done,
// skip, snooze, remind and stop.
func (b *Bot) planCommands() []*Command {
	return []*Command{
		b.planCommand(), b.tasksCommand(),
		b.taskActionCommand("done", []string{"did"}, "Mark a task done for today and grow its streak.", "done <task>"),
		b.taskActionCommand("skip", nil, "Skip a task this time; it comes back on its next day.", "skip <task>"),
		b.taskActionCommand("snooze", []string{"later"}, "Nudge me about a task again after a while.", "snooze <task> <duration>"),
		b.remindCommand(), b.stopCommand(),
	}
}

const checkFirst = "I need your numbers before I can plan: run a check first, for example `check instagram 4200 followers 120 likes 8 comments 3 posts a week` (`help check` shows how), then type `plan` again."

func (b *Bot) planCommand() *Command {
	return &Command{
		Name:    "plan",
		Private: true,
		Summary: "Suggest 3-5 engagement tasks for the weakest areas of your latest check; accept all or pick.",
		Usage:   "plan | plan accept [all | <numbers>] | plan clear",
		Examples: []string{
			"plan",
			"plan accept",
			"plan accept 1 3",
			"plan clear",
		},
		Options: []Option{{Name: "action", Description: "what to do with the plan", Choices: []string{"show", "accept", "clear"}}, {Name: "pick", Description: "task numbers to accept, e.g. 1 3"}},
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			if b.cfg.Plans == nil {
				return Reply{}, errNoPlans
			}
			verb, rest := splitFirstWord(c.Args)
			if c.Option("action") != "" {
				verb, rest = c.Option("action"), c.Option("pick")
			}
			if c.Action != nil {
				_, verb, _ = strings.Cut(c.Action.ID, ":")
				rest = c.Action.Value
			}
			switch strings.ToLower(verb) {
			case "", "show", "new", "me", "please":
				return b.proposePlan(ctx, c.User)
			case "accept", "pick", "yes", "ok", "take", "start":
				return b.acceptPlan(ctx, c.User, rest)
			case "clear", "reset", "drop", "cancel", "delete":
				if strings.TrimSpace(rest) != "" {
					return Reply{}, ErrNotCommand
				}
				return b.clearPlan(ctx, c.User)
			case "dismiss":
				return Reply{Text: "No problem. Type `plan` whenever you want a plan.", Ephemeral: true}, nil
			}
			// "plan content for a week?" is a question for the FAQ.
			return Reply{}, ErrNotCommand
		},
	}
}

func (b *Bot) proposePlan(ctx context.Context, u UserRef) (Reply, error) {
	chk, ok, err := b.latestCheck(ctx, u)
	if err != nil {
		return Reply{}, err
	}
	if !ok {
		return Reply{Title: "Check first", Text: checkFirst, Ephemeral: true}, nil
	}
	tasks, err := b.cfg.Plans.Tasks(ctx, u)
	if err != nil {
		return Reply{}, storeUnavailable(err)
	}
	have := map[string]bool{}
	active := 0
	for _, t := range tasks {
		have[t.TaskID] = true
		if t.Status == TaskActive {
			active++
		}
	}
	if active >= MaxActiveTasks {
		return Reply{Text: fmt.Sprintf("You already have %d active tasks, which is plenty. Finish or `plan clear` some before adding more; `tasks` lists them.", active), Ephemeral: true}, nil
	}
	sum := summarizeCheck(chk)
	picked := proposePlan(b.cfg.Knowledge.Tasks, sum, have)
	if room := MaxActiveTasks - active; len(picked) > room {
		picked = picked[:room]
	}
	if len(picked) == 0 {
		return Reply{Text: "You already have every task I'd suggest for that check. `tasks` shows how they're going.", Ephemeral: true}, nil
	}
	if err := b.cfg.Plans.SaveProposal(ctx, Proposal{User: u, CheckID: chk.ID, Tasks: picked, Created: b.now()}); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	var sb strings.Builder
	platform := knowledge.NormalizePlatform(sum.Platform)
	fmt.Fprintf(&sb, "From your %s check of %s", platformName(platform), chk.Time.In(b.cfg.Nudges.zone(u)).Format("2 Jan"))
	if weak := weakest(sum); weak != "" {
		fmt.Fprintf(&sb, ", the areas to work on are **%s**.", weak)
	} else {
		sb.WriteString(", you pass every criterion: these keep the habits that got you there while you reapply.")
	}
	sb.WriteString("\n")
	for i, p := range picked {
		t, _ := b.cfg.Knowledge.Task(p.TaskID)
		fmt.Fprintf(&sb, "\n**%d. %s** (%s, %s)\n%s\n", i+1, t.Title, t.Improves, rhythmText(t.Rhythm), t.Why)
	}
	sb.WriteString("\nType `plan accept` to take them all, or pick some: `plan accept 1 3`.")
	if active > 0 {
		fmt.Fprintf(&sb, " They join the %d %s you already have.", active, plural(active, "task", "tasks"))
	}
	return Reply{
		Title: fmt.Sprintf("Your plan: %d tasks", len(picked)),
		Text:  sb.String(),
		Buttons: []Button{
			{ActionID: "plan:accept", Label: "Accept all", Value: "all", Style: ButtonPrimary},
			{ActionID: "plan:dismiss", Label: "Not now"},
		},
	}, nil
}

func weakest(s eligibility.Result) string {
	var names []string
	for _, st := range []string{"fail", "warn", "unknown"} {
		for _, c := range s.Criteria {
			if c.Status == st && !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
		}
	}
	return strings.Join(names, ", ")
}

func (b *Bot) acceptPlan(ctx context.Context, u UserRef, args string) (Reply, error) {
	p, ok, err := b.cfg.Plans.LatestProposal(ctx, u)
	if err != nil {
		return Reply{}, storeUnavailable(err)
	}
	// `plan accept` straight after a check accepts the plan that check
	// implies, as `plan` would show it.
	chk, hasCheck, err := b.latestCheck(ctx, u)
	if err != nil {
		return Reply{}, err
	}
	if hasCheck && (!ok || p.CheckID != chk.ID) {
		r, err := b.proposePlan(ctx, u)
		if err != nil {
			return Reply{}, err
		}
		if p, ok, err = b.cfg.Plans.LatestProposal(ctx, u); err != nil {
			return Reply{}, storeUnavailable(err)
		}
		if !ok || p.CheckID != chk.ID {
			return r, nil // nothing to propose: the reply says why
		}
	}
	if !ok || len(p.Tasks) == 0 {
		return Reply{}, Errorf(EINVALID, "There's no plan to accept yet: type `plan` and I'll suggest one.")
	}
	picks, err := pickProposed(p, args)
	if err != nil {
		return Reply{}, err
	}
	tasks, err := b.cfg.Plans.Tasks(ctx, u)
	if err != nil {
		return Reply{}, storeUnavailable(err)
	}
	active := map[string]bool{}
	for _, t := range tasks {
		if t.Status == TaskActive {
			active[t.TaskID] = true
		}
	}
	now := b.now()
	var added []string
	for _, pt := range picks {
		t, ok := b.cfg.Knowledge.Task(pt.TaskID)
		if !ok || active[pt.TaskID] {
			continue
		}
		if len(active) >= MaxActiveTasks {
			break
		}
		ts := TaskState{User: u, TaskID: pt.TaskID, Status: TaskActive, Criterion: pt.Criterion, Reason: pt.Reason, AcceptedAt: now}
		for _, old := range tasks {
			if old.TaskID == pt.TaskID { // a completed one-off taken up again keeps its history and its number
				ts.Best, ts.DoneCount, ts.SkipCount, ts.AcceptedAt = old.Best, old.DoneCount, old.SkipCount, old.AcceptedAt
				ts.LastNudged, ts.LastDone = old.LastNudged, old.LastDone
			}
		}
		if err := b.cfg.Plans.SaveTask(ctx, ts); err != nil {
			return Reply{}, storeUnavailable(err)
		}
		if err := b.cfg.Plans.LogTaskEvent(ctx, TaskEvent{User: u, TaskID: pt.TaskID, Kind: "accept", Time: now}); err != nil {
			return Reply{}, storeUnavailable(err)
		}
		active[pt.TaskID] = true
		added = append(added, t.Title)
	}
	if len(added) == 0 {
		return Reply{Text: "Those tasks are already in your plan. `tasks` shows how they're going.", Ephemeral: true}, nil
	}
	s, err := b.loadSchedule(ctx, u)
	if err != nil {
		return Reply{}, err
	}
	if err := b.clearUnreachable(ctx, &s); err != nil {
		return Reply{}, err
	}
	if _, err := b.reschedule(ctx, u, s, now); err != nil {
		return Reply{}, err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "Added %d %s to your plan:\n", len(added), plural(len(added), "task", "tasks"))
	for _, t := range added {
		fmt.Fprintf(&sb, "- %s\n", t)
	}
	recheck := now.Add(b.cfg.Nudges.recheckAfter())
	fmt.Fprintf(&sb, "\nAround %s I'll suggest checking your numbers again to see what changed.", recheck.In(s.loc).Format("2 Jan"))
	reply := Reply{Title: "Plan started", Tone: ToneSuccess}
	switch {
	case s.rem.Stopped:
		sb.WriteString("\nYou asked me not to message you, so I won't nudge you; " + s.restart() + " turns nudges on.")
	case !s.on:
		sb.WriteString("\n\n**When should I nudge you?** For example `remind daily at 9:00 Europe/Berlin` or `remind weekdays at 18:30`. Mark tasks with `done <task>`; `tasks` shows your streaks.")
		reply.Buttons = []Button{
			{ActionID: "remind:set", Label: "Daily at 09:00", Value: "daily at 9:00"},
			{ActionID: "remind:set", Label: "Weekdays at 18:00", Value: "weekdays at 18:00"},
		}
	default:
		fmt.Fprintf(&sb, "\nI'll nudge you %s (%s). `tasks` shows your streaks.", describeRule(s.rule), s.loc)
	}
	reply.Text = sb.String()
	return reply, nil
}

// pickProposed returns the proposed tasks args names: "" or "all" for all,
// else numbers ("1 3", "1,3") or task ids.
func pickProposed(p Proposal, args string) ([]ProposedTask, error) {
	args = strings.TrimSpace(strings.ToLower(args))
	if args == "" || args == "all" || args == "everything" {
		return p.Tasks, nil
	}
	var out []ProposedTask
	for _, f := range strings.FieldsFunc(args, func(r rune) bool { return r == ' ' || r == ',' || r == '&' }) {
		if f == "and" {
			continue
		}
		f = strings.TrimPrefix(f, "#")
		if n, err := strconv.Atoi(f); err == nil {
			if n < 1 || n > len(p.Tasks) {
				return nil, Errorf(EINVALID, "Pick task numbers from 1 to %d, as listed by `plan`.", len(p.Tasks))
			}
			out = append(out, p.Tasks[n-1])
			continue
		}
		found := false
		for _, pt := range p.Tasks {
			if pt.TaskID == f {
				out, found = append(out, pt), true
			}
		}
		if !found {
			return nil, Errorf(EINVALID, "%q isn't one of the suggested tasks. Pick by number, e.g. `plan accept 1 3`.", clipRunes(f, 40))
		}
	}
	return out, nil
}

func (b *Bot) clearPlan(ctx context.Context, u UserRef) (Reply, error) {
	n, err := b.cfg.Plans.ClearTasks(ctx, u)
	if err != nil {
		return Reply{}, storeUnavailable(err)
	}
	if _, err := b.cfg.Plans.Reschedule(ctx, u, []string{NudgeTask, NudgeSnooze, NudgeSummary, NudgeRecheck}, "", nil); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	if n == 0 {
		return Reply{Text: "Your plan is already empty. Type `plan` for suggestions.", Ephemeral: true}, nil
	}
	if err := b.cfg.Plans.LogTaskEvent(ctx, TaskEvent{User: u, Kind: "clear", Time: b.now()}); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	return Reply{Title: "Plan cleared", Text: fmt.Sprintf("Removed %d %s and their nudges. Your reminder time is kept for the next plan; type `plan` when you're ready.", n, plural(n, "task", "tasks")), Tone: ToneSuccess}, nil
}

func (b *Bot) tasksCommand() *Command {
	return &Command{
		Name:    "tasks",
		Private: true,
		Aliases: []string{"todo", "streaks"},
		Summary: "List your plan's tasks with their streaks and next nudge.",
		Usage:   "tasks",
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			if strings.TrimSpace(c.Args) != "" {
				return Reply{}, ErrNotCommand
			}
			if b.cfg.Plans == nil {
				return Reply{}, errNoPlans
			}
			return b.listTasks(ctx, c.User)
		},
	}
}

func (b *Bot) listTasks(ctx context.Context, u UserRef) (Reply, error) {
	tasks, err := b.cfg.Plans.Tasks(ctx, u)
	if err != nil {
		return Reply{}, storeUnavailable(err)
	}
	s, err := b.loadSchedule(ctx, u)
	if err != nil {
		return Reply{}, err
	}
	if len(tasks) == 0 {
		return Reply{Text: "You have no tasks yet. Type `plan` and I'll suggest a few for your weakest areas.", Ephemeral: true}, nil
	}
	live, err := b.cfg.Plans.LiveNudges(ctx, u)
	if err != nil {
		return Reply{}, storeUnavailable(err)
	}
	next := map[string]time.Time{}
	for _, n := range live {
		if n.Kind == NudgeTask || n.Kind == NudgeSnooze {
			if _, ok := next[n.TaskID]; !ok {
				next[n.TaskID] = n.Due
			}
		}
	}
	now := b.now()
	var sb strings.Builder
	// A task's number is its place in the plan, done or not, so a number
	// the user saw keeps meaning that task for the life of the plan.
	first := 0
	for i, ts := range tasks {
		if ts.Status != TaskActive {
			continue
		}
		if first == 0 {
			first = i + 1
		}
		t, _ := b.cfg.Knowledge.Task(ts.TaskID)
		fmt.Fprintf(&sb, "%d. **%s** (`%s`, %s)\n   %s", i+1, t.Title, t.ID, rhythmText(t.Rhythm), streakText(t, ts, now, s.loc))
		if at, ok := next[ts.TaskID]; ok {
			fmt.Fprintf(&sb, " · next nudge %s", formatLocal(at, s.loc, now))
		}
		sb.WriteString("\n")
	}
	var done []string
	for i, ts := range tasks {
		if ts.Status == TaskDone {
			done = append(done, fmt.Sprintf("%d. %s", i+1, b.taskTitle(ts.TaskID)))
		}
	}
	if first == 0 {
		sb.WriteString("No active tasks: every task in your plan is done. Type `plan` for new ones.\n")
	}
	if len(done) > 0 {
		fmt.Fprintf(&sb, "\nCompleted: %s\n", strings.Join(done, "; "))
	}
	if first > 0 {
		fmt.Fprintf(&sb, "\nMark one with `done %d`, `skip %d` or `snooze %d 2h`.", first, first, first)
		if !s.on && !s.rem.Stopped {
			sb.WriteString(" Reminders are off: `remind daily at 9:00` turns them on.")
		}
	}
	return Reply{Title: "Your tasks", Text: sb.String(), Ephemeral: true}, nil
}

// maxStreakGap is how many local days may pass between two completions for
// the streak to continue.
func maxStreakGap(rhythm string) int {
	switch rhythm {
	case knowledge.Rhythm3xWeek:
		return 3
	case knowledge.RhythmWeekly:
		return 8
	}
	return 1
}

// currentStreak is the streak as of now: a streak whose last completion is
// too long ago has ended.
func currentStreak(t knowledge.Task, ts TaskState, now time.Time, loc *time.Location) int {
	if ts.LastDone.IsZero() || ts.Streak == 0 {
		return 0
	}
	if schedule.DateOf(ts.LastDone, loc).DaysUntil(schedule.DateOf(now, loc)) > maxStreakGap(t.Rhythm) {
		return 0
	}
	return ts.Streak
}

func streakText(t knowledge.Task, ts TaskState, now time.Time, loc *time.Location) string {
	if ts.Status == TaskDone {
		return "done ✔"
	}
	if ts.DoneCount == 0 {
		return "not done yet"
	}
	n := currentStreak(t, ts, now, loc)
	unit := plural(n, "time", "times")
	if t.Rhythm == knowledge.RhythmDaily {
		unit = plural(n, "day", "days")
	}
	s := fmt.Sprintf("streak %d %s", n, unit)
	switch {
	case n == 0:
		s = "no streak right now"
	case n > 1:
		s += " in a row"
	}
	if ts.Best > n {
		s += fmt.Sprintf(" (best %d)", ts.Best)
	}
	if ts.DoneCount > 0 {
		s += fmt.Sprintf(" · done %d×", ts.DoneCount)
	}
	return s
}

func rhythmText(r string) string {
	switch r {
	case knowledge.Rhythm3xWeek:
		return "3× a week"
	case knowledge.RhythmOnce:
		return "once"
	}
	return r
}

func platformName(p string) string {
	if p == "" {
		return "latest"
	}
	return platformDisplayName(p)
}

// taskActionCommand builds done, skip and snooze, which share finding the
// task the user means.
func (b *Bot) taskActionCommand(name string, aliases []string, summary, usage string) *Command {
	ex := []string{name + " 1", name + " reply-to-comments"}
	if name == "snooze" {
		ex = []string{"snooze 1 2h", "snooze reply-to-comments 1d"}
	}
	return &Command{
		Name: name, Aliases: aliases, Summary: summary, Usage: usage, Examples: ex, Private: true,
		Options: []Option{{Name: "task", Description: "the task's number in `tasks`, or its id", Required: true}, {Name: "duration", Description: "for snooze: e.g. 30m, 2h, 1d"}},
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			if b.cfg.Plans == nil {
				return Reply{}, errNoPlans
			}
			args := strings.TrimSpace(c.Args)
			if c.Option("task") != "" {
				args = strings.TrimSpace(c.Option("task") + " " + c.Option("duration"))
			}
			if c.Action != nil {
				args = c.Action.Value
			}
			if strings.HasSuffix(args, "?") {
				return Reply{}, ErrNotCommand
			}
			if len(args) > 200 {
				return Reply{}, Errorf(EINVALID, "That's too long for a task name. Use its number from `tasks`, e.g. `%s 1`.", name)
			}
			var d time.Duration
			if name == "snooze" {
				var err error
				if args, d, err = splitSnooze(args); err != nil {
					return Reply{}, err
				}
			}
			tasks, err := b.cfg.Plans.Tasks(ctx, c.User)
			if err != nil {
				return Reply{}, storeUnavailable(err)
			}
			ts, err := findTask(b.cfg.Knowledge, tasks, args, name, c.Action == nil && c.Option("task") == "")
			if err != nil {
				return Reply{}, err
			}
			t, ok := b.cfg.Knowledge.Task(ts.TaskID)
			if !ok {
				return Reply{}, Errorf(ENOTFOUND, "That task is no longer in my catalog. `plan clear` and `plan` give you a fresh plan.")
			}
			s, err := b.loadSchedule(ctx, c.User)
			if err != nil {
				return Reply{}, err
			}
			if err := b.clearUnreachable(ctx, &s); err != nil {
				return Reply{}, err
			}
			switch name {
			case "done":
				return b.markDone(ctx, c.User, s, t, ts)
			case "skip":
				return b.markSkipped(ctx, c.User, s, t, ts)
			}
			return b.snooze(ctx, c.User, s, t, ts, d)
		},
	}
}

// splitSnooze splits "reply-to-comments 2h" or "1 3 days" into the task
// and the duration.
func splitSnooze(args string) (string, time.Duration, error) {
	words := strings.Fields(args)
	for k := min(3, len(words)); k >= 1; k-- {
		d, err := schedule.ParseDuration(strings.Join(words[len(words)-k:], " "))
		if err == nil {
			return strings.Join(words[:len(words)-k], " "), d, nil
		}
		var outside *schedule.RangeError
		if errors.As(err, &outside) {
			// "snooze 1 999 days": a length, just not one it takes.
			return "", 0, Errorf(EINVALID, "%s.", strings.TrimSuffix(capitalize(err.Error()), "."))
		}
	}
	if len(words) > 0 {
		if _, err := schedule.ParseDuration(words[len(words)-1]); err != nil && strings.IndexFunc(words[len(words)-1], func(r rune) bool { return r >= '0' && r <= '9' }) >= 0 && len(words) > 1 {
			return "", 0, Errorf(EINVALID, "%s.", strings.TrimSuffix(capitalize(err.Error()), "."))
		}
	}
	return "", 0, Errorf(EINVALID, "For how long? For example `snooze 1 2h` or `snooze reply-to-comments 1d` (between 1 minute and 30 days).")
}

// findTask finds the active task a user means: its number in `tasks`, its
// id, or a word of its title. freeText reports whether the words were typed
// (so an unmatched question can go to the FAQ).
func findTask(kb *knowledge.Base, tasks []TaskState, arg, verb string, freeText bool) (TaskState, error) {
	var active []TaskState
	for _, t := range tasks {
		if t.Status == TaskActive {
			active = append(active, t)
		}
	}
	arg = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(arg), "#")))
	arg, pronoun := taskWords(arg)
	if arg == "" && pronoun && len(active) > 0 {
		// "snooze that for 2 hours", "done with it": the task nudged last.
		if ts, ok := lastNudged(active); ok {
			return ts, nil
		}
	}
	if len(active) == 0 {
		if freeText && arg != "" && !isTaskRef(arg) {
			return TaskState{}, ErrNotCommand
		}
		return TaskState{}, Errorf(ENOTFOUND, "You have no active tasks. Type `plan` and I'll suggest some.")
	}
	if arg == "" {
		if len(active) == 1 {
			return active[0], nil
		}
		return TaskState{}, Errorf(EINVALID, "Which task? Say `%s` with its number from `tasks`, or its id.", verb+" "+strconv.Itoa(slices.Index(tasks, active[0])+1))
	}
	if n, err := strconv.Atoi(arg); err == nil {
		// Numbers are places in the whole plan (see listTasks), so they
		// do not shift when a one-off task is done.
		if n < 1 || n > len(tasks) {
			return TaskState{}, Errorf(EINVALID, "Your plan has %d %s; pick a number from 1 to %d (see `tasks`).", len(tasks), plural(len(tasks), "task", "tasks"), len(tasks))
		}
		if ts := tasks[n-1]; ts.Status != TaskActive {
			t, _ := kb.Task(ts.TaskID)
			return TaskState{}, Errorf(EINVALID, "Task %d (**%s**) is already done for good; `tasks` lists the others.", n, t.Title)
		}
		return tasks[n-1], nil
	}
	var matches []TaskState
	for _, ts := range active {
		if ts.TaskID == arg {
			return ts, nil
		}
		t, _ := kb.Task(ts.TaskID)
		if strings.Contains(ts.TaskID, arg) || strings.Contains(strings.ToLower(t.Title), arg) {
			matches = append(matches, ts)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		if freeText && !isTaskRef(arg) {
			return TaskState{}, ErrNotCommand
		}
		return TaskState{}, Errorf(ENOTFOUND, "You have no active task matching %q. `tasks` lists them with their numbers.", clipRunes(arg, 40))
	}
	var ids []string
	for _, m := range matches {
		ids = append(ids, "`"+m.TaskID+"`")
	}
	return TaskState{}, Errorf(EINVALID, "%q matches several tasks (%s); use its number from `tasks`.", clipRunes(arg, 40), strings.Join(ids, ", "))
}

// taskFillers are words people put around a task's name ("I did the bio
// task") that name nothing; taskPronouns point at the task nudged last.
var (
	taskFillers  = map[string]bool{"i": true, "did": true, "have": true, "just": true, "already": true, "finished": true, "the": true, "my": true, "task": true, "a": true, "for": true, "please": true, "me": true, "about": true, "one": true, "again": true, "later": true}
	taskPronouns = map[string]bool{"that": true, "it": true, "this": true, "last": true}
)

// taskWords drops filler words from a typed task reference and reports
// whether it pointed at the last nudge ("that", "it").
func taskWords(arg string) (string, bool) {
	words := strings.Fields(strings.Trim(arg, ".!"))
	if len(words) < 2 && (len(words) == 0 || !taskPronouns[words[0]]) {
		return arg, false
	}
	var keep []string
	pronoun := false
	for _, w := range words {
		switch {
		case taskPronouns[w]:
			pronoun = true
		case !taskFillers[w]:
			keep = append(keep, w)
		}
	}
	return strings.Join(keep, " "), pronoun
}

// lastNudged returns the active task whose regular nudge went out last.
func lastNudged(active []TaskState) (TaskState, bool) {
	var best TaskState
	for _, ts := range active {
		if ts.LastNudged.After(best.LastNudged) {
			best = ts
		}
	}
	if best.LastNudged.IsZero() {
		if len(active) == 1 {
			return active[0], true
		}
		return TaskState{}, false
	}
	return best, true
}

// isTaskRef reports whether arg looks like a task reference (one word, an
// id or a number) rather than a sentence.
func isTaskRef(arg string) bool { return !strings.ContainsAny(arg, " \t") }

func (b *Bot) markDone(ctx context.Context, u UserRef, s userSchedule, t knowledge.Task, ts TaskState) (Reply, error) {
	now := b.now()
	today := schedule.DateOf(now, s.loc)
	if !ts.LastDone.IsZero() && schedule.DateOf(ts.LastDone, s.loc) == today {
		return Reply{Text: fmt.Sprintf("Already marked **%s** done today. %s.", t.Title, capitalize(streakText(t, ts, now, s.loc))), Tone: ToneSuccess}, nil
	}
	if currentStreak(t, ts, now, s.loc) == 0 {
		ts.Streak = 1
	} else {
		ts.Streak++
	}
	ts.Best = max(ts.Best, ts.Streak)
	ts.DoneCount++
	ts.LastDone = now
	ts.SnoozedUntil = time.Time{}
	if t.Rhythm == knowledge.RhythmOnce {
		ts.Status = TaskDone
	}
	if err := b.cfg.Plans.SaveTask(ctx, ts); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	if err := b.cfg.Plans.LogTaskEvent(ctx, TaskEvent{User: u, TaskID: t.ID, Kind: "done", Time: now}); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	var next *Nudge
	if ts.Status == TaskActive && s.on {
		n := s.taskNudge(u, t, today, s.from(now), nil)
		next = &n
	}
	if err := b.rescheduleTask(ctx, u, s, t, next); err != nil {
		return Reply{}, err
	}
	var sb strings.Builder
	if ts.Status == TaskDone {
		fmt.Fprintf(&sb, "**%s** is done for good. One less thing between you and your next application.", t.Title)
	} else {
		fmt.Fprintf(&sb, "Nice work: **%s** done. %s.", t.Title, capitalize(streakText(t, ts, now, s.loc)))
		if ts.Streak > 1 && ts.Streak == ts.Best {
			sb.WriteString(" That's your best yet!")
		}
		if next != nil && !s.stopped {
			fmt.Fprintf(&sb, "\nNext nudge: %s.", formatLocal(next.Due, s.loc, now))
		}
	}
	return Reply{Title: "Done", Text: sb.String(), Tone: ToneSuccess}, nil
}

func (b *Bot) markSkipped(ctx context.Context, u UserRef, s userSchedule, t knowledge.Task, ts TaskState) (Reply, error) {
	now := b.now()
	hadStreak := currentStreak(t, ts, now, s.loc)
	ts.Streak = 0
	ts.SkipCount++
	ts.LastNudged = now // a skip takes the place of this time's nudge
	ts.SnoozedUntil = time.Time{}
	if err := b.cfg.Plans.SaveTask(ctx, ts); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	if err := b.cfg.Plans.LogTaskEvent(ctx, TaskEvent{User: u, TaskID: t.ID, Kind: "skip", Time: now}); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	var next *Nudge
	if s.on {
		n := s.taskNudge(u, t, s.anchor(ts), s.from(now), nil)
		next = &n
	}
	if err := b.rescheduleTask(ctx, u, s, t, next); err != nil {
		return Reply{}, err
	}
	text := fmt.Sprintf("Skipped **%s** this time.", t.Title)
	if hadStreak > 0 {
		text += fmt.Sprintf(" Your streak of %d starts again next time (best: %d).", hadStreak, ts.Best)
	}
	if next != nil && !s.stopped {
		text += fmt.Sprintf("\nNext nudge: %s.", formatLocal(next.Due, s.loc, now))
	}
	return Reply{Text: text}, nil
}

func (b *Bot) snooze(ctx context.Context, u UserRef, s userSchedule, t knowledge.Task, ts TaskState, d time.Duration) (Reply, error) {
	if s.rem.Stopped {
		return Reply{}, Errorf(EINVALID, "You asked me to stop messaging you, so I can't nudge you later. `remind daily at 9:00` turns nudges back on.")
	}
	now := b.now()
	at := s.quiet.Push(now.Add(d), s.loc)
	live, err := b.cfg.Plans.LiveNudges(ctx, u)
	if err != nil {
		return Reply{}, storeUnavailable(err)
	}
	// A snooze moves one nudge and consumes no other: when it lands at or
	// after the task's next regular nudge, that nudge moves to the snooze
	// time (and counts as that day's, when sent); otherwise the snooze is
	// an extra nudge and the regular one stays where it is.
	n := Nudge{User: u, Kind: NudgeSnooze, TaskID: t.ID, Slot: at, Due: at, Status: NudgePending, Key: newKey()}
	kinds := []string{NudgeSnooze}
	for _, l := range live {
		if l.Kind == NudgeTask && l.TaskID == t.ID && l.Status == NudgePending && !l.Due.After(at) {
			n.Kind, kinds = NudgeTask, []string{NudgeTask, NudgeSnooze}
		}
	}
	if n.Kind == NudgeTask {
		// Remembered, so a settings change before it goes out keeps it.
		ts.SnoozedUntil = at
		if err := b.cfg.Plans.SaveTask(ctx, ts); err != nil {
			return Reply{}, storeUnavailable(err)
		}
	}
	if _, err := b.cfg.Plans.Reschedule(ctx, u, kinds, t.ID, []Nudge{n}); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	if err := b.cfg.Plans.LogTaskEvent(ctx, TaskEvent{User: u, TaskID: t.ID, Kind: "snooze", Time: now}); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	text := fmt.Sprintf("Snoozed **%s**: I'll nudge you again %s.", t.Title, formatLocal(at, s.loc, now))
	if !at.Equal(now.Add(d)) {
		text += fmt.Sprintf(" (That's when your quiet hours, %s, end.)", s.quiet)
	}
	return Reply{Text: text}, nil
}
