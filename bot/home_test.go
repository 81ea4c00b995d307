package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
)

func TestHomeWithoutStoresIsEmptyButValid(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	h, err := b.Home(context.Background(), b.User)
	if err != nil {
		t.Fatal(err)
	}
	if h.Plans || len(h.Verdicts) != 0 || len(h.Tasks) != 0 || h.Trend != "" {
		t.Fatalf("an empty dashboard has content: %+v", h)
	}
}

func TestHomeFollowsChecksTasksAndReminders(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	e := newPlanEnv(t, time.Date(2025, 6, 2, 10, 0, 0, 0, berlin))
	u := e.as(maya)
	ctx := context.Background()
	home := func(t *testing.T) bot.Home {
		t.Helper()
		h, err := e.bot.Home(ctx, maya)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}

	t.Run("a new user has no verdicts, no tasks and reminders off", func(t *testing.T) {
		h := home(t)
		if len(h.Verdicts) != 0 || len(h.Tasks) != 0 || h.RemindersOn || !strings.HasPrefix(h.Reminders, "Off") || !h.Plans {
			t.Fatalf("%+v", h)
		}
	})

	e.saveCheck(maya, "tiktok", map[string]string{"followers": "pass", "engagement": "pass", "cadence": "pass", "niche": "pass"})
	e.clk.Add(time.Hour)
	e.saveCheck(maya, "instagram", map[string]string{"followers": "pass", "engagement": "fail", "cadence": "warn", "niche": "pass"})
	e.clk.Add(time.Hour)
	e.saveCheck(maya, "instagram", map[string]string{"followers": "pass", "engagement": "fail", "cadence": "warn", "niche": "pass"})

	t.Run("the latest verdict per platform, newest platform first, with the trend in words", func(t *testing.T) {
		h := home(t)
		if len(h.Verdicts) != 2 {
			t.Fatalf("verdicts %+v, want one per platform", h.Verdicts)
		}
		if h.Verdicts[0].Platform != "instagram" || h.Verdicts[0].Label != "not yet" || h.Verdicts[1].Platform != "tiktok" || h.Verdicts[1].Verdict != "ready" {
			t.Errorf("verdicts %+v", h.Verdicts)
		}
		if h.Verdicts[0].Score != 40 || !strings.HasPrefix(h.Verdicts[0].When, "today") {
			t.Errorf("score or time: %+v", h.Verdicts[0])
		}
		if !strings.Contains(h.Trend, "Instagram") || !strings.Contains(h.Trend, "TikTok") {
			t.Errorf("the trend does not name both platforms: %q", h.Trend)
		}
	})

	plan := u.Say("plan")
	u.Press(button(t, plan, "Accept all"))
	u.Say("remind daily at 18:00 Europe/Berlin")

	t.Run("the plan's tasks with streaks, the next nudge and the reminder", func(t *testing.T) {
		h := home(t)
		if len(h.Tasks) < 3 {
			t.Fatalf("tasks %+v", h.Tasks)
		}
		for i, tk := range h.Tasks {
			if tk.Number != i+1 || tk.ID == "" || tk.Title == "" || tk.Streak != "not done yet" || tk.NextNudge != "today 18:00" {
				t.Errorf("task %d: %+v", i, tk)
			}
		}
		if !h.RemindersOn || h.Reminders != "Every day at 18:00 (Europe/Berlin)" {
			t.Errorf("reminders %v %q", h.RemindersOn, h.Reminders)
		}
		if !strings.HasSuffix(h.NextNudge, "today 18:00") {
			t.Errorf("next nudge %q", h.NextNudge)
		}
	})

	first := home(t).Tasks[0]
	u.Press(bot.Button{ActionID: "done:task", Value: first.ID})
	t.Run("a task done shows its streak", func(t *testing.T) {
		h := home(t)
		if h.Tasks[0].ID != first.ID || !strings.Contains(h.Tasks[0].Streak, "streak 1") {
			t.Fatalf("after done: %+v", h.Tasks[0])
		}
	})

	u.Say("stop")
	t.Run("stop turns the reminders off", func(t *testing.T) {
		if h := home(t); h.RemindersOn || !strings.Contains(h.Reminders, "stop") {
			t.Fatalf("after stop: %v %q", h.RemindersOn, h.Reminders)
		}
	})

	t.Run("another user's dashboard shows none of it", func(t *testing.T) {
		other := maya
		other.Tenant = "T-other"
		h, err := e.bot.Home(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Verdicts) != 0 || len(h.Tasks) != 0 {
			t.Fatalf("leaked across workspaces: %+v", h)
		}
	})
}
