package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/internal/service"
)

// adapter is what every adapter is, whatever its platform: Run serves until
// ctx ends and returns after a clean shutdown (or at once with the reason
// it could not start).
type adapter interface {
	Run(ctx context.Context) error
}

// platform is a chat platform influbot can run on besides the console.
type platform struct {
	name string
	// configured reports whether the environment holds its credentials.
	configured func(e *env) bool
	// adapter builds the platform's adapter from the environment. The
	// adapter checks its own settings when it starts; once it can send
	// messages it registers its notifier with a.notify.
	adapter func(a *app, e *env) (adapter, error)
}

func platforms() []platform {
	return []platform{discordPlatform(), slackPlatform()}
}

func runBot(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "run", "[flags]", `
Run influbot on every platform whose credentials are set in the environment
(see README.md: DISCORD_TOKEN for Discord; SLACK_BOT_TOKEN with
SLACK_SIGNING_SECRET or SLACK_APP_TOKEN for Slack). With none set, run starts
the terminal chat instead (as 'influbot chat').`)
	var af appFlags
	af.register(fs, e)
	name := fs.String("user", defaultUserName(e), "who is talking in the terminal chat (when no platform is configured)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("run takes no arguments, got %q", pos[0])
	}
	if err := checkSettings(e, fs, "run"); err != nil {
		return err
	}
	var configured []platform
	for _, p := range platforms() {
		if p.configured(e) {
			configured = append(configured, p)
		}
	}
	if len(configured) == 0 {
		return chatWith(ctx, e, af, *name)
	}
	a, err := openAppCounted(ctx, e, af, slog.LevelInfo, service.NewMetrics())
	if err != nil {
		return err
	}
	defer a.Close()
	var (
		names    []string
		adapters []adapter
	)
	for _, p := range configured {
		ad, err := p.adapter(a, e)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		names = append(names, p.name)
		adapters = append(adapters, ad)
		a.log.Info("starting adapter", "platform", p.name)
	}
	// Platforms answering over HTTP share one server, with /healthz,
	// /readyz and /metrics.
	if server, err := a.serveHTTP(ctx, e, adapters); err != nil {
		return err
	} else if server != nil {
		adapters = append(adapters, server)
	}
	// Nudges for each platform go out once its adapter has registered.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer a.startNudges(ctx, names, bot.UserRef{})()
	return runAdapters(ctx, adapters...)
}

// runAdapters runs the adapters together until ctx ends or one of them
// returns (one platform failing to start stops the process, loudly), then
// stops the others and waits for them all. It returns their errors.
func runAdapters(ctx context.Context, adapters ...adapter) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, ad := range adapters {
		wg.Go(func() {
			defer cancel()
			if err := ad.Run(ctx); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
