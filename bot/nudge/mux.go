package nudge

import (
	"context"
	"fmt"
	"sync"

	"github.com/influbot/influbot/bot"
)

// Mux is a bot.Notifier that routes each notification to the notifier of
// the user's platform. Adapters register themselves as they start; it is
// safe for concurrent use.
type Mux struct {
	mu sync.RWMutex
	by map[string]bot.Notifier
}

// Register sets the notifier for a platform.
func (m *Mux) Register(platform string, n bot.Notifier) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.by == nil {
		m.by = map[string]bot.Notifier{}
	}
	m.by[platform] = n
}

// Notify implements bot.Notifier.
func (m *Mux) Notify(ctx context.Context, u bot.UserRef, r bot.Reply, key string) error {
	m.mu.RLock()
	n, ok := m.by[u.Platform]
	m.mu.RUnlock()
	if !ok {
		return fmt.Errorf("notify %s: no adapter for platform %q is running", u, u.Platform)
	}
	return n.Notify(ctx, u, r, key)
}

// NotifyNudge implements bot.NudgeNotifier: it passes o to the platform's
// notifier, through NotifyNudge when it has it.
func (m *Mux) NotifyNudge(ctx context.Context, o bot.Outgoing) error {
	m.mu.RLock()
	n, ok := m.by[o.User.Platform]
	m.mu.RUnlock()
	if !ok {
		return fmt.Errorf("notify %s: no adapter for platform %q is running", o.User, o.User.Platform)
	}
	return notifyNudge(ctx, n, o)
}

// notifyNudge hands o to n, through NotifyNudge when n has it.
func notifyNudge(ctx context.Context, n bot.Notifier, o bot.Outgoing) error {
	if nn, ok := n.(bot.NudgeNotifier); ok {
		return nn.NotifyNudge(ctx, o)
	}
	return n.Notify(ctx, o.User, o.Reply, o.Key)
}

// Has reports whether a notifier is registered for platform.
func (m *Mux) Has(platform string) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, ok := m.by[platform]
	return ok
}
