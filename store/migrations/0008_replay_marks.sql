-- 0008: replay marks as an append-only log. A request's replay key is a
-- hash, new nearly every time; kept one row per key in replays (0005),
-- each new key landed on a page of its own all over that table, the
-- costliest write of a request. Here each group commit appends one row
-- per expiry second holding the 64-bit fingerprints of the keys it
-- remembered (8 bytes each, little-endian), and the process keeps every
-- unexpired fingerprint in memory, reading the rows other processes
-- append by id. Rows are only appended, and expired ones pruned but
-- never the newest (store/replayset.go): so ids only rise, and "id > the
-- last one read" finds every new row, without AUTOINCREMENT's
-- sqlite_sequence to write at each commit. replays stays for the keys an
-- earlier influbot wrote (read, then pruned as they expire) and for
-- PostgreSQL, which looks keys up there.
CREATE TABLE replay_marks (
	id         INTEGER PRIMARY KEY,
	expires_at INTEGER NOT NULL, -- unix milliseconds, the latest of its keys'
	fps        BLOB NOT NULL
);

CREATE INDEX replay_marks_expiry ON replay_marks (expires_at);
