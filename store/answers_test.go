package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

func TestKnowledgeAnswers(t *testing.T) { bothEngines(t, testKnowledgeAnswers) }

func testKnowledgeAnswers(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	start := clk.Now()
	const answer = "Amazon does not publish a follower minimum..."
	record := func(u bot.UserRef, at time.Time, e bot.Event) {
		t.Helper()
		e.User, e.Time = u, at
		if err := db.RecordEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	knowledge := bot.Event{Kind: bot.EventQuestion, Command: "ask", Text: "how many followers", Topic: "follower-requirement",
		Answered: true, Reply: answer, KnowledgeReply: true}
	lastUsed := func() (n int, used int64) {
		t.Helper()
		if err := db.r.Get(&n, `SELECT COUNT(*) FROM answers WHERE text = ?`, answer); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			if err := db.r.Get(&used, `SELECT last_used FROM answers WHERE text = ?`, answer); err != nil {
				t.Fatal(err)
			}
		}
		return n, used
	}
	hour := time.Hour.Milliseconds()

	record(alice, start, knowledge)
	record(bob, start.Add(30*time.Minute), knowledge)
	record(alice, start.Add(time.Minute), bot.Event{Kind: bot.EventQuestion, Command: "ask", Text: "same words, shaped by the request",
		Topic: "follower-requirement", Answered: true, Reply: answer})

	t.Run("one row serves every event that gave the answer, apart from replies", func(t *testing.T) {
		n, used := lastUsed()
		if n != 1 || used != start.UnixMilli()+hour {
			t.Errorf("answers rows %d, last_used %d, want 1 and an hour past the first event (%d)", n, used, start.UnixMilli()+hour)
		}
		var viaAnswers, inReplies int
		db.r.Get(&viaAnswers, `SELECT COUNT(*) FROM events WHERE answer_pk IS NOT NULL AND reply_pk IS NULL`)
		db.r.Get(&inReplies, `SELECT COUNT(*) FROM replies WHERE text = ?`, answer)
		if viaAnswers != 2 || inReplies != 1 {
			t.Errorf("events through answers %d, copies in replies %d; want 2 and 1 (the one not marked KnowledgeReply)", viaAnswers, inReplies)
		}
		for _, u := range []bot.UserRef{alice, bob} {
			evs, err := db.RecentEvents(ctx, u, bot.EventQuestion, 5)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				if e.Reply != answer {
					t.Errorf("%s: reply %q read back, want the answer", u, e.Reply)
				}
			}
		}
	})

	t.Run("last_used moves past a later event, once an hour", func(t *testing.T) {
		record(bob, start.Add(50*time.Minute), knowledge) // before last_used: no write
		if _, used := lastUsed(); used != start.UnixMilli()+hour {
			t.Errorf("last_used %d moved for an event before it", used)
		}
		later := start.Add(3 * time.Hour)
		record(bob, later, knowledge)
		if _, used := lastUsed(); used != later.UnixMilli()+hour {
			t.Errorf("last_used %d, want %d: an hour past the latest event", used, later.UnixMilli()+hour)
		}
	})

	t.Run("forget keeps the answers, which hold nothing of the user's", func(t *testing.T) {
		if _, err := db.Forget(ctx, bob); err != nil {
			t.Fatal(err)
		}
		if n, _ := lastUsed(); n != 1 {
			t.Errorf("answers rows %d after forgetting bob, want 1", n)
		}
		evs, err := db.RecentEvents(ctx, alice, bot.EventQuestion, 5)
		if err != nil || len(evs) != 2 || evs[1].Reply != answer {
			t.Errorf("alice's history after bob went: %+v, %v", evs, err)
		}
	})

	t.Run("prune deletes the answers only pruned events referred to", func(t *testing.T) {
		other := "Reels reach people who do not follow you yet."
		record(alice, start.Add(10*time.Hour), bot.Event{Kind: bot.EventQuestion, Command: "ask", Text: "reels?", Topic: "instagram-growth",
			Answered: true, Reply: other, KnowledgeReply: true})
		// The first answer was last given at start+3h (to bob, forgotten
		// since): pruning before start+5h deletes it; the second stays.
		rep, err := db.Prune(ctx, start.Add(5*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Answers != 1 {
			t.Errorf("pruned %d answers, want 1", rep.Answers)
		}
		if n, _ := lastUsed(); n != 0 {
			t.Errorf("the old answer is still kept")
		}
		evs, err := db.RecentEvents(ctx, alice, bot.EventQuestion, 5)
		if err != nil || len(evs) != 1 || evs[0].Reply != other {
			t.Fatalf("alice's history after the prune: %+v, %v", evs, err)
		}
		// Given again after the sweep, the answer is stored anew.
		record(alice, start.Add(11*time.Hour), knowledge)
		if n, _ := lastUsed(); n != 1 {
			t.Errorf("answers rows %d after it was given again, want 1", n)
		}
		evs, _ = db.RecentEvents(ctx, alice, bot.EventQuestion, 1)
		if len(evs) != 1 || evs[0].Reply != answer {
			t.Errorf("newest event after the sweep: %+v", evs)
		}
	})
}

// TestRepliesKeepTheirIndex: events_reply leaves out the events without a
// reply (0011), and the lookups that delete a reply (the foreign key's,
// dropUnusedReplies') must still use it, not read every event.
func TestRepliesKeepTheirIndex(t *testing.T) {
	db, _ := openTestDB(t)
	for _, q := range []string{
		`SELECT 1 FROM events WHERE reply_pk = ?`,
		`DELETE FROM replies WHERE id IN (?) AND NOT EXISTS (SELECT 1 FROM events WHERE reply_pk = replies.id)`,
	} {
		rows, err := db.r.Query(`EXPLAIN QUERY PLAN `+q, 1)
		if err != nil {
			t.Fatal(err)
		}
		var details []string
		for rows.Next() {
			var p struct {
				ID, Parent, NotUsed int
				Detail              string
			}
			if err := rows.Scan(&p.ID, &p.Parent, &p.NotUsed, &p.Detail); err != nil {
				t.Fatal(err)
			}
			details = append(details, p.Detail)
		}
		rows.Close()
		joined := strings.Join(details, "; ")
		if !strings.Contains(joined, "INDEX events_reply") || strings.Contains(joined, "SCAN events") {
			t.Errorf("%s: plan %q does not search events_reply", q, joined)
		}
	}
}
