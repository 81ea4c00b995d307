package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"github.com/influbot/influbot/bot"
)

// walAutocheckpoint is the WAL size, in pages, at which a commit
// checkpoints it (see pragmas).
const walAutocheckpoint = 8000

// Defaults for the zero values of DB's fields.
const (
	DefaultBusyTimeout = 5 * time.Second
	DefaultReaders     = 4
)

// DB is influbot's SQLite database. Set its fields, then Open it; or use
// the package function Open. It is safe for concurrent use once open.
type DB struct {
	// Path is the database file.
	Path string
	// MustExist makes Open fail when the file does not exist, instead of
	// creating it: tools that read or erase data must not create an
	// empty database by mistake.
	MustExist bool
	// ReadOnly opens the existing database for reading only (mode=ro):
	// tools that only read (export, unanswered, listing nudges) work on a
	// file or directory they cannot write to. Nothing is migrated, and
	// every write fails.
	ReadOnly bool
	// BusyTimeout is how long a statement waits for another process's
	// lock before giving up; 0 means DefaultBusyTimeout.
	BusyTimeout time.Duration
	// Readers is the size of the read-only connection pool; 0 means
	// DefaultReaders.
	Readers int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives what users never see; nil discards it.
	Logger *slog.Logger
	// WriteWait is how long a history write holds its caller before it
	// is left queued in memory (see spooled); 0 means DefaultWriteWait.
	WriteWait time.Duration
	// HistoryBehind lets a history write (event, check, unanswered
	// question) return as soon as it is queued, to be committed with the
	// next group, instead of holding its caller until it is committed (up
	// to WriteWait). See spooled.
	HistoryBehind bool
	// MaxQueued bounds the writes waiting in memory while the database
	// refuses them; 0 means DefaultMaxQueued.
	MaxQueued int
	// MaxConns is the PostgreSQL pool's size (reads and writes share it);
	// 0 means DefaultMaxConns. SQLite ignores it (one writer, Readers
	// readers).
	MaxConns int
	// StatementTimeout bounds each PostgreSQL statement on the server
	// (statement_timeout); 0 means DefaultStatementTimeout. SQLite
	// statements are bounded by their contexts alone.
	StatementTimeout time.Duration
	// HealthWarnEvery is how often a WARN says what is not being saved
	// while the database refuses writes; 0 means DefaultHealthWarnEvery.
	HealthWarnEvery time.Duration

	// migrations replaces the embedded migrations (tests).
	migrations fs.FS

	w *sqlx.DB // SQLite: the one writer connection; PostgreSQL: the pool
	r *sqlx.DB // SQLite: read-only connections; PostgreSQL: the same pool as w

	// The group commit (batch.go): small writes wait in queue.
	queue writeQueue
	// unsettled counts the history writes queued behind their callers
	// and not yet committed (see settle).
	unsettled atomic.Int64
	quit      chan struct{}
	loopDone  chan struct{}
	st        statements
	rst       readStmts
	cache     caches
	replays   *replaySet // SQLite
	batch     batchState // the commit loop's batch being written
	marks     pendingMarks
	health    health
	ckpt      *checkpointer // SQLite with a writer only (checkpoint.go)
}

// statements are prepared once on the writer for the hot path, by the
// commit loop (see DB.stmt).
type statements struct {
	upsertUser, findReply, addReply, addEvent *sqlx.Stmt
	addCheck, addUnanswered, touchUser        *sqlx.Stmt
	saveContext, remember, pruneReplays       *sqlx.Stmt
	addMarks, pruneMarks, pruneOldReplays     *sqlx.Stmt
	findAnswer, addAnswer, useAnswer          *sqlx.Stmt
	dataVersion                               *sqlx.Stmt
}

// New returns a DB for the file at path, not yet open.
func New(path string) *DB { return &DB{Path: path} }

// Open opens (creating it if needed) and migrates the database at path.
func Open(ctx context.Context, path string) (*DB, error) {
	db := New(path)
	if err := db.Open(ctx); err != nil {
		return nil, err
	}
	return db, nil
}

// OpenExisting opens the database at path and fails when there is none.
func OpenExisting(ctx context.Context, path string) (*DB, error) {
	db := New(path)
	db.MustExist = true
	if err := db.Open(ctx); err != nil {
		return nil, err
	}
	return db, nil
}

// Open connects, sets SQLite up for a long-running server and applies
// pending migrations. Its errors are one sentence that names the file.
func (db *DB) Open(ctx context.Context) error {
	if db.Path == "" {
		return bot.Errorf(bot.EINVALID, "no database path given")
	}
	if db.Now == nil {
		db.Now = time.Now
	}
	if db.Logger == nil {
		db.Logger = slog.New(slog.DiscardHandler)
	}
	if db.BusyTimeout <= 0 {
		db.BusyTimeout = DefaultBusyTimeout
	}
	if db.Readers <= 0 {
		db.Readers = DefaultReaders
	}
	if db.ReadOnly {
		db.MustExist = true
	}
	if db.isPG() {
		return db.openPostgres(ctx)
	}
	if err := db.checkPath(); err != nil {
		return err
	}
	if db.ReadOnly {
		return db.openReadOnly(ctx)
	}
	mode := "rwc"
	if db.MustExist {
		mode = "rw"
	}

	wdsn := dsn(db.Path, mode, "immediate")
	if err := useWALBatchVFS(); err != nil {
		db.Logger.Warn("writing the WAL a page at a time", "err", err)
	} else {
		wdsn += "&vfs=" + walBatchVFS
	}
	db.w = sqlx.NewDb(sql.OpenDB(&connector{dsn: wdsn, pragmas: db.pragmas(false)}), "sqlite3")
	// One writer: goroutines queue for it in Go rather than fail on
	// SQLite's lock. Transactions begin IMMEDIATE, taking the write lock
	// up front, so a transaction never fails upgrading a read to a write.
	db.w.SetMaxOpenConns(1)
	db.w.SetMaxIdleConns(1)
	db.w.SetConnMaxLifetime(0)
	db.w.SetConnMaxIdleTime(0)
	if err := db.setUp(ctx); err != nil {
		db.w.Close()
		return db.permissionError(err)
	}

	db.r = sqlx.NewDb(sql.OpenDB(&connector{dsn: dsn(db.Path, "rw", "deferred"), pragmas: db.pragmas(true)}), "sqlite3")
	db.r.SetMaxOpenConns(db.Readers)
	db.r.SetMaxIdleConns(db.Readers)
	if err := db.r.PingContext(ctx); err != nil {
		db.Close()
		return openError(db.Path, err)
	}
	// From now on the waiting for another process's lock is done in Go
	// (see writerBusy), bounded by each caller's deadline.
	if _, err := db.w.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", writerBusy.Milliseconds())); err != nil {
		db.Close()
		return openError(db.Path, err)
	}
	db.replays = newReplaySet()
	db.openCheckpointer(ctx)
	db.startLoop()
	db.runCheckpointer()
	return nil
}

// startLoop starts the group commit (batch.go).
func (db *DB) startLoop() {
	db.queue.wake = make(chan struct{}, 1)
	db.quit = make(chan struct{})
	db.loopDone = make(chan struct{})
	go db.commitLoop()
}

// prepare prepares the hot path's statements on the writer, once. The
// commit loop calls it before it begins a transaction: the writer has one
// connection, which a transaction holds. Only the commit loop calls it, so
// db.st needs no lock.
func (db *DB) prepare(ctx context.Context) error {
	if db.st.addEvent != nil {
		return nil
	}
	var st statements
	for _, p := range []struct {
		stmt **sqlx.Stmt
		sql  string
	}{
		{&st.upsertUser, upsertUserSQL},
		{&st.findReply, findReplySQL},
		{&st.addReply, db.returningID(addReplySQL)},
		{&st.findAnswer, findAnswerSQL},
		{&st.addAnswer, db.returningID(addAnswerSQL)},
		{&st.useAnswer, useAnswerSQL},
		{&st.addEvent, addEventSQL},
		{&st.addCheck, db.returningID(addCheckSQL)},
		{&st.addUnanswered, addUnansweredSQL},
		{&st.touchUser, touchUserSQL},
	} {
		s, err := db.w.PreparexContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		*p.stmt = s
	}
	// Statements of tables a later migration made: a database migrated
	// only so far (tests) runs them unprepared (see writeStmt).
	for _, p := range []struct {
		stmt **sqlx.Stmt
		sql  string
	}{
		{&st.saveContext, saveContextSQL},
		{&st.remember, rememberSQL},
		{&st.pruneReplays, pruneReplaysSQL},
		{&st.addMarks, addMarksSQL},
		{&st.pruneMarks, pruneMarksSQL},
		{&st.pruneOldReplays, pruneOldReplaysSQL},
	} {
		if s, err := db.w.PreparexContext(ctx, p.sql); err == nil {
			*p.stmt = s
		}
	}
	if db.caching() {
		s, err := db.w.PreparexContext(ctx, dataVersionSQL)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		st.dataVersion = s
	}
	db.st = st
	return nil
}

// writeStmt runs a write of the commit loop with its prepared statement,
// or unprepared when it could not be prepared.
func (db *DB) writeStmt(ctx context.Context, tx *sqlx.Tx, stmt *sqlx.Stmt, query string, args ...any) (sql.Result, error) {
	if stmt == nil {
		return tx.ExecContext(ctx, query, args...)
	}
	return db.batch.stmt(ctx, tx, stmt).ExecContext(ctx, args...)
}

// returningID is the INSERT statement insert as insertID runs it: with
// RETURNING id on PostgreSQL, as it is on SQLite.
func (db *DB) returningID(insert string) string {
	if db.isPG() {
		return insert + " RETURNING id"
	}
	return insert
}

// insertID runs stmt, an INSERT (see returningID), in the batch's tx and
// returns the new row's id. On SQLite it runs as an Exec and takes the id
// from the result: a query inside a database/sql transaction starts a
// goroutine to watch the transaction's context for every result set, and
// this is a write on the hot path. PostgreSQL has no LastInsertId, so
// there the statement returns the id as a row.
func (db *DB) insertID(ctx context.Context, tx *sqlx.Tx, stmt *sqlx.Stmt, args ...any) (int64, error) {
	s := db.batch.stmt(ctx, tx, stmt)
	if db.isPG() {
		var id int64
		err := s.GetContext(ctx, &id, args...)
		return id, err
	}
	res, err := s.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// openReadOnly opens the reader pool with mode=ro and no writer. SQLite
// reads a WAL database read-only when it may create the -shm file beside
// it; in a directory it cannot write to, it falls back to immutable=1,
// which is safe only while nothing else writes: so only when the WAL is
// empty, as a closed influbot leaves it.
func (db *DB) openReadOnly(ctx context.Context) error {
	try := func(immutable bool) error {
		d := dsn(db.Path, "ro", "deferred")
		if immutable {
			d += "&immutable=1"
		}
		db.r = sqlx.NewDb(sql.OpenDB(&connector{dsn: d, pragmas: db.pragmas(true)}), "sqlite3")
		db.r.SetMaxOpenConns(db.Readers)
		db.r.SetMaxIdleConns(db.Readers)
		if err := db.checkSchema(ctx); err != nil {
			db.r.Close()
			db.r = nil
			return err
		}
		return nil
	}
	err := try(false)
	if err == nil {
		return nil
	}
	var se sqlite3.Error
	if !errors.As(err, &se) || (se.Code != sqlite3.ErrCantOpen && se.Code != sqlite3.ErrReadonly && se.Code != sqlite3.ErrPerm) {
		return err // not about creating the -shm file
	}
	if st, serr := os.Stat(db.Path + "-wal"); serr == nil && st.Size() > 0 {
		return bot.WrapError(bot.EUNAVAILABLE, err, "cannot read database %s: it has unsaved changes (%s-wal) and influbot may not create files in %s; run it as the user who owns the database", db.Path, filepath.Base(db.Path), filepath.Dir(db.Path))
	}
	if ierr := try(true); ierr != nil {
		return openError(db.Path, ierr)
	}
	return nil
}

// checkSchema reads the schema version on a reader and refuses a
// database this influbot cannot read without migrating it.
func (db *DB) checkSchema(ctx context.Context) error {
	var v int
	if err := db.r.GetContext(ctx, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"); err != nil {
		if strings.Contains(err.Error(), "no such table") || strings.Contains(err.Error(), "SQLSTATE 42P01") {
			return bot.WrapError(bot.EUNAVAILABLE, err, "%s is not an influbot database", db.Name())
		}
		return db.openError(err)
	}
	ms, err := db.loadMigrations()
	if err != nil {
		return err
	}
	switch latest := latestVersion(ms); {
	case v > latest:
		return bot.Errorf(bot.EUNAVAILABLE, "database %s has schema version %d, newer than this influbot knows (%d); upgrade influbot", db.Name(), v, latest)
	case v < latest:
		return bot.Errorf(bot.EUNAVAILABLE, "database %s has schema version %d and needs upgrading to %d; run influbot once with write access to it", db.Name(), v, latest)
	}
	return nil
}

// permissionError names a permission problem behind err when there is
// one: SQLite reports a directory it may not create files in as "unable
// to open database file", which reads like a missing file.
func (db *DB) permissionError(err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) || (se.Code != sqlite3.ErrCantOpen && se.Code != sqlite3.ErrReadonly && se.Code != sqlite3.ErrPerm) {
		return err
	}
	if f, ferr := os.OpenFile(db.Path, os.O_RDWR, 0); ferr != nil {
		if errors.Is(ferr, fs.ErrPermission) {
			return bot.WrapError(bot.EUNAVAILABLE, err, "permission denied: cannot write to database %s; give this user write access to it, or pass another --db", db.Path)
		}
	} else {
		f.Close()
	}
	dir := filepath.Dir(db.Path)
	probe, perr := os.CreateTemp(dir, ".influbot-probe-*")
	if perr == nil {
		probe.Close()
		os.Remove(probe.Name())
		return err
	}
	if errors.Is(perr, fs.ErrPermission) {
		return bot.WrapError(bot.EUNAVAILABLE, err, "permission denied: cannot create files in %s, where database %s and its journal live; give this user write access to the directory, or pass another --db", dir, db.Path)
	}
	return err
}

func (db *DB) checkPath() error {
	_, err := os.Stat(db.Path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist) && db.MustExist:
		return bot.Errorf(bot.ENOTFOUND, "no database at %s (pass --db or set INFLUBOT_DB)", db.Path)
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(db.Path)
		if st, derr := os.Stat(dir); derr != nil || !st.IsDir() {
			return bot.Errorf(bot.EUNAVAILABLE, "cannot create database %s: directory %s does not exist", db.Path, dir)
		}
		return nil
	case errors.Is(err, fs.ErrPermission):
		return bot.WrapError(bot.EUNAVAILABLE, err, "permission denied: cannot reach database %s; give this user access to its directory, or pass another --db", db.Path)
	default:
		return bot.WrapError(bot.EUNAVAILABLE, err, "cannot open database %s", db.Path)
	}
}

// setUp checks the writer connection works, that the file is in WAL mode,
// and migrates. Several processes creating one database at once can find
// it busy in ways SQLite's busy handler does not wait out (a new
// connection's own switch to WAL, the WAL index being rebuilt): each step
// is idempotent, so the whole is tried again for up to BusyTimeout.
func (db *DB) setUp(ctx context.Context) error {
	deadline := time.Now().Add(db.BusyTimeout)
	for {
		err := db.setUpOnce(ctx)
		if err == nil || !isBusy(err) || !time.Now().Before(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return openError(db.Path, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (db *DB) setUpOnce(ctx context.Context) error {
	var mode string
	if err := db.w.GetContext(ctx, &mode, "PRAGMA journal_mode"); err != nil {
		return openError(db.Path, err)
	}
	// Switching a new file to WAL needs a moment alone with it: when
	// several processes create the database at once, the switch can lose
	// to another's connection without waiting (SQLite's busy handler does
	// not cover it), so try again for up to BusyTimeout.
	for deadline := time.Now().Add(db.BusyTimeout); !strings.EqualFold(mode, "wal") && time.Now().Before(deadline); {
		select {
		case <-ctx.Done():
			return openError(db.Path, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
		if err := db.w.GetContext(ctx, &mode, "PRAGMA journal_mode = WAL"); err != nil && !isBusy(err) {
			return openError(db.Path, err)
		}
	}
	if !strings.EqualFold(mode, "wal") {
		return bot.Errorf(bot.EUNAVAILABLE, "database %s: cannot switch to WAL mode (journal mode is %s)", db.Path, mode)
	}
	if err := db.migrate(ctx); err != nil {
		var be *bot.Error
		if errors.As(err, &be) {
			return err
		}
		return openError(db.Path, err)
	}
	return nil
}

// pragmas returns the statements every new connection runs.
func (db *DB) pragmas(readOnly bool) string {
	p := []string{
		fmt.Sprintf("PRAGMA busy_timeout = %d", db.BusyTimeout.Milliseconds()),
		// Foreign keys keep per-user rows tied to their user, so erasing
		// a user cannot leave orphans behind.
		"PRAGMA foreign_keys = ON",
		"PRAGMA temp_store = MEMORY",
	}
	if readOnly {
		return strings.Join(append(p, "PRAGMA query_only = ON"), "; ")
	}
	return strings.Join(append(p,
		// WAL: readers never block the writer, nor the writer readers.
		"PRAGMA journal_mode = WAL",
		// In WAL mode NORMAL loses no committed transaction when the
		// process dies; only a power cut may drop the last few.
		"PRAGMA synchronous = NORMAL",
		// Deleted content is overwritten with zeros, so forgotten text
		// does not linger in free space of the database file.
		"PRAGMA secure_delete = ON",
		// Truncate the WAL back to this size after a checkpoint.
		"PRAGMA journal_size_limit = 67108864",
		// Checkpoint (in the commit that crosses it) once the WAL holds
		// 8000 pages (32 MiB at 4 KiB), not SQLite's 1000: the hot pages
		// (users, contexts, index leaves) are copied into the file once
		// per checkpoint, so fewer checkpoints copy fewer pages. About
		// 15% less CPU per request under load (BenchmarkRequest).
		fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", walAutocheckpoint),
	), "; ")
}

// Close closes every connection. The last one to close checkpoints the WAL
// into the database file.
func (db *DB) Close() error {
	if db.quit != nil {
		select {
		case <-db.quit: // closed already
		default:
			close(db.quit)
			<-db.loopDone
		}
	}
	errs := []error{db.stopCheckpointer()}
	for _, s := range []*sqlx.Stmt{db.st.upsertUser, db.st.findReply, db.st.addReply, db.st.addEvent,
		db.st.addCheck, db.st.addUnanswered, db.st.touchUser,
		db.st.saveContext, db.st.remember, db.st.pruneReplays, db.st.addMarks, db.st.pruneMarks, db.st.pruneOldReplays, db.st.dataVersion} {
		if s != nil {
			s.Close()
		}
	}
	db.closeReadStmts()
	if db.r != nil && db.r != db.w {
		errs = append(errs, db.r.Close())
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
	}
	return errors.Join(errs...)
}

// dsn builds the driver's connection string: a file: URI so that any path
// works, the open mode (rwc creates, rw does not) and how transactions
// begin.
func dsn(path, mode, txlock string) string {
	u := url.URL{Scheme: "file", Opaque: escapePath(path)}
	q := url.Values{}
	q.Set("mode", mode)
	q.Set("_txlock", txlock)
	u.RawQuery = q.Encode()
	return u.String()
}

func escapePath(p string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return r.Replace(p)
}

// connector opens connections with this DB's pragmas, without registering
// a driver name globally.
type connector struct {
	dsn     string
	pragmas string
}

func (c *connector) Connect(context.Context) (driver.Conn, error) {
	d := &sqlite3.SQLiteDriver{ConnectHook: func(conn *sqlite3.SQLiteConn) error {
		_, err := conn.Exec(c.pragmas, nil)
		return err
	}}
	return d.Open(c.dsn)
}

func (c *connector) Driver() driver.Driver { return &sqlite3.SQLiteDriver{} }

// now returns the clock's reading.
func (db *DB) now() time.Time {
	if db.Now == nil {
		return time.Now()
	}
	return db.Now()
}

// opened reports errClosed, as a *bot.Error, for a DB that was never
// opened; one that was closed fails in database/sql the same way.
func (db *DB) opened(op string) error {
	if db.r == nil || (db.w == nil && !db.ReadOnly) {
		return formatError(op, errClosed)
	}
	return nil
}

// timeOr returns t, or now when t is zero.
func (db *DB) timeOr(t time.Time) time.Time {
	if t.IsZero() {
		return db.now()
	}
	return t
}

// write runs fn in a transaction on the writer and commits it. The hot
// path's caches are dropped before the commit (while this transaction
// holds the writer, so no batch runs in between) and again after it (so
// no read of the old rows fills them back).
func (db *DB) write(ctx context.Context, op string, fn func(tx *sqlx.Tx) error) error {
	if err := db.opened(op); err != nil {
		return err
	}
	if db.w == nil {
		return bot.Errorf(bot.EUNAVAILABLE, "database %s is open read-only; %s needs to write", db.Name(), op)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return formatError(op, err)
	}
	defer tx.Rollback()
	defer db.cache.drop()
	if err := fn(tx); err != nil {
		return formatError(op, err)
	}
	db.cache.drop()
	return formatError(op, tx.Commit())
}

// beginWrite begins a write transaction, waiting for another process's
// lock for up to BusyTimeout, or until ctx ends if sooner: SQLite's own
// busy wait does not notice a context, so the writer connection's is
// short (writerBusy) and the rest of the waiting is done here.
func (db *DB) beginWrite(ctx context.Context) (*sqlx.Tx, error) {
	deadline := time.Now().Add(db.BusyTimeout)
	for {
		tx, err := db.w.BeginTxx(ctx, nil)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return tx, err
		}
		t := time.NewTimer(20 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%w (waiting for another program's write lock)", ctx.Err())
		case <-t.C:
		}
	}
}

// read runs fn in one read transaction, so it sees one snapshot.
func (db *DB) read(ctx context.Context, op string, fn func(tx *sqlx.Tx) error) error {
	if err := db.opened(op); err != nil {
		return err
	}
	tx, err := db.r.BeginTxx(ctx, nil)
	if err != nil {
		return formatError(op, err)
	}
	defer tx.Rollback()
	return formatError(op, fn(tx))
}

// formatError translates err into a *bot.Error whose message is safe to
// show a user; the detail, prefixed with op, stays in Err for the log.
// It is the one place driver errors are interpreted.
func formatError(op string, err error) error {
	if err == nil {
		return nil
	}
	var be *bot.Error
	if errors.As(err, &be) {
		return err
	}
	detail := fmt.Errorf("%s: %w", op, err)
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return bot.WrapError(bot.EUNAVAILABLE, detail, "My database is busy right now. Please try again in a moment.")
		case sqlite3.ErrCantOpen, sqlite3.ErrPerm, sqlite3.ErrAuth:
			return bot.WrapError(bot.EUNAVAILABLE, detail, "I can't reach my database right now. Please try again later.")
		case sqlite3.ErrReadonly:
			return bot.WrapError(bot.EUNAVAILABLE, detail, "My database is read-only right now, so I can't save anything. Please try again later.")
		case sqlite3.ErrFull:
			return bot.WrapError(bot.EUNAVAILABLE, detail, "My database is out of disk space. Please tell the person who runs me.")
		case sqlite3.ErrIoErr, sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
			return bot.WrapError(bot.EUNAVAILABLE, detail, "My database had a problem reading or writing. Please try again later.")
		case sqlite3.ErrInterrupt:
			return bot.WrapError(bot.EUNAVAILABLE, detail, "That took too long. Please try again in a moment.")
		}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return bot.WrapError(bot.EUNAVAILABLE, detail, "That took too long. Please try again in a moment.")
	}
	if msg := pgMessage(err); msg != "" {
		return bot.WrapError(bot.EUNAVAILABLE, detail, "%s", msg)
	}
	// database/sql does not export its "database is closed" error.
	if errors.Is(err, errClosed) || errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "sql: database is closed") {
		return bot.WrapError(bot.EUNAVAILABLE, detail, "I can't reach my database right now. Please try again later.")
	}
	return bot.WrapError(bot.EINTERNAL, detail, "internal error")
}

// openError describes a failure to open the database at path in one line
// for whoever starts influbot.
func openError(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return bot.WrapError(bot.EUNAVAILABLE, err, "database %s is locked by another program; close it or try again", path)
		case sqlite3.ErrNotADB, sqlite3.ErrCorrupt:
			return bot.WrapError(bot.EUNAVAILABLE, err, "%s is not an influbot database, or it is damaged", path)
		case sqlite3.ErrReadonly, sqlite3.ErrPerm:
			return bot.WrapError(bot.EUNAVAILABLE, err, "database %s is read-only; influbot needs to write to it and its directory", path)
		case sqlite3.ErrCantOpen:
			return bot.WrapError(bot.EUNAVAILABLE, err, "cannot open database %s", path)
		}
	}
	return bot.WrapError(bot.EUNAVAILABLE, err, "cannot open database %s", path)
}
