package discord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/influbot/influbot/bot"
)

// Discord's JSON error codes the notifier acts on.
const (
	codeUnknownChannel = 10003 // a cached DM channel is gone
	codeUnknownUser    = 10013
	codeCannotDM       = 50007 // DMs closed, no shared server, or blocked
)

// maxNonce is Discord's limit on a message nonce.
const maxNonce = 25

var _ bot.Notifier = (*Adapter)(nil)

// Notify implements bot.Notifier: it sends r to u by direct message, with
// key as the message nonce and enforce_nonce set, so that Discord drops a
// retried delivery it has already shown. Errors: ErrUnreachable (wrapped)
// when Discord says the user cannot be messaged (code 50007) or does not
// exist (10013); *bot.RateLimitedError on HTTP 429, which Notify does not
// wait out itself so the caller can schedule the retry.
func (a *Adapter) Notify(ctx context.Context, u bot.UserRef, r bot.Reply, key string) error {
	a.mu.Lock()
	s, closed := a.session, a.closed
	a.mu.Unlock()
	if s == nil || closed {
		return errors.New("discord: notify: the adapter is not connected")
	}
	if u.Platform != bot.PlatformDiscord || !isSnowflake(u.ID) {
		return fmt.Errorf("discord: notify %s: not a Discord user: %w", u, bot.ErrUnreachable)
	}
	noWait := discordgo.WithRetryOnRatelimit(false)
	ctx = forNudge(ctx)
	msgs := render(r, a.encoder())
	for attempt := 0; ; attempt++ {
		ch, err := a.dmChannel(ctx, s, u.ID, noWait)
		if err == nil {
			err = a.send(ctx, s, ch, msgs, nil, key, noWait)
		}
		if attempt == 0 && discordCode(err) == codeUnknownChannel {
			// The cached DM channel is gone; open a new one once.
			a.dmChannels.remove(u.ID)
			continue
		}
		if err != nil {
			return notifyError(u, err)
		}
		return nil
	}
}

// dmChannel returns the id of the DM channel with a user, opening it the
// first time (POST /users/@me/channels) and remembering it after.
func (a *Adapter) dmChannel(ctx context.Context, s *discordgo.Session, userID string, opts ...discordgo.RequestOption) (string, error) {
	if id, ok := a.dmChannels.get(userID); ok {
		return id, nil
	}
	ch, err := s.UserChannelCreate(userID, append([]discordgo.RequestOption{discordgo.WithContext(ctx)}, opts...)...)
	if err != nil {
		return "", err
	}
	if ch == nil || !isSnowflake(ch.ID) {
		return "", errors.New("discord: opening a DM channel returned no channel id")
	}
	a.dmChannels.put(userID, ch.ID)
	return ch.ID, nil
}

// notifyError maps a failed delivery to the bot.Notifier contract.
func notifyError(u bot.UserRef, err error) error {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		wait := time.Second
		if rl.RateLimit != nil && rl.TooManyRequests != nil && rl.RetryAfter > 0 {
			wait = rl.RetryAfter
		}
		return &bot.RateLimitedError{RetryAfter: wait, Err: fmt.Errorf("discord: DM %s: %w", u, err)}
	}
	switch discordCode(err) {
	case codeCannotDM, codeUnknownUser:
		return fmt.Errorf("discord: DM %s: %w: %w", u, bot.ErrUnreachable, err)
	}
	return fmt.Errorf("discord: DM %s: %w", u, err)
}

// discordCode returns Discord's JSON error code of a REST error, or 0.
func discordCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

// nonceFor returns the nonce of the i-th message of a notification: the
// key itself for the first when it is a valid nonce (at most 25 ASCII
// letters and digits), otherwise a 25-character hash, the same for every
// retry of the same key.
func nonceFor(key string, i int) string {
	if i == 0 && validNonce(key) {
		return key
	}
	sum := sha256.Sum256([]byte(key + "#" + strconv.Itoa(i)))
	return hex.EncodeToString(sum[:])[:maxNonce]
}

func validNonce(s string) bool {
	if s == "" || len(s) > maxNonce {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}
