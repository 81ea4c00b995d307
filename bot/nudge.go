package bot

import (
	"context"
	"time"
)

// Nudge kinds: what a scheduled message is about.
const (
	NudgeTask    = "task"    // a reminder to do one task of the plan
	NudgeSummary = "summary" // the weekly summary
	NudgeRecheck = "recheck" // "time to re-check your numbers"
	NudgeReady   = "ready"   // "your new check passes: time to reapply"
	// NudgeSnooze is a task nudge the user asked for again later: an
	// extra that moves no regular nudge and is not counted as one.
	NudgeSnooze = "snooze"
)

// Nudge statuses. A nudge is pending until a dispatcher claims it; claimed
// while one holds its lease; then sent, dead (gave up, with the reason) or
// canceled (the user opted out or the task went away).
const (
	NudgePending  = "pending"
	NudgeClaimed  = "claimed"
	NudgeSent     = "sent"
	NudgeDead     = "dead"
	NudgeCanceled = "canceled"
)

// NudgeStatuses lists every status, for validating filters.
var NudgeStatuses = []string{NudgePending, NudgeClaimed, NudgeSent, NudgeDead, NudgeCanceled}

// Nudge is one scheduled message to a user: a row of the schedule, not a
// timer in memory.
type Nudge struct {
	ID     int64
	User   UserRef
	Kind   string // NudgeTask, NudgeSummary, NudgeRecheck, NudgeReady or NudgeDate
	TaskID string // the task of a task nudge; the check id of a ready nudge
	// Slot is when it was meant to go out (a reminder firing); Due is the
	// earliest time a dispatcher may take it: the slot, a retry time, or
	// the end of a lease while claimed.
	Slot, Due time.Time
	Status    string
	Attempts  int    // failed deliveries so far
	Key       string // idempotency key: at most 25 ASCII letters and digits
	LastError string // why the last attempt failed, or why it is dead
	SentAt    time.Time
	CreatedAt time.Time
	// MaybeSent reports that an earlier attempt was handed to the platform
	// and its outcome never recorded (a crash, a timeout): the user may
	// already have it.
	MaybeSent bool
}

// NudgeFilter selects nudges for listing or re-queueing. Zero fields match
// everything.
type NudgeFilter struct {
	Status string
	User   UserRef // matched on the parts that are set
	Limit  int
}

// ClaimRequest asks for due nudges.
type ClaimRequest struct {
	Owner      string    // who holds the lease
	Now        time.Time // nudges with Due <= Now are due
	LeaseUntil time.Time // the lease ends then; an unfinished claim is due again
	// MaxLease is the longest a claim may still have to run: a claimed
	// nudge whose lease ends later than Now+MaxLease is taken too (the
	// clock went back since it was claimed). 0 means no cap.
	MaxLease  time.Duration
	Limit     int
	Platforms []string // only these platforms; nil for all
	User      UserRef  // only this user when set (the console)
}

// SentNudge is a delivery to record.
type SentNudge struct {
	ID   int64
	At   time.Time
	Next *Nudge // the nudge to schedule after it, or nil
}

// NudgeQueue is the durable schedule the dispatcher works from. Every
// method that changes a claimed nudge names the owner, and changes nothing
// (reporting false) when the nudge is no longer that owner's claim: it was
// canceled, erased, or its lease ran out and another dispatcher took it.
type NudgeQueue interface {
	// ClaimDue leases up to Limit due nudges, oldest first.
	ClaimDue(ctx context.Context, r ClaimRequest) ([]Nudge, error)
	// Held reports whether the nudge is still claimed by owner with its
	// lease ending after until: the read-only fence checked just before
	// each send.
	Held(ctx context.Context, id int64, owner string, until time.Time) (bool, error)
	// MarkSending records that the owner's claimed nudges are about to be
	// handed to the platform, so a later claim of any of them knows it may
	// have been shown (Nudge.MaybeSent). It returns how many it marked.
	MarkSending(ctx context.Context, owner string, ids []int64, at time.Time) (int, error)
	// Renew extends a claim (a send that waited long for its turn).
	Renew(ctx context.Context, id int64, owner string, until time.Time) (bool, error)
	// MarkSent records deliveries and, in the same transaction, schedules
	// each one's successor (when not nil), skipping nudges that are no
	// longer owner's claim. It returns how many it recorded.
	MarkSent(ctx context.Context, owner string, sent []SentNudge) (int, error)
	// Release puts a claimed nudge back to pending, due at due, with the
	// reason; countAttempt adds one failed attempt.
	Release(ctx context.Context, id int64, owner string, due time.Time, reason string, countAttempt bool) (bool, error)
	// Finish ends a claimed nudge as dead or canceled with the reason.
	Finish(ctx context.Context, id int64, owner, status, reason string) (bool, error)
	// NextDue returns the earliest Due among pending and claimed nudges
	// the request selects (Owner, Now and Limit are ignored).
	NextDue(ctx context.Context, r ClaimRequest) (time.Time, bool, error)
	// ListNudges lists nudges, newest slot first.
	ListNudges(ctx context.Context, f NudgeFilter) ([]Nudge, error)
	// RetryDead re-queues dead nudges as pending, due now, with no failed
	// attempts, and returns how many.
	RetryDead(ctx context.Context, f NudgeFilter, now time.Time) (int, error)
}
