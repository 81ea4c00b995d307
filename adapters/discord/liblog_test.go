package discord

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestLibraryLogGoesThroughSlog is not parallel: discordgo has one logger
// for the process, which goes to the adapter started last.
func TestLibraryLogGoesThroughSlog(t *testing.T) {
	t.Run("discordgo's lines follow the adapter's log format and level", func(t *testing.T) {
		f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
		a, logs := startAdapter(t, f, newFakeCore())
		f.waitSessions(t, 1, 0)
		f.reconnect() // discordgo logs its reconnect
		f.waitSessions(t, 1, 1)
		f.wait(t, "discordgo's lines in the log", func() bool { return strings.Contains(logs.String(), "discordgo: ") })
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, "discordgo: ") && !strings.HasPrefix(line, "time=") {
				t.Errorf("a discordgo line is not in the log's format: %q", line)
			}
		}
		if a.session.LogLevel != discordgo.LogInformational {
			t.Errorf("session log level %d with a debug log, want informational (%d), never discordgo's debug dumps", a.session.LogLevel, discordgo.LogInformational)
		}
	})
	t.Run("at info level discordgo's chatter is left out", func(t *testing.T) {
		f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
		logs := &syncBuffer{}
		a, _ := startAdapter(t, f, newFakeCore(), func(a *Adapter) {
			a.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
		})
		f.waitSessions(t, 1, 0)
		f.reconnect()
		f.waitSessions(t, 1, 1)
		if a.session.LogLevel != discordgo.LogWarning {
			t.Errorf("session log level %d with an info log, want warnings (%d)", a.session.LogLevel, discordgo.LogWarning)
		}
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, "discordgo: ") && !strings.Contains(line, `"level":"WARN"`) && !strings.Contains(line, `"level":"ERROR"`) {
				t.Errorf("a discordgo line below warning reached an info log: %s", line)
			}
		}
	})
}

func TestRedactSecrets(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"the bot token is cut", "identify with Bot abc.def.ghi", "identify with Bot [token]"},
		{"an interaction callback's token is cut", "https://discord.com/api/v9/interactions/123/aW50ZXJhY3Rpb24/callback Failed (502 Bad Gateway), Retrying...",
			"https://discord.com/api/v9/interactions/123/[interaction token]/callback Failed (502 Bad Gateway), Retrying..."},
		{"a follow-up's token is cut", "https://discord.com/api/v9/webhooks/900/aW50ZX?wait=true Failed", "https://discord.com/api/v9/webhooks/900/[interaction token]?wait=true Failed"},
		{"other lines are kept", "connecting to gateway wss://gateway.discord.gg", "connecting to gateway wss://gateway.discord.gg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := redactSecrets(tc.in, "abc.def.ghi"); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
