package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/influbot/influbot/bot"
)

// Bot is the part of the core the adapter needs.
type Bot interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
	// Invoked returns the command req runs, from the core's command
	// records (a button's, a slash command's, the first word's or the
	// plain words'); false for a question.
	Invoked(req bot.Request) (*bot.Command, bool)
	// Private reports whether the answer to req is for its sender alone,
	// from the core's command record (bot.Command.Private).
	Private(req bot.Request) bool
}

// Defaults for the Adapter's optional fields.
const (
	DefaultProfileTTL  = 10 * time.Minute
	DefaultMaxInFlight = 64

	// maxBody is the largest request body the HTTP endpoints read. Slack's
	// payloads are a few kilobytes.
	maxBody = 1 << 20
	// maxSkew is how far a request's timestamp may be from the clock
	// before it is refused as a replay.
	maxSkew = 5 * time.Minute
	// processTimeout bounds the work for one request, retries included.
	processTimeout = 2 * time.Minute
	// maxRetries and maxRetryWait bound how long a reply waits out Slack's
	// rate limits.
	maxRetries   = 3
	maxRetryWait = time.Minute
	// seenEvents is how many event ids are remembered to drop Slack's
	// retries; Slack retries three times within about five minutes.
	seenEvents = 10000
	// maxProfiles bounds the users.info cache.
	maxProfiles = 10000
	// uncertainNudges bounds the keys of nudges whose delivery may have
	// reached Slack without the adapter hearing so.
	uncertainNudges = 4096
	// rejectLogEvery is how often a kind of refused request is logged.
	rejectLogEvery = 10 * time.Second
)

// Adapter connects the core to Slack. Set the fields, then call Run, which
// serves until its context ends; or, to serve the endpoints from an HTTP
// server of your own, call Start, mount the Adapter (an http.Handler) and
// call Wait on the way out. It is safe for concurrent use once running; do
// not change the fields after that.
type Adapter struct {
	// BotToken is the bot user OAuth token (xoxb-...). Required, except
	// over HTTP (SigningSecret without AppToken), where without it the
	// adapter answers only inline and through response_url: it never
	// calls the Web API, sends no nudges and cannot answer events.
	BotToken string
	// SigningSecret verifies requests to the HTTP endpoints. Required in
	// HTTP mode.
	SigningSecret string
	// AppToken is an app-level token (xapp-...) with connections:write.
	// When set, Run uses Socket Mode instead of serving HTTP.
	AppToken string
	// Addr is where Run serves the HTTP endpoints without AppToken, e.g.
	// ":3000"; "" means DefaultAddr.
	Addr string
	// Mounted means the Adapter is mounted on an HTTP server of your own:
	// without AppToken, Run starts it and waits until its context ends
	// (then for replies in progress) instead of listening on Addr.
	Mounted bool
	// OnReady, when set, is called once Run has checked the token, before
	// it serves: from then on the adapter can send messages (Notify).
	OnReady func()
	// Bot answers requests. Required.
	Bot Bot
	// Logger receives what users never see; nil discards it.
	Logger *slog.Logger
	// APIURL overrides Slack's Web API base URL (with a trailing slash),
	// for tests.
	APIURL string
	// HTTPClient calls the Web API; nil means a client with a 30 s timeout.
	HTTPClient *http.Client
	// Now is the clock that request timestamps are checked against; nil
	// means time.Now.
	Now func() time.Time
	// ProfileTTL is how long a user's admin flag and name from users.info
	// are cached; 0 means DefaultProfileTTL.
	ProfileTTL time.Duration
	// MaxInFlight bounds the requests answered at once; beyond it a
	// request waits its turn (first come, first served) for up to
	// QueueWait. 0 means DefaultMaxInFlight.
	MaxInFlight int
	// QueueWait is how long a request may wait for one of the MaxInFlight
	// places before it is refused as busy (the busy message; 503 for an
	// event, so Slack retries it later). It leaves the rest of
	// AnswerWithin for the answer itself, so a request taken on is still
	// answered inside Slack's deadline. 0 means 4/5 of AnswerWithin.
	QueueWait time.Duration
	// OnBusy, when set, is called each time a request is refused because
	// no place came free within QueueWait (a metric counts them).
	OnBusy func()
	// AnswerWithin is how long a request is held open for its answer
	// before it is acknowledged without one; 0 means DefaultAnswerWithin.
	AnswerWithin time.Duration
	// Replays remembers handled requests across restarts; nil remembers
	// them in memory only.
	Replays ReplayLog
	// Installs keeps the workspaces that installed the app through the
	// OAuth flow (OAuth), each with its own bot token; nil means
	// single-workspace mode: BotToken for every request. With Installs,
	// every call uses the token of the workspace it concerns, and BotToken
	// (optional) serves only its own workspace.
	Installs InstallStore
	// Sealer seals the installs' tokens at rest. Required with Installs.
	Sealer *Sealer
	// OAuth, when set, serves the install flow (InstallPath and
	// OAuthCallbackPath). It needs Installs.
	OAuth *OAuthConfig
	// Housekeeping, when set, runs once when Run starts serving and then
	// every HousekeepingEvery until it ends (cmd/influbot erases the data
	// of workspaces uninstalled longer ago than the grace period).
	Housekeeping      func(ctx context.Context)
	HousekeepingEvery time.Duration
	// Ready reports what keeps the process from serving fully (e.g. the
	// store's Health: the database refuses writes); ReadyPath answers
	// 503 with it. nil means always ready.
	Ready func() error

	initOnce sync.Once
	api      *slackapi.Client
	log      *slog.Logger
	now      func() time.Time
	mux      *http.ServeMux
	seen     *eventSet
	profiles *profileCache
	sem      chan struct{}
	// idle hands tasks to workers waiting for one (see worker).
	idle    chan func()
	work    sync.WaitGroup
	self    atomic.Pointer[identity]
	rejects *warnLimiter
	clients clientCache
	// wait sleeps for d or until ctx ends; tests replace it.
	wait func(ctx context.Context, d time.Duration) error

	// uncertain holds the keys of nudges whose last post may have reached
	// Slack (its answer was lost): a retry looks in the DM first.
	uncertain *eventSet
	// answers keeps the inline answers of replies given often.
	answers *answerCache
	// jsonBufs holds buffers for inline answers (writeJSON), *[]byte.
	jsonBufs sync.Pool
	// macs holds keyed HMACs for verify, *signingMAC.
	macs sync.Pool
}

// identity is who the bot token belongs to, from auth.test.
type identity struct {
	UserID       string
	BotID        string
	TeamID       string
	EnterpriseID string
}

func (a *Adapter) init() {
	a.initOnce.Do(func() {
		a.log = a.Logger
		if a.log == nil {
			a.log = slog.New(slog.DiscardHandler)
		}
		a.log = a.log.With("platform", bot.PlatformSlack)
		a.now = a.Now
		if a.now == nil {
			a.now = time.Now
		}
		hc := a.HTTPClient
		if hc == nil {
			hc = &http.Client{Timeout: 30 * time.Second}
		}
		opts := []slackapi.Option{
			slackapi.OptionHTTPClient(hc),
			slackapi.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)),
		}
		if a.APIURL != "" {
			opts = append(opts, slackapi.OptionAPIURL(a.APIURL))
		}
		if a.AppToken != "" {
			opts = append(opts, slackapi.OptionAppLevelToken(a.AppToken))
		}
		a.api = slackapi.New(a.BotToken, opts...)
		a.clients.m = map[string]cachedClient{}
		a.seen = newEventSet(seenEvents)
		a.rejects = newWarnLimiter(rejectLogEvery)
		a.uncertain = newEventSet(uncertainNudges)
		ttl := a.ProfileTTL
		if ttl <= 0 {
			ttl = DefaultProfileTTL
		}
		a.profiles = newProfileCache(maxProfiles, ttl)
		n := a.MaxInFlight
		if n <= 0 {
			n = DefaultMaxInFlight
		}
		a.sem = make(chan struct{}, n)
		a.answers = newAnswerCache()
		a.idle = make(chan func())
		if a.wait == nil {
			a.wait = sleep
		}
		a.mux = a.routes()
	})
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Validate checks the configuration without calling Slack: the tokens are
// present and not swapped. Token values never appear in its errors. Start
// calls it.
func (a *Adapter) Validate() error {
	switch {
	case a.Bot == nil:
		return errors.New("slack: Adapter.Bot is required")
	case a.Installs != nil && a.Sealer == nil:
		return errors.New("slack: installs need INFLUBOT_SECRET_KEY to seal their tokens")
	case a.BotToken == "" && a.Installs == nil && (a.AppToken != "" || a.SigningSecret == ""):
		return errors.New("slack: SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page")
	case a.BotToken != "" && !strings.HasPrefix(a.BotToken, "xoxb-"):
		return errors.New("slack: SLACK_BOT_TOKEN does not look like a bot token: it should start with xoxb-")
	case a.AppToken != "" && !strings.HasPrefix(a.AppToken, "xapp-"):
		return errors.New("slack: SLACK_APP_TOKEN does not look like an app-level token: it should start with xapp-")
	case a.AppToken == "" && a.SigningSecret == "":
		return errors.New("slack: set SLACK_SIGNING_SECRET (from Basic Information) to serve Slack's requests over HTTP, or SLACK_APP_TOKEN (xapp-...) to use Socket Mode")
	case a.OAuth != nil && a.Installs == nil:
		return errors.New("slack: the install flow needs a store for the installs (a database)")
	case a.OAuth != nil:
		return a.OAuth.validate()
	}
	return nil
}

// Start checks the configuration and the bot token (with auth.test) and
// learns the bot's own user id. Run calls it; call it yourself when you
// mount the Adapter as an http.Handler. Once it has succeeded, later calls
// do nothing.
func (a *Adapter) Start(ctx context.Context) error {
	a.init()
	if a.self.Load() != nil {
		return nil
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if a.BotToken == "" {
		a.self.Store(&identity{})
		if a.Installs != nil {
			a.log.InfoContext(ctx, "no SLACK_BOT_TOKEN: each workspace is called with the token it installed the app with (GET /slack/install)")
		} else {
			a.log.InfoContext(ctx, "no SLACK_BOT_TOKEN: answering slash commands and buttons inline only; events and nudges need the token")
		}
		return nil
	}
	resp, err := a.api.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("slack: auth.test with the bot token: %w", err)
	}
	a.self.Store(&identity{UserID: resp.UserID, BotID: resp.BotID, TeamID: resp.TeamID, EnterpriseID: resp.EnterpriseID})
	a.log.InfoContext(ctx, "slack bot authenticated", "team", resp.TeamID, "team_name", resp.Team, "bot_user", resp.UserID)
	return nil
}

// CanSend reports whether the adapter can call Slack's Web API (it has a
// bot token, or installs with their own tokens): post messages, send
// nudges, look up profiles.
func (a *Adapter) CanSend() bool { return a.BotToken != "" || a.Installs != nil }

// DefaultAddr is where Run serves the HTTP endpoints when Addr is empty.
const DefaultAddr = ":3000"

// Run starts the adapter and serves until ctx ends: over Socket Mode when
// AppToken is set, otherwise HTTP on Addr. On the way out it waits for
// replies already being worked on, then returns.
func (a *Adapter) Run(ctx context.Context) error {
	if err := a.Start(ctx); err != nil {
		return err
	}
	if a.OnReady != nil && a.CanSend() {
		a.OnReady()
	}
	hctx, stopHousekeeping := context.WithCancel(ctx)
	defer stopHousekeeping()
	if a.Housekeeping != nil {
		a.work.Add(1)
		go func() {
			defer a.work.Done()
			a.housekeep(hctx)
		}()
	}
	var err error
	switch {
	case a.AppToken != "":
		err = a.runSocketMode(ctx)
	case a.Mounted:
		<-ctx.Done()
	default:
		addr := a.Addr
		if addr == "" {
			addr = DefaultAddr
		}
		err = a.listenAndServe(ctx, addr)
	}
	stopHousekeeping()
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if werr := a.Wait(wctx); werr != nil {
		a.log.Warn("gave up waiting for replies in progress", "err", werr)
	}
	return err
}

// housekeep runs Housekeeping now and every HousekeepingEvery (default an
// hour) until ctx ends.
func (a *Adapter) housekeep(ctx context.Context) {
	every := a.HousekeepingEvery
	if every <= 0 {
		every = time.Hour
	}
	for {
		a.Housekeeping(ctx)
		if sleep(ctx, every) != nil {
			return
		}
	}
}

// Wait blocks until the replies being worked on in the background are
// delivered, or ctx ends.
func (a *Adapter) Wait(ctx context.Context) error {
	a.init()
	done := make(chan struct{})
	go func() {
		a.work.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errBusy means no place among MaxInFlight came free within QueueWait.
var errBusy = errors.New("slack: too busy: no place came free within QueueWait")

// acquire takes one of the MaxInFlight places, waiting in line for at
// most QueueWait. It fails with errBusy when none came free in time, or
// with ctx's error when the request went away first.
func (a *Adapter) acquire(ctx context.Context) error {
	select {
	case a.sem <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(a.queueWait())
	defer t.Stop()
	select {
	case a.sem <- struct{}{}:
		return nil
	case <-t.C:
		return errBusy
	case <-ctx.Done():
		return fmt.Errorf("waiting for a place to answer: %w", ctx.Err())
	}
}

func (a *Adapter) queueWait() time.Duration {
	if a.QueueWait > 0 {
		return a.QueueWait
	}
	return a.answerWithin() * 4 / 5
}

// background runs fn on its own goroutine with a context detached from
// the request that started it, so that acknowledging Slack does not cancel
// the reply, once one of the MaxInFlight places is free (see acquire). On
// an error it does nothing.
func (a *Adapter) background(parent context.Context, fn func(ctx context.Context)) error {
	if err := a.acquire(parent); err != nil {
		return err
	}
	a.work.Add(1)
	task := func() {
		defer a.work.Done()
		defer func() { <-a.sem }()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), processTimeout)
		defer cancel()
		defer func() {
			if r := recover(); r != nil {
				a.log.ErrorContext(ctx, "panic answering a Slack request", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			}
		}()
		fn(ctx)
	}
	select {
	case a.idle <- task: // a worker waiting for work takes it
	default:
		go a.worker(task)
	}
	return nil
}

// workerIdle is how long a worker goroutine waits for the next request
// before it ends.
const workerIdle = 2 * time.Second

// worker runs task, then the tasks handed to it while it waits idle, up
// to workerIdle for each. A new goroutine per request would start with a
// small stack and grow it by copying on the way to the core's answer, for
// every request (7% of a slash command's CPU); a worker keeps its grown
// stack for the next.
func (a *Adapter) worker(task func()) {
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		task()
		idle.Reset(workerIdle)
		select {
		case task = <-a.idle:
		case <-idle.C:
			return
		}
	}
}

// origin is where a request came from, and so where its reply goes.
type origin struct {
	Channel     string
	ThreadTS    string // reply in this thread
	User        string // the asking user's id, for ephemeral replies
	DM          bool
	ResponseURL string // slash commands and button presses
	// TriggerID lets the answer open a modal (slash commands, buttons,
	// shortcuts), for 3 seconds.
	TriggerID string
}

// enrich adds the user's admin flag and display name from users.info to
// requests whose answer can depend on them: commands, button presses and
// the greeting. A plain question, the bulk of the traffic, needs neither
// and costs no API call.
func (a *Adapter) enrich(ctx context.Context, req *bot.Request) {
	if !a.needsProfile(ctx, *req) {
		return
	}
	p, err := a.profile(ctx, req.User)
	if err != nil {
		a.log.WarnContext(ctx, "users.info failed; treating the user as a non-admin", "user", req.User.String(), "err", err)
		return
	}
	req.Admin = req.Admin || p.Admin
	if p.Name != "" {
		req.UserName = p.Name
	}
}

func (a *Adapter) needsProfile(ctx context.Context, req bot.Request) bool {
	if !a.canSend(ctx) {
		return false // users.info needs the token
	}
	if req.Action != nil || req.Command != "" || strings.TrimSpace(req.Text) == "" {
		return true
	}
	_, ok := a.Bot.Invoked(req)
	return ok
}

func (a *Adapter) profile(ctx context.Context, u bot.UserRef) (profile, error) {
	if p, ok := a.profiles.get(u, a.now()); ok {
		return p, nil
	}
	var user *slackapi.User
	err := a.retry(ctx, func() error {
		var err error
		user, err = a.apiFor(ctx).GetUserInfoContext(ctx, u.ID)
		return err
	})
	if err != nil {
		return profile{}, fmt.Errorf("users.info: %w", err)
	}
	p := profile{Admin: adminIn(user, u.Tenant), Name: user.Profile.DisplayName}
	if p.Name == "" {
		p.Name = user.RealName
	}
	if p.Name == "" {
		p.Name = user.Name
	}
	a.profiles.put(u, p, a.now())
	return p, nil
}

// adminIn reports whether a user is an admin or owner of the workspace
// tenant. users.info describes a user's standing in their own workspace
// (or Enterprise Grid organisation), so it counts only there: an admin of
// another organisation writing in a shared channel (Slack Connect) is not
// an admin of this one.
func adminIn(user *slackapi.User, tenant string) bool {
	if user == nil || user.IsStranger || !(user.IsAdmin || user.IsOwner || user.IsPrimaryOwner) {
		return false
	}
	if user.TeamID == tenant {
		return true
	}
	e := user.Enterprise
	return e.EnterpriseID != "" && (e.EnterpriseID == tenant || slices.Contains(e.Teams, tenant))
}

// botUserID is the bot's own user id, from the event's authorizations or
// auth.test.
func (a *Adapter) botUserID(auths []slackapi.EventAuthorization) string {
	for _, au := range auths {
		if au.IsBot && au.UserID != "" {
			return au.UserID
		}
	}
	if id := a.self.Load(); id != nil {
		return id.UserID
	}
	return ""
}

// tenant picks the workspace a request belongs to: the first candidate
// team id that is set and is not the Enterprise Grid organisation, which
// is only the fallback.
func tenant(enterpriseID string, candidates ...string) string {
	for _, c := range candidates {
		if c != "" && c != enterpriseID {
			return c
		}
	}
	return enterpriseID
}

// isDM reports whether a channel id is a direct message with the bot.
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// slackTime parses Slack's "1712345678.000200" timestamps.
func slackTime(ts string) (time.Time, bool) {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || s <= 0 {
		return time.Time{}, false
	}
	var us int64
	if frac != "" {
		us, _ = strconv.ParseInt((frac + "000000")[:6], 10, 64)
	}
	return time.Unix(s, us*1000), true
}

// retry calls call, waiting out Slack's rate limits (429 with Retry-After)
// a bounded number of times.
func (a *Adapter) retry(ctx context.Context, call func() error) error {
	for attempt := 0; ; attempt++ {
		err := call()
		var rl *slackapi.RateLimitedError
		if !errors.As(err, &rl) || attempt == maxRetries || rl.RetryAfter > maxRetryWait {
			return err
		}
		a.log.InfoContext(ctx, "rate limited by Slack; waiting", "retry_after", rl.RetryAfter, "attempt", attempt+1)
		if werr := a.wait(ctx, rl.RetryAfter); werr != nil {
			return fmt.Errorf("%w (stopped waiting: %w)", err, werr)
		}
	}
}
