package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/schedule"
)

var (
	maya = bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "maya"}
	theo = bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "guild1", ID: "theo"}
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestNewCreatorLoop is the loop a new user walks in the chat: check,
// plan, accept, a reminder a minute ahead, the nudge, done, the streak.
func TestNewCreatorLoop(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	e := newPlanEnv(t, time.Date(2025, 6, 2, 14, 30, 0, 0, berlin))
	u := e.as(maya)
	t.Run("plan asks for a check first", func(t *testing.T) {
		if r := u.Say("plan"); !strings.Contains(r.Text, "check") || r.Title != "Check first" {
			t.Fatalf("got %q: %q", r.Title, r.Text)
		}
	})
	e.saveCheck(maya, "instagram", map[string]string{"followers": "pass", "engagement": "fail", "cadence": "warn", "niche": "pass"})
	plan := u.Say("plan")
	t.Run("plan proposes 3 to 5 tasks aimed at the weakest criteria", func(t *testing.T) {
		if !strings.Contains(plan.Title, "Your plan") || !strings.Contains(plan.Text, "engagement, cadence") {
			t.Fatalf("got %q: %s", plan.Title, plan.Text)
		}
		n := strings.Count(plan.Text, "\n**")
		if n < 3 || n > 5 {
			t.Errorf("proposed %d tasks, want 3-5:\n%s", n, plan.Text)
		}
	})
	accepted := u.Press(button(t, plan, "Accept all"))
	t.Run("accepting asks when to nudge", func(t *testing.T) {
		if accepted.Title != "Plan started" || !strings.Contains(accepted.Text, "When should I nudge you?") {
			t.Fatalf("got %q: %s", accepted.Title, accepted.Text)
		}
	})
	r := u.Say("remind daily at 14:31 Europe/Berlin")
	t.Run("a reminder a minute ahead is confirmed with the first nudge time", func(t *testing.T) {
		if r.Title != "Reminders on" || !strings.Contains(r.Text, "today 14:31") {
			t.Fatalf("got %q: %s", r.Title, r.Text)
		}
	})
	e.clk.Add(time.Minute)
	e.run()
	got := e.note.deliveries()
	t.Run("the nudges arrive at 14:31 naming the task and the gap, with buttons", func(t *testing.T) {
		if len(got) < 3 {
			t.Fatalf("got %d nudges, want one per task", len(got))
		}
		for _, d := range got {
			if d.Reply.Title == "Your week" {
				t.Errorf("a weekly summary on the plan's first day")
				continue
			}
			if d.At.In(berlin).Format("15:04") != "14:31" || d.User != maya {
				t.Errorf("nudge to %s at %s", d.User, d.At.In(berlin))
			}
			if !strings.HasPrefix(d.Reply.Title, "Time for: ") || !strings.Contains(d.Reply.Text, "Why it matters") || !strings.Contains(d.Reply.Text, "Your gap") {
				t.Errorf("nudge reads %q: %s", d.Reply.Title, d.Reply.Text)
			}
			if len(d.Reply.Buttons) != 3 {
				t.Errorf("nudge has buttons %+v, want Done, Snooze, Skip", d.Reply.Buttons)
			}
		}
	})
	var first delivery
	for _, d := range got {
		if strings.HasPrefix(d.Reply.Title, "Time for: ") {
			first = d
			break
		}
	}
	done := u.Press(button(t, first.Reply, "Done"))
	t.Run("pressing done shows the streak", func(t *testing.T) {
		if done.Title != "Done" || !strings.Contains(strings.ToLower(done.Text), "streak 1") {
			t.Fatalf("got %q: %s", done.Title, done.Text)
		}
	})
	e.clk.Add(24 * time.Hour)
	e.run()
	again := u.Press(button(t, first.Reply, "Done"))
	t.Run("done the next day grows the streak, and tasks lists it", func(t *testing.T) {
		if !strings.Contains(strings.ToLower(again.Text), "streak 2") {
			t.Fatalf("second day: %s", again.Text)
		}
		if list := u.Say("tasks"); !strings.Contains(list.Text, "streak 2") {
			t.Fatalf("tasks: %s", list.Text)
		}
	})
	t.Run("done twice the same day does not count twice", func(t *testing.T) {
		if r := u.Press(button(t, first.Reply, "Done")); !strings.Contains(r.Text, "Already marked") || !strings.Contains(strings.ToLower(r.Text), "streak 2") {
			t.Fatalf("got %s", r.Text)
		}
	})
	t.Run("other users and tenants see none of it", func(t *testing.T) {
		if r := e.as(theo).Say("tasks"); !strings.Contains(r.Text, "no tasks") {
			t.Fatalf("theo sees: %s", r.Text)
		}
	})
}

func TestPlanCommandsRefuseBadInput(t *testing.T) {
	e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
	u := e.as(maya)
	e.saveCheck(maya, "tiktok", map[string]string{"followers": "fail", "engagement": "warn"})
	u.Say("plan")
	tests := []struct {
		say, want string
	}{
		{"plan accept 9", "from 1 to"},
		{"plan accept everything-else", "isn't one of the suggested tasks"},
		{"done 1", "no active tasks"},
		{"remind daily at 25:00", "not a time of day"},
		{"remind daily at 9 Mars/Base", "don't know the time zone"},
		{"remind fortnightly at 9", "daily, weekdays or weekly"},
		{"remind " + strings.Repeat("x", 500), "longer than any reminder"},
		{"remind quiet 9-9", "different times"},
	}
	for _, tt := range tests {
		t.Run(tt.say[:min(len(tt.say), 40)]+" gets a clear answer", func(t *testing.T) {
			r := u.Say(tt.say)
			if r.Tone != bot.ToneError || !strings.Contains(r.Text, tt.want) {
				t.Fatalf("got %q (tone %v), want an error containing %q", r.Text, r.Tone, tt.want)
			}
		})
	}
	u.Say("plan accept 1 2")
	more := []struct {
		say, want string
	}{
		{"done 7", "pick a number from 1 to 2"},
		{"snooze 1", "For how long?"},
		{"snooze 1 45d", "between 1 minute and 30 days"},
		{"snooze 1 999999h", "between 1 minute and 30 days"},
		{"snooze 1 -5m", "not a length of time"},
		{"snooze 1 0m", "between 1 minute and 30 days"},
		{"skip nothing-like-this", "no active task matching"},
	}
	for _, tt := range more {
		t.Run(tt.say+" gets a clear answer", func(t *testing.T) {
			r := u.Say(tt.say)
			if r.Tone != bot.ToneError || !strings.Contains(r.Text, tt.want) {
				t.Fatalf("got %q, want an error containing %q", r.Text, tt.want)
			}
		})
	}
	for _, say := range []string{"snooze 1 2h", "snooze 2 3 hours", "snooze 1 1h 30m"} {
		t.Run(say+" snoozes that task, not the number glued to the length", func(t *testing.T) {
			if r := u.Say(say); r.Tone == bot.ToneError || !strings.HasPrefix(r.Text, "Snoozed") {
				t.Fatalf("got %q", r.Text)
			}
		})
	}
	t.Run("a question that starts with a command word goes to the FAQ", func(t *testing.T) {
		if r := u.Say("done with rejection, what now?"); r.Tone == bot.ToneError {
			t.Fatalf("got an error: %s", r.Text)
		}
	})
}

// TestSimulatedMonthAcrossDST lives through a month for two users whose
// clocks change: every task nudge at the right local time, none in quiet
// hours, one per task per due day, the weekly summary on Mondays and the
// re-check after four weeks.
func TestSimulatedMonthAcrossDST(t *testing.T) {
	tests := []struct {
		name      string
		start     time.Time
		remind    string
		quiet     string
		zone      string
		wantLocal string
	}{
		{"a Berlin creator nudged at 08:30 through the spring change", time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC), "daily at 8:30 Europe/Berlin", "", "Europe/Berlin", "08:30"},
		{"a New York creator whose 23:00 reminder waits for quiet hours to end, through the autumn change", time.Date(2025, 10, 15, 12, 0, 0, 0, time.UTC), "daily at 23:00 America/New_York", "22:00-07:30", "America/New_York", "07:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			e := newPlanEnv(t, tt.start)
			u := e.as(maya)
			e.saveCheck(maya, "instagram", map[string]string{"followers": "warn", "engagement": "fail", "cadence": "fail", "niche": "pass"})
			u.Say("plan")
			u.Say("plan accept")
			if tt.quiet != "" {
				u.Say("remind quiet " + tt.quiet)
			}
			r := u.Say("remind " + tt.remind)
			if r.Question != nil {
				// A reminder inside quiet hours is asked about first.
				r = u.Press(button(t, r, "Yes, set it"))
			}
			if r.Title != "Reminders on" {
				t.Fatalf("remind: %s", r.Text)
			}
			q := schedule.DefaultQuiet
			if tt.quiet != "" {
				q, _ = schedule.ParseQuiet(tt.quiet)
			}
			tasks, _ := e.db.Tasks(context.Background(), maya)
			rhythm := map[string]string{}
			for _, ts := range tasks {
				task, _ := e.bot.Knowledge().Task(ts.TaskID)
				rhythm[task.Title] = task.Rhythm
			}
			end := tt.start.Add(31 * 24 * time.Hour)
			e.runUntil(end, nil)
			perDay := map[string]map[schedule.Date]int{}
			var summaries, rechecks []time.Time
			for _, d := range e.note.deliveries() {
				local := d.At.In(loc)
				if q.Contains(d.At, loc) {
					t.Errorf("%q sent at %s, inside quiet hours %s", d.Reply.Title, local, q)
				}
				switch {
				case strings.HasPrefix(d.Reply.Title, "Time for: "):
					if got := local.Format("15:04"); got != tt.wantLocal {
						t.Errorf("%q at %s local, want %s", d.Reply.Title, local, tt.wantLocal)
					}
					title := strings.TrimPrefix(d.Reply.Title, "Time for: ")
					if perDay[title] == nil {
						perDay[title] = map[schedule.Date]int{}
					}
					perDay[title][schedule.DateOf(d.At, loc)]++
				case d.Reply.Title == "Your week":
					summaries = append(summaries, local)
				case strings.HasPrefix(d.Reply.Title, "Time to re-check"):
					rechecks = append(rechecks, local)
				}
			}
			for title, days := range perDay {
				want := map[string][2]int{"daily": {30, 31}, "3x-week": {13, 14}, "weekly": {4, 5}, "once": {4, 5}}[rhythm[title]]
				if len(days) < want[0] || len(days) > want[1] {
					t.Errorf("%q (%s) nudged on %d days, want %d-%d", title, rhythm[title], len(days), want[0], want[1])
				}
				for day, n := range days {
					if n != 1 {
						t.Errorf("%q nudged %d times on %s", title, n, day)
					}
				}
			}
			if len(perDay) != len(tasks) {
				t.Errorf("%d tasks nudged, want %d", len(perDay), len(tasks))
			}
			if len(summaries) < 4 {
				t.Errorf("%d weekly summaries in a month, want 4", len(summaries))
			}
			for _, s := range summaries {
				// Monday at the reminder time, or the morning after when
				// that time is inside quiet hours.
				if s.Weekday() != time.Monday && !(s.Weekday() == time.Tuesday && s.Hour() < 12) {
					t.Errorf("summary on %s", s.Weekday())
				}
			}
			if len(rechecks) != 1 || rechecks[0].Sub(tt.start) < 27*24*time.Hour {
				t.Errorf("re-check nudges at %v, want one after four weeks", rechecks)
			}
		})
	}
}

func TestCatchUpAfterDowntimeSendsOneNudgePerTask(t *testing.T) {
	e := newPlanEnv(t, time.Date(2025, 6, 2, 6, 0, 0, 0, time.UTC))
	u := e.as(maya)
	e.saveCheck(maya, "youtube", map[string]string{"followers": "fail", "engagement": "warn", "cadence": "warn"})
	u.Say("plan")
	u.Say("plan accept")
	u.Say("remind daily at 9:00 UTC")
	tasks, _ := e.db.Tasks(context.Background(), maya)
	// The process is down for ten days and comes back mid-morning.
	e.clk.Add(10*24*time.Hour + 4*time.Hour)
	e.run()
	got := e.note.deliveries()
	t.Run("each task gets one nudge, not ten", func(t *testing.T) {
		per := map[string]int{}
		for _, d := range got {
			per[d.Reply.Title]++
		}
		for title, n := range per {
			if n != 1 {
				t.Errorf("%q sent %d times", title, n)
			}
		}
		if taskNudges := countPrefix(got, "Time for: "); taskNudges != len(tasks) {
			t.Errorf("%d task nudges, want %d", taskNudges, len(tasks))
		}
	})
	t.Run("the next ones are scheduled after now, not in the missed past", func(t *testing.T) {
		live, _ := e.db.LiveNudges(context.Background(), maya)
		for _, n := range live {
			if !n.Due.After(e.clk.Now()) {
				t.Errorf("%s nudge due %s, before now %s", n.Kind, n.Due, e.clk.Now())
			}
		}
	})
}

func countPrefix(ds []delivery, prefix string) int {
	n := 0
	for _, d := range ds {
		if strings.HasPrefix(d.Reply.Title, prefix) {
			n++
		}
	}
	return n
}

func TestReadyToReapplyAfterAPassingCheck(t *testing.T) {
	e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
	u := e.as(maya)
	u.Say("check instagram 3200 followers 20 likes 2 comments 1 post a week")
	if r := u.Say("plan"); !strings.HasPrefix(r.Title, "Your plan") {
		t.Fatalf("plan after a stored check: %q %s", r.Title, r.Text)
	}
	u.Say("plan accept")
	t.Run("a check that still has gaps sends nothing", func(t *testing.T) {
		u.Say("check instagram 4000 followers 60 likes 4 comments 3 posts a week niche home decor")
		e.run()
		if n := countPrefix(e.note.deliveries(), "Your numbers say"); n != 0 {
			t.Fatalf("%d ready messages", n)
		}
	})
	t.Run("a check that passes every criterion sends the reapply checklist once", func(t *testing.T) {
		u.Say("check instagram 9000 followers 400 likes 30 comments 4 posts a week niche home decor")
		e.run()
		u.Say("history") // looking again does not send it twice
		e.run()
		got := e.note.deliveries()
		if n := countPrefix(got, "Your numbers say"); n != 1 {
			t.Fatalf("%d ready messages, want 1", n)
		}
		for _, d := range got {
			if strings.HasPrefix(d.Reply.Title, "Your numbers say") && !strings.Contains(d.Reply.Text, "Disclosure") {
				t.Errorf("checklist: %s", d.Reply.Text)
			}
		}
	})
}
