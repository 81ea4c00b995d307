package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
)

func TestReadOnlyOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "influbot.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.LogUnanswered(ctx, bot.UnansweredQuestion{User: alice, Text: "what is a storefront"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro := New(path)
	ro.ReadOnly = true
	if err := ro.Open(ctx); err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	defer ro.Close()
	t.Run("reads work", func(t *testing.T) {
		x, err := ro.Export(ctx, alice)
		if err != nil || len(x.Unanswered) != 1 {
			t.Fatalf("export: %d unanswered, %v", len(x.Unanswered), err)
		}
	})
	t.Run("writes are refused with a message saying why", func(t *testing.T) {
		_, err := ro.Prune(ctx, ro.now())
		if err == nil || !strings.Contains(bot.ErrorMessage(err), "read-only") {
			t.Fatalf("prune on a read-only database: %v", err)
		}
	})
	t.Run("a missing file is not created", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "none.db")
		m := New(missing)
		m.ReadOnly = true
		if err := m.Open(ctx); err == nil || bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Fatalf("open: %v", err)
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Error("a read-only open created the file")
		}
	})
	t.Run("a file that is not a database is named", func(t *testing.T) {
		other := filepath.Join(t.TempDir(), "notes.db")
		os.WriteFile(other, []byte(strings.Repeat("not a database ", 300)), 0o644)
		m := New(other)
		m.ReadOnly = true
		if err := m.Open(ctx); err == nil || !strings.Contains(bot.ErrorMessage(err), "not an influbot database") {
			t.Fatalf("open: %v", err)
		}
	})
}

func TestPermissionErrorsSayPermission(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may write anywhere; run as an ordinary user")
	}
	ctx := context.Background()
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o755)
	seeded := filepath.Join(locked, "seeded.db")
	db, err := Open(ctx, seeded)
	if err != nil {
		t.Fatal(err)
	}
	db.LogUnanswered(ctx, bot.UnansweredQuestion{User: alice, Text: "q"})
	db.Close()
	os.Chmod(locked, 0o555)
	t.Cleanup(func() { os.Chmod(locked, 0o755) })

	t.Run("a new database in a directory the user cannot write to", func(t *testing.T) {
		path := filepath.Join(locked, "new.db")
		err := New(path).Open(ctx)
		msg := bot.ErrorMessage(err)
		if !strings.Contains(msg, "permission denied") || !strings.Contains(msg, locked) || strings.Contains(msg, "no such file") {
			t.Errorf("got %q", msg)
		}
	})
	t.Run("an existing database is still read read-only", func(t *testing.T) {
		ro := New(seeded)
		ro.ReadOnly = true
		if err := ro.Open(ctx); err != nil {
			t.Fatalf("open read-only: %v", err)
		}
		defer ro.Close()
		if x, err := ro.Export(ctx, alice); err != nil || len(x.Unanswered) != 1 {
			t.Errorf("export: %v", err)
		}
	})
}
