package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/influbot/influbot/bot/schedule"
)

// One-off reminders: "remind me to reapply in 30 days", "remind me in 2
// weeks", "remind me on jan 5 to reapply". Task nudges repeat on the
// user's rhythm; this is one message on one day, at the user's reminder
// time in their zone (10:00 without one), out of quiet hours. It is a row
// of the nudge schedule like any other (kind NudgeDate, what to be
// reminded of in TaskID), so it survives restarts, shows under
// `reminders`, and `stop` silences it.

// NudgeDate is a one-off reminder on a day the user asked for; its TaskID
// holds what it is about ("reapply"), in the user's words.
const NudgeDate = "date"

// maxOnceNote bounds what a one-off reminder keeps of the user's words.
const maxOnceNote = 80

// maxOnceDays is the furthest ahead a one-off reminder may be set.
const maxOnceDays = 366

var (
	// remindOnce reads the request from normalized text: an optional
	// polite lead, "remind me", what about (before or after the day) and
	// when.
	remindOnce = mustPattern(`^(?:(?:can|could|will|would) (?:you|u) |please |pls |plz |hey |hi |yo |ok |okay |also )*remind me (?:(?:to|about|that i should|that i need to) (.+?) )?` +
		`(in (?:a|an|one|two|three|four|five|six|seven|ten|\d{1,3}) (?:days?|weeks?|months?)|tomorrow|next (?:week|month)|on \d{4}-\d{2}-\d{2}|on [a-z]{3,9} \d{1,2}(?:st|nd|rd|th)?|(?:on |next |this |on next )?` + weekdayNames + `)` +
		`(?: at (\d{1,2})(?::(\d{2}))? ?(am|pm)?)?(?: (?:to|about|that i should|that i need to) (.+?))?(?: please| pls| plz| thanks| thank you)?$`)
	// recurring marks a reminder that repeats: "every monday", "daily",
	// "weekdays", "monday to friday".
	recurring = mustPattern(`\b(?:every|each|daily|weekly|weekdays|weekends)\b|` + weekdayNames + `\s+(?:to|through|thru|till|until|and)\s+` + weekdayNames)
	// weekdayPart is the day of "next friday", "on tue".
	weekdayPart = mustPattern(`(?:on |next |this |on next )?(` + weekdayNames + `)$`)
	// onMonthDay is "on jan 5th".
	onMonthDay = mustPattern(`^on ([a-z]{3,9}) (\d{1,2})(?:st|nd|rd|th)?$`)
)

// weekdayNames are the days a one-off reminder may name.
const weekdayNames = `(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)`

var weekdays = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

var smallCounts = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}

// onceDate is the local date a one-off reminder's "when" names, from
// today; ok is false for a date that does not exist, is past, or is more
// than maxOnceDays ahead.
func onceDate(when string, today schedule.Date) (schedule.Date, bool) {
	var d schedule.Date
	switch {
	case when == "tomorrow":
		d = today.AddDays(1)
	case when == "next week":
		d = today.AddDays(7)
	case when == "next month":
		d = addMonths(today, 1)
	case strings.HasPrefix(when, "in "):
		f := strings.Fields(when) // in N unit
		n, ok := smallCounts[f[1]]
		if !ok {
			v, err := strconv.Atoi(f[1])
			if err != nil {
				return d, false
			}
			n = v
		}
		switch strings.TrimSuffix(f[2], "s") {
		case "day":
			d = today.AddDays(n)
		case "week":
			d = today.AddDays(7 * n)
		case "month":
			d = addMonths(today, n)
		}
	case weekdayPart.MatchString(when):
		// "next friday", "on tue": the coming one, a week on when it
		// is today.
		day := weekdays[weekdayPart.FindStringSubmatch(when)[1][:3]]
		d = today.AddDays(1)
		for d.Weekday() != day {
			d = d.AddDays(1)
		}
	case strings.HasPrefix(when, "on "):
		if t, err := time.Parse("2006-01-02", strings.TrimPrefix(when, "on ")); err == nil {
			d = schedule.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
			break
		}
		m := onMonthDay.FindStringSubmatch(when)
		if m == nil {
			return d, false
		}
		month, ok := monthNamed(m[1])
		day, _ := strconv.Atoi(m[2])
		if !ok || day < 1 || day > daysIn(today.Year, month) {
			return d, false
		}
		d = schedule.Date{Year: today.Year, Month: month, Day: day}
		if d.Before(today.AddDays(1)) {
			d.Year++ // "on jan 5" in December is next year's
			if d.Day > daysIn(d.Year, d.Month) {
				return d, false // 29 February, asked in a year whose next has none
			}
		}
	}
	if d == (schedule.Date{}) || !today.Before(d) || today.DaysUntil(d) > maxOnceDays {
		return d, false
	}
	return d, true
}

// addMonths is the same day n months on, or the month's last day when it
// is shorter (31 January + 1 month is 28 or 29 February).
func addMonths(d schedule.Date, n int) schedule.Date {
	y, m := d.Year, int(d.Month)-1+n
	y, m = y+m/12, m%12
	month := time.Month(m + 1)
	return schedule.Date{Year: y, Month: month, Day: min(d.Day, daysIn(y, month))}
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func monthNamed(s string) (time.Month, bool) {
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if s == name || len(s) >= 3 && strings.HasPrefix(name, s) || s == "sept" && m == time.September {
			return m, true
		}
	}
	return 0, false
}

// remindOnceAsked sets a one-off reminder when msg asks for one; ok is
// false when it does not.
func (b *Bot) remindOnceAsked(ctx context.Context, t *turn, msg *reading) (Reply, bool, error) {
	if !strings.Contains(msg.norm, "remind me") {
		return Reply{}, false, nil
	}
	if recurring.MatchString(msg.norm) {
		return Reply{}, false, nil // "every monday", "monday to friday": the regular nudges
	}
	m := remindOnce.FindStringSubmatch(strings.TrimSpace(msg.norm))
	if m == nil {
		return Reply{}, false, nil
	}
	note := strings.TrimSpace(m[1] + " " + m[6])
	if b.cfg.Plans == nil {
		return Reply{}, false, nil
	}
	at := -1 // minutes after midnight, or the reminder time
	if m[3] != "" {
		h, _ := strconv.Atoi(m[3])
		mins, _ := strconv.Atoi(m[4])
		if h > 23 || mins > 59 || m[5] != "" && (h < 1 || h > 12) {
			return Reply{}, false, nil // "at 25", "at 13pm": not a time
		}
		switch {
		case m[5] == "pm" && h < 12:
			h += 12
		case m[5] == "am" && h == 12:
			h = 0
		}
		at = h*60 + mins
	}
	ev := t.call.Event
	ev.Kind, ev.Command = EventCommand, "remind"
	r, err := b.remindOnce(ctx, t.call.User, note, m[2], at)
	return r, true, err
}

// remindOnce schedules the one-off reminder of note on the day when names,
// at minute of the day at (the reminder time when -1).
func (b *Bot) remindOnce(ctx context.Context, u UserRef, note, when string, at int) (Reply, error) {
	s, err := b.loadSchedule(ctx, u)
	if err != nil {
		return Reply{}, err
	}
	if s.rem.Stopped {
		return Reply{}, Errorf(EINVALID, "You asked me to stop messaging you, so I can't send a reminder. `remind daily at 9:00` turns messages back on; then ask again.")
	}
	now := b.now()
	day, ok := onceDate(when, schedule.DateOf(now, s.loc))
	if !ok {
		return Reply{}, Errorf(EINVALID, "I can set a one-off reminder for a day from tomorrow up to a year ahead, like `remind me to reapply in 30 days` or `remind me on %s to reapply`; “%s” isn't one I can use.",
			schedule.DateOf(now, s.loc).AddDays(30), strings.TrimPrefix(when, "on "))
	}
	if len([]rune(note)) > maxOnceNote {
		note = string([]rune(note)[:maxOnceNote-1]) + "…"
	}
	r := s.milestoneRule()
	if at >= 0 {
		r.Hour, r.Minute = at/60, at%60
	}
	slot := day.At(r.Hour, r.Minute, s.loc)
	due := s.quiet.Push(slot, s.loc)
	n := Nudge{User: u, Kind: NudgeDate, TaskID: note, Slot: slot, Due: due, Status: NudgePending, Key: newKey()}
	if _, err := b.cfg.Plans.Enqueue(ctx, n); err != nil {
		return Reply{}, storeUnavailable(err)
	}
	what := "reminder"
	if note != "" {
		what = "reminder to " + note
	}
	text := fmt.Sprintf("Done: I'll send you a %s on **%s** (%s).", what, due.In(s.loc).Format("Monday 2 January 2006 at 15:04"), s.loc)
	if mentionsReapply(note) {
		text += " Before you reapply, run a quick `check` with your numbers then, so you know the gaps are closed."
	}
	if (!s.found || s.rem.Zone == "") && s.loc == time.UTC {
		text += "\nTip: tell me your time zone so it comes at your local time, e.g. `remind zone new york`."
	}
	text += "\n`reminders` shows what's coming up; `stop` silences every reminder."
	if s.paused(due) {
		text += fmt.Sprintf("\nYour reminders are paused until %s: it will come when the pause ends.", formatLocal(s.rem.ResumeAt, s.loc, now))
	}
	return Reply{Title: "Reminder set", Text: text, Tone: ToneSuccess}, nil
}

func mentionsReapply(note string) bool {
	for _, w := range strings.Fields(note) {
		if w == "reapply" || w == "re-apply" || w == "apply" {
			return true
		}
	}
	return false
}

// dateMessage is what a one-off reminder says when it is due.
func dateMessage(n Nudge, loc *time.Location) Reply {
	asked := "you asked me for"
	if !n.CreatedAt.IsZero() {
		asked += " on " + n.CreatedAt.In(loc).Format("2 January")
	}
	if n.TaskID == "" {
		return Reply{Title: "Your reminder", Text: "⏰ Here's the reminder " + asked + "."}
	}
	text := fmt.Sprintf("⏰ The reminder %s: **%s**.", asked, n.TaskID)
	if mentionsReapply(n.TaskID) {
		text += " Before you do, run a quick `check` with your current numbers to see whether the gaps are closed."
	}
	return Reply{Title: "Your reminder", Text: text}
}
