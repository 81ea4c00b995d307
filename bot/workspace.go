package bot

import (
	"context"

	"github.com/influbot/influbot/knowledge"
)

// WorkspaceKnowledge gives the knowledge a workspace's questions are
// answered from: the shipped knowledge with the FAQ overrides its admins
// wrote (in the dashboard) on top. Implementations cache per workspace and
// rebuild when the overrides change, so an edit takes effect at once.
type WorkspaceKnowledge interface {
	KnowledgeFor(ctx context.Context, t TenantRef) (*knowledge.Base, error)
}

// knowledgeFor returns the knowledge to answer t's questions from: the
// workspace's when Config.Workspace is set, else (or when it fails, which
// is logged) the shipped knowledge.
func (b *Bot) knowledgeFor(ctx context.Context, t TenantRef) *knowledge.Base {
	if b.cfg.Workspace == nil || t.Platform == "" || t.ID == "" {
		return b.cfg.Knowledge
	}
	kb, err := b.cfg.Workspace.KnowledgeFor(ctx, t)
	if err != nil || kb == nil || kb.Index == nil {
		b.log.WarnContext(ctx, "workspace knowledge unavailable; answering from the shipped knowledge", "tenant", t.String(), "err", err)
		return b.cfg.Knowledge
	}
	return kb
}

// ExactPhrasings is implemented by a WorkspaceKnowledge that knows the
// wordings a workspace's admins attached to entries (an unanswered
// question answered in the dashboard): a question asked in those words,
// after NormalizeQuestion, gets that entry whatever the index would
// score, so an admin's answer to a question is what the bot gives for it.
type ExactPhrasings interface {
	ExactEntry(kb *knowledge.Base, question string) (entryID string, ok bool)
}

// exactEntry returns the entry of kb an admin attached question's exact
// wording to.
func (b *Bot) exactEntry(kb *knowledge.Base, question string) (knowledge.Entry, bool) {
	ep, ok := b.cfg.Workspace.(ExactPhrasings)
	if !ok || kb == b.cfg.Knowledge {
		return knowledge.Entry{}, false
	}
	id, ok := ep.ExactEntry(kb, question)
	if !ok {
		return knowledge.Entry{}, false
	}
	return kb.Entry(id)
}
