package main

import (
	"strings"
	"testing"
	"time"
)

func millis(ns ...int) []time.Duration {
	out := make([]time.Duration, len(ns))
	for i, n := range ns {
		out[i] = time.Duration(n) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name    string
		samples []time.Duration
		p       float64
		want    time.Duration
	}{
		{"the median of 1..100 is 50", millis(hundred...), 50, 50 * time.Millisecond},
		{"p90 of 1..100 is 90", millis(hundred...), 90, 90 * time.Millisecond},
		{"p99 of 1..100 is 99", millis(hundred...), 99, 99 * time.Millisecond},
		{"p100 is the maximum", millis(hundred...), 100, 100 * time.Millisecond},
		{"p99 of three samples is the largest", millis(1, 2, 3), 99, 3 * time.Millisecond},
		{"p50 of two samples is the smaller", millis(1, 2), 50, 1 * time.Millisecond},
		{"any percentile of one sample is that sample", millis(7), 90, 7 * time.Millisecond},
		{"no samples give zero", nil, 50, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.samples, tc.p); got != tc.want {
				t.Errorf("percentile(%v) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
}

func TestLatencySortsUnorderedSamples(t *testing.T) {
	l := latencyOf(millis(9, 1, 5, 3, 7, 2, 8, 4, 6, 10))
	want := Latency{P50: 5, P90: 9, P99: 10, Max: 10}
	if l != want {
		t.Errorf("latency %+v, want %+v", l, want)
	}
}

func TestRecorderSummary(t *testing.T) {
	r := newRecorder()
	for _, res := range []result{
		{outcome: answered, latency: 2 * time.Millisecond},
		{outcome: answered, latency: 4 * time.Millisecond},
		{outcome: busy, latency: 1 * time.Millisecond},
		{outcome: failed, kind: "status 503", latency: 1 * time.Millisecond},
		{outcome: failed, kind: "timeout"},
		{outcome: failed, kind: "timeout"},
	} {
		r.started()
		r.add(res)
	}
	r.started() // still in flight
	s := r.summary(2 * time.Second)
	if s.Sent != 7 || s.Answered != 2 || s.Busy != 1 || s.Errors != 3 || s.Unfinished != 1 {
		t.Errorf("counts sent %d answered %d busy %d errors %d unfinished %d, want 7 2 1 3 1", s.Sent, s.Answered, s.Busy, s.Errors, s.Unfinished)
	}
	if s.ErrorKinds["timeout"] != 2 || s.ErrorKinds["status 503"] != 1 {
		t.Errorf("error kinds %v", s.ErrorKinds)
	}
	if s.Throughput != 1 {
		t.Errorf("throughput %v, want 1 answered/s", s.Throughput)
	}
	if s.Latency.Max != 4 {
		t.Errorf("max latency %v ms, want 4 (timeouts have no latency)", s.Latency.Max)
	}
}

// TestProgressLineHasTheSecondsTail: each progress line's p99 and max are
// of the latencies taken since the line before, not of the whole run.
func TestProgressLineHasTheSecondsTail(t *testing.T) {
	steps := []struct {
		name      string
		latencies []int // ms, answered in this second
		want      string
	}{
		{"a slow first second", []int{300, 5, 4}, "  1s  sent 3  answered 3 (3/s)  busy 0  errors 0  p99 300.0 ms  max 300.0 ms\n"},
		{"a quick second forgets the slow one", []int{2, 3, 1, 2}, "  2s  sent 7  answered 7 (4/s)  busy 0  errors 0  p99 3.0 ms  max 3.0 ms\n"},
		{"a second with no answers has no tail", nil, "  3s  sent 7  answered 7 (0/s)  busy 0  errors 0\n"},
	}
	r := newRecorder()
	var mark progressMark
	for i, st := range steps {
		for _, l := range st.latencies {
			r.started()
			r.add(result{outcome: answered, latency: time.Duration(l) * time.Millisecond})
		}
		var b strings.Builder
		mark = r.progress(&b, i+1, mark)
		if b.String() != st.want {
			t.Errorf("%s: line %q, want %q", st.name, b.String(), st.want)
		}
	}
}
