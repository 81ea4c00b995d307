-- PostgreSQL twin of ../0009_event_context.sql (see 0001 for the type mapping).
-- 0009: the conversation context a request leaves, kept on that request's
-- event instead of rewriting the user's conversation_context row; NULL on
-- events that carry none. Reading a user's context takes the newer of the
-- event's and the table's (by its own updated_at).
ALTER TABLE events ADD COLUMN context TEXT COLLATE "C";
