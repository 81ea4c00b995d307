// Package schedule is the calendar arithmetic behind reminders: the next
// local time of a daily, weekday or weekly reminder in an IANA time zone,
// with daylight-saving gaps and overlaps resolved the same way every time,
// quiet hours, task rhythms and the parsing of what users type ("weekly
// monday at 9am Europe/Berlin", "snooze 2h").
//
// Everything here is pure: times in, times out. The caller supplies "now".
package schedule

import (
	"errors"
	"fmt"
	"time"
)

// Every is how often a reminder repeats.
type Every int

// Repeats.
const (
	Daily    Every = iota + 1 // every day
	Weekdays                  // Monday to Friday
	Weekly                    // one day a week (Rule.Day)
)

func (e Every) String() string {
	switch e {
	case Daily:
		return "daily"
	case Weekdays:
		return "weekdays"
	case Weekly:
		return "weekly"
	}
	return fmt.Sprintf("Every(%d)", int(e))
}

// ParseEvery parses "daily", "weekdays" or "weekly".
func ParseEvery(s string) (Every, error) {
	switch s {
	case "daily":
		return Daily, nil
	case "weekdays":
		return Weekdays, nil
	case "weekly":
		return Weekly, nil
	}
	return 0, fmt.Errorf("repeat %q: use daily, weekdays or weekly", s)
}

// Rule is a reminder: a wall-clock time on some days in a time zone.
type Rule struct {
	Every  Every
	Day    time.Weekday // the day of a Weekly rule
	Hour   int          // 0-23, local
	Minute int          // 0-59, local
	Loc    *time.Location
}

// Validate reports a rule that cannot produce times.
func (r Rule) Validate() error {
	switch {
	case r.Every < Daily || r.Every > Weekly:
		return errors.New("schedule: rule has no repeat")
	case r.Day < time.Sunday || r.Day > time.Saturday:
		return errors.New("schedule: rule has no valid weekday")
	case r.Hour < 0 || r.Hour > 23 || r.Minute < 0 || r.Minute > 59:
		return fmt.Errorf("schedule: %02d:%02d is not a time of day", r.Hour, r.Minute)
	case r.Loc == nil:
		return errors.New("schedule: rule has no time zone")
	}
	return nil
}

// String describes the rule as a user would type it:
// "weekly monday at 09:00 Europe/Berlin".
func (r Rule) String() string {
	s := r.Every.String()
	if r.Every == Weekly {
		s += " " + lowerDay(r.Day)
	}
	zone := "UTC"
	if r.Loc != nil {
		zone = r.Loc.String()
	}
	return fmt.Sprintf("%s at %02d:%02d %s", s, r.Hour, r.Minute, zone)
}

// OnDay reports whether the rule fires on a day with weekday wd.
func (r Rule) OnDay(wd time.Weekday) bool {
	switch r.Every {
	case Daily:
		return true
	case Weekdays:
		return wd != time.Saturday && wd != time.Sunday
	case Weekly:
		return wd == r.Day
	}
	return false
}

// Next returns the first time the rule fires strictly after after. A
// reminder set for a wall time that does not exist that day (the hour
// skipped when clocks go forward) fires at the instant the clocks jump; one
// set for a wall time that happens twice (clocks go back) fires once, at
// the first. A date the zone skipped altogether (Samoa's 30 December
// 2011) has no firing.
func (r Rule) Next(after time.Time) time.Time {
	d := DateOf(after, r.Loc)
	for i := 0; i < 10; i++ {
		day := d.AddDays(i)
		if !r.OnDay(day.Weekday()) {
			continue
		}
		t := day.At(r.Hour, r.Minute, r.Loc)
		if DateOf(t, r.Loc) != day {
			continue // the whole day was skipped
		}
		if t.After(after) {
			return t
		}
	}
	// Unreachable for a valid rule: every rule fires at least weekly.
	return after.Add(7 * 24 * time.Hour)
}

// NextOnOrAfter returns the first firing on a local date no earlier than
// from and strictly after after.
func (r Rule) NextOnOrAfter(from Date, after time.Time) time.Time {
	t := r.Next(after)
	for i := 0; i < 400 && DateOf(t, r.Loc).Before(from); i++ {
		t = r.Next(t)
	}
	return t
}

// Date is a calendar date without a time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the local date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date {
	y, m, dd := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC).Date()
	return Date{y, m, dd}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Before reports whether d is an earlier date than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// DaysUntil returns the number of days from d to e (negative when e is
// earlier).
func (d Date) DaysUntil(e Date) int {
	a := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(e.Year, e.Month, e.Day, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Round(24*time.Hour) / (24 * time.Hour))
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// At returns the instant the wall clock in loc shows hour:minute on d. A
// wall time inside a daylight-saving gap resolves to the instant the clocks
// jumped (so "02:30" on the night clocks skip from 02:00 to 03:00 is 03:00);
// a wall time that happens twice resolves to the first.
func (d Date) At(hour, minute int, loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, loc)
	want := time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, time.UTC)
	got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	if !got.Equal(want) {
		// A gap. t is in the zone before or after the jump; the jump
		// itself is that zone's end or start.
		start, end := t.ZoneBounds()
		if got.After(want) {
			return start
		}
		return end
	}
	start, _ := t.ZoneBounds()
	if !start.IsZero() {
		_, off := t.Zone()
		_, prevOff := start.Add(-time.Second).Zone()
		if prevOff > off {
			// Clocks went back at start: the same wall time may also
			// have happened before, in the earlier zone.
			if e := t.Add(-time.Duration(prevOff-off) * time.Second); e.Before(start) {
				return e
			}
		}
	}
	return t
}

// Quiet is a daily span of local time during which no nudge is sent, from
// Start to End minutes after midnight; it may wrap past midnight
// (22:00-08:00). Start == End means no quiet hours.
type Quiet struct {
	Start, End int
}

// DefaultQuiet is 22:00-08:00.
var DefaultQuiet = Quiet{Start: 22 * 60, End: 8 * 60}

// Off reports whether there are no quiet hours.
func (q Quiet) Off() bool { return q.Start == q.End }

// Validate reports minutes outside a day.
func (q Quiet) Validate() error {
	if q.Start < 0 || q.Start >= 24*60 || q.End < 0 || q.End >= 24*60 {
		return fmt.Errorf("schedule: quiet hours %d-%d are outside a day", q.Start, q.End)
	}
	return nil
}

func (q Quiet) String() string {
	if q.Off() {
		return "off"
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", q.Start/60, q.Start%60, q.End/60, q.End%60)
}

// Contains reports whether t (read in loc) falls in the quiet hours.
func (q Quiet) Contains(t time.Time, loc *time.Location) bool {
	if q.Off() {
		return false
	}
	l := t.In(loc)
	m := l.Hour()*60 + l.Minute()
	if q.Start < q.End {
		return m >= q.Start && m < q.End
	}
	return m >= q.Start || m < q.End
}

// Push returns t, or the end of the quiet hours when t falls inside them.
func (q Quiet) Push(t time.Time, loc *time.Location) time.Time {
	if !q.Contains(t, loc) {
		return t
	}
	l := t.In(loc)
	d := DateOf(t, loc)
	if q.Start > q.End && l.Hour()*60+l.Minute() >= q.Start {
		d = d.AddDays(1) // wrapped: quiet ends tomorrow morning
	}
	end := d.At(q.End/60, q.End%60, loc)
	if !end.After(t) {
		return t
	}
	return end
}

// Rhythm is how often a task is meant to be done; it decides which of a
// reminder's firings nudge about the task.
type Rhythm string

// Rhythms (the values of knowledge.Task.Rhythm).
const (
	RhythmDaily    Rhythm = "daily"
	Rhythm3xWeek   Rhythm = "3x-week"
	RhythmWeekly   Rhythm = "weekly"
	RhythmOnce     Rhythm = "once"
	maxLookAhead          = 400
	minSnooze             = time.Minute
	maxSnooze             = 30 * 24 * time.Hour
	maxZoneNameLen        = 64
)

// GapDays is the least number of local days between two nudges about a
// task of this rhythm: 1 for daily, 2 for three times a week (so its three
// days stay spread), 7 for weekly, and 7 for a one-off task that is not
// done yet (it is nudged once a week until it is).
func (rh Rhythm) GapDays() int {
	switch rh {
	case Rhythm3xWeek:
		return 2
	case RhythmWeekly, RhythmOnce:
		return 7
	}
	return 1
}

// OnDay reports whether a task of this rhythm is nudged on a day with
// weekday wd under reminder r. A 3x-a-week task is nudged on Monday,
// Wednesday and Friday of the user's week, unless the reminder itself
// fires on one day a week (then on that day).
func (rh Rhythm) OnDay(r Rule, wd time.Weekday) bool {
	if rh == Rhythm3xWeek && r.Every != Weekly {
		return wd == time.Monday || wd == time.Wednesday || wd == time.Friday
	}
	return true
}

// NextNudge returns the next nudge about a task of rhythm rh under
// reminder r with quiet hours q: slot is the reminder's firing and due the
// same moved out of quiet hours. It is the first firing on one of the
// rhythm's days whose due time is after after and falls on a local date at
// least GapDays after last: the local date the task was last nudged, done
// or skipped (the zero Date means never). Counting from due dates (when a
// nudge goes out, not its firing) keeps one nudge per local date even when
// quiet hours move a firing to the next morning.
//
// It is also the catch-up rule: after downtime the dispatcher sends the one
// overdue nudge, that send becomes last, and the next one follows the
// rhythm from it; a missed week is one nudge, never seven.
func NextNudge(r Rule, rh Rhythm, last Date, after time.Time, q Quiet) (slot, due time.Time) {
	t := r.Next(after)
	var from Date
	if last != (Date{}) {
		from = last.AddDays(rh.GapDays())
	}
	for i := 0; i < maxLookAhead; i++ {
		d := DateOf(t, r.Loc)
		if rh.OnDay(r, d.Weekday()) {
			due := q.Push(t, r.Loc)
			if due.After(after) && (from == (Date{}) || !DateOf(due, r.Loc).Before(from)) {
				return t, due
			}
		}
		t = r.Next(t)
	}
	return t, q.Push(t, r.Loc)
}
