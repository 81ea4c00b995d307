package bot

import (
	"context"
	"time"
)

// MaxStoredText caps the user text kept in history, in bytes.
const MaxStoredText = 1000

// Event kinds.
const (
	EventQuestion = "question" // free text answered from the FAQ
	EventCommand  = "command"  // a command such as check or history
	EventAction   = "action"   // a button press
)

// Event records one request and its reply.
type Event struct {
	ID         int64
	User       UserRef
	Time       time.Time
	Kind       string // EventQuestion, EventCommand or EventAction
	Command    string // the command's name; "ask" for questions
	Text       string // the user's text, capped at MaxStoredText
	Topic      string // FAQ entry that answered, "" when none
	Confidence float64
	Answered   bool   // false when the bot could not help
	Reply      string // the reply's text, capped at MaxStoredText
	ErrorCode  string // ErrorCode of the failure, "" on success
	Latency    time.Duration
}

// UnansweredQuestion is a question the bot could not answer.
type UnansweredQuestion struct {
	User        UserRef
	Time        time.Time
	Text        string
	Confidence  float64
	OffTopic    bool
	Suggestions []string // ids of the entries it offered instead
}

// EventRecorder keeps the history of interactions.
type EventRecorder interface {
	RecordEvent(ctx context.Context, e Event) error
}

// UnansweredLog keeps the questions the bot could not answer, so admins can
// see which FAQ entry to write next.
type UnansweredLog interface {
	LogUnanswered(ctx context.Context, q UnansweredQuestion) error
}

// AdminPolicy decides who administers a tenant beyond what the platform
// says (the console user is always an admin).
type AdminPolicy interface {
	IsAdmin(ctx context.Context, u UserRef) (bool, error)
}
