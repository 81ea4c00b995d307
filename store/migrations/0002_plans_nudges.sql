-- 0002: engagement plans, task progress, reminder settings and the nudge
-- schedule. Every table is per-user through platform, tenant and user_id,
-- so export includes its rows and forget erases them.

-- The plan last proposed to a user, so "plan accept 1 3" means what they
-- saw. tasks is JSON: [{"task_id", "criterion", "reason"}].
CREATE TABLE plans (
	platform   TEXT NOT NULL,
	tenant     TEXT NOT NULL,
	user_id    TEXT NOT NULL,
	check_id   INTEGER NOT NULL DEFAULT 0,
	tasks      TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (platform, tenant, user_id)
);

-- The tasks a user accepted and how they are going.
CREATE TABLE tasks (
	platform     TEXT NOT NULL,
	tenant       TEXT NOT NULL,
	user_id      TEXT NOT NULL,
	task_id      TEXT NOT NULL,             -- knowledge/tasks id
	status       TEXT NOT NULL,             -- active or done
	criterion    TEXT NOT NULL DEFAULT '',  -- the gap it was chosen for
	reason       TEXT NOT NULL DEFAULT '',  -- that gap in the user's numbers
	accepted_at  INTEGER NOT NULL,
	last_done_at INTEGER NOT NULL DEFAULT 0,
	streak       INTEGER NOT NULL DEFAULT 0,
	best_streak  INTEGER NOT NULL DEFAULT 0,
	done_count   INTEGER NOT NULL DEFAULT 0,
	skip_count   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (platform, tenant, user_id, task_id)
);

-- What users did with their tasks (accept, done, skip, snooze, clear), for
-- the weekly summary.
CREATE TABLE task_events (
	id       INTEGER PRIMARY KEY,
	platform TEXT NOT NULL,
	tenant   TEXT NOT NULL,
	user_id  TEXT NOT NULL,
	task_id  TEXT NOT NULL DEFAULT '',
	kind     TEXT NOT NULL,
	at       INTEGER NOT NULL
);
CREATE INDEX task_events_user ON task_events (platform, tenant, user_id, at);

-- When and how a user wants nudges. every is daily, weekdays, weekly or ''
-- (reminders off); minute is the local time of day; zone an IANA name.
CREATE TABLE reminders (
	platform    TEXT NOT NULL,
	tenant      TEXT NOT NULL,
	user_id     TEXT NOT NULL,
	every       TEXT NOT NULL DEFAULT '',
	weekday     INTEGER NOT NULL DEFAULT 0,
	minute      INTEGER NOT NULL DEFAULT 0,
	zone        TEXT NOT NULL DEFAULT '',
	quiet       TEXT NOT NULL DEFAULT '',   -- "22:00-08:00", "off", '' = default
	stopped     INTEGER NOT NULL DEFAULT 0, -- the user said stop
	unreachable TEXT NOT NULL DEFAULT '',   -- why they cannot be messaged
	updated_at  INTEGER NOT NULL,
	PRIMARY KEY (platform, tenant, user_id)
);

-- The schedule: one row per message the bot will start on its own. A
-- dispatcher claims due rows with a lease (status claimed, lease_owner,
-- due_at = the lease's end, so an abandoned claim is simply due again),
-- renews the lease just before sending (the fence against opt-outs), and
-- records the send. idem_key travels to the platform (Discord's nonce), so
-- a send repeated after a crash is dropped there.
CREATE TABLE nudges (
	id          INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, even after forget
	platform    TEXT NOT NULL,
	tenant      TEXT NOT NULL,
	user_id     TEXT NOT NULL,
	kind        TEXT NOT NULL,             -- task, summary, recheck or ready
	task_id     TEXT NOT NULL DEFAULT '',
	slot_at     INTEGER NOT NULL,          -- when it was meant to go out
	due_at      INTEGER NOT NULL,          -- not before: slot, retry time or lease end
	status      TEXT NOT NULL,             -- pending, claimed, sent, dead, canceled
	attempts    INTEGER NOT NULL DEFAULT 0,
	idem_key    TEXT NOT NULL UNIQUE,
	lease_owner TEXT NOT NULL DEFAULT '',
	last_error  TEXT NOT NULL DEFAULT '',
	sent_at     INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
-- What is due: only live rows, ordered by due time (the dispatcher's poll).
CREATE INDEX nudges_due ON nudges (due_at) WHERE status IN ('pending', 'claimed');
-- At most one live nudge per user, kind and task: the catch-up rule (a
-- missed week is one nudge per task, not seven) holds in the schema.
CREATE UNIQUE INDEX nudges_live ON nudges (platform, tenant, user_id, kind, task_id) WHERE status IN ('pending', 'claimed');
-- A user's nudges of any status (export, forget, the admin listing). No
-- index on status alone: every extra index is paid on each claim and send,
-- and listing all dead nudges is a rare admin scan.
CREATE INDEX nudges_user ON nudges (platform, tenant, user_id, slot_at);
