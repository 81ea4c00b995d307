package store

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// The commits' own checkpoint waits for 8000 pages of WAL; a few hundred
// events make far fewer, so only the background checkpointer can have
// copied them into the database file.
func TestCheckpointerCopiesTheWALInTheBackground(t *testing.T) {
	db, _ := openTestDB(t)
	if db.ckpt == nil {
		t.Fatal("a SQLite database with a writer has no checkpointer")
	}
	ctx := context.Background()
	size := func() int64 {
		st, err := os.Stat(db.Path)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	before := size()
	for i := range 300 {
		e := bot.Event{User: alice, Kind: bot.EventQuestion, Command: "ask", Text: fmt.Sprintf("question %d with some words to fill pages %0100d", i, i), Reply: fmt.Sprintf("reply %d %0200d", i, i)}
		if err := db.RecordEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	// Bounded wait, not a timing assertion: the checkpointer runs within
	// checkpointEvery of a commit.
	deadline := time.Now().Add(20 * time.Second)
	for size() <= before {
		if time.Now().After(deadline) {
			t.Fatalf("the database file stayed at %d bytes: the WAL was not checkpointed", before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if db.ckpt != nil {
		t.Error("Close left the checkpointer")
	}
}

func TestNoCheckpointerOnPostgresOrReadOnly(t *testing.T) {
	db, _ := openTestDB(t)
	db.Close()
	ro := New(db.Path)
	ro.ReadOnly = true
	if err := ro.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if ro.ckpt != nil {
		t.Error("a read-only database has a checkpointer")
	}
	ro.kickCheckpoint() // must not block or panic
}
