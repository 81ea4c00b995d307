package nudge_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
)

func TestFailuresAreRetriedThenParked(t *testing.T) {
	start := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	t.Run("a platform error is retried with backoff and parked as dead after five attempts", func(t *testing.T) {
		e := newEnv(t, start)
		seedDue(t, e, []bot.UserRef{maya})
		e.note.fail = func(int, bot.UserRef) error { return errors.New("discord: 500 Internal Server Error") }
		e.disp.Backoff = func(a int) time.Duration { return time.Duration(a) * time.Minute }
		e.runUntil(e.clk.Now().Add(time.Hour))
		dead, _ := e.db.ListNudges(context.Background(), bot.NudgeFilter{Status: bot.NudgeDead})
		live, _ := e.db.LiveNudges(context.Background(), maya)
		if len(dead) == 0 || countKind(live, bot.NudgeTask) != 0 {
			t.Fatalf("dead %d, still live %d", len(dead), countKind(live, bot.NudgeTask))
		}
		for _, n := range dead {
			if n.Attempts != nudge.DefaultMaxAttempts || !strings.Contains(n.LastError, "gave up after 5 attempts") || !strings.Contains(n.LastError, "500") {
				t.Errorf("dead nudge: attempts %d, reason %q", n.Attempts, n.LastError)
			}
		}
		if st := e.disp.Stats(); st.Retried != int64(4*len(dead)) || st.Sent != 0 {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("a 429 pauses the platform for Retry-After and the nudge goes out after it", func(t *testing.T) {
		e := newEnv(t, start)
		seedDue(t, e, []bot.UserRef{maya})
		limitedAt := e.clk.Now()
		e.note.fail = func(call int, _ bot.UserRef) error {
			if call <= 2 {
				return &bot.RateLimitedError{RetryAfter: 30 * time.Second, Err: errors.New("429 Too Many Requests")}
			}
			return nil
		}
		e.runUntil(e.clk.Now().Add(10 * time.Minute))
		got := e.note.deliveries()
		if countPrefix(got, "Time for: ") < 3 {
			t.Fatalf("delivered %d", len(got))
		}
		if first := got[0].At; first.Sub(limitedAt) < 30*time.Second {
			t.Errorf("first send %s after the 429, want at least Retry-After 30s", first.Sub(limitedAt))
		}
		if st := e.disp.Stats(); st.RateLimited < 1 || st.Dead != 0 {
			t.Errorf("stats %+v", st)
		}
	})
	t.Run("a user who cannot be messaged is marked and not retried", func(t *testing.T) {
		e := newEnv(t, start)
		seedDue(t, e, []bot.UserRef{maya, theo})
		e.note.fail = func(_ int, u bot.UserRef) error {
			if u == theo {
				return fmt.Errorf("discord: cannot send messages to this user: %w", bot.ErrUnreachable)
			}
			return nil
		}
		e.runUntil(e.clk.Now().Add(3 * 24 * time.Hour))
		if st := e.disp.Stats(); st.Unreachable != 1 {
			t.Errorf("unreachable sends %d, want exactly 1 (no retries), stats %+v", st.Unreachable, st)
		}
		if live, _ := e.db.LiveNudges(context.Background(), theo); len(live) != 0 {
			t.Errorf("theo still has %d nudges scheduled", len(live))
		}
		rem, _, _ := e.db.Reminder(context.Background(), theo)
		if !strings.Contains(rem.Unreachable, "cannot send") {
			t.Errorf("theo not marked: %q", rem.Unreachable)
		}
		if countPrefix(e.note.deliveries(), "Time for: ") < 3 {
			t.Errorf("maya got %d nudges over three days", len(e.note.deliveries()))
		}
		t.Run("and talking to the bot again makes them reachable", func(t *testing.T) {
			e.as(theo).Say("remind daily at 9:00 UTC")
			if live, _ := e.db.LiveNudges(context.Background(), theo); countKind(live, bot.NudgeTask) == 0 {
				t.Error("no nudges scheduled after theo came back")
			}
		})
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

// TestOptOutMidDispatch opts a user out while their nudges are claimed and
// being sent: nothing more reaches them, other users get everything.
func TestOptOutMidDispatch(t *testing.T) {
	tests := []struct {
		name   string
		optOut func(e *env)
	}{
		{"stop", func(e *env) { e.as(maya).Say("stop") }},
		{"remind off", func(e *env) { e.as(maya).Say("remind off") }},
		{"forget me", func(e *env) {
			if _, err := e.db.Forget(context.Background(), maya); err != nil {
				e.t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" takes effect for nudges already claimed", func(t *testing.T) {
			e := newEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
			seedDue(t, e, []bot.UserRef{maya, theo})
			var once bool
			e.note.after = func(d delivery) {
				if d.User == maya && !once {
					once = true
					tt.optOut(e) // the rest of maya's nudges are claimed in this batch
				}
			}
			e.run()
			got := e.note.deliveries()
			if n := countUser(got, maya); n != 1 {
				t.Errorf("maya got %d nudges, want only the one before opting out", n)
			}
			if n := countUser(got, theo); n < 3 {
				t.Errorf("theo got %d nudges", n)
			}
			if st := e.disp.Stats(); st.Fenced+st.Canceled < 2 {
				t.Errorf("stats %+v: want maya's other claimed nudges withdrawn", st)
			}
			e.runUntil(e.clk.Now().Add(7 * 24 * time.Hour))
			if n := countUser(e.note.deliveries(), maya); n != 1 {
				t.Errorf("maya got %d nudges in the week after opting out", n-1)
			}
		})
	}
}

func countUser(ds []delivery, u bot.UserRef) int {
	n := 0
	for _, d := range ds {
		if d.User == u {
			n++
		}
	}
	return n
}
