package main

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// outcome is how one request ended.
type outcome int

const (
	answered outcome = iota // a 2xx answer that is not the busy reply
	busy                    // a 2xx answer saying the bot is too busy
	failed                  // an error status, a timeout or a transport error
)

// result is one request's outcome, as the senders report it.
type result struct {
	outcome outcome
	kind    string        // for failures: "status 503", "timeout", "transport"
	latency time.Duration // from the intended send time to the answer; 0 without an answer
}

// recorder collects results from many goroutines: counters for the
// progress line, and every latency sample for exact percentiles.
type recorder struct {
	sent, answered, busy, failed atomic.Int64

	mu      sync.Mutex
	samples []time.Duration
	errs    map[string]int64
}

func newRecorder() *recorder {
	return &recorder{errs: map[string]int64{}, samples: make([]time.Duration, 0, 1<<16)}
}

func (r *recorder) started() { r.sent.Add(1) }

func (r *recorder) add(res result) {
	switch res.outcome {
	case answered:
		r.answered.Add(1)
	case busy:
		r.busy.Add(1)
	default:
		r.failed.Add(1)
	}
	r.mu.Lock()
	if res.latency > 0 {
		r.samples = append(r.samples, res.latency)
	}
	if res.outcome == failed {
		r.errs[res.kind]++
	}
	r.mu.Unlock()
}

// Latency is a latency summary in milliseconds.
type Latency struct {
	P50 float64 `json:"p50_ms"`
	P90 float64 `json:"p90_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

// percentile is the nearest-rank percentile p (0 < p <= 100) of sorted
// samples: the smallest sample with at least p% of samples at or below it.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

func latencyOf(samples []time.Duration) Latency {
	s := slices.Clone(samples)
	slices.Sort(s)
	var l Latency
	if len(s) == 0 {
		return l
	}
	l.P50, l.P90, l.P99, l.Max = ms(percentile(s, 50)), ms(percentile(s, 90)), ms(percentile(s, 99)), ms(s[len(s)-1])
	return l
}

// Summary is what a run reports; --json prints it as is.
type Summary struct {
	Target      string           `json:"target"`
	Platform    string           `json:"platform"`
	Mode        string           `json:"mode"` // "closed" or "open"
	Concurrency int              `json:"concurrency,omitempty"`
	Rate        float64          `json:"rate,omitempty"`
	Seconds     float64          `json:"seconds"`
	Users       int              `json:"users"`
	Workspaces  int              `json:"workspaces"`
	Sent        int64            `json:"sent"`
	Answered    int64            `json:"answered"`
	Busy        int64            `json:"busy"`
	Errors      int64            `json:"errors"`
	ErrorKinds  map[string]int64 `json:"error_kinds,omitempty"`
	Throughput  float64          `json:"throughput_per_s"` // answered per second
	Latency     Latency          `json:"latency"`
	Unfinished  int64            `json:"unfinished,omitempty"` // sent but not done when the run ended
	Recorded    *DBCheck         `json:"recorded,omitempty"`
	FakeSlack   map[string]int64 `json:"fake_slack,omitempty"`
}

// summary totals the recorder after a run of elapsed.
func (r *recorder) summary(elapsed time.Duration) Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := Summary{
		Sent:       r.sent.Load(),
		Answered:   r.answered.Load(),
		Busy:       r.busy.Load(),
		Errors:     r.failed.Load(),
		ErrorKinds: maps.Clone(r.errs),
		Latency:    latencyOf(r.samples),
		Seconds:    math.Round(elapsed.Seconds()*100) / 100,
	}
	s.Unfinished = s.Sent - s.Answered - s.Busy - s.Errors
	if elapsed > 0 {
		s.Throughput = math.Round(float64(s.Answered)/elapsed.Seconds()*10) / 10
	}
	return s
}

// progressMark is where the last progress line left off.
type progressMark struct {
	answered int64 // answers counted
	samples  int   // latency samples taken
}

// progress writes one line: the second, the totals so far, and the
// answers in the last second with the p99 and the slowest of the
// latencies taken in it, so a run's tail can be placed in time (a slow
// start, a pause now and then).
func (r *recorder) progress(w io.Writer, second int, last progressMark) progressMark {
	r.mu.Lock()
	window := slices.Clone(r.samples[last.samples:])
	n := len(r.samples)
	r.mu.Unlock()
	slices.Sort(window)
	a := r.answered.Load()
	fmt.Fprintf(w, "%3ds  sent %d  answered %d (%d/s)  busy %d  errors %d",
		second, r.sent.Load(), a, a-last.answered, r.busy.Load(), r.failed.Load())
	if len(window) > 0 {
		fmt.Fprintf(w, "  p99 %.1f ms  max %.1f ms", ms(percentile(window, 99)), ms(window[len(window)-1]))
	}
	fmt.Fprintln(w)
	return progressMark{answered: a, samples: n}
}

// writeText prints the summary for people.
func (s Summary) writeText(w io.Writer) {
	mode := fmt.Sprintf("closed loop, %d clients", s.Concurrency)
	if s.Mode == "open" {
		mode = fmt.Sprintf("open loop, %g requests/s", s.Rate)
	}
	fmt.Fprintf(w, "%s on %s, %s, %.1f s, %d users in %d workspaces\n", s.Platform, s.Target, mode, s.Seconds, s.Users, s.Workspaces)
	fmt.Fprintf(w, "sent %d  answered %d  busy %d  errors %d", s.Sent, s.Answered, s.Busy, s.Errors)
	if s.Unfinished > 0 {
		fmt.Fprintf(w, "  unfinished %d", s.Unfinished)
	}
	fmt.Fprintln(w)
	if len(s.ErrorKinds) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(s.ErrorKinds)) {
			parts = append(parts, fmt.Sprintf("%s: %d", k, s.ErrorKinds[k]))
		}
		fmt.Fprintf(w, "errors by kind: %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "throughput %.1f answered/s\n", s.Throughput)
	l := s.Latency
	fmt.Fprintf(w, "latency p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n", l.P50, l.P90, l.P99, l.Max)
	if d := s.Recorded; d != nil {
		verdict := "equal"
		if !d.Equal {
			verdict = "DIFFERENT"
		}
		fmt.Fprintf(w, "recorded %d events for %d successful requests: %s\n", d.Rows, d.Successful, verdict)
	}
	if len(s.FakeSlack) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(s.FakeSlack)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, s.FakeSlack[k]))
		}
		fmt.Fprintf(w, "fake Slack received: %s\n", strings.Join(parts, ", "))
	}
}
