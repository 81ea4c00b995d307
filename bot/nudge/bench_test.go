package nudge_test

import (
	"context"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

// timedNotifier records when each send happened, on the real clock.
type timedNotifier struct {
	mu  sync.Mutex
	ats []time.Time
}

func (n *timedNotifier) Notify(context.Context, bot.UserRef, bot.Reply, string) error {
	n.mu.Lock()
	n.ats = append(n.ats, time.Now())
	n.mu.Unlock()
	return nil
}

// benchDispatcher seeds b.N due nudges (5 per user) in a fresh database,
// outside the timer, and returns a dispatcher on the real clock.
func benchDispatcher(b *testing.B, limits map[string]nudge.RateLimit) (*nudge.Dispatcher, *timedNotifier, *store.DB) {
	b.Helper()
	b.StopTimer()
	path := filepath.Join(b.TempDir(), "influbot.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	ids := catalogIDs(b, 5)
	users := (b.N + len(ids) - 1) / len(ids)
	seedDueNudges(b, db, bot.PlatformDiscord, users, ids, time.Now().Add(-time.Minute))
	// Closing checkpoints the seeding's WAL, so its cost is not timed.
	db.Close()
	if db, err = store.Open(context.Background(), path); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	kb, err := knowledge.LoadDir("")
	if err != nil {
		b.Fatal(err)
	}
	bt, err := bot.New(bot.Config{Knowledge: kb, Plans: db, Checks: db})
	if err != nil {
		b.Fatal(err)
	}
	n := &timedNotifier{}
	return &nudge.Dispatcher{Composer: bt, Queue: db, Notifier: n, Limits: limits}, n, db
}

func drain(b *testing.B, d *nudge.Dispatcher) {
	b.Helper()
	for {
		n, err := d.RunOnce(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// BenchmarkDispatchThroughput sends due nudges to a notifier with no rate
// limit; each op is one nudge composed, claimed, fenced, sent and recorded
// with its successor scheduled (target: at least 5,000 a second).
// Run with -benchtime=10000x.
func BenchmarkDispatchThroughput(b *testing.B) {
	d, n, _ := benchDispatcher(b, map[string]nudge.RateLimit{})
	b.ReportAllocs()
	b.StartTimer()
	drain(b, d)
	b.StopTimer()
	if st := d.Stats(); st.Sent != int64(len(n.ats)) || len(n.ats) < b.N {
		b.Fatalf("sent %d, recorded %d, want %d", len(n.ats), st.Sent, b.N)
	}
	b.ReportMetric(float64(len(n.ats))/b.Elapsed().Seconds(), "nudges/s")
}

// BenchmarkDispatchAt50PerSecond sends through a 50-a-second limit on the
// real clock, timed where the notifier receives each send, and reports the
// average rate (nudges/s, first to last send) and the busiest half-open
// second [t, t+1s) (max-in-1s): both should be 50, the second never more.
// Run with -benchtime=500x (10 s).
func BenchmarkDispatchAt50PerSecond(b *testing.B) {
	d, n, _ := benchDispatcher(b, map[string]nudge.RateLimit{bot.PlatformDiscord: {PerSecond: 50, Burst: 1}})
	b.StartTimer()
	drain(b, d)
	b.StopTimer()
	ats := n.ats
	sort.Slice(ats, func(i, j int) bool { return ats[i].Before(ats[j]) })
	if len(ats) < 2 {
		b.Skip("too few sends to measure a rate")
	}
	maxWindow, j := 0, 0
	for i := range ats {
		for ats[i].Sub(ats[j]) >= time.Second {
			j++
		}
		maxWindow = max(maxWindow, i-j+1)
	}
	b.ReportMetric(float64(len(ats)-1)/ats[len(ats)-1].Sub(ats[0]).Seconds(), "nudges/s")
	b.ReportMetric(float64(maxWindow), "max-in-1s")
}
