package main

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
)

func TestDiscordConfiguration(t *testing.T) {
	const token = "MTIzNDU2.secret-discord-token"
	for _, tc := range []struct {
		name       string
		env        map[string]string
		configured bool
		wantErr    string // "" means the adapter is built
	}{
		{"no Discord variables leave Discord off", map[string]string{}, false, ""},
		{"a token alone is enough", map[string]string{"DISCORD_TOKEN": token}, true, ""},
		{"a token with application and guild ids is used as given", map[string]string{"DISCORD_TOKEN": " " + token + "\n", "DISCORD_APPLICATION_ID": "123456789012345678", "DISCORD_GUILD_ID": "223456789012345678"}, true, ""},
		{"a guild id without a token is an error, not a silent terminal chat", map[string]string{"DISCORD_GUILD_ID": "223456789012345678"}, true, "DISCORD_TOKEN is not set"},
		{"an application id that is not a number is caught", map[string]string{"DISCORD_TOKEN": token, "DISCORD_APPLICATION_ID": "influbot"}, true, "DISCORD_APPLICATION_ID"},
		{"a guild id that is not a number is caught", map[string]string{"DISCORD_TOKEN": token, "DISCORD_GUILD_ID": "my server"}, true, "Copy Server ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &env{getenv: func(k string) string { return tc.env[k] }}
			if got := discordPlatform().configured(e); got != tc.configured {
				t.Fatalf("configured = %v, want %v", got, tc.configured)
			}
			if !tc.configured {
				return
			}
			da := discordAdapter(&app{log: slog.New(slog.DiscardHandler), bot: &bot.Bot{}}, e)
			err := da.Validate()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want one mentioning %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), token) {
					t.Errorf("the error shows the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err %v", err)
			}
			if da.Token != token || da.ApplicationID != strings.TrimSpace(tc.env["DISCORD_APPLICATION_ID"]) || da.GuildID != tc.env["DISCORD_GUILD_ID"] {
				t.Errorf("adapter = token %v, app %q, guild %q", da.Token == token, da.ApplicationID, da.GuildID)
			}
		})
	}
}
