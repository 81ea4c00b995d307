package main

import (
	"context"
	"fmt"
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
		run: runDiscord,
	}
}

func runDiscord(ctx context.Context, a *app, e *env) error {
	da, err := discordAdapter(a, e)
	if err != nil {
		return err
	}
	if err := da.Start(ctx); err != nil {
		return err
	}
	a.notify.Register(bot.PlatformDiscord, da)
	<-ctx.Done()
	return da.Close()
}

// discordAdapter builds the adapter from the environment. The token never
// appears in errors or the log.
func discordAdapter(a *app, e *env) (*discordadapter.Adapter, error) {
	token := strings.TrimSpace(e.getenv("DISCORD_TOKEN"))
	appID := strings.TrimSpace(e.getenv("DISCORD_APPLICATION_ID"))
	guildID := strings.TrimSpace(e.getenv("DISCORD_GUILD_ID"))
	switch {
	case token == "":
		return nil, fmt.Errorf("DISCORD_TOKEN is not set: copy the bot token from the Bot page of your application in the Discord Developer Portal")
	case appID != "" && !digits(appID):
		return nil, fmt.Errorf("DISCORD_APPLICATION_ID %q is not a Discord id: copy the Application ID from the General Information page", appID)
	case guildID != "" && !digits(guildID):
		return nil, fmt.Errorf("DISCORD_GUILD_ID %q is not a Discord id: in Discord, turn on Developer Mode and use Copy Server ID", guildID)
	}
	da := &discordadapter.Adapter{
		Token:         token,
		ApplicationID: appID,
		GuildID:       guildID,
		Bot:           a.bot,
		Logger:        a.log.With("platform", bot.PlatformDiscord),
		APIURL:        strings.TrimSpace(e.getenv("DISCORD_API_URL")),
	}
	if a.db != nil {
		da.Nudges = a.db // a server that removes the bot gets its nudges canceled
	}
	return da, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
