package store

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// BenchmarkRequest does the store's work for one Slack slash command, from
// 128 goroutines (64 per CPU on the 2-core load machine) over 500 users in
// 20 workspaces: the replay check, the conversation context, the
// workspace's knowledge revision, then the context saved behind, the
// event recorded (waiting for its commit) and the replay mark queued. It
// reports the process's CPU time per request (cpu-µs/op), which is what
// the server's throughput depends on.
func BenchmarkRequest(b *testing.B) { benchRequests(b, 0) }

// BenchmarkRequestBigReplayLog is BenchmarkRequest with a replay log of a
// busy bot's size (15 minutes at ~1,000 requests a second): its inserts
// and deletes land on pages all over the table.
func BenchmarkRequestBigReplayLog(b *testing.B) { benchRequests(b, 1_000_000) }

func benchRequests(b *testing.B, replays int) {
	db := New(filepath.Join(b.TempDir(), "influbot.db"))
	if err := db.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if replays > 0 {
		tx := db.w.MustBegin()
		ins, err := tx.Preparex(`INSERT INTO replays (key, expires_at) VALUES (?, ?)`)
		if err != nil {
			b.Fatal(err)
		}
		// Written over the last 15 minutes: expiring over the next 15.
		now := time.Now().UnixMilli()
		for i := range replays {
			if _, err := ins.Exec(fmt.Sprintf("slack:command:%032x", uint64(i)*0x9E3779B97F4A7C15), now+1000+int64(i%900_000)); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		db.w.MustExec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	// Start-up: the replay filter scans the log once (measured apart).
	start, cpuStart := time.Now(), cpuTime()
	if _, err := db.Seen(ctx, "warm-up"); err != nil {
		b.Fatal(err)
	}
	if err := db.RecordEvent(ctx, benchEvent(alice, 0)); err != nil {
		b.Fatal(err)
	}
	if replays > 0 {
		b.Logf("replay set read over %d keys in %v (%v CPU)", replays, time.Since(start).Round(time.Millisecond), (cpuTime() - cpuStart).Round(time.Millisecond))
	}
	const users, tenants = 500, 20
	var next, reqs atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(64)
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		g := next.Add(1)
		i := 0
		for pb.Next() {
			n := reqs.Add(1)
			id := int(n*7919+g) % users
			u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: fmt.Sprintf("T%03d", id%tenants), ID: fmt.Sprintf("U%04d", id)}
			key := fmt.Sprintf("slack:command:v0=%016x%016x", g, n)
			if seen, err := db.Seen(ctx, key); err != nil || seen {
				b.Errorf("seen %v, %v", seen, err)
				return
			}
			c, _, err := db.LoadContext(ctx, u)
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := db.KnowledgeRevision(ctx, u.TenantRef()); err != nil {
				b.Error(err)
				return
			}
			c.User, c.LastTopic, c.LastCommand, c.Updated = u, "reapply-wait", "ask", time.Now()
			if err := db.SaveContext(ctx, c); err != nil {
				b.Error(err)
				return
			}
			if err := db.RecordEvent(ctx, benchEvent(u, i)); err != nil {
				b.Error(err)
				return
			}
			if err := db.RememberLater(ctx, key, time.Now().Add(15*time.Minute)); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	// What stays in memory after the run (caches, replay filter): flat
	// however long the run.
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkContextRoundTrip saves a conversation context with a pending
// question (an answer's related topics) and loads it back, as every
// request does.
func BenchmarkContextRoundTrip(b *testing.B) {
	db := New(filepath.Join(b.TempDir(), "influbot.db"))
	if err := db.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	p := &bot.Pending{Command: "ask", NumbersOnly: true, Choices: []bot.Button{
		{ActionID: "ask:topic", Label: "How long to wait before reapplying", Value: "reapply-wait"},
		{ActionID: "ask:topic", Label: "Engagement rate", Value: "engagement-rate"},
		{ActionID: "ask:topic", Label: "Niche hashtags", Value: "niche-hashtags"},
	}}
	b.ReportAllocs()
	for b.Loop() {
		c := bot.Conversation{User: alice, LastTopic: "reapply-wait", LastCommand: "ask", Pending: p, Updated: time.Now()}
		if err := db.SaveContext(ctx, c); err != nil {
			b.Fatal(err)
		}
		got, ok, err := db.LoadContext(ctx, alice)
		if err != nil || !ok || got.Pending == nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkTasksRead reads a user's plan tasks (none, as for most users),
// as the bot does after every eligibility check.
func BenchmarkTasksRead(b *testing.B) {
	db := New(filepath.Join(b.TempDir(), "influbot.db"))
	if err := db.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.Tasks(ctx, alice); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkContextOfNewUser loads the conversation context of a user the
// database has never seen, as a fresh server does for each user's first
// request, with the list of known users (caches.known) and without it.
func BenchmarkContextOfNewUser(b *testing.B) {
	for _, tc := range []struct {
		name   string
		noList bool
	}{{"known users listed", false}, {"no list", true}} {
		b.Run(tc.name, func(b *testing.B) {
			db := New(filepath.Join(b.TempDir(), "influbot.db"))
			if err := db.Open(context.Background()); err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			if tc.noList {
				db.cache.mu.Lock()
				db.cache.known, db.cache.knownMany = nil, true
				db.cache.mu.Unlock()
			}
			i := 0
			for b.Loop() {
				if i%64 == 0 { // the commit loop's check stays fresh, as under load
					if err := db.RecordEvent(ctx, benchEvent(bob, i)); err != nil {
						b.Fatal(err)
					}
				}
				u := bot.UserRef{Platform: "slack", Tenant: "T1", ID: fmt.Sprintf("UNEW%d", i)}
				if _, ok, err := db.LoadContext(ctx, u); ok || err != nil {
					b.Fatal(ok, err)
				}
				i++
			}
		})
	}
}

// BenchmarkReadKnownUsers reads the list of users who may have a stored
// context at its largest (maxKnownUsers users rows), as the commit loop
// does at its first batch and after a drop, holding the writer.
func BenchmarkReadKnownUsers(b *testing.B) {
	db := New(filepath.Join(b.TempDir(), "influbot.db"))
	if err := db.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	tx := db.w.MustBegin()
	for i := range maxKnownUsers {
		tx.MustExec(`INSERT INTO users (platform, tenant, user_id, first_seen, last_seen) VALUES ('slack', ?, ?, 0, 0)`,
			fmt.Sprintf("T%d", i%20), fmt.Sprintf("U%08d", i))
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		db.cache.mu.Lock()
		db.cache.known = nil
		db.cache.mu.Unlock()
		tx, err := db.w.BeginTxx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.readKnown(ctx, tx); err != nil {
			b.Fatal(err)
		}
		tx.Rollback()
		db.cache.mu.Lock()
		listed := db.cache.known != nil
		db.cache.mu.Unlock()
		if !listed {
			b.Fatal("no list")
		}
	}
}
