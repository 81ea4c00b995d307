-- 0001: users, their history, eligibility checks, unanswered questions and
-- per-tenant admins.
--
-- Conventions for this and later migrations:
-- * Times are Unix milliseconds (UTC) in INTEGER columns.
-- * A row about one user lives in a table with the columns platform, tenant
--   and user_id, or with a foreign key to users(id) ON DELETE CASCADE. The
--   store finds such tables from the schema: "export" includes their rows
--   and "forget" deletes them. Every query names the tenant.

-- A user is (platform, tenant, user id): the same person in two workspaces
-- is two users, and nothing joins them.
CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	platform   TEXT NOT NULL,
	tenant     TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	first_seen INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	UNIQUE (platform, tenant, user_id)
);

-- The bot's replies, each distinct text stored once: most replies are the
-- same FAQ answers, and history should not hold a million copies of them.
-- A reply no event refers to any more is deleted with the last such event.
CREATE TABLE replies (
	id   INTEGER PRIMARY KEY,
	hash INTEGER NOT NULL, -- FNV-1a of text, to find it again
	text TEXT NOT NULL
);
CREATE INDEX replies_hash ON replies (hash);

-- Every request and its reply.
CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	user_pk    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	at         INTEGER NOT NULL,
	kind       TEXT NOT NULL,              -- question, command or action
	command    TEXT NOT NULL DEFAULT '',
	text       TEXT NOT NULL DEFAULT '',   -- capped at bot.MaxStoredText
	topic      TEXT NOT NULL DEFAULT '',   -- FAQ entry that answered
	confidence REAL NOT NULL DEFAULT 0,
	answered   INTEGER NOT NULL DEFAULT 0,
	reply_pk   INTEGER REFERENCES replies (id),
	error_code TEXT NOT NULL DEFAULT '',
	latency_us INTEGER NOT NULL DEFAULT 0
);
-- A user's recent events, newest first, without a sort; kind is in the
-- index so that "the last five questions" is read from the index alone.
CREATE INDEX events_user_at ON events (user_pk, at, kind);
-- Whether a reply is still used, when events go.
CREATE INDEX events_reply ON events (reply_pk);

-- Eligibility checks: the creator's numbers and the verdict, so progress
-- shows over time. result is the JSON "influbot check --json" printed.
CREATE TABLE checks (
	id               INTEGER PRIMARY KEY,
	user_pk          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	at               INTEGER NOT NULL,
	platform         TEXT NOT NULL,         -- the creator's social platform
	followers        INTEGER NOT NULL,
	likes            REAL,
	comments         REAL,
	shares           REAL,
	views            REAL,
	posts_per_week   REAL,
	niche            TEXT NOT NULL DEFAULT '',
	engagement_rate  REAL NOT NULL,         -- percent
	engagement_basis TEXT NOT NULL DEFAULT '',
	view_rate        REAL,
	verdict          TEXT NOT NULL,
	score            INTEGER NOT NULL,
	result           TEXT
);
CREATE INDEX checks_user ON checks (user_pk, at);

-- Questions the bot could not answer; norm is bot.NormalizeQuestion(text),
-- what rewordings of one question share.
CREATE TABLE unanswered (
	id          INTEGER PRIMARY KEY,
	user_pk     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	at          INTEGER NOT NULL,
	text        TEXT NOT NULL,
	norm        TEXT NOT NULL,
	confidence  REAL NOT NULL DEFAULT 0,
	off_topic   INTEGER NOT NULL DEFAULT 0,
	suggestions TEXT NOT NULL DEFAULT ''    -- entry ids, comma-separated
);
CREATE INDEX unanswered_user ON unanswered (user_pk, at);

-- Admins of a tenant beyond those its platform names.
CREATE TABLE tenant_admins (
	platform TEXT NOT NULL,
	tenant   TEXT NOT NULL,
	user_id  TEXT NOT NULL,
	added_by TEXT NOT NULL DEFAULT '',
	added_at INTEGER NOT NULL,
	PRIMARY KEY (platform, tenant, user_id)
) WITHOUT ROWID;

-- Small facts about the database itself (when retention last ran).
CREATE TABLE store_meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
