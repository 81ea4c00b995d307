package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// openBehindDB is openTestDB with history committed behind its callers.
func openBehindDB(t testing.TB) (*DB, *clock) { return openHistoryDB(t, true) }

// openHistoryDB is openTestDB with HistoryBehind set to behind.
func openHistoryDB(t testing.TB, behind bool) (*DB, *clock) {
	t.Helper()
	return openTestDBWith(t, func(db *DB) { db.HistoryBehind = behind })
}

// TestHistoryBehindReadsItsOwnWrites: with HistoryBehind a history write
// returns before its commit (without it, so do a check and an unanswered
// question: see spooledAhead), yet every read of history that follows it
// sees it, whichever read it is.
func TestHistoryBehindReadsItsOwnWrites(t *testing.T) {
	bothEngines(t, testHistoryBehindReadsItsOwnWrites)
}

func testHistoryBehindReadsItsOwnWrites(t *testing.T) {
	tenant := bot.TenantRef{Platform: alice.Platform, ID: alice.Tenant}
	for _, tc := range []struct {
		name  string
		write func(ctx context.Context, db *DB, at time.Time, i int) error
		read  func(ctx context.Context, db *DB) (int, error)
	}{
		{"events, read by RecentEvents",
			func(ctx context.Context, db *DB, at time.Time, i int) error {
				return db.RecordEvent(ctx, bot.Event{User: alice, Time: at, Kind: bot.EventQuestion, Text: fmt.Sprintf("question %d", i), Answered: true, Reply: "an answer"})
			},
			func(ctx context.Context, db *DB) (int, error) {
				evs, err := db.RecentEvents(ctx, alice, bot.EventQuestion, 100)
				return len(evs), err
			}},
		{"checks, read by LatestChecks",
			func(ctx context.Context, db *DB, at time.Time, i int) error {
				_, err := db.SaveCheck(ctx, sampleCheck(alice, at, int64(1000+i), 3, "borderline"))
				return err
			},
			func(ctx context.Context, db *DB) (int, error) {
				cs, err := db.LatestChecks(ctx, alice, 100)
				return len(cs), err
			}},
		{"unanswered questions, read by the dashboard's queue",
			func(ctx context.Context, db *DB, at time.Time, i int) error {
				return db.LogUnanswered(ctx, bot.UnansweredQuestion{User: alice, Time: at, Text: fmt.Sprintf("what about zebras %d", i)})
			},
			func(ctx context.Context, db *DB) (int, error) {
				q, err := db.UnansweredQueue(ctx, tenant, 100)
				return len(q), err
			}},
		{"events, read by an export",
			func(ctx context.Context, db *DB, at time.Time, i int) error {
				return db.RecordEvent(ctx, bot.Event{User: alice, Time: at, Kind: bot.EventCommand, Command: "tasks", Answered: true})
			},
			func(ctx context.Context, db *DB) (int, error) {
				x, err := db.Export(ctx, alice)
				if err != nil {
					return 0, err
				}
				return len(x.Events), nil
			}},
	} {
		for _, behind := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, HistoryBehind %v", tc.name, behind), func(t *testing.T) {
				db, clk := openHistoryDB(t, behind)
				ctx := context.Background()
				for i := range 20 {
					if err := tc.write(ctx, db, clk.Now().Add(time.Duration(i)*time.Second), i); err != nil {
						t.Fatal(err)
					}
					n, err := tc.read(ctx, db)
					if err != nil {
						t.Fatal(err)
					}
					if n != i+1 {
						t.Fatalf("after write %d the read found %d", i+1, n)
					}
				}
			})
		}
	}
}

// TestHistoryBehindLosesNothingOnClose: writes returned before their
// commit are all in the database once Close returns.
func TestHistoryBehindLosesNothingOnClose(t *testing.T) {
	bothEngines(t, testHistoryBehindLosesNothingOnClose)
}

func testHistoryBehindLosesNothingOnClose(t *testing.T) {
	path := testDBPath(t, "influbot.db")
	db := New(path)
	db.HistoryBehind = true
	ctx := context.Background()
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 250
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T1", ID: fmt.Sprintf("U%d", w)}
			for i := range each {
				if err := db.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: fmt.Sprint(i), Answered: true, Reply: "same answer"}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	var n int
	if err := again.r.GetContext(ctx, &n, `SELECT COUNT(*) FROM events`); err != nil {
		t.Fatal(err)
	}
	if n != writers*each {
		t.Fatalf("%d events after Close, want %d", n, writers*each)
	}
}

// TestHistoryBehindCheckID: a check saved behind has no id to return
// unless the caller asks for one (the milestone message needs it); then
// SaveCheck waits for the commit and returns it.
func TestHistoryBehindCheckID(t *testing.T) { bothEngines(t, testHistoryBehindCheckID) }

func testHistoryBehindCheckID(t *testing.T) {
	db, clk := openBehindDB(t)
	ctx := context.Background()
	c := sampleCheck(alice, clk.Now(), 5000, 4, "ready")
	c.WantID = true
	id, err := db.SaveCheck(ctx, c)
	if err != nil || id <= 0 {
		t.Fatalf("SaveCheck with WantID = %d, %v; want an id", id, err)
	}
	cs, err := db.LatestChecks(ctx, alice, 1)
	if err != nil || len(cs) != 1 || cs[0].ID != id {
		t.Fatalf("LatestChecks = %+v, %v; want the check %d", cs, err, id)
	}
}

// TestHistoryBehindForgetWaits: erasing a user right after writes that
// returned before their commit leaves nothing of them behind, and no
// queued write brings the user back afterwards.
func TestHistoryBehindForgetWaits(t *testing.T) { bothEngines(t, testHistoryBehindForgetWaits) }

func testHistoryBehindForgetWaits(t *testing.T) {
	db, clk := openBehindDB(t)
	ctx := context.Background()
	for i := range 50 {
		at := clk.Now().Add(time.Duration(i) * time.Second)
		if err := db.RecordEvent(ctx, bot.Event{User: alice, Time: at, Kind: bot.EventQuestion, Text: "my name is Alice", Answered: true, Reply: "hi Alice"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveCheck(ctx, sampleCheck(alice, at, 900, 2, "not_yet")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Forget(ctx, alice); err != nil {
		t.Fatal(err)
	}
	db.settle(ctx)
	for _, table := range []string{"users", "events", "checks"} {
		var n int
		if err := db.r.GetContext(ctx, &n, `SELECT COUNT(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d rows left in %s after forget", n, table)
		}
	}
}
