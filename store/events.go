package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// Limits on what one read returns.
const (
	DefaultLimit = 10
	MaxLimit     = 1000
)

// RecordEvent implements bot.EventRecorder. The event is committed (in the
// WAL) when it returns; concurrent calls share a commit (see grouped).
func (db *DB) RecordEvent(ctx context.Context, e bot.Event) error {
	if !e.User.Valid() {
		return bot.Errorf(bot.EINVALID, "I couldn't tell who you are, so I can't keep a history for you.")
	}
	at := db.timeOr(e.Time)
	kind := e.Kind
	if kind == "" {
		kind = bot.EventCommand
	}
	latency := max(e.Latency.Microseconds(), 0)
	reply := clip(e.Reply, bot.MaxStoredText)
	return db.spooled(ctx, "record event", func(ctx context.Context, tx *sqlx.Tx) error {
		pk, err := db.upsertUser(ctx, tx, e.User, at)
		if err != nil {
			return err
		}
		var replyPK, answerPK sql.NullInt64
		switch {
		case reply == "":
		case e.KnowledgeReply:
			if answerPK.Int64, err = db.internAnswer(ctx, tx, reply, at.UnixMilli()); err != nil {
				return err
			}
			answerPK.Valid = true
		default:
			if replyPK.Int64, err = db.internReply(ctx, tx, reply, e.OneOffReply); err != nil {
				return err
			}
			replyPK.Valid = true
		}
		var carried sql.NullString
		if c, ok := db.batch.takeContext(e.User); ok {
			carried = sql.NullString{String: c.encoded, Valid: true}
		}
		_, err = db.batch.stmt(ctx, tx, db.st.addEvent).ExecContext(ctx,
			pk, at.UnixMilli(), clip(kind, 32), clip(e.Command, 64), clip(e.Text, bot.MaxStoredText),
			clip(e.Topic, 200), e.Confidence, e.Answered, replyPK, clip(e.ErrorCode, 32), latency, carried, answerPK)
		if err != nil {
			return fmt.Errorf("add event: %w", err)
		}
		return nil
	})
}

const addUnansweredSQL = `INSERT INTO unanswered (user_pk, at, text, norm, confidence, off_topic, suggestions)
	VALUES (?, ?, ?, ?, ?, ?, ?)`

const addEventSQL = `INSERT INTO events
	(user_pk, at, kind, command, text, topic, confidence, answered, reply_pk, error_code, latency_us, context, answer_pk)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// LogUnanswered implements bot.UnansweredLog.
func (db *DB) LogUnanswered(ctx context.Context, q bot.UnansweredQuestion) error {
	if !q.User.Valid() {
		return bot.Errorf(bot.EINVALID, "I couldn't tell who asked that question.")
	}
	text := clip(strings.TrimSpace(q.Text), bot.MaxStoredText)
	norm := bot.NormalizeQuestion(text)
	if norm == "" {
		return nil // nothing an FAQ entry could answer ("???")
	}
	at := db.timeOr(q.Time)
	return db.spooledAhead(ctx, "log unanswered", func(ctx context.Context, tx *sqlx.Tx) error {
		pk, err := db.upsertUser(ctx, tx, q.User, at)
		if err != nil {
			return err
		}
		_, err = db.writeStmt(ctx, tx, db.st.addUnanswered, addUnansweredSQL,
			pk, at.UnixMilli(), text, norm, q.Confidence, q.OffTopic, strings.Join(q.Suggestions, ","))
		return err
	})
}

// RecentEvents implements bot.HistoryStore.
func (db *DB) RecentEvents(ctx context.Context, u bot.UserRef, kind string, limit int) ([]bot.Event, error) {
	limit = clampLimit(limit)
	db.settle(ctx)
	var rows []eventRow
	err := db.read(ctx, "recent events", func(tx *sqlx.Tx) error {
		// The newest ids come from the index alone; only those rows, and
		// their replies, are read.
		inner := `SELECT id FROM events WHERE user_pk = (SELECT id FROM users WHERE platform = ? AND tenant = ? AND user_id = ?)`
		args := []any{u.Platform, u.Tenant, u.ID}
		if kind != "" {
			inner += ` AND kind = ?`
			args = append(args, kind)
		}
		inner += ` ORDER BY at DESC LIMIT ?`
		return tx.SelectContext(ctx, &rows, eventColumns+` WHERE e.id IN (`+inner+`) ORDER BY e.at DESC, e.id DESC`, append(args, limit)...)
	})
	if err != nil {
		return nil, err
	}
	events := make([]bot.Event, len(rows))
	for i, r := range rows {
		events[i] = r.event(u)
	}
	return events, nil
}

// eventColumns reads events e with their replies (from replies, or from
// answers for a knowledge answer).
const eventColumns = `SELECT e.id, e.at, e.kind, e.command, e.text, e.topic, e.confidence, e.answered,
		COALESCE(r.text, a.text, '') AS reply, e.error_code, e.latency_us
	FROM events e LEFT JOIN replies r ON r.id = e.reply_pk LEFT JOIN answers a ON a.id = e.answer_pk`

type eventRow struct {
	ID         int64   `db:"id"`
	At         int64   `db:"at"`
	Kind       string  `db:"kind"`
	Command    string  `db:"command"`
	Text       string  `db:"text"`
	Topic      string  `db:"topic"`
	Confidence float64 `db:"confidence"`
	Answered   bool    `db:"answered"`
	Reply      string  `db:"reply"`
	ErrorCode  string  `db:"error_code"`
	LatencyUS  int64   `db:"latency_us"`
}

func (r eventRow) event(u bot.UserRef) bot.Event {
	return bot.Event{
		ID: r.ID, User: u, Time: fromMilli(r.At), Kind: r.Kind, Command: r.Command, Text: r.Text,
		Topic: r.Topic, Confidence: r.Confidence, Answered: r.Answered, Reply: r.Reply,
		ErrorCode: r.ErrorCode, Latency: time.Duration(r.LatencyUS) * time.Microsecond,
	}
}

// UnansweredTopics implements bot.HistoryStore.
func (db *DB) UnansweredTopics(ctx context.Context, t bot.TenantRef, limit int) ([]bot.UnansweredTopic, error) {
	limit = clampLimit(limit)
	db.settle(ctx)
	var rows []struct {
		Text  string `db:"text"`
		Count int    `db:"n"`
		Users int    `db:"users"`
		First int64  `db:"first"`
		Last  int64  `db:"last"`
		Off   bool   `db:"off_topic"`
	}
	err := db.read(ctx, "unanswered topics", func(tx *sqlx.Tx) error {
		return tx.SelectContext(ctx, &rows, `
			WITH t AS MATERIALIZED (
				SELECT q.norm, q.text, q.at, q.user_pk, q.off_topic
				FROM users u JOIN unanswered q ON q.user_pk = u.id
				WHERE u.platform = ? AND u.tenant = ?
			), g AS (
				SELECT norm, off_topic, COUNT(*) AS n, COUNT(DISTINCT user_pk) AS users, MIN(at) AS first, MAX(at) AS last
				FROM t GROUP BY norm, off_topic
			)
			SELECT (SELECT t.text FROM t WHERE t.norm = g.norm AND t.off_topic = g.off_topic ORDER BY t.at DESC LIMIT 1) AS text,
				n, users, first, last, off_topic
			FROM g ORDER BY n DESC, last DESC, norm, off_topic LIMIT ?`, t.Platform, t.ID, limit)
	})
	if err != nil {
		return nil, err
	}
	topics := make([]bot.UnansweredTopic, len(rows))
	for i, r := range rows {
		topics[i] = bot.UnansweredTopic{Text: r.Text, Count: r.Count, Users: r.Users, First: fromMilli(r.First), Last: fromMilli(r.Last), OffTopic: r.Off}
	}
	return topics, nil
}

// Tenants returns every tenant with a stored user, in name order.
func (db *DB) Tenants(ctx context.Context) ([]bot.TenantRef, error) {
	var rows []struct {
		Platform string `db:"platform"`
		Tenant   string `db:"tenant"`
	}
	err := db.read(ctx, "tenants", func(tx *sqlx.Tx) error {
		return tx.SelectContext(ctx, &rows, `SELECT DISTINCT platform, tenant FROM users ORDER BY platform, tenant`)
	})
	if err != nil {
		return nil, err
	}
	ts := make([]bot.TenantRef, len(rows))
	for i, r := range rows {
		ts[i] = bot.TenantRef{Platform: r.Platform, ID: r.Tenant}
	}
	return ts, nil
}

// upsertUser returns the users row id of u, creating the row if needed and
// widening its first/last seen times to include at. It runs in the
// commit loop's batch (tx): when u's id is cached (see caches), the
// widening is left to the end of the batch, once per user (see
// batchState).
func (db *DB) upsertUser(ctx context.Context, tx *sqlx.Tx, u bot.UserRef, at time.Time) (int64, error) {
	ms := at.UnixMilli()
	caching := db.caching()
	if caching {
		if pk, ok := db.cache.user(u); ok {
			db.batch.seen(pk, ms)
			return pk, nil
		}
	}
	var pk int64
	if err := db.batch.stmt(ctx, tx, db.st.upsertUser).GetContext(ctx, &pk, u.Platform, u.Tenant, u.ID, ms, ms); err != nil {
		return 0, fmt.Errorf("upsert user: %w", err)
	}
	if caching {
		db.cache.fillUser(u, pk)
	}
	return pk, nil
}

const upsertUserSQL = `INSERT INTO users (platform, tenant, user_id, first_seen, last_seen)
	VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (platform, tenant, user_id) DO UPDATE SET
		first_seen = min(users.first_seen, excluded.first_seen),
		last_seen = max(users.last_seen, excluded.last_seen)
	RETURNING id`

// userPK returns the users row id of u, or 0 when nothing is stored.
func userPK(ctx context.Context, q sqlx.QueryerContext, u bot.UserRef) (int64, error) {
	var pk int64
	err := sqlx.GetContext(ctx, q, &pk, `SELECT id FROM users WHERE platform = ? AND tenant = ? AND user_id = ?`, u.Platform, u.Tenant, u.ID)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find user: %w", err)
	}
	return pk, nil
}

// internReply returns the id of the replies row holding text, adding it
// when it is new. A one-off reply (bot.Event.OneOffReply) is added without
// a search, under hash 0, which replyHash never gives: those rows sit
// together at one end of the hash index instead of each dirtying a random
// page of it, and no search ever looks among them.
func (db *DB) internReply(ctx context.Context, tx *sqlx.Tx, text string, oneOff bool) (int64, error) {
	if oneOff {
		id, err := db.insertID(ctx, tx, db.st.addReply, oneOffHash, text)
		if err != nil {
			return 0, fmt.Errorf("add reply: %w", err)
		}
		return id, nil
	}
	caching := db.caching()
	if caching {
		if id, ok := db.cache.reply(text); ok {
			return id, nil
		}
	}
	h := replyHash(text)
	var id int64
	err := db.batch.stmt(ctx, tx, db.st.findReply).GetContext(ctx, &id, h, text)
	if err == sql.ErrNoRows {
		id, err = db.insertID(ctx, tx, db.st.addReply, h, text)
		if err != nil {
			return 0, fmt.Errorf("add reply: %w", err)
		}
	} else if err != nil {
		return 0, fmt.Errorf("find reply: %w", err)
	}
	if caching {
		db.cache.fillReply(text, id)
	}
	return id, nil
}

const (
	findReplySQL = `SELECT id FROM replies WHERE hash = ? AND text = ? LIMIT 1`
	addReplySQL  = `INSERT INTO replies (hash, text) VALUES (?, ?)` // + RETURNING id on PostgreSQL (returningID)
)

// dropUnusedReplies deletes those of the replies ids no event refers to
// any more.
func dropUnusedReplies(ctx context.Context, tx *sqlx.Tx, ids []int64) (int64, error) {
	var n int64
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		q, args, err := sqlx.In(`DELETE FROM replies WHERE id IN (?)
			AND NOT EXISTS (SELECT 1 FROM events WHERE reply_pk = replies.id)`, batch)
		if err != nil {
			return n, err
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return n, fmt.Errorf("drop unused replies: %w", err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, nil
}

// oneOffHash is the hash of one-off replies (see internReply).
const oneOffHash = 0

// replyHash is the FNV-1a hash of text, never oneOffHash.
func replyHash(text string) int64 {
	h := fnv.New64a()
	h.Write([]byte(text))
	if v := int64(h.Sum64()); v != oneOffHash {
		return v
	}
	return 1
}

// clip cuts s to at most n bytes of valid UTF-8 without splitting a
// character.
func clip(s string, n int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

func fromMilli(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
