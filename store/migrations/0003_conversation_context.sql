-- 0003: what the bot remembers of each user's conversation between
-- messages (bot.Conversation): the last FAQ topic, the last command and its
-- words, the last task referenced, and the question the bot is waiting on.
-- One row per user; it expires 30 minutes after updated_at (the core
-- decides). Per-user through platform, tenant and user_id, so export
-- includes it and forget erases it.
CREATE TABLE conversation_context (
	platform     TEXT NOT NULL,
	tenant       TEXT NOT NULL,
	user_id      TEXT NOT NULL,
	last_topic   TEXT NOT NULL DEFAULT '',
	last_command TEXT NOT NULL DEFAULT '',
	last_args    TEXT NOT NULL DEFAULT '',
	last_task    TEXT NOT NULL DEFAULT '',
	pending      TEXT NOT NULL DEFAULT '',  -- JSON bot.Pending, '' when none
	updated_at   INTEGER NOT NULL,          -- unix milliseconds
	PRIMARY KEY (platform, tenant, user_id)
);
