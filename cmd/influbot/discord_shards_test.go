package main

import (
	"strings"
	"testing"

	discordadapter "github.com/influbot/influbot/adapters/discord"
)

func TestDiscordShardSettings(t *testing.T) {
	for _, c := range []struct {
		name, id, count string
		wantID, wantN   int
		auto            bool
		err             string
	}{
		{"none", "", "", 0, 0, false, ""},
		{"shard 2 of 4", "2", "4", 2, 4, false, ""},
		{"auto", "1", "AUTO", 1, 0, true, ""},
		{"count alone is shard 0", "", "3", 0, 3, false, ""},
		{"id alone", "1", "", 0, 0, false, "without DISCORD_SHARD_COUNT"},
		{"id past the count", "4", "4", 0, 0, false, "not below"},
		{"not a number", "x", "2", 0, 0, false, "DISCORD_SHARD_ID"},
		{"zero shards", "0", "0", 0, 0, false, "DISCORD_SHARD_COUNT"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := &env{getenv: func(k string) string {
				return map[string]string{"DISCORD_SHARD_ID": c.id, "DISCORD_SHARD_COUNT": c.count}[k]
			}}
			da := &discordadapter.Adapter{}
			err := discordShards(e, da)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("got %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || da.ShardID != c.wantID || da.ShardCount != c.wantN || da.AutoShards != c.auto {
				t.Errorf("got %d/%d auto %v, %v", da.ShardID, da.ShardCount, da.AutoShards, err)
			}
		})
	}
}
