package main

import (
	"strconv"
	"strings"

	discordadapter "github.com/influbot/influbot/adapters/discord"
)

// discordShards reads DISCORD_SHARD_ID and DISCORD_SHARD_COUNT (a number,
// or "auto" for the count Discord recommends) into da: this instance runs
// that gateway shard. Neither set means one unsharded connection.
func discordShards(e *env, da *discordadapter.Adapter) error {
	id := strings.TrimSpace(e.getenv("DISCORD_SHARD_ID"))
	count := strings.TrimSpace(e.getenv("DISCORD_SHARD_COUNT"))
	if id == "" && count == "" {
		return nil
	}
	if id != "" {
		n, err := strconv.Atoi(id)
		if err != nil || n < 0 || n >= discordadapter.MaxShards {
			return usagef("DISCORD_SHARD_ID %q: use this instance's shard number, from 0", id)
		}
		da.ShardID = n
	}
	switch {
	case strings.EqualFold(count, "auto"):
		da.AutoShards = true
	case count == "":
		return usagef("DISCORD_SHARD_ID is set without DISCORD_SHARD_COUNT: set the number of shards, or auto")
	default:
		n, err := strconv.Atoi(count)
		if err != nil || n < 1 || n > discordadapter.MaxShards {
			return usagef("DISCORD_SHARD_COUNT %q: use the number of shards (1 to %d) or auto", count, discordadapter.MaxShards)
		}
		if da.ShardID >= n {
			return usagef("DISCORD_SHARD_ID %d is not below DISCORD_SHARD_COUNT %d (shards are numbered from 0)", da.ShardID, n)
		}
		da.ShardCount = n
	}
	return nil
}
