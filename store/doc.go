// Package store keeps influbot's history in SQLite: users, every request
// and reply, eligibility checks, the questions the bot could not answer,
// per-tenant admin lists, conversation context, plans and the nudge
// schedule. It implements the interfaces package bot declares
// (bot.EventRecorder, bot.UnansweredLog, bot.CheckStore, bot.AdminPolicy,
// bot.AdminStore, bot.HistoryStore, bot.ContextStore, bot.PlanStore and
// bot.NudgeQueue) and the Slack adapter's replay log, so the core never
// sees SQL. The operator's reports (reports.go) are here too, as data the
// command line formats.
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
// # Durability
//
// The journal is WAL with synchronous=NORMAL: when RecordEvent (or any
// write) returns, the transaction is in the WAL file and survives the
// process being killed; a power failure may lose the last transactions,
// never corrupt the file.
//
// # Migrations
//
// The schema is migrations/NNNN_name.sql, embedded, applied in order at
// Open, each in its own transaction and recorded in schema_migrations. Add
// a table by adding the next-numbered file; never edit an applied one.
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
// secure_delete is on, so deleted rows are overwritten with zeros in the
// database file, and Forget checkpoints and truncates the WAL afterwards,
// so the text of a forgotten question is in neither file.
package store
