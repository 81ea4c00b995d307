package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// CopyOptions tunes Copy.
type CopyOptions struct {
	// Batch is the rows per INSERT (and per transaction); 0 means 1000.
	Batch int
	// VerifyUsers is how many users' exports Verify compares (sampled at
	// random, plus the first and last); 0 means 50.
	VerifyUsers int
	// Progress, when set, hears about each table as it is copied.
	Progress func(table string, copied, total int64)
}

// CopyReport says what Copy did.
type CopyReport struct {
	Tables []TableCopy
	Took   time.Duration
}

// TableCopy is one table's part of a copy.
type TableCopy struct {
	Table   string
	Source  int64 // rows in the source
	Target  int64 // rows in the target after the copy
	Resumed string
}

const copyMetaPrefix = "copy.progress." // store_meta keys of an unfinished copy

// Copy copies every table of from into to (SQLite to PostgreSQL, or
// either way), rows keeping their ids, then moves to's id sequences past
// them. Both must be at the same schema version; to is migrated by its
// Open. Stop the bots using them first.
//
// Idempotent: each row is inserted or, when its primary key is there
// already, overwritten with the source's values, so a second copy leaves
// the target equal to the source again. Resumable: each batch commits with
// the table's progress (the last key copied, in to's store_meta), so a
// copy interrupted (killed, a lost connection) continues from there when
// run again; the progress is deleted once every table is copied.
func Copy(ctx context.Context, from, to *DB, o CopyOptions) (CopyReport, error) {
	start := time.Now()
	if o.Batch <= 0 {
		o.Batch = 1000
	}
	if err := from.opened("copy"); err != nil {
		return CopyReport{}, err
	}
	if err := to.opened("copy"); err != nil {
		return CopyReport{}, err
	}
	fv, err := versionOn(ctx, from.r)
	if err != nil {
		return CopyReport{}, formatError("copy: read the source's schema version", err)
	}
	tv, err := versionOn(ctx, to.r)
	if err != nil {
		return CopyReport{}, formatError("copy: read the target's schema version", err)
	}
	if fv != tv {
		return CopyReport{}, bot.Errorf(bot.EINVALID, "the source is at schema version %d and the target at %d; open both with this influbot first (it migrates them)", fv, tv)
	}
	tables, err := copyOrder(ctx, from)
	if err != nil {
		return CopyReport{}, formatError("copy: list tables", err)
	}
	var rep CopyReport
	for _, t := range tables {
		tc, err := copyTable(ctx, from, to, t, o)
		if err != nil {
			return rep, err
		}
		rep.Tables = append(rep.Tables, tc)
	}
	if err := to.write(ctx, "copy: finish", func(tx *sqlx.Tx) error {
		if to.isPG() {
			if err := pgResetSequences(ctx, tx); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM store_meta WHERE key >= ? AND key < ?`, copyMetaPrefix, copyMetaPrefix+"\uffff")
		return err
	}); err != nil {
		return rep, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

func versionOn(ctx context.Context, q sqlx.QueryerContext) (int, error) {
	var v int
	err := sqlx.GetContext(ctx, q, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
	return v, err
}

// copyTableInfo is what copying a table needs to know about it.
type copyTableInfo struct {
	name string
	cols []string
	pk   []string // the primary key's columns
	// key is the column the copy walks the table by (SQLite's rowid,
	// which is id where there is one); "" for a table without rowid,
	// copied by primary key order.
	key string
}

// copyOrder lists the source's tables (not schema_migrations), parents
// before the tables whose foreign keys refer to them.
func copyOrder(ctx context.Context, db *DB) ([]copyTableInfo, error) {
	var names []string
	var err error
	if db.isPG() {
		err = db.r.SelectContext(ctx, &names, `SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' ORDER BY relname`)
	} else {
		err = db.r.SelectContext(ctx, &names, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name`)
	}
	if err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	var out []copyTableInfo
	info := map[string]copyTableInfo{}
	for _, n := range names {
		if n == "schema_migrations" {
			continue
		}
		t := copyTableInfo{name: n}
		if db.isPG() {
			if err := db.r.SelectContext(ctx, &t.cols, `SELECT attname FROM pg_attribute WHERE attrelid = (current_schema() || '.' || ?)::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, n); err != nil {
				return nil, err
			}
			if err := db.r.SelectContext(ctx, &t.pk, `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
				WHERE i.indrelid = (current_schema() || '.' || ?)::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`, n); err != nil {
				return nil, err
			}
			var refs []string
			if err := db.r.SelectContext(ctx, &refs, `SELECT DISTINCT confrelid::regclass::text FROM pg_constraint WHERE conrelid = (current_schema() || '.' || ?)::regclass AND contype = 'f'`, n); err != nil {
				return nil, err
			}
			deps[n] = refs
			t.cols = slices.DeleteFunc(t.cols, func(c string) bool { return pgHiddenColumns[c] })
			if slices.Contains(t.cols, "id") {
				t.key = "id"
			} else if n == "tasks" {
				t.key = "rowid"
			}
		} else {
			var cols []struct {
				Name string `db:"name"`
				PK   int    `db:"pk"`
			}
			if err := db.r.SelectContext(ctx, &cols, `SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, n); err != nil {
				return nil, err
			}
			pks := map[int]string{}
			for _, c := range cols {
				t.cols = append(t.cols, c.Name)
				if c.PK > 0 {
					pks[c.PK] = c.Name
				}
			}
			for i := 1; i <= len(pks); i++ {
				t.pk = append(t.pk, pks[i])
			}
			var refs []string
			if err := db.r.SelectContext(ctx, &refs, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, n); err != nil {
				return nil, err
			}
			deps[n] = refs
			var withoutRowid bool
			if err := db.r.GetContext(ctx, &withoutRowid, `SELECT "wr" FROM pragma_table_list(?)`, n); err != nil {
				return nil, err
			}
			if !withoutRowid {
				t.key = "rowid"
			}
		}
		info[n] = t
	}
	done := map[string]bool{}
	for len(out) < len(info) {
		progress := false
		for _, n := range names {
			t, ok := info[n]
			if !ok || done[n] {
				continue
			}
			ready := true
			for _, d := range deps[n] {
				if _, known := info[d]; known && !done[d] && d != n {
					ready = false
				}
			}
			if ready {
				out = append(out, t)
				done[n] = true
				progress = true
			}
		}
		if !progress {
			return nil, fmt.Errorf("foreign keys between tables form a cycle")
		}
	}
	return out, nil
}

// copyTable copies one table in batches, each in one transaction on the
// target with the table's progress.
func copyTable(ctx context.Context, from, to *DB, t copyTableInfo, o CopyOptions) (TableCopy, error) {
	tc := TableCopy{Table: t.name}
	if err := from.r.GetContext(ctx, &tc.Source, `SELECT COUNT(*) FROM `+quoteIdent(t.name)); err != nil {
		return tc, formatError("copy: count "+t.name, err)
	}
	if len(t.pk) == 0 {
		return tc, bot.Errorf(bot.EINTERNAL, "table %s has no primary key; the copy cannot be made idempotent", t.name)
	}
	progressKey := copyMetaPrefix + t.name
	var cursor int64
	var offset int64 // tables without rowid: rows already copied, in key order
	if v, ok, err := to.meta(ctx, progressKey); err != nil {
		return tc, err
	} else if ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			cursor, offset = n, n
			tc.Resumed = v
		}
	}
	cols := strings.Join(quoteAll(t.cols), ", ")
	var updates []string
	for _, c := range t.cols {
		if !slices.Contains(t.pk, c) {
			updates = append(updates, quoteIdent(c)+" = excluded."+quoteIdent(c))
		}
	}
	conflict := " ON CONFLICT (" + strings.Join(quoteAll(t.pk), ", ") + ") DO NOTHING"
	if len(updates) > 0 {
		conflict = " ON CONFLICT (" + strings.Join(quoteAll(t.pk), ", ") + ") DO UPDATE SET " + strings.Join(updates, ", ")
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ") + ")"
	var copied int64
	for {
		var q string
		var args []any
		selectCols := cols
		if t.key != "" {
			selectCols = quoteIdent(t.key) + ", " + cols
			q = `SELECT ` + selectCols + ` FROM ` + quoteIdent(t.name) + ` WHERE ` + quoteIdent(t.key) + ` > ? ORDER BY ` + quoteIdent(t.key) + ` LIMIT ?`
			args = []any{cursor, o.Batch}
		} else {
			q = `SELECT ` + cols + ` FROM ` + quoteIdent(t.name) + ` ORDER BY ` + strings.Join(quoteAll(t.pk), ", ") + ` LIMIT ? OFFSET ?`
			args = []any{o.Batch, offset}
		}
		rows, err := from.r.QueryxContext(ctx, q, args...)
		if err != nil {
			return tc, formatError("copy: read "+t.name, err)
		}
		var batch [][]any
		for rows.Next() {
			vals, err := rows.SliceScan()
			if err != nil {
				rows.Close()
				return tc, formatError("copy: read "+t.name, err)
			}
			if t.key != "" {
				k, ok := vals[0].(int64)
				if !ok {
					rows.Close()
					return tc, bot.Errorf(bot.EINTERNAL, "copy: %s.%s is not an integer", t.name, t.key)
				}
				cursor = k
				vals = vals[1:]
			}
			for i, v := range vals {
				if b, ok := v.([]byte); ok && utf8.Valid(b) {
					vals[i] = string(b)
				}
			}
			batch = append(batch, vals)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return tc, formatError("copy: read "+t.name, err)
		}
		if len(batch) == 0 {
			break
		}
		offset += int64(len(batch))
		next := cursor
		if t.key == "" {
			next = offset
		}
		err = to.write(ctx, "copy "+t.name, func(tx *sqlx.Tx) error {
			flat := make([]any, 0, len(batch)*len(t.cols))
			for _, r := range batch {
				flat = append(flat, r...)
			}
			ins := `INSERT INTO ` + quoteIdent(t.name) + ` (` + cols + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", len(batch)), ", ") + conflict
			if _, err := tx.ExecContext(ctx, ins, flat...); err != nil {
				return fmt.Errorf("insert: %w", err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
				progressKey, strconv.FormatInt(next, 10))
			return err
		})
		if err != nil {
			return tc, err
		}
		copied += int64(len(batch))
		if o.Progress != nil {
			o.Progress(t.name, copied, tc.Source)
		}
		if len(batch) < o.Batch {
			break
		}
	}
	if err := to.r.GetContext(ctx, &tc.Target, `SELECT COUNT(*) FROM `+quoteIdent(t.name)); err != nil {
		return tc, formatError("copy: count "+t.name, err)
	}
	return tc, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quoteIdent(s)
	}
	return out
}

// pgResetSequences moves every identity sequence of the schema past the
// largest value its column holds, so rows added after a copy get new ids.
func pgResetSequences(ctx context.Context, tx *sqlx.Tx) error {
	var cols []struct {
		Table  string `db:"table_name"`
		Column string `db:"column_name"`
	}
	if err := tx.SelectContext(ctx, &cols, `SELECT c.relname AS table_name, a.attname AS column_name FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND a.attidentity <> '' AND NOT a.attisdropped`); err != nil {
		return fmt.Errorf("list identity columns: %w", err)
	}
	for _, c := range cols {
		if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(`+quoteIdent(c.Column)+`) FROM `+quoteIdent(c.Table)+`), 0) + 1, false)`,
			c.Table, c.Column); err != nil {
			return fmt.Errorf("move the sequence of %s.%s: %w", c.Table, c.Column, err)
		}
	}
	return nil
}

// CopyCheck is what Verify found.
type CopyCheck struct {
	Tables     []TableCopy // row counts, source and target
	Users      int         // users whose exports were compared
	Mismatches []string    // what differs; empty when the copy is faithful
}

// Verify compares from and to after a copy: every table's row count, and
// the exports of a sample of users (the same JSON, but for ExportedAt).
func Verify(ctx context.Context, from, to *DB, o CopyOptions, rnd *rand.Rand) (CopyCheck, error) {
	if o.VerifyUsers <= 0 {
		o.VerifyUsers = 50
	}
	var c CopyCheck
	tables, err := copyOrder(ctx, from)
	if err != nil {
		return c, formatError("verify: list tables", err)
	}
	for _, t := range tables {
		tc := TableCopy{Table: t.name}
		if err := from.r.GetContext(ctx, &tc.Source, `SELECT COUNT(*) FROM `+quoteIdent(t.name)); err != nil {
			return c, formatError("verify: count "+t.name, err)
		}
		if err := to.r.GetContext(ctx, &tc.Target, `SELECT COUNT(*) FROM `+quoteIdent(t.name)); err != nil {
			return c, formatError("verify: count "+t.name, err)
		}
		if t.name == "store_meta" {
			// An unfinished copy's progress is the target's own.
			var own int64
			to.r.GetContext(ctx, &own, `SELECT COUNT(*) FROM store_meta WHERE key >= ? AND key < ?`, copyMetaPrefix, copyMetaPrefix+"\uffff")
			tc.Target -= own
		}
		c.Tables = append(c.Tables, tc)
		if tc.Source != tc.Target {
			c.Mismatches = append(c.Mismatches, fmt.Sprintf("table %s: %d rows in the source, %d in the target", t.name, tc.Source, tc.Target))
		}
	}
	var users []bot.UserRef
	var all []struct {
		Platform string `db:"platform"`
		Tenant   string `db:"tenant"`
		UserID   string `db:"user_id"`
	}
	if err := from.r.SelectContext(ctx, &all, `SELECT platform, tenant, user_id FROM users ORDER BY id`); err != nil {
		return c, formatError("verify: list users", err)
	}
	if len(all) > 0 {
		pick := map[int]bool{0: true, len(all) - 1: true}
		for len(pick) < min(o.VerifyUsers, len(all)) {
			pick[rnd.IntN(len(all))] = true
		}
		for i := range pick {
			users = append(users, bot.UserRef{Platform: all[i].Platform, Tenant: all[i].Tenant, ID: all[i].UserID})
		}
	}
	for _, u := range users {
		a, err := from.Export(ctx, u)
		if err != nil {
			return c, err
		}
		b, err := to.Export(ctx, u)
		if err != nil {
			return c, err
		}
		b.User.ExportedAt = a.User.ExportedAt
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		var va, vb any
		json.Unmarshal(ja, &va)
		json.Unmarshal(jb, &vb)
		if !reflect.DeepEqual(va, vb) {
			c.Mismatches = append(c.Mismatches, fmt.Sprintf("user %s: the exports differ", u))
		}
		c.Users++
	}
	return c, nil
}
