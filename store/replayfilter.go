package store

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"time"
)

// replayFilter answers most of Seen's questions without the database: a
// request's replay key is new nearly every time, and the filter knows
// which keys the replays table cannot hold. It is a set of Bloom filters,
// one per span of expiry times (a bucket), holding a fingerprint of every
// unexpired key in the table: those of this process, added as Remember and
// RememberLater are called, and those already in the table, added by a
// scan of it (build) the first time Seen is asked, and again whenever the
// commit loop finds another process has committed (which may have added
// keys). A key the filter does not hold is not in the table; one it may
// hold is looked up there, as are all keys while the filter is incomplete
// (before its scan has finished, or while another process's commit may be
// unseen: see caches' cacheFresh). Bloom filters have no false negatives,
// so the filter never hides a replay it was told about; its false
// positives cost a read.
//
// Memory is fixed: a bucket is emptied for reuse once every key it holds
// has expired. Slack's keys live 15 minutes and fall in buckets of 4
// minutes (1 MiB each, about 1% false positives at 3,000 requests a
// second); nudge attempts live 24 hours and fall in buckets of 2 hours
// (64 KiB each). A key expiring beyond both leaves the filter incomplete
// until it expires.
type replayFilter struct {
	mu   sync.Mutex
	seed maphash.Seed
	// started: a build has been asked for (the first Seen).
	started bool
	// complete: every unexpired key in the table is in the filter, as of
	// the last check for other processes' commits.
	complete bool
	// gen counts other processes' commits seen; a build completes the
	// filter only when none came during its scan.
	gen uint64
	// incompleteUntil: a key the filter could not hold expires then.
	incompleteUntil int64
	// latest is the latest time a key was added at: a clock gone back
	// further than a bucket's width reads the table (emptied buckets
	// assumed their keys expired).
	latest int64
	rings  [2]bloomRing
	wake   chan struct{} // capacity 1: build again
	done   chan struct{} // closed when the build goroutine ends
	once   sync.Once     // starts the build goroutine
	// baseline is closed once the commit loop has read the writer's
	// data_version: a scan that starts later is followed by a check for
	// any commit it may have missed.
	baseline     chan struct{}
	baselineOnce sync.Once
}

// bloomRing is a ring of buckets of equal width: bucket index i (an
// expiry time divided by the width) lives in slot i mod len(buckets).
type bloomRing struct {
	width   int64 // milliseconds
	bits    uint64
	buckets []bloomBucket
}

type bloomBucket struct {
	index int64
	words []uint64 // nil until used
}

// bloomHashes is how many bits a key sets in its bucket.
const bloomHashes = 4

// minRebuildGap spaces builds after other processes' commits: while
// another program writes all the time, Seen reads the table.
const minRebuildGap = time.Minute

func newReplayFilter() *replayFilter {
	return &replayFilter{
		seed: maphash.MakeSeed(),
		rings: [2]bloomRing{
			{width: (4 * time.Minute).Milliseconds(), bits: 1 << 23, buckets: make([]bloomBucket, 7)},
			{width: (2 * time.Hour).Milliseconds(), bits: 1 << 19, buckets: make([]bloomBucket, 15)},
		},
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		baseline: make(chan struct{}),
	}
}

// add puts key, expiring at expires (unix ms), in the filter at now.
func (f *replayFilter) add(key string, expires, now int64) {
	h := maphash.String(f.seed, key)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.addLocked(h, expires, now)
}

func (f *replayFilter) addLocked(h uint64, expires, now int64) {
	if expires <= now {
		return // Seen says no to it anyway
	}
	f.latest = max(f.latest, now)
	for r := range f.rings {
		if f.rings[r].add(h, expires, now) {
			return
		}
	}
	f.incompleteUntil = max(f.incompleteUntil, expires)
}

// add sets h's bits in expires' bucket, and reports false when the ring
// cannot hold it: expiring so late that its slot may still hold keys not
// yet expired (two buckets' margin, for clocks that differ a little).
func (r *bloomRing) add(h uint64, expires, now int64) bool {
	n := int64(len(r.buckets))
	if expires-now >= (n-2)*r.width {
		return false
	}
	i := expires / r.width
	b := &r.buckets[i%n]
	switch {
	case b.words == nil:
		b.words = make([]uint64, r.bits/64)
		b.index = i
	case b.index < i:
		// Every key of the old bucket expired at least one width ago.
		clear(b.words)
		b.index = i
	case b.index > i:
		return false // a clock gone back
	}
	for k := range uint64(bloomHashes) {
		bit := bloomBit(h, k, r.bits)
		b.words[bit/64] |= 1 << (bit % 64)
	}
	return true
}

// mayHold reports whether a bucket that may hold unexpired keys at now
// has h's bits all set.
func (r *bloomRing) mayHold(h uint64, now int64) bool {
	for i := range r.buckets {
		b := &r.buckets[i]
		if b.words == nil || (b.index+1)*r.width <= now {
			continue
		}
		all := true
		for k := range uint64(bloomHashes) {
			bit := bloomBit(h, k, r.bits)
			if b.words[bit/64]&(1<<(bit%64)) == 0 {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// bloomBit is the k-th bit of h in a bucket of size bits (a power of
// two), by double hashing.
func bloomBit(h, k, bits uint64) uint64 {
	h2 := (h>>32 | h<<32) | 1
	return (h + k*h2) & (bits - 1)
}

// absent reports whether key is certainly not an unexpired key of the
// table at now. fresh says the caches' check for other processes'
// commits is recent.
func (f *replayFilter) absent(key string, now int64, fresh bool) bool {
	h := maphash.String(f.seed, key)
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.complete || !fresh || now < f.incompleteUntil || now < f.latest-f.rings[0].width {
		return false
	}
	for r := range f.rings {
		if f.rings[r].mayHold(h, now) {
			return false
		}
	}
	return true
}

// othersCommitted is the commit loop seeing another process's commit: the
// filter is incomplete until a build that starts after it ends.
func (f *replayFilter) othersCommitted() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	f.complete = false
	if f.started {
		select {
		case f.wake <- struct{}{}:
		default:
		}
	}
}

// versionKnown is the commit loop having read data_version once.
func (f *replayFilter) versionKnown() {
	f.baselineOnce.Do(func() { close(f.baseline) })
}

// startReplayFilter begins building the filter, once (the first Seen).
func (db *DB) startReplayFilter() {
	f := db.replays
	f.once.Do(func() {
		f.mu.Lock()
		f.started = true
		f.mu.Unlock()
		select {
		case f.wake <- struct{}{}:
		default: // othersCommitted got there first
		}
		go db.buildReplayFilter()
	})
}

// stopReplayFilter waits for the build goroutine, if any, to end (Close,
// after db.quit is closed).
func (db *DB) stopReplayFilter() {
	f := db.replays
	if f == nil {
		return
	}
	f.once.Do(func() { close(f.done) }) // never started: nothing to wait for
	<-f.done
}

// buildReplayFilter scans the replays table into the filter whenever
// woken, until the database closes.
func (db *DB) buildReplayFilter() {
	f := db.replays
	defer close(f.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-db.quit:
			cancel()
		case <-ctx.Done():
		}
	}()
	select {
	case <-ctx.Done():
		return
	case <-f.baseline:
	}
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.wake:
		}
		if wait := minRebuildGap - db.now().Sub(last); !last.IsZero() && wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		last = db.now()
		if err := db.scanReplays(ctx); err != nil && ctx.Err() == nil {
			db.Logger.Warn("replay filter: reading the replay log; replays are looked up in the database meanwhile", "err", err)
			select { // try again later
			case f.wake <- struct{}{}:
			default:
			}
		}
	}
}

// scanReplays adds every unexpired key of the table to the filter, and
// marks it complete when no other process committed meanwhile.
func (db *DB) scanReplays(ctx context.Context) error {
	f := db.replays
	f.mu.Lock()
	gen := f.gen
	f.mu.Unlock()
	now := db.now().UnixMilli()
	rows, err := db.r.QueryContext(ctx, `SELECT key, expires_at FROM replays WHERE expires_at > ?`, now)
	if err != nil {
		return fmt.Errorf("scan replays: %w", err)
	}
	defer rows.Close()
	type kv struct {
		h       uint64
		expires int64
	}
	batch := make([]kv, 0, 1024)
	flush := func() {
		f.mu.Lock()
		for _, e := range batch {
			f.addLocked(e.h, e.expires, now)
		}
		f.mu.Unlock()
		batch = batch[:0]
	}
	for rows.Next() {
		var key string
		var e kv
		if err := rows.Scan(&key, &e.expires); err != nil {
			return fmt.Errorf("scan replays: %w", err)
		}
		e.h = maphash.String(f.seed, key)
		if batch = append(batch, e); len(batch) == cap(batch) {
			flush()
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan replays: %w", err)
	}
	flush()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen == gen {
		f.complete = true
	}
	return nil
}
