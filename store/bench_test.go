package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// benchEvent is a typical interaction: a question answered from the FAQ.
func benchEvent(u bot.UserRef, i int) bot.Event {
	return bot.Event{
		User: u, Kind: bot.EventQuestion, Command: "ask", Text: fmt.Sprintf("how long should I wait before reapplying %d?", i),
		Topic: "reapply-wait", Confidence: 0.83, Answered: true, Reply: faqReplies[i%len(faqReplies)], KnowledgeReply: true,
		Latency: 420 * time.Microsecond,
	}
}

// BenchmarkRecordEvent records interactions one after another.
func BenchmarkRecordEvent(b *testing.B) {
	db, _ := openTestDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := db.RecordEvent(ctx, benchEvent(alice, i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRecordEventParallel records from many goroutines at once (8 per
// CPU), as a busy bot does.
func BenchmarkRecordEventParallel(b *testing.B) {
	db, _ := openTestDB(b)
	ctx := context.Background()
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		u := bot.UserRef{Platform: "discord", Tenant: "g", ID: fmt.Sprint(next.Add(1))}
		i := 0
		for pb.Next() {
			if err := db.RecordEvent(ctx, benchEvent(u, i)); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkHistoryRead reads what the history command shows (the last
// five questions and ten checks) for a user with 10,000 events among
// 1,000,000. The fixture is built once and kept in the temp directory.
func BenchmarkHistoryRead(b *testing.B) {
	path := historyFixture(b)
	db := New(path)
	if err := db.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		evs, err := db.RecentEvents(ctx, fixtureUser, bot.EventQuestion, 5)
		if err != nil || len(evs) != 5 {
			b.Fatalf("%d events, %v", len(evs), err)
		}
		cs, err := db.LatestChecks(ctx, fixtureUser, 10)
		if err != nil || len(cs) != 10 {
			b.Fatalf("%d checks, %v", len(cs), err)
		}
	}
	st, err := os.Stat(path)
	if err == nil {
		b.ReportMetric(float64(st.Size())/(1<<20)/(fixtureEvents/1e6), "MB/Mevents")
	}
}

// BenchmarkExport exports the 10,000-event user of the fixture.
func BenchmarkExport(b *testing.B) {
	path := historyFixture(b)
	db := New(path)
	if err := db.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ReportAllocs()
	for b.Loop() {
		x, err := db.Export(context.Background(), fixtureUser)
		if err != nil || len(x.Events) != fixtureUserEvents {
			b.Fatalf("%d events, %v", len(x.Events), err)
		}
	}
}

const (
	fixtureEvents     = 1_000_000
	fixtureUsers      = 1_000
	fixtureUserEvents = 10_000
)

var fixtureUser = bot.UserRef{Platform: "discord", Tenant: "guild-0", ID: "user-0"}

// faqReplies stand in for the FAQ answers most replies are.
var faqReplies = func() []string {
	rs := make([]string, 40)
	for i := range rs {
		rs[i] = fmt.Sprintf("FAQ answer %d: ", i) +
			"Amazon reviews each application by hand and looks at your audience, your engagement and how often you post. " +
			"Most rejections come from low engagement or an unclear niche. Keep posting three times a week, reply to every " +
			"comment in the first hour, and apply again once your numbers have grown for a month or two."
	}
	return rs
}()

// historyFixture returns the path of a database with fixtureEvents events
// spread over fixtureUsers users in 10 tenants, fixtureUserEvents of them
// fixtureUser's, built in one transaction the first time and kept in the
// temp directory for later runs.
func historyFixture(b *testing.B) string {
	b.Helper()
	// The name carries a hash of the schema, so a changed migration never
	// benchmarks against a fixture built with the old one.
	ms, err := loadMigrations(embeddedMigrations)
	if err != nil {
		b.Fatal(err)
	}
	h := fnv.New32a()
	for _, m := range ms {
		h.Write([]byte(m.sql))
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("influbot-bench-history-%08x.db", h.Sum32()))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	start := time.Now()
	tmp := path + ".building"
	os.Remove(tmp)
	db := New(tmp)
	if err := db.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	tx := db.w.MustBegin()
	users := make([]int64, fixtureUsers)
	for i := range users {
		u := fixtureUser
		if i > 0 {
			u = bot.UserRef{Platform: "discord", Tenant: fmt.Sprintf("guild-%d", i%10), ID: fmt.Sprintf("user-%d", i)}
		}
		if err := tx.Get(&users[i], `INSERT INTO users (platform, tenant, user_id, first_seen, last_seen) VALUES (?, ?, ?, 0, 0) RETURNING id`, u.Platform, u.Tenant, u.ID); err != nil {
			b.Fatal(err)
		}
	}
	replies := make([]int64, len(faqReplies))
	for i, r := range faqReplies {
		tx.Get(&replies[i], `INSERT INTO replies (hash, text) VALUES (?, ?) RETURNING id`, replyHash(r), r)
	}
	ins, err := tx.Preparex(`INSERT INTO events (user_pk, at, kind, command, text, topic, confidence, answered, reply_pk, error_code, latency_us)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)`)
	if err != nil {
		b.Fatal(err)
	}
	kinds := []string{bot.EventQuestion, bot.EventQuestion, bot.EventCommand, bot.EventAction}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	for i := range fixtureEvents {
		u := users[1+rng.IntN(fixtureUsers-1)]
		if i%(fixtureEvents/fixtureUserEvents) == 0 {
			u = users[0]
		}
		kind := kinds[rng.IntN(len(kinds))]
		text := fmt.Sprintf("how do I get more engagement on my reels, question %d", rng.IntN(1_000_000))
		reply := any(replies[rng.IntN(len(replies))])
		if kind != bot.EventQuestion {
			text = "check instagram 4.2k followers 150 likes 12 comments"
		}
		if _, err := ins.Exec(u, t0+int64(i)*30_000, kind, "ask", text, "engagement-rate", 0.8, true, reply, 300+rng.IntN(2000)); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 50 {
		tx.MustExec(`INSERT INTO checks (user_pk, at, platform, followers, engagement_rate, verdict, score, result) VALUES (?, ?, 'instagram', ?, 1.5, 'borderline', 55, '{}')`,
			users[0], t0+int64(i)*86_400_000, 3000+i*20)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	db.w.MustExec("PRAGMA wal_checkpoint(TRUNCATE)")
	db.Close()
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s in %v", path, time.Since(start).Round(time.Millisecond))
	return path
}
