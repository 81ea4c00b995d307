package store

import (
	"context"
	"testing"
	"time"
)

func TestReplaysAreRememberedAcrossARestartUntilTheyExpire(t *testing.T) {
	bothEngines(t, testReplaysAreRememberedAcrossARestartUntilTheyExpire)
}

func testReplaysAreRememberedAcrossARestartUntilTheyExpire(t *testing.T) {
	ctx := context.Background()
	db, c := openTestDB(t)
	if seen, err := db.Seen(ctx, "slack:cmd:abc"); err != nil || seen {
		t.Fatalf("Seen before Remember = %v, %v; want false", seen, err)
	}
	if err := db.Remember(ctx, "slack:cmd:abc", c.Now().Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	again := New(db.Path)
	again.Now = c.Now
	if err := again.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	t.Run("a remembered key is seen after a restart", func(t *testing.T) {
		if seen, err := again.Seen(ctx, "slack:cmd:abc"); err != nil || !seen {
			t.Errorf("Seen = %v, %v; want true", seen, err)
		}
	})
	t.Run("an expired key is not seen and is deleted by later writes", func(t *testing.T) {
		c.Add(6 * time.Minute)
		if seen, err := again.Seen(ctx, "slack:cmd:abc"); err != nil || seen {
			t.Errorf("Seen after expiry = %v, %v; want false", seen, err)
		}
		if err := again.Remember(ctx, "slack:event:Ev1", c.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		// SQLite appends its marks to replay_marks, a row per batch;
		// PostgreSQL keeps a row per key in replays.
		table := "replay_marks"
		if again.isPG() {
			table = "replays"
		}
		var n int
		if err := again.r.Get(&n, `SELECT COUNT(*) FROM `+table); err != nil || n != 1 {
			t.Errorf("%d rows in %s (%v), want only the live key's", n, table, err)
		}
	})
}
