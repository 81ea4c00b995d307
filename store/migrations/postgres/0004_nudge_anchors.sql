-- PostgreSQL twin of ../0004_nudge_anchors.sql (see 0001 for the type mapping).
-- 0004: what the schedule needs to remember between nudges.
--
-- tasks.last_nudged_at is when the task's last regular nudge went out, or
-- when it was skipped: with last_done_at it is the anchor each task's next
-- nudge is counted from, so settings changes recompute the schedule
-- without restarting any rhythm.
--
-- tasks.snoozed_until is where a snooze moved the task's next regular
-- nudge (when it landed past it), so recomputing after a settings change
-- keeps the move.
--
-- nudges.sending_at is set just before a nudge is handed to the platform
-- and kept until the send is recorded: a row claimed again with it set may
-- already have been shown, and the adapter is told so (bot.Outgoing's
-- MaybeSent) and can look before posting again.
ALTER TABLE tasks ADD COLUMN last_nudged_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN snoozed_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE nudges ADD COLUMN sending_at BIGINT NOT NULL DEFAULT 0;

-- Claimed rows only (a handful at any time): how a claim finds a lease
-- that ends implausibly far ahead because the clock went back.
CREATE INDEX nudges_claimed ON nudges (due_at) WHERE status = 'claimed';
