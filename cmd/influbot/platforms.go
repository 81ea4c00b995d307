package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/influbot/influbot/bot"
)

// platform is a chat platform influbot can run on besides the console.
type platform struct {
	name string
	// configured reports whether the environment holds its credentials.
	configured func(e *env) bool
	// run connects and serves until ctx ends. It registers the platform's
	// notifier with a.notify once it can send messages.
	run func(ctx context.Context, a *app, e *env) error
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
	var configured []platform
	for _, p := range platforms() {
		if p.configured(e) {
			configured = append(configured, p)
		}
	}
	if len(configured) == 0 {
		return chatWith(ctx, e, af, *name)
	}
	a, err := openApp(ctx, e, af, slog.LevelInfo)
	if err != nil {
		return err
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var names []string
	for _, p := range configured {
		names = append(names, p.name)
	}
	// Nudges for each platform go out once its adapter has registered.
	defer a.startNudges(ctx, names, bot.UserRef{})()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, p := range configured {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.log.Info("starting adapter", "platform", p.name)
			if err := p.run(ctx, a, e); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", p.name, err))
				mu.Unlock()
				cancel() // one platform failing to start stops the process, loudly
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
