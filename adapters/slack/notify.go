package slack

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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

// nudgeLookback is how far back a retried nudge is looked for in the DM:
// the dispatcher gives up on a nudge after a few retries within hours.
const (
	nudgeLookback      = 24 * time.Hour
	nudgeLookbackLimit = 200
)

// Notify implements bot.Notifier: it opens a direct message with the user
// (conversations.open) and posts the reply there.
//
// Slack has no idempotency key for chat.postMessage, so the key travels in
// each message's metadata (event type NudgeEventType, payload {"key": key,
// "part": n}). When a post's answer is lost (a timeout, a broken
// connection, a 5xx) the message may have been shown, so the key is
// remembered, and the retry first reads the DM's recent history
// (conversations.history) and posts only the parts that are not there. A
// retry is shown once unless the history cannot be read. With Replays
// set, the key is also marked durably before the first post, so a nudge
// sent again after a restart (the process died between the post and the
// dispatcher's record) is looked for in the DM too: shown exactly once
// whenever conversations.history answers; at least once otherwise.
//
// Errors wrap bot.ErrUnreachable when the user cannot be messaged (see
// unreachable) and are a *bot.RateLimitedError when Slack asks to slow
// down. Notify itself never retries: the caller backs off.
func (a *Adapter) Notify(ctx context.Context, u bot.UserRef, r bot.Reply, key string) error {
	a.init()
	if u.Platform != bot.PlatformSlack || !u.Valid() {
		return fmt.Errorf("slack notify %s: %w: not a Slack user", u, bot.ErrUnreachable)
	}
	if a.Installs != nil {
		ctx = a.forWorkspace(ctx, u.Tenant, "", false)
		if !a.canSend(ctx) {
			return fmt.Errorf("slack notify %s: %w: the app is not installed in workspace %s", u, bot.ErrUnreachable, u.Tenant)
		}
	} else if id := a.self.Load(); id != nil && id.EnterpriseID == "" && id.TeamID != "" && u.Tenant != id.TeamID {
		// A workspace install reaches its own workspace only.
		return fmt.Errorf("slack notify %s: %w: the app is installed in workspace %s", u, bot.ErrUnreachable, id.TeamID)
	}
	channel, err := a.openDM(ctx, u.ID)
	if err != nil {
		return notifyError(u, err)
	}
	var shown map[int]bool
	if key != "" && (a.uncertain.has(key) || a.replayed(ctx, nudgeAttemptKey(key))) {
		shown, err = a.shownParts(ctx, channel, key)
		if err != nil {
			a.log.WarnContext(ctx, "could not read the DM to see whether a nudge was already shown; posting it again", "user", u.String(), "err", err)
		}
	}
	if key != "" && a.Replays != nil {
		// Durably, before the post: if the process dies between the post
		// and the dispatcher's record, the nudge is sent again with this
		// key after a restart, and this mark sends the retry to the DM's
		// history first.
		if err := a.markAttempt(ctx, key); err != nil {
			return fmt.Errorf("slack notify %s: %w", u, err)
		}
	}
	for i, m := range render(r) {
		if shown[i] {
			continue
		}
		if err := a.postNudge(ctx, channel, m, key, i); err != nil {
			return notifyError(u, err)
		}
	}
	if r.File != nil {
		if err := a.upload(ctx, channel, "", r.File, noRetry); err != nil {
			a.log.WarnContext(ctx, "nudge file upload failed; sending it as text", "user", u.String(), "err", err)
			for _, m := range render(bot.Reply{Text: fileAsText(r.File, false)}) {
				if err := a.postNudge(ctx, channel, m, key, -1); err != nil {
					return notifyError(u, err)
				}
			}
		}
	}
	a.uncertain.forget(key)
	return nil
}

// postNudge posts one message of a nudge with its key and part number in
// the metadata. When the answer is lost the key is marked uncertain.
func (a *Adapter) postNudge(ctx context.Context, channel string, m message, key string, part int) error {
	meta := slackapi.MsgOptionMetadata(slackapi.SlackMetadata{
		EventType:    NudgeEventType,
		EventPayload: map[string]any{"key": key, "part": part},
	})
	_, _, err := a.apiFor(ctx).PostMessageContext(ctx, channel,
		slackapi.MsgOptionText(m.Text, false),
		slackapi.MsgOptionBlocks(m.Blocks...),
		meta)
	if err == nil {
		return nil
	}
	var se slackapi.SlackErrorResponse
	var rl *slackapi.RateLimitedError
	if key != "" && !errors.As(err, &se) && !errors.As(err, &rl) {
		// Not a refusal (ok:false) nor a 429: Slack may have posted it.
		a.uncertain.add(key)
	}
	return fmt.Errorf("chat.postMessage: %w", err)
}

// shownParts returns the parts of the nudge with this key that are in the
// DM's recent history.
func (a *Adapter) shownParts(ctx context.Context, channel, key string) (map[int]bool, error) {
	oldest := a.now().Add(-nudgeLookback)
	resp, err := a.apiFor(ctx).GetConversationHistoryContext(ctx, &slackapi.GetConversationHistoryParameters{
		ChannelID:          channel,
		Oldest:             strconv.FormatInt(oldest.Unix(), 10) + ".000000",
		Limit:              nudgeLookbackLimit,
		IncludeAllMetadata: true,
	})
	if err != nil {
		return nil, fmt.Errorf("conversations.history: %w", err)
	}
	shown := map[int]bool{}
	for _, msg := range resp.Messages {
		md := msg.Metadata
		if md.EventType != NudgeEventType || md.EventPayload["key"] != key {
			continue
		}
		part, ok := md.EventPayload["part"].(float64)
		if !ok {
			part = 0 // a nudge posted before parts were numbered
		}
		shown[int(part)] = true
	}
	return shown, nil
}

// nudgeAttemptKey is the replay-log key that marks a nudge as possibly
// posted.
func nudgeAttemptKey(key string) string { return "slack:nudge:" + key }

// markAttempt records, durably, that the nudge with this key is about to
// be posted. Without the mark a restart could show it twice, so a failure
// to write it fails the send (the dispatcher retries it later).
func (a *Adapter) markAttempt(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := a.Replays.Remember(ctx, nudgeAttemptKey(key), a.now().Add(nudgeLookback)); err != nil {
		return fmt.Errorf("mark the nudge as being sent: %w", err)
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
