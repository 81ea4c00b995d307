package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// LoadContext implements bot.ContextStore.
func (db *DB) LoadContext(ctx context.Context, u bot.UserRef) (bot.Conversation, bool, error) {
	var row struct {
		Topic   string `db:"last_topic"`
		Command string `db:"last_command"`
		Args    string `db:"last_args"`
		Task    string `db:"last_task"`
		Pending string `db:"pending"`
		Updated int64  `db:"updated_at"`
	}
	err := db.getOne(ctx, "load conversation context", &row, loadContextSQL, u.Platform, u.Tenant, u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Conversation{User: u}, false, nil
	}
	if err != nil {
		return bot.Conversation{User: u}, false, err
	}
	c := bot.Conversation{User: u, LastTopic: row.Topic, LastCommand: row.Command, LastArgs: row.Args, LastTask: row.Task, Updated: fromMilli(row.Updated)}
	if row.Pending != "" {
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
	at := db.timeOr(c.Updated)
	return db.grouped(ctx, "save conversation context", func(ctx context.Context, tx *sqlx.Tx) error {
		_, err := tx.StmtxContext(ctx, db.st.saveContext).ExecContext(ctx,
			c.User.Platform, c.User.Tenant, c.User.ID, clip(c.LastTopic, 200), clip(c.LastCommand, 64),
			clip(c.LastArgs, bot.MaxStoredText), clip(c.LastTask, 200), pending, at.UnixMilli())
		return err
	})
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
