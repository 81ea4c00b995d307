package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/internal/jsonstr"
)

// contextRow is a conversation_context row as stored.
type contextRow struct {
	Topic   string `db:"last_topic"`
	Command string `db:"last_command"`
	Args    string `db:"last_args"`
	Task    string `db:"last_task"`
	Pending string `db:"pending"`
	Updated int64  `db:"updated_at"`
}

// LoadContext implements bot.ContextStore. A context this process saved
// and has not committed yet is read from memory, and so, on SQLite, is one
// cached (see caches).
func (db *DB) LoadContext(ctx context.Context, u bot.UserRef) (bot.Conversation, bool, error) {
	e, ok, gen := db.cache.context(u, db.now())
	row := e.row
	if ok && !e.exists {
		return bot.Conversation{User: u}, false, nil
	}
	if !ok {
		var found bool
		var err error
		row, found, err = db.storedContext(ctx, u)
		if err != nil {
			return bot.Conversation{User: u}, false, err
		}
		if !found {
			if db.caching() {
				db.cache.fillContext(u, contextRow{}, false, gen)
			}
			return bot.Conversation{User: u}, false, nil
		}
		if db.caching() {
			db.cache.fillContext(u, row, true, gen)
		}
	}
	c := bot.Conversation{User: u, LastTopic: row.Topic, LastCommand: row.Command, LastArgs: row.Args, LastTask: row.Task, Updated: fromMilli(row.Updated)}
	if ok && e.pending != nil {
		c.Pending = clonePending(e.pending) // saved by this process: no JSON to decode
	} else if row.Pending != "" {
		var p bot.Pending
		if err := json.Unmarshal([]byte(row.Pending), &p); err != nil {
			return c, true, fmt.Errorf("load conversation context: pending question: %w", err)
		}
		c.Pending = &p
	}
	return c, true, nil
}

// SaveContext implements bot.ContextStore.
func (db *DB) SaveContext(ctx context.Context, c bot.Conversation) error {
	if !c.User.Valid() {
		return bot.Errorf(bot.EINVALID, "I couldn't tell who you are, so I can't remember our conversation.")
	}
	pending := ""
	if c.Pending != nil {
		pending = encodePending(c.Pending)
	}
	row := contextRow{Topic: clip(c.LastTopic, 200), Command: clip(c.LastCommand, 64),
		Args: clip(c.LastArgs, bot.MaxStoredText), Task: clip(c.LastTask, 200), Pending: pending,
		Updated: db.timeOr(c.Updated).UnixMilli()}
	u := c.User
	// Written behind: the request does not wait for this commit. The
	// write goes in the queue before the request's event, so it is
	// committed no later than the event the answer waits for; until then
	// LoadContext reads it from the cache.
	var decoded *bot.Pending
	if c.Pending != nil && pendingRoundTrips(c.Pending) {
		decoded = clonePending(c.Pending)
	}
	stashed := stashedContext{row: row, encoded: encodeContext(row)}
	seq := db.cache.saveContext(u, row, decoded)
	// Lazily: the request's event, queued next, wakes the commit loop and
	// carries the context (see batchState.stashContext); without one in
	// its batch, the batch's end writes it to conversation_context.
	err := db.queueBehind(ctx, "save conversation context", func(ctx context.Context, tx *sqlx.Tx) error {
		db.batch.stashContext(u, stashed)
		// Listed from the batch that commits it, whatever became of its
		// cache entry (forget may have taken it since).
		db.cache.noteKnown(u)
		return nil
	}, func(err error) {
		db.cache.saved(u, seq, err, db.caching())
		if err != nil {
			db.Logger.Warn("save conversation context", "user", u.String(), "err", err)
		}
	}, true)
	if err != nil {
		db.cache.saved(u, seq, err, false)
	}
	return err
}

// storedContext reads u's latest context from the database, in one
// query (see readStoredContext).
func (db *DB) storedContext(ctx context.Context, u bot.UserRef) (contextRow, bool, error) {
	s, err := db.readStmt(ctx, storedContextSQL)
	if err != nil {
		return contextRow{}, false, formatError("load conversation context", err)
	}
	row, found, _, err := readStoredContext(func(dest any, args ...any) error {
		return s.SelectContext(ctx, dest, args...)
	}, u, db.now().Add(-contextLookback))
	if err != nil {
		return contextRow{}, false, formatError("load conversation context", err)
	}
	return row, found, nil
}

// readStoredContext runs storedContextSQL through sel and returns the
// newer of u's conversation_context row and the contexts u's events since
// since carry (migration 0009); carried tells that an event's won.
func readStoredContext(sel func(dest any, args ...any) error, u bot.UserRef, since time.Time) (row contextRow, found, carried bool, err error) {
	var rows []struct {
		contextRow
		Carried bool   `db:"carried"`
		Context string `db:"context"`
	}
	if err := sel(&rows, u.Platform, u.Tenant, u.ID, u.Platform, u.Tenant, u.ID, since.UnixMilli()); err != nil {
		return contextRow{}, false, false, err
	}
	for _, r := range rows {
		if !r.Carried {
			row, found = r.contextRow, true
		}
	}
	for _, r := range rows {
		if !r.Carried {
			continue
		}
		c, err := decodeContext(r.Context)
		if err != nil {
			return contextRow{}, false, false, err
		}
		if !found || c.Updated > row.Updated {
			row, found, carried = c, true, true
		}
	}
	return row, found, carried, nil
}

// contextLookback is how far back storedContext looks for an event that
// carries a context: far beyond the core's expiry (bot.ContextTTL), and
// never through a long history.
const contextLookback = 24 * time.Hour

// eventContext is a context as an event carries it (encodeContext).
type eventContext struct {
	Topic   string `json:"topic,omitempty"`
	Command string `json:"command,omitempty"`
	Args    string `json:"args,omitempty"`
	Task    string `json:"task,omitempty"`
	Pending string `json:"pending,omitempty"` // JSON bot.Pending
	Updated int64  `json:"updated_at"`        // unix milliseconds
}

// encodeContext is row as an event's context column holds it: the JSON
// of eventContext, written by hand as encoding/json would (encoding/json
// itself took 2% of a request's CPU).
func encodeContext(row contextRow) string {
	b := make([]byte, 0, 48+len(row.Topic)+len(row.Command)+len(row.Args)+len(row.Task)+len(row.Pending)*5/4)
	b = append(b, '{')
	for _, f := range [...]struct{ key, v string }{
		{"topic", row.Topic}, {"command", row.Command}, {"args", row.Args}, {"task", row.Task}, {"pending", row.Pending},
	} {
		if f.v == "" {
			continue // omitempty
		}
		b = append(b, '"')
		b = append(b, f.key...)
		b = append(b, `":`...)
		b = jsonstr.Append(b, f.v)
		b = append(b, ',')
	}
	b = append(b, `"updated_at":`...)
	b = strconv.AppendInt(b, row.Updated, 10)
	b = append(b, '}')
	return string(b)
}

// encodePending is json.Marshal(p), written by hand (encoding/json took
// 1% of a request's CPU, nearly every answer leaving choices pending).
func encodePending(p *bot.Pending) string {
	n := 64 + len(p.Command) + len(p.NumberArgs)
	for _, c := range p.Choices {
		n += 48 + len(c.ActionID) + len(c.Label) + len(c.Value)
	}
	b := make([]byte, 0, n)
	b = append(b, `{"command":`...)
	b = jsonstr.Append(b, p.Command)
	b = append(b, `,"choices":`...)
	if p.Choices == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range p.Choices {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"ActionID":`...)
			b = jsonstr.Append(b, c.ActionID)
			b = append(b, `,"Label":`...)
			b = jsonstr.Append(b, c.Label)
			b = append(b, `,"Value":`...)
			b = jsonstr.Append(b, c.Value)
			b = append(b, `,"Style":`...)
			b = strconv.AppendInt(b, int64(c.Style), 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if p.NumberArgs != "" {
		b = append(b, `,"number_args":`...)
		b = jsonstr.Append(b, p.NumberArgs)
	}
	if p.NumbersOnly {
		b = append(b, `,"numbers_only":true`...)
	}
	if p.YesNo {
		b = append(b, `,"yes_no":true`...)
	}
	b = append(b, '}')
	return string(b)
}

func decodeContext(text string) (contextRow, error) {
	var c eventContext
	if err := json.Unmarshal([]byte(text), &c); err != nil {
		return contextRow{}, fmt.Errorf("an event's conversation context: %w", err)
	}
	return contextRow(c), nil
}

const (
	// storedContextSQL reads the user's conversation_context row and the
	// contexts their latest events carry: a few, in case two requests of
	// theirs were committed out of order.
	storedContextSQL = `SELECT FALSE AS carried, last_topic, last_command, last_args, last_task, pending, updated_at, '' AS context
		FROM conversation_context WHERE platform = ? AND tenant = ? AND user_id = ?
		UNION ALL
		SELECT * FROM (SELECT TRUE AS carried, '' AS last_topic, '' AS last_command, '' AS last_args, '' AS last_task,
				'' AS pending, 0 AS updated_at, e.context
			FROM users u JOIN events e ON e.user_pk = u.id
			WHERE u.platform = ? AND u.tenant = ? AND u.user_id = ? AND e.at >= ? AND e.context IS NOT NULL
			ORDER BY e.at DESC LIMIT 4) AS carried_contexts`
	saveContextSQL = `INSERT INTO conversation_context
		(platform, tenant, user_id, last_topic, last_command, last_args, last_task, pending, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, tenant, user_id) DO UPDATE SET
			last_topic = excluded.last_topic, last_command = excluded.last_command,
			last_args = excluded.last_args, last_task = excluded.last_task,
			pending = excluded.pending, updated_at = excluded.updated_at`
)

// pendingRoundTrips reports whether p reads back from its JSON unchanged,
// so that a copy of it can stand for the decoded JSON: it does unless a
// string is not valid UTF-8 (encoding/json replaces such bytes).
func pendingRoundTrips(p *bot.Pending) bool {
	if !utf8.ValidString(p.Command) || !utf8.ValidString(p.NumberArgs) {
		return false
	}
	for _, b := range p.Choices {
		if !utf8.ValidString(b.ActionID) || !utf8.ValidString(b.Label) || !utf8.ValidString(b.Value) {
			return false
		}
	}
	return true
}

// clonePending copies p, so that neither the cache nor its caller sees the
// other's changes.
func clonePending(p *bot.Pending) *bot.Pending {
	c := *p
	c.Choices = slices.Clone(p.Choices)
	return &c
}
