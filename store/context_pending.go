package store

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// pendingContexts holds the conversation contexts saved but not yet
// committed (SaveContext queues its write and does not wait for it), so
// that LoadContext in this process reads what was saved. An entry leaves
// once its write is committed, or has failed; it is never a cache of the
// database: nothing is served from here that the database already has.
type pendingContexts struct {
	mu  sync.Mutex
	seq uint64
	m   map[bot.UserRef]pendingContext
}

type pendingContext struct {
	row contextRow
	seq uint64
}

// put records row as u's latest saved context and returns its sequence
// number, for done.
func (p *pendingContexts) put(u bot.UserRef, row contextRow) uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[bot.UserRef]pendingContext{}
	}
	p.seq++
	p.m[u] = pendingContext{row: row, seq: p.seq}
	return p.seq
}

// get returns u's context saved and not yet committed.
func (p *pendingContexts) get(u bot.UserRef) (contextRow, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.m[u]
	return e.row, ok
}

// done drops u's entry when it is still the save numbered seq: a later
// save keeps its own until that one is done.
func (p *pendingContexts) done(u bot.UserRef, seq uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.m[u]; ok && e.seq == seq {
		delete(p.m, u)
	}
}

// forget drops u's entry (the user's data is being erased).
func (p *pendingContexts) forget(u bot.UserRef) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, u)
}

// any reports whether some save is not yet committed.
func (p *pendingContexts) any() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.m) > 0
}

// flushBehind waits until the writes queued behind (context saves) before
// it are committed, when there are any, so that erasing a user's rows
// cannot be followed by an older save bringing one back.
func (db *DB) flushBehind(ctx context.Context) error {
	if db.w == nil || !db.pctx.any() {
		return nil
	}
	return db.grouped(ctx, "forget: earlier writes", func(context.Context, *sqlx.Tx) error { return nil })
}
