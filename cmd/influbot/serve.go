package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"

	discordadapter "github.com/influbot/influbot/adapters/discord"
	slackadapter "github.com/influbot/influbot/adapters/slack"
	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/internal/service"
)

// httpAddr is where the HTTP server listens: INFLUBOT_ADDR, or its older
// name INFLUBOT_HTTP_ADDR, or service.DefaultAddr.
func httpAddr(e *env) string {
	for _, name := range []string{"INFLUBOT_ADDR", "INFLUBOT_HTTP_ADDR"} {
		if v := strings.TrimSpace(e.getenv(name)); v != "" {
			return v
		}
	}
	return service.DefaultAddr
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "[--addr ADDR] [flags]", `
Serve influbot over HTTP, for a reverse proxy or a load balancer: Slack's
request URLs (POST /slack/commands, /slack/events, /slack/interactive) when
SLACK_SIGNING_SECRET is set (without SLACK_BOT_TOKEN slash commands and
buttons are answered inline only), Discord's interactions endpoint
(POST /discord/interactions) when DISCORD_PUBLIC_KEY and
DISCORD_APPLICATION_ID are set, and always GET /healthz (alive),
/readyz (database writable, knowledge loaded) and /metrics (Prometheus).
SIGINT or SIGTERM stops it gracefully.`)
	var af appFlags
	af.register(fs, e)
	addr := fs.String("addr", httpAddr(e), "address to listen on (env INFLUBOT_ADDR, or INFLUBOT_HTTP_ADDR)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("serve takes no arguments, got %q", pos[0])
	}
	if err := checkSettings(e, fs, "serve"); err != nil {
		return err
	}
	log, err := newLogger(e.stderr, af.logLevel, af.logFormat, slog.LevelInfo)
	if err != nil {
		return err
	}
	heapReady := tuneGC(ctx, e, log)
	// Listen first: /healthz answers while the knowledge loads, and
	// /readyz says it is still starting.
	srv := service.New(log, service.NewMetrics())
	srv.Addr = *addr
	ln, err := srv.Listen(ctx)
	if err != nil {
		return err
	}
	server := startServing(ctx, srv, ln)
	if pa := strings.TrimSpace(e.getenv("INFLUBOT_PPROF_ADDR")); pa != "" {
		stopPprof, err := startPprof(ctx, log, pa)
		if err != nil {
			return errors.Join(err, server.stop())
		}
		defer stopPprof()
	}
	a, err := openAppCounted(ctx, e, af, slog.LevelInfo, srv.Metrics())
	if err != nil {
		return errors.Join(err, server.stop())
	}
	defer a.Close()
	adapters := []adapter{server}
	var names []string
	if strings.TrimSpace(e.getenv("SLACK_SIGNING_SECRET")) != "" {
		sa, err := slackAdapter(a, e)
		if err != nil {
			return errors.Join(err, server.stop())
		}
		sa.AppToken = "" // serve answers Slack over HTTP
		mountSlack(srv, sa)
		adapters = append(adapters, sa)
		if sa.CanSend() {
			names = append(names, bot.PlatformSlack)
		}
	}
	discord := false
	if strings.TrimSpace(e.getenv("DISCORD_PUBLIC_KEY")) != "" {
		ep, err := discordEndpoint(a, e)
		if err != nil {
			return errors.Join(err, server.stop())
		}
		srv.Mount(bot.PlatformDiscord, "discord_interactions", ep, "POST /discord/interactions")
		adapters = append(adapters, endpointRunner{ep})
		discord = true
	}
	if err := a.mountDashboard(srv); err != nil {
		return errors.Join(err, server.stop())
	}
	srv.SetReady(func() error { return errors.Join(heapReady(), a.ready()) })
	a.log.Info("ready", "addr", ln.Addr().String(), "slack", e.getenv("SLACK_SIGNING_SECRET") != "", "discord", discord)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Nudges only for platforms that can send them: a dispatcher given
	// no platform would claim every platform's.
	if len(names) > 0 {
		defer a.startNudges(ctx, names, bot.UserRef{})()
	}
	return runAdapters(ctx, adapters...)
}

// ready is what /readyz reports once the app is open (the knowledge is
// loaded and the migrations done by then): whether the database takes
// writes.
func (a *app) ready() error {
	if a.db == nil {
		return nil
	}
	return dbReady(a.db)
}

// discordEndpoint builds Discord's HTTP interactions endpoint from
// DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID (no bot token needed: it
// answers inline, and follows slow answers up through the interaction's
// webhook).
func discordEndpoint(a *app, e *env) (*discordadapter.Endpoint, error) {
	ep, err := discordadapter.NewEndpoint(discordadapter.EndpointConfig{
		PublicKey:     e.getenv("DISCORD_PUBLIC_KEY"),
		ApplicationID: e.getenv("DISCORD_APPLICATION_ID"),
		APIURL:        e.getenv("DISCORD_API_URL"),
		Bot:           a.bot,
		Logger:        a.log,
	})
	if err != nil {
		return nil, usagef("%v", err)
	}
	return ep, nil
}

// endpointRunner gives the Discord endpoint the adapters' lifecycle: it
// serves through the mounted handler, and Run waits for the deferred
// answers still in flight when ctx ends.
type endpointRunner struct{ ep *discordadapter.Endpoint }

func (r endpointRunner) Run(ctx context.Context) error {
	<-ctx.Done()
	return r.ep.Close()
}

// mountSlack mounts the Slack adapter's endpoints on srv; the adapter's
// Run then starts it and waits instead of listening itself.
func mountSlack(srv *service.Server, sa *slackadapter.Adapter) {
	sa.Mounted = true
	sa.OnBusy = srv.Metrics().Busy(bot.PlatformSlack)
	if sa.Replays != nil {
		sa.Replays = timedReplays{ReplayLog: sa.Replays, m: srv.Metrics()}
	}
	srv.Mount(bot.PlatformSlack, "slack_commands", sa, "POST "+slackadapter.CommandsPath)
	srv.Mount(bot.PlatformSlack, "slack_events", sa, "POST "+slackadapter.EventsPath)
	srv.Mount(bot.PlatformSlack, "slack_interactive", sa, "POST "+slackadapter.InteractivePath, "POST "+slackadapter.InteractionsPath)
	if sa.OAuth != nil {
		srv.Mount(bot.PlatformSlack, "slack_install", sa, "GET "+slackadapter.InstallPath, "GET "+slackadapter.OAuthCallbackPath)
	}
}

// serving is a server already listening, run with the adapters: its Run
// returns when the server fails, or shuts it down when ctx ends.
type serving struct {
	cancel context.CancelFunc
	done   chan error
}

func startServing(ctx context.Context, srv *service.Server, ln net.Listener) *serving {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s := &serving{cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- srv.Serve(ctx, ln) }()
	return s
}

func (s *serving) Run(ctx context.Context) error {
	select {
	case err := <-s.done:
		s.cancel()
		return err
	case <-ctx.Done():
		return s.stop()
	}
}

// stop shuts the server down gracefully and returns how that went.
func (s *serving) stop() error {
	s.cancel()
	return <-s.done
}

// serveHTTP mounts the adapters that answer over HTTP (Slack without
// Socket Mode) on one server listening on httpAddr, and returns it ready
// to run with them; nil when none does.
func (a *app) serveHTTP(ctx context.Context, e *env, adapters []adapter) (adapter, error) {
	var srv *service.Server
	heapReady := func() error { return nil }
	for _, ad := range adapters {
		sa, ok := ad.(*slackadapter.Adapter)
		if !ok || sa.AppToken != "" {
			continue
		}
		if srv == nil {
			heapReady = tuneGC(ctx, e, a.log)
			srv = service.New(a.log, a.metrics)
			srv.Addr = httpAddr(e)
		}
		mountSlack(srv, sa)
	}
	if srv == nil {
		return nil, nil
	}
	ln, err := srv.Listen(ctx)
	if err != nil {
		return nil, err
	}
	srv.SetReady(func() error { return errors.Join(heapReady(), a.ready()) })
	return startServing(ctx, srv, ln), nil
}
