package knowledge

import (
	"fmt"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time the process has used so far (user and system),
// which on a busy machine measures work better than the wall clock.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSearchDev answers the development set's questions in turn (long
// posts included), with the cache off, and reports the median and 99th percentile of one
// search.
func BenchmarkSearchDev(b *testing.B) {
	kb, err := Load(Embedded())
	if err != nil {
		b.Fatal(err)
	}
	kb.Index.noCache = true // each question searched, not remembered
	cases := loadCases(b, "testdata/dev.tsv")
	times := make([]time.Duration, 0, b.N)
	// One OS thread throughout, so the figure measures the search rather
	// than the scheduler moving the goroutine between threads.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		kb.Index.Search(cases[i%len(cases)].question)
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkLoad measures loading the shipped knowledge (word vectors
// included), and building the index over 30 and 2,000 entries (shipped
// ones topped up with generated ones, with the shipped decoys).
func BenchmarkLoad(b *testing.B) {
	b.Run("shipped", func(b *testing.B) {
		start := cpuTime(b)
		for b.Loop() {
			if _, err := Load(Embedded()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((cpuTime(b)-start).Milliseconds())/float64(b.N), "cpu-ms/op")
	})
	for _, n := range []int{30, 2000} {
		entries, kb := generatedEntries(b, n)
		b.Run(fmt.Sprintf("index of %d entries", n), func(b *testing.B) {
			start := cpuTime(b)
			for b.Loop() {
				NewIndex(entries, kb.OffTopic, kb.Index.vt)
			}
			b.ReportMetric(float64((cpuTime(b)-start).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}
