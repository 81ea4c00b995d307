package faulttest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sort"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/influbot/influbot/store"
)

// pgSchema creates a schema in the PostgreSQL database INFLUBOT_TEST_POSTGRES
// names (skipping t without one) and returns its URL with search_path set
// to it, and a connection to it; the schema is dropped when t ends.
func pgSchema(t *testing.T) (string, *sql.DB) {
	t.Helper()
	base := os.Getenv("INFLUBOT_TEST_POSTGRES")
	if base == "" {
		t.Skip("needs PostgreSQL: set INFLUBOT_TEST_POSTGRES to a database URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "multi_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	conn, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return u.String(), conn
}

// maxInOneSecond is the most times that fall in any one-second window
// [t, t+1s).
func maxInOneSecond(at []time.Time) int {
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	best, i := 0, 0
	for j := range at {
		for at[j].Sub(at[i]) >= time.Second {
			i++
		}
		best = max(best, j-i+1)
	}
	return best
}

// Three instances of the binary on one PostgreSQL database share one
// nudge schedule: 10,000 due nudges, one instance SIGKILLed midway and
// restarted. Every nudge is shown exactly once (posts counted per key at
// the fake Slack, which keeps repeats), and the three together never post
// more than the configured limit in any one second (measured at the fake,
// on arrival): INFLUBOT_NUDGE_INSTANCES=3 gives each a third of it.
func TestThreeInstancesShareOneScheduleOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 10,000 nudges at 150 a second")
	}
	dbURL, conn := pgSchema(t)
	ctx := context.Background()
	const nudges, limit = 10_000, 150
	db, err := store.Open(ctx, dbURL) // migrates
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	now := time.Now().UnixMilli()
	if _, err := conn.ExecContext(ctx, `INSERT INTO nudges (platform, tenant, user_id, kind, task_id, slot_at, due_at, status, idem_key, created_at, updated_at)
		SELECT 'slack', $1, 'U' || lpad(i::text, 5, '0'), 'ready', i::text, $2, $2, 'pending', 'multi' || i, $2, $2
		FROM generate_series(1, $3::int) i`, team, now, nudges); err != nil {
		t.Fatal(err)
	}
	sentCount := func() int {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM nudges WHERE status = 'sent'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	f := newFakeSlack(t)
	env := []string{noQuietHours, "INFLUBOT_NUDGE_RATE=slack=150:1", "INFLUBOT_NUDGE_INSTANCES=3", "INFLUBOT_DB_MAX_CONNS=6"}
	start := time.Now()
	var servers []*server
	for range 3 {
		servers = append(servers, startServer(t, f, dbURL, env...))
	}
	for len(f.messages()) < nudges/2 && time.Since(start) < 3*time.Minute {
		time.Sleep(100 * time.Millisecond)
	}
	servers[1].kill()
	killedAt := len(f.messages())
	servers[1] = startServer(t, f, dbURL, env...)
	deadline := time.Now().Add(4 * time.Minute)
	for sentCount() < nudges && time.Now().Before(deadline) {
		time.Sleep(250 * time.Millisecond)
	}
	took := time.Since(start)
	for _, s := range servers {
		s.kill()
	}

	per := f.postsPerKey()
	var at []time.Time
	shownTwice := 0
	for _, m := range f.messages() {
		if m.Key != "" {
			at = append(at, m.At)
		}
	}
	for key, n := range per {
		if n != 1 {
			shownTwice++
			if shownTwice <= 5 {
				t.Errorf("nudge %s was shown %d times", key, n)
			}
		}
	}
	if len(per) != nudges {
		t.Errorf("%d of %d nudges were shown", len(per), nudges)
	}
	if n := sentCount(); n != nudges {
		t.Errorf("%d of %d nudges recorded sent", n, nudges)
	}
	peak := maxInOneSecond(at)
	if peak > limit {
		t.Errorf("%d posts in one second; the limit is %d", peak, limit)
	}
	t.Logf("3 instances, 1 SIGKILLed after %d posts and restarted: %d posts for %d keys in %s (%.0f/s), %d shown more than once, at most %d in any one second (limit %d), %d conversations.history reads",
		killedAt, len(at), len(per), took.Round(time.Millisecond), float64(len(at))/took.Seconds(), shownTwice, peak, limit, f.historyReads())
}
