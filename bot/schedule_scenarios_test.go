package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/schedule"
)

// Task ids of the shipped catalog, one per rhythm.
const (
	dailyTask  = "reply-to-comments" // daily
	threeTask  = "post-today"        // 3x-week
	weeklyTask = "content-calendar"  // weekly
	onceTask   = "define-niche"      // once
)

// give puts tasks straight into u's plan, as `plan accept` would.
func (e *planEnv) give(u bot.UserRef, ids ...string) {
	e.t.Helper()
	for _, id := range ids {
		if err := e.db.SaveTask(context.Background(), bot.TaskState{User: u, TaskID: id, Status: bot.TaskActive,
			Criterion: "engagement", Reason: "engagement: 0.8% of followers", AcceptedAt: e.clk.Now()}); err != nil {
			e.t.Fatal(err)
		}
	}
}

// say sends a line and fails the test unless the reply's title or text
// contains want.
func (e *planEnv) say(u bot.UserRef, line, want string) bot.Reply {
	e.t.Helper()
	r := e.as(u).Say(line)
	if !strings.Contains(r.Title+" "+r.Text, want) {
		e.t.Fatalf("%q: got %q %s, want %q in it", line, r.Title, r.Text, want)
	}
	return r
}

func (e *planEnv) title(id string) string {
	t, ok := e.bot.Knowledge().Task(id)
	if !ok {
		e.t.Fatalf("no task %q", id)
	}
	return "Time for: " + t.Title
}

// sends returns when the nudges about a task went out, in loc.
func (e *planEnv) sends(id string, loc *time.Location) []time.Time {
	var out []time.Time
	for _, d := range e.note.deliveries() {
		if d.Reply.Title == e.title(id) {
			out = append(out, d.At.In(loc))
		}
	}
	return out
}

func stamps(ts []time.Time) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Format("Mon 02 Jan 15:04 MST"))
	}
	return strings.Join(s, ", ")
}

// perDate counts sends per local date.
func perDate(ts []time.Time, loc *time.Location) map[schedule.Date]int {
	m := map[schedule.Date]int{}
	for _, t := range ts {
		m[schedule.DateOf(t, loc)]++
	}
	return m
}

// TestSettingsChangesKeepRhythms: after a weekly and a 3x-a-week task were
// nudged on Monday, a settings change on Monday must not nudge them again
// on Tuesday (issue 16, finding 1).
func TestSettingsChangesKeepRhythms(t *testing.T) {
	changes := []struct {
		name string
		do   func(e *planEnv)
	}{
		{"remind quiet 23:00-07:00", func(e *planEnv) { e.say(maya, "remind quiet 23:00-07:00", "Quiet hours set") }},
		{"the same remind daily at 9:00 UTC again", func(e *planEnv) { e.say(maya, "remind daily at 9:00 UTC", "Reminders on") }},
		{"plan accept 1", func(e *planEnv) {
			e.saveCheck(maya, "instagram", map[string]string{"followers": "fail", "engagement": "fail", "cadence": "warn"})
			e.say(maya, "plan", "Your plan")
			e.say(maya, "plan accept 1", "Added")
		}},
	}
	for _, c := range changes {
		t.Run("after "+c.name+" the weekly task waits a week and the 3x task two days", func(t *testing.T) {
			// Sunday 1 June 2025, noon.
			e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
			e.give(maya, weeklyTask, threeTask)
			e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
			monday := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
			e.runUntil(monday, nil)
			if n := len(e.sends(weeklyTask, time.UTC)); n != 1 {
				t.Fatalf("weekly task nudged %d times by Monday noon, want 1", n)
			}
			c.do(e)
			e.runUntil(time.Date(2025, 6, 8, 23, 0, 0, 0, time.UTC), nil) // to Sunday night
			if got := e.sends(weeklyTask, time.UTC); len(got) != 1 {
				t.Errorf("weekly task nudged at %s; want only Monday", stamps(got))
			}
			for _, at := range e.sends(threeTask, time.UTC) {
				if at.Weekday() == time.Tuesday {
					t.Errorf("3x task nudged on Tuesday (%s) after Monday's nudge: %s", at.Format("02 Jan 15:04"), stamps(e.sends(threeTask, time.UTC)))
				}
			}
		})
	}
}

// TestZoneMovesKeepOneNudgePerLocalDate moves a creator between Los
// Angeles and Tokyo with a daily task: never two nudges on one local date,
// never a local date without one (issue 16, finding 1).
func TestZoneMovesKeepOneNudgePerLocalDate(t *testing.T) {
	la, tokyo := mustZone(t, "America/Los_Angeles"), mustZone(t, "Asia/Tokyo")
	tests := []struct {
		name     string
		from, to string
		toLoc    *time.Location
		moveAt   time.Time // after the first nudge in the old zone
	}{
		{"Los Angeles to Tokyo at noon", "America/Los_Angeles", "Asia/Tokyo", tokyo, time.Date(2025, 6, 2, 12, 0, 0, 0, la)},
		{"Tokyo to Los Angeles in the morning", "Asia/Tokyo", "America/Los_Angeles", la, time.Date(2025, 6, 3, 10, 0, 0, 0, tokyo)},
		{"Tokyo to Los Angeles early in the Tokyo morning, before its nudge", "Asia/Tokyo", "America/Los_Angeles", la, time.Date(2025, 6, 3, 6, 0, 0, 0, tokyo)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
			e.give(maya, dailyTask)
			e.say(maya, "remind daily at 9:00 "+tt.from, "Reminders on")
			e.runUntil(tt.moveAt, nil)
			e.say(maya, "remind daily at 9:00 "+tt.to, "Reminders on")
			e.runUntil(tt.moveAt.Add(6*24*time.Hour), nil)
			got := e.sends(dailyTask, tt.toLoc)
			days := perDate(got, tt.toLoc)
			for d, n := range days {
				if n > 1 {
					t.Errorf("%d nudges on %s in %s: %s", n, d, tt.toLoc, stamps(got))
				}
			}
			first, last := schedule.DateOf(got[0], tt.toLoc), schedule.DateOf(got[len(got)-1], tt.toLoc)
			for d := first; d.Before(last); d = d.AddDays(1) {
				if days[d] == 0 {
					t.Errorf("no nudge on %s in %s: %s", d, tt.toLoc, stamps(got))
				}
			}
		})
	}
}

// TestCatchUpCountsFromTheSend: after downtime the one catch-up nudge is
// that day's nudge; the next comes a rhythm later (issue 16, finding 2).
func TestCatchUpCountsFromTheSend(t *testing.T) {
	t.Run("a restart at 08:30 before a 09:00 reminder sends once that day", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		e.give(maya, dailyTask)
		e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
		e.runUntil(time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC), nil)
		e.clk.Set(time.Date(2025, 6, 5, 8, 30, 0, 0, time.UTC)) // three days down
		e.runUntil(time.Date(2025, 6, 7, 12, 0, 0, 0, time.UTC), nil)
		got := e.sends(dailyTask, time.UTC)
		want := "Mon 02 Jun 09:00 UTC, Thu 05 Jun 08:30 UTC, Fri 06 Jun 09:00 UTC, Sat 07 Jun 09:00 UTC"
		if stamps(got) != want {
			t.Errorf("sends %s\nwant      %s", stamps(got), want)
		}
	})
	t.Run("a restart at 03:00 inside quiet hours sends at 08:00 and not again at 09:00", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		e.give(maya, dailyTask)
		e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
		e.runUntil(time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC), nil)
		e.clk.Set(time.Date(2025, 6, 5, 3, 0, 0, 0, time.UTC))
		e.runUntil(time.Date(2025, 6, 6, 12, 0, 0, 0, time.UTC), nil)
		want := "Mon 02 Jun 09:00 UTC, Thu 05 Jun 08:00 UTC, Fri 06 Jun 09:00 UTC"
		if got := stamps(e.sends(dailyTask, time.UTC)); got != want {
			t.Errorf("sends %s\nwant      %s", got, want)
		}
	})
	t.Run("a 3x-a-week task caught up on Friday at 10:00 is not nudged on Saturday", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		e.give(maya, threeTask)
		e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
		e.runUntil(time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC), nil) // Tuesday
		e.clk.Set(time.Date(2025, 6, 6, 10, 0, 0, 0, time.UTC))       // down until Friday 10:00
		e.runUntil(time.Date(2025, 6, 8, 23, 0, 0, 0, time.UTC), nil)
		for _, at := range e.sends(threeTask, time.UTC) {
			if at.Weekday() == time.Saturday || at.Weekday() == time.Sunday {
				t.Errorf("nudged on %s after Friday's catch-up: %s", at.Weekday(), stamps(e.sends(threeTask, time.UTC)))
			}
		}
	})
}

// TestSnoozeKeepsTheDaysNudge: a snooze moves one nudge and never eats the
// next day's (issue 16, finding 2).
func TestSnoozeKeepsTheDaysNudge(t *testing.T) {
	t.Run("snooze 2h at 23:05 lands at 01:05 and that day's 23:00 nudge still comes", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		e.give(maya, dailyTask)
		e.say(maya, "remind quiet off", "Quiet hours are off")
		e.say(maya, "remind daily at 23:00 UTC", "Reminders on")
		e.runUntil(time.Date(2025, 6, 2, 23, 5, 0, 0, time.UTC), nil)
		e.say(maya, "snooze 1 2h", "Snoozed")
		e.runUntil(time.Date(2025, 6, 4, 12, 0, 0, 0, time.UTC), nil)
		want := "Sun 01 Jun 23:00 UTC, Mon 02 Jun 23:00 UTC, Tue 03 Jun 01:05 UTC, Tue 03 Jun 23:00 UTC"
		if got := stamps(e.sends(dailyTask, time.UTC)); got != want {
			t.Errorf("sends %s\nwant      %s", got, want)
		}
	})
	t.Run("a snooze that lands at the end of quiet hours keeps that day's evening nudge", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		e.give(maya, dailyTask)
		e.say(maya, "remind daily at 21:00 UTC", "Reminders on") // quiet hours 22:00-08:00
		e.runUntil(time.Date(2025, 6, 2, 21, 5, 0, 0, time.UTC), nil)
		e.say(maya, "snooze 1 2h", "Snoozed")
		e.runUntil(time.Date(2025, 6, 4, 12, 0, 0, 0, time.UTC), nil)
		want := "Sun 01 Jun 21:00 UTC, Mon 02 Jun 21:00 UTC, Tue 03 Jun 08:00 UTC, Tue 03 Jun 21:00 UTC"
		if got := stamps(e.sends(dailyTask, time.UTC)); got != want {
			t.Errorf("sends %s\nwant      %s", got, want)
		}
	})
}

// TestSamoaSkippedDay: Samoa skipped 30 December 2011; the 09:00 nudges of
// the days around it all go out (issue 16, finding 2).
func TestSamoaSkippedDay(t *testing.T) {
	apia := mustZone(t, "Pacific/Apia")
	e := newPlanEnv(t, time.Date(2011, 12, 27, 12, 0, 0, 0, apia))
	e.give(maya, dailyTask)
	e.say(maya, "remind daily at 9:00 Pacific/Apia", "Reminders on")
	e.runUntil(time.Date(2012, 1, 2, 12, 0, 0, 0, apia), nil)
	var got []string
	for _, at := range e.sends(dailyTask, apia) {
		got = append(got, at.Format("02 Jan 15:04"))
	}
	want := "28 Dec 09:00, 29 Dec 09:00, 31 Dec 09:00, 01 Jan 09:00, 02 Jan 09:00"
	if strings.Join(got, ", ") != want {
		t.Errorf("sends %s\nwant  %s", strings.Join(got, ", "), want)
	}
}

// TestRecheckFollowsTheUsersZone: the re-check is scheduled in the user's
// zone at their reminder time, and moves when the reminder or zone does
// (issue 16, finding 3; issue 17).
func TestRecheckFollowsTheUsersZone(t *testing.T) {
	recheck := func(e *planEnv) bot.Nudge {
		e.t.Helper()
		live, err := e.db.LiveNudges(context.Background(), theo)
		if err != nil {
			e.t.Fatal(err)
		}
		var found []bot.Nudge
		for _, n := range live {
			if n.Kind == bot.NudgeRecheck {
				found = append(found, n)
			}
		}
		if len(found) != 1 {
			e.t.Fatalf("%d live re-check nudges, want 1", len(found))
		}
		return found[0]
	}
	t.Run("plan accept before remind, then a New York reminder: the re-check comes at 09:00 New York", func(t *testing.T) {
		ny := mustZone(t, "America/New_York")
		e := newPlanEnv(t, time.Date(2025, 6, 2, 15, 0, 0, 0, time.UTC))
		e.saveCheck(theo, "instagram", map[string]string{"followers": "fail", "engagement": "fail", "cadence": "warn"})
		e.say(theo, "plan", "Your plan")
		e.say(theo, "plan accept", "Plan started")
		e.say(theo, "remind daily at 9:00 America/New_York", "Reminders on")
		n := recheck(e)
		if got := n.Due.In(ny).Format("15:04"); got != "09:00" {
			t.Errorf("re-check due %s New York time, want 09:00", n.Due.In(ny))
		}
		if d := n.Due.Sub(e.clk.Now()); d < 27*24*time.Hour || d > 29*24*time.Hour {
			t.Errorf("re-check due in %s, want about four weeks", d)
		}
	})
	t.Run("a Berlin user moving to Los Angeles gets the re-check at 09:00 Los Angeles", func(t *testing.T) {
		la := mustZone(t, "America/Los_Angeles")
		e := newPlanEnv(t, time.Date(2025, 6, 2, 15, 0, 0, 0, time.UTC))
		e.saveCheck(theo, "instagram", map[string]string{"followers": "fail", "engagement": "fail", "cadence": "warn"})
		e.say(theo, "remind daily at 9:00 Europe/Berlin", "Reminders on")
		e.say(theo, "plan", "Your plan")
		e.say(theo, "plan accept", "Plan started")
		before := recheck(e).Due
		e.clk.Add(3 * 24 * time.Hour)
		e.say(theo, "remind daily at 9:00 America/Los_Angeles", "Reminders on")
		n := recheck(e)
		if got := n.Due.In(la).Format("15:04"); got != "09:00" {
			t.Errorf("re-check due %s Los Angeles time, want 09:00", n.Due.In(la))
		}
		if d := n.Due.Sub(before); d < 0 || d > 24*time.Hour {
			t.Errorf("re-check moved by %s, want the same date in the new zone (within a day)", d)
		}
		e.runUntil(n.Due.Add(time.Hour), nil)
		for _, d := range e.note.deliveries() {
			if strings.HasPrefix(d.Reply.Title, "Time to re-check") && d.At.In(la).Format("15:04") != "09:00" {
				t.Errorf("re-check sent at %s", d.At.In(la))
			}
		}
	})
}

// TestThreeTimesAWeekIsThreeSpreadDays: under a daily reminder a 3x-a-week
// task is nudged on three distinct, spread days a week (issue 16,
// finding 4).
func TestThreeTimesAWeekIsThreeSpreadDays(t *testing.T) {
	e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)) // a Sunday
	e.give(maya, threeTask)
	e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
	e.runUntil(time.Date(2025, 6, 29, 12, 0, 0, 0, time.UTC), nil) // four weeks
	got := e.sends(threeTask, time.UTC)
	if len(got) != 12 {
		t.Errorf("%d nudges in 4 weeks, want 12: %s", len(got), stamps(got))
	}
	for i := 1; i < len(got); i++ {
		if gap := schedule.DateOf(got[i-1], time.UTC).DaysUntil(schedule.DateOf(got[i], time.UTC)); gap < 2 {
			t.Errorf("nudges %d days apart: %s and %s", gap, got[i-1], got[i])
		}
	}
}

// TestHeldOutShapes covers the shapes the issue says held-out scenarios
// take: settings changes mid-week, downtime before and after the reminder
// time, snoozes across midnight, re-check and summary in far zones, zone
// moves east and west.
func TestHeldOutShapes(t *testing.T) {
	t.Run("downtime ending just before the reminder time loses nothing and doubles nothing", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		e.give(maya, dailyTask)
		e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
		e.runUntil(time.Date(2025, 6, 2, 20, 0, 0, 0, time.UTC), nil)
		e.clk.Set(time.Date(2025, 6, 3, 8, 59, 0, 0, time.UTC)) // down overnight
		e.runUntil(time.Date(2025, 6, 4, 12, 0, 0, 0, time.UTC), nil)
		want := "Mon 02 Jun 09:00 UTC, Tue 03 Jun 09:00 UTC, Wed 04 Jun 09:00 UTC"
		if got := stamps(e.sends(dailyTask, time.UTC)); got != want {
			t.Errorf("sends %s\nwant      %s", got, want)
		}
	})
	t.Run("downtime across the reminder time sends the catch-up on return and tomorrow's on time", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		e.give(maya, dailyTask)
		e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
		e.runUntil(time.Date(2025, 6, 2, 20, 0, 0, 0, time.UTC), nil)
		e.clk.Set(time.Date(2025, 6, 3, 9, 40, 0, 0, time.UTC))
		e.runUntil(time.Date(2025, 6, 4, 12, 0, 0, 0, time.UTC), nil)
		want := "Mon 02 Jun 09:00 UTC, Tue 03 Jun 09:40 UTC, Wed 04 Jun 09:00 UTC"
		if got := stamps(e.sends(dailyTask, time.UTC)); got != want {
			t.Errorf("sends %s\nwant      %s", got, want)
		}
	})
	t.Run("a snooze across midnight inside quiet hours lands when they end, and the day keeps its nudge", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		e.give(maya, dailyTask)
		e.say(maya, "remind daily at 21:30 UTC", "Reminders on")
		e.runUntil(time.Date(2025, 6, 2, 21, 45, 0, 0, time.UTC), nil)
		e.say(maya, "snooze 1 3h", "Snoozed") // 00:45, quiet until 08:00
		e.runUntil(time.Date(2025, 6, 3, 23, 0, 0, 0, time.UTC), nil)
		want := "Sun 01 Jun 21:30 UTC, Mon 02 Jun 21:30 UTC, Tue 03 Jun 08:00 UTC, Tue 03 Jun 21:30 UTC"
		if got := stamps(e.sends(dailyTask, time.UTC)); got != want {
			t.Errorf("sends %s\nwant      %s", got, want)
		}
	})
	t.Run("a weekly task changed mid-week to a new time keeps its week", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		e.give(maya, weeklyTask)
		e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
		e.runUntil(time.Date(2025, 6, 4, 12, 0, 0, 0, time.UTC), nil) // Wednesday
		e.say(maya, "remind daily at 18:00 Europe/Berlin", "Reminders on")
		e.runUntil(time.Date(2025, 6, 17, 0, 0, 0, 0, time.UTC), nil)
		want := "Mon 02 Jun 09:00 UTC, Mon 09 Jun 16:00 UTC, Mon 16 Jun 16:00 UTC"
		if got := stamps(e.sends(weeklyTask, time.UTC)); got != want {
			t.Errorf("sends %s\nwant      %s", got, want)
		}
	})
	for _, tt := range []struct{ from, to string }{
		{"Europe/London", "Pacific/Kiritimati"},     // east, 14 hours ahead
		{"Pacific/Kiritimati", "Pacific/Pago_Pago"}, // west, a whole day back
		{"Asia/Kolkata", "America/St_Johns"},
	} {
		t.Run("a move from "+tt.from+" to "+tt.to+" keeps one nudge a day and the 3x task spread", func(t *testing.T) {
			to := mustZone(t, tt.to)
			e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
			e.give(maya, dailyTask, threeTask)
			e.say(maya, "remind daily at 9:00 "+tt.from, "Reminders on")
			e.runUntil(time.Date(2025, 6, 4, 15, 0, 0, 0, time.UTC), nil) // Wednesday
			e.say(maya, "remind daily at 9:00 "+tt.to, "Reminders on")
			e.runUntil(time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC), nil)
			for _, id := range []string{dailyTask, threeTask} {
				got := e.sends(id, to)
				for d, n := range perDate(got, to) {
					if n > 1 {
						t.Errorf("%s nudged %d times on %s: %s", id, n, d, stamps(got))
					}
				}
			}
			three := e.sends(threeTask, to)
			for i := 1; i < len(three); i++ {
				if schedule.DateOf(three[i-1], to).DaysUntil(schedule.DateOf(three[i], to)) < 1 {
					t.Errorf("3x task twice on a date: %s", stamps(three))
				}
			}
			daily := e.sends(dailyTask, to)
			days := perDate(daily, to)
			first, last := schedule.DateOf(daily[0], to), schedule.DateOf(daily[len(daily)-1], to)
			for d := first; d.Before(last); d = d.AddDays(1) {
				if days[d] == 0 {
					t.Errorf("no daily nudge on %s in %s: %s", d, tt.to, stamps(daily))
				}
			}
		})
	}
	for _, zone := range []string{"Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu", "Pacific/Chatham"} {
		t.Run("summary and re-check at the reminder time in "+zone, func(t *testing.T) {
			loc := mustZone(t, zone)
			e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
			e.saveCheck(theo, "instagram", map[string]string{"followers": "fail", "engagement": "fail", "cadence": "warn"})
			e.say(theo, "plan accept", "Plan started")
			e.say(theo, "remind daily at 9:30 "+zone, "Reminders on")
			e.runUntil(time.Date(2025, 7, 3, 0, 0, 0, 0, time.UTC), nil)
			var summaries, rechecks int
			for _, d := range e.note.deliveries() {
				local := d.At.In(loc)
				switch {
				case d.Reply.Title == "Your week":
					summaries++
					if local.Weekday() != time.Monday || local.Format("15:04") != "09:30" {
						t.Errorf("summary at %s", local.Format("Mon 02 Jan 15:04"))
					}
				case strings.HasPrefix(d.Reply.Title, "Time to re-check"):
					rechecks++
					if local.Format("15:04") != "09:30" {
						t.Errorf("re-check at %s", local.Format("Mon 02 Jan 15:04"))
					}
				}
			}
			if summaries < 4 || rechecks != 1 {
				t.Errorf("%d summaries and %d re-checks in a month, want 4-5 and 1", summaries, rechecks)
			}
		})
	}
}

// TestReadyMessageWaitsForQuietHours: every kind of nudge keeps the
// user's quiet hours, the ready-to-reapply message too (issue 17).
func TestReadyMessageWaitsForQuietHours(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	e := newPlanEnv(t, time.Date(2025, 6, 2, 23, 30, 0, 0, ny))
	e.say(theo, "remind daily at 9:00 America/New_York", "Reminders on")
	e.give(theo, dailyTask)
	e.as(theo).Say("check instagram 9000 followers 400 likes 30 comments 4 posts a week niche home decor")
	e.runUntil(time.Date(2025, 6, 3, 12, 0, 0, 0, ny), nil)
	for _, d := range e.note.deliveries() {
		if strings.HasPrefix(d.Reply.Title, "Your numbers say") && schedule.DefaultQuiet.Contains(d.At, ny) {
			t.Errorf("ready message at %s, inside quiet hours", d.At.In(ny))
		}
	}
	if countPrefix(e.note.deliveries(), "Your numbers say") != 1 {
		t.Errorf("ready message sent %d times, want once", countPrefix(e.note.deliveries(), "Your numbers say"))
	}
}

// TestSettingsChangeKeepsASnooze: a snooze that moved the next nudge stays
// moved when settings change afterwards.
func TestSettingsChangeKeepsASnooze(t *testing.T) {
	e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	e.give(maya, dailyTask)
	e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
	e.runUntil(time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC), nil)
	e.say(maya, "snooze 1 2 days", "Snoozed") // Wednesday 09:30, over Tuesday's 09:00
	e.say(maya, "remind quiet 23:00-07:00", "Quiet hours set")
	e.runUntil(time.Date(2025, 6, 5, 12, 0, 0, 0, time.UTC), nil)
	want := "Mon 02 Jun 09:00 UTC, Wed 04 Jun 09:30 UTC, Thu 05 Jun 09:00 UTC"
	if got := stamps(e.sends(dailyTask, time.UTC)); got != want {
		t.Errorf("sends %s\nwant      %s", got, want)
	}
}

// TestPauseHoldsEveryNudge: "pause reminders for N days" sends nothing
// until the pause ends, not even a snooze set before it, and then the
// daily rhythm picks up at the reminder time; "remind resume" ends a pause
// early.
func TestPauseHoldsEveryNudge(t *testing.T) {
	tests := []struct {
		name      string
		pause     string
		pauseEnds time.Time // what the pause said
		resumeAt  time.Time // "remind resume" at this time; zero for never
		firstBack time.Time // the daily task's first nudge after the pause
	}{
		{"three days from Monday noon", "pause reminders for 3 days", time.Date(2025, 6, 5, 12, 0, 0, 0, time.UTC), time.Time{}, time.Date(2025, 6, 6, 9, 0, 0, 0, time.UTC)},
		{"a week, in the bot's words", "no reminders for a week", time.Date(2025, 6, 9, 12, 0, 0, 0, time.UTC), time.Time{}, time.Date(2025, 6, 10, 9, 0, 0, 0, time.UTC)},
		{"a week, resumed on Wednesday", "remind pause 1 week", time.Date(2025, 6, 9, 12, 0, 0, 0, time.UTC), time.Date(2025, 6, 4, 8, 0, 0, 0, time.UTC), time.Date(2025, 6, 4, 9, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Sunday 1 June 2025, noon.
			e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
			e.give(maya, dailyTask)
			e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
			e.runUntil(time.Date(2025, 6, 2, 11, 0, 0, 0, time.UTC), nil) // Monday's 09:00 nudge goes out
			e.say(maya, "snooze 1 2h", "")                                // a snooze due at 13:00, inside the pause
			monday := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
			e.runUntil(monday.Add(-time.Minute), nil)
			e.clk.Set(monday)
			e.say(maya, tt.pause, "Reminders paused")
			sentBefore := len(e.note.deliveries())
			end := tt.pauseEnds
			if !tt.resumeAt.IsZero() {
				e.runUntil(tt.resumeAt, nil)
				e.say(maya, "remind resume", "Reminders on")
				end = tt.resumeAt
			}
			e.runUntil(time.Date(2025, 6, 12, 23, 0, 0, 0, time.UTC), nil)
			for _, d := range e.note.deliveries()[sentBefore:] {
				if d.At.Before(end) {
					t.Errorf("%q went out at %s, inside the pause (to %s)", d.Reply.Title, d.At.Format("Mon 02 Jan 15:04"), end.Format("Mon 02 Jan 15:04"))
				}
			}
			var back []time.Time
			for _, at := range e.sends(dailyTask, time.UTC) {
				if at.After(monday) {
					back = append(back, at)
				}
			}
			if len(back) == 0 || !back[0].Equal(tt.firstBack) {
				t.Errorf("daily task nudged after the pause at %s; want first %s", stamps(back), tt.firstBack.Format("Mon 02 Jan 15:04 MST"))
			}
		})
	}
}

// TestSnoozeDuringPauseWaits: a snooze set while reminders are paused
// comes due inside the pause; it waits for the pause to end.
func TestSnoozeDuringPauseWaits(t *testing.T) {
	e := newPlanEnv(t, time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	e.give(maya, dailyTask)
	e.say(maya, "remind daily at 9:00 UTC", "Reminders on")
	e.say(maya, "pause reminders for 2 days", "Reminders paused") // to Tuesday noon
	e.runUntil(time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC), nil)
	e.say(maya, "snooze 1 2h", "") // due Monday noon, inside the pause
	e.runUntil(time.Date(2025, 6, 3, 23, 0, 0, 0, time.UTC), nil)
	got := e.sends(dailyTask, time.UTC)
	want := time.Date(2025, 6, 3, 12, 0, 0, 0, time.UTC) // when the pause ends
	if len(got) == 0 || !got[0].Equal(want) {
		t.Errorf("daily task nudged at %s; want first %s, when the pause ends", stamps(got), want.Format("Mon 02 Jan 15:04 MST"))
	}
}
