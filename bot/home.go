package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/influbot/influbot/bot/chart"
)

// Home is a user's dashboard, platform-neutral: what a Slack App Home tab
// (or any other "home" view) shows. Home builds it from the stores; an
// adapter only lays it out.
type Home struct {
	User UserRef
	// Verdicts is the latest check per platform, most recently checked
	// first.
	Verdicts []HomeVerdict
	// Trend is the progress chart's trend in words (the chart's alt
	// text); "" without checks. The chart itself (a PNG, a hundred
	// milliseconds to draw) is history's: a dashboard is drawn often.
	Trend string
	// Tasks are the plan's active tasks, in plan order.
	Tasks []HomeTask
	// Done counts the completed one-off tasks.
	Done int
	// NextNudge is the soonest pending nudge, in words with its local
	// time ("Reply to comments, today 09:00"); "" when none is pending.
	NextNudge string
	// Reminders describes the reminder settings in words.
	Reminders string
	// RemindersOn: task reminders are set and not stopped.
	RemindersOn bool
	// Plans: this bot keeps plans (has a PlanStore); without it the
	// dashboard shows checks only.
	Plans bool
}

// HomeVerdict is the latest check on one platform.
type HomeVerdict struct {
	Platform string // the platform's id ("instagram")
	Name     string // how people write it ("Instagram")
	Verdict  string // "ready", "borderline" or "not_yet"
	Label    string // the verdict in words ("not yet")
	Score    int
	Time     time.Time
	// When is Time in words ("today 09:00", "Mon 2 Jan 15:04").
	When string
}

// HomeTask is one active task of the plan, with the buttons' arguments.
type HomeTask struct {
	Number int    // its place in the plan, as `tasks` numbers it
	ID     string // the task id, what done / skip / snooze take
	Title  string
	Rhythm string // "daily", "3× a week", "weekly", "once"
	Streak string // "streak 3 days in a row (best 5)", "not done yet"
	// NextNudge is the task's next nudge in words; "" when none.
	NextNudge string
}

// homeChecks is how many recent checks the dashboard reads for the
// latest verdicts and the trend.
const homeChecks = 50

// Home returns u's dashboard. Without stores it is empty but valid (a
// dashboard that says how to start).
func (b *Bot) Home(ctx context.Context, u UserRef) (Home, error) {
	h := Home{User: u, Plans: b.cfg.Plans != nil}
	now := b.now()
	loc := b.cfg.Nudges.zone(u)
	var s userSchedule
	if b.cfg.Plans != nil {
		var err error
		if s, err = b.loadSchedule(ctx, u); err != nil {
			return Home{}, fmt.Errorf("home of %s: %w", u, err)
		}
		loc = s.loc
	}
	if b.cfg.Checks != nil {
		checks, err := b.cfg.Checks.LatestChecks(ctx, u, homeChecks)
		if err != nil {
			return Home{}, fmt.Errorf("home of %s: checks: %w", u, err)
		}
		seen := map[string]bool{}
		for _, c := range checks {
			if seen[c.Platform] {
				continue
			}
			seen[c.Platform] = true
			h.Verdicts = append(h.Verdicts, HomeVerdict{
				Platform: c.Platform, Name: socialName(c.Platform), Verdict: c.Verdict, Label: verdictText(c.Verdict),
				Score: c.Score, Time: c.Time, When: formatLocal(c.Time, loc, now),
			})
		}
		if series := b.chartSeries(checks); len(series) > 0 {
			h.Trend = chart.AltText(series)
		}
	}
	if b.cfg.Plans == nil {
		return h, nil
	}
	tasks, err := b.cfg.Plans.Tasks(ctx, u)
	if err != nil {
		return Home{}, fmt.Errorf("home of %s: tasks: %w", u, err)
	}
	live, err := b.cfg.Plans.LiveNudges(ctx, u)
	if err != nil {
		return Home{}, fmt.Errorf("home of %s: nudges: %w", u, err)
	}
	next := map[string]time.Time{}
	for _, n := range live {
		if n.Kind == NudgeTask || n.Kind == NudgeSnooze {
			if _, ok := next[n.TaskID]; !ok {
				next[n.TaskID] = n.Due
			}
		}
	}
	if len(live) > 0 {
		h.NextNudge = capitalize(b.nudgeLabel(live[0])) + ", " + formatLocal(live[0].Due, loc, now)
	}
	for i, ts := range tasks {
		if ts.Status != TaskActive {
			h.Done++
			continue
		}
		t, _ := b.cfg.Knowledge.Task(ts.TaskID)
		ht := HomeTask{Number: i + 1, ID: ts.TaskID, Title: b.taskTitle(ts.TaskID), Rhythm: rhythmText(t.Rhythm), Streak: streakText(t, ts, now, loc)}
		if at, ok := next[ts.TaskID]; ok {
			ht.NextNudge = formatLocal(at, loc, now)
		}
		h.Tasks = append(h.Tasks, ht)
	}
	h.RemindersOn = s.on && !s.stopped
	switch {
	case s.rem.Stopped:
		h.Reminders = "Off: you said stop. Type " + s.restart() + " to start again."
	case s.rem.Unreachable != "":
		h.Reminders = "Paused: I couldn't message you. Talk to me to resume them."
	case s.paused(now):
		h.Reminders = "Paused until " + formatLocal(s.rem.ResumeAt, loc, now) + ". Type `remind resume` to end the pause."
	case s.on:
		h.Reminders = capitalize(describeRule(s.rule)) + " (" + s.loc.String() + ")"
	default:
		h.Reminders = "Off. Type `remind daily at 9:00` to get nudges for your tasks."
	}
	return h, nil
}
