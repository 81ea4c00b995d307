package bot

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/influbot/influbot/bot/schedule"
	"github.com/influbot/influbot/knowledge"
)

// userSchedule is a user's reminder settings, resolved.
type userSchedule struct {
	rem     Reminder
	found   bool
	rule    schedule.Rule // valid when on
	on      bool          // task reminders are on
	loc     *time.Location
	quiet   schedule.Quiet
	stopped bool // the user said stop, or cannot be messaged
}

func (b *Bot) loadSchedule(ctx context.Context, u UserRef) (userSchedule, error) {
	s := userSchedule{loc: b.cfg.Nudges.zone(u), quiet: b.cfg.Nudges.quiet()}
	rem, ok, err := b.cfg.Plans.Reminder(ctx, u)
	if err != nil {
		return s, storeUnavailable(err)
	}
	s.rem, s.found = rem, ok
	if !ok {
		s.rem = Reminder{User: u}
		return s, nil
	}
	if rem.Zone != "" {
		if loc, err := schedule.LoadZone(rem.Zone); err == nil {
			s.loc = loc
		} else {
			b.log.WarnContext(ctx, "stored reminder zone does not load", "user", u.String(), "zone", rem.Zone, "err", err)
		}
	}
	if rem.Quiet != "" {
		if q, err := schedule.ParseQuiet(rem.Quiet); err == nil {
			s.quiet = q
		}
	}
	s.stopped = rem.Stopped || rem.Unreachable != ""
	if every, err := schedule.ParseEvery(rem.Every); err == nil {
		s.rule = schedule.Rule{Every: every, Day: rem.Day, Hour: rem.Minute / 60, Minute: rem.Minute % 60, Loc: s.loc}
		s.on = s.rule.Validate() == nil
	}
	return s, nil
}

// from is the earliest a nudge may be scheduled at now: now, or the end
// of a pause.
func (s userSchedule) from(now time.Time) time.Time {
	if s.rem.ResumeAt.After(now) {
		return s.rem.ResumeAt
	}
	return now
}

// paused reports whether reminders are paused at now.
func (s userSchedule) paused(now time.Time) bool { return s.rem.ResumeAt.After(now) }

// restart is the command that starts reminders again after a stop: the
// schedule kept through it, or an example when there is none.
func (s userSchedule) restart() string {
	if s.on {
		return fmt.Sprintf("`remind on` (%s, %s)", describeRule(s.rule), s.loc)
	}
	return "`remind daily at 9:00`"
}

// milestoneRule is when milestone messages (re-check) go out: the user's
// reminder time on any day, or 10:00 local without reminders.
func (s userSchedule) milestoneRule() schedule.Rule {
	if s.on {
		r := s.rule
		r.Every = schedule.Daily
		return r
	}
	return schedule.Rule{Every: schedule.Daily, Hour: 10, Loc: s.loc}
}

// summaryRule is when the weekly summary goes out: the reminder's day for
// a weekly reminder, Monday otherwise, at the reminder's time.
func (s userSchedule) summaryRule() schedule.Rule {
	r := s.rule
	if r.Every != schedule.Weekly {
		r.Every, r.Day = schedule.Weekly, time.Monday
	}
	return r
}

// newKey returns a fresh idempotency key: 20 lowercase letters and digits.
func newKey() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	var buf [20]byte
	rand.Read(buf[:]) // never fails (crypto/rand panics rather than return an error)
	for i, c := range buf {
		buf[i] = alphabet[int(c)%len(alphabet)]
	}
	return string(buf[:])
}

// anchor is the local date a task's next nudge is counted from: the last
// time a regular nudge about it went out, or it was done or skipped.
func (s userSchedule) anchor(ts TaskState) schedule.Date {
	last := ts.LastNudged
	if ts.LastDone.After(last) {
		last = ts.LastDone
	}
	return lastDate(last, s.loc)
}

// taskNudge returns the next regular nudge about a task after after,
// counted from last (the anchor's date; zero for never) by
// schedule.NextNudge. keep, when not nil, is the nudge the task had
// pending under the old settings: it stays when the new ones would leave
// its local date without a nudge (a move west, a later reminder time), so
// a settings change never skips a day the rhythm was due.
func (s userSchedule) taskNudge(u UserRef, t knowledge.Task, last schedule.Date, after time.Time, keep *Nudge) Nudge {
	rh := schedule.Rhythm(t.Rhythm)
	slot, due := schedule.NextNudge(s.rule, rh, last, after, s.quiet)
	if keep != nil && keep.Due.After(after) && !s.quiet.Contains(keep.Due, s.loc) {
		d := schedule.DateOf(keep.Due, s.loc)
		due1 := last == (schedule.Date{}) || !d.Before(last.AddDays(rh.GapDays()))
		if due1 && s.rule.OnDay(d.Weekday()) && rh.OnDay(s.rule, d.Weekday()) && d.Before(schedule.DateOf(due, s.loc)) {
			slot, due = keep.Slot, keep.Due
		}
	}
	return Nudge{User: u, Kind: NudgeTask, TaskID: t.ID, Slot: slot, Due: due, Status: NudgePending, Key: newKey()}
}

// summaryNudge is the next weekly summary: on the summary's day at least
// six local days after the last one was sent (lastSent; six, so one held
// to the next morning by quiet hours does not push the next a week
// further), and never on the day the plan started (started), when there is
// no week to sum up yet.
func (s userSchedule) summaryNudge(u UserRef, lastSent, started, after time.Time) Nudge {
	r := s.summaryRule()
	from := schedule.DateOf(after, s.loc)
	if !started.IsZero() {
		from = schedule.DateOf(started, s.loc).AddDays(1)
	}
	if !lastSent.IsZero() {
		if d := schedule.DateOf(lastSent, s.loc).AddDays(6); from.Before(d) {
			from = d
		}
	}
	slot := r.NextOnOrAfter(from, after)
	return Nudge{User: u, Kind: NudgeSummary, Slot: slot, Due: s.quiet.Push(slot, s.loc), Status: NudgePending, Key: newKey()}
}

// recheckNudge is the "time to re-check" message: every recheckAfter from
// base (the plan's start, or the last re-check sent), at the user's
// reminder time in their zone (10:00 without one), out of quiet hours.
func (s userSchedule) recheckNudge(u UserRef, base, after time.Time, every time.Duration) Nudge {
	r := s.milestoneRule()
	slot := r.NextOnOrAfter(schedule.DateOf(base.Add(every), s.loc), after)
	return Nudge{User: u, Kind: NudgeRecheck, Slot: slot, Due: s.quiet.Push(slot, s.loc), Status: NudgePending, Key: newKey()}
}

func lastDate(t time.Time, loc *time.Location) schedule.Date {
	if t.IsZero() {
		return schedule.Date{}
	}
	return schedule.DateOf(t, loc)
}

// planStart is when the oldest active task of the plan was accepted.
func planStart(tasks []TaskState) time.Time {
	var start time.Time
	for _, ts := range tasks {
		if ts.Status == TaskActive && (start.IsZero() || ts.AcceptedAt.Before(start)) {
			start = ts.AcceptedAt
		}
	}
	return start
}

// reschedule recomputes every nudge the user's settings and plan call
// for, from the schedule's model: each active task's next nudge from its
// anchor (schedule.NextNudge), the weekly summary a week after the last,
// and the re-check four weeks after the last (or the plan's start), all in
// the user's zone and out of their quiet hours. Settings changes call it;
// it never restarts a rhythm. With reminders off or stopped it only
// cancels (the re-check stays unless stopped).
func (b *Bot) reschedule(ctx context.Context, u UserRef, s userSchedule, now time.Time) (int, error) {
	tasks, err := b.cfg.Plans.Tasks(ctx, u)
	if err != nil {
		return 0, storeUnavailable(err)
	}
	live, err := b.cfg.Plans.LiveNudges(ctx, u)
	if err != nil {
		return 0, storeUnavailable(err)
	}
	pending := map[string]*Nudge{}
	for i, n := range live {
		if n.Kind == NudgeTask {
			pending[n.TaskID] = &live[i]
		}
	}
	var add []Nudge
	active := 0
	after := s.from(now) // a pause moves every nudge past its end
	for _, ts := range tasks {
		if ts.Status != TaskActive {
			continue
		}
		active++
		t, ok := b.cfg.Knowledge.Task(ts.TaskID)
		if !ok || !s.on || s.stopped {
			continue
		}
		n := s.taskNudge(u, t, s.anchor(ts), after, pending[ts.TaskID])
		if at := s.quiet.Push(ts.SnoozedUntil, s.loc); ts.SnoozedUntil.After(now) && !n.Due.After(at) {
			n.Slot, n.Due = at, at // the snooze moved this nudge; keep it moved
		}
		add = append(add, n)
	}
	started := planStart(tasks)
	if active > 0 && s.on && !s.stopped {
		last, err := b.cfg.Plans.LastSent(ctx, u, NudgeSummary)
		if err != nil {
			return 0, storeUnavailable(err)
		}
		add = append(add, s.summaryNudge(u, last, started, after))
	}
	if active > 0 && !s.stopped {
		last, err := b.cfg.Plans.LastSent(ctx, u, NudgeRecheck)
		if err != nil {
			return 0, storeUnavailable(err)
		}
		add = append(add, s.recheckNudge(u, latest(last, started), after, b.cfg.Nudges.recheckAfter()))
	}
	kinds := []string{NudgeTask, NudgeSummary, NudgeRecheck}
	if !s.on || s.stopped || s.paused(now) {
		// A snooze set before a pause is over by its end: the task's
		// regular nudge after the pause takes its place.
		kinds = append(kinds, NudgeSnooze)
	}
	if _, err := b.cfg.Plans.Reschedule(ctx, u, kinds, "", add); err != nil {
		return 0, storeUnavailable(err)
	}
	return active, nil
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// rescheduleTask moves one task's pending nudge after a done, skip or
// snooze.
func (b *Bot) rescheduleTask(ctx context.Context, u UserRef, s userSchedule, t knowledge.Task, n *Nudge) error {
	var add []Nudge
	if n != nil && s.on && !s.stopped {
		add = append(add, *n)
	}
	// Done or skipped, the task's pending snooze has served its purpose.
	if _, err := b.cfg.Plans.Reschedule(ctx, u, []string{NudgeTask, NudgeSnooze}, t.ID, add); err != nil {
		return storeUnavailable(err)
	}
	return nil
}

func storeUnavailable(err error) error {
	if ErrorCode(err) == EUNAVAILABLE || ErrorCode(err) == EINVALID {
		return err
	}
	return WrapError(EUNAVAILABLE, err, "I can't reach my database right now. Please try again in a minute.")
}

// clearUnreachable notes that a user who talks to the bot can be messaged
// again.
func (b *Bot) clearUnreachable(ctx context.Context, s *userSchedule) error {
	if s.rem.Unreachable == "" {
		return nil
	}
	s.rem.Unreachable = ""
	s.stopped = s.rem.Stopped
	s.rem.Updated = b.now()
	if err := b.cfg.Plans.SaveReminder(ctx, s.rem); err != nil {
		return storeUnavailable(err)
	}
	return nil
}

func (b *Bot) remindCommand() *Command {
	return &Command{
		Name:    "remind",
		Private: true,
		Aliases: []string{"reminder", "reminders"},
		Summary: "Choose when I nudge you about your tasks, in your time zone; or turn nudges off.",
		Usage:   "remind [daily|weekdays|every <day>] at <time> [<time zone or city>] | remind zone <time zone or city> | remind off | remind on | remind pause <how long> | remind quiet <from>-<to>|off",
		Examples: []string{
			"remind daily at 9:00 Europe/Berlin",
			"remind me at 9am london",
			"remind weekdays at 18:30 EST",
			"remind every monday morning",
			"remind zone pacific",
			"remind quiet 23:00-07:00",
			"remind pause 1 week",
			"remind off",
		},
		Options: []Option{{Name: "when", Description: "e.g. daily at 9:00 Europe/Berlin, zone pacific, off, on, or pause 1 week"}},
		Run: func(ctx context.Context, c *Call) (Reply, error) {
			if b.cfg.Plans == nil {
				return Reply{}, errNoPlans
			}
			args := strings.TrimSpace(c.Args)
			if args == "" {
				args = strings.TrimSpace(c.Option("when"))
			}
			// A yes to a question this command asked (remindConfirm) comes
			// back with the settings to apply as they are.
			confirmed := false
			if c.Action != nil {
				args = c.Action.Value
				confirmed = c.Action.ID == remindConfirm
			}
			if n := len([]rune(args)); n > 200 {
				return Reply{}, Errorf(EINVALID, "That's longer than any reminder I know (%d characters). Try `remind daily at 9:00 Europe/Berlin`.", n)
			}
			s, err := b.loadSchedule(ctx, c.User)
			if err != nil {
				return Reply{}, err
			}
			if err := b.clearUnreachable(ctx, &s); err != nil {
				return Reply{}, err
			}
			now := b.now()
			switch strings.ToLower(args) {
			case "on", "resume", "again", "back on", "start", "unpause":
				// "start reminders again": the schedule kept through a
				// stop or a pause, or the question of when.
				if !s.on {
					if s.paused(now) {
						if err := b.endPause(ctx, c.User, s, now); err != nil {
							return Reply{}, err
						}
					}
					return remindPrompt(), nil
				}
				args = s.rule.String()
				s.rem.ResumeAt = time.Time{}
			}
			first, rest := splitFirstWord(args)
			// zone is a time zone said alone: "remind zone pacific", "my
			// time zone is pacific" in plain words, or "remind pacific".
			zone, zoneSet := "", false
			switch strings.ToLower(first) {
			case "":
				return b.showReminder(ctx, c.User, s, now)
			case "zone", "tz", "timezone":
				if zone = strings.TrimSpace(rest); zone == "" {
					return Reply{}, Errorf(EINVALID, "Which time zone? For example `remind zone Europe/Berlin` or `remind zone new york`.")
				}
			case "off", "stop", "none":
				return b.remindOff(ctx, c.User, s)
			case "quiet":
				return b.setQuiet(ctx, c.User, s, rest, now, confirmed)
			case "pause":
				return b.pause(ctx, c.User, s, rest, now)
			}
			if strings.HasSuffix(strings.ToLower(args), "?") {
				return Reply{}, ErrNotCommand
			}
			if zone == "" && !strings.ContainsAny(args, "0123456789") {
				// "remind pacific" is a zone change, not a reminder missing
				// its time.
				if _, err := schedule.LoadZone(args); err == nil {
					zone = args
				}
			}
			if zone != "" {
				// The same days and time, in another zone; kept for the
				// next reminder while they are off or stopped.
				loc, err := schedule.LoadZone(zone)
				if err != nil {
					return Reply{}, Errorf(EINVALID, "%s.", strings.TrimSuffix(capitalize(err.Error()), "."))
				}
				if !s.on || s.rem.Stopped {
					return b.saveZone(ctx, s, loc, now)
				}
				rule := s.rule
				rule.Loc = loc
				args, zoneSet = rule.String(), true
			}
			def := s.loc
			hadZone := s.found && s.rem.Zone != ""
			rd, err := schedule.ParseReminder(args, def)
			if s.on {
				// A change to the reminder there is: what it leaves out
				// (the days, or the time) stays as it was.
				rd, err = schedule.ParseChange(args, s.rule)
			}
			if err != nil {
				return Reply{}, Errorf(EINVALID, "%s.", strings.TrimSuffix(capitalize(err.Error()), "."))
			}
			rule := rd.Rule
			if first := rule.Next(now); !confirmed && s.quiet.Contains(first, rule.Loc) {
				// An odd reading: say so and ask rather than apply it.
				text := fmt.Sprintf("%s is inside your quiet hours (%s), so every nudge would wait until they end, at %s. Set the reminder anyway? (Or change the quiet hours with `remind quiet 23:00-07:00` or `remind quiet off`.)",
					first.In(rule.Loc).Format("15:04"), s.quiet, s.quiet.Push(first, rule.Loc).In(rule.Loc).Format("15:04"))
				return ask("Inside your quiet hours", text, "Yes, set it", Action{ID: remindConfirm, Value: rule.String()}, "", nil), nil
			}
			s.rem.Every, s.rem.Day, s.rem.Minute, s.rem.Zone = rule.Every.String(), rule.Day, rule.Hour*60+rule.Minute, rule.Loc.String()
			s.rem.Stopped, s.rem.Updated = false, now
			if err := b.cfg.Plans.SaveReminder(ctx, s.rem); err != nil {
				return Reply{}, storeUnavailable(err)
			}
			if s, err = b.loadSchedule(ctx, c.User); err != nil {
				return Reply{}, err
			}
			active, err := b.reschedule(ctx, c.User, s, now)
			if err != nil {
				return Reply{}, err
			}
			var sb strings.Builder
			fmt.Fprintf(&sb, "I'll nudge you **%s** (%s).", describeRule(rule), rule.Loc)
			if len(rd.Assumed) > 0 {
				fmt.Fprintf(&sb, " I read it as %s; say it another way to change that, e.g. `remind weekdays at 18:30`.", strings.Join(rd.Assumed, " and "))
			}
			if s.quiet.Contains(rule.Next(now), rule.Loc) {
				fmt.Fprintf(&sb, " That time is inside your quiet hours (%s), so nudges will arrive when they end.", s.quiet)
			}
			if active == 0 {
				sb.WriteString("\n\nYou have no tasks yet: type `plan` and I'll suggest a few for your weakest areas.")
			} else {
				live, err := b.cfg.Plans.LiveNudges(ctx, c.User)
				if err != nil {
					return Reply{}, storeUnavailable(err)
				}
				for _, n := range live {
					if n.Kind == NudgeTask {
						fmt.Fprintf(&sb, "\n\nFirst nudge: **%s** (%s).", formatLocal(n.Due, s.loc, now), b.taskTitle(n.TaskID))
						break
					}
				}
			}
			if !hadZone && rule.Loc == def && def == time.UTC {
				sb.WriteString("\n\nTip: tell me your time zone so nudges come at your local time, e.g. `remind zone Europe/Berlin` or `remind zone new york`.")
			}
			sb.WriteString("\nTurn them off any time with `remind off`.")
			title := "Reminders on"
			if zoneSet {
				title = "Time zone set"
			}
			return Reply{Title: title, Text: sb.String(), Tone: ToneSuccess}, nil
		},
	}
}

func (b *Bot) showReminder(ctx context.Context, u UserRef, s userSchedule, now time.Time) (Reply, error) {
	var sb strings.Builder
	switch {
	case s.rem.Stopped:
		fmt.Fprintf(&sb, "You asked me to stop, so I'm not sending you any nudges. %s turns them back on.", s.restart())
	case !s.on && s.rem.Zone != "":
		fmt.Fprintf(&sb, "Task reminders are off. Turn them on with, for example, `remind daily at 9:00` (in %s, your time zone).", s.loc)
	case !s.on:
		sb.WriteString("Task reminders are off. Turn them on with, for example, `remind daily at 9:00 Europe/Berlin`.")
	default:
		fmt.Fprintf(&sb, "I nudge you **%s** (%s).", describeRule(s.rule), s.loc)
	}
	if s.paused(now) && !s.stopped {
		fmt.Fprintf(&sb, "\n**Paused** until %s; `remind resume` ends the pause now.", formatLocal(s.rem.ResumeAt, s.loc, now))
	}
	fmt.Fprintf(&sb, "\nQuiet hours: %s (change with `remind quiet 23:00-07:00` or `remind quiet off`).", s.quiet)
	live, err := b.cfg.Plans.LiveNudges(ctx, u)
	if err != nil {
		return Reply{}, storeUnavailable(err)
	}
	if len(live) > 0 {
		sb.WriteString("\n\nComing up:")
		for i, n := range live {
			if i == 5 {
				fmt.Fprintf(&sb, "\n- … and %d more", len(live)-5)
				break
			}
			fmt.Fprintf(&sb, "\n- %s: %s", formatLocal(n.Due, s.loc, now), b.nudgeLabel(n))
		}
	}
	return Reply{Title: "Your reminders", Text: sb.String(), Ephemeral: true}, nil
}

// saveZone keeps loc as the zone of a user whose task reminders are off
// or stopped, for the reminder they turn on next.
func (b *Bot) saveZone(ctx context.Context, s userSchedule, loc *time.Location, now time.Time) (Reply, error) {
	s.rem.Zone, s.rem.Updated = loc.String(), now
	if err := b.cfg.Plans.SaveReminder(ctx, s.rem); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	s.loc, s.rule.Loc = loc, loc
	text := fmt.Sprintf("I'll use **%s** for your reminders.", loc)
	if s.rem.Stopped {
		text += fmt.Sprintf(" You asked me to stop, so none are on; %s starts them again.", s.restart())
	} else {
		text += " They're off now: `remind daily at 9:00` turns them on at 09:00 your time."
	}
	return Reply{Title: "Time zone set", Text: text, Tone: ToneSuccess}, nil
}

func (b *Bot) remindOff(ctx context.Context, u UserRef, s userSchedule) (Reply, error) {
	s.rem.Every, s.rem.Updated = "", b.now()
	if err := b.cfg.Plans.SaveReminder(ctx, s.rem); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	n, err := b.cfg.Plans.Reschedule(ctx, u, []string{NudgeTask, NudgeSummary, NudgeSnooze}, "", nil)
	if err != nil {
		return Reply{}, storeUnavailable(err)
	}
	text := "Reminders are off: I won't nudge you about your tasks or send the weekly summary."
	if n > 0 {
		text += fmt.Sprintf(" (%d scheduled %s canceled.)", n, plural(n, "nudge", "nudges"))
	}
	text += "\nYour plan and streaks are kept; `remind daily at 9:00` turns reminders back on, and `stop` silences every message I start on my own."
	return Reply{Title: "Reminders off", Text: text, Tone: ToneSuccess}, nil
}

// pause holds every nudge (task reminders, summaries, re-checks) for a
// while: "remind pause 1 week", "pause reminders for 3 days". Up to 30
// days; longer is what stop and remind off are for.
func (b *Bot) pause(ctx context.Context, u UserRef, s userSchedule, arg string, now time.Time) (Reply, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return Reply{}, Errorf(EINVALID, "For how long? For example `remind pause 1 week` or `remind pause 3 days` (up to 30 days; `remind off` or `stop` turn nudges off until you turn them on).")
	}
	d, err := parsePause(arg)
	var outside *schedule.RangeError
	if errors.Is(err, errPauseTooLong) || errors.As(err, &outside) {
		return Reply{}, Errorf(EINVALID, "I can pause reminders for a minute up to 30 days. For longer, `remind off` turns them off and `remind on` brings them back when you're ready.")
	}
	if err != nil {
		return Reply{}, Errorf(EINVALID, "%s. For example `remind pause 1 week` (up to 30 days).", strings.TrimSuffix(capitalize(err.Error()), "."))
	}
	if s.rem.Stopped {
		return Reply{Text: fmt.Sprintf("You asked me to stop, so I'm not sending you anything to pause. %s starts reminders again.", s.restart()), Ephemeral: true}, nil
	}
	s.rem.ResumeAt, s.rem.Updated = now.Add(d), now
	if err := b.cfg.Plans.SaveReminder(ctx, s.rem); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	if _, err := b.reschedule(ctx, u, s, now); err != nil {
		return Reply{}, err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "No nudges from me until **%s** (%s).", formatLocal(s.rem.ResumeAt, s.loc, now), s.loc)
	live, err := b.cfg.Plans.LiveNudges(ctx, u)
	if err != nil {
		return Reply{}, storeUnavailable(err)
	}
	if len(live) > 0 {
		first := live[0]
		for _, n := range live[1:] {
			if n.Due.Before(first.Due) {
				first = n
			}
		}
		fmt.Fprintf(&sb, " Then they pick up as before; the first is %s: %s.", formatLocal(first.Due, s.loc, now), b.nudgeLabel(first))
	}
	sb.WriteString("\n`remind resume` ends the pause early; `stop` stops every message I send on my own.")
	return Reply{Title: "Reminders paused", Text: sb.String(), Tone: ToneSuccess}, nil
}

// errPauseTooLong is a pause of more than a month.
var errPauseTooLong = errors.New("a pause of more than 30 days")

// parsePause reads how long to pause: what a snooze takes ("3 days", "a
// week", "until next week"), and a month as 30 days.
func parsePause(s string) (time.Duration, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	for _, lead := range []string{"for ", "until ", "till ", "til "} {
		in = strings.TrimPrefix(in, lead)
	}
	if n, unit, ok := strings.Cut(in, " "); ok && (unit == "month" || unit == "months") {
		switch n {
		case "a", "1", "one":
			return 30 * 24 * time.Hour, nil
		}
		return 0, errPauseTooLong
	}
	return schedule.ParseDuration(in)
}

// endPause ends a pause early when there is no reminder time to set again
// (the re-check nudges come back).
func (b *Bot) endPause(ctx context.Context, u UserRef, s userSchedule, now time.Time) error {
	s.rem.ResumeAt, s.rem.Updated = time.Time{}, now
	if err := b.cfg.Plans.SaveReminder(ctx, s.rem); err != nil {
		return storeUnavailable(err)
	}
	_, err := b.reschedule(ctx, u, s, now)
	return err
}

// remindConfirm is the action of a yes to a question remind asked: its
// value is applied as it is, without asking again.
const remindConfirm = "remind:confirm"

// maxQuiet is the longest quiet span taken without asking.
const maxQuiet = 12 * 60

func (b *Bot) setQuiet(ctx context.Context, u UserRef, s userSchedule, arg string, now time.Time, confirmed bool) (Reply, error) {
	if strings.TrimSpace(arg) == "" {
		return Reply{Text: fmt.Sprintf("Your quiet hours are %s. Change them with `remind quiet 23:00-07:00`, or `remind quiet off` for none.", s.quiet), Ephemeral: true}, nil
	}
	q, err := schedule.ParseQuiet(arg)
	if err != nil {
		return Reply{}, Errorf(EINVALID, "%s.", strings.TrimSuffix(capitalize(err.Error()), "."))
	}
	if !confirmed {
		if r, odd := b.oddQuiet(arg, q, s, now); odd {
			return r, nil
		}
	}
	s.rem.Quiet, s.rem.Updated = q.String(), now
	if s.rem.Zone == "" {
		s.rem.Zone = s.loc.String()
	}
	if err := b.cfg.Plans.SaveReminder(ctx, s.rem); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	if s, err = b.loadSchedule(ctx, u); err != nil {
		return Reply{}, err
	}
	if _, err := b.reschedule(ctx, u, s, now); err != nil {
		return Reply{}, err
	}
	if q.Off() {
		return Reply{Text: "Quiet hours are off: nudges come exactly at your reminder time.", Tone: ToneSuccess}, nil
	}
	return Reply{Text: fmt.Sprintf("Quiet hours set to %s (%s). A nudge that falls inside them waits until they end.", q, s.loc), Tone: ToneSuccess}, nil
}

// oddQuiet returns a question instead of applying quiet hours that are
// probably not what the user meant: longer than 12 hours ("9-5" read as
// 09:00-05:00 is 20 hours; 09:00-17:00 is likely meant), or covering the
// reminder time.
func (b *Bot) oddQuiet(arg string, q schedule.Quiet, s userSchedule, now time.Time) (Reply, bool) {
	if q.Off() {
		return Reply{}, false
	}
	span := (q.End - q.Start + 24*60) % (24 * 60)
	if span > maxQuiet {
		text := fmt.Sprintf("`%s` reads as quiet hours %s: %d hours a day with no nudges.", clipRunes(strings.TrimSpace(arg), 40), q, span/60)
		yes := Action{ID: remindConfirm, Value: "quiet " + q.String()}
		label := "Yes, " + q.String()
		if alt, ok := pmReading(arg, q); ok {
			text += fmt.Sprintf(" Did you mean %s? (For nights, type `remind quiet %s`.)", alt, schedule.Quiet{Start: (q.Start + 12*60) % (24 * 60), End: q.End})
			yes, label = Action{ID: remindConfirm, Value: "quiet " + alt.String()}, "Yes, "+alt.String()
		} else {
			text += " Set them anyway?"
		}
		return ask("Quiet hours", text, label, yes, "", nil), true
	}
	if s.on {
		if first := s.rule.Next(now); q.Contains(first, s.loc) {
			text := fmt.Sprintf("Quiet hours %s cover your %s reminder, so every nudge would wait until %s. Set them anyway? (Or move the reminder, e.g. `remind daily at 9:00`.)",
				q, first.In(s.loc).Format("15:04"), q.Push(first, s.loc).In(s.loc).Format("15:04"))
			return ask("Quiet hours", text, "Yes, set them", Action{ID: remindConfirm, Value: "quiet " + q.String()}, "", nil), true
		}
	}
	return Reply{}, false
}

// pmReading returns the quiet hours a span of two bare hours ("9-5") means
// when the second is afternoon (09:00-17:00), if that is 12 hours or less.
func pmReading(arg string, q schedule.Quiet) (schedule.Quiet, bool) {
	a, b, ok := strings.Cut(strings.ReplaceAll(strings.ToLower(arg), " to ", "-"), "-")
	bare := func(s string) bool {
		s = strings.TrimSpace(s)
		return s != "" && len(s) <= 2 && strings.Trim(s, "0123456789") == ""
	}
	if !ok || !bare(a) || !bare(b) || q.End >= 12*60 {
		return schedule.Quiet{}, false
	}
	alt := schedule.Quiet{Start: q.Start, End: q.End + 12*60}
	if span := (alt.End - alt.Start + 24*60) % (24 * 60); span == 0 || span > maxQuiet {
		return schedule.Quiet{}, false
	}
	return alt, true
}

var errNoPlans = Errorf(EUNAVAILABLE, "Plans and reminders need a database, and this bot runs without one. Start it with `--db PATH` (or INFLUBOT_DB) to use them.")

func describeRule(r schedule.Rule) string {
	at := fmt.Sprintf("%02d:%02d", r.Hour, r.Minute)
	switch r.Every {
	case schedule.Weekdays:
		return "on weekdays at " + at
	case schedule.Weekly:
		return "every " + r.Day.String() + " at " + at
	}
	return "every day at " + at
}

// formatLocal shows a time in the user's zone, naming the day when it is
// not today.
func formatLocal(t time.Time, loc *time.Location, now time.Time) string {
	l := t.In(loc)
	switch schedule.DateOf(now, loc).DaysUntil(schedule.DateOf(t, loc)) {
	case 0:
		return "today " + l.Format("15:04")
	case 1:
		return "tomorrow " + l.Format("15:04")
	}
	return l.Format("Mon 2 Jan 15:04")
}

func (b *Bot) taskTitle(id string) string {
	if t, ok := b.cfg.Knowledge.Task(id); ok {
		return t.Title
	}
	return id
}

func (b *Bot) nudgeLabel(n Nudge) string {
	switch n.Kind {
	case NudgeTask:
		return b.taskTitle(n.TaskID)
	case NudgeSnooze:
		return b.taskTitle(n.TaskID) + " (snoozed)"
	case NudgeSummary:
		return "weekly summary"
	case NudgeRecheck:
		return "time to re-check your numbers"
	case NudgeReady:
		return "ready to reapply"
	case NudgeDate:
		if n.TaskID == "" {
			return "your one-off reminder"
		}
		return "one-off reminder: " + n.TaskID
	}
	return n.Kind
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// remindPrompt asks when to nudge, with the usual times as buttons.
func remindPrompt() Reply {
	return Reply{
		Text:    "When should I nudge you about your tasks? Pick one below, or say it in your words, for example `remind daily at 9:00 Europe/Berlin`.",
		Buttons: reminderChoices(),
	}
}
