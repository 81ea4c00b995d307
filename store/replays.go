package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
)

// maxReplayKey bounds a replay key; callers pass hashes and ids.
const maxReplayKey = 200

// Seen reports whether key was remembered (with Remember) and has not
// expired. Adapters use it to drop a platform's replays and retries
// across restarts.
func (db *DB) Seen(ctx context.Context, key string) (bool, error) {
	var expires int64
	err := db.getOne(ctx, "replay seen", &expires, seenSQL, clip(key, maxReplayKey))
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
	return db.grouped(ctx, "remember replay", func(ctx context.Context, tx *sqlx.Tx) error {
		if _, err := writeStmt(ctx, tx, db.st.remember, rememberSQL, clip(key, maxReplayKey), until.UnixMilli()); err != nil {
			return err
		}
		// A few expired rows go with each new one, so the table stays
		// the size of the replay window without a sweeper.
		_, err := writeStmt(ctx, tx, db.st.pruneReplays, pruneReplaysSQL, now)
		return err
	})
}

const (
	seenSQL     = `SELECT expires_at FROM replays WHERE key = ?`
	rememberSQL = `INSERT INTO replays (key, expires_at) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET expires_at = max(replays.expires_at, excluded.expires_at)`
	pruneReplaysSQL = `DELETE FROM replays WHERE key IN
		(SELECT key FROM replays WHERE expires_at <= ? ORDER BY expires_at LIMIT 8)`
)
