package dashboard

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

// OverrideStore is where workspaces' FAQ overrides are kept (*store.DB).
type OverrideStore interface {
	KnowledgeRevision(ctx context.Context, t bot.TenantRef) (int64, error)
	FAQOverrides(ctx context.Context, t bot.TenantRef) ([]store.FAQOverride, int64, error)
}

// Workspaces gives each workspace's knowledge: Base with the workspace's
// overrides merged on top. It implements bot.WorkspaceKnowledge. A
// workspace's index is built once and kept until its overrides' revision
// changes, whichever process changed them: each call reads the revision
// (one indexed row), so the bot answers with an edit at once.
type Workspaces struct {
	Base   *knowledge.Base
	Store  OverrideStore
	Logger *slog.Logger

	mu    sync.Mutex
	cache map[bot.TenantRef]*builtKnowledge
	// exact maps each built knowledge to the wordings the workspace's
	// overrides add, normalised (bot.NormalizeQuestion), to their entry.
	exact map[*knowledge.Base]map[string]string
}

type builtKnowledge struct {
	mu  sync.Mutex // held while building, so one build serves all waiting
	rev int64
	kb  *knowledge.Base
}

// KnowledgeFor implements bot.WorkspaceKnowledge.
func (w *Workspaces) KnowledgeFor(ctx context.Context, t bot.TenantRef) (*knowledge.Base, error) {
	rev, err := w.Store.KnowledgeRevision(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("knowledge revision of %s: %w", t, err)
	}
	if rev == 0 {
		return w.Base, nil
	}
	w.mu.Lock()
	if w.cache == nil {
		w.cache = map[bot.TenantRef]*builtKnowledge{}
	}
	b := w.cache[t]
	if b == nil {
		b = &builtKnowledge{}
		w.cache[t] = b
	}
	w.mu.Unlock()

	b.mu.Lock()
	defer b.mu.Unlock()
	if b.kb != nil && b.rev == rev {
		return b.kb, nil
	}
	overrides, rev, err := w.Store.FAQOverrides(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("faq overrides of %s: %w", t, err)
	}
	recs, err := records(w.Base, "workspace "+t.String(), overrides)
	if err != nil {
		return nil, fmt.Errorf("faq overrides of %s: %w", t, err)
	}
	kb, err := w.Base.WithOverrides("workspace "+t.String(), recs)
	if err != nil {
		return nil, fmt.Errorf("faq overrides of %s: %w", t, err)
	}
	exact := map[string]string{}
	for _, o := range overrides {
		if o.Hidden {
			continue
		}
		for _, p := range o.Phrasings {
			if n := bot.NormalizeQuestion(p); n != "" {
				exact[n] = o.ID
			}
		}
	}
	w.mu.Lock()
	if w.exact == nil {
		w.exact = map[*knowledge.Base]map[string]string{}
	}
	delete(w.exact, b.kb)
	w.exact[kb] = exact
	w.mu.Unlock()
	b.rev, b.kb = rev, kb
	if w.Logger != nil {
		w.Logger.InfoContext(ctx, "workspace knowledge built", "tenant", t.String(), "revision", rev, "overrides", len(overrides))
	}
	return kb, nil
}

// ExactEntry implements bot.ExactPhrasings: the entry whose override adds
// question's wording, in the workspace whose knowledge kb is.
func (w *Workspaces) ExactEntry(kb *knowledge.Base, question string) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	id, ok := w.exact[kb][bot.NormalizeQuestion(question)]
	return id, ok
}
