package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// replaySet is every unexpired replay mark of an SQLite database, in
// memory, so that Seen never reads the database for the replay key of a
// request, which is new nearly every time. It holds a 64-bit fingerprint
// of each key (fingerprint) with its expiry: those this process
// remembers, added as Remember and RememberLater are called, and those
// in the replay_marks log, read by id (catchUp): all of them when first
// asked, then the rows appended after the last one read, whenever the
// commit loop has seen another process commit or its last check is no
// longer fresh (see caches' cacheFresh). The unexpired keys of the
// replays table, where earlier versions wrote a row per key, are read
// too, at each catch-up.
//
// Two different keys share a fingerprint with odds of about one in 2^64
// per pair, so even with millions of keys remembered the chance that a
// new request is taken for a replay is below one in a million million.
//
// Memory is what the keys need, about 10 bytes each (14 with the slices'
// room to grow): the fingerprints are kept by expiry in buckets, each a
// sorted array of fingerprints with their expiries (as 16-bit offsets
// into the bucket) and a short unsorted tail merged in as it fills, and a
// bucket's arrays are let go once every key it holds has expired, so a
// steady load reaches a steady size within the keys' lifetime. (A Go map took
// about 50 bytes a key, which the garbage collector's headroom multiplied
// in the process's memory.) Slack's keys live 6 to 15 minutes and fall in
// buckets of a minute (expiries kept to the millisecond); nudge attempts
// live 24 hours and fall in buckets of 2 hours (expiries rounded up to the
// second); the rare key expiring beyond both is kept apart.
type replaySet struct {
	mu    sync.Mutex
	rings [2]markRing
	far   map[uint64]int64 // keys expiring beyond both rings
	// lastID is the id of the last replay_marks row read or written
	// while nothing else wrote: every row up to it is in the set.
	lastID int64
	// stale: rows after lastID may be missing (nothing read yet, or
	// another process committed); catchUp reads them.
	stale bool
	// gen counts other processes' commits seen: a catch-up clears stale
	// only when none came during its read.
	gen uint64
	// catching serializes catch-ups. begun counts the catch-ups that
	// began reading, and done is begun's count for the last one that
	// finished: a caller that waited for catching while another read
	// the database, begun after it asked, takes that read as its own.
	catching    sync.Mutex
	begun, done uint64
}

// markRing is a ring of buckets of equal width: bucket index i (an expiry
// time divided by the width) lives in slot i mod len(buckets). Expiries
// are kept in units of unit milliseconds from the bucket's start.
type markRing struct {
	width   int64 // milliseconds
	unit    int64 // milliseconds; width/unit fits in 16 bits
	buckets []markBucket
}

// markBucket holds the keys expiring in one span of a ring's width.
type markBucket struct {
	index int64
	used  bool
	// fps is sorted; exps[i] is fps[i]'s expiry, in units from the
	// bucket's start (rounded up).
	fps  []uint64
	exps []uint16
	// mid is a second sorted array (mexps its expiries), where full
	// tails are merged; it is merged into fps once it holds about
	// sqrt(markTail*len(fps)) keys. Merging each tail straight into fps
	// moved nearly all of fps every markTail keys, so a bucket filled by
	// a minute of load (540,000 keys at 9,000 a second) cost thousands of
	// moves a key; through mid it is about 2*sqrt(len(fps)/markTail).
	mid   []uint64
	mexps []uint16
	// tail holds the keys added since the last merge, unsorted.
	tail  []uint64
	texps []uint16
}

// release lets go of the arrays of the buckets whose keys have all
// expired by now, when a bucket is started (once a width): the ring then
// holds the buckets of the keys alive, not one of each slot, and a steady
// load reaches its steady size once the longest-lived keys start to
// expire, not once the ring has gone round.
func (r *markRing) release(now int64) {
	for j := range r.buckets {
		b := &r.buckets[j]
		if b.used && (b.index+1)*r.width <= now {
			*b = markBucket{}
		}
	}
}

// markTail is how many keys a bucket takes before sorting them into its
// array.
const markTail = 128

func newReplaySet() *replaySet {
	return &replaySet{
		rings: [2]markRing{
			{width: time.Minute.Milliseconds(), unit: 1, buckets: make([]markBucket, 20)},
			{width: (2 * time.Hour).Milliseconds(), unit: 1000, buckets: make([]markBucket, 15)},
		},
		stale: true,
	}
}

// fingerprint is the 64-bit FNV-1a hash of a replay key: the same in every
// process and every version, as the log keeps it.
func fingerprint(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}

// add puts fingerprint fp, expiring at expires (unix ms), in the set at now.
func (s *replaySet) add(fp uint64, expires, now int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addLocked(fp, expires, now)
}

func (s *replaySet) addLocked(fp uint64, expires, now int64) {
	if expires <= now {
		return // Seen says no to it anyway
	}
	for r := range s.rings {
		if s.rings[r].add(fp, expires, now) {
			return
		}
	}
	if s.far == nil {
		s.far = map[uint64]int64{}
	}
	if len(s.far) >= 4096 {
		for k, e := range s.far {
			if e <= now {
				delete(s.far, k)
			}
		}
	}
	s.far[fp] = max(s.far[fp], expires)
}

// add keeps fp in expires' bucket, and reports false when the ring cannot
// hold it: expiring so late that its slot may still hold keys not yet
// expired (two buckets' margin, for clocks that differ a little), or in a
// bucket already reused for later keys (a clock gone back).
func (r *markRing) add(fp uint64, expires, now int64) bool {
	n := int64(len(r.buckets))
	if expires-now >= (n-2)*r.width {
		return false
	}
	i := expires / r.width
	b := &r.buckets[i%n]
	switch {
	case !b.used || b.index < i:
		// Every key of an old bucket expired before now: it expired
		// before (b.index+1)*width <= (i-n+1)*width, and now is past
		// expires-(n-2)*width >= (i-n+2)*width.
		b.fps, b.exps, b.tail, b.texps = b.fps[:0], b.exps[:0], b.tail[:0], b.texps[:0]
		b.mid, b.mexps = b.mid[:0], b.mexps[:0]
		b.index, b.used = i, true
		r.release(now)
	case b.index > i:
		return false
	}
	off := (expires - i*r.width + r.unit - 1) / r.unit
	b.tail = append(b.tail, fp)
	b.texps = append(b.texps, uint16(off))
	if len(b.tail) >= markTail {
		b.merge()
	}
	return true
}

// merge sorts the tail into mid, and mid into fps once mid is big enough.
func (b *markBucket) merge() {
	t, te := b.tail, b.texps
	for i := 1; i < len(t); i++ { // insertion sort: the tail is short
		for j := i; j > 0 && t[j] < t[j-1]; j-- {
			t[j], t[j-1] = t[j-1], t[j]
			te[j], te[j-1] = te[j-1], te[j]
		}
	}
	b.mid, b.mexps = mergeSorted(b.mid, b.mexps, t, te)
	b.tail, b.texps = b.tail[:0], b.texps[:0]
	if len(b.mid)*len(b.mid) >= markTail*len(b.fps) {
		b.fps, b.exps = mergeSorted(b.fps, b.exps, b.mid, b.mexps)
		b.mid, b.mexps = b.mid[:0], b.mexps[:0]
	}
}

// mergeSorted merges the sorted t (with expiries te) into the sorted fps
// (with exps), in place from the back, and returns the grown arrays.
func mergeSorted(fps []uint64, exps []uint16, t []uint64, te []uint16) ([]uint64, []uint16) {
	n, m := len(fps), len(t)
	fps = append(fps, t...)
	exps = append(exps, te...)
	i, j, k := n-1, m-1, n+m-1
	for j >= 0 {
		if i >= 0 && fps[i] > t[j] {
			fps[k], exps[k] = fps[i], exps[i]
			i--
		} else {
			fps[k], exps[k] = t[j], te[j]
			j--
		}
		k--
	}
	return fps, exps
}

// holds reports whether the bucket has fp expiring after now (in units
// from the bucket's start, rounded down).
func (b *markBucket) holds(fp uint64, now int64) bool {
	if sortedHolds(b.fps, b.exps, fp, now) || sortedHolds(b.mid, b.mexps, fp, now) {
		return true
	}
	for k, t := range b.tail {
		if t == fp && int64(b.texps[k]) > now {
			return true
		}
	}
	return false
}

// sortedHolds reports whether the sorted fps has fp with an expiry after
// now.
func sortedHolds(fps []uint64, exps []uint16, fp uint64, now int64) bool {
	lo, hi := 0, len(fps)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if fps[mid] < fp {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	for ; lo < len(fps) && fps[lo] == fp; lo++ {
		if int64(exps[lo]) > now {
			return true
		}
	}
	return false
}

// has reports whether fp is in the set and unexpired at now.
func (s *replaySet) has(fp uint64, now int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for r := range s.rings {
		ring := &s.rings[r]
		for i := range ring.buckets {
			b := &ring.buckets[i]
			start := b.index * ring.width
			if !b.used || start+ring.width <= now {
				continue // all its keys expired
			}
			// An expiry e (units from start) is after now when
			// start+e*unit > now, that is when e > (now-start)/unit,
			// rounded down; before the bucket starts, every key is.
			at := int64(-1)
			if now >= start {
				at = (now - start) / ring.unit
			}
			if b.holds(fp, at) {
				return true
			}
		}
	}
	e, ok := s.far[fp]
	return ok && e > now
}

// othersCommitted is the commit loop seeing another process's commit: rows
// after lastID may be theirs.
func (s *replaySet) othersCommitted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	s.stale = true
}

// committed is the commit loop having committed replay_marks rows up to
// id, having found at its start that no other process had committed since
// its last check: then every row up to id is in the set, unless the set
// was stale already.
func (s *replaySet) committed(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stale && id > s.lastID {
		s.lastID = id
	}
}

// needsCatchUp reports whether Seen must read the log first at now.
func (db *DB) needsCatchUp(now time.Time) bool {
	s := db.replays
	s.mu.Lock()
	stale := s.stale
	s.mu.Unlock()
	return stale || !db.cache.isFresh(now)
}

// catchUp reads the replay_marks rows after lastID and the replays
// table's unexpired keys into the set, and clears stale when no other
// process committed meanwhile.
//
// Callers that arrive while a catch-up reads wait for it and then read
// again only if none began after they asked: until the commit loop next
// finds the caches fresh (at startup, or after a commit slower than
// cacheFresh) every Seen asks for a catch-up, and reading one after
// another held each request up behind the reads of all those that asked
// before it (TestCatchUpsShareOneRead: 50 callers waiting together now
// read the log once).
func (db *DB) catchUp(ctx context.Context) error {
	s := db.replays
	s.mu.Lock()
	ticket := s.begun
	s.mu.Unlock()
	s.catching.Lock()
	defer s.catching.Unlock()
	s.mu.Lock()
	if s.done > ticket && !s.stale {
		s.mu.Unlock()
		return nil // read by a catch-up that began after this caller asked
	}
	s.begun++
	mine := s.begun
	gen, last := s.gen, s.lastID
	s.mu.Unlock()
	now := db.now().UnixMilli()
	// An earlier version keeps a row per key in replays; reading its
	// unexpired keys is an index seek that finds none once they are gone.
	if err := db.readOldReplays(ctx, now); err != nil {
		return err
	}
	rows, err := db.r.QueryxContext(ctx, `SELECT id, expires_at, fps FROM replay_marks WHERE id > ? ORDER BY id`, last)
	if err != nil {
		return fmt.Errorf("read replay marks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id, expires int64
			fps         []byte
		)
		if err := rows.Scan(&id, &expires, &fps); err != nil {
			return fmt.Errorf("read replay marks: %w", err)
		}
		s.mu.Lock()
		for i := 0; i+8 <= len(fps); i += 8 {
			s.addLocked(binary.LittleEndian.Uint64(fps[i:]), expires, now)
		}
		s.mu.Unlock()
		last = max(last, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read replay marks: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastID = max(s.lastID, last)
	if s.gen == gen {
		s.stale = false
	}
	s.done = mine
	return nil
}

// readOldReplays adds the unexpired keys of the replays table to the set.
func (db *DB) readOldReplays(ctx context.Context, now int64) error {
	s := db.replays
	rows, err := db.r.QueryContext(ctx, `SELECT key, expires_at FROM replays WHERE expires_at > ?`, now)
	if err != nil {
		return fmt.Errorf("read replays: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var expires int64
		if err := rows.Scan(&key, &expires); err != nil {
			return fmt.Errorf("read replays: %w", err)
		}
		s.add(fingerprint(key), expires, now)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read replays: %w", err)
	}
	return nil
}

// pendingFPs are the replay marks of one batch, written at its end as one
// row per expiry second (batchState.finish).
type pendingFPs struct {
	bySecond map[int64][]byte // expiry rounded up to the second: fingerprints
	order    []int64
}

func (p *pendingFPs) reset() {
	clear(p.bySecond)
	p.order = p.order[:0]
}

func (p *pendingFPs) add(fp uint64, expires int64) {
	sec := (expires + 999) / 1000 * 1000
	if p.bySecond == nil {
		p.bySecond = map[int64][]byte{}
	}
	b, ok := p.bySecond[sec]
	if !ok {
		p.order = append(p.order, sec)
	}
	p.bySecond[sec] = binary.LittleEndian.AppendUint64(b, fp)
}

// write appends the batch's rows in tx and returns the last row's id (0
// when there were none).
func (p *pendingFPs) write(ctx context.Context, tx *sqlx.Tx, db *DB) (int64, error) {
	var last int64
	for _, sec := range p.order {
		res, err := db.writeStmt(ctx, tx, db.st.addMarks, addMarksSQL, sec, p.bySecond[sec])
		if err != nil {
			return 0, fmt.Errorf("add replay marks: %w", err)
		}
		if last, err = res.LastInsertId(); err != nil {
			return 0, fmt.Errorf("add replay marks: %w", err)
		}
	}
	return last, nil
}

const (
	addMarksSQL = `INSERT INTO replay_marks (expires_at, fps) VALUES (?, ?)`
	// pruneMarksSQL drops the expired rows (a second's worth, or 10,000
	// of a backlog at a time), never the newest: with
	// it kept, a new row's id is always above every id read before
	// (rowids are max+1), which catchUp relies on.
	pruneMarksSQL = `DELETE FROM replay_marks WHERE id IN
		(SELECT id FROM replay_marks WHERE expires_at <= ? ORDER BY expires_at LIMIT 10000)
		AND id < (SELECT max(id) FROM replay_marks)`
	// pruneOldReplaysSQL drops a few expired keys of the replays table.
	pruneOldReplaysSQL = `DELETE FROM replays WHERE key IN
		(SELECT key FROM replays WHERE expires_at <= ? ORDER BY expires_at LIMIT 256)`
	// pruneMarksEvery spaces the prunes: rows expire by the second.
	pruneMarksEvery = time.Second
)
