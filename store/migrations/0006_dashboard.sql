-- 0006: the admin dashboard (internal/dashboard): sign-in links, sessions,
-- read/write roles, each workspace's own FAQ entries and edits, the
-- unanswered questions admins dealt with, and the audit log.
--
-- Sign-in tokens and session ids are random 256-bit values; only their
-- SHA-256 (hex) is stored, so a copy of the database signs nobody in. Their
-- user column is `account`, not user_id: they are credentials, not history,
-- and stay out of a user's export.

CREATE TABLE dashboard_tokens (
	token_hash     TEXT PRIMARY KEY,
	platform       TEXT NOT NULL,
	tenant         TEXT NOT NULL,
	account        TEXT NOT NULL,
	platform_admin INTEGER NOT NULL DEFAULT 0, -- the platform said admin when the link was made
	created_at     INTEGER NOT NULL,
	expires_at     INTEGER NOT NULL,
	used_at        INTEGER NOT NULL DEFAULT 0  -- 0 until spent; spent once
);

CREATE TABLE dashboard_sessions (
	id_hash    TEXT PRIMARY KEY,
	platform   TEXT NOT NULL,
	tenant     TEXT NOT NULL,
	account    TEXT NOT NULL,
	role       TEXT NOT NULL,    -- read or write
	created_at INTEGER NOT NULL,
	seen_at    INTEGER NOT NULL, -- for the idle timeout
	expires_at INTEGER NOT NULL  -- the absolute timeout
);
CREATE INDEX dashboard_sessions_account ON dashboard_sessions (platform, tenant, account);

-- Dashboard rights granted beyond the admins (who always have write).
CREATE TABLE dashboard_roles (
	platform TEXT NOT NULL,
	tenant   TEXT NOT NULL,
	user_id  TEXT NOT NULL,
	role     TEXT NOT NULL, -- read or write
	added_by TEXT NOT NULL DEFAULT '',
	added_at INTEGER NOT NULL,
	PRIMARY KEY (platform, tenant, user_id)
);

-- A workspace's FAQ overrides, one per entry id, applied on top of the
-- shipped knowledge (knowledge.Base.WithOverrides): title and answer ''
-- keep the shipped ones, phrasings (one per line) are added to the
-- entry's, hidden removes the entry in this workspace.
CREATE TABLE workspace_faq (
	platform   TEXT NOT NULL,
	tenant     TEXT NOT NULL,
	entry_id   TEXT NOT NULL,
	title      TEXT NOT NULL DEFAULT '',
	answer     TEXT NOT NULL DEFAULT '',
	phrasings  TEXT NOT NULL DEFAULT '',
	hidden     INTEGER NOT NULL DEFAULT 0,
	updated_by TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (platform, tenant, entry_id)
);

-- Bumped with every change to a workspace's overrides, in the same
-- transaction: a process answering questions rebuilds its index for the
-- workspace when the number it built from is behind.
CREATE TABLE workspace_knowledge (
	platform TEXT NOT NULL,
	tenant   TEXT NOT NULL,
	revision INTEGER NOT NULL,
	PRIMARY KEY (platform, tenant)
);

-- Unanswered questions (grouped by unanswered.norm) an admin dealt with:
-- answered, added as a phrasing, or dismissed. The queue hides a group
-- until it is asked again after resolved_at.
CREATE TABLE unanswered_resolved (
	platform    TEXT NOT NULL,
	tenant      TEXT NOT NULL,
	norm        TEXT NOT NULL,
	resolution  TEXT NOT NULL,            -- answered, phrasing or dismissed
	entry_id    TEXT NOT NULL DEFAULT '',
	resolved_by TEXT NOT NULL DEFAULT '',
	resolved_at INTEGER NOT NULL,
	PRIMARY KEY (platform, tenant, norm)
);

-- Every sign-in and change made in the dashboard: who, what, before, after.
CREATE TABLE dashboard_audit (
	id          INTEGER PRIMARY KEY,
	platform    TEXT NOT NULL,
	tenant      TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	subject     TEXT NOT NULL DEFAULT '',
	before_text TEXT NOT NULL DEFAULT '',
	after_text  TEXT NOT NULL DEFAULT '',
	at          INTEGER NOT NULL
);
CREATE INDEX dashboard_audit_tenant ON dashboard_audit (platform, tenant, at);
