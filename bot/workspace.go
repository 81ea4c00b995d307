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
