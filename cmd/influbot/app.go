package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
	"github.com/influbot/influbot/internal/dashboard"
	"github.com/influbot/influbot/internal/service"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

// appFlags are the flags every command that builds the bot shares.
type appFlags struct {
	knowledgeDir string
	logLevel     string
	logFormat    string // text or json
	db           string // "" keeps no history
	retention    string // an age such as 365d; "" or 0 prunes nothing
}

func (f *appFlags) register(fs *flag.FlagSet, e *env) {
	fs.StringVar(&f.knowledgeDir, "knowledge", e.getenv("INFLUBOT_KNOWLEDGE"), "directory of knowledge files that override or add to the built-in ones (env INFLUBOT_KNOWLEDGE)")
	fs.StringVar(&f.logLevel, "log-level", e.getenv("INFLUBOT_LOG_LEVEL"), "log level: debug, info, warn or error (env INFLUBOT_LOG_LEVEL; default warn for one-shot commands and the console, info for Discord and Slack)")
	fs.StringVar(&f.logFormat, "log-format", e.getenv("INFLUBOT_LOG_FORMAT"), "log format: text or json (env INFLUBOT_LOG_FORMAT; default text)")
	fs.StringVar(&f.db, "db", dbFromEnv(e), "database for history: a SQLite file or a postgres:// URL (env INFLUBOT_DB; default influbot.db in the working directory; --db= keeps none)")
	fs.StringVar(&f.retention, "retention", e.getenv("INFLUBOT_RETENTION"), "delete history older than this once a day while running, e.g. 365d (env INFLUBOT_RETENTION; default 0, keep all)")
}

// app is a wired bot and what must be closed with it.
type app struct {
	bot     *bot.Bot
	kb      *knowledge.Base
	log     *slog.Logger
	notify  *nudge.Mux       // adapters register here; nudges go out through it
	metrics *service.Metrics // what /metrics shows; nil outside run and serve
	db      *store.DB        // the history database; nil with --db=
	closers []func() error

	// workspaces are the workspaces' own knowledge and publicURL the
	// dashboard's address (cmd_dashboard.go); nil and "" without them.
	workspaces *dashboard.Workspaces
	publicURL  string

	// limits are the nudges' send rates per platform (INFLUBOT_NUDGE_RATE).
	limits map[string]nudge.RateLimit
}

func (a *app) Close() error {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		errs = append(errs, a.closers[i]())
	}
	return errors.Join(errs...)
}

// openApp loads the knowledge and builds the bot.
func openApp(ctx context.Context, e *env, f appFlags, defLevel slog.Level) (*app, error) {
	return openAppCounted(ctx, e, f, defLevel, nil)
}

// openAppCounted is openApp with the core's FAQ outcomes counted in m
// (nil counts nothing).
func openAppCounted(ctx context.Context, e *env, f appFlags, defLevel slog.Level, m *service.Metrics) (*app, error) {
	log, err := newLogger(e.stderr, f.logLevel, f.logFormat, defLevel)
	if err != nil {
		return nil, err
	}
	kb, err := knowledge.LoadDirLog(f.knowledgeDir, log)
	if err != nil {
		return nil, err
	}
	a := &app{kb: kb, log: log, notify: &nudge.Mux{}, metrics: m}
	cfg := bot.Config{Knowledge: kb, Logger: log}
	if a.limits, err = nudgeEnv(e, &cfg.Nudges); err != nil {
		return nil, err
	}
	if err := a.openStore(ctx, e, f, &cfg); err != nil {
		a.Close()
		return nil, err
	}
	a.wireDashboard(e, &cfg)
	if a.db != nil {
		cfg.Plans = a.db // plans, reminders and the nudge schedule
		if m != nil {
			cfg.Events, cfg.Unanswered, cfg.Checks = m.Events(cfg.Events), m.Unanswered(cfg.Unanswered), m.Checks(cfg.Checks)
			cfg.Context = m.Context(cfg.Context)
		}
	}
	b, err := bot.New(cfg)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("build bot: %w", err)
	}
	a.bot = b
	return a, nil
}
