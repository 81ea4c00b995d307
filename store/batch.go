package store

import (
	"context"
	"errors"
	"runtime"

	"github.com/jmoiron/sqlx"
)

// maxBatch bounds how many writes share one transaction.
const maxBatch = 256

// errClosed is what a write gets once Close has begun.
var errClosed = errors.New("store: database is closed")

// writeReq is one small write waiting for the group commit.
type writeReq struct {
	ctx  context.Context
	op   string
	fn   func(ctx context.Context, tx *sqlx.Tx) error
	done chan error
}

// grouped runs fn in a transaction shared with the other small writes that
// arrive while the previous transaction commits, and returns once that
// transaction has committed: a write is as durable when grouped returns as
// if it had its own transaction. A commit costs the same for one row as
// for a hundred, so concurrent writers share it instead of queueing for
// it. A write that fails does not fail the others: the batch is retried
// one write per transaction.
func (db *DB) grouped(ctx context.Context, op string, fn func(ctx context.Context, tx *sqlx.Tx) error) error {
	if db.reqs == nil {
		return formatError(op, errClosed) // never opened
	}
	req := &writeReq{ctx: ctx, op: op, fn: fn, done: make(chan error, 1)}
	select {
	case db.reqs <- req:
	case <-db.quit:
		return formatError(op, errClosed)
	case <-ctx.Done():
		return formatError(op, ctx.Err())
	}
	return <-req.done
}

// commitLoop takes a waiting write, gathers every other write already
// waiting (up to maxBatch), commits them together, and repeats until Close.
func (db *DB) commitLoop() {
	defer close(db.loopDone)
	batch := make([]*writeReq, 0, maxBatch)
	for {
		concurrent := len(batch) > 1
		select {
		case <-db.quit:
			return
		case first := <-db.reqs:
			batch = append(batch[:0], first)
		}
		if concurrent {
			// The writers of the last batch are just waking up to send
			// their next write; let them, rather than commit this one
			// alone.
			runtime.Gosched()
		}
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-db.reqs:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		db.commitBatch(batch)
	}
}

func (db *DB) commitBatch(batch []*writeReq) {
	live := make([]*writeReq, 0, len(batch))
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- formatError(r.op, err)
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	err := db.runBatch(live)
	if err == nil {
		for _, r := range live {
			r.done <- nil
		}
		return
	}
	if len(live) == 1 {
		live[0].done <- formatError(live[0].op, err)
		return
	}
	// Something in the batch failed: find out which, each write alone.
	for _, r := range live {
		r.done <- formatError(r.op, db.runBatch([]*writeReq{r}))
	}
}

// runBatch runs the writes in one transaction. Statements do not use the
// callers' contexts: one caller giving up must not interrupt the others'
// transaction, and the busy timeout bounds the wait.
func (db *DB) runBatch(batch []*writeReq) error {
	ctx := context.Background()
	if err := db.prepare(ctx); err != nil {
		return err
	}
	tx, err := db.w.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, r := range batch {
		if err := r.fn(context.WithoutCancel(r.ctx), tx); err != nil {
			return err
		}
	}
	return tx.Commit()
}
