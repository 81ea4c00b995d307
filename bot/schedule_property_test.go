package bot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
	"github.com/influbot/influbot/bot/schedule"
)

// settingsAt is what was in force from a moment on.
type settingsAt struct {
	from  time.Time
	loc   *time.Location
	quiet schedule.Quiet
	every string // "daily" or "weekdays"
	min   int    // the reminder's local time, minutes after midnight
}

// simLog is what a random run did, for the checks.
type simLog struct {
	settings []settingsAt
	down     [][2]time.Time         // downtime spans
	touched  map[string][]time.Time // done, skip or snooze of a task
}

func (l *simLog) at(t time.Time) settingsAt {
	i, _ := slices.BinarySearchFunc(l.settings, t, func(s settingsAt, t time.Time) int { return s.from.Compare(t) })
	// The last change at or before t.
	for i < len(l.settings) && !l.settings[i].from.After(t) {
		i++
	}
	return l.settings[max(i-1, 0)]
}

var propZones = []string{"America/Los_Angeles", "America/New_York", "America/St_Johns", "Europe/London", "Europe/Berlin",
	"Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Apia", "UTC"}

// TestScheduleProperties drives random sequences of settings changes,
// zone moves, restarts, downtime, snoozes, done and skip over 8 simulated
// weeks in random zones with the real store, and checks the schedule's
// promises (issue 16): at most one regular nudge per task per local date,
// none inside quiet hours, and on every day the rules say is due (and no
// downtime, settings change, done, skip or snooze explains otherwise) the
// daily task's nudge went out.
func TestScheduleProperties(t *testing.T) {
	sequences := 12 // a minute under -race on 2 cores; more with the variable below
	if testing.Short() {
		sequences = 6
	}
	// A longer hunt: INFLUBOT_SCHEDULE_SEQUENCES=500 go test -run TestScheduleProperties ./bot/
	if n, err := strconv.Atoi(os.Getenv("INFLUBOT_SCHEDULE_SEQUENCES")); err == nil && n > 0 {
		sequences = n
	}
	for seq := range sequences {
		t.Run(fmt.Sprintf("sequence %d", seq), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seq), 16))
			start := time.Date(2025, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC)
			e := newPlanEnv(t, start)
			u := theo
			e.give(u, dailyTask, threeTask, weeklyTask, onceTask)
			lg := &simLog{touched: map[string][]time.Time{}}
			setRemind := func(every string) {
				zone := propZones[rng.IntN(len(propZones))]
				line := fmt.Sprintf("remind %s at %d:%02d %s", every, rng.IntN(24), rng.IntN(4)*15, zone)
				r := e.as(u).Say(line)
				if r.Question != nil {
					r = e.as(u).Press(bot.Button{ActionID: r.Question.Yes.ID, Value: r.Question.Yes.Value})
				}
				if r.Title != "Reminders on" {
					t.Fatalf("%s: %q %s", line, r.Title, r.Text)
				}
			}
			record := func() {
				rem, _, err := e.db.Reminder(context.Background(), u)
				if err != nil {
					t.Fatal(err)
				}
				loc, _ := schedule.LoadZone(rem.Zone)
				q := schedule.DefaultQuiet
				if rem.Quiet != "" {
					q, _ = schedule.ParseQuiet(rem.Quiet)
				}
				lg.settings = append(lg.settings, settingsAt{from: e.clk.Now(), loc: loc, quiet: q, every: rem.Every, min: rem.Minute})
			}
			setRemind("daily")
			record()
			end := start.Add(8 * 7 * 24 * time.Hour)
			var steps []string
			for e.clk.Now().Before(end) {
				next := e.clk.Now().Add(time.Duration(2+rng.IntN(70)) * time.Hour).Add(time.Duration(rng.IntN(60)) * time.Minute)
				if next.After(end) {
					next = end
				}
				switch k := rng.IntN(10); {
				case k == 0: // down until next, then back
					lg.down = append(lg.down, [2]time.Time{e.clk.Now(), next})
					e.clk.Set(next)
					steps = append(steps, "down until "+next.Format(time.RFC3339))
				case k == 1: // a restart: a new dispatcher with its own owner
					e.runUntil(next, nil)
					e.disp = &nudge.Dispatcher{Composer: e.bot.Bot, Queue: e.db, Notifier: e.note, Now: e.clk.Now, Sleep: e.clk.Sleep, Limits: map[string]nudge.RateLimit{}, Concurrency: 1}
					steps = append(steps, "restart")
				default:
					e.runUntil(next, nil)
				}
				if !e.clk.Now().Before(end) {
					break
				}
				task := []string{dailyTask, threeTask, weeklyTask, onceTask}[rng.IntN(4)]
				num := map[string]int{dailyTask: 1, threeTask: 2, weeklyTask: 3, onceTask: 4}[task]
				var line string
				switch k := rng.IntN(9); k {
				case 0, 1:
					setRemind([]string{"daily", "daily", "weekdays"}[rng.IntN(3)])
					record()
					steps = append(steps, "remind")
					continue
				case 2:
					a := rng.IntN(24)
					line = fmt.Sprintf("remind quiet %02d:00-%02d:00", a, (a+1+rng.IntN(11))%24)
				case 3:
					line = "remind quiet off"
				case 4, 5:
					line = fmt.Sprintf("snooze %d %s", num, []string{"30m", "2h", "5h", "1d", "2 days"}[rng.IntN(5)])
				case 6, 7:
					line = fmt.Sprintf("done %d", num)
				case 8:
					line = fmt.Sprintf("skip %d", num)
				}
				r := e.as(u).Say(line)
				if r.Question != nil {
					r = e.as(u).Press(bot.Button{ActionID: r.Question.Yes.ID, Value: r.Question.Yes.Value})
				}
				steps = append(steps, line+" at "+e.clk.Now().Format(time.RFC3339))
				if strings.HasPrefix(line, "remind") {
					record()
				} else {
					lg.touched[task] = append(lg.touched[task], e.clk.Now())
				}
			}
			e.runUntil(end, nil)
			sent, err := e.db.ListNudges(context.Background(), bot.NudgeFilter{Status: bot.NudgeSent, User: u})
			if err != nil {
				t.Fatal(err)
			}
			slices.SortFunc(sent, func(a, b bot.Nudge) int { return a.SentAt.Compare(b.SentAt) })
			fail := func(format string, args ...any) {
				t.Helper()
				t.Errorf(format, args...)
				t.Logf("steps: %s", strings.Join(steps, "; "))
			}
			last := map[string]time.Time{}
			for _, n := range sent {
				st := lg.at(n.SentAt)
				if st.quiet.Contains(n.SentAt, st.loc) {
					fail("%s nudge of %s sent at %s, inside quiet hours %s", n.Kind, n.TaskID, n.SentAt.In(st.loc), st.quiet)
				}
				if n.Kind != bot.NudgeTask {
					continue
				}
				if p, ok := last[n.TaskID]; ok && schedule.DateOf(p, st.loc) == schedule.DateOf(n.SentAt, st.loc) {
					fail("%s nudged twice on %s (%s): %s and %s", n.TaskID, schedule.DateOf(n.SentAt, st.loc), st.loc, p.In(st.loc), n.SentAt.In(st.loc))
				}
				last[n.TaskID] = n.SentAt
			}
			// No due day lost: each firing of the reminder on a day with the
			// same settings from the day before to the day its nudge is due
			// (quiet hours may move it to the next morning), no downtime and
			// no done, skip or snooze of the daily task since two days
			// before, has its nudge of the daily task on the day it is due.
			checked := 0
			for day := start.Add(48 * time.Hour); day.Before(end.Add(-48 * time.Hour)); day = day.Add(24 * time.Hour) {
				st := lg.at(day)
				d := schedule.DateOf(day, st.loc)
				if st.every == "" || (st.every == "weekdays" && (d.Weekday() == time.Saturday || d.Weekday() == time.Sunday)) {
					continue
				}
				slot := d.At(st.min/60, st.min%60, st.loc)
				if schedule.DateOf(slot, st.loc) != d {
					continue // a date the zone skipped
				}
				due := st.quiet.Push(slot, st.loc)
				dueDay := schedule.DateOf(due, st.loc)
				from := d.AddDays(-1).At(0, 0, st.loc)
				to := dueDay.AddDays(1).At(0, 0, st.loc)
				if lg.at(from).from != st.from || lg.at(to).from != st.from || st.from.After(from) {
					continue
				}
				clean := true
				for _, dn := range lg.down {
					clean = clean && (dn[1].Before(from) || dn[0].After(to))
				}
				for _, at := range lg.touched[dailyTask] {
					clean = clean && (at.Before(from.Add(-48*time.Hour)) || at.After(to))
				}
				if !clean {
					continue
				}
				checked++
				count := 0
				dayStart, dayEnd := dueDay.At(0, 0, st.loc), dueDay.AddDays(1).At(0, 0, st.loc)
				for _, n := range sent {
					if n.Kind == bot.NudgeTask && n.TaskID == dailyTask && !n.SentAt.Before(dayStart) && n.SentAt.Before(dayEnd) {
						count++
					}
				}
				if count != 1 {
					var around []string
					for _, n := range sent {
						if n.TaskID == dailyTask && n.SentAt.After(from.Add(-48*time.Hour)) && n.SentAt.Before(to.Add(24*time.Hour)) {
							around = append(around, n.Kind+" "+n.SentAt.In(st.loc).Format("Mon 02 Jan 15:04"))
						}
					}
					fail("daily task nudged %d times on %s for the firing at %s (%s, %s, quiet %s, set %s): %s", count, dueDay,
						slot.In(st.loc).Format("Mon 02 Jan 15:04"), st.loc, st.every, st.quiet, st.from.In(st.loc), strings.Join(around, ", "))
				}
			}
			t.Logf("%d steps, %d nudges sent, %d clean days checked for a lost nudge", len(steps), len(sent), checked)
		})
	}
}
