package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

func TestDBCopyUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"db"}, "name the tool"},
		{[]string{"db", "move"}, `no tool "move"`},
		{[]string{"db", "copy", "--from", "x.db"}, "needs --from and --to"},
		{[]string{"db", "copy", "--from", "x.db", "--to", "x.db"}, "the same database"},
		{[]string{"db", "copy", "--from", "x.db", "--to", "postgres://h/db", "--batch", "0"}, "--batch 0"},
	} {
		code, _, errOut := runMain(t, "", nil, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

// TestDBCopyToPostgres runs 'influbot db copy' from a SQLite file into a
// PostgreSQL schema of its own (INFLUBOT_TEST_POSTGRES), twice.
func TestDBCopyToPostgres(t *testing.T) {
	base := os.Getenv("INFLUBOT_TEST_POSTGRES")
	if base == "" {
		t.Skip("needs PostgreSQL: set INFLUBOT_TEST_POSTGRES to a database URL")
	}
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "influbot.db")
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		u := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "G1", ID: fmt.Sprintf("U%d", i)}
		if err := db.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: fmt.Sprintf("question %d", i), Reply: "an answer"}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	var b [6]byte
	rand.Read(b[:])
	schema := "cmdcopy_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	for run := range 2 {
		code, out, errOut := runMain(t, "", nil, "db", "copy", "--from", src, "--to", u.String(), "--verify-users", "10")
		if code != 0 || !strings.Contains(out, "The copy is identical.") || !strings.Contains(out, "events") {
			t.Fatalf("run %d: exit %d\n%s\n%s", run+1, code, out, errOut)
		}
	}
	var n int
	if err := admin.QueryRow("SELECT count(*) FROM " + schema + ".events").Scan(&n); err != nil || n != 30 {
		t.Errorf("%d events in PostgreSQL, %v", n, err)
	}
}
