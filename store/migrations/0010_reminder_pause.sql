-- 0010: a pause of a user's reminders ("pause reminders for a week"):
-- resume_at is when nudges may go out again (Unix milliseconds), 0 when
-- they are not paused. Every nudge is scheduled at or after it, and one
-- that comes due before it anyway waits for it.
ALTER TABLE reminders ADD COLUMN resume_at INTEGER NOT NULL DEFAULT 0;
