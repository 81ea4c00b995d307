package store

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/influbot/influbot/bot"
)

// embeddedUpTo returns the shipped migrations up to version v, plus extra
// files (name -> SQL).
func embeddedUpTo(t testing.TB, v int, extra map[string]string) fs.FS {
	t.Helper()
	ms, err := loadMigrations(embeddedMigrations)
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, m := range ms {
		if m.version <= v {
			out["migrations/"+m.name] = &fstest.MapFile{Data: []byte(m.sql)}
		}
	}
	for name, sql := range extra {
		out["migrations/"+name] = &fstest.MapFile{Data: []byte(sql)}
	}
	return out
}

// embeddedSQL is the embedded migration of version v.
func embeddedSQL(t testing.TB, v int) string {
	t.Helper()
	ms, err := loadMigrations(embeddedMigrations)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version == v {
			return m.sql
		}
	}
	t.Fatalf("no embedded migration %d", v)
	return ""
}

func openWith(t testing.TB, path string, migrations fs.FS) (*DB, error) {
	t.Helper()
	db := New(path)
	db.migrations = migrations
	db.Now = newClock().Now
	if err := db.Open(context.Background()); err != nil {
		return nil, err
	}
	return db, nil
}

func schemaOf(t testing.TB, db *DB) string {
	t.Helper()
	var rows []string
	if err := db.r.Select(&rows, `SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_schema
		WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`); err != nil {
		t.Fatal(err)
	}
	return strings.Join(rows, "\n")
}

func TestUpgradeFromEveryEarlierVersion(t *testing.T) {
	ms, err := loadMigrations(embeddedMigrations)
	if err != nil {
		t.Fatal(err)
	}
	latest := latestVersion(ms)
	fresh, err := openWith(t, filepath.Join(t.TempDir(), "fresh.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := schemaOf(t, fresh)
	fresh.Close()

	for _, from := range append([]int{0}, versionsBefore(ms, latest)...) {
		t.Run(fmt.Sprintf("a database at version %d upgrades to %d and keeps its rows", from, latest), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "old.db")
			old, err := openWith(t, path, embeddedUpTo(t, from, nil))
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := old.SchemaVersion(context.Background()); v != from {
				t.Fatalf("old database at version %d, want %d", v, from)
			}
			seeded := from >= 1
			if seeded {
				// Rows as version 0001 wrote them, by hand, since today's
				// code may write more.
				old.w.MustExec(`INSERT INTO users (id, platform, tenant, user_id, first_seen, last_seen) VALUES (7, 'console', 'local', 'alice', 1000, 2000)`)
				old.w.MustExec(`INSERT INTO events (user_pk, at, kind, command, text) VALUES (7, 1500, 'question', 'ask', 'from an old version')`)
			}
			old.Close()

			db, err := openWith(t, path, nil)
			if err != nil {
				t.Fatalf("upgrade: %v", err)
			}
			defer db.Close()
			if v, _ := db.SchemaVersion(context.Background()); v != latest {
				t.Errorf("version %d after upgrade, want %d", v, latest)
			}
			if got := schemaOf(t, db); got != want {
				t.Errorf("upgraded schema differs from a fresh one:\n%s\n--- fresh:\n%s", got, want)
			}
			if seeded {
				evs, err := db.RecentEvents(context.Background(), alice, "", 10)
				if err != nil || len(evs) != 1 || evs[0].Text != "from an old version" {
					t.Errorf("old rows after upgrade: %+v, %v", evs, err)
				}
			}
		})
	}
}

func versionsBefore(ms []migration, latest int) []int {
	var vs []int
	for _, m := range ms {
		if m.version < latest {
			vs = append(vs, m.version)
		}
	}
	return vs
}

func TestMigrator(t *testing.T) {
	ctx := context.Background()
	mfs := func(files map[string]string) fs.FS {
		out := fstest.MapFS{}
		for name, sql := range files {
			out["migrations/"+name] = &fstest.MapFile{Data: []byte(sql)}
		}
		return out
	}

	t.Run("migrations run in version order, each once", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "m.db")
		files := map[string]string{
			"0010_c.sql": "INSERT INTO log VALUES ('c');",
			"0002_b.sql": "INSERT INTO log VALUES ('b');",
			"0001_a.sql": "CREATE TABLE log (step TEXT); INSERT INTO log VALUES ('a');",
		}
		for range 2 {
			db, err := openWith(t, path, mfs(files))
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
		}
		db, err := openWith(t, path, mfs(files))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var steps []string
		db.r.MustExec("SELECT 1")
		if err := db.r.Select(&steps, "SELECT step FROM log ORDER BY rowid"); err != nil {
			t.Fatal(err)
		}
		if strings.Join(steps, "") != "abc" {
			t.Errorf("steps %v, want a b c once each", steps)
		}
		if v, _ := db.SchemaVersion(ctx); v != 10 {
			t.Errorf("version %d, want 10", v)
		}
	})

	t.Run("a failing migration is rolled back whole and the earlier ones stay", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "m.db")
		files := map[string]string{
			"0001_a.sql": "CREATE TABLE a (x);",
			"0002_b.sql": "CREATE TABLE b (x); INSERT INTO no_such_table VALUES (1);",
		}
		_, err := openWith(t, path, mfs(files))
		if err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
			t.Fatalf("got %v, want an error naming 0002_b.sql", err)
		}
		files["0002_b.sql"] = "CREATE TABLE b (x);"
		db, err := openWith(t, path, mfs(files))
		if err != nil {
			t.Fatalf("after fixing the migration: %v", err)
		}
		defer db.Close()
		if v, _ := db.SchemaVersion(ctx); v != 2 {
			t.Errorf("version %d, want 2", v)
		}
	})

	t.Run("a database from a newer influbot is refused", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "m.db")
		db, err := openWith(t, path, mfs(map[string]string{"0001_a.sql": "CREATE TABLE a (x);", "0002_b.sql": "CREATE TABLE b (x);"}))
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		_, err = openWith(t, path, mfs(map[string]string{"0001_a.sql": "CREATE TABLE a (x);"}))
		if err == nil || !strings.Contains(err.Error(), "newer") || bot.ErrorCode(err) != bot.EUNAVAILABLE {
			t.Errorf("got %v", err)
		}
	})

	for _, bad := range []map[string]string{
		{"1x_a.sql": "SELECT 1;"},
		{"0000_zero.sql": "SELECT 1;"},
		{"nonumber.sql": "SELECT 1;"},
		{"0002_a.sql": "SELECT 1;", "0002_b.sql": "SELECT 1;"},
	} {
		t.Run(fmt.Sprintf("badly named migrations %v are refused", keys(bad)), func(t *testing.T) {
			_, err := openWith(t, filepath.Join(t.TempDir(), "m.db"), mfs(bad))
			if err == nil {
				t.Error("opened")
			}
		})
	}

	t.Run("two processes starting at once migrate once", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "m.db")
		files := mfs(map[string]string{"0001_a.sql": "CREATE TABLE a (x); INSERT INTO a VALUES (1);"})
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := openWith(t, path, files)
				if err == nil {
					db.Close()
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		db, err := openWith(t, path, files)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		db.r.Get(&n, "SELECT COUNT(*) FROM a")
		if n != 1 {
			t.Errorf("migration ran %d times", n)
		}
	})
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
