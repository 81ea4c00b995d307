package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// TestTaskNumbersStayPut is issue 17: a number the user saw keeps meaning
// that task for the life of the plan.
func TestTaskNumbersStayPut(t *testing.T) {
	e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
	e.give(maya, onceTask, dailyTask, weeklyTask)
	list := e.say(maya, "tasks", "Your tasks")
	if !strings.Contains(list.Text, "2. **"+strings.TrimPrefix(e.title(dailyTask), "Time for: ")) {
		t.Fatalf("tasks before: %s", list.Text)
	}
	e.say(maya, "done 1", "done for good")
	t.Run("skip 2 after done 1 skips the task shown as 2", func(t *testing.T) {
		r := e.say(maya, "skip 2", "Skipped")
		if want := strings.TrimPrefix(e.title(dailyTask), "Time for: "); !strings.Contains(r.Text, want) {
			t.Errorf("skipped %q, want %q", r.Text, want)
		}
	})
	t.Run("snooze 3 2h still finds the third task", func(t *testing.T) {
		r := e.say(maya, "snooze 3 2h", "Snoozed")
		if want := strings.TrimPrefix(e.title(weeklyTask), "Time for: "); !strings.Contains(r.Text, want) {
			t.Errorf("snoozed %q, want %q", r.Text, want)
		}
	})
	t.Run("the done task keeps its number and says so", func(t *testing.T) {
		r := e.as(maya).Say("done 1")
		if r.Tone != bot.ToneError || !strings.Contains(r.Text, "already done") {
			t.Errorf("done 1 again: %q", r.Text)
		}
		if l := e.say(maya, "tasks", "Your tasks"); !strings.Contains(l.Text, "3. **") || !strings.Contains(l.Text, "Completed: 1. ") {
			t.Errorf("tasks after: %s", l.Text)
		}
	})
}

// TestPlanFollowsTheCheck is issue 17: tasks come from the criteria that
// fell short, each with its own reason, and `plan accept` straight after a
// check accepts what it implies.
func TestPlanFollowsTheCheck(t *testing.T) {
	ctx := context.Background()
	t.Run("a passed niche never yields a niche task, and each task keeps its own reason", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
		e.saveCheck(maya, "instagram", map[string]string{"followers": "fail", "engagement": "pass", "cadence": "pass", "niche": "pass"})
		r := e.say(maya, "plan", "Your plan")
		if !strings.Contains(r.Text, "the areas to work on are **followers**") {
			t.Errorf("plan: %s", r.Text)
		}
		e.say(maya, "plan accept", "Plan started")
		tasks, err := e.db.Tasks(ctx, maya)
		if err != nil || len(tasks) < 3 {
			t.Fatalf("%d tasks, %v", len(tasks), err)
		}
		for _, ts := range tasks {
			task, _ := e.bot.Knowledge().Task(ts.TaskID)
			if task.Improves == "niche" || task.Improves == "engagement" || task.Improves == "cadence" {
				t.Errorf("task %s improves %s, which passed", ts.TaskID, task.Improves)
			}
			if !strings.HasPrefix(ts.Reason, ts.Criterion+":") {
				t.Errorf("task %s (%s) has reason %q", ts.TaskID, ts.Criterion, ts.Reason)
			}
		}
	})
	t.Run("plan accept straight after check accepts the plan the check implies", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
		e.saveCheck(maya, "instagram", map[string]string{"followers": "fail", "engagement": "fail", "cadence": "warn"})
		e.say(maya, "plan accept", "Plan started")
		tasks, _ := e.db.Tasks(ctx, maya)
		if len(tasks) < 3 {
			t.Errorf("%d tasks accepted", len(tasks))
		}
	})
	t.Run("a newer check than the plan shown is what plan accept takes", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
		e.saveCheck(maya, "instagram", map[string]string{"followers": "pass", "engagement": "fail", "cadence": "pass", "niche": "pass"})
		e.say(maya, "plan", "Your plan")
		e.clk.Add(time.Hour)
		e.saveCheck(maya, "instagram", map[string]string{"followers": "fail", "engagement": "pass", "cadence": "pass", "niche": "pass"})
		e.say(maya, "plan accept", "Plan started")
		tasks, _ := e.db.Tasks(ctx, maya)
		for _, ts := range tasks {
			if ts.Criterion != "followers" {
				t.Errorf("task %s for %s, want followers (the latest check's only gap)", ts.TaskID, ts.Criterion)
			}
		}
	})
}

// TestTaskWording is issue 17: plurals that read right, and no hint to
// mark a task when none is left.
func TestTaskWording(t *testing.T) {
	e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
	e.give(maya, threeTask, onceTask)
	t.Run("one completion is a streak of 1 time, not 1 time in a row", func(t *testing.T) {
		r := e.say(maya, "done 1", "Nice work")
		if strings.Contains(r.Text, "1 time in a row") || !strings.Contains(r.Text, "Streak 1 time") {
			t.Errorf("done: %s", r.Text)
		}
	})
	t.Run("tasks with nothing left does not say how to mark one", func(t *testing.T) {
		e.say(maya, "done 2", "done for good")
		if _, err := e.db.ClearTasks(context.Background(), maya); err != nil {
			t.Fatal(err)
		}
		e.give(maya, onceTask)
		e.say(maya, "done 1", "done for good")
		r := e.say(maya, "tasks", "every task in your plan is done")
		if strings.Contains(r.Text, "Mark one with") {
			t.Errorf("tasks: %s", r.Text)
		}
	})
}

// TestTasksInPlainWords: the conversation layer passes the user's own
// words ("snooze that for 2 hours", "I did the bio task") as arguments.
func TestTasksInPlainWords(t *testing.T) {
	e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
	e.give(maya, weeklyTask, onceTask, dailyTask)
	e.say(maya, "remind daily at 12:30 UTC", "Reminders on")
	e.runUntil(time.Date(2025, 6, 2, 13, 0, 0, 0, time.UTC), nil)
	// The nudges went out together; make the daily task the last one.
	if err := e.db.SaveTask(context.Background(), bot.TaskState{User: maya, TaskID: dailyTask, Status: bot.TaskActive,
		AcceptedAt: time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC), LastNudged: e.clk.Now()}); err != nil {
		t.Fatal(err)
	}
	title := func(id string) string { return strings.TrimPrefix(e.title(id), "Time for: ") }
	tests := []struct{ say, want string }{
		{"snooze that for 2 hours", title(dailyTask)},
		{"snooze it for an hour", title(dailyTask)},
		{"done I did the niche task", title(onceTask)},
		{"skip the calendar task", title(weeklyTask)},
	}
	for _, tt := range tests {
		t.Run(tt.say+" finds "+tt.want, func(t *testing.T) {
			r := e.as(maya).Say(tt.say)
			if r.Tone == bot.ToneError || !strings.Contains(r.Text, tt.want) {
				t.Errorf("got %q", r.Text)
			}
		})
	}
}
