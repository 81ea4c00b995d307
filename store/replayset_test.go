package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestReplaySetIsExact: every key added and not expired is in the set,
// however far the clock moves and however many buckets are reused; an
// expired key and a key never added are not.
func TestReplaySetIsExact(t *testing.T) {
	s := newReplaySet()
	t0 := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC).UnixMilli()
	type added struct {
		fp      uint64
		expires int64
	}
	var live, gone []added
	windows := []time.Duration{15 * time.Minute, 5 * time.Minute, 24 * time.Hour, time.Second, 40 * 24 * time.Hour}
	for step := range 600 { // ten hours, a minute a step
		now := t0 + int64(step)*time.Minute.Milliseconds()
		for i := range 20 {
			w := windows[(step+i)%len(windows)]
			a := added{fp: fingerprint(fmt.Sprintf("slack:command:%d:%d", step, i)), expires: now + w.Milliseconds()}
			s.add(a.fp, a.expires, now)
			live = append(live, a)
		}
		kept := live[:0]
		for _, a := range live {
			if a.expires <= now {
				gone = append(gone, a)
				continue
			}
			kept = append(kept, a)
			if !s.has(a.fp, now) {
				t.Fatalf("step %d: a key expiring in %v is missing", step, time.Duration(a.expires-now)*time.Millisecond)
			}
		}
		live = kept
		for _, a := range gone[max(len(gone)-50, 0):] {
			if s.has(a.fp, now) {
				t.Fatalf("step %d: a key expired %v ago is still there", step, time.Duration(now-a.expires)*time.Millisecond)
			}
		}
		if s.has(fingerprint(fmt.Sprintf("never-added-%d", step)), now) {
			t.Fatalf("step %d: a key never added is there", step)
		}
	}
	for r, ring := range s.rings {
		if got, want := len(ring.buckets), len(newReplaySet().rings[r].buckets); got != want {
			t.Errorf("ring %d has %d buckets, want %d", r, got, want)
		}
	}
}

// TestReplaySetSurvivesAClockGoneBack: keys added after the clock went
// back (to buckets already reused for later keys) are kept apart, not
// lost, and those added before are still there.
func TestReplaySetSurvivesAClockGoneBack(t *testing.T) {
	s := newReplaySet()
	now := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC).UnixMilli()
	later := now + 3*time.Hour.Milliseconds()
	s.add(1, later+15*time.Minute.Milliseconds(), later)
	s.add(2, now+15*time.Minute.Milliseconds(), now)
	for fp, at := range map[uint64]int64{1: later, 2: now} {
		if !s.has(fp, at) {
			t.Errorf("key %d is missing", fp)
		}
	}
}

// TestSeenSeesOtherProcessesReplays: a key another process remembered is
// seen once the commit loop has noticed that process's commit, or once the
// last check is no longer fresh; keys of this process are seen at once,
// and so are the keys an earlier version kept in the replays table.
func TestSeenSeesOtherProcessesReplays(t *testing.T) {
	for _, tt := range noticeOthers() {
		t.Run(tt.name, func(t *testing.T) {
			db, clk := openTestDB(t)
			ctx := context.Background()
			if seen, err := db.Seen(ctx, "mine"); seen || err != nil {
				t.Fatalf("seen = %v, %v", seen, err)
			}
			commitSomething(t, db) // the first data_version
			if err := db.RememberLater(ctx, "mine", clk.Now().Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			if seen, err := db.Seen(ctx, "mine"); !seen || err != nil {
				t.Fatalf("own key: seen = %v, %v", seen, err)
			}
			commitSomething(t, db)
			if db.needsCatchUp(clk.Now()) {
				t.Fatal("the set needs the log right after a batch that saw no other process")
			}
			// Another influbot on the same file, and an earlier version.
			other := New(db.Path)
			other.Now = clk.Now
			if err := other.Open(ctx); err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			if err := other.Remember(ctx, "theirs", clk.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			old := otherProcess(t, db)
			if _, err := old.ExecContext(ctx, `INSERT INTO replays (key, expires_at) VALUES ('older', ?)`, clk.Now().Add(time.Hour).UnixMilli()); err != nil {
				t.Fatal(err)
			}
			tt.notice(t, db, clk)
			for _, key := range []string{"theirs", "older", "mine"} {
				if seen, err := db.Seen(ctx, key); !seen || err != nil {
					t.Errorf("%s: seen = %v, %v; want true", key, seen, err)
				}
			}
			if seen, err := db.Seen(ctx, "nobody's"); seen || err != nil {
				t.Errorf("a new key: seen = %v, %v; want false", seen, err)
			}
		})
	}
}

// TestSeenReadsWhatIsAlreadyThere: keys remembered before the database was
// opened, in the log and in the replays table an earlier version wrote,
// are seen; expired ones are not.
func TestSeenReadsWhatIsAlreadyThere(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	if err := db.Remember(ctx, "before", clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.Remember(ctx, "short", clk.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	db.w.MustExec(`INSERT INTO replays (key, expires_at) VALUES ('from an earlier version', ?)`, clk.Now().Add(time.Hour).UnixMilli())
	path := db.Path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	clk.Add(2 * time.Minute)
	db = New(path)
	db.Now = clk.Now
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for key, want := range map[string]bool{"before": true, "from an earlier version": true, "short": false, "never": false} {
		if seen, err := db.Seen(ctx, key); seen != want || err != nil {
			t.Errorf("%s: seen = %v, %v; want %v", key, seen, err, want)
		}
	}
}

// TestReplayMarksAreOneRowPerBatch: a batch's marks are appended as one row
// per expiry second, and expired rows are pruned as new ones arrive.
func TestReplayMarksAreOneRowPerBatch(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	var n int
	count := func() int {
		t.Helper()
		if err := db.w.Get(&n, `SELECT COUNT(*) FROM replay_marks`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := range 50 {
		if err := db.RememberLater(ctx, fmt.Sprintf("k%d", i), clk.Now().Add(15*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	commitSomething(t, db)
	if got := count(); got < 1 || got > 50 {
		t.Fatalf("%d rows for 50 marks", got)
	}
	var blobBytes int
	if err := db.w.Get(&blobBytes, `SELECT SUM(length(fps)) FROM replay_marks`); err != nil {
		t.Fatal(err)
	}
	if blobBytes != 50*8 {
		t.Errorf("%d bytes of fingerprints for 50 marks, want 400", blobBytes)
	}
	clk.Add(16 * time.Minute)
	if err := db.Remember(ctx, "new", clk.Now().Add(15*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != 1 {
		t.Errorf("%d rows after the old marks expired, want 1 (the new one)", got)
	}
	if seen, err := db.Seen(ctx, "k1"); seen || err != nil {
		t.Errorf("an expired mark: seen = %v, %v", seen, err)
	}
	if seen, err := db.Seen(ctx, "new"); !seen || err != nil {
		t.Errorf("the new mark: seen = %v, %v", seen, err)
	}
}

// BenchmarkSeen is the replay check of a new request: under load, with
// the commit loop's check for other processes fresh, and idle, when each
// check reads the log for what another process may have added.
func BenchmarkSeen(b *testing.B) {
	for _, busy := range []bool{true, false} {
		b.Run(map[bool]string{true: "under-load", false: "idle"}[busy], func(b *testing.B) {
			db := New(filepath.Join(b.TempDir(), "influbot.db"))
			if err := db.Open(context.Background()); err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			now := time.Now()
			for i := range 100_000 {
				db.replays.add(fingerprint(fmt.Sprintf("k%d", i)), now.Add(15*time.Minute).UnixMilli(), now.UnixMilli())
			}
			if _, err := db.Seen(ctx, "warm-up"); err != nil {
				b.Fatal(err)
			}
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { // batches keep the check fresh, as requests do
				defer close(done)
				for busy {
					select {
					case <-stop:
						return
					case <-time.After(10 * time.Millisecond):
						db.RecordEvent(ctx, benchEvent(alice, 0))
					}
				}
			}()
			db.RecordEvent(ctx, benchEvent(alice, 0))
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if seen, err := db.Seen(ctx, fmt.Sprintf("new-%d", i)); seen || err != nil {
					b.Fatal(seen, err)
				}
			}
			b.StopTimer()
			close(stop)
			<-done
		})
	}
}

// TestReplayMarkIDsOnlyRise: however many rows expire and are pruned,
// the newest stays, so a new row's id is above every id before it (what
// catchUp's "id > last read" needs), and the log stays small.
func TestReplayMarkIDsOnlyRise(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	var last int64
	for i := range 30 {
		if err := db.Remember(ctx, fmt.Sprintf("k%d", i), clk.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		var max int64
		var n int
		if err := db.w.QueryRow(`SELECT COALESCE(MAX(id), 0), COUNT(*) FROM replay_marks`).Scan(&max, &n); err != nil {
			t.Fatal(err)
		}
		if max <= last {
			t.Fatalf("round %d: newest id %d, not above the earlier %d", i, max, last)
		}
		if n > 2 {
			t.Errorf("round %d: %d rows, want the live one (and at most one expired)", i, n)
		}
		last = max
		clk.Add(2 * time.Minute) // everything expires
	}
}

// TestReplaySetMemory: a steady load's keys take about 10 to 20 bytes
// each, and refilling the buckets after they expire takes no more.
func TestReplaySetMemory(t *testing.T) {
	s := newReplaySet()
	now := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC).UnixMilli()
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	const perMinute = 30_000 // 500 a second
	fill := func(start int64) {
		for m := range 8 {
			at := start + int64(m)*time.Minute.Milliseconds()
			for i := range perMinute {
				s.add(fingerprint(fmt.Sprintf("k%d-%d", at, i)), at+6*time.Minute.Milliseconds()+int64(i), at)
			}
		}
	}
	fill(now)
	first := heap()
	perKey := float64(first-before) / (7 * perMinute) // about 7 minutes of keys live
	if perKey > 24 {
		t.Errorf("%.1f bytes a key", perKey)
	}
	fill(now + 8*time.Minute.Milliseconds())
	if again := heap(); again > first+first/10 {
		t.Errorf("the set grew from %d to %d bytes refilling its buckets", first-before, again-before)
	}
	t.Logf("%.1f bytes a key", perKey)
}

// TestReplaySetLetsExpiredBucketsGo: under a steady load of keys that live
// six minutes, the set keeps arrays for the buckets of live keys only, not
// for every slot of the ring it has gone through.
func TestReplaySetLetsExpiredBucketsGo(t *testing.T) {
	s := newReplaySet()
	start := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC).UnixMilli()
	const life = 6 * time.Minute
	held := func() int {
		n := 0
		for _, b := range s.rings[0].buckets {
			if cap(b.fps)+cap(b.tail) > 0 {
				n++
			}
		}
		return n
	}
	most := 0
	for sec := range 40 * 60 { // 40 minutes, 50 keys a second
		now := start + int64(sec)*1000
		for k := range 50 {
			s.add(uint64(sec)<<8|uint64(k), now+life.Milliseconds(), now)
		}
		if sec >= 10*60 {
			most = max(most, held())
		}
	}
	// Keys expiring within the next 6 minutes span 7 one-minute buckets,
	// and the expired one not yet let go makes 8.
	if most > 8 {
		t.Errorf("up to %d buckets held arrays in the steady state, want at most 8 of %d", most, len(s.rings[0].buckets))
	}
	now := start + 40*60*1000
	if !s.has(uint64(40*60-1)<<8|7, now) {
		t.Error("a live key was lost")
	}
}

// BenchmarkReplaySetAdd is remembering a request's key under a steady
// load: 9,000 keys a second that live 15 minutes, the first 2 minutes of
// it (each op one key; a bucket of one minute takes 540,000 keys).
func BenchmarkReplaySetAdd(b *testing.B) {
	const perSecond = 9000
	start := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC).UnixMilli()
	var s *replaySet
	var i int64
	for b.Loop() {
		if i%(2*60*perSecond) == 0 {
			s = newReplaySet()
			i = 0
		}
		now := start + i*1000/perSecond
		s.add(uint64(i)*0x9E3779B97F4A7C15, now+15*time.Minute.Milliseconds(), now)
		i++
	}
}

// TestMarkBucketHoldsWhatWasAdded checks a bucket against a map through
// every stage of its merges (tail, mid, the main array): each key added
// is held until its expiry and not after, and no other key is.
func TestMarkBucketHoldsWhatWasAdded(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var b markBucket
	want := map[uint64]uint16{} // latest expiry per key
	for n := 1; n <= 60_000; n++ {
		fp := rng.Uint64N(40_000) // duplicates on purpose
		exp := uint16(rng.IntN(60_000))
		b.tail = append(b.tail, fp)
		b.texps = append(b.texps, exp)
		if len(b.tail) >= markTail {
			b.merge()
		}
		want[fp] = max(want[fp], exp)
		if n%7919 != 0 && n != 60_000 {
			continue
		}
		for range 2000 {
			q, at := rng.Uint64N(50_000), int64(rng.IntN(60_000))
			e, ok := want[q]
			if got, wanted := b.holds(q, at), ok && int64(e) > at; got != wanted {
				t.Fatalf("after %d keys: holds(%d, %d) = %v, want %v", n, q, at, got, wanted)
			}
		}
	}
	if len(b.fps) == 0 || len(b.mid) == 0 {
		t.Errorf("the test never reached both arrays: fps %d, mid %d, tail %d", len(b.fps), len(b.mid), len(b.tail))
	}
}

// TestCatchUpsShareOneRead: callers that ask for a catch-up while another
// reads wait for it, and one read begun after they asked serves them all,
// instead of each reading the log again in turn.
func TestCatchUpsShareOneRead(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	s := db.replays
	if err := db.catchUp(ctx); err != nil { // the first read, alone
		t.Fatal(err)
	}
	s.mu.Lock()
	before := s.begun
	s.mu.Unlock()

	const callers = 50
	s.catching.Lock() // a catch-up is reading: the callers queue behind it
	errs := make(chan error, callers)
	for range callers {
		go func() { errs <- db.catchUp(ctx) }()
	}
	time.Sleep(200 * time.Millisecond) // all of them have asked and wait
	s.catching.Unlock()
	for range callers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	s.mu.Lock()
	reads := s.begun - before
	s.mu.Unlock()
	if reads != 1 {
		t.Errorf("%d callers waiting together read the log %d times, want once", callers, reads)
	}

	// A caller arriving after a read finished reads again: what was
	// committed since may be missing.
	if err := db.catchUp(ctx); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	if s.begun-before != 2 {
		t.Errorf("a later caller did not read again (%d reads)", s.begun-before)
	}
	s.mu.Unlock()
}
