package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestReplayFilterHasNoFalseNegatives: every key added and not expired is
// reported as possibly present, however far the clock moves and however
// many buckets are reused; and most keys never added are reported absent.
func TestReplayFilterHasNoFalseNegatives(t *testing.T) {
	f := newReplayFilter()
	f.complete = true
	t0 := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC).UnixMilli()
	type added struct {
		key     string
		expires int64
	}
	var live []added
	windows := []time.Duration{15 * time.Minute, 5 * time.Minute, 24 * time.Hour, time.Second}
	falsePositives, probes := 0, 0
	for step := range 600 { // ten hours, a minute a step
		now := t0 + int64(step)*time.Minute.Milliseconds()
		for i := range 20 {
			w := windows[(step+i)%len(windows)]
			a := added{key: fmt.Sprintf("slack:command:%d:%d", step, i), expires: now + w.Milliseconds()}
			f.add(a.key, a.expires, now)
			live = append(live, a)
		}
		kept := live[:0]
		for _, a := range live {
			if a.expires <= now {
				continue
			}
			kept = append(kept, a)
			if f.absent(a.key, now, true) {
				t.Fatalf("step %d: %s (expires in %v) reported absent", step, a.key, time.Duration(a.expires-now)*time.Millisecond)
			}
		}
		live = kept
		probes++
		if !f.absent(fmt.Sprintf("never-added-%d", step), now, true) {
			falsePositives++
		}
	}
	if falsePositives > probes/10 {
		t.Errorf("%d of %d keys never added reported present", falsePositives, probes)
	}
	for r, ring := range f.rings {
		if got, want := len(ring.buckets), len(newReplayFilter().rings[r].buckets); got != want {
			t.Errorf("ring %d has %d buckets, want %d", r, got, want)
		}
	}
}

// TestReplayFilterDefersToTheDatabase: while incomplete, not fresh, after a
// clock gone back, or with a key it could not hold, the filter says
// nothing is absent.
func TestReplayFilterDefersToTheDatabase(t *testing.T) {
	now := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC).UnixMilli()
	tests := []struct {
		name  string
		setup func(f *replayFilter)
		fresh bool
	}{
		{"before its first scan", func(f *replayFilter) { f.complete = false }, true},
		{"when the check for other processes is old", func(*replayFilter) {}, false},
		{"after another process committed", func(f *replayFilter) { f.othersCommitted() }, true},
		{"with a key expiring beyond its buckets", func(f *replayFilter) { f.add("far", now+30*24*time.Hour.Milliseconds(), now) }, true},
		{"after the clock went back", func(f *replayFilter) { f.add("k", now+time.Hour.Milliseconds()*2, now+time.Hour.Milliseconds()) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newReplayFilter()
			f.complete = true
			if !f.absent("new", now, true) {
				t.Fatal("an empty, complete filter holds a key")
			}
			tt.setup(f)
			if f.absent("new", now, tt.fresh) {
				t.Error("reported absent; want the database asked")
			}
		})
	}
}

// TestSeenSeesOtherProcessesReplays: a key another process remembered is
// seen once the commit loop has noticed that process's commit, or once the
// last check is no longer fresh; keys of this process are seen at once.
func TestSeenSeesOtherProcessesReplays(t *testing.T) {
	tests := []struct {
		name   string
		notice func(t *testing.T, db *DB, clk *clock)
	}{
		{"after the next batch", func(t *testing.T, db *DB, _ *clock) { commitSomething(t, db) }},
		{"once the check is no longer fresh", func(t *testing.T, _ *DB, clk *clock) { clk.Add(cacheFresh + time.Millisecond) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, clk := openTestDB(t)
			ctx := context.Background()
			if seen, err := db.Seen(ctx, "mine"); seen || err != nil {
				t.Fatalf("seen = %v, %v", seen, err)
			}
			commitSomething(t, db) // the first data_version
			if err := db.scanReplays(ctx); err != nil {
				t.Fatal(err)
			}
			if !db.replays.absent("unknown", clk.Now().UnixMilli(), db.cache.isFresh(clk.Now())) {
				t.Fatal("the filter is not in use after its scan")
			}
			if err := db.RememberLater(ctx, "mine", clk.Now().Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			if seen, err := db.Seen(ctx, "mine"); !seen || err != nil {
				t.Fatalf("own key: seen = %v, %v", seen, err)
			}
			other := otherProcess(t, db)
			if _, err := other.ExecContext(ctx, `INSERT INTO replays (key, expires_at) VALUES ('theirs', ?)`, clk.Now().Add(time.Hour).UnixMilli()); err != nil {
				t.Fatal(err)
			}
			tt.notice(t, db, clk)
			if seen, err := db.Seen(ctx, "theirs"); !seen || err != nil {
				t.Errorf("another process's key: seen = %v, %v; want true", seen, err)
			}
			if seen, err := db.Seen(ctx, "mine"); !seen || err != nil {
				t.Errorf("own key: seen = %v, %v; want true", seen, err)
			}
		})
	}
}

// TestSeenScansWhatIsAlreadyThere: keys remembered before the database was
// opened are seen through the filter's scan.
func TestSeenScansWhatIsAlreadyThere(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	if err := db.Remember(ctx, "before", clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	path := db.Path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = New(path)
	db.Now = clk.Now
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if seen, err := db.Seen(ctx, "before"); !seen || err != nil {
		t.Fatalf("seen before the scan = %v, %v", seen, err)
	}
	commitSomething(t, db)
	if err := db.scanReplays(ctx); err != nil {
		t.Fatal(err)
	}
	if seen, err := db.Seen(ctx, "before"); !seen || err != nil {
		t.Errorf("seen after the scan = %v, %v; want true", seen, err)
	}
	if seen, err := db.Seen(ctx, "never"); seen || err != nil {
		t.Errorf("a new key: seen = %v, %v; want false", seen, err)
	}
}
