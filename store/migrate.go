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

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var embeddedMigrations embed.FS

// migrationDir is where the engine's migrations are in the embedded FS:
// SQLite's in migrations/, PostgreSQL's twins in migrations/postgres/,
// with the same version numbers.
func (db *DB) migrationDir() string {
	if db.isPG() {
		return "migrations/postgres"
	}
	return "migrations"
}

// loadMigrations reads this engine's migrations (db.migrations in tests).
func (db *DB) loadMigrations() ([]migration, error) {
	fsys := db.migrations
	if fsys == nil {
		fsys = embeddedMigrations
	}
	return loadMigrationsIn(fsys, db.migrationDir())
}

// migration is one file under migrations/: NNNN_name.sql.
type migration struct {
	version int
	name    string // file name
	sql     string
}

// loadMigrations reads migrations/*.sql (SQLite's) from fsys in version
// order.
func loadMigrations(fsys fs.FS) ([]migration, error) { return loadMigrationsIn(fsys, "migrations") }

// loadMigrationsIn reads dir/*.sql from fsys in version order.
func loadMigrationsIn(fsys fs.FS, dir string) ([]migration, error) {
	names, err := fs.Glob(fsys, dir+"/*.sql")
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
//
// On PostgreSQL, several instances may start at once: the migrations run
// on one connection holding an advisory lock (per schema), so one
// instance migrates and the others then find the work done. (SQLite's
// IMMEDIATE transactions serialize them by themselves.)
func (db *DB) migrate(ctx context.Context) error {
	ms, err := db.loadMigrations()
	if err != nil {
		return err
	}
	conn, err := db.w.Connx(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if db.isPG() {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+lockKey+`)`, "migrate"); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+lockKey+`)`, "migrate")
	}
	ms64 := "INTEGER" // SQLite's INTEGER is 64 bits; PostgreSQL's is 32
	if db.isPG() {
		ms64 = "BIGINT"
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at `+ms64+` NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var current int
	if err := conn.GetContext(ctx, &current, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if latest := latestVersion(ms); current > latest {
		return bot.Errorf(bot.EUNAVAILABLE, "database %s has schema version %d, newer than this influbot knows (%d); upgrade influbot", db.Name(), current, latest)
	}
	for _, m := range ms {
		if err := db.apply(ctx, conn, m); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one migration unless it is already recorded. Checking inside
// the write transaction makes two processes starting at once safe.
func (db *DB) apply(ctx context.Context, conn *sqlx.Conn, m migration) error {
	tx, err := conn.BeginTxx(ctx, nil)
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
	db.Logger.InfoContext(ctx, "applied migration", "db", db.Name(), "migration", m.name)
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
