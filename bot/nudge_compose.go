package bot

// The composition of one nudge: what a due nudge says, read from the
// user's settings and plan as they are when it goes out. The dispatcher
// (package bot/nudge) calls ComposeNudges for each batch it claims and
// MarkUnreachable when a platform says a user cannot be messaged; the
// schedule's arithmetic (when the next one is due) is remind.go's.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/influbot/influbot/knowledge"
)

// ComposedNudge is what to do with one due nudge: send Reply (then
// schedule Next, when not nil), cancel it for the reason Cancel, hold it
// until DeferTo (quiet hours), or, when Err is set, count a failed attempt.
type ComposedNudge struct {
	Reply   Reply
	Cancel  string
	DeferTo time.Time
	Next    *Nudge
	Err     error
}

// ComposeNudges decides, for each of a batch of due nudges, what it says
// or that it should wait or not go at all. The result has one entry per
// nudge, in order. A user's settings and tasks are read once per batch.
func (b *Bot) ComposeNudges(ctx context.Context, due []Nudge, now time.Time) []ComposedNudge {
	cache := newUserCache()
	out := make([]ComposedNudge, len(due))
	for i, n := range due {
		c, err := b.composeNudge(ctx, cache, n, now)
		if err != nil {
			c = ComposedNudge{Err: err}
		}
		out[i] = c
	}
	return out
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
func (b *Bot) composeNudge(ctx context.Context, c *userCache, n Nudge, now time.Time) (ComposedNudge, error) {
	if b.cfg.Plans == nil {
		return ComposedNudge{Cancel: "plans are not configured"}, nil
	}
	s, err := b.cachedSchedule(ctx, c, n.User)
	if err != nil {
		return ComposedNudge{}, err
	}
	switch {
	case s.rem.Stopped:
		return ComposedNudge{Cancel: "the user said stop"}, nil
	case s.rem.Unreachable != "":
		return ComposedNudge{Cancel: "the user cannot be messaged: " + s.rem.Unreachable}, nil
	}
	if s.paused(now) {
		// Scheduled before the pause, or by a path that did not know of
		// it: it waits for the pause to end, out of quiet hours.
		return ComposedNudge{DeferTo: s.quiet.Push(s.rem.ResumeAt, s.loc)}, nil
	}
	// Every kind waits out quiet hours, the ready-to-reapply message too:
	// the check already told the user they pass.
	if s.quiet.Contains(now, s.loc) {
		return ComposedNudge{DeferTo: s.quiet.Push(now, s.loc)}, nil
	}
	switch n.Kind {
	case NudgeTask, NudgeSnooze:
		return b.composeTask(ctx, c, n, s, now)
	case NudgeSummary:
		if !s.on {
			return ComposedNudge{Cancel: "reminders are off"}, nil
		}
		r, active, err := b.weeklySummary(ctx, n.User, s, now)
		if err != nil || active == 0 {
			return ComposedNudge{Cancel: "no active tasks"}, err
		}
		next := s.summaryNudge(n.User, now, time.Time{}, now)
		return ComposedNudge{Reply: r, Next: &next}, nil
	case NudgeRecheck:
		r, active, err := b.recheckMessage(ctx, n.User, s, now)
		if err != nil || active == 0 {
			return ComposedNudge{Cancel: "no active tasks"}, err
		}
		next := s.recheckNudge(n.User, now, now, b.cfg.Nudges.recheckAfter())
		return ComposedNudge{Reply: r, Next: &next}, nil
	case NudgeReady:
		return ComposedNudge{Reply: readyMessage(n)}, nil
	case NudgeDate:
		return ComposedNudge{Reply: dateMessage(n, s.loc)}, nil
	}
	return ComposedNudge{Cancel: fmt.Sprintf("unknown kind %q", n.Kind)}, nil
}

func (b *Bot) composeTask(ctx context.Context, c *userCache, n Nudge, s userSchedule, now time.Time) (ComposedNudge, error) {
	tasks, err := b.cachedTasks(ctx, c, n.User)
	if err != nil {
		return ComposedNudge{}, err
	}
	i := slices.IndexFunc(tasks, func(ts TaskState) bool { return ts.TaskID == n.TaskID && ts.Status == TaskActive })
	t, ok := b.cfg.Knowledge.Task(n.TaskID)
	if i < 0 || !ok {
		return ComposedNudge{Cancel: "the task is no longer in the plan"}, nil
	}
	ts := tasks[i]
	var sb strings.Builder
	fmt.Fprintf(&sb, "**Why it matters:** %s\n", t.Why)
	if ts.Reason != "" {
		fmt.Fprintf(&sb, "**Your gap:** %s\n", ts.Reason)
	}
	fmt.Fprintf(&sb, "\n%s\n\n%s.", t.HowTo, capitalize(streakText(t, ts, now, s.loc)))
	fmt.Fprintf(&sb, "\n_Or type `done %s`, `snooze %s 1h` or `skip %s`._", t.ID, t.ID, t.ID)
	out := ComposedNudge{Reply: Reply{
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
		out.Next = &next
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

// MarkUnreachable records that a user cannot be messaged and cancels what
// was scheduled for them; talking to the bot again clears it.
func (b *Bot) MarkUnreachable(ctx context.Context, u UserRef, reason string) error {
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
