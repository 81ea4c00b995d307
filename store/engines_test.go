package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// The store's tests run on SQLite always and on PostgreSQL when
// INFLUBOT_TEST_POSTGRES names a database, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable (.ci/run sets it
// when a local server answers). Each PostgreSQL test gets a schema of its
// own (search_path in the URL), dropped at cleanup. Without the variable
// the PostgreSQL half of each test skips and says so.
const testPostgresEnv = "INFLUBOT_TEST_POSTGRES"

// bothEngines runs fn as the subtests "sqlite" and "postgres". openTestDB
// and testDBPath, called inside fn, open the subtest's engine: they read
// it from the test's name, so fn's own subtests inherit it.
func bothEngines(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	t.Run(EngineSQLite, fn)
	t.Run(EnginePostgres, func(t *testing.T) {
		requirePostgres(t)
		fn(t)
	})
}

// requirePostgres skips t when no test PostgreSQL is configured.
func requirePostgres(t testing.TB) string {
	t.Helper()
	u := os.Getenv(testPostgresEnv)
	if u == "" {
		t.Skipf("PostgreSQL half skipped: set %s to a database URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run it", testPostgresEnv)
	}
	return u
}

// onPostgres reports whether t runs under a bothEngines "postgres" subtest.
func onPostgres(t testing.TB) bool {
	return strings.Contains("/"+t.Name()+"/", "/"+EnginePostgres+"/")
}

// testDBPath returns a new, empty database for t's engine: a file named
// name in a temporary directory, or a PostgreSQL schema of its own.
func testDBPath(t testing.TB, name string) string {
	t.Helper()
	if !onPostgres(t) {
		return filepath.Join(t.TempDir(), name)
	}
	return pgTestSchema(t)
}

// pgTestSchema creates a schema for t and returns the test database's URL
// with search_path set to it; the schema is dropped when t ends.
func pgTestSchema(t testing.TB) string {
	t.Helper()
	base := requirePostgres(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create test schema in %s: %v", RedactURL(base), err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// tableNames lists db's tables, on either engine.
func tableNames(t testing.TB, db *DB) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name`
	if db.isPG() {
		q = `SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' ORDER BY relname`
	}
	var names []string
	if err := db.r.Select(&names, q); err != nil {
		t.Fatal(err)
	}
	return names
}

// tableColumns lists a table's columns in order, on either engine,
// without PostgreSQL's stand-ins for SQLite's implicit ones.
func tableColumns(t testing.TB, db *DB, table string) []string {
	t.Helper()
	q := `SELECT name FROM pragma_table_info(?) ORDER BY cid`
	if db.isPG() {
		q = `SELECT attname FROM pg_attribute WHERE attrelid = (current_schema() || '.' || ?)::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`
	}
	var cols []string
	if err := db.r.Select(&cols, q, table); err != nil {
		t.Fatal(err)
	}
	out := cols[:0]
	for _, c := range cols {
		if !db.isPG() || !pgHiddenColumns[c] {
			out = append(out, c)
		}
	}
	return out
}

// TestBothEnginesHaveTheSameSchema: every table and column of SQLite's
// migrations has its PostgreSQL twin, in the same order (db copy and the
// export comparison rely on it). A migration added for one engine only
// fails here.
func TestBothEnginesHaveTheSameSchema(t *testing.T) {
	requirePostgres(t)
	lite := New(filepath.Join(t.TempDir(), "influbot.db"))
	pg := New(pgTestSchema(t))
	for _, db := range []*DB{lite, pg} {
		if err := db.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
	}
	lv, _ := lite.SchemaVersion(context.Background())
	pv, _ := pg.SchemaVersion(context.Background())
	if lv != pv {
		t.Errorf("schema version: SQLite %d, PostgreSQL %d", lv, pv)
	}
	lt, pt := tableNames(t, lite), tableNames(t, pg)
	if strings.Join(lt, ",") != strings.Join(pt, ",") {
		t.Fatalf("tables differ:\nSQLite     %v\nPostgreSQL %v", lt, pt)
	}
	for _, table := range lt {
		if l, p := tableColumns(t, lite, table), tableColumns(t, pg, table); strings.Join(l, ",") != strings.Join(p, ",") {
			t.Errorf("table %s: columns differ:\nSQLite     %v\nPostgreSQL %v", table, l, p)
		}
	}
}
