package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/internal/fakeclock"
)

// clock is the shared settable test clock.
type clock = fakeclock.Clock

func newClock() *clock { return fakeclock.New(time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)) }

// openTestDB opens a fresh database file in a temporary directory.
func openTestDB(t testing.TB) (*DB, *clock) { return openTestDBWith(t, nil) }

// openTestDBWith is openTestDB with setup (if not nil) applied to the DB
// before it opens.
func openTestDBWith(t testing.TB, setup func(*DB)) (*DB, *clock) {
	t.Helper()
	c := newClock()
	db := New(testDBPath(t, "influbot.db"))
	db.Now = c.Now
	if setup != nil {
		setup(db)
	}
	if err := db.Open(context.Background()); err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, c
}

var (
	alice = bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "alice"}
	bob   = bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "bob"}
)

func TestOpenSetsUpSQLiteForAServer(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	writer := map[string]string{
		"journal_mode":  "wal",
		"foreign_keys":  "1",
		"synchronous":   "1", // NORMAL
		"secure_delete": "1",
		// SQLite's busy wait ignores deadlines, so the writer's is short
		// and the store waits (up to BusyTimeout) in Go.
		"busy_timeout": "100",
		// Fewer, larger checkpoints; the WAL still shrinks back to
		// journal_size_limit after each.
		"wal_autocheckpoint": "8000",
		"journal_size_limit": "67108864",
	}
	for pragma, want := range writer {
		t.Run("the writer has "+pragma+" "+want, func(t *testing.T) {
			var got string
			if err := db.w.GetContext(ctx, &got, "PRAGMA "+pragma); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
			}
		})
	}
	t.Run("readers cannot write", func(t *testing.T) {
		_, err := db.r.ExecContext(ctx, "INSERT INTO store_meta (key, value) VALUES ('x', 'y')")
		if err == nil {
			t.Fatal("a reader connection wrote")
		}
	})
	t.Run("readers have foreign keys and busy_timeout too", func(t *testing.T) {
		var fk, busy int
		if err := db.r.GetContext(ctx, &fk, "PRAGMA foreign_keys"); err != nil {
			t.Fatal(err)
		}
		if err := db.r.GetContext(ctx, &busy, "PRAGMA busy_timeout"); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || busy != 5000 {
			t.Errorf("foreign_keys=%d busy_timeout=%d", fk, busy)
		}
	})
}

func TestOpenFailsClearly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notADB := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(notADB, []byte(strings.Repeat("this is not sqlite\n", 500)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		open      func() error
		wantCode  string
		wantWords string
	}{
		{"a missing file is refused when it must exist", func() error {
			_, err := OpenExisting(ctx, filepath.Join(dir, "missing.db"))
			return err
		}, bot.ENOTFOUND, "no database at"},
		{"a missing directory is named", func() error {
			_, err := Open(ctx, filepath.Join(dir, "no", "such", "dir", "x.db"))
			return err
		}, bot.EUNAVAILABLE, "does not exist"},
		{"a file that is not a database is named", func() error {
			_, err := Open(ctx, notADB)
			return err
		}, bot.EUNAVAILABLE, "not an influbot database"},
		{"an empty path is refused", func() error {
			_, err := Open(ctx, "")
			return err
		}, bot.EINVALID, "no database path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.open()
			if err == nil {
				t.Fatal("opened")
			}
			if bot.ErrorCode(err) != tt.wantCode || !strings.Contains(err.Error(), tt.wantWords) {
				t.Errorf("got %v (code %s), want code %s mentioning %q", err, bot.ErrorCode(err), tt.wantCode, tt.wantWords)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenExisting created the file: %v", err)
	}
}

func TestOpenALockedDatabaseSaysSo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Another program holds the write lock for longer than we wait.
	other, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")

	second := New(path)
	second.BusyTimeout = 50 * time.Millisecond
	err = second.Open(ctx)
	if err == nil {
		second.Close()
		t.Fatal("opened a database another program holds locked")
	}
	if bot.ErrorCode(err) != bot.EUNAVAILABLE || !strings.Contains(err.Error(), "locked by another program") {
		t.Errorf("got %v", err)
	}
}

func TestDriverErrorsBecomeFriendlyUnavailable(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	// Hold the write lock from a second connection that is not ours.
	holdWriteLock(t, db.Path)
	db.BusyTimeout = 50 * time.Millisecond

	// A write whose caller waits for it (history writes wait in a queue
	// instead: see writer_test.go).
	err := db.AddAdmin(ctx, bot.TenantRef{Platform: "slack", ID: "T1"}, "U1", "U0")
	if bot.ErrorCode(err) != bot.EUNAVAILABLE {
		t.Fatalf("got %v (code %q), want %s", err, bot.ErrorCode(err), bot.EUNAVAILABLE)
	}
	if msg := bot.ErrorMessage(err); strings.Contains(msg, "SQL") || strings.Contains(msg, "locked") || !strings.HasSuffix(msg, ".") {
		t.Errorf("user sees %q", msg)
	}
	if !strings.Contains(err.Error(), "database is locked") {
		t.Errorf("the log loses the detail: %v", err)
	}
}

func TestClosedDatabaseIsUnavailable(t *testing.T) {
	db, _ := openTestDB(t)
	db.Close()
	ctx := context.Background()
	if err := db.RecordEvent(ctx, bot.Event{User: alice, Text: "hi"}); bot.ErrorCode(err) != bot.EUNAVAILABLE {
		t.Errorf("recording: got %v, want %s", err, bot.EUNAVAILABLE)
	}
	if _, err := db.RecentEvents(ctx, alice, "", 5); bot.ErrorCode(err) != bot.EUNAVAILABLE {
		t.Errorf("reading: got %v, want %s", err, bot.EUNAVAILABLE)
	}
	if err := db.Close(); err != nil {
		t.Errorf("closing twice: %v", err)
	}
	never := New(filepath.Join(t.TempDir(), "never.db"))
	if err := never.RecordEvent(ctx, bot.Event{User: alice, Text: "hi"}); bot.ErrorCode(err) != bot.EUNAVAILABLE {
		t.Errorf("a database never opened: recording got %v", err)
	}
	if _, err := never.Export(ctx, alice); bot.ErrorCode(err) != bot.EUNAVAILABLE {
		t.Errorf("a database never opened: export got %v", err)
	}
	if _, err := never.Prune(ctx, time.Now()); bot.ErrorCode(err) != bot.EUNAVAILABLE {
		t.Errorf("a database never opened: prune got %v", err)
	}
}
