package discord

import (
	"context"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// MaxShards bounds ShardCount (and an automatic count): Discord asks for
// a shard per 1,000 servers, and requires sharding past 2,500.
const MaxShards = 4096

// Sharding: a bot in more than 2,500 servers must split its gateway
// connection into shards. Discord sends a server's events to shard
// (server id >> 22) % shard count, and direct messages to shard 0 only, so
// each instance runs its shard (ShardID of ShardCount) and the instance
// with shard 0 also answers DMs. Replies, slash-command answers and
// nudges go over REST, which needs no shard: every instance can send any
// user's nudges, and they share one schedule in PostgreSQL. Discord's
// HTTP interactions endpoint (http.go) needs no sharding either.

// validateShards checks ShardID and ShardCount.
func (a *Adapter) validateShards() error {
	switch {
	case a.ShardCount < 0 || a.ShardCount > MaxShards:
		return fmt.Errorf("discord: DISCORD_SHARD_COUNT %d: use 1 to %d, or auto", a.ShardCount, MaxShards)
	case a.ShardID < 0:
		return fmt.Errorf("discord: DISCORD_SHARD_ID %d: use 0 up to the shard count minus one", a.ShardID)
	case !a.AutoShards && a.ShardID > 0 && a.ShardID >= max(a.ShardCount, 1):
		return fmt.Errorf("discord: DISCORD_SHARD_ID %d is not below DISCORD_SHARD_COUNT %d (shards are numbered from 0)", a.ShardID, max(a.ShardCount, 1))
	}
	return nil
}

// setShards sets the session's shard before it connects: ShardID of
// ShardCount, or of the count Discord recommends (GET /gateway/bot) with
// AutoShards. discordgo sends them in IDENTIFY's shard field.
func (a *Adapter) setShards(ctx context.Context, s *discordgo.Session) error {
	count := max(a.ShardCount, 1)
	if a.AutoShards {
		gb, err := s.GatewayBot(discordgo.WithContext(ctx))
		if err != nil {
			return startError("ask for the recommended shard count (GET /gateway/bot)", err)
		}
		if gb.Shards < 1 || gb.Shards > MaxShards {
			return fmt.Errorf("discord: GET /gateway/bot recommended %d shards; set DISCORD_SHARD_COUNT", gb.Shards)
		}
		count = gb.Shards
		a.log.InfoContext(ctx, "discord recommends a shard count", "shards", count)
	}
	if a.ShardID >= count {
		return errors.New("discord: DISCORD_SHARD_ID " + fmt.Sprint(a.ShardID) + " is not below the shard count " + fmt.Sprint(count) + " Discord recommends; run fewer instances or set DISCORD_SHARD_COUNT")
	}
	s.ShardID, s.ShardCount = a.ShardID, count
	a.mu.Lock()
	a.shards = [2]int{a.ShardID, count}
	a.mu.Unlock()
	if count > 1 {
		a.log.InfoContext(ctx, "discord shard", "shard", a.ShardID, "of", count, "direct_messages", a.ShardID == 0)
	}
	return nil
}

// Shard returns the shard this adapter runs and the shard count, once
// started; [0, 1] without sharding.
func (a *Adapter) Shard() (id, count int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.shards[0], max(a.shards[1], 1)
}
