package discord

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// discordgo writes its own log lines (gateway reconnects, REST retries)
// through the standard log package unless discordgo.Logger is set, which
// is one variable for the whole process. The adapter sets it once to a
// function that hands each line to the logger of the adapter started
// last, so the lines follow the log's format and level. A process runs
// one adapter; tests that run several share the last one's log.
var libraryLog struct {
	once sync.Once
	sink atomic.Pointer[logSink]
}

type logSink struct {
	log   *slog.Logger
	token string
}

// routeLibraryLog sends discordgo's log lines to l, with token cut out,
// and returns the session log level that passes on what l will print.
// discordgo's debug level is never used: it dumps the IDENTIFY payload,
// token included, and every event.
func routeLibraryLog(l *slog.Logger, token string) int {
	libraryLog.sink.Store(&logSink{log: l, token: token})
	libraryLog.once.Do(func() {
		discordgo.Logger = func(level, _ int, format string, args ...any) {
			sink := libraryLog.sink.Load()
			if sink == nil {
				return
			}
			msg := redactSecrets(fmt.Sprintf(format, args...), sink.token)
			sink.log.Log(context.Background(), slogLevel(level), "discordgo: "+strings.TrimSpace(msg))
		}
	})
	ctx := context.Background()
	switch {
	case l.Enabled(ctx, slog.LevelDebug):
		return discordgo.LogInformational
	case l.Enabled(ctx, slog.LevelWarn):
		return discordgo.LogWarning
	}
	return discordgo.LogError
}

// slogLevel maps discordgo's levels; its informational lines ("called",
// "connecting to gateway") are debugging detail.
func slogLevel(level int) slog.Level {
	switch level {
	case discordgo.LogError:
		return slog.LevelError
	case discordgo.LogWarning:
		return slog.LevelWarn
	}
	return slog.LevelDebug
}

// interactionURL matches the token in an interaction's URLs.
var interactionURL = regexp.MustCompile(`(/(?:interactions/[0-9]+|webhooks/[0-9]+)/)[^/\s?"]+`)

// redactSecrets cuts the bot token and interaction tokens (in the URLs
// discordgo quotes when it retries a request) out of a log line.
func redactSecrets(msg, token string) string {
	if token != "" {
		msg = strings.ReplaceAll(msg, token, "[token]")
	}
	return interactionURL.ReplaceAllString(msg, "${1}[interaction token]")
}
