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

// CheckRecord is a stored eligibility check: the creator's numbers and the
// verdict, so progress can be shown over time. Missing inputs are nil.
type CheckRecord struct {
	ID              int64
	User            UserRef
	Time            time.Time
	Platform        string
	Followers       int64
	Likes           *float64
	Comments        *float64
	Shares          *float64
	Views           *float64
	PostsPerWeek    *float64
	Niche           string
	EngagementRate  float64
	EngagementBasis string // "followers" or "views"
	ViewRate        *float64
	Verdict         string // "ready", "borderline" or "not_yet"
	Score           int
	// Result is the whole check result as JSON, exactly what
	// "influbot check --json" prints.
	Result []byte
}

// CheckStore keeps eligibility checks.
type CheckStore interface {
	SaveCheck(ctx context.Context, c CheckRecord) (int64, error)
	// LatestChecks returns the user's most recent checks, newest first.
	LatestChecks(ctx context.Context, u UserRef, limit int) ([]CheckRecord, error)
}
