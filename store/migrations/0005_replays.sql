-- 0005: requests already handled, remembered across restarts for as long
-- as the platform may send them again: a replayed Slack slash command
-- (same signature) or a retried event (same event id) within Slack's
-- five-minute window, and the idempotency keys of nudges whose post may
-- have reached the platform. Keys are opaque (a hash or an id, never user
-- text); rows are deleted once they expire.
CREATE TABLE replays (
	key        TEXT PRIMARY KEY,
	expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX replays_expiry ON replays (expires_at);
