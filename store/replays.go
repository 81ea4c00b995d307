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

// Seen reports whether key was remembered (with Remember) and has not
// expired. Adapters use it to drop a platform's replays and retries
// across restarts.
//
// On SQLite most keys are found absent in memory (see replayFilter).
func (db *DB) Seen(ctx context.Context, key string) (bool, error) {
	key = clip(key, maxReplayKey)
	now := db.now()
	if expires, ok := db.marks.get(key); ok && now.UnixMilli() < expires {
		return true, nil // queued by RememberLater, not committed yet
	}
	if db.replays != nil {
		db.startReplayFilter()
		if db.replays.absent(key, now.UnixMilli(), db.cache.isFresh(now)) {
			return false, nil
		}
	}
	var expires int64
	err := db.getOne(ctx, "replay seen", &expires, seenSQL, key)
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
	now := db.now().UnixMilli()
	if db.replays != nil {
		db.replays.add(clip(key, maxReplayKey), until.UnixMilli(), now)
	}
	return db.grouped(ctx, "remember replay", func(ctx context.Context, tx *sqlx.Tx) error {
		return db.rememberTx(ctx, tx, key, until, now)
	})
}

// rememberTx writes key's mark in tx (the commit loop's batch) and has a
// few expired ones dropped at the end of the batch (see batchState), so
// the table stays the size of the replay window without a sweeper.
func (db *DB) rememberTx(ctx context.Context, tx *sqlx.Tx, key string, until time.Time, now int64) error {
	if _, err := writeStmt(ctx, tx, db.st.remember, rememberSQL, clip(key, maxReplayKey), until.UnixMilli()); err != nil {
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
	if db.replays != nil {
		db.replays.add(key, until.UnixMilli(), now)
	}
	db.marks.put(key, until.UnixMilli())
	err := db.behind(ctx, "remember replay", func(ctx context.Context, tx *sqlx.Tx) error {
		return db.rememberTx(ctx, tx, key, until, now)
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
