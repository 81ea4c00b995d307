package discord

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// identifiedShard is the shard field of the fake gateway's last IDENTIFY,
// "" when it had none.
func identifiedShard(f *fakeDiscord) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.identifies) == 0 {
		return "no identify"
	}
	s, ok := f.identifies[len(f.identifies)-1]["shard"]
	if !ok {
		return ""
	}
	return fmt.Sprint(s)
}

func TestShards(t *testing.T) {
	for _, c := range []struct {
		name      string
		configure func(*Adapter)
		recommend int
		want      string
		id, count int
	}{
		{"no sharding sends no shard", func(*Adapter) {}, 0, "", 0, 1},
		{"shard 1 of 3 identifies as [1 3]", func(a *Adapter) { a.ShardID, a.ShardCount = 1, 3 }, 0, "[1 3]", 1, 3},
		{"auto takes Discord's recommended count", func(a *Adapter) { a.ShardID, a.AutoShards = 2, true }, 4, "[2 4]", 2, 4},
		{"auto with one shard recommended runs unsharded", func(a *Adapter) { a.AutoShards = true }, 1, "", 0, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeDiscord(t)
			f.shards = c.recommend
			a, _ := startAdapter(t, f, newFakeCore(), c.configure)
			f.wait(t, "an identify", func() bool { return len(f.identifies) > 0 })
			if got := identifiedShard(f); got != c.want {
				t.Errorf("IDENTIFY shard %q, want %q", got, c.want)
			}
			if id, count := a.Shard(); id != c.id || count != c.count {
				t.Errorf("Shard() = %d, %d; want %d, %d", id, count, c.id, c.count)
			}
		})
	}
}

func TestShardSettingsRefused(t *testing.T) {
	for _, c := range []struct {
		name      string
		configure func(*Adapter)
		recommend int
		want      string
	}{
		{"an id past the count", func(a *Adapter) { a.ShardID, a.ShardCount = 3, 3 }, 0, "not below DISCORD_SHARD_COUNT"},
		{"a negative id", func(a *Adapter) { a.ShardID = -1 }, 0, "DISCORD_SHARD_ID -1"},
		{"too many shards", func(a *Adapter) { a.ShardCount = MaxShards + 1 }, 0, "DISCORD_SHARD_COUNT"},
		{"an id past the recommended count", func(a *Adapter) { a.ShardID, a.AutoShards = 5, true }, 2, "recommends"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeDiscord(t)
			f.shards = c.recommend
			a := &Adapter{Token: fakeToken, Bot: newFakeCore(), HTTPClient: f.client()}
			c.configure(a)
			err := a.Start(context.Background())
			if err == nil {
				a.Close()
				t.Fatal("started")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want it to say %q", err, c.want)
			}
		})
	}
}
