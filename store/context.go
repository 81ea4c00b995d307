package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
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
		err := db.getOne(ctx, "load conversation context", &row, loadContextSQL, u.Platform, u.Tenant, u.ID)
		if errors.Is(err, sql.ErrNoRows) {
			if db.caching() {
				db.cache.fillContext(u, contextRow{}, false, gen)
			}
			return bot.Conversation{User: u}, false, nil
		}
		if err != nil {
			return bot.Conversation{User: u}, false, err
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
		b, err := json.Marshal(c.Pending)
		if err != nil {
			return fmt.Errorf("save conversation context: %w", err)
		}
		pending = string(b)
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
	seq := db.cache.saveContext(u, row, decoded)
	err := db.behind(ctx, "save conversation context", func(ctx context.Context, tx *sqlx.Tx) error {
		_, err := db.writeStmt(ctx, tx, db.st.saveContext, saveContextSQL,
			u.Platform, u.Tenant, u.ID, row.Topic, row.Command, row.Args, row.Task, row.Pending, row.Updated)
		return err
	}, func(err error) {
		db.cache.saved(u, seq, err, db.caching())
		if err != nil {
			db.Logger.Warn("save conversation context", "user", u.String(), "err", err)
		}
	})
	if err != nil {
		db.cache.saved(u, seq, err, false)
	}
	return err
}

const (
	loadContextSQL = `SELECT last_topic, last_command, last_args, last_task, pending, updated_at
		FROM conversation_context WHERE platform = ? AND tenant = ? AND user_id = ?`
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
