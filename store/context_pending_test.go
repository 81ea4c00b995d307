package store

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// TestContextSaveIsWrittenBehind: SaveContext does not wait for the commit
// (here, another program holds the write lock), yet this process reads
// what it saved at once; the row reaches the file once the lock is gone,
// and forgetting the user meanwhile leaves no context behind.
func TestContextSaveIsWrittenBehind(t *testing.T) {
	tests := []struct {
		name   string
		forget bool // forget the user while the save is queued
	}{
		{name: "the save is committed when the lock goes"},
		{name: "forget me erases a save still queued", forget: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, clk := openTestDB(t)
			ctx := context.Background()
			release := holdWriteLock(t, db.Path)
			saveCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			want := bot.Conversation{User: alice, LastTopic: "reapply-tips", LastCommand: "check", Updated: clk.Now()}
			if err := db.SaveContext(saveCtx, want); err != nil {
				t.Fatalf("save while locked: %v", err)
			}
			got, ok, err := db.LoadContext(ctx, alice)
			if err != nil || !ok || got.LastTopic != want.LastTopic || got.LastCommand != want.LastCommand || !got.Updated.Equal(want.Updated) {
				t.Fatalf("load before the commit = %+v, %v, %v; want what was saved", got, ok, err)
			}
			if rows := countRows(t, db, "conversation_context"); rows != 0 {
				t.Fatalf("rows in the file while locked = %d; want 0 (not committed yet)", rows)
			}
			release()
			wantRows := 1
			if tt.forget {
				if _, err := db.Forget(ctx, alice); err != nil {
					t.Fatalf("forget: %v", err)
				}
				wantRows = 0
				if _, ok, err := db.LoadContext(ctx, alice); ok || err != nil {
					t.Errorf("context after forget: ok=%v err=%v", ok, err)
				}
			}
			if err := db.flushBehind(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			other, err := sql.Open("sqlite3", db.Path)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			var rows int
			if err := other.QueryRowContext(ctx, "SELECT COUNT(*) FROM conversation_context WHERE user_id = ?", alice.ID).Scan(&rows); err != nil || rows != wantRows {
				t.Errorf("rows in the file = %d, %v; want %d", rows, err, wantRows)
			}
		})
	}
}
