-- PostgreSQL twin of ../0010_reminder_pause.sql (see 0001 for the type mapping).
-- 0010: resume_at is when a paused user's nudges may go out again (Unix
-- milliseconds), 0 when they are not paused.
ALTER TABLE reminders ADD COLUMN resume_at BIGINT NOT NULL DEFAULT 0;
