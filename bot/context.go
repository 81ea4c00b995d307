package bot

import (
	"context"
	"sync"
	"time"
)

// ContextTTL is how long a conversation's context stays good: a follow-up
// or an answer to the bot's question later than this starts afresh.
const ContextTTL = 30 * time.Minute

// Conversation is what the bot remembers of a user's conversation between
// messages, so follow-ups ("what about tiktok?", "yes", "how long?")
// resolve against what came before. It is kept per user in a ContextStore.
type Conversation struct {
	User UserRef
	// LastTopic is the FAQ entry last answered, "" when none.
	LastTopic string
	// LastCommand and LastArgs are the last command that ran and the
	// free text it ran with ("commission", "beauty 100").
	LastCommand string
	LastArgs    string
	// LastTask is the task id last referenced (done, skip, snooze).
	LastTask string
	// Pending is the question the bot is waiting on an answer to; nil
	// when none.
	Pending *Pending
	// Updated is when the context last changed; it expires ContextTTL
	// later.
	Updated time.Time
}

// Pending is a question the bot asked: the choices it offered (the
// reply's buttons), and for questions answered with numbers that are not
// button positions ("plan accept 1 3"), the command and words a number
// answer runs.
type Pending struct {
	// Command is the command that asked ("forget", "plan", "remind", "ask").
	Command string `json:"command"`
	// Choices are the buttons the question offered, in order.
	Choices []Button `json:"choices"`
	// NumberArgs, when set, runs Command with NumberArgs and the numbers
	// typed ("accept" + " 1 3").
	NumberArgs string `json:"number_args,omitempty"`
	// NumbersOnly marks choices offered in passing (an answer's related
	// topics): a number picks one, but yes, no and words are not answers.
	NumbersOnly bool `json:"numbers_only,omitempty"`
	// YesNo marks a command's yes/no Question: Choices[0] is what "yes"
	// runs and Choices[1], when present, what "no" runs.
	YesNo bool `json:"yes_no,omitempty"`
}

// ContextStore keeps each user's Conversation. Forgetting a user erases
// it with the rest of their data.
type ContextStore interface {
	// LoadContext returns the user's stored context, and false when there
	// is none. Expiry is the caller's business (Updated).
	LoadContext(ctx context.Context, u UserRef) (Conversation, bool, error)
	// SaveContext stores c for c.User, replacing what was there.
	SaveContext(ctx context.Context, c Conversation) error
}

// MemoryContext keeps contexts in memory: the default when no database is
// configured. It is safe for concurrent use.
type MemoryContext struct {
	mu sync.Mutex
	m  map[UserRef]Conversation
}

// NewMemoryContext returns an empty MemoryContext.
func NewMemoryContext() *MemoryContext { return &MemoryContext{m: map[UserRef]Conversation{}} }

// LoadContext implements ContextStore.
func (m *MemoryContext) LoadContext(_ context.Context, u UserRef) (Conversation, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.m[u]
	if ok && c.Pending != nil {
		p := *c.Pending
		p.Choices = append([]Button(nil), p.Choices...)
		c.Pending = &p
	}
	return c, ok, nil
}

// SaveContext implements ContextStore.
func (m *MemoryContext) SaveContext(_ context.Context, c Conversation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.m) >= memoryContextSweep {
		// Expired contexts are worth nothing; drop them rather than grow.
		for u, old := range m.m {
			if c.Updated.Sub(old.Updated) > ContextTTL {
				delete(m.m, u)
			}
		}
	}
	m.m[c.User] = c
	return nil
}

// memoryContextSweep is the number of users above which MemoryContext
// drops expired contexts as it saves.
const memoryContextSweep = 10000

// ForgetContext drops the user's context (forget me without a database).
func (m *MemoryContext) ForgetContext(u UserRef) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, u)
}

// loadContext returns the user's live context: an empty one when none is
// stored, it expired, or the store failed (logged; a conversation goes on
// without its context rather than failing).
func (b *Bot) loadContext(ctx context.Context, u UserRef) (c Conversation, read bool) {
	c, ok, err := b.cfg.Context.LoadContext(ctx, u)
	if err != nil {
		b.log.WarnContext(ctx, "load conversation context", "user", u.String(), "err", err)
		return Conversation{User: u}, false
	}
	if !ok || b.now().Sub(c.Updated) > ContextTTL {
		return Conversation{User: u}, true
	}
	c.User = u
	return c, true
}

// saveContext stores c; ctx is handle's bounded, detached context (see
// dispatch).
func (b *Bot) saveContext(ctx context.Context, c Conversation) {
	if err := b.cfg.Context.SaveContext(ctx, c); err != nil {
		b.log.WarnContext(ctx, "save conversation context", "user", c.User.String(), "err", err)
	}
}
