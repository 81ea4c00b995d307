package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/knowledge"
)

// nudgeOutcome is what to do with a due nudge.
type nudgeOutcome struct {
	reply   Reply
	cancel  string    // cancel it, for this reason
	deferTo time.Time // not now: quiet hours
	next    *Nudge    // the one to schedule after a send
}

// userCache holds what composing reads about each user, for one batch of
// nudges: a user's nudges usually come due together (every task at the
// reminder time), and their settings are read once for all of them.
type userCache struct {
	sched map[UserRef]userSchedule
	tasks map[UserRef][]TaskState
}

func newUserCache() *userCache {
	return &userCache{sched: map[UserRef]userSchedule{}, tasks: map[UserRef][]TaskState{}}
}

func (b *Bot) cachedSchedule(ctx context.Context, c *userCache, u UserRef) (userSchedule, error) {
	if s, ok := c.sched[u]; ok {
		return s, nil
	}
	s, err := b.loadSchedule(ctx, u)
	if err == nil {
		c.sched[u] = s
	}
	return s, err
}

func (b *Bot) cachedTasks(ctx context.Context, c *userCache, u UserRef) ([]TaskState, error) {
	if ts, ok := c.tasks[u]; ok {
		return ts, nil
	}
	ts, err := b.cfg.Plans.Tasks(ctx, u)
	if err == nil {
		c.tasks[u] = ts
	}
	return ts, err
}

// composeNudge decides what a due nudge says, or that it should wait or
// not go at all, from the user's settings and plan as they are now.
func (b *Bot) composeNudge(ctx context.Context, c *userCache, n Nudge, now time.Time) (nudgeOutcome, error) {
	if b.cfg.Plans == nil {
		return nudgeOutcome{cancel: "plans are not configured"}, nil
	}
	s, err := b.cachedSchedule(ctx, c, n.User)
	if err != nil {
		return nudgeOutcome{}, err
	}
	switch {
	case s.rem.Stopped:
		return nudgeOutcome{cancel: "the user said stop"}, nil
	case s.rem.Unreachable != "":
		return nudgeOutcome{cancel: "the user cannot be messaged: " + s.rem.Unreachable}, nil
	}
	// Every kind waits out quiet hours, the ready-to-reapply message too:
	// the check already told the user they pass.
	if s.quiet.Contains(now, s.loc) {
		return nudgeOutcome{deferTo: s.quiet.Push(now, s.loc)}, nil
	}
	switch n.Kind {
	case NudgeTask, NudgeSnooze:
		return b.composeTask(ctx, c, n, s, now)
	case NudgeSummary:
		if !s.on {
			return nudgeOutcome{cancel: "reminders are off"}, nil
		}
		r, active, err := b.weeklySummary(ctx, n.User, s, now)
		if err != nil || active == 0 {
			return nudgeOutcome{cancel: "no active tasks"}, err
		}
		next := s.summaryNudge(n.User, now, time.Time{}, now)
		return nudgeOutcome{reply: r, next: &next}, nil
	case NudgeRecheck:
		r, active, err := b.recheckMessage(ctx, n.User, s, now)
		if err != nil || active == 0 {
			return nudgeOutcome{cancel: "no active tasks"}, err
		}
		next := s.recheckNudge(n.User, now, now, b.cfg.Nudges.recheckAfter())
		return nudgeOutcome{reply: r, next: &next}, nil
	case NudgeReady:
		return nudgeOutcome{reply: readyMessage(n)}, nil
	}
	return nudgeOutcome{cancel: fmt.Sprintf("unknown kind %q", n.Kind)}, nil
}

func (b *Bot) composeTask(ctx context.Context, c *userCache, n Nudge, s userSchedule, now time.Time) (nudgeOutcome, error) {
	tasks, err := b.cachedTasks(ctx, c, n.User)
	if err != nil {
		return nudgeOutcome{}, err
	}
	i := slices.IndexFunc(tasks, func(ts TaskState) bool { return ts.TaskID == n.TaskID && ts.Status == TaskActive })
	t, ok := b.cfg.Knowledge.Task(n.TaskID)
	if i < 0 || !ok {
		return nudgeOutcome{cancel: "the task is no longer in the plan"}, nil
	}
	ts := tasks[i]
	var sb strings.Builder
	fmt.Fprintf(&sb, "**Why it matters:** %s\n", t.Why)
	if ts.Reason != "" {
		fmt.Fprintf(&sb, "**Your gap:** %s\n", ts.Reason)
	}
	fmt.Fprintf(&sb, "\n%s\n\n%s.", t.HowTo, capitalize(streakText(t, ts, now, s.loc)))
	fmt.Fprintf(&sb, "\n_Or type `done %s`, `snooze %s 1h` or `skip %s`._", t.ID, t.ID, t.ID)
	out := nudgeOutcome{reply: Reply{
		Title: "Time for: " + t.Title,
		Text:  sb.String(),
		Buttons: []Button{
			{ActionID: "done:nudge", Label: "Done", Value: t.ID, Style: ButtonSuccess},
			{ActionID: "snooze:nudge", Label: "Snooze 1h", Value: t.ID + " 1h"},
			{ActionID: "skip:nudge", Label: "Skip", Value: t.ID},
		},
	}}
	if s.on && n.Kind == NudgeTask {
		// This send is the task's new anchor: the next nudge follows the
		// rhythm from today, whatever was missed, so downtime yields one
		// nudge, not a backlog, and never a second one today. A snooze
		// is an extra and moves nothing.
		ts.LastNudged = now
		next := s.taskNudge(n.User, t, s.anchor(ts), now, nil)
		out.next = &next
	}
	return out, nil
}

func (b *Bot) weeklySummary(ctx context.Context, u UserRef, s userSchedule, now time.Time) (Reply, int, error) {
	tasks, err := b.cfg.Plans.Tasks(ctx, u)
	if err != nil {
		return Reply{}, 0, err
	}
	events, err := b.cfg.Plans.TaskEvents(ctx, u, now.Add(-7*24*time.Hour))
	if err != nil {
		return Reply{}, 0, err
	}
	done := map[string]int{}
	skipped := 0
	for _, e := range events {
		switch e.Kind {
		case "done":
			done[e.TaskID]++
		case "skip":
			skipped++
		}
	}
	var sb strings.Builder
	total := 0
	for _, c := range done {
		total += c
	}
	active := 0
	if total == 0 {
		sb.WriteString("No tasks marked done this week. That's fine: pick the easiest one below and start a new streak today.\n")
	} else {
		fmt.Fprintf(&sb, "You did **%d %s** this week", total, plural(total, "task", "tasks"))
		if skipped > 0 {
			fmt.Fprintf(&sb, " and skipped %d", skipped)
		}
		sb.WriteString(":\n")
	}
	for _, ts := range tasks {
		t, ok := b.cfg.Knowledge.Task(ts.TaskID)
		if !ok {
			continue
		}
		if ts.Status == TaskActive {
			active++
		}
		if done[ts.TaskID] == 0 && ts.Status != TaskActive {
			continue
		}
		fmt.Fprintf(&sb, "- **%s**: done %d× this week · %s\n", t.Title, done[ts.TaskID], streakText(t, ts, now, s.loc))
	}
	live, err := b.cfg.Plans.LiveNudges(ctx, u)
	if err != nil {
		return Reply{}, 0, err
	}
	var next []string
	for _, n := range live {
		if n.Kind == NudgeTask && len(next) < 3 {
			next = append(next, fmt.Sprintf("%s (%s)", b.taskTitle(n.TaskID), formatLocal(n.Due, s.loc, now)))
		}
	}
	if len(next) > 0 {
		fmt.Fprintf(&sb, "\n**Next up:** %s.", strings.Join(next, "; "))
	}
	return Reply{Title: "Your week", Text: sb.String(), Tone: ToneInfo}, active, nil
}

func (b *Bot) recheckMessage(ctx context.Context, u UserRef, s userSchedule, now time.Time) (Reply, int, error) {
	tasks, err := b.cfg.Plans.Tasks(ctx, u)
	if err != nil {
		return Reply{}, 0, err
	}
	active, doneTotal := 0, 0
	var started time.Time
	for _, ts := range tasks {
		if ts.Status == TaskActive {
			active++
		}
		doneTotal += ts.DoneCount
		if started.IsZero() || ts.AcceptedAt.Before(started) {
			started = ts.AcceptedAt
		}
	}
	weeks := int(now.Sub(started) / (7 * 24 * time.Hour))
	var sb strings.Builder
	fmt.Fprintf(&sb, "It's been %d %s since you started your plan, and you've marked %d %s done. Time to see what moved.\n", max(weeks, 1), plural(max(weeks, 1), "week", "weeks"), doneTotal, plural(doneTotal, "task", "tasks"))
	chk, ok, err := b.latestCheck(ctx, u)
	if err != nil {
		return Reply{}, 0, err
	}
	platform := "instagram"
	if ok {
		sum := summarizeCheck(chk)
		if sum.Platform != "" {
			platform = knowledge.NormalizePlatform(sum.Platform)
		}
		fmt.Fprintf(&sb, "\n**Your last check** (%s, %s): %s", platformName(platform), chk.Time.In(s.loc).Format("2 Jan"), verdictText(sum.Verdict))
		if sum.Score > 0 {
			fmt.Fprintf(&sb, ", score %d", sum.Score)
		}
		sb.WriteString("\n")
		for _, c := range sum.Criteria {
			fmt.Fprintf(&sb, "- %s: %s", c.Name, c.Status)
			if c.Detail != "" {
				fmt.Fprintf(&sb, " (%s)", strings.TrimSuffix(c.Detail, "."))
			}
			sb.WriteString("\n")
		}
		if chk.Followers > 0 {
			fmt.Fprintf(&sb, "Then: %s followers", strconv.FormatInt(chk.Followers, 10))
			if chk.EngagementRate > 0 {
				fmt.Fprintf(&sb, ", %.1f%% engagement", chk.EngagementRate)
			}
			sb.WriteString(".\n")
		}
	}
	fmt.Fprintf(&sb, "\nRun `check %s ...` with today's numbers and I'll compare; if every criterion passes, I'll tell you it's time to reapply.", platform)
	return Reply{Title: "Time to re-check your numbers", Text: sb.String()}, active, nil
}

func verdictText(v string) string {
	switch v {
	case "ready":
		return "ready"
	case "borderline":
		return "borderline"
	case "not_yet":
		return "not yet"
	}
	if v == "" {
		return "no verdict"
	}
	return v
}

func readyMessage(n Nudge) Reply {
	return Reply{
		Title: "Your numbers say: time to reapply 🎉",
		Text: "Your latest check passes every criterion. Before you press submit:\n" +
			"- **Profile**: your bio says your niche in one line, and your best niche posts are pinned.\n" +
			"- **Recent activity**: you've posted steadily for the last few weeks; keep going while Amazon reviews.\n" +
			"- **Disclosure**: posts with links or gifted products say so plainly (#ad, \"I earn a commission\").\n" +
			"- **Clean numbers**: no bought followers, pods or giveaways-for-follows in the last months.\n" +
			"- **Apply** with the account that passed, from the Amazon Influencer Program page (amazon.com/shop/influencers), signed in with the Amazon account you want paid to.\n" +
			"\nKeep your plan running while you wait: reviewers look at the account as it is when they review it.",
		Tone: ToneSuccess,
	}
}

// afterCheck sends the "ready to reapply" message to a creator with a plan
// whose check, just saved under id, passes every criterion.
func (b *Bot) afterCheck(ctx context.Context, u UserRef, id int64, res eligibility.Result) error {
	if b.cfg.Plans == nil || id == 0 || !passesAll(res) {
		return nil
	}
	tasks, err := b.cfg.Plans.Tasks(ctx, u)
	if err != nil || len(tasks) == 0 {
		return err
	}
	now := b.now()
	_, err = b.cfg.Plans.Enqueue(ctx, Nudge{
		User: u, Kind: NudgeReady, TaskID: strconv.FormatInt(id, 10), Slot: now, Due: now, Status: NudgePending,
		// One message per passing check, however often it is looked at.
		Key: "ready" + strconv.FormatInt(id, 36),
	})
	return err
}

// markUnreachable records that a user cannot be messaged and cancels what
// was scheduled for them; talking to the bot again clears it.
func (b *Bot) markUnreachable(ctx context.Context, u UserRef, reason string) error {
	s, err := b.loadSchedule(ctx, u)
	if err != nil {
		return err
	}
	s.rem.Unreachable, s.rem.Updated = clipRunes(reason, 200), b.now()
	if s.rem.Zone == "" {
		s.rem.Zone = s.loc.String()
	}
	if err := b.cfg.Plans.SaveReminder(ctx, s.rem); err != nil {
		return err
	}
	_, err = b.cfg.Plans.Reschedule(ctx, u, nil, "", nil)
	return err
}
