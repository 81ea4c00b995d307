-- PostgreSQL twin of ../0003_conversation_context.sql (see 0001 for the type mapping).
-- 0003: what the bot remembers of each user's conversation between
-- messages (bot.Conversation): the last FAQ topic, the last command and its
-- words, the last task referenced, and the question the bot is waiting on.
-- One row per user; it expires 30 minutes after updated_at (the core
-- decides). Per-user through platform, tenant and user_id, so export
-- includes it and forget erases it.
CREATE TABLE conversation_context (
	platform     TEXT COLLATE "C" NOT NULL,
	tenant       TEXT COLLATE "C" NOT NULL,
	user_id      TEXT COLLATE "C" NOT NULL,
	last_topic   TEXT COLLATE "C" NOT NULL DEFAULT '',
	last_command TEXT COLLATE "C" NOT NULL DEFAULT '',
	last_args    TEXT COLLATE "C" NOT NULL DEFAULT '',
	last_task    TEXT COLLATE "C" NOT NULL DEFAULT '',
	pending      TEXT COLLATE "C" NOT NULL DEFAULT '',  -- JSON bot.Pending, '' when none
	updated_at   BIGINT NOT NULL,          -- unix milliseconds
	PRIMARY KEY (platform, tenant, user_id)
);
