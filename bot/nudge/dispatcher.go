package nudge

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/influbot/influbot/bot"
)

// Dispatcher defaults.
const (
	DefaultLease       = time.Minute
	DefaultBatch       = 256
	DefaultConcurrency = 8
	DefaultMaxAttempts = 5
	DefaultPoll        = time.Second
	notifyTimeout      = 20 * time.Second // under the lease, so a hung send cannot outlive its claim
	recordTimeout      = 10 * time.Second
)

// Composer is what the dispatcher needs from the core; *bot.Bot implements
// it (bot/nudge_compose.go).
type Composer interface {
	// ComposeNudges decides, for each of a batch of claimed nudges, what it
	// says, or that it should wait, be canceled or fail: one result per
	// nudge, in order.
	ComposeNudges(ctx context.Context, due []bot.Nudge, now time.Time) []bot.ComposedNudge
	// MarkUnreachable records that a user cannot be messaged (the
	// notifier returned bot.ErrUnreachable) and cancels their schedule.
	MarkUnreachable(ctx context.Context, u bot.UserRef, reason string) error
}

// Dispatcher sends due nudges. The schedule is rows in the NudgeQueue, so
// a restart loses nothing; see the package documentation for the delivery
// guarantee and how each step keeps it.
//
// Set Composer, Queue and Notifier; every other field has a working zero
// value. A Dispatcher must not be copied after first use.
type Dispatcher struct {
	Composer Composer // composes messages from the user's plan and settings
	Queue    bot.NudgeQueue
	Notifier bot.Notifier

	// Owner names this dispatcher in leases; "" means host-pid-random.
	Owner string
	// Platforms limits the dispatcher to these platforms (the ones whose
	// adapter runs); nil means all.
	Platforms []string
	// User limits it to one user (the console's); zero means all.
	User bot.UserRef

	Lease       time.Duration // how long a claim lasts; DefaultLease
	Batch       int           // nudges claimed at once; DefaultBatch
	Concurrency int           // sends in flight; DefaultConcurrency
	MaxAttempts int           // failed sends before a nudge is dead; DefaultMaxAttempts
	// NotifyTimeout bounds one send, whether or not the notifier honours
	// its context; 0 means 20 seconds.
	NotifyTimeout time.Duration
	// RecordTimeout bounds each database step of a send (the fence, the
	// attempt marker, the record of a group); 0 means 10 seconds.
	RecordTimeout time.Duration
	Poll          time.Duration // how often Run looks for due nudges; DefaultPoll
	// Limits is the send rate per platform; nil means DefaultLimits, and a
	// platform missing from the map is not limited.
	Limits map[string]RateLimit
	// Backoff is the wait before retry number attempt (1, 2, ...); nil
	// means 30s doubling to at most an hour, with jitter.
	Backoff func(attempt int) time.Duration

	Log   *slog.Logger
	Now   func() time.Time                                 // nil means time.Now
	Sleep func(ctx context.Context, d time.Duration) error // nil means a real timer

	once     sync.Once
	mu       sync.Mutex
	buckets  map[string]*tokenBucket
	inflight map[string]bool // keys whose Notify has not returned, even after its timeout
	stats    dispatchCounters
}

// DispatchStats counts what a dispatcher did.
type DispatchStats struct {
	Sent        int64 // delivered and recorded
	Retried     int64 // failed or rate limited, queued again
	RateLimited int64 // of those, the platform said slow down
	Dead        int64 // gave up: too many failures, or unreachable
	Unreachable int64 // of those, the user cannot be messaged
	Canceled    int64 // not sent: opted out, task gone, reminders off
	Deferred    int64 // moved to the end of quiet hours, or past a platform's pause
	Fenced      int64 // claimed, then canceled or erased before the send
}

type dispatchCounters struct {
	sent, retried, rateLimited, dead, unreachable, canceled, deferred, fenced atomic.Int64
}

// Stats returns the counts so far.
func (d *Dispatcher) Stats() DispatchStats {
	c := &d.stats
	return DispatchStats{
		Sent: c.sent.Load(), Retried: c.retried.Load(), RateLimited: c.rateLimited.Load(), Dead: c.dead.Load(),
		Unreachable: c.unreachable.Load(), Canceled: c.canceled.Load(), Deferred: c.deferred.Load(), Fenced: c.fenced.Load(),
	}
}

func (d *Dispatcher) init() {
	d.once.Do(func() {
		if d.Owner == "" {
			host, _ := os.Hostname()
			var b [4]byte
			rand.Read(b[:])
			d.Owner = fmt.Sprintf("%s-%d-%x", host, os.Getpid(), b)
		}
		if d.Lease <= 0 {
			d.Lease = DefaultLease
		}
		if d.Batch <= 0 {
			d.Batch = DefaultBatch
		}
		if d.Concurrency <= 0 {
			d.Concurrency = DefaultConcurrency
		}
		if d.MaxAttempts <= 0 {
			d.MaxAttempts = DefaultMaxAttempts
		}
		if d.Poll <= 0 {
			d.Poll = DefaultPoll
		}
		if d.NotifyTimeout <= 0 {
			d.NotifyTimeout = notifyTimeout
		}
		if d.RecordTimeout <= 0 {
			d.RecordTimeout = recordTimeout
		}
		if d.Limits == nil {
			d.Limits = DefaultLimits
		}
		if d.Backoff == nil {
			d.Backoff = defaultBackoff
		}
		if d.Log == nil {
			d.Log = slog.New(slog.DiscardHandler)
		}
		if d.Now == nil {
			d.Now = time.Now
		}
		if d.Sleep == nil {
			d.Sleep = sleepCtx
		}
		d.buckets = map[string]*tokenBucket{}
		d.inflight = map[string]bool{}
	})
}

func defaultBackoff(attempt int) time.Duration {
	d := 30 * time.Second << min(attempt-1, 7)
	d = min(d, time.Hour)
	// ±20% so nudges that failed together do not retry together.
	return time.Duration(float64(d) * (0.8 + 0.4*mrand.Float64()))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Run dispatches until ctx ends: it claims what is due, sends it, and
// sleeps until the next nudge is due (at most Poll).
func (d *Dispatcher) Run(ctx context.Context) error {
	d.init()
	d.Log.InfoContext(ctx, "nudge dispatcher started", "owner", d.Owner, "platforms", d.Platforms)
	for ctx.Err() == nil {
		n, err := d.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.Log.WarnContext(ctx, "nudge dispatch", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		wait := d.Poll
		if next, ok, err := d.Queue.NextDue(ctx, d.claimRequest(d.Now())); err == nil && ok {
			wait = min(wait, max(next.Sub(d.Now()), 10*time.Millisecond))
		}
		if d.Sleep(ctx, wait) != nil {
			break
		}
	}
	return nil
}

func (d *Dispatcher) claimRequest(now time.Time) bot.ClaimRequest {
	// No lease this dispatcher takes or renews runs longer than the
	// longer of Lease and a send's timeout (and its margin); one ending
	// more than twice that ahead was taken before the clock went back.
	maxLease := 2 * max(d.Lease, d.NotifyTimeout+5*time.Second)
	return bot.ClaimRequest{Owner: d.Owner, Now: now, LeaseUntil: now.Add(d.Lease), MaxLease: maxLease, Limit: d.Batch, Platforms: d.Platforms, User: d.User}
}

// dbctx is the context of one database step of a send: its own deadline,
// not the batch's, and not canceled with ctx, since a send that happened
// must be recorded even while shutting down.
func (d *Dispatcher) dbctx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), d.RecordTimeout)
}

// RunOnce claims one batch of due nudges and handles each: sends it,
// defers it past quiet hours, cancels it, retries it later or buries it.
// It returns how many it claimed.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	d.init()
	now := d.Now()
	claimed, err := d.Queue.ClaimDue(ctx, d.claimRequest(now))
	if err != nil {
		return 0, fmt.Errorf("claim due nudges: %w", err)
	}
	if len(claimed) == 0 {
		return 0, nil
	}
	composed := d.Composer.ComposeNudges(ctx, claimed, now)
	byPlatform := map[string][]ready{}
	var platforms []string
	for i, n := range claimed {
		log := d.Log.With("nudge", n.ID, "user", n.User.String(), "kind", n.Kind, "task", n.TaskID)
		out := composed[i]
		switch {
		case out.Err != nil:
			d.fail(ctx, log, n, out.Err)
		case out.Cancel != "":
			d.finish(ctx, log, n, bot.NudgeCanceled, out.Cancel, &d.stats.canceled)
		case !out.DeferTo.IsZero():
			d.requeue(ctx, log, n, out.DeferTo, "quiet hours")
			d.stats.deferred.Add(1)
		default:
			p := n.User.Platform
			if _, ok := byPlatform[p]; !ok {
				platforms = append(platforms, p)
			}
			byPlatform[p] = append(byPlatform[p], ready{n: n, out: out, log: log})
		}
	}
	// Platforms send side by side: a slow or rate-limited one does not
	// hold up the others.
	var wg sync.WaitGroup
	for _, p := range platforms {
		wg.Go(func() { d.sendPlatform(ctx, p, byPlatform[p]) })
	}
	wg.Wait()
	return len(claimed), ctx.Err()
}

// ready is a composed nudge waiting for its turn.
type ready struct {
	n   bot.Nudge
	out bot.ComposedNudge
	log *slog.Logger
}

// DefaultGroup is how many sends share one recording transaction when the
// rate limit allows them at once.
const DefaultGroup = 64

// sendPlatform sends one platform's nudges in groups as the rate limit
// allows: a group's sends run concurrently, each fenced just before it
// goes, and are recorded in one transaction.
func (d *Dispatcher) sendPlatform(ctx context.Context, platform string, list []ready) {
	if h, ok := d.Notifier.(interface{ Has(string) bool }); ok && !h.Has(platform) {
		// The platform's adapter is not connected (yet): not the
		// nudges' fault, so no attempt is counted.
		for _, r := range list {
			d.requeue(ctx, r.log, r.n, d.Now().Add(30*time.Second), "the "+platform+" adapter is not running")
		}
		d.stats.deferred.Add(int64(len(list)))
		return
	}
	b := d.bucket(platform)
	for len(list) > 0 && ctx.Err() == nil {
		if err := d.waitToken(ctx, platform); err != nil {
			return // shutting down; the leases run out and the nudges are taken again
		}
		k := 1 + b.takeUpTo(d.Now(), min(len(list), DefaultGroup)-1)
		group := list[:k]
		list = list[k:]
		// The attempt marker, before anything reaches the platform: if
		// this process dies before the record below, whoever claims
		// these nudges next knows they may have been shown.
		ids := make([]int64, len(group))
		for i, r := range group {
			ids[i] = r.n.ID
		}
		mctx, mcancel := d.dbctx(ctx)
		_, err := d.Queue.MarkSending(mctx, d.Owner, ids, d.Now())
		mcancel()
		if err != nil {
			// Not sent: the leases run out and the nudges are taken again.
			d.Log.WarnContext(ctx, "mark nudges sending", "count", len(ids), "err", err)
			continue
		}
		results := make([]*bot.SentNudge, len(group))
		work := make(chan int)
		var wg sync.WaitGroup
		for range min(d.Concurrency, len(group)) {
			wg.Go(func() {
				for i := range work {
					results[i] = d.send(ctx, group[i])
				}
			})
		}
		for i := range group {
			work <- i
		}
		close(work)
		wg.Wait()
		var sent []bot.SentNudge
		for _, r := range results {
			if r != nil {
				sent = append(sent, *r)
			}
		}
		rctx, rcancel := d.dbctx(ctx)
		n, err := d.Queue.MarkSent(rctx, d.Owner, sent)
		rcancel()
		if err != nil {
			// Sent but not recorded: after the lease they are sent
			// again with the same keys, which the platform drops.
			d.Log.ErrorContext(ctx, "record sent nudges", "count", len(sent), "err", err)
			continue
		}
		d.stats.sent.Add(int64(len(sent)))
		if n < len(sent) {
			d.Log.InfoContext(ctx, "nudges withdrawn while they were being sent", "count", len(sent)-n)
		}
	}
}

// send fences and sends one nudge, returning what to record or nil.
func (d *Dispatcher) send(ctx context.Context, r ready) *bot.SentNudge {
	n, log := r.n, r.log
	// A 429 on another send of this group paused the platform: this one
	// waits its turn in the queue rather than hitting the limit again.
	if until := d.bucket(n.User.Platform).paused(d.Now()); !until.IsZero() {
		d.requeue(ctx, log, n, until, "platform asked to slow down")
		d.stats.deferred.Add(1)
		return nil
	}
	// An earlier send of this nudge timed out and its notifier has not
	// returned yet: calling it again could show the nudge twice.
	if d.inFlight(n.Key) {
		d.requeue(ctx, log, n, d.Now().Add(d.NotifyTimeout), "an earlier send has not returned")
		d.stats.deferred.Add(1)
		return nil
	}
	// The fence: a nudge canceled ("remind off", "stop") or erased
	// ("forget me") after it was claimed fails this check and is not
	// sent. It also makes sure the lease outlasts the send.
	now := d.Now()
	need := now.Add(d.NotifyTimeout + 5*time.Second)
	fctx, fcancel := d.dbctx(ctx)
	held, err := d.Queue.Held(fctx, n.ID, d.Owner, need)
	if err == nil && !held {
		// Either withdrawn, or the lease is running out after a long wait
		// for the rate limit: renewing tells which.
		held, err = d.Queue.Renew(fctx, n.ID, d.Owner, now.Add(max(d.Lease, d.NotifyTimeout+5*time.Second)))
	}
	fcancel()
	if err != nil {
		log.WarnContext(ctx, "check nudge claim", "err", err)
		return nil
	}
	if !held {
		d.stats.fenced.Add(1)
		log.InfoContext(ctx, "nudge withdrawn after claim; not sent")
		return nil
	}
	nctx, ncancel := context.WithTimeout(ctx, d.NotifyTimeout)
	// The last step before the send: the platform's one-second window
	// must have room for it (window.go).
	if err := d.admit(nctx, n.User.Platform); err != nil {
		ncancel()
		return nil // shutting down; the lease runs out and the nudge is taken again
	}
	err = d.notify(nctx, bot.Outgoing{User: n.User, Reply: r.out.Reply, Key: n.Key, MaybeSent: n.MaybeSent})
	ncancel()
	if err != nil {
		d.fail(ctx, log, n, err)
		return nil
	}
	return &bot.SentNudge{ID: n.ID, At: d.Now(), Next: r.out.Next}
}

// notify calls the notifier and waits for it at most until ctx ends, even
// when the notifier ignores ctx: a send is over when the dispatcher says
// so, well inside its lease. A call still running then is remembered
// until it returns, and its nudge is not handed to the notifier again
// meanwhile; when it is, it is marked MaybeSent (the attempt marker).
func (d *Dispatcher) notify(ctx context.Context, o bot.Outgoing) error {
	d.mu.Lock()
	d.inflight[o.Key] = true
	d.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		defer func() {
			d.mu.Lock()
			delete(d.inflight, o.Key)
			d.mu.Unlock()
		}()
		done <- notifyNudge(ctx, d.Notifier, o)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("send did not finish in %s: %w", d.NotifyTimeout, ctx.Err())
	}
}

func (d *Dispatcher) inFlight(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.inflight[key]
}

// requeue puts a claimed nudge back, due at due, without counting an
// attempt.
func (d *Dispatcher) requeue(ctx context.Context, log *slog.Logger, n bot.Nudge, due time.Time, reason string) {
	rctx, cancel := d.dbctx(ctx)
	defer cancel()
	if _, err := d.Queue.Release(rctx, n.ID, d.Owner, due, reason, false); err != nil {
		log.WarnContext(ctx, "requeue nudge", "err", err)
	}
}

func (d *Dispatcher) fail(ctx context.Context, log *slog.Logger, n bot.Nudge, err error) {
	ctx, cancel := d.dbctx(ctx)
	defer cancel()
	now := d.Now()
	var rl *bot.RateLimitedError
	switch {
	case errors.Is(err, bot.ErrUnreachable):
		d.stats.unreachable.Add(1)
		d.finish(ctx, log, n, bot.NudgeDead, "unreachable: "+err.Error(), &d.stats.dead)
		if err := d.Composer.MarkUnreachable(ctx, n.User, err.Error()); err != nil {
			log.WarnContext(ctx, "mark user unreachable", "err", err)
		}
		return
	case errors.As(err, &rl):
		d.stats.rateLimited.Add(1)
		d.bucket(n.User.Platform).pause(now.Add(rl.RetryAfter))
		if n.Attempts+1 >= d.MaxAttempts {
			d.finish(ctx, log, n, bot.NudgeDead, fmt.Sprintf("gave up after %d attempts: %v", n.Attempts+1, err), &d.stats.dead)
			return
		}
		d.release(ctx, log, n, now.Add(max(rl.RetryAfter, time.Second)), err)
		return
	}
	if n.Attempts+1 >= d.MaxAttempts {
		d.finish(ctx, log, n, bot.NudgeDead, fmt.Sprintf("gave up after %d attempts: %v", n.Attempts+1, err), &d.stats.dead)
		return
	}
	d.release(ctx, log, n, now.Add(d.Backoff(n.Attempts+1)), err)
}

func (d *Dispatcher) release(ctx context.Context, log *slog.Logger, n bot.Nudge, due time.Time, cause error) {
	log.InfoContext(ctx, "nudge failed; will retry", "attempt", n.Attempts+1, "retry_at", due, "err", cause)
	if _, err := d.Queue.Release(ctx, n.ID, d.Owner, due, clipRunes(cause.Error(), 500), true); err != nil {
		log.WarnContext(ctx, "queue nudge retry", "err", err)
		return
	}
	d.stats.retried.Add(1)
}

func (d *Dispatcher) finish(ctx context.Context, log *slog.Logger, n bot.Nudge, status, reason string, counter *atomic.Int64) {
	ctx, cancel := d.dbctx(ctx)
	defer cancel()
	if status == bot.NudgeDead {
		log.WarnContext(ctx, "nudge is dead", "reason", reason)
	}
	if _, err := d.Queue.Finish(ctx, n.ID, d.Owner, status, clipRunes(reason, 500)); err != nil {
		log.WarnContext(ctx, "finish nudge", "status", status, "err", err)
		return
	}
	counter.Add(1)
}

func (d *Dispatcher) bucket(platform string) *tokenBucket {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, ok := d.buckets[platform]
	if !ok {
		l := d.Limits[platform]
		b = newTokenBucket(l, d.Now())
		d.buckets[platform] = b
	}
	return b
}

// waitToken waits until the platform's bucket lets one more send through.
func (d *Dispatcher) waitToken(ctx context.Context, platform string) error {
	b := d.bucket(platform)
	for {
		w, reserved := b.reserve(d.Now())
		if w > 0 {
			if err := d.Sleep(ctx, w); err != nil {
				return err
			}
		}
		if reserved {
			return nil
		}
	}
}

// admit waits until the platform's one-second window has room for one
// more send, and counts the send as started.
func (d *Dispatcher) admit(ctx context.Context, platform string) error {
	b := d.bucket(platform)
	for {
		w := b.admit(d.Now)
		if w <= 0 {
			return nil
		}
		if err := d.Sleep(ctx, w); err != nil {
			return err
		}
	}
}

// clipRunes cuts s to n runes, marking the cut with an ellipsis.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
