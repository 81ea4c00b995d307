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
// # Nudges: never lost, never doubled
//
// The messages the bot starts on its own (task nudges, the weekly summary,
// the re-check and ready-to-reapply messages) are rows of a NudgeQueue,
// never timers in memory. The guarantee: every nudge that comes due while
// its user wants it is handed to the platform at least once, whatever
// crashes and restarts happen, and shown once where the platform drops a
// repeated idempotency key. It holds in five steps:
//
//   - One live row per task: sending a nudge schedules its successor from
//     now, in the transaction that records the send, so downtime yields the
//     latest nudge of each task, not a backlog.
//   - Claim with a lease: Dispatcher.RunOnce claims due rows and moves their
//     due time to the lease's end, so a claim whose dispatcher died is due
//     again a minute later. Every later change names the lease's owner.
//   - Fence, then send: just before each send the dispatcher checks that the
//     row is still its claim; "remind off", "stop" and "forget me" cancel or
//     erase rows, claimed ones too, so they take effect at once.
//   - Mark, send, record: a group is marked as sending before it is handed
//     to the platform, each send has a deadline the dispatcher enforces, and
//     every database step has its own deadline. A send repeated after a
//     crash (sent, not yet recorded) carries the same idempotency key and
//     reaches the notifier with Outgoing.MaybeSent set, so the platform
//     drops it (Discord's nonce with enforce_nonce) or the adapter looks
//     for it before posting (Slack).
//   - Failures: a rate limit per platform (no second holds more sends than
//     it allows), a pause on 429 for Retry-After, retries with backoff, and
//     after MaxAttempts the row is dead with the reason; a user who cannot
//     be messaged (ErrUnreachable) is marked and not retried.
//
// ARCHITECTURE.md tells the same in more detail.
package bot
