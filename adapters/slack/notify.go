package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/influbot/influbot/bot"
)

// NudgeEventType is the message metadata event type of a nudge; its
// payload carries the notification key.
const NudgeEventType = "influbot_nudge"

// unreachable lists the Web API errors that mean a user cannot be sent a
// direct message: retrying will not help.
var unreachable = map[string]bool{
	"user_not_found":          true,
	"users_not_found":         true,
	"cannot_dm_bot":           true,
	"user_is_bot":             true,
	"user_disabled":           true,
	"account_inactive":        true,
	"channel_not_found":       true,
	"is_archived":             true,
	"not_in_channel":          true,
	"messages_tab_disabled":   true,
	"restricted_action":       true,
	"team_access_not_granted": true,
}

// Notify implements bot.Notifier: it opens a direct message with the user
// (conversations.open) and posts the reply there.
//
// Slack has no idempotency key for chat.postMessage, so delivery is
// at-least-once: a retry after a lost response can show a nudge twice. The
// key travels in the message's metadata (event type NudgeEventType,
// payload {"key": key}) so that every delivery can be traced.
//
// Errors wrap bot.ErrUnreachable when the user cannot be messaged (see
// unreachable) and are a *bot.RateLimitedError when Slack asks to slow
// down. Notify itself never retries: the caller backs off.
func (a *Adapter) Notify(ctx context.Context, u bot.UserRef, r bot.Reply, key string) error {
	a.init()
	if u.Platform != bot.PlatformSlack || !u.Valid() {
		return fmt.Errorf("slack notify %s: %w: not a Slack user", u, bot.ErrUnreachable)
	}
	if id := a.self.Load(); id != nil && id.EnterpriseID == "" && id.TeamID != "" && u.Tenant != id.TeamID {
		// A workspace install reaches its own workspace only.
		return fmt.Errorf("slack notify %s: %w: the app is installed in workspace %s", u, bot.ErrUnreachable, id.TeamID)
	}
	channel, err := a.openDM(ctx, u.ID)
	if err != nil {
		return notifyError(u, err)
	}
	meta := slackapi.MsgOptionMetadata(slackapi.SlackMetadata{
		EventType:    NudgeEventType,
		EventPayload: map[string]any{"key": key},
	})
	for _, m := range render(r) {
		_, _, err := a.api.PostMessageContext(ctx, channel,
			slackapi.MsgOptionText(m.Text, false),
			slackapi.MsgOptionBlocks(m.Blocks...),
			meta)
		if err != nil {
			return notifyError(u, fmt.Errorf("chat.postMessage: %w", err))
		}
	}
	if r.File != nil {
		if err := a.upload(ctx, channel, "", r.File, noRetry); err != nil {
			a.log.WarnContext(ctx, "nudge file upload failed; sending it as text", "user", u.String(), "err", err)
			for _, m := range render(bot.Reply{Text: fileAsText(r.File)}) {
				if _, _, err := a.api.PostMessageContext(ctx, channel, slackapi.MsgOptionText(m.Text, false), slackapi.MsgOptionBlocks(m.Blocks...), meta); err != nil {
					return notifyError(u, fmt.Errorf("chat.postMessage: %w", err))
				}
			}
		}
	}
	return nil
}

func noRetry(_ context.Context, call func() error) error { return call() }

// notifyError translates a Web API error into the bot.Notifier contract.
func notifyError(u bot.UserRef, err error) error {
	var rl *slackapi.RateLimitedError
	if errors.As(err, &rl) {
		return &bot.RateLimitedError{RetryAfter: rl.RetryAfter, Err: fmt.Errorf("slack notify %s: %w", u, err)}
	}
	var se slackapi.SlackErrorResponse
	if errors.As(err, &se) {
		switch {
		case se.Err == "ratelimited":
			return &bot.RateLimitedError{RetryAfter: time.Minute, Err: fmt.Errorf("slack notify %s: %w", u, err)}
		case unreachable[se.Err]:
			return fmt.Errorf("slack notify %s: %w: %w", u, bot.ErrUnreachable, err)
		}
	}
	return fmt.Errorf("slack notify %s: %w", u, err)
}
