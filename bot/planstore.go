package bot

import (
	"context"
	"time"
)

// Task statuses.
const (
	TaskActive = "active" // in the plan, nudged
	TaskDone   = "done"   // a one-off task that was completed
)

// TaskState is one task of a user's plan and how it is going.
type TaskState struct {
	User       UserRef
	TaskID     string
	Status     string // TaskActive or TaskDone
	Criterion  string // the gap it was chosen for
	Reason     string // that gap in the user's numbers, quoted in nudges
	AcceptedAt time.Time
	LastDone   time.Time // zero when never
	// LastNudged is when the task's last regular nudge went out or it was
	// skipped (zero when never): with LastDone, the anchor the next nudge
	// is counted from.
	LastNudged time.Time
	// SnoozedUntil is where a snooze moved the task's next regular nudge
	// (zero when none did): settings changes keep the move.
	SnoozedUntil time.Time
	Streak       int // completions in a row, each within the rhythm
	Best         int
	DoneCount    int
	SkipCount    int
}

// ProposedTask is one task of a proposed plan.
type ProposedTask struct {
	TaskID    string
	Criterion string
	Reason    string
}

// Proposal is the plan last proposed to a user, kept until accepted so
// "plan accept 1 3" means what the user saw.
type Proposal struct {
	User    UserRef
	CheckID int64
	Tasks   []ProposedTask
	Created time.Time
}

// Reminder is a user's nudge settings.
type Reminder struct {
	User UserRef
	// Every is "daily", "weekdays", "weekly" or "" when task reminders
	// are off; Day is the weekday of a weekly reminder; Minute the local
	// time of day in minutes; Zone an IANA name.
	Every   string
	Day     time.Weekday
	Minute  int
	Zone    string
	Quiet   string // "22:00-08:00", "off", or "" for the default
	Stopped bool   // "stop": no message the bot starts on its own
	// Unreachable is why the user cannot be messaged ("" when they can);
	// nothing is scheduled for them until they talk to the bot again.
	Unreachable string
	// ResumeAt ends a pause ("pause reminders for a week"): no nudge goes
	// out before it. Zero when reminders are not paused.
	ResumeAt time.Time
	Updated  time.Time
}

// TaskEvent is one thing a user did with a task, kept for the weekly
// summary.
type TaskEvent struct {
	User   UserRef
	TaskID string
	Kind   string // "accept", "done", "skip", "snooze", "clear"
	Time   time.Time
}

// PlanStore keeps plans, task progress, reminder settings and the user's
// side of the nudge schedule.
type PlanStore interface {
	SaveProposal(ctx context.Context, p Proposal) error
	// LatestProposal returns the last proposal, ok false when none.
	LatestProposal(ctx context.Context, u UserRef) (Proposal, bool, error)

	// Tasks returns the user's tasks (active and completed one-offs) in
	// the order they were accepted.
	Tasks(ctx context.Context, u UserRef) ([]TaskState, error)
	// SaveTask inserts or updates one task of the plan.
	SaveTask(ctx context.Context, t TaskState) error
	// ClearTasks removes every task of the user's plan and cancels their
	// nudges, returning how many tasks there were.
	ClearTasks(ctx context.Context, u UserRef) (int, error)
	LogTaskEvent(ctx context.Context, e TaskEvent) error
	// TaskEvents returns the user's events at or after since, oldest first.
	TaskEvents(ctx context.Context, u UserRef, since time.Time) ([]TaskEvent, error)

	// Reminder returns the user's settings, ok false when never set.
	Reminder(ctx context.Context, u UserRef) (Reminder, bool, error)
	SaveReminder(ctx context.Context, r Reminder) error

	// Reschedule cancels the user's pending and claimed nudges of the
	// given kinds (all kinds when kinds is empty), only those of taskID
	// when it is not "", then adds add, in one transaction. It returns
	// how many it canceled.
	Reschedule(ctx context.Context, u UserRef, kinds []string, taskID string, add []Nudge) (int, error)
	// Enqueue adds a nudge unless one with the same key exists or the
	// same kind and task is already pending; it reports whether it did.
	Enqueue(ctx context.Context, n Nudge) (bool, error)
	// LiveNudges returns the user's pending and claimed nudges, soonest
	// first.
	LiveNudges(ctx context.Context, u UserRef) ([]Nudge, error)
	// LastSent returns when the user's last nudge of kind was sent, zero
	// when never.
	LastSent(ctx context.Context, u UserRef, kind string) (time.Time, error)
}
