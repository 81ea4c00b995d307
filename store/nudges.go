package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// The store keeps plans and the nudge schedule for the core (bot.PlanStore,
// bot.NudgeQueue). Times are Unix milliseconds; zero times are 0.

var (
	_ bot.PlanStore  = (*DB)(nil)
	_ bot.NudgeQueue = (*DB)(nil)
)

const liveStatuses = `status IN ('pending', 'claimed')` // must match the partial indexes' WHERE

func msOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func timeOf(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func validUser(u bot.UserRef) error {
	if !u.Valid() {
		return bot.Errorf(bot.EINVALID, "I couldn't tell who that is, so I can't keep their plan.")
	}
	return nil
}

// validKey reports whether k is a usable idempotency key: 1-25 ASCII
// letters and digits (Discord's nonce limit).
func validKey(k string) bool {
	if k == "" || len(k) > 25 {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

type nudgeRow struct {
	ID        int64  `db:"id"`
	Platform  string `db:"platform"`
	Tenant    string `db:"tenant"`
	UserID    string `db:"user_id"`
	Kind      string `db:"kind"`
	TaskID    string `db:"task_id"`
	SlotAt    int64  `db:"slot_at"`
	DueAt     int64  `db:"due_at"`
	Status    string `db:"status"`
	Attempts  int    `db:"attempts"`
	Key       string `db:"idem_key"`
	LastError string `db:"last_error"`
	SentAt    int64  `db:"sent_at"`
	CreatedAt int64  `db:"created_at"`
	SendingAt int64  `db:"sending_at"`
}

const nudgeCols = `id, platform, tenant, user_id, kind, task_id, slot_at, due_at, status, attempts, idem_key, last_error, sent_at, created_at, sending_at`

func (r nudgeRow) nudge() bot.Nudge {
	return bot.Nudge{
		ID: r.ID, User: bot.UserRef{Platform: r.Platform, Tenant: r.Tenant, ID: r.UserID},
		Kind: r.Kind, TaskID: r.TaskID, Slot: timeOf(r.SlotAt), Due: timeOf(r.DueAt), Status: r.Status,
		Attempts: r.Attempts, Key: r.Key, LastError: r.LastError, SentAt: timeOf(r.SentAt), CreatedAt: timeOf(r.CreatedAt),
		MaybeSent: r.SendingAt != 0 && r.Status != bot.NudgeSent,
	}
}

func nudges(rows []nudgeRow) []bot.Nudge {
	out := make([]bot.Nudge, len(rows))
	for i, r := range rows {
		out[i] = r.nudge()
	}
	return out
}

// insertNudge adds n unless its key exists or a live nudge of the same
// user, kind and task does; it reports whether it did.
func insertNudge(ctx context.Context, tx *sqlx.Tx, n bot.Nudge, now int64) (bool, error) {
	if err := validUser(n.User); err != nil {
		return false, err
	}
	if !validKey(n.Key) {
		return false, fmt.Errorf("nudge key %q: want 1-25 ASCII letters and digits", n.Key)
	}
	if n.Due.IsZero() {
		n.Due = n.Slot
	}
	// ON CONFLICT DO NOTHING with no target skips a duplicate key and a
	// second live nudge alike, on both engines.
	res, err := tx.ExecContext(ctx, `INSERT INTO nudges
		(platform, tenant, user_id, kind, task_id, slot_at, due_at, status, idem_key, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING`,
		n.User.Platform, n.User.Tenant, n.User.ID, clip(n.Kind, 32), clip(n.TaskID, 64), msOf(n.Slot), msOf(n.Due), n.Key, now, now)
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// ClaimDue implements bot.NudgeQueue. A claim sets due_at to the lease's
// end, so a claim whose dispatcher died is due again when the lease runs
// out, with no separate sweep. A claim whose lease ends more than
// MaxLease after now is taken too: no dispatcher asks for a lease that
// long, so the clock went back after it was claimed, and waiting for the
// wall clock to catch up would hold the nudge back by as long as it went
// back.
func (db *DB) ClaimDue(ctx context.Context, r bot.ClaimRequest) ([]bot.Nudge, error) {
	if r.Limit <= 0 || r.Owner == "" {
		return nil, bot.Errorf(bot.EINVALID, "a claim needs an owner and a positive limit")
	}
	where, args := claimFilter(r)
	// On PostgreSQL several instances claim at once: the rows chosen are
	// locked, and rows another claim has locked are skipped, so no two
	// claims take one row (without it, both would choose the same rows,
	// and the second UPDATE, re-checking only id, would take them over).
	// SQLite has one writer at a time and no FOR UPDATE.
	lock := ""
	if db.isPG() {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var rows []nudgeRow
	err := db.write(ctx, "claim nudges", func(tx *sqlx.Tx) error {
		rows = nil
		claim := func(where string, args []any, limit int) error {
			var got []nudgeRow
			q := `UPDATE nudges SET status = 'claimed', lease_owner = ?, due_at = ?, updated_at = ?
				WHERE id IN (SELECT id FROM nudges WHERE ` + where + ` ORDER BY due_at LIMIT ?` + lock + `)
				RETURNING ` + nudgeCols
			a := append([]any{r.Owner, msOf(r.LeaseUntil), msOf(r.Now)}, args...)
			err := tx.SelectContext(ctx, &got, q, append(a, limit)...)
			rows = append(rows, got...)
			return err
		}
		if r.MaxLease > 0 {
			// Claims whose lease ends implausibly far ahead: the clock
			// went back. Few rows are ever claimed, and nudges_claimed
			// holds only those, so this costs an index probe.
			scope, sargs := scopeFilter(r)
			if err := claim(`status = 'claimed' AND due_at > ?`+scope, append([]any{msOf(r.Now.Add(r.MaxLease))}, sargs...), r.Limit); err != nil {
				return err
			}
		}
		if len(rows) >= r.Limit {
			return nil
		}
		return claim(where, args, r.Limit-len(rows))
	})
	if err != nil {
		return nil, err
	}
	out := nudges(rows)
	// RETURNING gives rows in no particular order; send oldest first.
	sortBySlot(out)
	return out, nil
}

func sortBySlot(ns []bot.Nudge) {
	for i := 1; i < len(ns); i++ {
		for j := i; j > 0 && ns[j].Slot.Before(ns[j-1].Slot); j-- {
			ns[j], ns[j-1] = ns[j-1], ns[j]
		}
	}
}

func claimFilter(r bot.ClaimRequest) (string, []any) {
	scope, args := scopeFilter(r)
	return liveStatuses + ` AND due_at <= ?` + scope, append([]any{msOf(r.Now)}, args...)
}

// scopeFilter returns the conditions (each starting " AND") that limit a
// claim to its platforms and user.
func scopeFilter(r bot.ClaimRequest) (string, []any) {
	where, args := "", []any{}
	if len(r.Platforms) > 0 {
		where += ` AND platform IN (?` + strings.Repeat(`, ?`, len(r.Platforms)-1) + `)`
		for _, p := range r.Platforms {
			args = append(args, p)
		}
	}
	if r.User.Platform != "" {
		where += ` AND platform = ?`
		args = append(args, r.User.Platform)
	}
	if r.User.Tenant != "" {
		where += ` AND tenant = ?`
		args = append(args, r.User.Tenant)
	}
	if r.User.ID != "" {
		where += ` AND user_id = ?`
		args = append(args, r.User.ID)
	}
	return where, args
}

// Renew implements bot.NudgeQueue.
func (db *DB) Renew(ctx context.Context, id int64, owner string, until time.Time) (bool, error) {
	return db.changeClaim(ctx, "renew nudge", `UPDATE nudges SET due_at = ?, updated_at = ? WHERE id = ? AND status = 'claimed' AND lease_owner = ?`,
		msOf(until), db.now().UnixMilli(), id, owner)
}

// Held implements bot.NudgeQueue. It only reads, so the fence before each
// send costs no write.
func (db *DB) Held(ctx context.Context, id int64, owner string, until time.Time) (bool, error) {
	var n int
	err := db.r.GetContext(ctx, &n, `SELECT count(*) FROM nudges WHERE id = ? AND status = 'claimed' AND lease_owner = ? AND due_at > ?`, id, owner, msOf(until))
	if err != nil {
		return false, formatError("check nudge claim", err)
	}
	return n == 1, nil
}

// MarkSending implements bot.NudgeQueue: one transaction for a group of
// sends about to start.
func (db *DB) MarkSending(ctx context.Context, owner string, ids []int64, at time.Time) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	var marked int
	err := db.write(ctx, "mark nudges sending", func(tx *sqlx.Tx) error {
		marked = 0
		upd, err := tx.PrepareContext(ctx, `UPDATE nudges SET sending_at = ?, updated_at = ? WHERE id = ? AND status = 'claimed' AND lease_owner = ?`)
		if err != nil {
			return err
		}
		defer upd.Close()
		for _, id := range ids {
			res, err := upd.ExecContext(ctx, msOf(at), db.now().UnixMilli(), id, owner)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			marked += int(n)
		}
		return nil
	})
	return marked, err
}

// LastSent implements bot.PlanStore.
func (db *DB) LastSent(ctx context.Context, u bot.UserRef, kind string) (time.Time, error) {
	var at sql.NullInt64
	err := db.r.GetContext(ctx, &at, `SELECT max(sent_at) FROM nudges WHERE platform = ? AND tenant = ? AND user_id = ? AND kind = ? AND status = 'sent'`,
		u.Platform, u.Tenant, u.ID, kind)
	if err != nil {
		return time.Time{}, formatError("read last nudge", err)
	}
	return timeOf(at.Int64), nil
}

// MarkSent implements bot.NudgeQueue: one transaction for a group of sends.
func (db *DB) MarkSent(ctx context.Context, owner string, sent []bot.SentNudge) (int, error) {
	if len(sent) == 0 {
		return 0, nil
	}
	var recorded int
	err := db.write(ctx, "record sent nudges", func(tx *sqlx.Tx) error {
		recorded = 0
		now := db.now().UnixMilli()
		upd, err := tx.PrepareContext(ctx, `UPDATE nudges SET status = 'sent', sent_at = ?, lease_owner = '', last_error = '', updated_at = ?
			WHERE id = ? AND status = 'claimed' AND lease_owner = ?`)
		if err != nil {
			return err
		}
		defer upd.Close()
		for _, s := range sent {
			res, err := upd.ExecContext(ctx, msOf(s.At), now, s.ID, owner)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				if err != nil {
					return err
				}
				continue // withdrawn meanwhile: no successor either
			}
			recorded++
			// A task's regular nudge is the anchor its next one counts
			// from (a snooze is an extra and is not).
			if _, err := tx.ExecContext(ctx, `UPDATE tasks SET last_nudged_at = ?
				WHERE (platform, tenant, user_id, task_id) = (SELECT platform, tenant, user_id, task_id FROM nudges WHERE id = ? AND kind = 'task')`,
				msOf(s.At), s.ID); err != nil {
				return err
			}
			if s.Next != nil {
				if _, err := insertNudge(ctx, tx, *s.Next, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return recorded, err
}

// Release implements bot.NudgeQueue.
func (db *DB) Release(ctx context.Context, id int64, owner string, due time.Time, reason string, countAttempt bool) (bool, error) {
	inc := 0
	if countAttempt {
		inc = 1
	}
	return db.changeClaim(ctx, "retry nudge", `UPDATE nudges SET status = 'pending', due_at = ?, attempts = attempts + ?, last_error = ?, lease_owner = '', updated_at = ?
		WHERE id = ? AND status = 'claimed' AND lease_owner = ?`, msOf(due), inc, clip(reason, 500), db.now().UnixMilli(), id, owner)
}

// Finish implements bot.NudgeQueue.
func (db *DB) Finish(ctx context.Context, id int64, owner, status, reason string) (bool, error) {
	if status != bot.NudgeDead && status != bot.NudgeCanceled {
		return false, fmt.Errorf("finish nudge %d: status %q is not dead or canceled", id, status)
	}
	inc := 0
	if status == bot.NudgeDead {
		inc = 1
	}
	return db.changeClaim(ctx, "finish nudge", `UPDATE nudges SET status = ?, attempts = attempts + ?, last_error = ?, lease_owner = '', updated_at = ?
		WHERE id = ? AND status = 'claimed' AND lease_owner = ?`, status, inc, clip(reason, 500), db.now().UnixMilli(), id, owner)
}

func (db *DB) changeClaim(ctx context.Context, op, q string, args ...any) (bool, error) {
	var ok bool
	err := db.write(ctx, op, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	return ok, err
}

// NextDue implements bot.NudgeQueue.
func (db *DB) NextDue(ctx context.Context, r bot.ClaimRequest) (time.Time, bool, error) {
	r.Now = time.UnixMilli(1<<62 - 1) // no upper bound
	where, args := claimFilter(r)
	var due int64
	err := db.r.GetContext(ctx, &due, `SELECT due_at FROM nudges WHERE `+where+` ORDER BY due_at LIMIT 1`, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, formatError("next due nudge", err)
	}
	return timeOf(due), true, nil
}

// DueWithin returns up to limit live nudges due at or before until, soonest
// first, without claiming them (what the dispatcher's poll reads; measured
// by BenchmarkDueWithin).
func (db *DB) DueWithin(ctx context.Context, until time.Time, limit int) ([]bot.Nudge, error) {
	var rows []nudgeRow
	err := db.r.SelectContext(ctx, &rows, `SELECT `+nudgeCols+` FROM nudges WHERE `+liveStatuses+` AND due_at <= ? ORDER BY due_at LIMIT ?`, msOf(until), limit)
	if err != nil {
		return nil, formatError("list due nudges", err)
	}
	return nudges(rows), nil
}

// nudgeFilter returns the WHERE clause for f, with columns prefixed by
// alias ("" or "d.").
func nudgeFilter(f bot.NudgeFilter, alias string) (string, []any, error) {
	where, args := `1 = 1`, []any{}
	if f.Status != "" {
		ok := false
		for _, s := range bot.NudgeStatuses {
			ok = ok || s == f.Status
		}
		if !ok {
			return "", nil, bot.Errorf(bot.EINVALID, "status %q: use one of %s", f.Status, strings.Join(bot.NudgeStatuses, ", "))
		}
		where += ` AND ` + alias + `status = ?`
		args = append(args, f.Status)
	}
	for _, c := range []struct{ col, v string }{{"platform", f.User.Platform}, {"tenant", f.User.Tenant}, {"user_id", f.User.ID}} {
		if c.v != "" {
			where += ` AND ` + alias + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	return where, args, nil
}

// ListNudges implements bot.NudgeQueue.
func (db *DB) ListNudges(ctx context.Context, f bot.NudgeFilter) ([]bot.Nudge, error) {
	where, args, err := nudgeFilter(f, "")
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1 << 62 // no limit (PostgreSQL refuses SQLite's -1)
	}
	var rows []nudgeRow
	if err := db.r.SelectContext(ctx, &rows, `SELECT `+nudgeCols+` FROM nudges WHERE `+where+` ORDER BY slot_at DESC, id DESC LIMIT ?`, append(args, limit)...); err != nil {
		return nil, formatError("list nudges", err)
	}
	return nudges(rows), nil
}

// RetryDead implements bot.NudgeQueue. A dead nudge whose task already has
// a newer live one stays dead (the newer one will be sent); users whose
// nudges are re-queued are no longer marked unreachable.
func (db *DB) RetryDead(ctx context.Context, f bot.NudgeFilter, now time.Time) (int, error) {
	f.Status = bot.NudgeDead
	where, args, err := nudgeFilter(f, "")
	if err != nil {
		return 0, err
	}
	dwhere, _, _ := nudgeFilter(f, "d.")
	var n int64
	err = db.write(ctx, "retry dead nudges", func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE reminders SET unreachable = '', updated_at = ?
			WHERE unreachable != '' AND EXISTS (SELECT 1 FROM nudges d WHERE d.platform = reminders.platform
			AND d.tenant = reminders.tenant AND d.user_id = reminders.user_id AND `+dwhere+`)`,
			append([]any{msOf(now)}, args...)...); err != nil {
			return err
		}
		// A dead nudge stays dead when its user, kind and task have a
		// live one, or an older dead one this retry revives: at most one
		// live row each (nudges_live). Written without SQLite's UPDATE OR
		// IGNORE, which PostgreSQL lacks.
		res, err := tx.ExecContext(ctx, `UPDATE nudges SET status = 'pending', due_at = ?, attempts = 0, lease_owner = '', updated_at = ?
			WHERE `+where+` AND NOT EXISTS (SELECT 1 FROM nudges d WHERE d.platform = nudges.platform AND d.tenant = nudges.tenant
			AND d.user_id = nudges.user_id AND d.kind = nudges.kind AND d.task_id = nudges.task_id
			AND (d.`+liveStatuses+` OR (`+dwhere+` AND d.id < nudges.id)))`, append(append([]any{msOf(now), msOf(now)}, args...), args...)...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// SaveProposal implements bot.PlanStore.
func (db *DB) SaveProposal(ctx context.Context, p bot.Proposal) error {
	if err := validUser(p.User); err != nil {
		return err
	}
	type item struct {
		TaskID    string `json:"task_id"`
		Criterion string `json:"criterion"`
		Reason    string `json:"reason"`
	}
	items := make([]item, len(p.Tasks))
	for i, t := range p.Tasks {
		items[i] = item{clip(t.TaskID, 64), clip(t.Criterion, 32), clip(t.Reason, 300)}
	}
	js, err := json.Marshal(items)
	if err != nil {
		return fmt.Errorf("encode proposal: %w", err)
	}
	return db.write(ctx, "save plan", func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO plans (platform, tenant, user_id, check_id, tasks, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (platform, tenant, user_id) DO UPDATE SET check_id = excluded.check_id, tasks = excluded.tasks, created_at = excluded.created_at`,
			p.User.Platform, p.User.Tenant, p.User.ID, p.CheckID, string(js), msOf(db.timeOr(p.Created)))
		return err
	})
}

// LatestProposal implements bot.PlanStore.
func (db *DB) LatestProposal(ctx context.Context, u bot.UserRef) (bot.Proposal, bool, error) {
	var row struct {
		CheckID   int64  `db:"check_id"`
		Tasks     string `db:"tasks"`
		CreatedAt int64  `db:"created_at"`
	}
	err := db.r.GetContext(ctx, &row, `SELECT check_id, tasks, created_at FROM plans WHERE platform = ? AND tenant = ? AND user_id = ?`, u.Platform, u.Tenant, u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Proposal{}, false, nil
	}
	if err != nil {
		return bot.Proposal{}, false, formatError("read plan", err)
	}
	var items []struct {
		TaskID    string `json:"task_id"`
		Criterion string `json:"criterion"`
		Reason    string `json:"reason"`
	}
	if err := json.Unmarshal([]byte(row.Tasks), &items); err != nil {
		return bot.Proposal{}, false, fmt.Errorf("read plan of %s: %w", u, err)
	}
	p := bot.Proposal{User: u, CheckID: row.CheckID, Created: timeOf(row.CreatedAt)}
	for _, it := range items {
		p.Tasks = append(p.Tasks, bot.ProposedTask{TaskID: it.TaskID, Criterion: it.Criterion, Reason: it.Reason})
	}
	return p, true, nil
}

type taskRow struct {
	TaskID     string `db:"task_id"`
	Status     string `db:"status"`
	Criterion  string `db:"criterion"`
	Reason     string `db:"reason"`
	AcceptedAt int64  `db:"accepted_at"`
	LastDoneAt int64  `db:"last_done_at"`
	Streak     int    `db:"streak"`
	Best       int    `db:"best_streak"`
	DoneCount  int    `db:"done_count"`
	SkipCount  int    `db:"skip_count"`
	LastNudged int64  `db:"last_nudged_at"`
	Snoozed    int64  `db:"snoozed_until"`
}

// Tasks implements bot.PlanStore.
func (db *DB) Tasks(ctx context.Context, u bot.UserRef) ([]bot.TaskState, error) {
	// Read after every eligibility check: from the cache (see caches; every
	// write to tasks is a DB.write, which drops it), or a prepared
	// statement (see readStmts), not one prepared and finalised per call.
	rows, ok, gen := db.cache.userTasks(u, db.now())
	if !ok {
		if err := db.opened("read tasks"); err != nil {
			return nil, err
		}
		st, err := db.readStmt(ctx, tasksSQL)
		if err != nil {
			return nil, formatError("read tasks", err)
		}
		if err := st.SelectContext(ctx, &rows, u.Platform, u.Tenant, u.ID); err != nil {
			return nil, formatError("read tasks", err)
		}
		if db.caching() {
			db.cache.fillTasks(u, rows, gen)
		}
	}
	out := make([]bot.TaskState, len(rows))
	for i, r := range rows {
		out[i] = bot.TaskState{User: u, TaskID: r.TaskID, Status: r.Status, Criterion: r.Criterion, Reason: r.Reason,
			AcceptedAt: timeOf(r.AcceptedAt), LastDone: timeOf(r.LastDoneAt), Streak: r.Streak, Best: r.Best, DoneCount: r.DoneCount, SkipCount: r.SkipCount, LastNudged: timeOf(r.LastNudged), SnoozedUntil: timeOf(r.Snoozed)}
	}
	return out, nil
}

const tasksSQL = `SELECT task_id, status, criterion, reason, accepted_at, last_done_at, streak, best_streak, done_count, skip_count, last_nudged_at, snoozed_until
	FROM tasks WHERE platform = ? AND tenant = ? AND user_id = ? ORDER BY accepted_at, rowid`

// SaveTask implements bot.PlanStore.
func (db *DB) SaveTask(ctx context.Context, t bot.TaskState) error {
	if err := validUser(t.User); err != nil {
		return err
	}
	if t.TaskID == "" || (t.Status != bot.TaskActive && t.Status != bot.TaskDone) {
		return fmt.Errorf("save task %q: status %q", t.TaskID, t.Status)
	}
	if t.Streak < 0 || t.Best < 0 || t.DoneCount < 0 || t.SkipCount < 0 {
		return fmt.Errorf("save task %q: negative count", t.TaskID)
	}
	return db.write(ctx, "save task", func(tx *sqlx.Tx) error {
		// last_nudged_at only moves forward: a task read before a
		// nudge went out must not take that nudge back when saved.
		_, err := tx.ExecContext(ctx, `INSERT INTO tasks (platform, tenant, user_id, task_id, status, criterion, reason, accepted_at, last_done_at, streak, best_streak, done_count, skip_count, last_nudged_at, snoozed_until)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (platform, tenant, user_id, task_id) DO UPDATE SET status = excluded.status, criterion = excluded.criterion,
			reason = excluded.reason, accepted_at = excluded.accepted_at, last_done_at = excluded.last_done_at, streak = excluded.streak,
			best_streak = excluded.best_streak, done_count = excluded.done_count, skip_count = excluded.skip_count,
			last_nudged_at = max(tasks.last_nudged_at, excluded.last_nudged_at), snoozed_until = excluded.snoozed_until`,
			t.User.Platform, t.User.Tenant, t.User.ID, clip(t.TaskID, 64), t.Status, clip(t.Criterion, 32), clip(t.Reason, 300),
			msOf(db.timeOr(t.AcceptedAt)), msOf(t.LastDone), t.Streak, t.Best, t.DoneCount, t.SkipCount, msOf(t.LastNudged), msOf(t.SnoozedUntil))
		return err
	})
}

// ClearTasks implements bot.PlanStore.
func (db *DB) ClearTasks(ctx context.Context, u bot.UserRef) (int, error) {
	var n int64
	err := db.write(ctx, "clear plan", func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM tasks WHERE platform = ? AND tenant = ? AND user_id = ?`, u.Platform, u.Tenant, u.ID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE nudges SET status = 'canceled', last_error = 'plan cleared', lease_owner = '', updated_at = ?
			WHERE platform = ? AND tenant = ? AND user_id = ? AND kind = 'task' AND `+liveStatuses, db.now().UnixMilli(), u.Platform, u.Tenant, u.ID)
		return err
	})
	return int(n), err
}

// LogTaskEvent implements bot.PlanStore.
func (db *DB) LogTaskEvent(ctx context.Context, e bot.TaskEvent) error {
	if err := validUser(e.User); err != nil {
		return err
	}
	return db.write(ctx, "log task event", func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO task_events (platform, tenant, user_id, task_id, kind, at) VALUES (?, ?, ?, ?, ?, ?)`,
			e.User.Platform, e.User.Tenant, e.User.ID, clip(e.TaskID, 64), clip(e.Kind, 16), msOf(db.timeOr(e.Time)))
		return err
	})
}

// TaskEvents implements bot.PlanStore.
func (db *DB) TaskEvents(ctx context.Context, u bot.UserRef, since time.Time) ([]bot.TaskEvent, error) {
	var rows []struct {
		TaskID string `db:"task_id"`
		Kind   string `db:"kind"`
		At     int64  `db:"at"`
	}
	err := db.r.SelectContext(ctx, &rows, `SELECT task_id, kind, at FROM task_events WHERE platform = ? AND tenant = ? AND user_id = ? AND at >= ? ORDER BY at, id`,
		u.Platform, u.Tenant, u.ID, msOf(since))
	if err != nil {
		return nil, formatError("read task events", err)
	}
	out := make([]bot.TaskEvent, len(rows))
	for i, r := range rows {
		out[i] = bot.TaskEvent{User: u, TaskID: r.TaskID, Kind: r.Kind, Time: timeOf(r.At)}
	}
	return out, nil
}

// Reminder implements bot.PlanStore.
func (db *DB) Reminder(ctx context.Context, u bot.UserRef) (bot.Reminder, bool, error) {
	var r struct {
		Every       string `db:"every"`
		Weekday     int    `db:"weekday"`
		Minute      int    `db:"minute"`
		Zone        string `db:"zone"`
		Quiet       string `db:"quiet"`
		Stopped     bool   `db:"stopped"`
		Unreachable string `db:"unreachable"`
		ResumeAt    int64  `db:"resume_at"`
		UpdatedAt   int64  `db:"updated_at"`
	}
	err := db.r.GetContext(ctx, &r, `SELECT every, weekday, minute, zone, quiet, stopped, unreachable, resume_at, updated_at FROM reminders
		WHERE platform = ? AND tenant = ? AND user_id = ?`, u.Platform, u.Tenant, u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Reminder{}, false, nil
	}
	if err != nil {
		return bot.Reminder{}, false, formatError("read reminder", err)
	}
	return bot.Reminder{User: u, Every: r.Every, Day: time.Weekday(r.Weekday), Minute: r.Minute, Zone: r.Zone, Quiet: r.Quiet,
		Stopped: r.Stopped, Unreachable: r.Unreachable, ResumeAt: timeOf(r.ResumeAt), Updated: timeOf(r.UpdatedAt)}, true, nil
}

// SaveReminder implements bot.PlanStore.
func (db *DB) SaveReminder(ctx context.Context, r bot.Reminder) error {
	if err := validUser(r.User); err != nil {
		return err
	}
	if r.Minute < 0 || r.Minute >= 24*60 || r.Day < time.Sunday || r.Day > time.Saturday {
		return fmt.Errorf("save reminder of %s: minute %d, day %d out of range", r.User, r.Minute, r.Day)
	}
	return db.write(ctx, "save reminder", func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO reminders (platform, tenant, user_id, every, weekday, minute, zone, quiet, stopped, unreachable, resume_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (platform, tenant, user_id) DO UPDATE SET every = excluded.every, weekday = excluded.weekday, minute = excluded.minute,
			zone = excluded.zone, quiet = excluded.quiet, stopped = excluded.stopped, unreachable = excluded.unreachable,
			resume_at = excluded.resume_at, updated_at = excluded.updated_at`,
			r.User.Platform, r.User.Tenant, r.User.ID, clip(r.Every, 16), int(r.Day), r.Minute, clip(r.Zone, 64), clip(r.Quiet, 16), r.Stopped,
			clip(r.Unreachable, 300), msOf(r.ResumeAt), msOf(db.timeOr(r.Updated)))
		return err
	})
}

// Reschedule implements bot.PlanStore.
func (db *DB) Reschedule(ctx context.Context, u bot.UserRef, kinds []string, taskID string, add []bot.Nudge) (int, error) {
	if err := validUser(u); err != nil {
		return 0, err
	}
	where := `platform = ? AND tenant = ? AND user_id = ? AND ` + liveStatuses
	args := []any{u.Platform, u.Tenant, u.ID}
	if len(kinds) > 0 {
		where += ` AND kind IN (?` + strings.Repeat(`, ?`, len(kinds)-1) + `)`
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	if taskID != "" {
		where += ` AND task_id = ?`
		args = append(args, taskID)
	}
	var n int64
	err := db.write(ctx, "reschedule nudges", func(tx *sqlx.Tx) error {
		now := db.now().UnixMilli()
		res, err := tx.ExecContext(ctx, `UPDATE nudges SET status = 'canceled', last_error = 'rescheduled or opted out', lease_owner = '', updated_at = ? WHERE `+where,
			append([]any{now}, args...)...)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		for _, a := range add {
			if a.User != u {
				return fmt.Errorf("reschedule for %s: nudge for %s", u, a.User)
			}
			if _, err := insertNudge(ctx, tx, a, now); err != nil {
				return err
			}
		}
		return nil
	})
	return int(n), err
}

// Enqueue implements bot.PlanStore.
func (db *DB) Enqueue(ctx context.Context, n bot.Nudge) (bool, error) {
	var ok bool
	err := db.write(ctx, "queue nudge", func(tx *sqlx.Tx) error {
		var err error
		ok, err = insertNudge(ctx, tx, n, db.now().UnixMilli())
		return err
	})
	return ok, err
}

// LiveNudges implements bot.PlanStore.
func (db *DB) LiveNudges(ctx context.Context, u bot.UserRef) ([]bot.Nudge, error) {
	var rows []nudgeRow
	err := db.r.SelectContext(ctx, &rows, `SELECT `+nudgeCols+` FROM nudges WHERE platform = ? AND tenant = ? AND user_id = ? AND `+liveStatuses+` ORDER BY due_at`,
		u.Platform, u.Tenant, u.ID)
	if err != nil {
		return nil, formatError("read scheduled nudges", err)
	}
	return nudges(rows), nil
}

// pruneSchedule deletes what the schedule no longer needs from before
// cutoff (Unix ms): nudges sent or canceled then (their successors are
// separate rows) and task events recorded then (the weekly summary reads
// a week back; streaks live in tasks). Pending, claimed and dead nudges
// stay: the schedule, and what an admin may still retry. Like Prune, it
// finds each batch with a reader and holds the writer only to delete it.
func (db *DB) pruneSchedule(ctx context.Context, cutoff int64) (nudges, events int64, err error) {
	nudges, err = db.pruneRows(ctx, "nudges", `status IN ('sent', 'canceled') AND updated_at < ?`, cutoff)
	if err != nil {
		return nudges, 0, err
	}
	events, err = db.pruneRows(ctx, "task_events", `at < ?`, cutoff)
	return nudges, events, err
}

// pruneRows deletes the rows of table that match where (one ? for cutoff),
// pruneBatch at a time, walking the table by id.
func (db *DB) pruneRows(ctx context.Context, table, where string, cutoff int64) (int64, error) {
	var total, cursor int64
	for {
		var ids []int64
		if err := db.r.SelectContext(ctx, &ids, `SELECT id FROM `+table+` WHERE id > ? AND `+where+` ORDER BY id LIMIT ?`,
			cursor, cutoff, pruneBatch); err != nil {
			return total, formatError("prune: find "+table, err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		cursor = ids[len(ids)-1]
		err := db.write(ctx, "prune "+table, func(tx *sqlx.Tx) error {
			q, args, err := sqlx.In(`DELETE FROM `+table+` WHERE id IN (?) AND `+where, ids, cutoff)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, q, args...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			total += n
			return err
		})
		if err != nil {
			return total, err
		}
	}
}
