package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// The engines a DB can run on.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
)

// Defaults for PostgreSQL.
const (
	// DefaultMaxConns is the PostgreSQL pool's size when MaxConns is 0.
	DefaultMaxConns = 10
	// DefaultStatementTimeout is PostgreSQL's statement_timeout when
	// StatementTimeout is 0.
	DefaultStatementTimeout = 30 * time.Second
)

// IsPostgres reports whether the database setting names a PostgreSQL
// database (a postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(setting string) bool {
	s := strings.ToLower(setting)
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Engine returns EngineSQLite or EnginePostgres.
func (db *DB) Engine() string {
	if IsPostgres(db.Path) {
		return EnginePostgres
	}
	return EngineSQLite
}

func (db *DB) isPG() bool { return IsPostgres(db.Path) }

// Name is the database as messages and logs name it: the SQLite path, or
// the PostgreSQL URL without its password.
func (db *DB) Name() string {
	if !db.isPG() {
		return db.Path
	}
	return RedactURL(db.Path)
}

// RedactURL returns a PostgreSQL URL with its password (in the user info
// or the password parameter) replaced by xxxxx.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// openPostgres opens the pool, and migrates unless ReadOnly.
//
// What stands in for the SQLite set-up: no writer connection of its own
// (PostgreSQL takes concurrent writers; writes and reads share one pool
// of MaxConns), no busy_timeout (row locks wait; statement_timeout bounds
// every statement), no WAL switch, synchronous or secure_delete (the
// server's settings; see Forget for what erasure leaves on disk), and
// foreign keys are always on.
func (db *DB) openPostgres(ctx context.Context) error {
	cfg, err := pgx.ParseConfig(db.Path)
	if err != nil {
		// The parser's message quotes the URL, password included.
		return bot.Errorf(bot.EINVALID, "database URL %s is not a valid PostgreSQL URL", db.Name())
	}
	if db.MaxConns <= 0 {
		db.MaxConns = DefaultMaxConns
	}
	if db.StatementTimeout <= 0 {
		db.StatementTimeout = DefaultStatementTimeout
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(db.StatementTimeout.Milliseconds(), 10)
	// An idle transaction left open (a crashed request) must not hold
	// row locks, nor keep VACUUM from removing dead rows, for long.
	cfg.RuntimeParams["idle_in_transaction_session_timeout"] = strconv.FormatInt(max(db.StatementTimeout, time.Minute).Milliseconds(), 10)
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "influbot"
	}
	if db.ReadOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	pool := sqlx.NewDb(sql.OpenDB(rebindConnector{stdlib.GetConnector(*cfg)}), "pgx")
	pool.SetMaxOpenConns(db.MaxConns)
	pool.SetMaxIdleConns(db.MaxConns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pool.SetConnMaxLifetime(time.Hour)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return db.openError(err)
	}
	db.r = pool
	if db.ReadOnly {
		if err := db.checkSchema(ctx); err != nil {
			pool.Close()
			db.r = nil
			return err
		}
		return nil
	}
	db.w = pool
	if db.MustExist {
		var exists bool
		if err := pool.GetContext(ctx, &exists, `SELECT to_regclass('schema_migrations') IS NOT NULL`); err != nil {
			db.Close()
			return db.openError(err)
		}
		if !exists {
			db.Close()
			return bot.Errorf(bot.ENOTFOUND, "no influbot database at %s (pass --db or set INFLUBOT_DB)", db.Name())
		}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		var be *bot.Error
		if errors.As(err, &be) {
			return err
		}
		return db.openError(err)
	}
	db.startLoop()
	return nil
}

// pgKind sorts a PostgreSQL error into what the store does about it.
type pgKind int

const (
	pgOther       pgKind = iota
	pgBusy               // a lock or serialization conflict that passes
	pgUnreachable        // no connection: the server is down or refuses us
	pgReadOnly           // a read-only server or transaction
	pgFull               // out of disk or memory
	pgTimeout            // statement_timeout
)

// classifyPG sorts err; pgOther for anything not from PostgreSQL's
// connection or server.
func classifyPG(err error) pgKind {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch c := pe.Code; {
		case c == "40001", c == "40P01", c == "55P03", c == "53300":
			return pgBusy
		case strings.HasPrefix(c, "08"), c == "57P01", c == "57P02", c == "57P03", c == "3D000", c == "28000", c == "28P01":
			return pgUnreachable
		case c == "25006":
			return pgReadOnly
		case c == "53100", c == "53200":
			return pgFull
		case c == "57014":
			return pgTimeout
		}
		return pgOther
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, sql.ErrConnDone) || pgconn.SafeToRetry(err) {
		return pgUnreachable
	}
	if s := err.Error(); strings.Contains(s, "conn closed") || strings.Contains(s, "connection refused") {
		return pgUnreachable
	}
	return pgOther
}

// pgMessage is the user's sentence for a PostgreSQL error, or "".
func pgMessage(err error) string {
	switch classifyPG(err) {
	case pgBusy:
		return "My database is busy right now. Please try again in a moment."
	case pgUnreachable:
		return "I can't reach my database right now. Please try again later."
	case pgReadOnly:
		return "My database is read-only right now, so I can't save anything. Please try again later."
	case pgFull:
		return "My database is out of disk space. Please tell the person who runs me."
	case pgTimeout:
		return "That took too long. Please try again in a moment."
	}
	return ""
}

// openError describes a failure to open the database in one line for
// whoever starts influbot.
func (db *DB) openError(err error) error {
	if !db.isPG() {
		return openError(db.Path, err)
	}
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe) && pe.Code == "3D000":
		return bot.WrapError(bot.EUNAVAILABLE, err, "PostgreSQL database %s does not exist; create it (createdb) or fix the URL", db.Name())
	case errors.As(err, &pe) && (pe.Code == "28000" || pe.Code == "28P01"):
		return bot.WrapError(bot.EUNAVAILABLE, err, "PostgreSQL refused the login for %s; check the user and password", db.Name())
	case classifyPG(err) == pgUnreachable:
		return bot.WrapError(bot.EUNAVAILABLE, err, "cannot connect to PostgreSQL at %s; is the server running and the URL right?", db.Name())
	}
	return bot.WrapError(bot.EUNAVAILABLE, err, "cannot open database %s", db.Name())
}

// lockKey is the advisory lock key for name, in this database and schema:
// several influbot deployments may share a server, each in its schema.
const lockKey = `hashtextextended(current_schema() || ':influbot:' || ?, 0)`

// Exclusive runs fn when no other process runs a job of the same name on
// this database, and reports whether it ran. On PostgreSQL it holds a
// session advisory lock (pg_try_advisory_lock) while fn runs, so one of
// several instances does a periodic job (retention) at a time; the lock
// goes with the connection if the process dies. On SQLite one file has
// one bot, so fn simply runs.
func (db *DB) Exclusive(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	if !db.isPG() {
		return true, fn(ctx)
	}
	if err := db.opened("lock " + name); err != nil {
		return false, err
	}
	conn, err := db.r.Connx(ctx)
	if err != nil {
		return false, formatError("lock "+name, err)
	}
	defer conn.Close()
	var got bool
	if err := conn.GetContext(ctx, &got, `SELECT pg_try_advisory_lock(`+lockKey+`)`, name); err != nil {
		return false, formatError("lock "+name, err)
	}
	if !got {
		return false, nil
	}
	defer func() {
		// Unlock even when ctx has ended; a broken connection drops the
		// lock with it.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(uctx, `SELECT pg_advisory_unlock(`+lockKey+`)`, name); err != nil {
			db.Logger.WarnContext(ctx, "could not release an advisory lock; it goes with the connection", "job", name, "err", err)
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return true, fn(ctx)
}

// vacuum removes the dead row versions a Forget or Prune left in tables,
// on PostgreSQL: a DELETE only marks rows dead, and their bytes stay in
// the table's pages until VACUUM (or autovacuum, whenever it comes)
// reclaims them. VACUUM cannot run in a transaction, so it runs after the
// commit. It cannot remove versions an older transaction still sees; the
// next (auto)vacuum does.
func (db *DB) vacuum(ctx context.Context, tables []string) {
	for _, t := range tables {
		if _, err := db.w.ExecContext(ctx, "VACUUM "+quoteIdent(t)); err != nil {
			db.Logger.WarnContext(ctx, "could not vacuum after erasing data; autovacuum will", "db", db.Name(), "table", t, "err", err)
		}
	}
}

// pgUserTables lists the per-user tables of the current schema, as
// userTables does from SQLite's catalog.
func pgUserTables(ctx context.Context, q sqlx.QueryerContext) ([]userTable, error) {
	var rows []struct {
		Table string         `db:"table_name"`
		FK    sql.NullString `db:"fk_column"`
		Scope bool           `db:"scoped"`
	}
	err := sqlx.SelectContext(ctx, q, &rows, `
		SELECT c.relname AS table_name,
			(SELECT a.attname FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
			 WHERE k.conrelid = c.oid AND k.contype = 'f' AND k.confrelid = 'users'::regclass ORDER BY k.conname LIMIT 1) AS fk_column,
			(SELECT count(*) = 3 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
			 AND a.attname IN ('platform', 'tenant', 'user_id')) AS scoped
		FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname <> 'users'
		ORDER BY c.relname`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var out []userTable
	for _, r := range rows {
		switch {
		case r.FK.Valid:
			out = append(out, userTable{name: r.Table, fkColumn: r.FK.String})
		case r.Scope:
			out = append(out, userTable{name: r.Table})
		}
	}
	return out, nil
}

// pgHiddenColumns are columns PostgreSQL's schema has and SQLite's keeps
// implicitly (tasks.rowid): export and db copy leave them out.
var pgHiddenColumns = map[string]bool{"rowid": true}

// Pool is the connection pool reads use (on PostgreSQL, the only one), for
// its statistics (metrics); the store's callers never query it.
func (db *DB) Pool() *sql.DB {
	if db.r == nil {
		return nil
	}
	return db.r.DB
}

// Ready is Health plus, on PostgreSQL, a round trip through the pool
// within ctx: a server that is down, or a pool whose connections are all
// busy for longer than ctx allows, makes the instance not ready, so a
// load balancer sends its requests to the others. SQLite's file is
// local; Health says all there is.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.Health(); err != nil {
		return err
	}
	if !db.isPG() || db.r == nil {
		return nil
	}
	if err := db.r.PingContext(ctx); err != nil {
		st := db.r.Stats()
		return fmt.Errorf("database %s does not answer (%d of %d connections in use, %d waits for one): %w",
			db.Name(), st.InUse, st.MaxOpenConnections, st.WaitCount, err)
	}
	return nil
}
