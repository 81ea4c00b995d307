package dashboard

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
	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3"

	"github.com/influbot/influbot/store"
)

// The dashboard's main flows run on SQLite always and on PostgreSQL too
// when INFLUBOT_TEST_POSTGRES names a database (as the store's tests do,
// store/engines_test.go): each PostgreSQL harness gets a schema of its own,
// dropped at cleanup.
const testPostgresEnv = "INFLUBOT_TEST_POSTGRES"

// bothEngines runs fn as the subtests "sqlite" and "postgres"; newHarness,
// called inside fn, opens the subtest's engine (read from the test's name).
func bothEngines(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	t.Run(store.EngineSQLite, fn)
	t.Run(store.EnginePostgres, func(t *testing.T) {
		if os.Getenv(testPostgresEnv) == "" {
			t.Skipf("PostgreSQL half skipped: set %s to a database URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run it", testPostgresEnv)
		}
		fn(t)
	})
}

func onPostgres(t testing.TB) bool {
	return strings.Contains("/"+t.Name()+"/", "/"+store.EnginePostgres+"/")
}

// testDBPath returns a new, empty database for t's engine: a file in a
// temporary directory, or a PostgreSQL schema of its own.
func testDBPath(t testing.TB) string {
	t.Helper()
	if !onPostgres(t) {
		return filepath.Join(t.TempDir(), "influbot.db")
	}
	base := os.Getenv(testPostgresEnv)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create test schema in %s: %v", store.RedactURL(base), err)
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

// rawDB opens the harness's database with a connection of the test's own,
// for SQL written with ? placeholders (Rebind turns them into $n on
// PostgreSQL).
func rawDB(t testing.TB, h *harness) *sqlx.DB {
	t.Helper()
	driver, dsn := "sqlite3", "file:"+h.db.Path
	if onPostgres(t) {
		driver, dsn = "pgx", h.db.Path
	}
	db, err := sqlx.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
