package store

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
)

// health is what the commit loop knows about the database's writability.
// Its times are the wall clock's, not DB.Now: they pace logs.
type health struct {
	mu         sync.Mutex
	err        error     // the last refusal; nil once a write succeeds again
	since      time.Time // when the refusals began
	attempts   int       // failed attempts in a row
	dropped    int64     // queued writes dropped since the refusals began
	droppedOps map[string]int64
	lastWarn   time.Time
}

// Health reports whether the database is taking writes: nil when the
// latest write succeeded, otherwise an error saying since when it has
// refused them, why, and how many writes wait in memory or were dropped.
// A readiness check (/readyz) or a metric can poll it.
func (db *DB) Health() error {
	h := &db.health
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err == nil {
		return nil
	}
	return fmt.Errorf("database %s refuses writes since %s (%s), %d waiting in memory, %d dropped: %w",
		db.Name(), h.since.UTC().Format(time.RFC3339), time.Since(h.since).Round(time.Second), db.queue.len(), h.dropped, h.err)
}

// Err is Health, for callers that expect the name.
func (db *DB) Err() error { return db.Health() }

func (h *health) fail(db *DB, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err == nil {
		h.since = time.Now()
		h.lastWarn = time.Time{}
	}
	h.err = err
	h.attempts++
}

func (h *health) ok(db *DB, saved int) {
	h.mu.Lock()
	if h.err == nil {
		h.mu.Unlock()
		return
	}
	since, dropped, cause := h.since, h.dropped, h.err
	h.err, h.attempts, h.dropped, h.droppedOps = nil, 0, 0, nil
	h.mu.Unlock()
	db.Logger.Warn("the database takes writes again", "db", db.Name(), "refused_for", time.Since(since).Round(time.Millisecond),
		"saved_now", saved, "still_queued", db.queue.len(), "dropped", dropped, "cause", cause.Error())
}

func (h *health) drop(op string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.dropped++
	if h.droppedOps == nil {
		h.droppedOps = map[string]int64{}
	}
	h.droppedOps[op]++
}

// retryPause is how long the loop waits before trying a refusing database
// again: 50 ms doubling to maxRetryWait.
func (h *health) retryPause() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := 50 * time.Millisecond
	for i := 1; i < h.attempts && d < maxRetryWait; i++ {
		d *= 2
	}
	return min(d, maxRetryWait)
}

// state returns the current refusal, and whether it lasts until someone
// acts (read-only, disk full, permissions) rather than passing by itself
// (another process's lock).
func (h *health) state() (error, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err == nil {
		return nil, false
	}
	return h.err, !isBusy(h.err) || time.Since(h.since) > time.Minute
}

// warnUnhealthy logs, at most every HealthWarnEvery, what is not being
// saved and why.
func (db *DB) warnUnhealthy() {
	every := db.HealthWarnEvery
	if every <= 0 {
		every = DefaultHealthWarnEvery
	}
	h := &db.health
	h.mu.Lock()
	if h.err == nil || (!h.lastWarn.IsZero() && time.Since(h.lastWarn) < every) {
		h.mu.Unlock()
		return
	}
	h.lastWarn = time.Now()
	err, since, dropped := h.err, h.since, h.dropped
	ops := make(map[string]int64, len(h.droppedOps))
	for k, v := range h.droppedOps {
		ops[k] = v
	}
	h.mu.Unlock()
	db.Logger.Warn("history is not being saved: "+refusalReason(err)+"; questions, answers and unanswered questions wait in memory and are saved when it takes writes again, and are lost if influbot stops first",
		"db", db.Name(), "since", since.UTC().Format(time.RFC3339), "waiting", db.queue.len(), "dropped", dropped, "dropped_by_kind", fmt.Sprint(ops), "err", err.Error())
}

// refusalReason says in a few words why the database refuses writes.
func refusalReason(err error) string {
	switch classifyPG(err) {
	case pgBusy:
		return "PostgreSQL reports lock conflicts or too many connections"
	case pgUnreachable:
		return "PostgreSQL cannot be reached"
	case pgReadOnly:
		return "PostgreSQL is read-only (a standby?)"
	case pgFull:
		return "PostgreSQL is out of disk or memory"
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return "another program holds the database's write lock"
		case sqlite3.ErrReadonly:
			return "the database file is read-only"
		case sqlite3.ErrFull:
			return "the disk is full"
		case sqlite3.ErrPerm, sqlite3.ErrCantOpen:
			return "influbot lacks permission to write the database or its directory"
		case sqlite3.ErrIoErr:
			return "writing to the disk fails"
		}
	}
	return "writes fail"
}
