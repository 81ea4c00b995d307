package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Notifier sends a message the bot starts on its own (a nudge) to a user,
// by direct message on the user's platform. Adapters implement it.
type Notifier interface {
	// Notify delivers r to u. key identifies this message (at most 25
	// ASCII letters and digits); a notifier whose platform can drop
	// repeats passes it on (Discord: the message nonce with
	// enforce_nonce), so a retried delivery is not shown twice.
	//
	// Errors: wrap ErrUnreachable when the user cannot be messaged at all
	// (DMs closed, left the server, deactivated): the caller will not retry.
	// Return a *RateLimitedError when the platform asked to slow down.
	// Anything else is treated as transient and retried with backoff.
	Notify(ctx context.Context, u UserRef, r Reply, key string) error
}

// Outgoing is one nudge handed to a platform.
type Outgoing struct {
	User  UserRef
	Reply Reply
	Key   string // the nudge's idempotency key, as for Notify
	// MaybeSent reports that an earlier attempt with this key was handed
	// to the platform and its outcome never recorded (the process died,
	// or the send timed out): the user may already have it. A platform
	// that cannot drop repeats by key (Slack) should look for the key in
	// the conversation before posting; one that can (Discord's nonce)
	// may ignore it.
	MaybeSent bool
}

// NudgeNotifier is a Notifier that wants to know more about each nudge
// than Notify says. The dispatcher calls NotifyNudge instead of Notify
// when the notifier has it.
type NudgeNotifier interface {
	NotifyNudge(ctx context.Context, o Outgoing) error
}

// ErrUnreachable means a user cannot be messaged; retrying will not help.
var ErrUnreachable = errors.New("user cannot be messaged")

// RateLimitedError is a platform's request to wait before trying again.
type RateLimitedError struct {
	RetryAfter time.Duration
	Err        error
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s: %v", e.RetryAfter, e.Err)
}

func (e *RateLimitedError) Unwrap() error { return e.Err }
