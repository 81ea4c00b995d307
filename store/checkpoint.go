package store

import (
	"context"
	"database/sql"
	"time"
)

// checkpointEvery is the least time between two background checkpoints.
const checkpointEvery = 100 * time.Millisecond

// checkpointer copies pages from the WAL into the database file on a
// connection of its own while the commit loop goes on writing, so that
// the checkpoint in the commit that crosses wal_autocheckpoint finds
// almost everything copied already and holds up the queued writes for a
// moment, not for the copy of thousands of pages and the fsync after it.
// Measured with influbot-load at 3,000 signed slash commands a second:
// p99 38 ms with only the commit's own checkpoint (every 8000 pages),
// 4 ms with none at all (and a WAL that never stops growing).
type checkpointer struct {
	conn *sql.DB
	kick chan struct{} // capacity 1: "the commit loop wrote something"
	done chan struct{}
}

// openCheckpointer opens the checkpointer's connection (runCheckpointer
// starts it once the commit loop runs); without one (it could not open)
// commits checkpoint by themselves.
func (db *DB) openCheckpointer(ctx context.Context) {
	conn := sql.OpenDB(&connector{dsn: dsn(db.Path, "rw", "deferred"), pragmas: "PRAGMA busy_timeout = 0"})
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxLifetime(0)
	conn.SetConnMaxIdleTime(0)
	if err := conn.PingContext(ctx); err != nil {
		db.Logger.Warn("no background checkpoints: commits will checkpoint the WAL by themselves", "db", db.Name(), "err", err)
		conn.Close()
		return
	}
	db.ckpt = &checkpointer{conn: conn, kick: make(chan struct{}, 1), done: make(chan struct{})}
}

// runCheckpointer starts the checkpointer, if there is one, after
// startLoop has made the quit channel it stops on.
func (db *DB) runCheckpointer() {
	if db.ckpt != nil {
		go db.checkpointLoop(db.ckpt)
	}
}

// kickCheckpoint tells the checkpointer that a batch was committed.
func (db *DB) kickCheckpoint() {
	if db.ckpt == nil {
		return
	}
	select {
	case db.ckpt.kick <- struct{}{}:
	default:
	}
}

// checkpointLoop runs a PASSIVE checkpoint (it never waits for the
// writer or the readers, and copies what it can) after commits, at most
// every checkpointEvery, until Close.
func (db *DB) checkpointLoop(c *checkpointer) {
	defer close(c.done)
	var last time.Time
	for {
		select {
		case <-db.quit:
			return
		case <-c.kick:
		}
		if wait := checkpointEvery - time.Since(last); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-db.quit:
				t.Stop()
				return
			case <-t.C:
			}
		}
		last = time.Now()
		var busy, frames, copied int
		if err := c.conn.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err != nil {
			db.Logger.Debug("background checkpoint failed; the commits' own checkpoints go on", "db", db.Name(), "err", err)
		}
	}
}

// stopCheckpointer waits for the checkpointer to stop (Close has closed
// quit) and closes its connection.
func (db *DB) stopCheckpointer() error {
	if db.ckpt == nil {
		return nil
	}
	<-db.ckpt.done
	err := db.ckpt.conn.Close()
	db.ckpt = nil
	return err
}
