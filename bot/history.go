package bot

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode"

	"github.com/influbot/influbot/bot/eligibility"
)

// MaxStoredText caps the user text kept in history, in bytes.
const MaxStoredText = 1000

// Event kinds.
const (
	EventQuestion = "question" // free text answered from the FAQ
	EventCommand  = "command"  // a command such as check or history
	EventAction   = "action"   // a button press
	EventChat     = "chat"     // small talk: thanks, greetings, "what now?"
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
	// OneOffReply marks a reply made from this request's own input (a
	// check's verdict on the creator's numbers), which no other request
	// will get word for word: the store keeps it without looking for an
	// earlier copy to share.
	OneOffReply bool
	// KnowledgeReply marks a reply that is a knowledge entry's answer
	// word for word (nothing of the user's in it, nothing added): the
	// store keeps one copy for every event that gave it, apart from the
	// replies a user's own request shaped, and keeps it when it forgets a
	// user.
	KnowledgeReply bool
	ErrorCode      string // ErrorCode of the failure, "" on success
	Latency        time.Duration
	// Discard asks the core not to record this interaction at all: a
	// command sets it when keeping the record would undo what it did
	// (forget me).
	Discard bool
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
	ID int64
	// WantID asks SaveCheck for the stored check's id, which it then
	// waits for the commit to return; without it SaveCheck may return
	// 0 and commit the check just behind the answer.
	WantID          bool
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

// Engagement returns the check's engagement rate in percent, and false
// when it was not measured: without likes, or with nothing to divide by.
// EngagementRate alone is 0 then, which would read as "no engagement".
func (c CheckRecord) Engagement() (float64, bool) {
	if c.Likes == nil {
		return 0, false
	}
	if c.EngagementBasis == eligibility.BasisViews {
		return c.EngagementRate, c.Views != nil && *c.Views > 0
	}
	return c.EngagementRate, c.Followers > 0
}

// CheckStore keeps eligibility checks.
type CheckStore interface {
	SaveCheck(ctx context.Context, c CheckRecord) (int64, error)
	// LatestChecks returns the user's most recent checks, newest first.
	LatestChecks(ctx context.Context, u UserRef, limit int) ([]CheckRecord, error)
}

// HistoryStore reads and erases what is stored about users. The history,
// export, forget and unanswered commands need it; without one they say
// that no history is kept.
type HistoryStore interface {
	// RecentEvents returns the user's most recent events of one kind
	// (EventQuestion, ...; "" for any), newest first.
	RecentEvents(ctx context.Context, u UserRef, kind string, limit int) ([]Event, error)
	// Export returns everything stored about the user. A user with no
	// stored data gets an export with empty lists, not an error.
	Export(ctx context.Context, u UserRef) (*UserExport, error)
	// Forget erases every row about the user and reports what went.
	Forget(ctx context.Context, u UserRef) (ForgetReport, error)
	// UnansweredTopics lists the questions nobody in tenant t got an
	// answer to, grouped by NormalizeQuestion and OffTopic, most asked
	// first.
	UnansweredTopics(ctx context.Context, t TenantRef, limit int) ([]UnansweredTopic, error)
}

// AdminStore keeps each tenant's list of admins, beyond those the platform
// names (Discord Manage Server, Slack workspace admins).
type AdminStore interface {
	AdminPolicy
	// AddAdmin makes userID an admin of t; adding an admin twice is not an
	// error.
	AddAdmin(ctx context.Context, t TenantRef, userID, addedBy string) error
	// RemoveAdmin reports whether userID was on t's list.
	RemoveAdmin(ctx context.Context, t TenantRef, userID string) (bool, error)
	// Admins returns t's list, oldest first.
	Admins(ctx context.Context, t TenantRef) ([]TenantAdmin, error)
}

// TenantAdmin is one entry of a tenant's admin list.
type TenantAdmin struct {
	UserID  string
	AddedBy string // user id of the admin who added them, "" when unknown
	AddedAt time.Time
}

// UnansweredTopic is one question the bot could not answer, with every
// rewording that normalizes to the same text counted together.
type UnansweredTopic struct {
	Text  string // the most recent wording
	Count int    // times asked
	Users int    // distinct users who asked
	First time.Time
	Last  time.Time
	// OffTopic marks questions the bot declined as outside the program;
	// the others are in scope but it was not sure which answer fits.
	// The same words are counted apart when they were judged both ways.
	OffTopic bool
}

// ForgetReport says what Forget erased: rows per table ("events",
// "checks", "tasks", ...).
type ForgetReport struct {
	Rows map[string]int64
}

// Total is the number of rows erased.
func (r ForgetReport) Total() int64 {
	var n int64
	for _, v := range r.Rows {
		n += v
	}
	return n
}

// UserExport is everything stored about one user, as "export" and
// "influbot export" print it. Every list is present, empty when there is
// nothing.
type UserExport struct {
	User       ExportedUser         `json:"user"`
	Events     []ExportedEvent      `json:"events"`
	Checks     []ExportedCheck      `json:"checks"`
	Tasks      []ExportedRow        `json:"tasks"`
	Nudges     []ExportedRow        `json:"nudges"`
	Unanswered []ExportedUnanswered `json:"unanswered"`
	// Other holds rows of further per-user tables (admin entries, plans,
	// reminders, ...) by table name.
	Other map[string][]ExportedRow `json:"other,omitempty"`
}

// ExportedUser identifies the user of an export. FirstSeen and LastSeen
// are nil when nothing is stored about them.
type ExportedUser struct {
	Ref        string     `json:"ref"` // platform:tenant:user
	Platform   string     `json:"platform"`
	Tenant     string     `json:"tenant"`
	ID         string     `json:"id"`
	FirstSeen  *time.Time `json:"first_seen"`
	LastSeen   *time.Time `json:"last_seen"`
	ExportedAt time.Time  `json:"exported_at"`
}

// ExportedEvent is one recorded request and its reply.
type ExportedEvent struct {
	ID         int64     `json:"id"`
	Time       time.Time `json:"time"`
	Kind       string    `json:"kind"`
	Command    string    `json:"command"`
	Text       string    `json:"text"`
	Topic      string    `json:"topic"`
	Confidence float64   `json:"confidence"`
	Answered   bool      `json:"answered"`
	Reply      string    `json:"reply"`
	ErrorCode  string    `json:"error_code"`
	LatencyMS  float64   `json:"latency_ms"`
}

// ExportedCheck is one stored eligibility check; Result is the JSON that
// "influbot check --json" printed.
type ExportedCheck struct {
	ID              int64           `json:"id"`
	Time            time.Time       `json:"time"`
	Platform        string          `json:"platform"`
	Followers       int64           `json:"followers"`
	Likes           *float64        `json:"likes"`
	Comments        *float64        `json:"comments"`
	Shares          *float64        `json:"shares"`
	Views           *float64        `json:"views"`
	PostsPerWeek    *float64        `json:"posts_per_week"`
	Niche           string          `json:"niche"`
	EngagementRate  *float64        `json:"engagement_rate"` // null when not measured
	EngagementBasis string          `json:"engagement_basis"`
	ViewRate        *float64        `json:"view_rate"`
	Verdict         string          `json:"verdict"`
	Score           int             `json:"score"`
	Result          json.RawMessage `json:"result"`
}

// ExportedUnanswered is one question of the user's the bot could not
// answer.
type ExportedUnanswered struct {
	Time        time.Time `json:"time"`
	Text        string    `json:"text"`
	Confidence  float64   `json:"confidence"`
	OffTopic    bool      `json:"off_topic"`
	Suggestions []string  `json:"suggestions"`
}

// ExportedRow is a row of a per-user table, column name to value.
type ExportedRow map[string]any

// NormalizeQuestion reduces a question to the form unanswered questions
// are grouped by: lower case, letters and digits only, single spaces, so
// "How do I link TikTok??" and "how do i link tiktok" count as one.
func NormalizeQuestion(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = false
			sb.WriteRune(r)
		case r == '\'' || r == '’':
			// "what's" and "whats" are the same question.
		default:
			space = true
		}
	}
	return sb.String()
}
