package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// TestReminderPhrasing is issue 17: accept what people write, say what was
// assumed, and ask about odd readings instead of applying them.
func TestReminderPhrasing(t *testing.T) {
	ctx := context.Background()
	accepted := []struct {
		say, want, zone string
	}{
		{"remind at 9am", "every day", "UTC"},
		{"remind me at 9am", "every day at 09:00", "UTC"},
		{"remind every monday morning", `09:00 for "morning"`, "UTC"},
		{"remind me every weekday evening", `18:00 for "evening"`, "UTC"},
		{"remind daily at 9:00 PST", "America/Los_Angeles", "America/Los_Angeles"},
		{"remind daily at 9:00 PDT", "America/Los_Angeles", "America/Los_Angeles"},
		{"remind daily at 9:00 EDT", "America/New_York", "America/New_York"},
		{"remind daily at 9:00 CST", "America/Chicago", "America/Chicago"},
		{"remind daily at 9:00 MDT", "America/Denver", "America/Denver"},
		{"remind daily at 9:00 BST", "Europe/London", "Europe/London"},
		{"remind daily at 9:00 CET", "Europe/Berlin", "Europe/Berlin"},
		{"remind daily at 9:00 IST", "Asia/Kolkata", "Asia/Kolkata"},
		{"remind daily at 9:00 AEST", "Australia/Sydney", "Australia/Sydney"},
		{"remind daily at 9:00 JST", "Asia/Tokyo", "Asia/Tokyo"},
		{"remind daily at 9:00 london", "Europe/London", "Europe/London"},
		{"remind daily at 9:00 new york", "America/New_York", "America/New_York"},
		{"remind daily at 9:00 LA", "America/Los_Angeles", "America/Los_Angeles"},
		{"remind daily at 9:00 tokyo", "Asia/Tokyo", "Asia/Tokyo"},
		{"remind weekdays at 18:30 berlin", "Europe/Berlin", "Europe/Berlin"},
	}
	for _, tt := range accepted {
		t.Run(tt.say+" is accepted", func(t *testing.T) {
			e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
			r := e.say(theo, tt.say, "Reminders on")
			if !strings.Contains(r.Text, tt.want) {
				t.Errorf("reply %q does not say %q", r.Text, tt.want)
			}
			rem, _, _ := e.db.Reminder(ctx, theo)
			if rem.Zone != tt.zone {
				t.Errorf("zone %q, want %q", rem.Zone, tt.zone)
			}
		})
	}
	t.Run("remind quiet 9-5 asks whether 09:00-17:00 was meant, and yes sets that", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
		r := e.as(theo).Say("remind quiet 9-5")
		if r.Question == nil || !strings.Contains(r.Text, "20 hours") || !strings.Contains(r.Text, "09:00-17:00") {
			t.Fatalf("got %q (question %v)", r.Text, r.Question)
		}
		if rem, ok, _ := e.db.Reminder(ctx, theo); ok && rem.Quiet != "" {
			t.Fatalf("quiet hours applied before the answer: %q", rem.Quiet)
		}
		e.as(theo).Press(bot.Button{ActionID: r.Question.Yes.ID, Value: r.Question.Yes.Value})
		if rem, _, _ := e.db.Reminder(ctx, theo); rem.Quiet != "09:00-17:00" {
			t.Errorf("after yes: quiet %q", rem.Quiet)
		}
	})
	t.Run("quiet hours over 12 hours written in full are asked about too", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
		if r := e.as(theo).Say("remind quiet 20:00-10:00"); r.Question == nil || !strings.Contains(r.Text, "14 hours") {
			t.Fatalf("got %q", r.Text)
		}
	})
	t.Run("a reminder inside quiet hours is asked about, and yes sets it", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
		r := e.as(theo).Say("remind daily at 5am")
		if r.Question == nil || !strings.Contains(r.Text, "inside your quiet hours") {
			t.Fatalf("got %q", r.Text)
		}
		if rem, ok, _ := e.db.Reminder(ctx, theo); ok && rem.Every != "" {
			t.Fatalf("reminder applied before the answer: %+v", rem)
		}
		r = e.as(theo).Press(bot.Button{ActionID: r.Question.Yes.ID, Value: r.Question.Yes.Value})
		if r.Title != "Reminders on" {
			t.Fatalf("after yes: %q %s", r.Title, r.Text)
		}
		if rem, _, _ := e.db.Reminder(ctx, theo); rem.Every != "daily" || rem.Minute != 5*60 {
			t.Errorf("after yes: %+v", rem)
		}
	})
	t.Run("quiet hours covering the reminder are asked about", func(t *testing.T) {
		e := newPlanEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
		e.say(theo, "remind daily at 9:00", "Reminders on")
		if r := e.as(theo).Say("remind quiet 8:00-10:00"); r.Question == nil || !strings.Contains(r.Text, "cover your 09:00 reminder") {
			t.Fatalf("got %q", r.Text)
		}
	})
}
