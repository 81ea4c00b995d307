// Package nudge is the worker that sends the messages the bot starts on
// its own: the Dispatcher, the per-platform rate limits (a token bucket
// from golang.org/x/time/rate, ratelimit.go, with a sliding window on top,
// window.go) and Mux, the notifier that routes each message to its
// platform's adapter.
//
// What a nudge says is the core's business: the dispatcher asks its
// Composer (*bot.Bot, bot/nudge_compose.go) for a batch at a time and only
// claims, fences, sends and records. The schedule is rows of a
// bot.NudgeQueue (the store), never timers in memory.
//
// # Never lost, never doubled
//
// Every nudge that comes due while its user wants it is handed to the
// platform at least once, whatever crashes and restarts happen, and shown
// once where the platform drops a repeated idempotency key. It holds in
// five steps:
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
//     reaches the notifier with bot.Outgoing.MaybeSent set, so the platform
//     drops it (Discord's nonce with enforce_nonce) or the adapter looks
//     for it before posting (Slack).
//   - Failures: a rate limit per platform (no second holds more sends than
//     it allows), a pause on 429 for Retry-After, retries with backoff, and
//     after MaxAttempts the row is dead with the reason; a user who cannot
//     be messaged (bot.ErrUnreachable) is marked and not retried.
//
// ARCHITECTURE.md tells the same in more detail.
package nudge
