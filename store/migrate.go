package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/influbot/influbot/bot"
)

//go:embed migrations/*.sql
var embeddedMigrations embed.FS

// migration is one file under migrations/: NNNN_name.sql.
type migration struct {
	version int
	name    string // file name
	sql     string
}

// loadMigrations reads migrations/*.sql from fsys in version order.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name it NNNN_description.sql with NNNN > 0", base)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", prev, base, v)
		}
		seen[v] = base
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", base, err)
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies the migrations the database has not seen, in order,
// each in its own transaction. A database migrated by a newer influbot is
// refused rather than guessed at.
func (db *DB) migrate(ctx context.Context) error {
	fsys := db.migrations
	if fsys == nil {
		fsys = embeddedMigrations
	}
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := db.schemaVersion(ctx)
	if err != nil {
		return err
	}
	if latest := latestVersion(ms); current > latest {
		return bot.Errorf(bot.EUNAVAILABLE, "database %s has schema version %d, newer than this influbot knows (%d); upgrade influbot", db.Path, current, latest)
	}
	for _, m := range ms {
		if err := db.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one migration unless it is already recorded. Checking inside
// the write transaction makes two processes starting at once safe.
func (db *DB) apply(ctx context.Context, m migration) error {
	tx, err := db.w.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	var done int
	if err := tx.GetContext(ctx, &done, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.version, m.name, db.now().UnixMilli()); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	db.Logger.InfoContext(ctx, "applied migration", "db", db.Path, "migration", m.name)
	return nil
}

// SchemaVersion returns the highest migration applied, 0 for none.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	if err := db.opened("schema version"); err != nil {
		return 0, err
	}
	v, err := db.schemaVersion(ctx)
	return v, formatError("schema version", err)
}

func (db *DB) schemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := db.w.GetContext(ctx, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

func latestVersion(ms []migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}
