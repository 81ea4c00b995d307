package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// maxReplayKey bounds a replay key; callers pass hashes and ids.
const maxReplayKey = 200

// seenWait bounds the reads Seen makes.
const seenWait = time.Second

// Seen reports whether key was remembered (with Remember) and has not
// expired. Adapters use it to drop a platform's replays and retries
// across restarts.
//
// On SQLite it answers from memory (see replaySet), reading the log only
// to catch up with another process's commits; on PostgreSQL it looks the
// key up.
func (db *DB) Seen(ctx context.Context, key string) (bool, error) {
	key = clip(key, maxReplayKey)
	now := db.now()
	if expires, ok := db.marks.get(key); ok && now.UnixMilli() < expires {
		return true, nil // queued by RememberLater, not committed yet
	}
	// Reading the database is bounded here, so callers need no timer of
	// their own for the in-memory answer nearly every call gets.
	if db.replays != nil {
		if db.needsCatchUp(now) {
			rctx, cancel := context.WithTimeout(ctx, seenWait)
			err := db.catchUp(rctx)
			cancel()
			if err != nil {
				return false, err
			}
		}
		return db.replays.has(fingerprint(key), now.UnixMilli()), nil
	}
	rctx, cancel := context.WithTimeout(ctx, seenWait)
	defer cancel()
	var expires int64
	err := db.getOne(rctx, "replay seen", &expires, seenSQL, key)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return db.now().UnixMilli() < expires, nil
}

// Remember records key until the time until, durably: it is committed when
// Remember returns. Expired keys are deleted as new ones arrive.
func (db *DB) Remember(ctx context.Context, key string, until time.Time) error {
	key = clip(key, maxReplayKey)
	now := db.now().UnixMilli()
	fp := fingerprint(key)
	if db.replays != nil {
		db.replays.add(fp, until.UnixMilli(), now)
	}
	return db.grouped(ctx, "remember replay", func(ctx context.Context, tx *sqlx.Tx) error {
		return db.rememberTx(ctx, tx, key, fp, until, now)
	})
}

// rememberTx writes key's mark in tx (the commit loop's batch). On SQLite
// it joins the batch's marks, appended to the log as one row per expiry
// second at the batch's end; on PostgreSQL it is a row of replays. Either
// way a few expired marks are dropped at the end of the batch (see
// batchState), so the log stays the size of the replay window without a
// sweeper.
func (db *DB) rememberTx(ctx context.Context, tx *sqlx.Tx, key string, fp uint64, until time.Time, now int64) error {
	if db.replays != nil {
		db.batch.fps.add(fp, until.UnixMilli())
	} else if _, err := db.writeStmt(ctx, tx, db.st.remember, rememberSQL, key, until.UnixMilli()); err != nil {
		return err
	}
	db.batch.remembered(now)
	return nil
}

const (
	seenSQL     = `SELECT expires_at FROM replays WHERE key = ?`
	rememberSQL = `INSERT INTO replays (key, expires_at) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET expires_at = max(replays.expires_at, excluded.expires_at)`
	pruneReplaysSQL = `DELETE FROM replays WHERE key IN
		(SELECT key FROM replays WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`
	// prunePerMark is how many expired marks each new one lets go.
	prunePerMark = 8
)

// RememberLater is Remember without the wait: the key is queued for the
// next group commit and RememberLater returns at once. Adapters mark a
// request handled with it after its answer was recorded, so the answer
// does not wait for a second commit; a crash in the few milliseconds
// before that commit forgets the mark (the in-process set still drops
// repeats until then).
//
// Until the commit, Seen in this process finds the key in memory.
func (db *DB) RememberLater(ctx context.Context, key string, until time.Time) error {
	now := db.now().UnixMilli()
	key = clip(key, maxReplayKey)
	fp := fingerprint(key)
	if db.replays != nil {
		db.replays.add(fp, until.UnixMilli(), now)
	}
	db.marks.put(key, until.UnixMilli())
	err := db.behind(ctx, "remember replay", func(ctx context.Context, tx *sqlx.Tx) error {
		return db.rememberTx(ctx, tx, key, fp, until, now)
	}, func(err error) {
		db.marks.done(key)
		if err != nil {
			db.Logger.Warn("remember replay", "err", err)
		}
	})
	if err != nil {
		db.marks.done(key)
	}
	return err
}

// pendingMarks are the replay marks queued by RememberLater and not yet
// committed, by key, with when they expire (unix milliseconds).
type pendingMarks struct {
	mu sync.Mutex
	m  map[string]pendingMark
}

type pendingMark struct {
	expires int64
	n       int // marks of this key queued
}

func (p *pendingMarks) put(key string, expires int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]pendingMark{}
	}
	e := p.m[key]
	p.m[key] = pendingMark{expires: max(e.expires, expires), n: e.n + 1}
}

func (p *pendingMarks) done(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.m[key]
	switch {
	case !ok:
	case e.n <= 1:
		delete(p.m, key)
	default:
		e.n--
		p.m[key] = e
	}
}

func (p *pendingMarks) get(key string) (int64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.m[key]
	return e.expires, ok
}
