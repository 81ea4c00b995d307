// Package store keeps influbot's history in SQLite, or in PostgreSQL when
// several instances share it (a postgres:// URL as the path): users, every request
// and reply, eligibility checks, the questions the bot could not answer,
// per-tenant admin lists, conversation context, plans and the nudge
// schedule. It implements the interfaces package bot declares
// (bot.EventRecorder, bot.UnansweredLog, bot.CheckStore, bot.AdminPolicy,
// bot.AdminStore, bot.HistoryStore, bot.ContextStore, bot.PlanStore and
// bot.NudgeQueue) and the Slack adapter's replay log, so the core never
// sees SQL. The operator's reports (reports.go) are here too, as data the
// command line formats.
//
// # Engines
//
// One DB type, one set of queries, two engines. New(path) is SQLite for a
// file path and PostgreSQL for a postgres:// or postgresql:// URL, opened
// through pgx's database/sql driver (postgres.go). Queries are written
// once, with ? placeholders: PostgreSQL's connections rewrite them to $1,
// $2, ... (rebind.go, skipping literals and comments) and turn Go booleans
// into the 0/1 integers the schema keeps, so sqlx and the store's code
// work unchanged on both. Write portable SQL: INSERT ... ON CONFLICT
// (never INSERT OR IGNORE / OR REPLACE), RETURNING, COALESCE, no rowid, no
// LIMIT -1, and qualify a column inside ON CONFLICT DO UPDATE
// (users.first_seen), which PostgreSQL otherwise finds ambiguous. The
// PostgreSQL schema defines SQLite's two-argument min() and max() for
// BIGINT. Where the engines must differ the code asks db.isPG() and says
// why: FOR UPDATE SKIP LOCKED in ClaimDue, VACUUM instead of the WAL
// checkpoint after Forget and Prune, the catalog queries of export.
//
// Every store test runs on both engines (bothEngines in engines_test.go)
// when INFLUBOT_TEST_POSTGRES names a database; TestBothEnginesHaveTheSameSchema
// fails when a table or column exists on one engine only.
//
// # Connections
//
// A DB holds one writer connection and a pool of read-only connections.
// Every write goes through the single writer, so writers queue in Go
// instead of racing for SQLite's lock: within one process no write ever
// fails with "database is locked". Readers never block the writer (WAL).
// busy_timeout covers a second process (the CLI's forget or prune while the
// bot runs).
//
// # Caches
//
// On SQLite the hot path reads memory, not the database, where that is
// provably the same (cache.go, replayset.go): each user's conversation
// context (written through by SaveContext; stored on the event its
// request records in the same batch, migration 0009, else in
// conversation_context) and, for a user the database has never seen,
// its absence (from a list of every user with a users or a
// conversation_context row, read by the commit loop in its write
// transaction at its first batch and at most every 10 seconds after a
// drop, and joined by every user whose context a batch commits; none past
// 10,000 users), each user's latest check (filled by a read no
// check of theirs overlapped, and by a check this process commits after
// a known one; gone while one is on its way), each workspace's knowledge
// revision, and the row ids of users, interned replies and knowledge
// answers (with each answer's last_used, migration 0011) the event
// writes need; Seen answers from a set of the 64-bit fingerprints of
// every unexpired replay mark, which the batches append to the
// replay_marks log as one row per expiry second (not a row per key: a
// new key in a keyed table is a write to a page of its own, the costliest
// of a request's). This process's writer is the only
// writer but for another program now and then (the CLI's forget, a second
// influbot on the file): the commit loop reads PRAGMA data_version on the
// writer at the start of every batch, which changes only when another
// connection has committed, and then drops everything (the replay set
// reads the log's rows after the last it read). Between checks another program's change can go unseen
// for at most cacheFresh (50 ms); an idle bot reads the database. This
// process's own writes outside the hot path (DB.write: forget, knowledge
// edits, purges, prune, nudges) drop the caches before and after their
// commit. Every cache is bounded. On PostgreSQL, where instances share the
// database, nothing committed is cached: every read goes to the database.
//
// # Checkpoints
//
// On SQLite a connection of its own (checkpoint.go) copies the WAL into
// the database file with a PASSIVE checkpoint at most every 100 ms after
// commits, beside the commit loop; the checkpoint SQLite runs in the
// commit that crosses wal_autocheckpoint (8000 pages) then finds almost
// everything copied and restarts the WAL without holding up the queued
// writes for a long copy and its fsync.
//
// # Writing the WAL
//
// The writer connection opens the file through a VFS of this package
// (walvfs.c, walvfs.go) that wraps SQLite's default one: SQLite writes
// each page of a transaction to the WAL in two system calls (the frame's
// header, then the page), and the VFS holds a WAL file's consecutive
// writes back and writes them in one call (at most 124 KiB each) once the
// commit frame's page is written, which SQLite does last, before the
// transaction becomes visible to readers in the WAL index. A commit is in
// the file when it returns, as without it. Reads, syncs, truncation, file
// controls and any write out of sequence write what is held back first;
// readers, the checkpointer and every other file use the default VFS.
// Measured at 128 clients: 4.8 pwrite calls a request became 1.0, and
// the server used 9-11% less CPU a request.
//
// # Durability
//
// The journal is WAL with synchronous=NORMAL: when RecordEvent (or any
// write) returns, the transaction is in the WAL file and survives the
// process being killed; a power failure may lose the last transactions,
// never corrupt the file. SaveCheck and LogUnanswered return once queued
// (spooledAhead): the request's event, queued after them and waited for,
// is committed no earlier. With HistoryBehind no history write is waited
// for (spooled): the process being killed then loses the last group
// commit's worth. Reads of history wait for the writes queued before them
// (settle), so either way a user's next request sees everything their
// last one wrote.
//
// # Migrations
//
// The schema is migrations/NNNN_name.sql (SQLite) and
// migrations/postgres/NNNN_name.sql (PostgreSQL), embedded, applied in
// order at Open, each in its own transaction and recorded in
// schema_migrations; PostgreSQL instances starting together take turns
// under an advisory lock. Add a table by adding the next-numbered file to
// both directories, with the same number, name, tables and columns (in the
// same order): in the PostgreSQL twin INTEGER is BIGINT, REAL is DOUBLE
// PRECISION, TEXT is TEXT COLLATE "C", INTEGER PRIMARY KEY is BIGINT
// GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, a foreign key to users is
// DEFERRABLE, and WITHOUT ROWID goes. Times stay Unix milliseconds in
// integer columns on both. Never edit an applied file.
//
// On PostgreSQL a DB has no writer connection of its own: writes and reads
// share one pool (MaxConns); the group commit still batches history writes
// into one transaction. Statements are bounded by statement_timeout
// (StatementTimeout). Several instances claim nudges with FOR UPDATE SKIP
// LOCKED and run periodic jobs under Exclusive (an advisory lock).
//
// # Per-user tables
//
// Every row about a user must be found by export and erased by forget. A
// table is per-user when it has the columns platform, tenant and user_id,
// or a foreign key to users(id); Export and Forget discover such tables
// from the schema, so a later migration's tables (tasks, nudges, ...) are
// covered without touching this package's code. Export returns the rows of
// the tables tasks and nudges under those keys, and those of any other
// per-user table under "other".
//
// # Erasure
//
// SQLite: secure_delete is on, so deleted rows are overwritten with zeros
// in the database file, and Forget checkpoints and truncates the WAL
// afterwards, so the text of a forgotten question is in neither file.
// PostgreSQL: Forget runs VACUUM on the tables it deleted from, removing
// the dead row versions; the bytes may linger in free page space, in the
// server's WAL until recycled, and in backups (README, Engine differences).
package store
