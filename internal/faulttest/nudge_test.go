package faulttest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

// noQuietHours keeps the default quiet hours (22:00-08:00 in the user's
// zone, UTC here) from holding the nudges back when the suite runs at night.
const noQuietHours = "INFLUBOT_QUIET_HOURS=off"

// SIGKILL while nudges go out on Slack, with Slack answering each post
// after 150 ms so that kills land between a post and its record: after a
// restart every nudge is shown exactly once (posts counted per key at the
// fake).
func TestSIGKILLDuringNudgeDispatchOnSlack(t *testing.T) {
	nudges, kills := 60, 1
	if full() {
		nudges, kills = 200, 3
	}
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "influbot.db")
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i := range nudges {
		n := bot.Nudge{
			User: bot.UserRef{Platform: bot.PlatformSlack, Tenant: team, ID: fmt.Sprintf("U%04d", i)},
			Kind: bot.NudgeReady, TaskID: fmt.Sprint(i + 1), Slot: now, Due: now,
			Status: bot.NudgePending, Key: fmt.Sprintf("faultkey%04d", i),
		}
		if ok, err := db.Enqueue(ctx, n); err != nil || !ok {
			t.Fatalf("enqueue %d: %v %v", i, ok, err)
		}
	}
	db.Close()

	f := newFakeSlack(t)
	f.postDelay.Store(int64(150 * time.Millisecond))
	for k := range kills {
		s := startServer(t, f, dbPath, noQuietHours)
		time.Sleep(time.Duration(700+rand.IntN(800)) * time.Millisecond)
		s.kill()
		// The lease (a minute) would run out before another dispatcher
		// took the claims; fast-forward it.
		if err := expireLeases(ctx, dbPath); err != nil {
			t.Fatal(err)
		}
		t.Logf("kill %d: %d posts so far", k+1, len(f.messages()))
	}
	f.postDelay.Store(0)
	s := startServer(t, f, dbPath, noQuietHours)
	deadline := time.Now().Add(60 * time.Second)
	for sent(ctx, t, dbPath) < nudges && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	s.kill()
	per := f.postsPerKey()
	doubled := 0
	for key, n := range per {
		if n != 1 {
			doubled++
			t.Errorf("nudge %s was shown %d times", key, n)
		}
	}
	if len(per) != nudges {
		t.Errorf("%d of %d nudges were shown", len(per), nudges)
	}
	total := 0
	for _, n := range per {
		total += n
	}
	t.Logf("SIGKILL during Slack nudge dispatch (%d kills): %d posts for %d keys, %d shown more than once, %d conversations.history reads, %d recorded sent",
		kills, total, len(per), doubled, f.historyReads(), sent(ctx, t, dbPath))
}

func expireLeases(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `UPDATE nudges SET due_at = ? WHERE status = 'claimed'`, time.Now().UnixMilli())
	return err
}

func sent(ctx context.Context, t *testing.T, path string) int {
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM nudges WHERE status = 'sent' AND kind = 'ready'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
