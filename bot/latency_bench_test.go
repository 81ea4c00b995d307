package bot_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

// devQuestions reads the questions of the knowledge's development sets:
// long stories, fragments and look-alikes, as creators type them.
func devQuestions(tb testing.TB) []string {
	tb.Helper()
	var qs []string
	for _, name := range []string{"../knowledge/testdata/dev.tsv", "../knowledge/testdata/dev2.tsv"} {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for first := true; sc.Scan(); first = false {
			line := sc.Text()
			if first || line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if _, q, ok := strings.Cut(line, "\t"); ok {
				qs = append(qs, q)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	return qs
}

// BenchmarkHandleLatency sends the development sets' questions through
// the whole core (conversation moves, context, FAQ search, reply) from 50
// users in turn and reports the median, 99th percentile and maximum of one
// message, by the wall clock and by the thread's CPU time: with the
// context in memory, and with the context, events and history in a SQLite
// file.
func BenchmarkHandleLatency(b *testing.B) {
	kb, err := knowledge.LoadDir("")
	if err != nil {
		b.Fatal(err)
	}
	qs := devQuestions(b)
	run := func(b *testing.B, cfg bot.Config) {
		core, err := bot.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		wall := make([]time.Duration, 0, b.N)
		cpu := make([]time.Duration, 0, b.N)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			u := bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: fmt.Sprintf("u%d", i%50)}
			c0, ok := threadCPU()
			start := time.Now()
			core.Handle(ctx, bot.Request{User: u, Text: qs[i%len(qs)]})
			wall = append(wall, time.Since(start))
			if c1, ok1 := threadCPU(); ok && ok1 {
				cpu = append(cpu, c1-c0)
			}
		}
		b.StopTimer()
		report := func(times []time.Duration, unit string) {
			if len(times) == 0 {
				return
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-"+unit)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-"+unit)
			b.ReportMetric(float64(times[len(times)-1].Microseconds()), "max-"+unit)
		}
		// Wall-clock figures include waiting for a core; thread CPU time
		// is the message's own work.
		report(wall, "µs")
		report(cpu, "cpu-µs")
	}
	b.Run("memory", func(b *testing.B) { run(b, bot.Config{Knowledge: kb}) })
	b.Run("sqlite", func(b *testing.B) {
		db := store.New(filepath.Join(b.TempDir(), "bench.db"))
		if err := db.Open(context.Background()); err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		run(b, bot.Config{Knowledge: kb, Events: db, Unanswered: db, Checks: db, History: db, Plans: db, Context: db})
	})
}
