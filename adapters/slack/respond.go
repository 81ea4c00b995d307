package slack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/influbot/influbot/bot"
)

// DefaultAnswerWithin is how long a request is held open for its answer
// before it is acknowledged without one: under Slack's 3-second deadline,
// with room for the network.
const DefaultAnswerWithin = 2500 * time.Millisecond

// replayWindow is how long a handled request is remembered: Slack's
// five-minute signature window, and its retries of an event (about five
// minutes), with room for clock skew.
const replayWindow = 15 * time.Minute

// signedReplayMargin is how long past its signature's freshness a signed
// request is remembered (see signedUntil).
const signedReplayMargin = time.Minute

// signedUntil is how long a request keyed by its signature must be
// remembered: until its timestamp is too old to pass verify (maxSkew
// after it), and a margin. A replay carries the same timestamp, so after
// that it is refused anyway. For a request signed now that is 6 minutes,
// not replayWindow's 15: the replay log holds less than half the keys.
func signedUntil(h http.Header) time.Time {
	sec, err := strconv.ParseInt(h.Get("X-Slack-Request-Timestamp"), 10, 64)
	if err != nil {
		return time.Time{} // replayWindow
	}
	return time.Unix(sec, 0).Add(maxSkew + signedReplayMargin)
}

// rememberWait bounds how long an answer waits for its request to be
// remembered in the replay log.
const rememberWait = 300 * time.Millisecond

// ReplayLog remembers handled requests across restarts (store.DB
// implements it), so that a replayed slash command or a retried event is
// not answered twice.
type ReplayLog interface {
	Seen(ctx context.Context, key string) (bool, error)
	Remember(ctx context.Context, key string, until time.Time) error
}

// LaterReplayLog is a ReplayLog that can also queue a mark without
// waiting for its commit (store.DB does). A request's mark is then written
// behind its answer: the answer, recorded first, does not wait for a
// second commit; the in-process set drops repeats meanwhile.
type LaterReplayLog interface {
	ReplayLog
	RememberLater(ctx context.Context, key string, until time.Time) error
}

// job is one request to answer and where its answer goes.
type job struct {
	req    bot.Request
	origin origin
	// key identifies the request for replay detection: the event id, or
	// a hash of a slash command's signature. Empty for button presses,
	// which Slack does not retry.
	key string
	// until is when key may be forgotten; zero means replayWindow from
	// now.
	until time.Time
	// inline: the answer may be the HTTP response itself (slash
	// commands); otherwise it is posted before the acknowledgement.
	inline bool
}

// inlineMessage is a slash command's answer given in the HTTP response
// (or a Socket Mode acknowledgement).
type inlineMessage struct {
	ResponseType string           `json:"response_type"`
	Text         string           `json:"text"`
	Blocks       []slackapi.Block `json:"blocks,omitempty"`
	// raw, when set, is the message as writeJSON writes it (newline
	// included): a cached answer's (see answerCache). A message with raw
	// is shared and never modified.
	raw []byte
	// sent, when set, is closed once the message has gone out as the
	// acknowledgement (see markSent): what follows it by the response_url
	// waits for it, so it is shown after it.
	sent chan struct{}
}

// markSent marks m as sent, for what waits to follow it.
func markSent(m *inlineMessage) {
	if m.sent != nil {
		close(m.sent)
	}
}

// followWait is how long the rest of an answer waits for its first
// message to go out before it is posted anyway.
const followWait = 3 * time.Second

// outcome is what to acknowledge a request with.
type outcome struct {
	// payload is the body of the acknowledgement: nil for an empty 200,
	// an inlineMessage, or the busy message.
	payload any
	// busy: the request was not taken on; for an event, Slack should
	// send it again later.
	busy bool
}

// respond answers a request, and reports what to acknowledge it with.
//
// The answer is worked out (and recorded by the core) in the background.
// When it is ready within AnswerWithin, as it nearly always is, it is
// given before the acknowledgement: a slash command's answer is the
// acknowledgement itself, and an event's or a button press's answer is
// posted first. So a request Slack saw acknowledged was answered and
// recorded, even if the process is killed right after. Only work slower
// than AnswerWithin is acknowledged first and delivered afterwards (to the
// response_url for a slash command).
func (a *Adapter) respond(ctx context.Context, j job) outcome {
	if j.key != "" {
		if !a.seen.add(j.key) {
			a.log.InfoContext(ctx, "dropped a repeated request", "key", j.key)
			return outcome{}
		}
		if a.replayed(ctx, j.key) {
			a.log.InfoContext(ctx, "dropped a request handled before", "key", j.key)
			return outcome{}
		}
	}
	var (
		claimed atomic.Bool // by the handler (gave up waiting) or the worker (answer ready)
		ready   = make(chan bot.Reply, 1)
		posted  = make(chan struct{})
		start   = time.Now()
	)
	err := a.background(ctx, func(ctx context.Context) {
		defer close(posted)
		reply := a.reply(ctx, j.req, j.origin)
		if j.inline && claimed.CompareAndSwap(false, true) {
			a.remember(ctx, j.key, j.until)
			ready <- reply
			return
		}
		if emptyReply(reply) {
			// Its form was opened: the modal is the answer.
		} else if err := a.deliver(ctx, j.origin, reply); err != nil {
			a.deliveryFailed(ctx, j.req.User, j.origin, err)
		}
		a.remember(ctx, j.key, j.until)
	})
	if err != nil {
		a.seen.forget(j.key)
		if !errors.Is(err, errBusy) {
			// The request went away while it waited: nobody to answer.
			a.log.InfoContext(ctx, "a request went away while it waited for a place", "err", err)
			return outcome{busy: true}
		}
		a.rejected(ctx, "busy", "too busy to take a request: no place came free in time", "max_in_flight", cap(a.sem), "queue_wait", a.queueWait())
		if a.OnBusy != nil {
			a.OnBusy()
		}
		return outcome{busy: true, payload: &busyMessage{ResponseType: slackapi.ResponseTypeEphemeral, Text: busyText}}
	}
	// The deadline counts from the request's arrival: time spent waiting
	// for a place is part of it.
	timer := time.NewTimer(max(a.answerWithin()-time.Since(start), 0))
	defer timer.Stop()
	if !j.inline {
		select {
		case <-posted:
		case <-timer.C:
			a.log.InfoContext(ctx, "acknowledged a request before its answer was posted", "user", j.req.User.String(), "waited", a.answerWithin())
		}
		return outcome{}
	}
	var reply bot.Reply
	select {
	case reply = <-ready:
	case <-timer.C:
		if claimed.CompareAndSwap(false, true) {
			a.log.InfoContext(ctx, "acknowledged a slash command before its answer; it follows by its response_url", "user", j.req.User.String())
			return outcome{}
		}
		reply = <-ready
	}
	if emptyReply(reply) {
		return outcome{} // its form was opened
	}
	if m, ok := a.inlineAnswer(j.origin, reply); ok {
		return outcome{payload: m}
	}
	// Too big for one message, or a file: the first message is the
	// answer, and the rest (more messages, the file) follows by the
	// response_url.
	msgs := render(reply)
	if len(msgs) == 0 {
		a.detached(ctx, func(ctx context.Context) {
			if err := a.deliver(ctx, j.origin, reply); err != nil {
				a.deliveryFailed(ctx, j.req.User, j.origin, err)
			}
		})
		return outcome{}
	}
	rt := slackapi.ResponseTypeInChannel
	if reply.Ephemeral && !j.origin.DM {
		rt = slackapi.ResponseTypeEphemeral
	}
	first := &inlineMessage{ResponseType: rt, Text: msgs[0].Text, Blocks: msgs[0].Blocks}
	if len(msgs) > 1 || reply.File != nil {
		first.sent = make(chan struct{})
		a.detached(ctx, func(ctx context.Context) {
			wait := time.NewTimer(followWait)
			select {
			case <-first.sent:
			case <-wait.C:
			case <-ctx.Done():
			}
			wait.Stop()
			if err := a.deliverRendered(ctx, j.origin, msgs[1:], reply.File, reply.Ephemeral); err != nil {
				a.deliveryFailed(ctx, j.req.User, j.origin, err)
			}
		})
	}
	return outcome{payload: first}
}

// deliveryFailed logs an answer that could not be posted: at most once
// every few seconds as a warning when there is no token to post with (a
// workspace that answers slash commands only), as an error otherwise.
func (a *Adapter) deliveryFailed(ctx context.Context, user bot.UserRef, o origin, err error) {
	if errors.Is(err, errNoToken) {
		a.rejected(ctx, "no-token", "an answer was not posted: without a bot token influbot answers only in the slash command's own response", "user", user.String(), "channel", o.Channel)
		return
	}
	a.log.ErrorContext(ctx, "deliver reply", "user", user.String(), "channel", o.Channel, "err", err)
}

// reply asks the core, and applies the command record's privacy: a
// private command's answer is ephemeral whatever the reply says. A form
// the reply asks for is opened (see afterReply).
func (a *Adapter) reply(ctx context.Context, req bot.Request, o origin) bot.Reply {
	a.enrich(ctx, &req)
	if h, ok := a.Bot.(invokedHandler); ok {
		// One reading of the message finds its command and answers it.
		r, cmd, invoked := h.HandleInvoked(ctx, req)
		r.Ephemeral = r.Ephemeral || (invoked && cmd.Private)
		return a.afterReply(ctx, req, o, r, func() (*bot.Command, bool) { return cmd, invoked })
	}
	private := a.Bot.Private(req) // a button's command is the core's to find
	r := a.Bot.Handle(ctx, req)
	r.Ephemeral = r.Ephemeral || private
	return a.afterReply(ctx, req, o, r, func() (*bot.Command, bool) { return a.Bot.Invoked(req) })
}

// invokedHandler is a core that finds the command a request invokes as it
// answers it (bot.Bot): Private is then that command's record's.
type invokedHandler interface {
	HandleInvoked(ctx context.Context, req bot.Request) (bot.Reply, *bot.Command, bool)
}

// inlineAnswer renders a reply as a slash command's immediate answer, if
// it fits in one message with no file.
func (a *Adapter) inlineAnswer(o origin, r bot.Reply) (*inlineMessage, bool) {
	if r.File != nil {
		return nil, false
	}
	rt := slackapi.ResponseTypeInChannel
	if r.Ephemeral && !o.DM {
		rt = slackapi.ResponseTypeEphemeral
	}
	return a.answers.answer(rt, &r, func() (*inlineMessage, bool) {
		msgs := render(r)
		if len(msgs) != 1 {
			return nil, false
		}
		return &inlineMessage{ResponseType: rt, Text: msgs[0].Text, Blocks: msgs[0].Blocks}, true
	})
}

func (a *Adapter) answerWithin() time.Duration {
	if a.AnswerWithin > 0 {
		return a.AnswerWithin
	}
	return DefaultAnswerWithin
}

// replayed reports whether the replay log has key. When it cannot be read
// the request is taken as new: answering twice beats not answering.
func (a *Adapter) replayed(ctx context.Context, key string) bool {
	if a.Replays == nil || key == "" {
		return false
	}
	// The store bounds its own reads (a second at most); nearly every
	// check reads none, so no timer is set here for it.
	seen, err := a.Replays.Seen(ctx, key)
	if err != nil {
		a.log.WarnContext(ctx, "could not check for a replayed request; treating it as new", "err", err)
		return false
	}
	return seen
}

// remember records key as handled until until (zero: for the replay
// window).
func (a *Adapter) remember(ctx context.Context, key string, until time.Time) {
	if a.Replays == nil || key == "" {
		return
	}
	if until.IsZero() {
		until = a.now().Add(replayWindow)
	}
	ctx = context.WithoutCancel(ctx)
	var err error
	if l, ok := a.Replays.(LaterReplayLog); ok {
		err = l.RememberLater(ctx, key, until) // queued: no wait to bound
	} else {
		// Briefly: the answer waits for this. While the database
		// refuses writes the in-memory set alone drops repeats.
		wctx, cancel := context.WithTimeout(ctx, rememberWait)
		err = a.Replays.Remember(wctx, key, until)
		cancel()
	}
	if err != nil {
		a.rejected(ctx, "remember", "could not remember a handled request; a replay of it after a restart would be answered again", "err", err)
	}
}

// detached runs fn in the background whatever the in-flight limit: the
// request was already taken on.
func (a *Adapter) detached(parent context.Context, fn func(ctx context.Context)) {
	a.work.Add(1)
	go func() {
		defer a.work.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), processTimeout)
		defer cancel()
		defer func() {
			if r := recover(); r != nil {
				a.log.ErrorContext(ctx, "panic delivering a Slack reply", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		}()
		fn(ctx)
	}()
}

// signatureKey is the replay key of a signed request: the signature covers
// its timestamp and body, so a replay carries the same one.
func signatureKey(kind, signature string) string {
	if signature == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(signature))
	return "slack:" + kind + ":" + hex.EncodeToString(sum[:16])
}

// warnLimiter lets one warning of a kind through per interval and counts
// the rest, so a flood of bad requests cannot flood the log.
type warnLimiter struct {
	mu         sync.Mutex
	every      time.Duration
	last       map[string]time.Time
	suppressed map[string]int
}

func newWarnLimiter(every time.Duration) *warnLimiter {
	return &warnLimiter{every: every, last: map[string]time.Time{}, suppressed: map[string]int{}}
}

// allow reports whether a warning of kind may be logged now, and how many
// of its kind were held back since the last one.
func (l *warnLimiter) allow(kind string, now time.Time) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if last, ok := l.last[kind]; ok && now.Sub(last) < l.every {
		l.suppressed[kind]++
		return false, 0
	}
	if len(l.last) > 64 {
		clear(l.last) // kinds are few; bound the map anyway
	}
	l.last[kind] = now
	n := l.suppressed[kind]
	delete(l.suppressed, kind)
	return true, n
}

// rejected logs a refused request at WARN, at most once per kind every
// rejectLogEvery, with the number held back.
func (a *Adapter) rejected(ctx context.Context, kind, msg string, args ...any) {
	ok, held := a.rejects.allow(kind, a.now())
	if !ok {
		return
	}
	if held > 0 {
		args = append(args, "also_refused_since_last_log", held)
	}
	a.log.WarnContext(ctx, msg, args...)
}
