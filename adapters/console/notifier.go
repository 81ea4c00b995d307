package console

import (
	"context"
	"fmt"
	"sync"

	"github.com/influbot/influbot/bot"
)

// Notifier delivers nudges to the person at this terminal: it prints them
// between prompts (Console.Deliver), numbering their buttons like any
// reply. Like Discord with enforce_nonce, it drops a message whose
// idempotency key it has already shown, so a nudge re-sent after a crash
// appears once.
type Notifier struct {
	Console *Console

	mu   sync.Mutex
	seen map[string]bool
}

// Notify implements bot.Notifier.
func (n *Notifier) Notify(ctx context.Context, u bot.UserRef, r bot.Reply, key string) error {
	if u != n.Console.User {
		// Only the user at this terminal can read it; the dispatcher of
		// "influbot chat" asks for no one else's nudges.
		return fmt.Errorf("console: %s is not the user at this terminal (%s)", u, n.Console.User)
	}
	n.mu.Lock()
	if n.seen == nil {
		n.seen = map[string]bool{}
	}
	if key != "" && n.seen[key] {
		n.mu.Unlock()
		return nil
	}
	n.seen[key] = true
	n.mu.Unlock()
	return n.Console.Deliver(ctx, r)
}
