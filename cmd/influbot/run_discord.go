package main

import (
	"strings"

	discordadapter "github.com/influbot/influbot/adapters/discord"
	"github.com/influbot/influbot/bot"
)

// discordPlatform runs influbot on Discord when DISCORD_TOKEN is set.
// DISCORD_APPLICATION_ID is optional (looked up with the token when
// empty); DISCORD_GUILD_ID registers the slash commands in that one guild,
// where they appear at once, instead of globally. DISCORD_API_URL points
// the REST API elsewhere (a proxy, or a fake Discord in tests).
func discordPlatform() platform {
	return platform{
		name: bot.PlatformDiscord,
		// Any Discord variable means Discord is wanted: a missing token is
		// an error at start rather than a silent terminal chat.
		configured: func(e *env) bool {
			return e.getenv("DISCORD_TOKEN") != "" || e.getenv("DISCORD_APPLICATION_ID") != "" || e.getenv("DISCORD_GUILD_ID") != ""
		},
		adapter: func(a *app, e *env) (adapter, error) {
			da := discordAdapter(a, e)
			if err := discordShards(e, da); err != nil {
				return nil, err
			}
			return da, nil
		},
	}
}

// discordAdapter builds the adapter from the environment; it checks its
// settings when it starts (Validate).
func discordAdapter(a *app, e *env) *discordadapter.Adapter {
	da := &discordadapter.Adapter{
		Token:         strings.TrimSpace(e.getenv("DISCORD_TOKEN")),
		ApplicationID: strings.TrimSpace(e.getenv("DISCORD_APPLICATION_ID")),
		GuildID:       strings.TrimSpace(e.getenv("DISCORD_GUILD_ID")),
		Bot:           a.bot,
		Logger:        a.log.With("platform", bot.PlatformDiscord),
		APIURL:        strings.TrimSpace(e.getenv("DISCORD_API_URL")),
	}
	da.OnReady = func() { a.notify.Register(bot.PlatformDiscord, da) }
	if a.db != nil {
		da.Nudges = a.db // a server that removes the bot gets its nudges canceled
	}
	return da
}
