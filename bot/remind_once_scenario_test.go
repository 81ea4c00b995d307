package bot_test

import (
	"strings"
	"testing"
	"time"
)

// TestOneOffReminderGoesOutOnceOnItsDay: "remind me to reapply in 30
// days" sends one message, on that local date at the reminder time, and
// none after; `stop` before the day silences it.
func TestOneOffReminderGoesOutOnceOnItsDay(t *testing.T) {
	start := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	reminded := func(e *planEnv) []time.Time {
		var at []time.Time
		for _, d := range e.note.deliveries() {
			if strings.Contains(d.Reply.Text, "reapply") && d.Reply.Title == "Your reminder" {
				at = append(at, d.At)
			}
		}
		return at
	}
	t.Run("it goes out once, at 09:00 New York time on the day", func(t *testing.T) {
		e := newPlanEnv(t, start)
		e.say(maya, "remind daily at 9:00 America/New_York", "Reminders on")
		e.say(maya, "remind me to reapply in 30 days", "Friday 1 January 2027 at 09:00")
		e.say(maya, "reminders", "one-off reminder: reapply")
		e.runUntil(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), nil)
		got := reminded(e)
		if len(got) != 1 {
			t.Fatalf("sent %d times (%v), want once", len(got), got)
		}
		if l := got[0].In(ny); l.Format("2006-01-02 15:04") != "2027-01-01 09:00" {
			t.Errorf("sent at %s New York time, want 2027-01-01 09:00", l.Format("2006-01-02 15:04"))
		}
	})
	t.Run("stop before the day silences it", func(t *testing.T) {
		e := newPlanEnv(t, start)
		e.say(maya, "remind me on jan 5 to reapply", "Tuesday 5 January 2027 at 10:00")
		e.say(maya, "stop", "won't message you")
		e.runUntil(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), nil)
		if got := reminded(e); len(got) != 0 {
			t.Errorf("sent %v after stop, want nothing", got)
		}
	})
	t.Run("after stop, it is refused instead of set", func(t *testing.T) {
		e := newPlanEnv(t, start)
		e.say(maya, "stop", "won't message you")
		e.say(maya, "remind me in 2 weeks to reapply", "asked me to stop")
	})
}
