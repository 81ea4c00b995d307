package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// userTable is a table whose rows each belong to one user.
type userTable struct {
	name string
	// fkColumn refers to users(id); "" when the table is scoped by the
	// columns platform, tenant and user_id instead.
	fkColumn string
}

// Tables this package reads and exports itself; every other per-user
// table is exported generically.
var ownTables = map[string]bool{"users": true, "events": true, "checks": true, "unanswered": true}

// userTables finds every per-user table in the schema: those with a
// foreign key to users, and those with the columns platform, tenant and
// user_id. users itself is not among them.
func (db *DB) userTables(ctx context.Context, q sqlx.QueryerContext) ([]userTable, error) {
	if db.isPG() {
		return pgUserTables(ctx, q)
	}
	var names []string
	if err := sqlx.SelectContext(ctx, q, &names,
		`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`); err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var out []userTable
	for _, name := range names {
		if name == "users" {
			continue
		}
		var fks []struct {
			From  string `db:"from"`
			Table string `db:"table"`
		}
		if err := sqlx.SelectContext(ctx, q, &fks, `SELECT "from", "table" FROM pragma_foreign_key_list(?)`, name); err != nil {
			return nil, fmt.Errorf("foreign keys of %s: %w", name, err)
		}
		found := false
		for _, fk := range fks {
			if strings.EqualFold(fk.Table, "users") {
				out = append(out, userTable{name: name, fkColumn: fk.From})
				found = true
				break
			}
		}
		if found {
			continue
		}
		var cols []string
		if err := sqlx.SelectContext(ctx, q, &cols, `SELECT name FROM pragma_table_info(?)`, name); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		if hasAll(cols, "platform", "tenant", "user_id") {
			out = append(out, userTable{name: name})
		}
	}
	return out, nil
}

func hasAll(cols []string, want ...string) bool {
	for _, w := range want {
		ok := false
		for _, c := range cols {
			if strings.EqualFold(c, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// where returns the condition selecting u's rows of t, and its arguments.
func (t userTable) where(u bot.UserRef, pk int64) (string, []any) {
	if t.fkColumn != "" {
		return quoteIdent(t.fkColumn) + " = ?", []any{pk}
	}
	return "platform = ? AND tenant = ? AND user_id = ?", []any{u.Platform, u.Tenant, u.ID}
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Export implements bot.HistoryStore: every row about u, read in one
// snapshot.
func (db *DB) Export(ctx context.Context, u bot.UserRef) (*bot.UserExport, error) {
	if !u.Valid() {
		return nil, bot.Errorf(bot.EINVALID, "I couldn't tell whose data to export.")
	}
	db.settle(ctx)
	x := &bot.UserExport{
		User:       bot.ExportedUser{Ref: u.String(), Platform: u.Platform, Tenant: u.Tenant, ID: u.ID, ExportedAt: db.now().UTC()},
		Events:     []bot.ExportedEvent{},
		Checks:     []bot.ExportedCheck{},
		Tasks:      []bot.ExportedRow{},
		Nudges:     []bot.ExportedRow{},
		Unanswered: []bot.ExportedUnanswered{},
	}
	err := db.read(ctx, "export", func(tx *sqlx.Tx) error {
		var user []struct {
			ID        int64 `db:"id"`
			FirstSeen int64 `db:"first_seen"`
			LastSeen  int64 `db:"last_seen"`
		}
		if err := tx.SelectContext(ctx, &user, `SELECT id, first_seen, last_seen FROM users
			WHERE platform = ? AND tenant = ? AND user_id = ?`, u.Platform, u.Tenant, u.ID); err != nil {
			return fmt.Errorf("user: %w", err)
		}
		var pk int64
		if len(user) == 1 {
			pk = user[0].ID
			first, last := fromMilli(user[0].FirstSeen), fromMilli(user[0].LastSeen)
			x.User.FirstSeen, x.User.LastSeen = &first, &last
			if err := exportOwn(ctx, tx, u, x); err != nil {
				return err
			}
		}
		tables, err := db.userTables(ctx, tx)
		if err != nil {
			return err
		}
		for _, t := range tables {
			if ownTables[t.name] || (t.fkColumn != "" && pk == 0) {
				continue
			}
			rows, err := exportRows(ctx, tx, t, u, pk)
			if err != nil {
				return err
			}
			switch t.name {
			case "tasks":
				x.Tasks = rows
			case "nudges":
				x.Nudges = rows
			default:
				if len(rows) > 0 {
					if x.Other == nil {
						x.Other = map[string][]bot.ExportedRow{}
					}
					x.Other[t.name] = rows
				}
			}
		}
		return exportCarriedContext(ctx, tx, u, db.now().Add(-contextLookback), x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// exportCarriedContext puts u's conversation context in the export as
// the conversation_context row it stands for, when the one an event
// carries (migration 0009) is newer than the table's.
func exportCarriedContext(ctx context.Context, tx *sqlx.Tx, u bot.UserRef, since time.Time, x *bot.UserExport) error {
	newest, _, carried, err := readStoredContext(func(dest any, args ...any) error {
		return tx.SelectContext(ctx, dest, storedContextSQL, args...)
	}, u, since)
	if err != nil {
		return fmt.Errorf("conversation context: %w", err)
	}
	if !carried {
		return nil // the table's row, if any, is the latest, and exported
	}
	const table = "conversation_context"
	m := bot.ExportedRow{"platform": u.Platform, "tenant": u.Tenant, "user_id": u.ID}
	for col, v := range map[string]any{"last_topic": newest.Topic, "last_command": newest.Command,
		"last_args": newest.Args, "last_task": newest.Task, "pending": newest.Pending, "updated_at": newest.Updated} {
		m[col] = exportValue(table, col, v)
	}
	if x.Other == nil {
		x.Other = map[string][]bot.ExportedRow{}
	}
	x.Other[table] = []bot.ExportedRow{m}
	return nil
}

// exportOwn reads u's events, checks and unanswered questions.
func exportOwn(ctx context.Context, tx *sqlx.Tx, u bot.UserRef, x *bot.UserExport) error {
	scope := ` WHERE u.platform = ? AND u.tenant = ? AND u.user_id = ?`
	args := []any{u.Platform, u.Tenant, u.ID}
	var events []eventRow
	if err := tx.SelectContext(ctx, &events, eventColumns+` JOIN users u ON u.id = e.user_pk`+scope+` ORDER BY e.at, e.id`, args...); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	for _, r := range events {
		e := r.event(u)
		x.Events = append(x.Events, bot.ExportedEvent{
			ID: e.ID, Time: e.Time, Kind: e.Kind, Command: e.Command, Text: e.Text, Topic: e.Topic,
			Confidence: e.Confidence, Answered: e.Answered, Reply: e.Reply, ErrorCode: e.ErrorCode,
			LatencyMS: float64(r.LatencyUS) / 1000,
		})
	}
	var checks []checkRow
	if err := tx.SelectContext(ctx, &checks, checkSelect+scope+` ORDER BY c.at, c.id`, args...); err != nil {
		return fmt.Errorf("checks: %w", err)
	}
	for _, r := range checks {
		x.Checks = append(x.Checks, r.exported())
	}
	var qs []struct {
		At          int64   `db:"at"`
		Text        string  `db:"text"`
		Confidence  float64 `db:"confidence"`
		OffTopic    bool    `db:"off_topic"`
		Suggestions string  `db:"suggestions"`
	}
	if err := tx.SelectContext(ctx, &qs, `SELECT q.at, q.text, q.confidence, q.off_topic, q.suggestions
		FROM users u JOIN unanswered q ON q.user_pk = u.id`+scope+` ORDER BY q.at, q.id`, args...); err != nil {
		return fmt.Errorf("unanswered: %w", err)
	}
	for _, q := range qs {
		s := []string{}
		if q.Suggestions != "" {
			s = strings.Split(q.Suggestions, ",")
		}
		x.Unanswered = append(x.Unanswered, bot.ExportedUnanswered{
			Time: fromMilli(q.At), Text: q.Text, Confidence: q.Confidence, OffTopic: q.OffTopic, Suggestions: s,
		})
	}
	return nil
}

// exportRows reads u's rows of a table this package does not know, column
// by column.
func exportRows(ctx context.Context, tx *sqlx.Tx, t userTable, u bot.UserRef, pk int64) ([]bot.ExportedRow, error) {
	cond, args := t.where(u, pk)
	rows, err := tx.QueryxContext(ctx, "SELECT * FROM "+quoteIdent(t.name)+" WHERE "+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", t.name, err)
	}
	defer rows.Close()
	out := []bot.ExportedRow{}
	for rows.Next() {
		m := map[string]any{}
		if err := rows.MapScan(m); err != nil {
			return nil, fmt.Errorf("export %s: %w", t.name, err)
		}
		for k, v := range m {
			if pgHiddenColumns[k] {
				delete(m, k)
				continue
			}
			if b, ok := v.([]byte); ok && utf8.Valid(b) {
				v = string(b)
			}
			m[k] = exportValue(t.name, k, v)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("export %s: %w", t.name, err)
	}
	return out, nil
}

// jsonColumns are the TEXT columns that hold JSON, by table: the export
// nests their value instead of quoting it as a string.
var jsonColumns = map[string]map[string]bool{
	"plans": {"tasks": true},
}

// exportValue turns a stored value into the export's conventions: times
// (columns named at or *_at, kept as Unix milliseconds) as RFC 3339 in
// UTC, or null when unset (0); JSON kept as text as nested JSON.
func exportValue(table, column string, v any) any {
	if column == "at" || strings.HasSuffix(column, "_at") {
		if ms, ok := v.(int64); ok {
			if ms == 0 {
				return nil
			}
			return fromMilli(ms).UTC()
		}
	}
	if jsonColumns[table][column] {
		if s, ok := v.(string); ok && json.Valid([]byte(s)) {
			return json.RawMessage(s)
		}
	}
	return v
}

// Forget implements bot.HistoryStore: it deletes every row about u in one
// transaction, then, on SQLite, checkpoints and truncates the WAL so that
// the deleted text is in neither the database file nor the WAL. On
// PostgreSQL it runs VACUUM on the tables it deleted from, which removes
// the dead row versions from their pages and indexes (unless an older
// transaction still sees them); what may remain is in doc.go and the
// README.
func (db *DB) Forget(ctx context.Context, u bot.UserRef) (bot.ForgetReport, error) {
	return db.forget(ctx, u, true)
}

// forget is Forget; scrub false leaves the WAL checkpoint or VACUUM to the
// caller, who erases many users and scrubs once (scrubAll).
func (db *DB) forget(ctx context.Context, u bot.UserRef, scrub bool) (bot.ForgetReport, error) {
	if !u.Valid() {
		return bot.ForgetReport{}, bot.Errorf(bot.EINVALID, "I couldn't tell whose data to erase.")
	}
	rep := bot.ForgetReport{Rows: map[string]int64{}}
	if err := db.flushBehind(ctx); err != nil {
		return rep, err
	}
	defer db.cache.forgetUser(u)
	err := db.write(ctx, "forget", func(tx *sqlx.Tx) error {
		// Child tables are emptied in schema order; checking foreign keys
		// at commit lets that order be any.
		deferFK := "PRAGMA defer_foreign_keys = ON"
		if db.isPG() {
			deferFK = "SET CONSTRAINTS ALL DEFERRED"
		}
		if _, err := tx.ExecContext(ctx, deferFK); err != nil {
			return err
		}
		pk, err := userPK(ctx, tx, u)
		if err != nil {
			return err
		}
		var replies []int64
		if pk != 0 {
			if err := tx.SelectContext(ctx, &replies, `SELECT DISTINCT reply_pk FROM events WHERE user_pk = ? AND reply_pk IS NOT NULL`, pk); err != nil {
				return fmt.Errorf("replies: %w", err)
			}
		}
		tables, err := db.userTables(ctx, tx)
		if err != nil {
			return err
		}
		for _, t := range tables {
			if t.fkColumn != "" && pk == 0 {
				continue
			}
			cond, args := t.where(u, pk)
			res, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(t.name)+" WHERE "+cond, args...)
			if err != nil {
				return fmt.Errorf("forget %s: %w", t.name, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				rep.Rows[t.name] += n
			}
		}
		// Who added an admin is about the adder, too.
		if _, err := tx.ExecContext(ctx, `UPDATE tenant_admins SET added_by = '' WHERE platform = ? AND tenant = ? AND added_by = ?`,
			u.Platform, u.Tenant, u.ID); err != nil {
			return fmt.Errorf("forget admin additions: %w", err)
		}
		if pk != 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, pk); err != nil {
				return fmt.Errorf("forget user: %w", err)
			}
			rep.Rows["users"] = 1
		}
		n, err := dropUnusedReplies(ctx, tx, replies)
		if n > 0 {
			rep.Rows["replies"] = n
		}
		return err
	})
	if err != nil {
		return bot.ForgetReport{}, err
	}
	if len(rep.Rows) > 0 && scrub {
		if db.isPG() {
			tables := make([]string, 0, len(rep.Rows))
			for t := range rep.Rows {
				tables = append(tables, t)
			}
			sort.Strings(tables)
			db.vacuum(ctx, tables)
		} else {
			db.scrubWAL(ctx)
		}
	}
	return rep, nil
}

// scrubAll does after erasing many users what Forget does after one: on
// SQLite it truncates the WAL, on PostgreSQL it vacuums every per-user
// table, users and replies.
func (db *DB) scrubAll(ctx context.Context) error {
	if !db.isPG() {
		db.scrubWAL(ctx)
		return nil
	}
	tables, err := db.userTables(ctx, db.r)
	if err != nil {
		return formatError("list tables to vacuum", err)
	}
	names := []string{"users", "replies"}
	for _, t := range tables {
		names = append(names, t.name)
	}
	db.vacuum(ctx, names)
	return nil
}

// scrubWAL copies the WAL into the database file and truncates it to
// zero bytes, so that deleted rows no longer exist in the WAL's old
// frames. A reader in another process can hold the WAL open for a while;
// scrubWAL retries briefly and then logs that the WAL will be rewritten by
// a later checkpoint.
func (db *DB) scrubWAL(ctx context.Context) {
	for attempt := 0; ; attempt++ {
		var r struct {
			Busy         int `db:"busy"`
			Log          int `db:"log"`
			Checkpointed int `db:"checkpointed"`
		}
		err := db.w.GetContext(ctx, &r, "PRAGMA wal_checkpoint(TRUNCATE)")
		if err == nil && r.Busy == 0 {
			return
		}
		if attempt == 20 || ctx.Err() != nil {
			db.Logger.WarnContext(ctx, "could not truncate the WAL after erasing data; a later checkpoint will",
				"db", db.Name(), "err", err, "busy", r.Busy)
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}
