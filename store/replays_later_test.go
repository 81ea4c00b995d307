package store

import (
	"context"
	"testing"
	"time"
)

// TestRememberLaterIsSeenAtOnceAndCommittedBehind: a mark queued while
// another program holds the write lock is seen in this process at once,
// is not in the file until the lock goes, and survives a restart then.
func TestRememberLaterIsSeenAtOnceAndCommittedBehind(t *testing.T) {
	ctx := context.Background()
	db, c := openTestDB(t)
	release := holdWriteLock(t, db.Path)
	if err := db.RememberLater(ctx, "slack:cmd:later", c.Now().Add(5*time.Minute)); err != nil {
		t.Fatalf("RememberLater while locked: %v", err)
	}
	if rows := countRows(t, db, "replay_marks"); rows != 0 {
		t.Fatalf("rows while locked = %d; want 0", rows)
	}
	for _, tc := range []struct {
		key     string
		advance time.Duration
		want    bool
	}{
		{"slack:cmd:later", 0, true},
		{"slack:cmd:other", 0, false},
		{"slack:cmd:later", 6 * time.Minute, false}, // expired, though still queued
	} {
		c.Add(tc.advance)
		if seen, err := db.Seen(ctx, tc.key); err != nil || seen != tc.want {
			t.Errorf("Seen(%s) after %v while queued = %v, %v; want %v", tc.key, tc.advance, seen, err, tc.want)
		}
	}
	c.Add(-6 * time.Minute)
	release()
	if err := db.Close(); err != nil { // a clean stop saves what is queued
		t.Fatal(err)
	}
	again := New(db.Path)
	again.Now = c.Now
	if err := again.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if seen, err := again.Seen(ctx, "slack:cmd:later"); err != nil || !seen {
		t.Errorf("Seen after a restart = %v, %v; want true", seen, err)
	}
}
