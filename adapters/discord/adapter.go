package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/influbot/influbot/bot"
)

// DMTenant is the tenant of direct messages with the bot, which belong to
// no guild, and the user's personal scope: interactions from group DMs and
// from servers where only the user installed the app (a user install)
// belong to it too. "@" cannot start a guild id, so it never collides with
// one; users in it are told apart by their ids, as everywhere.
const DMTenant = "@dm"

// Handler is the part of the core the adapter needs: *bot.Bot.
type Handler interface {
	Handle(ctx context.Context, req bot.Request) bot.Reply
	Commands() []*bot.Command
	// Private reports, before the core runs, whether the answer to req is
	// shown only to its sender: the command record decides, so a slash
	// command is acknowledged ephemerally from the start.
	Private(req bot.Request) bool
}

// TenantNudges is the part of the nudge schedule the adapter needs.
type TenantNudges interface {
	// CancelTenantNudges cancels the live nudges of every user of a
	// tenant, with the reason to show, and returns how many.
	CancelTenantNudges(ctx context.Context, platform, tenant, reason string) (int, error)
	// NudgeTenants lists the tenants of a platform with live nudges.
	NudgeTenants(ctx context.Context, platform string) ([]string, error)
}

// removedReason is why the nudges of a server the bot left were canceled,
// as `influbot nudges` shows it.
const removedReason = "the bot was removed from this Discord server"

// Defaults for the Adapter's optional fields.
const (
	DefaultReplyTimeout    = 2 * time.Minute
	DefaultShutdownTimeout = 10 * time.Second
	DefaultMaxConcurrent   = 32

	// ackTimeout bounds the deferral of an interaction: Discord drops
	// interactions not acknowledged within 3 seconds.
	ackTimeout = 3 * time.Second
	// sendTimeout bounds the sending of one answer, retries included.
	sendTimeout = 30 * time.Second
	// rememberedDMChannels and rememberedButtons bound the adapter's
	// caches of DM channel ids and long buttons.
	rememberedDMChannels = 10000
	rememberedButtons    = 4096
	// rememberedMessages bounds the ids of messages already answered, to
	// answer a message Discord dispatches twice only once.
	rememberedMessages = 4096
)

// Adapter runs the bot on Discord. Set its fields, then call Run, which
// serves until its context ends (or Start and Close, which Run calls). An
// Adapter is used once.
type Adapter struct {
	// Token is the bot token from the Developer Portal, with or without
	// the "Bot " prefix. It is never logged.
	Token string
	// ApplicationID is the application's id; empty means ask Discord
	// (GET /oauth2/applications/@me) at start.
	ApplicationID string
	// GuildID, when set, registers the slash commands in that guild only,
	// where they appear at once (for development); otherwise they are
	// registered globally.
	GuildID string
	// Bot answers requests.
	Bot Handler
	// Nudges cancels the nudges of a server the bot was removed from; nil
	// leaves them to fail one by one. *store.DB is one.
	Nudges TenantNudges
	// Logger receives the adapter's log; nil discards it.
	Logger *slog.Logger
	// HTTPClient makes the REST calls; nil uses discordgo's default client
	// (20-second timeout). Tests point it at a fake Discord.
	HTTPClient *http.Client
	// APIURL replaces DefaultAPIURL, the base of the REST API (a proxy, or
	// a fake Discord); empty means Discord itself. The gateway's address
	// comes from the API (GET /gateway).
	APIURL string
	// Now is the clock for requests whose time Discord does not give; nil
	// means time.Now.
	Now func() time.Time
	// ReplyTimeout bounds the wait for a free slot and the core's work on
	// one request; 0 means DefaultReplyTimeout. The answer is then sent
	// under a deadline of its own, so a late answer still goes out.
	ReplyTimeout time.Duration
	// ShutdownTimeout is how long Close waits for answers in flight; 0
	// means DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// MaxConcurrent bounds the requests the core works on at once; 0 means
	// DefaultMaxConcurrent. An interaction still waiting after 2 seconds is
	// acknowledged (deferred) and answered when its turn comes.
	MaxConcurrent int
	// OnReady, when set, is called once Run is online: from then on the
	// adapter can send messages (Notify).
	OnReady func()
	// ShardID and ShardCount run this adapter as gateway shard ShardID of
	// ShardCount (shard.go); ShardCount 0 or 1 means no sharding.
	// AutoShards takes the count from Discord's recommendation (GET
	// /gateway/bot) instead of ShardCount.
	ShardID, ShardCount int
	AutoShards          bool

	mu         sync.Mutex
	session    *discordgo.Session
	started    bool
	closed     bool
	appID      string
	table      commandTable
	log        *slog.Logger
	now        func() time.Time
	slots      chan struct{}
	handlers   sync.WaitGroup
	ctx        context.Context // handlers' context; cancelled at the end of Close
	cancel     context.CancelFunc
	dmChannels *recent[string]
	buttons    *recent[bot.Action]
	shares     *recent[sharedResult] // private results until shared (ux.go)
	// inline is how long a gateway interaction waits for the core before
	// it is deferred: gatewayInline unless set; below zero, at once.
	inline   time.Duration
	answered *recent[struct{}] // message ids already taken up
	// resumeTries counts resumable op 9s since the last READY or RESUMED.
	resumeTries atomic.Int32
	shards      [2]int // the shard and count the session runs
}

// Run connects, serves until ctx ends, then closes: it returns once the
// answers in flight are sent (or ShutdownTimeout has passed).
func (a *Adapter) Run(ctx context.Context) error {
	if err := a.Start(ctx); err != nil {
		return err
	}
	if a.OnReady != nil {
		a.OnReady()
	}
	<-ctx.Done()
	return a.Close()
}

// token is Token without the "Bot " prefix and surrounding space.
func (a *Adapter) token() string {
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(a.Token), "Bot "))
}

// Validate checks the configuration without calling Discord: a token, and
// ids that are Discord ids. The token never appears in its errors. Start
// calls it.
func (a *Adapter) Validate() error {
	token := a.token()
	switch {
	case token == "":
		return errors.New("discord: DISCORD_TOKEN is not set: copy the bot token from the Bot page of your application in the Discord Developer Portal")
	case strings.ContainsAny(token, " \t\r\n"):
		return errors.New("discord: the token contains spaces; copy it again from the Developer Portal")
	case a.Bot == nil:
		return errors.New("discord: Adapter.Bot is required")
	case a.ApplicationID != "" && !isSnowflake(a.ApplicationID):
		return fmt.Errorf("discord: DISCORD_APPLICATION_ID %q is not a Discord id: copy the Application ID from the General Information page", a.ApplicationID)
	case a.GuildID != "" && !isSnowflake(a.GuildID):
		return fmt.Errorf("discord: DISCORD_GUILD_ID %q is not a Discord id: in Discord, turn on Developer Mode and use Copy Server ID", a.GuildID)
	}
	return a.validateShards()
}

// Start checks the configuration, registers the slash commands, and
// connects to the gateway. It returns once the bot is online; events are
// then handled in the background until Close.
func (a *Adapter) Start(ctx context.Context) error {
	a.mu.Lock()
	if a.started {
		a.mu.Unlock()
		return errors.New("discord: adapter already started")
	}
	a.started = true
	a.mu.Unlock()

	if err := a.Validate(); err != nil {
		return err
	}
	token := a.token()
	a.prepare(ctx)

	s, err := discordgo.New("Bot " + token)
	if err != nil {
		return fmt.Errorf("discord: new session: %w", err)
	}
	s.LogLevel = routeLibraryLog(a.log, token)
	// Uncompressed payloads, all JSON text, so that the gateway connection
	// can see a resumable op 9 (gwconn.go); a bot's traffic is small.
	s.Compress = false
	s.Dialer = gatewayDialer(s.Dialer, a.tryResume)
	base, err := parseAPIURL(a.APIURL)
	if err != nil {
		return err
	}
	client := s.Client
	if a.HTTPClient != nil {
		client = a.HTTPClient
	}
	gated := *client
	gated.Transport = newGate(client.Transport, base, a.now)
	s.Client = &gated
	// MESSAGE_CONTENT is not requested: Discord delivers the text of DMs
	// and of messages that mention the bot without it, and those are all
	// the bot reads.
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	// The state keeps guilds with their roles and owner, to tell admins
	// from the roles on a message; nothing else is tracked.
	s.State.TrackChannels = false
	s.State.TrackThreads = false
	s.State.TrackEmojis = false
	s.State.TrackStickers = false
	s.State.TrackMembers = false
	s.State.TrackThreadMembers = false
	s.State.TrackVoice = false
	s.State.TrackPresences = false
	s.State.MaxMessageCount = 0
	s.AddHandler(a.onMessageCreate)
	s.AddHandler(a.onInteractionCreate)
	s.AddHandler(a.onGuildDelete)
	s.AddHandler(a.cancelNudgesOfServersLeft)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		a.resumeTries.Store(0)
		if r != nil && r.User != nil {
			a.log.Info("discord gateway ready", "bot_user", r.User.ID, "guilds", len(r.Guilds))
		}
	})
	s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) {
		a.resumeTries.Store(0)
		a.log.Info("discord gateway session resumed")
	})
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { a.log.Info("discord gateway disconnected") })

	a.appID = a.ApplicationID
	if a.appID == "" {
		endpoint := discordgo.EndpointOAuth2Application("@me")
		body, err := s.RequestWithBucketID(http.MethodGet, endpoint, nil, endpoint, discordgo.WithContext(ctx))
		if err != nil {
			return startError("look up the application", err)
		}
		var app struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(body, &app); err != nil || !isSnowflake(app.ID) {
			return errors.New("discord: look up the application: Discord returned no application id; set DISCORD_APPLICATION_ID")
		}
		a.appID = app.ID
	}
	scope := "globally"
	if a.GuildID != "" {
		scope = "in guild " + a.GuildID
	}
	if _, err := s.ApplicationCommandBulkOverwrite(a.appID, a.GuildID, a.table.defs, discordgo.WithContext(ctx)); err != nil {
		return startError("register slash commands "+scope, err)
	}
	a.log.InfoContext(ctx, "discord slash commands registered", "count", len(a.table.defs), "scope", scope)

	if err := a.setShards(ctx, s); err != nil {
		return err
	}
	a.mu.Lock()
	a.ctx, a.cancel = context.WithCancel(context.WithoutCancel(ctx))
	a.session = s
	a.mu.Unlock()
	if err := s.Open(); err != nil {
		a.mu.Lock()
		a.session = nil
		a.closed = true
		a.mu.Unlock()
		a.cancel()
		return startError("connect to the gateway", err)
	}
	return nil
}

// prepare fills in the defaults and builds the caches and the command
// table that both the gateway and the HTTP endpoint (http.go) use.
func (a *Adapter) prepare(ctx context.Context) {
	a.log = a.Logger
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	a.now = a.Now
	if a.now == nil {
		a.now = time.Now
	}
	n := a.MaxConcurrent
	if n <= 0 {
		n = DefaultMaxConcurrent
	}
	a.slots = make(chan struct{}, n)
	a.dmChannels = newRecent[string](rememberedDMChannels)
	a.buttons = newRecent[bot.Action](rememberedButtons)
	a.answered = newRecent[struct{}](rememberedMessages)
	a.shares = newRecent[sharedResult](rememberedShares)
	if a.inline == 0 {
		a.inline = gatewayInline
	}
	var suggests func(command, option string) bool
	if sg, ok := a.Bot.(Suggester); ok {
		suggests = sg.Suggests
	}
	a.table = buildCommands(a.Bot.Commands(), suggests)
	for _, why := range a.table.skipped {
		a.log.WarnContext(ctx, "core command not registered on Discord", "reason", why)
	}
}

// Close disconnects from the gateway and waits up to ShutdownTimeout for
// answers in flight.
func (a *Adapter) Close() error {
	a.mu.Lock()
	if a.closed || a.session == nil {
		a.closed = true
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	s := a.session
	a.mu.Unlock()

	// No write to s.ShouldReconnectOnError here: discordgo reads it without
	// its lock from the heartbeat goroutine, so setting it after Open is a
	// data race. Close is enough: a connection it closed is no longer the
	// session's, and discordgo does not reconnect it.
	err := s.Close()
	a.drain()
	if err != nil {
		return fmt.Errorf("discord: close gateway: %w", err)
	}
	return nil
}

// drain waits up to ShutdownTimeout for the handlers in flight, then
// cancels their context.
func (a *Adapter) drain() {
	done := make(chan struct{})
	go func() {
		a.handlers.Wait()
		close(done)
	}()
	wait := a.ShutdownTimeout
	if wait <= 0 {
		wait = DefaultShutdownTimeout
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		a.log.Warn("discord: answers still in flight at shutdown; cancelling them")
		a.cancel()
		<-done
	}
	a.cancel()
}

// begin registers a handler run; ok is false once the adapter is closing.
func (a *Adapter) begin() (ctx context.Context, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed || a.ctx == nil {
		return nil, false
	}
	a.handlers.Add(1)
	return a.ctx, true
}

// end finishes a handler run, logging a panic instead of crashing the
// process: discordgo runs handlers on goroutines of their own.
func (a *Adapter) end(ctx context.Context, event string) {
	if r := recover(); r != nil {
		a.log.ErrorContext(ctx, "discord: panic handling event", "event", event, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	}
	a.handlers.Done()
}

// acquire waits for a free slot for the core; false if ctx ended first.
func (a *Adapter) acquire(ctx context.Context) bool {
	select {
	case a.slots <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (a *Adapter) release() { <-a.slots }

// Sentences for requests the core never saw.
const (
	busyText       = "I'm answering a lot of people right now; please ask again in a minute."
	restartingText = "I'm restarting; please ask again in a minute."
)

// handle runs the core under the reply timeout. base is the handler's
// context, which ends only at shutdown: when no slot frees up before the
// reply timeout, the user is told the bot is busy, or restarting when it is.
func (a *Adapter) handle(base context.Context, req bot.Request) bot.Reply {
	ctx, cancel := a.replyContext(base)
	defer cancel()
	if !a.acquire(ctx) {
		text := busyText
		if base.Err() != nil {
			text = restartingText
		}
		a.log.WarnContext(base, "discord: no free slot for a request before its deadline", "user", req.User.String(), "max_concurrent", cap(a.slots), "restarting", base.Err() != nil)
		return bot.Reply{Text: text, Tone: bot.ToneError, Ephemeral: true}
	}
	defer a.release()
	a.log.DebugContext(ctx, "discord request", "user", req.User.String(), "channel", req.Channel, "dm", req.DM, "command", req.Command)
	return a.Bot.Handle(ctx, req)
}

func (a *Adapter) replyContext(ctx context.Context) (context.Context, context.CancelFunc) {
	d := a.ReplyTimeout
	if d <= 0 {
		d = DefaultReplyTimeout
	}
	return context.WithTimeout(ctx, d)
}

// sendContext bounds the delivery of an answer. It starts when the answer
// is ready, not when the work began: work that outlived the reply timeout
// still gets its answer (or apology) out. An interaction token lasts 15
// minutes, far longer than this.
func sendContext(base context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(base, sendTimeout)
}

func (a *Adapter) encoder() buttonEncoder {
	return func(b bot.Button) (string, bool) { return encodeButton(b, a.buttons) }
}

// maxResumeTries is how many resumable op 9s in a row are answered by
// resuming before the adapter lets discordgo identify afresh, so that a
// session Discord keeps refusing cannot hold the bot in a loop.
const maxResumeTries = 3

// tryResume decides what a resumable op 9 leads to: true to resume.
func (a *Adapter) tryResume() bool {
	if n := a.resumeTries.Add(1); n > maxResumeTries {
		a.resumeTries.Store(0)
		a.log.Warn("discord gateway: resuming failed repeatedly; starting a new session", "tries", n-1)
		return false
	}
	a.log.Info("discord gateway: session invalidated but resumable; reconnecting to resume it")
	return true
}

// startError explains a failure to start in terms a person can act on.
func startError(what string, err error) error {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		switch re.Response.StatusCode {
		case http.StatusUnauthorized:
			return fmt.Errorf("discord: %s: Discord rejected the token (HTTP 401); check DISCORD_TOKEN: %w", what, err)
		case http.StatusForbidden, http.StatusNotFound:
			return fmt.Errorf("discord: %s: Discord refused (is DISCORD_APPLICATION_ID this bot's application, and is the bot in DISCORD_GUILD_ID with the applications.commands scope?): %w", what, err)
		}
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return fmt.Errorf("discord: %s: Discord rejected the token; check DISCORD_TOKEN: %w", what, err)
		case 4013, 4014:
			return fmt.Errorf("discord: %s: Discord refused the gateway intents; check the bot's Privileged Gateway Intents in the Developer Portal: %w", what, err)
		}
	}
	return fmt.Errorf("discord: %s: %w", what, err)
}

// isSnowflake reports whether s looks like a Discord id.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// discordEpoch is the first second of 2015, where snowflake times start.
const discordEpoch = 1420070400000

// snowflakeTime returns when Discord created the object with this id.
func snowflakeTime(id string) (time.Time, bool) {
	if !isSnowflake(id) {
		return time.Time{}, false
	}
	var n uint64
	for _, r := range id {
		d := uint64(r - '0')
		if n > (^uint64(0)-d)/10 {
			return time.Time{}, false
		}
		n = n*10 + d
	}
	ms := int64(n>>22) + discordEpoch
	return time.UnixMilli(ms).UTC(), true
}
