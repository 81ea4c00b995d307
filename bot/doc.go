// Package bot is influbot's platform-neutral core.
//
// A Request goes in (who is asking, where, and what: free text, a command
// with named options, or a button action), a Reply comes out (Markdown
// text, optional title, fields, buttons, an image or a file). Adapters for
// the console, Discord and Slack only translate platform events into
// Requests and Replies into embeds, Block Kit or plain text; the grammar,
// the answers and the bookkeeping all live here, so every platform behaves
// the same.
//
// The core declares the interfaces it needs from the outside world (the
// stores in history.go, context.go and nudge.go, and a Notifier) and imports
// no platform SDK and no database driver. The knowledge base is not behind
// an interface: it is a *knowledge.Base, content loaded at start and
// searched in memory.
//
// # Conversations
//
// Free text is understood as part of a conversation (conversation.go):
// opt-outs in any words, answers to the bot's own questions (yes, no, a
// number, a choice's words), commands in plain words, elliptical
// follow-ups and small talk come before the FAQ. What that needs to
// remember per user, a Conversation, lives in a ContextStore (the
// database, or memory) and expires after ContextTTL. The phrases are data,
// in intents.go; scripted conversations in testdata/conversations check
// them end to end.
//
// # Nudges
//
// The messages the bot starts on its own (task nudges, the weekly summary,
// the re-check and ready-to-reapply messages) are rows of a NudgeQueue,
// never timers in memory. The core decides when they are due (remind.go)
// and what one says when it goes out (nudge_compose.go: ComposeNudges);
// the worker that claims and sends them, with its rate limits and the
// notifier mux, is package bot/nudge, which documents the delivery
// guarantee.
//
// ARCHITECTURE.md tells the same in more detail.
package bot
