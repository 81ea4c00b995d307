package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// pruneBatch is how many events one prune transaction deletes: small
// enough that recording waits only a few milliseconds behind it.
const pruneBatch = 1000

// PruneReport says what Prune deleted.
type PruneReport struct {
	Events     int64
	Unanswered int64
	Nudges     int64 // sent or canceled nudges
	TaskEvents int64
	Answers    int64 // knowledge answers no event kept refers to
}

// Prune deletes the events and unanswered questions recorded before
// before, and the nudges sent or canceled and task events recorded then
// (pruneSchedule), and the knowledge answers no event left refers to
// (sweepAnswers). Eligibility checks stay: they are the user's progress,
// small, and erased by forget. It deletes in batches, finding each batch with a
// reader so the writer is held only to delete it.
func (db *DB) Prune(ctx context.Context, before time.Time) (PruneReport, error) {
	var rep PruneReport
	if err := db.opened("prune"); err != nil {
		return rep, err
	}
	cutoff := before.UnixMilli()
	var cursor int64
	for {
		var batch []struct {
			ID    int64         `db:"id"`
			Reply sql.NullInt64 `db:"reply_pk"`
		}
		if err := db.r.SelectContext(ctx, &batch, `SELECT id, reply_pk FROM events WHERE id > ? AND at < ? ORDER BY id LIMIT ?`,
			cursor, cutoff, pruneBatch); err != nil {
			return rep, formatError("prune: find events", err)
		}
		if len(batch) == 0 {
			break
		}
		ids := make([]int64, len(batch))
		var replies []int64
		for i, b := range batch {
			ids[i] = b.ID
			if b.Reply.Valid {
				replies = append(replies, b.Reply.Int64)
			}
		}
		cursor = ids[len(ids)-1]
		err := db.write(ctx, "prune events", func(tx *sqlx.Tx) error {
			q, args, err := sqlx.In(`DELETE FROM events WHERE id IN (?) AND at < ?`, ids, cutoff)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, q, args...)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			rep.Events += n
			_, err = dropUnusedReplies(ctx, tx, replies)
			return err
		})
		if err != nil {
			return rep, err
		}
	}
	for {
		var n int64
		err := db.write(ctx, "prune unanswered", func(tx *sqlx.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM unanswered WHERE id IN
				(SELECT id FROM unanswered WHERE at < ? LIMIT ?)`, cutoff, pruneBatch)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return rep, err
		}
		rep.Unanswered += n
		if n < pruneBatch {
			break
		}
	}
	if err := db.write(ctx, "prune answers", func(tx *sqlx.Tx) error {
		var err error
		rep.Answers, err = sweepAnswers(ctx, tx, cutoff)
		return err
	}); err != nil {
		return rep, err
	}
	var err error
	if rep.Nudges, rep.TaskEvents, err = db.pruneSchedule(ctx, cutoff); err != nil {
		return rep, err
	}
	if rep.Events+rep.Unanswered+rep.Nudges+rep.TaskEvents+rep.Answers > 0 {
		if db.isPG() {
			// PostgreSQL has no WAL file of ours to scrub; VACUUM takes
			// the deleted rows out of the tables' pages (Forget's note).
			db.vacuum(ctx, []string{"events", "replies", "answers", "unanswered", "nudges", "task_events"})
		} else {
			db.scrubWAL(ctx)
		}
	}
	return rep, nil
}

// Retention prunes history older than MaxAge on a schedule, inside the
// long-running bot. It remembers in the database when it last ran, so a
// bot restarted more often than Every still prunes on time.
type Retention struct {
	DB     *DB
	MaxAge time.Duration
	// Every is the time between prunes; 0 means a day.
	Every time.Duration
	// Delay is the wait before the first prune, so that one-shot commands
	// are never slowed by one.
	Delay time.Duration
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

const lastPruneKey = "retention.last_prune"

// Run prunes whenever a prune is due, until ctx ends. It returns nil then.
// A failed prune is logged and retried later; it never stops the bot.
func (r *Retention) Run(ctx context.Context) error {
	if r.MaxAge <= 0 {
		return errors.New("retention: MaxAge must be positive")
	}
	if !sleep(ctx, r.Delay) {
		return nil
	}
	for {
		next, err := r.Next(ctx)
		if err != nil {
			r.logger().WarnContext(ctx, "retention: cannot read when it last ran", "err", err)
			next = r.now().Add(min(r.every(), time.Hour))
		}
		if wait := next.Sub(r.now()); wait > 0 {
			if !sleep(ctx, wait) {
				return nil
			}
			continue
		}
		// Several instances on one PostgreSQL database: one prunes at a
		// time, and each checks again, under the lock, that the prune
		// is still due (another may just have done it).
		var rep PruneReport
		pruned := false
		ran, err := r.DB.Exclusive(ctx, "retention", func(ctx context.Context) error {
			next, err := r.Next(ctx)
			if err != nil || next.After(r.now()) {
				return err
			}
			pruned = true
			rep, err = r.RunOnce(ctx)
			return err
		})
		if err == nil && (!ran || !pruned) {
			// Another instance pruned, or is pruning: look again later.
			if !sleep(ctx, min(r.every(), time.Minute)) {
				return nil
			}
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r.logger().ErrorContext(ctx, "retention: prune failed; retrying in an hour", "err", err)
			if !sleep(ctx, min(r.every(), time.Hour)) {
				return nil
			}
			continue
		}
		r.logger().InfoContext(ctx, "retention: pruned history", "older_than", r.MaxAge.String(),
			"events", rep.Events, "unanswered", rep.Unanswered, "nudges", rep.Nudges, "task_events", rep.TaskEvents)
	}
}

// Next returns when the next prune is due: Every after the last one, or
// now when none has run.
func (r *Retention) Next(ctx context.Context) (time.Time, error) {
	v, ok, err := r.DB.meta(ctx, lastPruneKey)
	if err != nil || !ok {
		return r.now(), err
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return r.now(), nil // unreadable: prune now and overwrite it
	}
	return fromMilli(ms).Add(r.every()), nil
}

// RunOnce prunes what is older than MaxAge now and records the time.
func (r *Retention) RunOnce(ctx context.Context) (PruneReport, error) {
	now := r.now()
	rep, err := r.DB.Prune(ctx, now.Add(-r.MaxAge))
	if err != nil {
		return rep, err
	}
	return rep, r.DB.setMeta(ctx, lastPruneKey, strconv.FormatInt(now.UnixMilli(), 10))
}

func (r *Retention) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Retention) every() time.Duration {
	if r.Every <= 0 {
		return 24 * time.Hour
	}
	return r.Every
}

func (r *Retention) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// sleep waits d, reporting false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func (db *DB) meta(ctx context.Context, key string) (string, bool, error) {
	if err := db.opened("read " + key); err != nil {
		return "", false, err
	}
	var v string
	err := db.r.GetContext(ctx, &v, `SELECT value FROM store_meta WHERE key = ?`, key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, formatError("read "+key, err)
	}
	return v, true, nil
}

func (db *DB) setMeta(ctx context.Context, key, value string) error {
	return db.write(ctx, "write "+key, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO store_meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}

// maxAge is the longest age ParseAge accepts.
const maxAge = 100 * 366 * 24 * time.Hour

// Calendar units in ParseAge: a month is 30 days and a year 365, so an age
// is a fixed span whatever the date.
const (
	day   = 24 * time.Hour
	week  = 7 * day
	month = 30 * day
	year  = 365 * day
)

// ageUnits are the units ParseAge reads, by every name people write.
var ageUnits = map[string]time.Duration{
	"min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": day, "day": day, "days": day,
	"w": week, "wk": week, "wks": week, "week": week, "weeks": week,
	"mo": month, "mos": month, "mon": month, "mth": month, "mths": month, "month": month, "months": month,
	"y": year, "yr": year, "yrs": year, "year": year, "years": year,
}

const ageExamples = "365d, 12h, 30min, 2w, 6mo, 1y or 30 days"

// ParseAge parses a retention age: whole numbers with units, written
// short or in words: "365d", "12h", "1d12h", "30min", "2w", "6mo", "1y",
// "30 days", "6 months", "1 year and 6 months". A month is 30 days, a year
// 365. A bare "m" is refused: some read it as minutes, most as months. It
// refuses zero, negative and absurd ages (beyond 100 years).
func ParseAge(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, bot.Errorf(bot.EINVALID, "give an age such as %s", ageExamples)
	}
	if strings.HasPrefix(s, "-") {
		return 0, bot.Errorf(bot.EINVALID, "age %q must be more than zero", s)
	}
	var total time.Duration
	rest := s
	for {
		rest = strings.TrimLeft(rest, " ,")
		rest = strings.TrimPrefix(rest, "and ")
		rest = strings.TrimLeft(rest, " ")
		if rest == "" {
			break
		}
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, bot.Errorf(bot.EINVALID, "age %q: use whole numbers with units, like %s", s, ageExamples)
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		rest = strings.TrimLeft(rest[i:], " ")
		j := 0
		for j < len(rest) && rest[j] >= 'a' && rest[j] <= 'z' {
			j++
		}
		name := rest[:j]
		rest = rest[j:]
		if name == "m" {
			return 0, bot.Errorf(bot.EINVALID, "age %q: \"m\" could mean minutes or months; write %dmin or %dmo", s, n, n)
		}
		unit, ok := ageUnits[name]
		if !ok {
			if name == "" {
				return 0, bot.Errorf(bot.EINVALID, "age %q needs a unit, like %s", s, ageExamples)
			}
			return 0, bot.Errorf(bot.EINVALID, "age %q: unknown unit %q; use min, h, d, w, mo or y (or words: 30 days, 6 months)", s, name)
		}
		if err != nil || n > int64(maxAge/unit) {
			return 0, bot.Errorf(bot.EINVALID, "age %q is too large; keep it under 100 years", s)
		}
		total += time.Duration(n) * unit
		if total > maxAge {
			return 0, bot.Errorf(bot.EINVALID, "age %q is too large; keep it under 100 years", s)
		}
	}
	if total <= 0 {
		return 0, bot.Errorf(bot.EINVALID, "age %q must be more than zero", s)
	}
	return total, nil
}

// FormatAge writes d the way ParseAge reads it, in the largest whole
// units: "1y", "180d", "1d12h", "30min".
func FormatAge(d time.Duration) string {
	if d <= 0 {
		return "0min"
	}
	var s string
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{year, "y"}, {day, "d"}, {time.Hour, "h"}, {time.Minute, "min"}} {
		if n := d / u.d; n > 0 {
			s += fmt.Sprintf("%d%s", n, u.name)
			d -= n * u.d
		}
	}
	if s == "" {
		return "0min"
	}
	return s
}

// PrunePreview counts what Prune(ctx, before) would delete, without
// deleting anything, so a person can confirm first.
func (db *DB) PrunePreview(ctx context.Context, before time.Time) (PruneReport, error) {
	var rep PruneReport
	cutoff := before.UnixMilli()
	err := db.read(ctx, "prune preview", func(tx *sqlx.Tx) error {
		for _, c := range []struct {
			dst   *int64
			query string
		}{
			{&rep.Events, `SELECT count(*) FROM events WHERE at < ?`},
			{&rep.Unanswered, `SELECT count(*) FROM unanswered WHERE at < ?`},
			// The same rows as pruneSchedule deletes.
			{&rep.Nudges, `SELECT count(*) FROM nudges WHERE status IN ('sent', 'canceled') AND updated_at < ?`},
			{&rep.TaskEvents, `SELECT count(*) FROM task_events WHERE at < ?`},
		} {
			if err := tx.GetContext(ctx, c.dst, c.query, cutoff); err != nil {
				return err
			}
		}
		return nil
	})
	return rep, err
}

// Total is the number of rows the report counts.
func (r PruneReport) Total() int64 { return r.Events + r.Unanswered + r.Nudges + r.TaskEvents }
