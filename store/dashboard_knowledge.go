package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// FAQOverride is a workspace's own version of one FAQ entry, applied on
// top of the shipped knowledge: "" for Title or Answer keeps the shipped
// one, Phrasings are added to the entry's, Hidden removes the entry in this
// workspace. For an id the shipped knowledge lacks it is a new entry.
type FAQOverride struct {
	ID        string
	Title     string
	Answer    string
	Phrasings []string
	Hidden    bool
	UpdatedBy string
	UpdatedAt time.Time
}

type faqRow struct {
	ID        string `db:"entry_id"`
	Title     string `db:"title"`
	Answer    string `db:"answer"`
	Phrasings string `db:"phrasings"`
	Hidden    bool   `db:"hidden"`
	UpdatedBy string `db:"updated_by"`
	UpdatedAt int64  `db:"updated_at"`
}

func (r faqRow) override() FAQOverride {
	o := FAQOverride{ID: r.ID, Title: r.Title, Answer: r.Answer, Hidden: r.Hidden, UpdatedBy: r.UpdatedBy, UpdatedAt: fromMilli(r.UpdatedAt)}
	for _, p := range strings.Split(r.Phrasings, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			o.Phrasings = append(o.Phrasings, p)
		}
	}
	return o
}

// FAQOverrides returns workspace t's overrides, by entry id, and the
// revision they are at (0 when it has none).
func (db *DB) FAQOverrides(ctx context.Context, t bot.TenantRef) ([]FAQOverride, int64, error) {
	var rows []faqRow
	var rev int64
	err := db.read(ctx, "faq overrides", func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &rev, `SELECT revision FROM workspace_knowledge WHERE platform = ? AND tenant = ?`, t.Platform, t.ID); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return tx.SelectContext(ctx, &rows, `SELECT entry_id, title, answer, phrasings, hidden, updated_by, updated_at
			FROM workspace_faq WHERE platform = ? AND tenant = ? ORDER BY entry_id`, t.Platform, t.ID)
	})
	if err != nil {
		return nil, 0, err
	}
	out := make([]FAQOverride, len(rows))
	for i, r := range rows {
		out[i] = r.override()
	}
	return out, rev, nil
}

// KnowledgeRevision returns the revision of workspace t's overrides: it
// changes with every change to them, and is 0 when there are none.
func (db *DB) KnowledgeRevision(ctx context.Context, t bot.TenantRef) (int64, error) {
	// Read once per question in every workspace: from the cache (see
	// caches), or a prepared statement without a transaction of its own
	// (see readStmts).
	rev, ok, gen := db.cache.revision(t, db.now())
	if ok {
		return rev, nil
	}
	err := db.getOne(ctx, "knowledge revision", &rev, `SELECT revision FROM workspace_knowledge WHERE platform = ? AND tenant = ?`, t.Platform, t.ID)
	if errors.Is(err, sql.ErrNoRows) {
		rev, err = 0, nil
	}
	if err == nil && db.caching() {
		db.cache.fillRevision(t, rev, gen)
	}
	return rev, err
}

// FAQChange is one change to a workspace's overrides, made in one
// transaction with its audit entry and, when Resolves is set, the
// unanswered question it deals with.
type FAQChange struct {
	Tenant bot.TenantRef
	By     bot.UserRef
	// Put are overrides to store (replacing the entry's earlier one);
	// Delete are entry ids whose override goes.
	Put    []FAQOverride
	Delete []string
	// Check, when set, validates the workspace's overrides as they would
	// be after the change; its error refuses the change.
	Check func(all []FAQOverride) error
	// Resolves is the normalised unanswered question (bot.NormalizeQuestion)
	// the change deals with, "" for none; Resolution says how.
	Resolves, Resolution string
	Audit                AuditEntry
}

// ChangeFAQ applies c and bumps the workspace's knowledge revision.
func (db *DB) ChangeFAQ(ctx context.Context, c FAQChange) error {
	t := c.Tenant
	if t.Platform == "" || t.ID == "" {
		return bot.Errorf(bot.EINVALID, "I couldn't tell which workspace this is.")
	}
	now := db.now()
	return db.write(ctx, "change faq", func(tx *sqlx.Tx) error {
		for _, id := range c.Delete {
			if _, err := tx.ExecContext(ctx, `DELETE FROM workspace_faq WHERE platform = ? AND tenant = ? AND entry_id = ?`, t.Platform, t.ID, id); err != nil {
				return err
			}
		}
		for _, o := range c.Put {
			if _, err := tx.ExecContext(ctx, `INSERT INTO workspace_faq (platform, tenant, entry_id, title, answer, phrasings, hidden, updated_by, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (platform, tenant, entry_id) DO UPDATE SET title = excluded.title, answer = excluded.answer,
					phrasings = excluded.phrasings, hidden = excluded.hidden, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				t.Platform, t.ID, o.ID, o.Title, o.Answer, strings.Join(o.Phrasings, "\n"), boolInt(o.Hidden), c.By.String(), msOf(now)); err != nil {
				return err
			}
		}
		if c.Check != nil {
			var rows []faqRow
			if err := tx.SelectContext(ctx, &rows, `SELECT entry_id, title, answer, phrasings, hidden, updated_by, updated_at
				FROM workspace_faq WHERE platform = ? AND tenant = ? ORDER BY entry_id`, t.Platform, t.ID); err != nil {
				return err
			}
			all := make([]FAQOverride, len(rows))
			for i, r := range rows {
				all[i] = r.override()
			}
			if err := c.Check(all); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO workspace_knowledge (platform, tenant, revision) VALUES (?, ?, 1)
			ON CONFLICT (platform, tenant) DO UPDATE SET revision = workspace_knowledge.revision + 1`, t.Platform, t.ID); err != nil {
			return err
		}
		if c.Resolves != "" {
			if err := resolve(ctx, tx, t, c.Resolves, c.Resolution, entryOf(c), c.By, now); err != nil {
				return err
			}
		}
		a := c.Audit
		a.Tenant, a.Actor, a.At = t, c.By.String(), now
		return addAudit(ctx, tx, a)
	})
}

func entryOf(c FAQChange) string {
	if len(c.Put) == 1 {
		return c.Put[0].ID
	}
	return ""
}

func resolve(ctx context.Context, tx *sqlx.Tx, t bot.TenantRef, norm, resolution, entry string, by bot.UserRef, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO unanswered_resolved (platform, tenant, norm, resolution, entry_id, resolved_by, resolved_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, tenant, norm) DO UPDATE SET resolution = excluded.resolution, entry_id = excluded.entry_id,
			resolved_by = excluded.resolved_by, resolved_at = excluded.resolved_at`,
		t.Platform, t.ID, norm, resolution, entry, by.String(), msOf(now))
	return err
}

// DismissUnanswered takes a question group off workspace t's queue until
// it is asked again, and logs it.
func (db *DB) DismissUnanswered(ctx context.Context, t bot.TenantRef, norm, text string, by bot.UserRef) error {
	now := db.now()
	return db.write(ctx, "dismiss unanswered", func(tx *sqlx.Tx) error {
		if err := resolve(ctx, tx, t, norm, "dismissed", "", by, now); err != nil {
			return err
		}
		return addAudit(ctx, tx, AuditEntry{Tenant: t, Actor: by.String(), Action: "dismiss", Subject: text, At: now})
	})
}

// QueuedQuestion is one group of unanswered questions in the dashboard's
// queue: the rewordings of one question (same bot.NormalizeQuestion).
type QueuedQuestion struct {
	Norm     string
	Text     string // the latest wording
	Count    int
	Users    int
	First    time.Time
	Last     time.Time
	OffTopic bool // every ask of it was declined as off-topic
}

// UnansweredQueue returns workspace t's unanswered questions, grouped and
// most asked first, without the groups an admin dealt with since they
// were last asked; at most limit.
func (db *DB) UnansweredQueue(ctx context.Context, t bot.TenantRef, limit int) ([]QueuedQuestion, error) {
	db.settle(ctx) // the questions and events just asked count
	var rows []struct {
		Norm  string `db:"norm"`
		Count int    `db:"n"`
		Users int    `db:"users"`
		First int64  `db:"first"`
		Last  int64  `db:"last"`
		Off   int    `db:"off"`
	}
	var texts []struct {
		Norm string `db:"norm"`
		Text string `db:"text"`
	}
	err := db.read(ctx, "unanswered queue", func(tx *sqlx.Tx) error {
		if err := tx.SelectContext(ctx, &rows, `
			SELECT q.norm AS norm, COUNT(*) AS n, COUNT(DISTINCT q.user_pk) AS users, MIN(q.at) AS first, MAX(q.at) AS last,
				MIN(q.off_topic) AS off
			FROM users u JOIN unanswered q ON q.user_pk = u.id
			LEFT JOIN unanswered_resolved r ON r.platform = u.platform AND r.tenant = u.tenant AND r.norm = q.norm
			WHERE u.platform = ? AND u.tenant = ?
			GROUP BY q.norm, r.resolved_at
			HAVING MAX(q.at) > COALESCE(r.resolved_at, -1)
			ORDER BY n DESC, last DESC, norm
			LIMIT ?`, t.Platform, t.ID, clampLimit(limit)); err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		// The latest wording of each group.
		norms := make([]any, 0, len(rows)+2)
		norms = append(norms, t.Platform, t.ID)
		for _, r := range rows {
			norms = append(norms, r.Norm)
		}
		return tx.SelectContext(ctx, &texts, `SELECT q.norm AS norm, q.text AS text
			FROM users u JOIN unanswered q ON q.user_pk = u.id
			WHERE u.platform = ? AND u.tenant = ? AND q.norm IN (?`+strings.Repeat(", ?", len(rows)-1)+`)
			ORDER BY q.at, q.id`, norms...)
	})
	if err != nil {
		return nil, err
	}
	latest := map[string]string{}
	for _, x := range texts {
		latest[x.Norm] = x.Text
	}
	out := make([]QueuedQuestion, len(rows))
	for i, r := range rows {
		out[i] = QueuedQuestion{Norm: r.Norm, Text: latest[r.Norm], Count: r.Count, Users: r.Users, First: fromMilli(r.First), Last: fromMilli(r.Last), OffTopic: r.Off == 1}
	}
	return out, nil
}

// DayCounts are one UTC day's questions in a workspace.
type DayCounts struct {
	Day      time.Time
	Asked    int // questions (events of kind question)
	Answered int // of those, answered from the FAQ
	NotSure  int // unanswered questions the bot was not sure about
	Declined int // unanswered questions declined as off-topic
}

// Count is a named number.
type Count struct {
	Name string
	N    int
}

// CheckCount is how many eligibility checks had a verdict on a platform.
type CheckCount struct {
	Platform, Verdict string
	N                 int
}

// Overview is a workspace's activity over a range of days, as the
// dashboard's overview page shows it.
type Overview struct {
	From, To    time.Time // [From, To), whole UTC days
	Days        []DayCounts
	TopTopics   []Count
	Checks      []CheckCount
	ActivePlans int // users with at least one active task, now
	TasksActive int // now
	TasksDone   int // tasks marked done, now
	TimesDone   int // "done" presses over every task, all time
	NudgesSent  int // sent in the range
	NudgesRetry int // waiting to be retried after a failed send, now
	NudgesDead  int // given up on, in the range
}

// WorkspaceOverview counts workspace t's activity from from to to (UTC
// days; to exclusive).
func (db *DB) WorkspaceOverview(ctx context.Context, t bot.TenantRef, from, to time.Time) (Overview, error) {
	db.settle(ctx) // the questions and events just asked count
	const day = 24 * time.Hour
	from, to = from.UTC().Truncate(day), to.UTC().Truncate(day)
	if !to.After(from) {
		to = from.Add(day)
	}
	ov := Overview{From: from, To: to}
	lo, hi := msOf(from), msOf(to)
	const dayMs = int64(24 * 60 * 60 * 1000)
	var events, unanswered []struct {
		Day int64 `db:"d"`
		A   int   `db:"a"`
		B   int   `db:"b"`
	}
	var topics []struct {
		Name string `db:"name"`
		N    int    `db:"n"`
	}
	var checks []struct {
		Platform string `db:"platform"`
		Verdict  string `db:"verdict"`
		N        int    `db:"n"`
	}
	err := db.read(ctx, "workspace overview", func(tx *sqlx.Tx) error {
		// GROUP BY the output column d: PostgreSQL does not see "e.at / $1"
		// and "e.at / $7" as the same expression, as SQLite does.
		if err := tx.SelectContext(ctx, &events, `SELECT e.at / ? AS d, COUNT(*) AS a, SUM(CASE WHEN e.answered <> 0 THEN 1 ELSE 0 END) AS b
			FROM users u JOIN events e ON e.user_pk = u.id
			WHERE u.platform = ? AND u.tenant = ? AND e.kind = ? AND e.at >= ? AND e.at < ?
			GROUP BY d`, dayMs, t.Platform, t.ID, bot.EventQuestion, lo, hi); err != nil {
			return err
		}
		if err := tx.SelectContext(ctx, &unanswered, `SELECT q.at / ? AS d, SUM(CASE WHEN q.off_topic = 0 THEN 1 ELSE 0 END) AS a,
				SUM(CASE WHEN q.off_topic <> 0 THEN 1 ELSE 0 END) AS b
			FROM users u JOIN unanswered q ON q.user_pk = u.id
			WHERE u.platform = ? AND u.tenant = ? AND q.at >= ? AND q.at < ?
			GROUP BY d`, dayMs, t.Platform, t.ID, lo, hi); err != nil {
			return err
		}
		if err := tx.SelectContext(ctx, &topics, `SELECT e.topic AS name, COUNT(*) AS n
			FROM users u JOIN events e ON e.user_pk = u.id
			WHERE u.platform = ? AND u.tenant = ? AND e.topic <> '' AND e.at >= ? AND e.at < ?
			GROUP BY e.topic ORDER BY n DESC, e.topic LIMIT 10`, t.Platform, t.ID, lo, hi); err != nil {
			return err
		}
		if err := tx.SelectContext(ctx, &checks, `SELECT c.platform, c.verdict, COUNT(*) AS n
			FROM users u JOIN checks c ON c.user_pk = u.id
			WHERE u.platform = ? AND u.tenant = ? AND c.at >= ? AND c.at < ?
			GROUP BY c.platform, c.verdict ORDER BY c.platform, c.verdict`, t.Platform, t.ID, lo, hi); err != nil {
			return err
		}
		var tasks struct {
			Users  int           `db:"users"`
			Active sql.NullInt64 `db:"active"`
			Done   sql.NullInt64 `db:"done"`
			Times  sql.NullInt64 `db:"times"`
		}
		if err := tx.GetContext(ctx, &tasks, `SELECT COUNT(DISTINCT CASE WHEN status = 'active' THEN user_id END) AS users,
				SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS active,
				SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done,
				SUM(done_count) AS times
			FROM tasks WHERE platform = ? AND tenant = ?`, t.Platform, t.ID); err != nil {
			return err
		}
		ov.ActivePlans, ov.TasksActive, ov.TasksDone, ov.TimesDone = tasks.Users, int(tasks.Active.Int64), int(tasks.Done.Int64), int(tasks.Times.Int64)
		var nudges struct {
			Sent  sql.NullInt64 `db:"sent"`
			Retry sql.NullInt64 `db:"retry"`
			Dead  sql.NullInt64 `db:"dead"`
		}
		defer func() {
			ov.NudgesSent, ov.NudgesRetry, ov.NudgesDead = int(nudges.Sent.Int64), int(nudges.Retry.Int64), int(nudges.Dead.Int64)
		}()
		return tx.GetContext(ctx, &nudges, `SELECT
				SUM(CASE WHEN status = 'sent' AND sent_at >= ? AND sent_at < ? THEN 1 ELSE 0 END) AS sent,
				SUM(CASE WHEN status IN ('pending', 'claimed') AND attempts > 0 THEN 1 ELSE 0 END) AS retry,
				SUM(CASE WHEN status = 'dead' AND updated_at >= ? AND updated_at < ? THEN 1 ELSE 0 END) AS dead
			FROM nudges WHERE platform = ? AND tenant = ?`, lo, hi, lo, hi, t.Platform, t.ID)
	})
	if err != nil {
		return Overview{}, err
	}
	byDay := map[int64]*DayCounts{}
	for d := from; d.Before(to); d = d.Add(day) {
		ov.Days = append(ov.Days, DayCounts{Day: d})
	}
	for i := range ov.Days {
		byDay[msOf(ov.Days[i].Day)/dayMs] = &ov.Days[i]
	}
	for _, e := range events {
		if d := byDay[e.Day]; d != nil {
			d.Asked, d.Answered = e.A, e.B
		}
	}
	for _, u := range unanswered {
		if d := byDay[u.Day]; d != nil {
			d.NotSure, d.Declined = u.A, u.B
		}
	}
	for _, tp := range topics {
		ov.TopTopics = append(ov.TopTopics, Count{Name: tp.Name, N: tp.N})
	}
	for _, c := range checks {
		ov.Checks = append(ov.Checks, CheckCount{Platform: c.Platform, Verdict: c.Verdict, N: c.N})
	}
	return ov, nil
}

// UnreachableUser is a user the bot cannot message, and why.
type UnreachableUser struct {
	UserID string
	Reason string
	Since  time.Time
}

// UnreachableUsers lists workspace t's users whose nudges stopped because
// they cannot be messaged (DMs closed, left the server).
func (db *DB) UnreachableUsers(ctx context.Context, t bot.TenantRef) ([]UnreachableUser, error) {
	var rows []struct {
		UserID string `db:"user_id"`
		Reason string `db:"unreachable"`
		At     int64  `db:"updated_at"`
	}
	err := db.read(ctx, "unreachable users", func(tx *sqlx.Tx) error {
		return tx.SelectContext(ctx, &rows, `SELECT user_id, unreachable, updated_at FROM reminders
			WHERE platform = ? AND tenant = ? AND unreachable <> '' ORDER BY updated_at DESC, user_id LIMIT ?`, t.Platform, t.ID, MaxLimit)
	})
	if err != nil {
		return nil, err
	}
	out := make([]UnreachableUser, len(rows))
	for i, r := range rows {
		out[i] = UnreachableUser{UserID: r.UserID, Reason: r.Reason, Since: fromMilli(r.At)}
	}
	return out, nil
}
