package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// holdWriteLock takes the database's write lock from another connection,
// as another program would, until the returned func is called.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	other.SetMaxOpenConns(1)
	tx, err := other.Begin()
	if err != nil {
		t.Fatalf("take the write lock: %v", err)
	}
	if _, err := tx.Exec(`INSERT INTO store_meta (key, value) VALUES ('lock-holder', 'x') ON CONFLICT (key) DO UPDATE SET value = 'y'`); err != nil {
		t.Fatalf("write under the lock: %v", err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			tx.Rollback()
			other.Close()
		})
	}
	t.Cleanup(release)
	return release
}

func countRows(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.r.Get(&n, "SELECT COUNT(*) FROM "+table); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond()
}

func TestAnotherProgramsWriteLockHoldsNoCallerPastItsBound(t *testing.T) {
	const lock = 3 * time.Second
	db, _ := openTestDB(t)
	var logs bytes.Buffer
	var logMu sync.Mutex
	db.Logger = slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, nil))
	db.HealthWarnEvery = time.Second
	ctx := context.Background()
	release := holdWriteLock(t, db.Path)
	start := time.Now()

	const writers = 40
	var wg sync.WaitGroup
	var slowest time.Duration
	var mu sync.Mutex
	errs := make(chan error, writers*2)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := bot.UserRef{Platform: "slack", Tenant: "T1", ID: fmt.Sprint("U", i)}
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			t0 := time.Now()
			errs <- db.RecordEvent(cctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: "q", Answered: false})
			errs <- db.LogUnanswered(cctx, bot.UnansweredQuestion{User: u, Text: fmt.Sprint("question number ", i)})
			mu.Lock()
			slowest = max(slowest, time.Since(t0))
			mu.Unlock()
		}()
	}
	wg.Wait()
	close(errs)
	t.Run("no history write holds its caller beyond a short bound", func(t *testing.T) {
		if slowest > 2*DefaultWriteWait+500*time.Millisecond {
			t.Errorf("the slowest caller waited %v, want about %v", slowest, 2*DefaultWriteWait)
		}
		for err := range errs {
			if err != nil {
				t.Errorf("a history write failed while merely delayed: %v", err)
			}
		}
	})
	t.Run("the lock shows in Health", func(t *testing.T) {
		if err := db.Health(); err == nil || !strings.Contains(err.Error(), "waiting in memory") {
			t.Errorf("Health() = %v, want the refusal", err)
		}
	})
	t.Run("a write whose caller waits for it gives up at its deadline and never runs", func(t *testing.T) {
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		t0 := time.Now()
		err := db.Remember(cctx, "withdrawn", time.Now().Add(time.Hour))
		if err == nil || time.Since(t0) > time.Second {
			t.Errorf("Remember under a lock = %v after %v, want a timeout within a second", err, time.Since(t0))
		}
		// Its after hook hears the withdrawal once, with the error.
		heard := make(chan error, 2)
		wctx, wcancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer wcancel()
		err = db.enqueueAfter(wctx, "withdrawn with a hook", func(context.Context, *sqlx.Tx) error { return nil }, false, true,
			func(err error) { heard <- err })
		if err == nil || len(heard) != 1 || <-heard == nil {
			t.Errorf("withdrawn write = %v, its hook heard %d times; want once, with an error", err, len(heard))
		}
	})
	time.Sleep(time.Until(start.Add(lock)))
	release()
	t.Run("nothing is lost: every queued write is saved once the lock goes", func(t *testing.T) {
		if !waitFor(5*time.Second, func() bool { return countRows(t, db, "events") == writers && countRows(t, db, "unanswered") == writers }) {
			t.Errorf("%d events and %d unanswered saved, want %d of each", countRows(t, db, "events"), countRows(t, db, "unanswered"), writers)
		}
		if n := countRows(t, db, "replays"); n != 0 {
			t.Errorf("%d replay keys saved, want 0: the withdrawn write ran after all", n)
		}
		if err := db.Health(); err != nil {
			t.Errorf("Health() = %v after the lock went", err)
		}
	})
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logs.String(), "history is not being saved: another program holds the database's write lock") {
		t.Errorf("no WARN said what was not being saved:\n%s", logs.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestFullDatabaseIsVisibleAndRecovers(t *testing.T) {
	db, _ := openTestDB(t)
	db.WriteWait = 50 * time.Millisecond
	ctx := context.Background()
	u := bot.UserRef{Platform: "slack", Tenant: "T1", ID: "U1"}
	if err := db.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: "before"}); err != nil {
		t.Fatal(err)
	}
	// A database that may not grow by a page behaves as on a full disk.
	var pages int
	if err := db.w.Get(&pages, "PRAGMA page_count"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 3000)
	var notKept int
	for i := range 20 {
		err := db.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: fmt.Sprint(i, big)})
		if errors.Is(err, bot.ErrNotKept) {
			notKept++
		} else if err != nil {
			t.Fatalf("record %d: %v, want nil or ErrNotKept", i, err)
		}
	}
	t.Run("the caller hears that history is not kept", func(t *testing.T) {
		if notKept == 0 {
			t.Error("no write reported ErrNotKept on a full database")
		}
	})
	t.Run("Health names the full disk", func(t *testing.T) {
		if err := db.Health(); err == nil || !strings.Contains(err.Error(), "full") {
			t.Errorf("Health() = %v", err)
		}
	})
	if _, err := db.w.Exec("PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	t.Run("once space is freed the queued writes are saved", func(t *testing.T) {
		if !waitFor(5*time.Second, func() bool { return countRows(t, db, "events") == 21 }) {
			t.Errorf("%d events, want 21", countRows(t, db, "events"))
		}
		if err := db.Health(); err != nil {
			t.Errorf("Health() = %v after recovery", err)
		}
	})
}

func TestQueueOverflowDropsTheOldestHistoryWithAWarning(t *testing.T) {
	db, _ := openTestDB(t)
	var logs bytes.Buffer
	var mu sync.Mutex
	db.Logger = slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	db.MaxQueued = 10
	db.WriteWait = 10 * time.Millisecond
	db.HealthWarnEvery = time.Millisecond
	release := holdWriteLock(t, db.Path)
	ctx := context.Background()
	for i := range 25 {
		u := bot.UserRef{Platform: "slack", Tenant: "T1", ID: fmt.Sprint("U", i)}
		if err := db.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: "q"}); err != nil {
			t.Fatal(err)
		}
	}
	// MaxQueued bounds the writes waiting; the batch being tried when
	// the lock goes is saved too.
	var dropped int
	if err := db.Health(); err == nil {
		t.Fatal("Health() = nil under a lock")
	} else if _, serr := fmt.Sscanf(err.Error()[strings.Index(err.Error(), "waiting in memory, ")+len("waiting in memory, "):], "%d dropped", &dropped); serr != nil || dropped < 25-2*db.MaxQueued {
		t.Errorf("Health() = %v, want at least %d dropped", err, 25-2*db.MaxQueued)
	}
	release()
	// Health was read while the commit loop was still dropping (on a
	// loaded machine it may have dropped more since): the count to add up
	// is the one the recovery is logged with.
	final := -1
	recovered := func() bool {
		mu.Lock()
		s := logs.String()
		mu.Unlock()
		i := strings.LastIndex(s, "takes writes again")
		if i < 0 {
			return false
		}
		j := strings.Index(s[i:], " dropped=")
		if j < 0 {
			return false
		}
		if _, err := fmt.Sscanf(s[i+j+len(" dropped="):], "%d", &final); err != nil {
			return false
		}
		return countRows(t, db, "events")+final == 25
	}
	if !waitFor(5*time.Second, recovered) {
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("%d events saved and %d dropped by the recovery's log line, want 25 in all: none lost silently\n%s", countRows(t, db, "events"), final, logs.String())
	}
	if final < dropped {
		t.Errorf("the recovery logged %d dropped, fewer than the %d Health reported before it", final, dropped)
	}
}

func TestReadOnlyDatabaseIsVisibleAndRecovers(t *testing.T) {
	db, _ := openTestDB(t)
	db.WriteWait = 50 * time.Millisecond
	ctx := context.Background()
	u := bot.UserRef{Platform: "slack", Tenant: "T1", ID: "U1"}
	// The writer refuses writes as a read-only database does
	// (SQLITE_READONLY).
	if _, err := db.w.Exec("PRAGMA query_only = ON"); err != nil {
		t.Fatal(err)
	}
	err := db.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: "while read-only"})
	t.Run("the caller hears that history is not kept", func(t *testing.T) {
		if !errors.Is(err, bot.ErrNotKept) {
			t.Errorf("RecordEvent = %v, want ErrNotKept", err)
		}
	})
	t.Run("Health says the database is read-only", func(t *testing.T) {
		if h := db.Health(); h == nil || !strings.Contains(h.Error(), "readonly") {
			t.Errorf("Health() = %v", h)
		}
	})
	if _, err := db.w.Exec("PRAGMA query_only = OFF"); err != nil {
		t.Fatal(err)
	}
	t.Run("once writable, the queued record is saved", func(t *testing.T) {
		if !waitFor(5*time.Second, func() bool { return countRows(t, db, "events") == 1 }) {
			t.Errorf("%d events, want 1", countRows(t, db, "events"))
		}
	})
}

// TestLingerPolicy: a small batch taken soon after a commit waits for
// more writes; a large one, or one long after the last commit, does not;
// after a wait that brought nothing the next lingerSkip small batches go
// at once (and large ones do not count).
func TestLingerPolicy(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var p lingerPolicy
	p.committed(t0)
	steps := []struct {
		name string
		n    int
		at   time.Duration // after t0
		more bool          // what the wait brought, when it waited
		want bool
	}{
		{"one write right after a commit waits", 1, time.Millisecond, true, true},
		{"a batch of lingerBelow does not", lingerBelow, time.Millisecond, false, false},
		{"nor one long after the last commit", 1, lingerAfter + time.Millisecond, false, false},
		{"a small one soon after waits, and nothing comes", 2, time.Millisecond, false, true},
	}
	for _, st := range steps {
		if got := p.wait(st.n, t0.Add(st.at)); got != st.want {
			t.Fatalf("%s: wait = %v", st.name, got)
		} else if got {
			p.waited(st.more)
		}
	}
	for i := range lingerSkip {
		if p.wait(lingerBelow, t0) {
			t.Fatal("a large batch waited")
		}
		if p.wait(1, t0) {
			t.Fatalf("small batch %d after a fruitless wait waited", i+1)
		}
	}
	if !p.wait(1, t0) {
		t.Errorf("after %d small batches at once, the next small one did not wait", lingerSkip)
	}
}
