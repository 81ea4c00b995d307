package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// TestComposeNudges is the core's side of the dispatcher's interface: one
// answer per due nudge, in order, read from the user's plan and settings
// as they are when it goes out.
func TestComposeNudges(t *testing.T) {
	ctx := context.Background()
	e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
	e.saveCheck(maya, "instagram", map[string]string{"followers": "fail", "engagement": "fail", "cadence": "warn"})
	u := e.as(maya)
	u.Say("plan")
	u.Say("plan accept")
	if r := u.Say("remind daily at 12:01 UTC"); r.Title != "Reminders on" {
		t.Fatalf("remind: %s", r.Text)
	}
	live, err := e.db.LiveNudges(ctx, maya)
	if err != nil || countKind(live, bot.NudgeTask) == 0 {
		t.Fatalf("no task nudges scheduled: %v", err)
	}
	var task bot.Nudge
	for _, n := range live {
		if n.Kind == bot.NudgeTask {
			task = n
			break
		}
	}
	gone := task
	gone.TaskID = "no-such-task"
	odd := task
	odd.Kind = "fireworks"
	now := task.Due
	got := e.bot.Bot.ComposeNudges(ctx, []bot.Nudge{task, gone, odd}, now)
	if len(got) != 3 {
		t.Fatalf("%d answers for 3 nudges", len(got))
	}
	t.Run("a task nudge names the task and schedules its successor at a later reminder time", func(t *testing.T) {
		c := got[0]
		if c.Err != nil || c.Cancel != "" || !strings.HasPrefix(c.Reply.Title, "Time for: ") || len(c.Reply.Buttons) != 3 {
			t.Fatalf("got %+v", c)
		}
		if c.Next == nil || c.Next.Kind != bot.NudgeTask || c.Next.TaskID != task.TaskID || !c.Next.Due.After(now) || c.Next.Due.Format("15:04") != "12:01" {
			t.Errorf("next %+v, want the same task on a later day at 12:01", c.Next)
		}
	})
	t.Run("a nudge about a task no longer in the plan is canceled", func(t *testing.T) {
		if c := got[1]; c.Cancel != "the task is no longer in the plan" || c.Reply.Title != "" {
			t.Errorf("got %+v", c)
		}
	})
	t.Run("a kind the core does not know is canceled, saying which", func(t *testing.T) {
		if c := got[2]; !strings.Contains(c.Cancel, `"fireworks"`) {
			t.Errorf("got %+v", c)
		}
	})
	t.Run("in quiet hours every nudge waits for their end", func(t *testing.T) {
		night := time.Date(2025, 6, 2, 23, 0, 0, 0, time.UTC)
		c := e.bot.Bot.ComposeNudges(ctx, []bot.Nudge{task}, night)[0]
		if want := time.Date(2025, 6, 3, 8, 0, 0, 0, time.UTC); !c.DeferTo.Equal(want) || c.Reply.Title != "" {
			t.Errorf("deferred to %s, want %s (%+v)", c.DeferTo, want, c)
		}
	})
	t.Run("after stop nothing goes out", func(t *testing.T) {
		u.Say("stop")
		for i, c := range e.bot.Bot.ComposeNudges(ctx, []bot.Nudge{task, gone}, now) {
			if c.Cancel != "the user said stop" {
				t.Errorf("nudge %d: got %+v", i, c)
			}
		}
	})
}

func countKind(ns []bot.Nudge, kind string) int {
	n := 0
	for _, x := range ns {
		if x.Kind == kind {
			n++
		}
	}
	return n
}
