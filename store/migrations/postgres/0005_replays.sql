-- PostgreSQL twin of ../0005_replays.sql (see 0001 for the type mapping).
-- 0005: requests already handled, remembered across restarts for as long
-- as the platform may send them again: a replayed Slack slash command
-- (same signature) or a retried event (same event id) within Slack's
-- five-minute window, and the idempotency keys of nudges whose post may
-- have reached the platform. Keys are opaque (a hash or an id, never user
-- text); rows are deleted once they expire.
CREATE TABLE replays (
	key        TEXT COLLATE "C" PRIMARY KEY,
	expires_at BIGINT NOT NULL
);

CREATE INDEX replays_expiry ON replays (expires_at);
