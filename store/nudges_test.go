package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

func taskNudge(u bot.UserRef, task string, at time.Time, key string) bot.Nudge {
	return bot.Nudge{User: u, Kind: bot.NudgeTask, TaskID: task, Slot: at, Due: at, Key: key}
}

func TestNudgeQueueLeases(t *testing.T) { bothEngines(t, testNudgeQueueLeases) }

func testNudgeQueueLeases(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	now := clk.Now()
	for i, u := range []bot.UserRef{alice, bob} {
		if ok, err := db.Enqueue(ctx, taskNudge(u, "reply-to-comments", now.Add(-time.Minute), fmt.Sprintf("k%d", i))); err != nil || !ok {
			t.Fatalf("enqueue: %v %v", ok, err)
		}
	}
	t.Run("a second live nudge for the same task is refused", func(t *testing.T) {
		ok, err := db.Enqueue(ctx, taskNudge(alice, "reply-to-comments", now.Add(time.Hour), "k9"))
		if err != nil || ok {
			t.Fatalf("got %v %v, want refused", ok, err)
		}
	})
	t.Run("a bad idempotency key is refused", func(t *testing.T) {
		if _, err := db.Enqueue(ctx, taskNudge(alice, "other", now, "not a key!")); err == nil {
			t.Fatal("accepted a key with spaces")
		}
	})
	req := bot.ClaimRequest{Owner: "a", Now: now, LeaseUntil: now.Add(time.Minute), Limit: 10}
	got, err := db.ClaimDue(ctx, req)
	if err != nil || len(got) != 2 {
		t.Fatalf("claim: %d %v", len(got), err)
	}
	t.Run("claimed nudges are not claimed twice while the lease holds", func(t *testing.T) {
		req2 := req
		req2.Owner = "b"
		again, err := db.ClaimDue(ctx, req2)
		if err != nil || len(again) != 0 {
			t.Fatalf("second claim got %d, %v", len(again), err)
		}
	})
	t.Run("an expired lease makes the nudge due for another dispatcher, and fences the first", func(t *testing.T) {
		later := now.Add(2 * time.Minute)
		taken, err := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "b", Now: later, LeaseUntil: later.Add(time.Minute), Limit: 1})
		if err != nil || len(taken) != 1 {
			t.Fatalf("takeover got %d, %v", len(taken), err)
		}
		if ok, err := db.Renew(ctx, taken[0].ID, "a", later.Add(time.Minute)); err != nil || ok {
			t.Fatalf("old owner renewed: %v %v", ok, err)
		}
		if held, _ := db.Held(ctx, taken[0].ID, "a", later); held {
			t.Fatal("old owner still holds it")
		}
		if held, _ := db.Held(ctx, taken[0].ID, "b", later); !held {
			t.Fatal("new owner does not hold it")
		}
		if n, err := db.MarkSent(ctx, "b", []bot.SentNudge{{ID: taken[0].ID, At: later}}); err != nil || n != 1 {
			t.Fatalf("new owner could not record: %v %v", n, err)
		}
	})
	t.Run("a canceled claim cannot be renewed or recorded", func(t *testing.T) {
		var mine bot.Nudge
		for _, n := range got {
			if n.User == bob {
				mine = n
			}
		}
		if n, err := db.Reschedule(ctx, bob, nil, "", nil); err != nil || n != 1 {
			t.Fatalf("cancel: %d %v", n, err)
		}
		if ok, _ := db.Renew(ctx, mine.ID, "a", now.Add(time.Minute)); ok {
			t.Error("renewed a canceled nudge")
		}
		if n, _ := db.MarkSent(ctx, "a", []bot.SentNudge{{ID: mine.ID, At: now}}); n != 0 {
			t.Error("recorded a canceled nudge as sent")
		}
	})
}

func TestNudgeRetriesAndDead(t *testing.T) { bothEngines(t, testNudgeRetriesAndDead) }

func testNudgeRetriesAndDead(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	now := clk.Now()
	db.Enqueue(ctx, taskNudge(alice, "t1", now, "a1"))
	db.SaveReminder(ctx, bot.Reminder{User: alice, Every: "daily", Minute: 540, Zone: "UTC", Unreachable: "DMs closed"})
	claim := func() bot.Nudge {
		t.Helper()
		ns, err := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "a", Now: clk.Now(), LeaseUntil: clk.Now().Add(time.Minute), Limit: 1})
		if err != nil || len(ns) != 1 {
			t.Fatalf("claim: %d %v", len(ns), err)
		}
		return ns[0]
	}
	n := claim()
	if ok, err := db.Release(ctx, n.ID, "a", now.Add(time.Hour), "boom", true); err != nil || !ok {
		t.Fatal(err)
	}
	t.Run("a released nudge waits for its retry time and counts the attempt", func(t *testing.T) {
		ns, _ := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "a", Now: now.Add(59 * time.Minute), LeaseUntil: now.Add(time.Hour), Limit: 1})
		if len(ns) != 0 {
			t.Fatal("claimed before its retry time")
		}
		clk.Add(time.Hour)
		if n = claim(); n.Attempts != 1 || n.LastError != "boom" {
			t.Fatalf("attempts %d, error %q", n.Attempts, n.LastError)
		}
	})
	if ok, err := db.Finish(ctx, n.ID, "a", bot.NudgeDead, "gave up"); err != nil || !ok {
		t.Fatal(err)
	}
	t.Run("dead nudges are listed with the reason", func(t *testing.T) {
		dead, err := db.ListNudges(ctx, bot.NudgeFilter{Status: bot.NudgeDead, User: bot.UserRef{ID: "alice"}})
		if err != nil || len(dead) != 1 || dead[0].LastError != "gave up" || dead[0].Attempts != 2 {
			t.Fatalf("got %+v, %v", dead, err)
		}
		if _, err := db.ListNudges(ctx, bot.NudgeFilter{Status: "lost"}); bot.ErrorCode(err) != bot.EINVALID {
			t.Fatalf("unknown status: %v", err)
		}
	})
	t.Run("retry-dead re-queues them and clears the unreachable mark", func(t *testing.T) {
		n, err := db.RetryDead(ctx, bot.NudgeFilter{}, clk.Now())
		if err != nil || n != 1 {
			t.Fatalf("retried %d, %v", n, err)
		}
		r, _, _ := db.Reminder(ctx, alice)
		if r.Unreachable != "" {
			t.Errorf("still unreachable: %q", r.Unreachable)
		}
		if again := claim(); again.Attempts != 0 {
			t.Errorf("attempts %d after retry", again.Attempts)
		}
	})
}

func TestExportAndForgetCoverPlansAndNudges(t *testing.T) {
	bothEngines(t, testExportAndForgetCoverPlansAndNudges)
}

func testExportAndForgetCoverPlansAndNudges(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	now := clk.Now()
	for _, u := range []bot.UserRef{alice, bob} {
		if err := db.SaveTask(ctx, bot.TaskState{User: u, TaskID: "reply-to-comments", Status: bot.TaskActive, AcceptedAt: now}); err != nil {
			t.Fatal(err)
		}
		db.SaveReminder(ctx, bot.Reminder{User: u, Every: "daily", Minute: 540, Zone: "UTC"})
		db.SaveProposal(ctx, bot.Proposal{User: u, Tasks: []bot.ProposedTask{{TaskID: "reply-to-comments"}}})
		db.LogTaskEvent(ctx, bot.TaskEvent{User: u, TaskID: "reply-to-comments", Kind: "accept"})
		db.Enqueue(ctx, taskNudge(u, "reply-to-comments", now, "key"+u.ID))
	}
	x, err := db.Export(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("export includes the user's tasks, nudges and settings, and no one else's", func(t *testing.T) {
		if len(x.Tasks) != 1 || len(x.Nudges) != 1 {
			t.Fatalf("tasks %d, nudges %d", len(x.Tasks), len(x.Nudges))
		}
		for _, table := range []string{"plans", "reminders", "task_events"} {
			if len(x.Other[table]) != 1 {
				t.Errorf("export has %d rows of %s", len(x.Other[table]), table)
			}
		}
		if strings.Contains(fmt.Sprint(x.Nudges), "bob") {
			t.Error("export leaks bob's nudge")
		}
	})
	if _, err := db.Forget(ctx, alice); err != nil {
		t.Fatal(err)
	}
	t.Run("forget erases them and leaves other users alone", func(t *testing.T) {
		if ts, _ := db.Tasks(ctx, alice); len(ts) != 0 {
			t.Errorf("alice still has %d tasks", len(ts))
		}
		if ns, _ := db.LiveNudges(ctx, alice); len(ns) != 0 {
			t.Errorf("alice still has %d nudges", len(ns))
		}
		if _, ok, _ := db.Reminder(ctx, alice); ok {
			t.Error("alice's reminder survived")
		}
		if ns, _ := db.LiveNudges(ctx, bob); len(ns) != 1 {
			t.Errorf("bob has %d nudges", len(ns))
		}
	})
}

func TestPruneDropsOldSentNudgesAndTaskEvents(t *testing.T) {
	bothEngines(t, testPruneDropsOldSentNudgesAndTaskEvents)
}

func testPruneDropsOldSentNudgesAndTaskEvents(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	old := clk.Now()
	// A year ago: one nudge sent, one canceled, one dead, one still
	// pending (not due for long), and a task event.
	for i, k := range []string{"sent", "canceled", "dead", "pending"} {
		due := old
		if k == "pending" {
			due = old.Add(2 * 365 * 24 * time.Hour)
		}
		if ok, err := db.Enqueue(ctx, taskNudge(alice, "t"+k, due, "old"+k)); err != nil || !ok {
			t.Fatalf("enqueue: %v %v", ok, err)
		}
		if k == "pending" {
			continue
		}
		ns, err := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "o", Now: old, LeaseUntil: old.Add(time.Minute), Limit: 1, User: alice})
		if err != nil || len(ns) != 1 {
			t.Fatalf("claim %d: %d %v", i, len(ns), err)
		}
		switch k {
		case "sent":
			_, err = db.MarkSent(ctx, "o", []bot.SentNudge{{ID: ns[0].ID, At: old}})
		case "canceled", "dead":
			_, err = db.Finish(ctx, ns[0].ID, "o", k, "why")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	db.LogTaskEvent(ctx, bot.TaskEvent{User: alice, TaskID: "tsent", Kind: "done", Time: old})
	clk.Add(365 * 24 * time.Hour)
	// Now: a recent send and event, of alice and of bob.
	for _, u := range []bot.UserRef{alice, bob} {
		db.Enqueue(ctx, taskNudge(u, "fresh", clk.Now(), "new"+u.ID))
		ns, _ := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "o", Now: clk.Now(), LeaseUntil: clk.Now().Add(time.Minute), Limit: 1, User: u})
		db.MarkSent(ctx, "o", []bot.SentNudge{{ID: ns[0].ID, At: clk.Now()}})
		db.LogTaskEvent(ctx, bot.TaskEvent{User: u, TaskID: "fresh", Kind: "done", Time: clk.Now()})
	}
	rep, err := db.Prune(ctx, clk.Now().Add(-30*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("old sent and canceled nudges and old task events are deleted", func(t *testing.T) {
		if rep.Nudges != 2 || rep.TaskEvents != 1 {
			t.Fatalf("report %+v, want 2 nudges and 1 task event", rep)
		}
	})
	t.Run("dead and pending nudges and recent rows stay", func(t *testing.T) {
		all, _ := db.ListNudges(ctx, bot.NudgeFilter{})
		var left []string
		for _, n := range all {
			left = append(left, n.User.ID+":"+n.TaskID+":"+n.Status)
		}
		want := "alice:tpending:pending bob:fresh:sent alice:fresh:sent alice:tdead:dead"
		if strings.Join(left, " ") != want {
			t.Fatalf("left %v, want %s", left, want)
		}
		if evs, _ := db.TaskEvents(ctx, alice, time.Time{}); len(evs) != 1 || evs[0].TaskID != "fresh" {
			t.Fatalf("alice's task events %+v", evs)
		}
	})
}

// BenchmarkDueWithin finds the nudges due in the next minute among
// 1,000,000 scheduled over 30 days (the target: under 10 ms).
func BenchmarkDueWithin(b *testing.B) {
	ctx := context.Background()
	db, clk := openTestDB(b)
	now := clk.Now()
	const rows = 1_000_000
	span := int64(30 * 24 * time.Hour / time.Millisecond)
	// Generated in SQL: a million rows in a few seconds.
	if _, err := db.w.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO nudges (platform, tenant, user_id, kind, task_id, slot_at, due_at, status, idem_key, created_at, updated_at)
		SELECT 'discord', 'g' || (i % 50), 'u' || i, 'task', 't' || (i % 7), ? + (i * 7919 % ?), ? + (i * 7919 % ?),
			CASE WHEN i % 3 = 0 THEN 'sent' ELSE 'pending' END, 'k' || i, ?, ? FROM n`,
		rows, now.UnixMilli(), span, now.UnixMilli(), span, now.UnixMilli(), now.UnixMilli()); err != nil {
		b.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	// The rows start now and spread over 30 days, as a live schedule does:
	// the next minute holds a couple of dozen of them.
	found := 0
	for b.Loop() {
		ns, err := db.DueWithin(ctx, now.Add(time.Minute), 1000)
		if err != nil {
			b.Fatal(err)
		}
		found = len(ns)
	}
	b.ReportMetric(float64(found), "due/op")
}

// TestClaimAfterTheClockWentBack: a claim whose dispatcher died is due
// again within the lease cap even when the clock went back an hour after
// the claim (issue 16, finding 5).
func TestClaimAfterTheClockWentBack(t *testing.T) { bothEngines(t, testClaimAfterTheClockWentBack) }

func testClaimAfterTheClockWentBack(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	now := clk.Now()
	if _, err := db.Enqueue(ctx, taskNudge(alice, "reply-to-comments", now.Add(-time.Minute), "back1")); err != nil {
		t.Fatal(err)
	}
	if got, err := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "a", Now: now, LeaseUntil: now.Add(time.Minute), MaxLease: 2 * time.Minute, Limit: 1}); err != nil || len(got) != 1 {
		t.Fatalf("claim: %d %v", len(got), err)
	}
	back := now.Add(-time.Hour + 3*time.Minute) // the clock went back an hour; three minutes pass
	t.Run("a live lease is not taken", func(t *testing.T) {
		got, err := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "b", Now: now.Add(30 * time.Second), LeaseUntil: now.Add(90 * time.Second), MaxLease: 2 * time.Minute, Limit: 1})
		if err != nil || len(got) != 0 {
			t.Fatalf("took a live lease: %d %v", len(got), err)
		}
	})
	t.Run("an orphaned claim is taken minutes after the clock went back, not an hour", func(t *testing.T) {
		got, err := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "b", Now: back, LeaseUntil: back.Add(time.Minute), MaxLease: 2 * time.Minute, Limit: 1})
		if err != nil || len(got) != 1 {
			t.Fatalf("claim after the clock went back: %d %v", len(got), err)
		}
	})
}

// TestSendAnchorsTheTask: recording a task nudge's send sets the task's
// anchor (a snooze does not), a later save never moves it back, LastSent
// reads the last send of a kind, and an attempt marker survives until the
// send is recorded (issue 16, issue 15 finding 2).
func TestSendAnchorsTheTask(t *testing.T) { bothEngines(t, testSendAnchorsTheTask) }

func testSendAnchorsTheTask(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	now := clk.Now()
	task := bot.TaskState{User: alice, TaskID: "reply-to-comments", Status: bot.TaskActive, AcceptedAt: now}
	if err := db.SaveTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	snooze := taskNudge(alice, "reply-to-comments", now, "snz1")
	snooze.Kind = bot.NudgeSnooze
	for _, n := range []bot.Nudge{taskNudge(alice, "reply-to-comments", now, "reg1"), snooze} {
		if ok, err := db.Enqueue(ctx, n); err != nil || !ok {
			t.Fatalf("enqueue %s: %v %v", n.Key, ok, err)
		}
	}
	claimed, err := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "a", Now: now, LeaseUntil: now.Add(time.Minute), Limit: 10})
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim: %d %v", len(claimed), err)
	}
	var reg, snz bot.Nudge
	for _, n := range claimed {
		if n.MaybeSent {
			t.Errorf("fresh nudge %s claimed as MaybeSent", n.Key)
		}
		if n.Kind == bot.NudgeSnooze {
			snz = n
		} else {
			reg = n
		}
	}
	if n, err := db.MarkSending(ctx, "a", []int64{reg.ID, snz.ID}, now); err != nil || n != 2 {
		t.Fatalf("mark sending: %d %v", n, err)
	}
	if n, err := db.MarkSending(ctx, "someone-else", []int64{reg.ID}, now); err != nil || n != 0 {
		t.Fatalf("another owner marked %d, %v", n, err)
	}
	snoozeAt := now.Add(2 * time.Second)
	if n, err := db.MarkSent(ctx, "a", []bot.SentNudge{{ID: snz.ID, At: snoozeAt}}); err != nil || n != 1 {
		t.Fatalf("record snooze: %d %v", n, err)
	}
	t.Run("a snooze's send is not the task's anchor", func(t *testing.T) {
		ts, _ := db.Tasks(ctx, alice)
		if !ts[0].LastNudged.IsZero() {
			t.Errorf("anchor %s after a snooze", ts[0].LastNudged)
		}
	})
	sentAt := now.Add(time.Second)
	if n, err := db.MarkSent(ctx, "a", []bot.SentNudge{{ID: reg.ID, At: sentAt}}); err != nil || n != 1 {
		t.Fatalf("record: %d %v", n, err)
	}
	t.Run("a regular send is the anchor, and saving an older read keeps it", func(t *testing.T) {
		if err := db.SaveTask(ctx, task); err != nil { // task was read before the send
			t.Fatal(err)
		}
		ts, _ := db.Tasks(ctx, alice)
		if !ts[0].LastNudged.Equal(sentAt) {
			t.Errorf("anchor %s, want %s", ts[0].LastNudged, sentAt)
		}
	})
	t.Run("LastSent reads the last send of a kind", func(t *testing.T) {
		if got, err := db.LastSent(ctx, alice, bot.NudgeTask); err != nil || !got.Equal(sentAt) {
			t.Errorf("task: %s %v", got, err)
		}
		if got, err := db.LastSent(ctx, alice, bot.NudgeRecheck); err != nil || !got.IsZero() {
			t.Errorf("recheck: %s %v", got, err)
		}
	})
	t.Run("a recorded send is not MaybeSent", func(t *testing.T) {
		all, _ := db.ListNudges(ctx, bot.NudgeFilter{User: alice})
		for _, n := range all {
			if n.MaybeSent {
				t.Errorf("%s (%s) listed as MaybeSent", n.Key, n.Status)
			}
		}
	})
}

func TestReminderRoundTrip(t *testing.T) { bothEngines(t, testReminderRoundTrip) }

// testReminderRoundTrip stores reminders, a paused one among them, and
// reads back exactly what was saved; a second save replaces the first.
func testReminderRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	now := clk.Now().Truncate(time.Millisecond)
	tests := []bot.Reminder{
		{User: alice, Every: "daily", Minute: 540, Zone: "Europe/Berlin", Updated: now},
		{User: alice, Every: "weekly", Day: time.Friday, Minute: 1110, Zone: "UTC", Quiet: "23:00-07:00", ResumeAt: now.Add(7 * 24 * time.Hour), Updated: now},
		{User: alice, Every: "daily", Minute: 540, Zone: "UTC", Stopped: true, Updated: now},
	}
	for _, want := range tests {
		if err := db.SaveReminder(ctx, want); err != nil {
			t.Fatal(err)
		}
		got, ok, err := db.Reminder(ctx, alice)
		if err != nil || !ok {
			t.Fatalf("read back: %v %v", ok, err)
		}
		if !got.ResumeAt.Equal(want.ResumeAt) || !got.Updated.Equal(want.Updated) {
			t.Errorf("times: got resume %v updated %v, want %v %v", got.ResumeAt, got.Updated, want.ResumeAt, want.Updated)
		}
		got.ResumeAt, got.Updated, want.ResumeAt, want.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
}
