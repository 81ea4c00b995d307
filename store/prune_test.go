package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// seedAges records one event per day for days days before now, each with
// its own reply, plus an unanswered question every tenth day.
func seedAges(t *testing.T, db *DB, now time.Time, days int) {
	t.Helper()
	ctx := context.Background()
	for d := range days {
		at := now.Add(-time.Duration(d) * 24 * time.Hour)
		if err := db.RecordEvent(ctx, bot.Event{User: alice, Time: at, Kind: bot.EventQuestion, Text: fmt.Sprintf("day %d", d), Reply: fmt.Sprintf("reply %d", d)}); err != nil {
			t.Fatal(err)
		}
		if d%10 == 0 {
			if err := db.LogUnanswered(ctx, bot.UnansweredQuestion{User: alice, Time: at, Text: fmt.Sprintf("unanswered %d", d)}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestPrunePreviewCountsWhatPruneDeletes(t *testing.T) {
	bothEngines(t, testPrunePreviewCountsWhatPruneDeletes)
}

func testPrunePreviewCountsWhatPruneDeletes(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	now := clk.Now()
	seedAges(t, db, now, 40)
	before := now.Add(-30*24*time.Hour + time.Minute)
	preview, err := db.PrunePreview(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	db.r.Get(&n, "SELECT COUNT(*) FROM events")
	if n != 40 {
		t.Fatalf("the preview deleted rows: %d events left, want 40", n)
	}
	rep, err := db.Prune(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	if preview != rep || rep.Events != 10 || rep.Unanswered != 1 {
		t.Errorf("preview %+v, prune %+v; want 10 events and 1 unanswered in both", preview, rep)
	}
}

func TestPruneDeletesOnlyOldHistory(t *testing.T) { bothEngines(t, testPruneDeletesOnlyOldHistory) }

func testPruneDeletesOnlyOldHistory(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	now := clk.Now()
	seedAges(t, db, now, 2500) // more than one batch
	if _, err := db.SaveCheck(ctx, sampleCheck(alice, now.Add(-1000*24*time.Hour), 10, 1, "not_yet")); err != nil {
		t.Fatal(err)
	}

	rep, err := db.Prune(ctx, now.Add(-365*24*time.Hour+time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("events and unanswered questions past the cutoff go", func(t *testing.T) {
		if rep.Events != 2500-365 || rep.Unanswered != 250-37 {
			t.Errorf("deleted %+v, want %d events and %d unanswered", rep, 2500-365, 250-37)
		}
		var oldest int64
		db.r.Get(&oldest, "SELECT MIN(at) FROM events")
		if age := now.Sub(fromMilli(oldest)); age >= 365*24*time.Hour {
			t.Errorf("oldest event is %v old", age)
		}
	})
	t.Run("recent events stay with their replies", func(t *testing.T) {
		evs, _ := db.RecentEvents(ctx, alice, "", 1000)
		if len(evs) != 365 || evs[0].Reply != "reply 0" {
			t.Errorf("%d events left; newest reply %q", len(evs), evs[0].Reply)
		}
	})
	t.Run("replies of deleted events go too", func(t *testing.T) {
		var n int
		db.r.Get(&n, "SELECT COUNT(*) FROM replies")
		if n != 365 {
			t.Errorf("%d replies left, want 365", n)
		}
	})
	t.Run("checks stay", func(t *testing.T) {
		cs, _ := db.LatestChecks(ctx, alice, 10)
		if len(cs) != 1 {
			t.Errorf("%d checks", len(cs))
		}
	})
	t.Run("pruning again deletes nothing", func(t *testing.T) {
		rep, err := db.Prune(ctx, now.Add(-365*24*time.Hour+time.Minute))
		if err != nil || rep.Events+rep.Unanswered != 0 {
			t.Errorf("got %+v, %v", rep, err)
		}
	})
}

func TestRetention(t *testing.T) { bothEngines(t, testRetention) }

func testRetention(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	seedAges(t, db, clk.Now(), 40)
	r := &Retention{DB: db, MaxAge: 30 * 24 * time.Hour, Now: clk.Now}

	t.Run("a database never pruned is due now", func(t *testing.T) {
		next, err := r.Next(ctx)
		if err != nil || !next.Equal(clk.Now()) {
			t.Errorf("next %v, %v; want now %v", next, err, clk.Now())
		}
	})
	t.Run("a prune deletes what is older than MaxAge by the injected clock", func(t *testing.T) {
		rep, err := r.RunOnce(ctx)
		if err != nil || rep.Events != 9 {
			t.Errorf("got %+v, %v; want the 9 events older than 30 days", rep, err)
		}
	})
	t.Run("the next prune is a day after the last, across restarts", func(t *testing.T) {
		clk.Add(3 * time.Hour)
		again := &Retention{DB: db, MaxAge: r.MaxAge, Now: clk.Now}
		next, err := again.Next(ctx)
		if want := clk.Now().Add(21 * time.Hour); err != nil || !next.Equal(want) {
			t.Errorf("next %v, %v; want %v", next, err, want)
		}
	})
	t.Run("Run prunes when due and stops with its context", func(t *testing.T) {
		clk.Add(2 * 24 * time.Hour) // two more days of history are now too old
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		run := &Retention{DB: db, MaxAge: r.MaxAge, Now: clk.Now}
		go func() { done <- run.Run(ctx) }()
		deadline := time.Now().Add(10 * time.Second)
		for {
			var n int
			db.r.Get(&n, "SELECT COUNT(*) FROM events")
			if n == 28 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d events still stored", n)
			}
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run returned %v", err)
		}
	})
	t.Run("Run refuses a non-positive age", func(t *testing.T) {
		if err := (&Retention{DB: db}).Run(ctx); err == nil {
			t.Error("ran with MaxAge 0")
		}
	})
}

func TestParseAgeRefusesAmbiguousM(t *testing.T) {
	_, err := ParseAge("1m")
	if err == nil || !strings.Contains(bot.ErrorMessage(err), "1min or 1mo") {
		t.Fatalf("ParseAge(1m) = %v; want a refusal naming 1min and 1mo", err)
	}
}

func TestParseAge(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"365d", 365 * 24 * time.Hour, true},
		{"12h", 12 * time.Hour, true},
		{"90min", 90 * time.Minute, true},
		{"1d12h", 36 * time.Hour, true},
		{"2w", 14 * 24 * time.Hour, true},
		{"6mo", 180 * 24 * time.Hour, true},
		{"1y", 365 * 24 * time.Hour, true},
		{"30 days", 30 * 24 * time.Hour, true},
		{"6 months", 180 * 24 * time.Hour, true},
		{"1 year and 6 months", 545 * 24 * time.Hour, true},
		{"2 Weeks", 14 * 24 * time.Hour, true},
		{"45 minutes", 45 * time.Minute, true},
		{"1m", 0, false},
		{"90m", 0, false},
		{"1d12m", 0, false},
		{"0d", 0, false},
		{"-5d", 0, false},
		{"5", 0, false},
		{"d", 0, false},
		{"5 fortnights", 0, false},
		{"1.5d", 0, false},
		{"", 0, false},
		{"99999999999999999999d", 0, false},
		{"40000d", 0, false},
		{"36600d", 36600 * 24 * time.Hour, true},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%q is refused", tt.in)
		if tt.ok {
			name = fmt.Sprintf("%q is %v", tt.in, tt.want)
		}
		t.Run(name, func(t *testing.T) {
			got, err := ParseAge(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseAge(%q) = %v, %v", tt.in, got, err)
			}
			if err != nil && bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("code %s", bot.ErrorCode(err))
			}
			if tt.ok {
				if back, _ := ParseAge(FormatAge(got)); back != got {
					t.Errorf("FormatAge(%v) = %q does not read back", got, FormatAge(got))
				}
			}
		})
	}
}
