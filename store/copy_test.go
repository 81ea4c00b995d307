package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// seedCopySource fills a SQLite database with every kind of row for
// users users.
func seedCopySource(t *testing.T, db *DB, clk *clock, users int) {
	t.Helper()
	ctx := context.Background()
	for i := range users {
		u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: fmt.Sprintf("T%d", i%3), ID: fmt.Sprintf("U%03d", i)}
		for j := range 5 {
			clk.Add(time.Minute)
			if err := db.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: fmt.Sprintf("question %d of %s, it's 'quoted' ?", j, u), Reply: "the same reply", Confidence: 0.5, Answered: j%2 == 0}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.LogUnanswered(ctx, bot.UnansweredQuestion{User: u, Text: "what about ?" + u.ID, Suggestions: []string{"a"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveCheck(ctx, sampleCheck(u, clk.Now(), int64(1000+i), 2.5, "borderline")); err != nil {
			t.Fatal(err)
		}
		for _, task := range []string{"b-task", "a-task"} {
			if err := db.SaveTask(ctx, bot.TaskState{User: u, TaskID: task, Status: bot.TaskActive, AcceptedAt: clk.Now(), Streak: i}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SaveReminder(ctx, bot.Reminder{User: u, Every: "daily", Minute: 540, Zone: "UTC", Stopped: i%4 == 0}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Enqueue(ctx, taskNudge(u, "a-task", clk.Now().Add(time.Hour), fmt.Sprintf("k%d", i))); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveContext(ctx, bot.Conversation{User: u, LastTopic: "fees", Updated: clk.Now()}); err != nil {
			t.Fatal(err)
		}
		if i%5 == 0 {
			if err := db.AddAdmin(ctx, u.TenantRef(), u.ID, "setup"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.Remember(ctx, "replay-key", clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
}

func TestCopySQLiteToPostgres(t *testing.T) {
	requirePostgres(t)
	ctx := context.Background()
	clk := newClock()
	src := New(filepath.Join(t.TempDir(), "influbot.db"))
	src.Now = clk.Now
	if err := src.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	seedCopySource(t, src, clk, 40)
	dst := openPG(t, pgTestSchema(t), clk)
	o := CopyOptions{Batch: 7, VerifyUsers: 40}

	t.Run("an interrupted copy resumes where it stopped", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		stop := o
		stop.Progress = func(table string, copied, total int64) {
			if table == "events" && copied >= 50 {
				cancel()
			}
		}
		if _, err := Copy(cctx, src, dst, stop); err == nil {
			t.Fatal("the interrupted copy reported success")
		}
		var progress string
		if err := dst.r.Get(&progress, `SELECT value FROM store_meta WHERE key = 'copy.progress.events'`); err != nil {
			t.Fatalf("no progress kept: %v", err)
		}
		rep, err := Copy(ctx, src, dst, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range rep.Tables {
			if tc.Table == "events" && tc.Resumed != progress {
				t.Errorf("events resumed from %q, want %q", tc.Resumed, progress)
			}
		}
	})
	check := func(t *testing.T) {
		t.Helper()
		c, err := Verify(ctx, src, dst, o, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range c.Mismatches {
			t.Error(m)
		}
		if c.Users != 40 || len(c.Tables) < 13 {
			t.Errorf("compared %d users, %d tables", c.Users, len(c.Tables))
		}
	}
	t.Run("every table and every user's export are the same", check)
	t.Run("a copy run again changes nothing and takes the source's changes", func(t *testing.T) {
		u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T1", ID: "U001"}
		if err := src.SaveReminder(ctx, bot.Reminder{User: u, Every: "weekly", Minute: 600, Zone: "UTC"}); err != nil {
			t.Fatal(err)
		}
		if _, err := Copy(ctx, src, dst, o); err != nil {
			t.Fatal(err)
		}
		check(t)
		if r, _, _ := dst.Reminder(ctx, u); r.Every != "weekly" {
			t.Errorf("reminder %+v", r)
		}
	})
	t.Run("tasks keep the order they were added in", func(t *testing.T) {
		u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T0", ID: "U000"}
		ts, err := dst.Tasks(ctx, u)
		if err != nil || len(ts) != 2 || ts[0].TaskID != "b-task" {
			t.Errorf("tasks %+v, %v", ts, err)
		}
	})
	t.Run("a copy back from PostgreSQL into SQLite is identical too", func(t *testing.T) {
		back := New(filepath.Join(t.TempDir(), "back.db"))
		back.Now = clk.Now
		if err := back.Open(ctx); err != nil {
			t.Fatal(err)
		}
		defer back.Close()
		if _, err := Copy(ctx, dst, back, o); err != nil {
			t.Fatal(err)
		}
		c, err := Verify(ctx, dst, back, o, rand.New(rand.NewPCG(5, 6)))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range c.Mismatches {
			t.Error(m)
		}
		if ts, err := back.Tasks(ctx, bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T0", ID: "U000"}); err != nil || len(ts) != 2 || ts[0].TaskID != "b-task" {
			t.Errorf("tasks %+v, %v", ts, err)
		}
	})
	t.Run("rows added after the copy get new ids", func(t *testing.T) {
		u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T9", ID: "new"}
		if err := dst.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: "after"}); err != nil {
			t.Fatal(err)
		}
		if _, err := dst.Enqueue(ctx, taskNudge(u, "x", clk.Now(), "afterkey")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("verify finds a changed row and a missing one", func(t *testing.T) {
		dst.w.MustExec(`UPDATE events SET text = 'changed' WHERE id = (SELECT MIN(id) FROM events)`)
		dst.w.MustExec(`DELETE FROM replay_marks`) // SQLite keeps its marks there (0008)
		c, err := Verify(ctx, src, dst, o, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"user slack:T0:U000: the exports differ": true, "table replay_marks: 1 rows in the source, 0 in the target": true}
		for _, m := range c.Mismatches {
			delete(want, m)
		}
		if len(want) > 0 {
			t.Errorf("not found: %v (found %v)", want, c.Mismatches)
		}
	})
	t.Run("databases at different versions are refused", func(t *testing.T) {
		dst.w.MustExec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'x', 0)`)
		defer dst.w.MustExec(`DELETE FROM schema_migrations WHERE version = 9999`)
		_, err := Copy(ctx, src, dst, o)
		var be *bot.Error
		if !errors.As(err, &be) || be.Code != bot.EINVALID {
			t.Errorf("got %v", err)
		}
	})
}

// BenchmarkCopyMillionEvents copies the history fixture (1,000,000 events,
// 1,000 users) into a fresh PostgreSQL schema and verifies 50 users'
// exports. Run it with -benchtime=1x: one copy is a minute or so.
func BenchmarkCopyMillionEvents(b *testing.B) {
	requirePostgres(b)
	path := historyFixture(b)
	ctx := context.Background()
	src := New(path)
	src.ReadOnly = true
	if err := src.Open(ctx); err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	for b.Loop() {
		b.StopTimer()
		dst := New(pgTestSchema(b))
		if err := dst.Open(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := Copy(ctx, src, dst, CopyOptions{})
		if err != nil {
			b.Fatal(err)
		}
		c, err := Verify(ctx, src, dst, CopyOptions{}, rand.New(rand.NewPCG(3, 4)))
		if err != nil || len(c.Mismatches) > 0 {
			b.Fatalf("verify: %v %v", err, c.Mismatches)
		}
		b.ReportMetric(float64(rep.Took.Milliseconds()), "copy-ms")
		b.ReportMetric(float64(c.Users), "users-compared")
		dst.Close()
	}
}
