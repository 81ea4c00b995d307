package store

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// flushBehind waits until the writes queued behind (context saves,
// history) before it are committed, when there are any, so that erasing a
// user's rows cannot be followed by an older save bringing one back.
func (db *DB) flushBehind(ctx context.Context) error {
	if db.w == nil || (!db.cache.anyQueued() && db.unsettled.Load() == 0) {
		return nil
	}
	return db.grouped(ctx, "forget: earlier writes", func(context.Context, *sqlx.Tx) error { return nil })
}
