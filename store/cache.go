package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// Limits of the hot-path caches (see caches).
const (
	// cacheFresh is how long after the commit loop last saw that no
	// other process had committed the caches' committed entries may
	// still be served: the longest another program's change (the CLI's
	// forget, a second influbot on the file) can go unseen. Under load the
	// loop checks every few milliseconds; an idle bot reads the database.
	cacheFresh = 50 * time.Millisecond
	// maxCachedContexts bounds the conversation contexts kept.
	maxCachedContexts = 10_000
	// maxCachedRevisions bounds the workspaces whose knowledge revision
	// is kept.
	maxCachedRevisions = 10_000
	// maxCachedReplies bounds the interned replies whose ids are kept,
	// and maxCachedReplyBytes their text; the same bounds hold for the
	// knowledge answers.
	maxCachedReplies    = 4096
	maxCachedReplyBytes = 4 << 20
	// maxCachedUsers bounds the users whose row id is kept.
	maxCachedUsers = 50_000
	// maxCachedTasks bounds the users whose plan tasks are kept.
	maxCachedTasks = 10_000
	// maxCachedChecks bounds the users whose latest check is kept (a
	// check's row is about 1.3 kB, its result JSON included).
	maxCachedChecks = 4_096
	// maxKnownUsers bounds the users the caches list as possibly having a
	// stored context (see caches.known); beyond it there is no list. The
	// list is read in the commit loop, which waits meanwhile: a few
	// milliseconds at this size.
	maxKnownUsers = 10_000
	// knownRetry is the least time between two readings of that list
	// (after a drop: another process's commit, a write of this process
	// outside the hot path).
	knownRetry = 10 * time.Second
)

// caches keep what every request reads (its user's conversation context,
// its workspace's knowledge revision, its user's plan tasks after a check) and what every event write looks
// up (the id of its user's row, of an interned reply), so the hot path
// skips the database.
// Only on SQLite, where this process's writer is the one writer but for
// another program now and then: the commit loop asks the writer
// connection for PRAGMA data_version at the start of every batch, a
// number that changes when, and only when, another connection has
// committed; then everything here is dropped. A committed entry is served
// only while such a check is recent (cacheFresh). This process's own
// writes keep the caches right themselves: SaveContext writes through,
// and every other write (DB.write: forget, knowledge edits, workspace
// purges, prune, ...) drops them all, before its commit and after it.
//
// A read that misses fills its entry only when nothing was dropped while
// it read (gen), so a read that raced a change cannot bring the old value
// back. On PostgreSQL, where other instances write at any time, nothing
// committed is kept: only the contexts saved and not yet committed (see
// SaveContext).
type caches struct {
	mu  sync.Mutex
	gen uint64 // counts drops and evictions
	seq uint64 // numbers context saves
	// validated is when the commit loop last found no other process's
	// commit; zero when it has not (yet).
	validated time.Time
	// dataVersion is the writer's last PRAGMA data_version (commit loop
	// only).
	dataVersion int64
	haveVersion bool

	contexts map[bot.UserRef]*cachedContext
	// known lists every user who may have a stored conversation context:
	// each with a users row or a conversation_context row when the commit
	// loop last read them (inside its write transaction, so no other
	// process could write meanwhile), and each this process has saved a
	// context for since. A user not in it has nothing stored, so a fresh
	// server's first request from each user (all of them new to a new
	// database) need not ask the database. nil while not read (before
	// the first batch, after a drop): then nothing is concluded from it.
	known     map[bot.UserRef]struct{}
	knownRead time.Time // when the commit loop last read it
	knownMany bool      // more than maxKnownUsers: not read again
	revs      map[bot.TenantRef]int64
	tasks     map[bot.UserRef][]taskRow // never changed once cached
	// checks holds users' latest check (nil: they have none), as a read
	// found it or as this process saved it. A user with a check being
	// saved (savingChecks) has no entry, and a read does not fill one.
	checks       map[bot.UserRef]*checkRow
	savingChecks map[bot.UserRef]*savingCheck
	// A read of a latest check is kept only when no check of its user
	// was queued since it began (lastCheckSave, numbered by checkSaves)
	// and nothing was dropped (checkEpoch): the global gen moves with
	// every user's save, and under load no read would be kept.
	checkSaves    uint64
	lastCheckSave map[bot.UserRef]uint64
	checkEpoch    uint64

	// replies maps an interned reply's text to its id, and users a user
	// to the id of their users row; the commit loop alone reads and fills
	// them, inside a write transaction, so they never need cacheFresh: a
	// drop by another process is seen before the batch's writes run.
	replies    map[string]int64
	replyBytes int
	// answers maps a knowledge answer's text to its answers row (its id
	// and last_used as this process last wrote or read it), like replies.
	answers     map[string]answerRef
	answerBytes int
	users       map[bot.UserRef]int64
	idsDrop     bool   // set by drop, cleared by the commit loop
	drops       uint64 // counts drops
	batchDrops  uint64 // drops when the batch being written began
	// staged are the ids found or added by the batch being committed.
	staged        map[string]int64
	stagedAnswers map[string]answerRef
	stagedUsers   map[bot.UserRef]int64
	// touched holds, by users row id, the seen times this process last
	// wrote to the row; stagedTouched those written by the batch being
	// committed. They live and go with users.
	touched       map[int64]seenSpan
	stagedTouched map[int64]seenSpan
}

// cachedContext is a user's conversation context as stored, or its
// absence (!exists). seq numbers the save that wrote it (0: read from
// the database); committed is false while that save is queued.
type cachedContext struct {
	row       contextRow
	exists    bool
	seq       uint64
	committed bool
	// pending is row.Pending decoded, when this process saved it and it
	// reads back from its JSON unchanged; never changed once cached.
	pending *bot.Pending
}

// fresh reports whether committed entries may be served at now.
func (c *caches) fresh(now time.Time) bool {
	if c.validated.IsZero() {
		return false
	}
	// A check made after now (a reader that read the clock just
	// before the commit loop did) is as good.
	d := now.Sub(c.validated)
	return d >= -cacheFresh && d <= cacheFresh
}

// isFresh is fresh for callers not holding mu.
func (c *caches) isFresh(now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fresh(now)
}

// drop empties the caches (a write of this process that they do not
// follow, or another process's commit). Contexts saved and not yet
// committed stay: the database does not have them yet.
func (c *caches) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for u, e := range c.contexts {
		if e.committed {
			delete(c.contexts, u)
		}
	}
	c.known = nil
	clear(c.revs)
	clear(c.tasks)
	clear(c.checks)
	for _, sc := range c.savingChecks {
		sc.known = false
	}
	c.checkEpoch++
	c.idsDrop = true
	c.drops++
}

// batchBegins marks the start of a batch's writes (commit loop, holding
// the writer, after checkOthers): ids noted from now on are kept only if
// nothing is dropped before they are published.
func (c *caches) batchBegins() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.batchDrops = c.drops
}

// forgetUser drops u's context, queued or not (its data is being erased).
func (c *caches) forgetUser(u bot.UserRef) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.contexts, u)
	delete(c.tasks, u)
	delete(c.checks, u)
	if sc := c.savingChecks[u]; sc != nil {
		sc.known = false
	}
	c.checkEpoch++
}

// context returns u's cached context: ok when it may be served (saved by
// this process and not committed yet, or committed and fresh). gen is
// for fillContext when it may not.
func (c *caches) context(u bot.UserRef, now time.Time) (e cachedContext, ok bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.contexts[u]
	if p != nil && (!p.committed || c.fresh(now)) {
		return *p, true, 0
	}
	if p == nil && c.known != nil && c.fresh(now) {
		if _, maybe := c.known[u]; !maybe {
			return cachedContext{exists: false, committed: true}, true, 0
		}
	}
	return cachedContext{}, false, c.gen
}

// fillContext keeps what a read found for u, unless something was
// dropped since the read began (gen) or a save got there first.
func (c *caches) fillContext(u bot.UserRef, row contextRow, exists bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.contexts[u] != nil {
		return
	}
	c.putContext(u, &cachedContext{row: row, exists: exists, committed: true})
}

// saveContext records row as u's latest save, queued, and returns its
// sequence number for saved.
func (c *caches) saveContext(u bot.UserRef, row contextRow, pending *bot.Pending) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	c.putContext(u, &cachedContext{row: row, exists: true, seq: c.seq, pending: pending})
	c.listKnown(u)
	return c.seq
}

// noteKnown lists u among the users who may have a stored context.
func (c *caches) noteKnown(u bot.UserRef) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.listKnown(u)
}

// listKnown is noteKnown for callers holding mu; past maxKnownUsers the
// list goes, for good.
func (c *caches) listKnown(u bot.UserRef) {
	if c.known == nil {
		return
	}
	if _, ok := c.known[u]; ok {
		return
	}
	if len(c.known) >= maxKnownUsers {
		c.known, c.knownMany = nil, true
		return
	}
	c.known[u] = struct{}{}
}

// saved hears how u's save numbered seq went. Committed, it stays as a
// cached entry (on SQLite); failed, or on PostgreSQL, it goes, and the
// database is read again. A later save's entry is left alone.
func (c *caches) saved(u bot.UserRef, seq uint64, err error, keep bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.contexts[u]
	if e == nil || e.seq != seq {
		return
	}
	if err != nil || !keep {
		c.gen++
		delete(c.contexts, u)
		return
	}
	e.committed = true
}

// putContext stores e for u, evicting another committed entry when full
// (the caller holds mu).
func (c *caches) putContext(u bot.UserRef, e *cachedContext) {
	if c.contexts == nil {
		c.contexts = map[bot.UserRef]*cachedContext{}
	}
	if _, ok := c.contexts[u]; !ok && len(c.contexts) >= maxCachedContexts {
		for v, old := range c.contexts { // map order: a random victim
			if old.committed {
				c.gen++
				delete(c.contexts, v)
				break
			}
		}
	}
	c.contexts[u] = e
}

// anyQueued reports whether some context save is not yet committed.
func (c *caches) anyQueued() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.contexts {
		if !e.committed {
			return true
		}
	}
	return false
}

// revision returns workspace t's cached knowledge revision when fresh.
func (c *caches) revision(t bot.TenantRef, now time.Time) (rev int64, ok bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rev, ok := c.revs[t]; ok && c.fresh(now) {
		return rev, true, 0
	}
	return 0, false, c.gen
}

// fillRevision keeps what a read found for t, unless something was
// dropped since the read began.
func (c *caches) fillRevision(t bot.TenantRef, rev int64, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.revs == nil {
		c.revs = map[bot.TenantRef]int64{}
	}
	if len(c.revs) >= maxCachedRevisions {
		clear(c.revs)
	}
	c.revs[t] = rev
}

// userTasks returns u's cached plan tasks when fresh.
func (c *caches) userTasks(u bot.UserRef, now time.Time) (rows []taskRow, ok bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rows, ok := c.tasks[u]; ok && c.fresh(now) {
		return rows, true, 0
	}
	return nil, false, c.gen
}

// fillTasks keeps what a read found for u, unless something was dropped
// since the read began.
func (c *caches) fillTasks(u bot.UserRef, rows []taskRow, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.tasks == nil {
		c.tasks = map[bot.UserRef][]taskRow{}
	}
	if len(c.tasks) >= maxCachedTasks {
		clear(c.tasks)
	}
	c.tasks[u] = rows
}

// checkToken is when a read of a latest check began (see lastCheckSave);
// saving: a check of the user's was on its way then, and the read, which
// may not see it, is not kept.
type checkToken struct {
	epoch, saves uint64
	saving       bool
}

// latestCheck returns u's cached latest check (nil when u has none)
// when fresh; otherwise a token for fillLatestCheck.
func (c *caches) latestCheck(u bot.UserRef, now time.Time) (row *checkRow, ok bool, tok checkToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if row, ok := c.checks[u]; ok && c.fresh(now) {
		return row, true, checkToken{}
	}
	return nil, false, checkToken{epoch: c.checkEpoch, saves: c.checkSaves, saving: c.savingChecks[u] != nil}
}

// fillLatestCheck keeps what a read begun at tok found for u (nil: no
// check), unless a check of u's was on its way when it began, was queued
// since, or is being saved, or something was dropped.
func (c *caches) fillLatestCheck(u bot.UserRef, row *checkRow, tok checkToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tok.saving || c.checkEpoch != tok.epoch || c.lastCheckSave[u] > tok.saves || c.savingChecks[u] != nil {
		return
	}
	c.putLatestCheck(u, row)
}

// putLatestCheck stores u's latest check, emptying the cache when full
// (the caller holds mu).
func (c *caches) putLatestCheck(u bot.UserRef, row *checkRow) {
	if c.checks == nil {
		c.checks = map[bot.UserRef]*checkRow{}
	}
	if len(c.checks) >= maxCachedChecks {
		clear(c.checks)
	}
	c.checks[u] = row
}

// savingCheck is what the cache knows of a user while checks of theirs are
// being saved by this process.
type savingCheck struct {
	n int // saves queued and not yet answered
	// known: the user's latest check was cached when the first of them
	// was queued, and nothing was dropped since; best is then the newest
	// of it and of the saves committed since (nil: none).
	known bool
	best  *checkRow
}

// checkSaving hears that a check of u's is queued: u's entry goes until
// checkSaved has heard how every one queued went.
func (c *caches) checkSaving(u bot.UserRef) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checkSaves++
	if c.lastCheckSave == nil || len(c.lastCheckSave) >= 4*maxCachedChecks {
		// Bounded: forgetting when users last saved fails the reads
		// under way instead.
		c.lastCheckSave = map[bot.UserRef]uint64{}
		c.checkEpoch++
	}
	c.lastCheckSave[u] = c.checkSaves
	sc := c.savingChecks[u]
	if sc == nil {
		prev, known := c.checks[u]
		sc = &savingCheck{known: known, best: prev}
		if c.savingChecks == nil {
			c.savingChecks = map[bot.UserRef]*savingCheck{}
		}
		c.savingChecks[u] = sc
	}
	sc.n++
	delete(c.checks, u)
}

// checkSaved hears that a check of u's was committed as row, or failed
// (row nil). When it was the last one on its way and u's latest check was
// known before them, the newest is u's latest check now: the next "is
// that bad?" reads no database.
func (c *caches) checkSaved(u bot.UserRef, row *checkRow) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sc := c.savingChecks[u]
	if sc == nil {
		return
	}
	if row != nil && (sc.best == nil || row.At > sc.best.At || row.At == sc.best.At && row.ID > sc.best.ID) {
		sc.best = row
	}
	if sc.n--; sc.n > 0 {
		return
	}
	delete(c.savingChecks, u)
	if sc.known {
		c.putLatestCheck(u, sc.best)
	}
}

// reply returns the cached id of the interned reply text (commit loop).
func (c *caches) reply(text string) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.applyIDsDrop()
	if id, ok := c.staged[text]; ok {
		return id, true
	}
	id, ok := c.replies[text]
	return id, ok
}

// answer returns the cached answers row of text (commit loop).
func (c *caches) answer(text string) (answerRef, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.applyIDsDrop()
	if a, ok := c.stagedAnswers[text]; ok {
		return a, true
	}
	a, ok := c.answers[text]
	return a, ok
}

// fillAnswer notes the answers row of text as fillReply notes a reply's.
func (c *caches) fillAnswer(text string, a answerRef) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stagedAnswers == nil {
		c.stagedAnswers = map[string]answerRef{}
	}
	c.stagedAnswers[text] = a
}

// user returns the cached users row id of u (commit loop).
func (c *caches) user(u bot.UserRef) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.applyIDsDrop()
	if id, ok := c.stagedUsers[u]; ok {
		return id, true
	}
	id, ok := c.users[u]
	return id, ok
}

// applyIDsDrop empties the id caches when drop asked (mu held).
func (c *caches) applyIDsDrop() {
	if c.idsDrop {
		clear(c.replies)
		clear(c.answers)
		clear(c.users)
		clear(c.touched)
		c.replyBytes, c.answerBytes = 0, 0
		c.idsDrop = false
	}
}

// fillReply notes the id of the interned reply text (commit loop), to be
// kept once the transaction that found or added it commits (publishIDs):
// a rolled-back insert's id may be given to another row.
func (c *caches) fillReply(text string, id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.staged == nil {
		c.staged = map[string]int64{}
	}
	c.staged[text] = id
}

// fillUser notes u's users row id, as fillReply does a reply's.
func (c *caches) fillUser(u bot.UserRef, id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stagedUsers == nil {
		c.stagedUsers = map[bot.UserRef]int64{}
	}
	c.stagedUsers[u] = id
}

// needsTouch reports whether a batch that saw the user of row id over s
// must write s to the row (commit loop): not when the row already holds
// all of s, give or take lastSeenEvery of last_seen, by this process's
// own earlier write.
func (c *caches) needsTouch(id int64, s seenSpan) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.applyIDsDrop()
	w, ok := c.touched[id]
	return !ok || s.first < w.first || s.last > w.last+lastSeenEvery.Milliseconds()
}

// touchedUser notes the seen times a batch wrote to the row of id, as
// fillUser does an id, to be kept once that batch commits.
func (c *caches) touchedUser(id int64, s seenSpan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stagedTouched == nil {
		c.stagedTouched = map[int64]seenSpan{}
	}
	if w, ok := c.touched[id]; ok {
		s = seenSpan{first: min(s.first, w.first), last: max(s.last, w.last)}
	}
	c.stagedTouched[id] = s
}

// keepTexts adds staged to the text-keyed cache *m, whose keys take
// *bytes, emptying it first when it would outgrow maxCachedReplies entries
// or maxCachedReplyBytes of text (mu held).
func keepTexts[V any](m *map[string]V, bytes *int, staged map[string]V) {
	if *m == nil {
		*m = map[string]V{}
	}
	for text, v := range staged {
		if len(*m) >= maxCachedReplies || *bytes+len(text) > maxCachedReplyBytes {
			clear(*m)
			*bytes = 0
		}
		if _, ok := (*m)[text]; !ok {
			*bytes += len(text)
		}
		(*m)[text] = v
	}
}

// publishIDs keeps the ids noted since the batch began when it committed
// and nothing was dropped since (another write may have run between the
// commit and now, and deleted them), and forgets them when not.
func (c *caches) publishIDs(committed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if committed && c.drops == c.batchDrops && len(c.staged)+len(c.stagedAnswers)+len(c.stagedUsers)+len(c.stagedTouched) > 0 {
		c.applyIDsDrop()
		keepTexts(&c.replies, &c.replyBytes, c.staged)
		keepTexts(&c.answers, &c.answerBytes, c.stagedAnswers)
		if c.users == nil {
			c.users = map[bot.UserRef]int64{}
		}
		for u, id := range c.stagedUsers {
			if len(c.users) >= maxCachedUsers {
				clear(c.users)
			}
			c.users[u] = id
		}
		if c.touched == nil {
			c.touched = map[int64]seenSpan{}
		}
		for id, s := range c.stagedTouched {
			if len(c.touched) >= maxCachedUsers {
				clear(c.touched)
			}
			c.touched[id] = s
		}
	}
	clear(c.staged)
	clear(c.stagedAnswers)
	clear(c.stagedUsers)
	clear(c.stagedTouched)
}

// caching reports whether committed rows may be cached: SQLite with a
// writer of this process's own.
func (db *DB) caching() bool { return db.w != nil && !db.isPG() }

// checkOthers runs at the start of each batch's transaction (tx, begun at
// began): it drops the caches when another connection has committed since
// the last batch, and marks them checked as of began.
func (db *DB) checkOthers(ctx context.Context, tx *sqlx.Tx, began time.Time) error {
	if !db.caching() {
		return nil
	}
	var v int64
	if err := tx.StmtxContext(ctx, db.st.dataVersion).GetContext(ctx, &v); err != nil {
		return fmt.Errorf("data version: %w", err)
	}
	c := &db.cache
	if !c.haveVersion || v != c.dataVersion {
		c.drop()
		if c.haveVersion {
			db.replays.othersCommitted()
		}
		c.dataVersion, c.haveVersion = v, true
	}
	c.mu.Lock()
	c.validated = began
	read := c.known == nil && !c.knownMany && began.Sub(c.knownRead) >= knownRetry
	if read {
		c.knownRead = began
	}
	c.mu.Unlock()
	if read {
		// Only a shortcut: without it contexts are read from the
		// database, so a failure fails nothing.
		if err := db.readKnown(ctx, tx); err != nil {
			db.Logger.Warn("could not list the users with a stored context; reading each from the database", "db", db.Name(), "err", err)
		}
	}
	return nil
}

// readKnown reads the users who may have a stored conversation context
// into the caches' known list (see caches.known), in the batch's write
// transaction tx, before its writes. A read during which anything was
// dropped or evicted (gen) is not kept: the next try is knownRetry later.
func (db *DB) readKnown(ctx context.Context, tx *sqlx.Tx) error {
	c := &db.cache
	c.mu.Lock()
	gen := c.gen
	c.mu.Unlock()
	rows, err := tx.QueryxContext(ctx, knownUsersSQL, 2*maxKnownUsers+1)
	if err != nil {
		return fmt.Errorf("known users: %w", err)
	}
	defer rows.Close()
	known := map[bot.UserRef]struct{}{}
	n := 0
	for rows.Next() {
		var u bot.UserRef
		if err := rows.Scan(&u.Platform, &u.Tenant, &u.ID); err != nil {
			return fmt.Errorf("known users: %w", err)
		}
		known[u] = struct{}{}
		n++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("known users: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if n > 2*maxKnownUsers || len(known) > maxKnownUsers {
		c.knownMany = true
		return nil
	}
	if c.gen != gen || c.known != nil {
		return nil // dropped while read: read again later
	}
	// Contexts saved and not committed yet are not in the tables.
	for u, e := range c.contexts {
		if !e.committed {
			known[u] = struct{}{}
		}
	}
	c.known = known
	return nil
}

const knownUsersSQL = `SELECT platform, tenant, user_id FROM users
	UNION ALL SELECT platform, tenant, user_id FROM conversation_context
	LIMIT ?`

const dataVersionSQL = `PRAGMA data_version`
