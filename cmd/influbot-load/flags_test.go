package main

import (
	"io"
	"testing"
)

func TestParseLoadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		ok   bool
	}{
		{"the defaults are a valid closed loop", nil, true},
		{"an open loop at a rate is valid", []string{"--rate", "3000"}, true},
		{"an unknown platform is refused", []string{"--platform", "teams"}, false},
		{"a negative rate is refused", []string{"--rate", "-1"}, false},
		{"no clients and no rate is refused", []string{"--concurrency", "0"}, false},
		{"a mix of all zeros is refused", []string{"--questions", "0", "--checks", "0"}, false},
		{"a negative weight is refused", []string{"--lints", "-1"}, false},
		{"no users is refused", []string{"--users", "0"}, false},
		{"a stray argument is refused", []string{"now"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseLoadFlags(tc.args, io.Discard)
			if (err == nil) != tc.ok {
				t.Errorf("parse %v: %v, want ok=%v", tc.args, err, tc.ok)
			}
		})
	}
}

func TestWorkloadFollowsTheMix(t *testing.T) {
	w := &workload{mix: Mix{Questions: 4, Checks: 1}, users: 500, workspaces: 20, runID: "123456"}
	r := testRunner("http://unused", 0)
	counts := map[string]int{}
	users := map[int]bool{}
	const n = 10000
	for i := range n {
		rng := r.rngFor(uint64(i))
		o := w.next(rng)
		counts[o.kind]++
		users[o.user] = true
		if o.team != o.user%20 {
			t.Fatalf("user %d in workspace %d, want %d", o.user, o.team, o.user%20)
		}
	}
	if q := float64(counts["question"]) / n; q < 0.77 || q > 0.83 {
		t.Errorf("questions are %.2f of the load, want about 0.8 (%v)", q, counts)
	}
	if counts["commission"]+counts["lint"] != 0 {
		t.Errorf("commissions and lints sent with weight 0: %v", counts)
	}
	if len(users) < 450 {
		t.Errorf("%d distinct users of 500", len(users))
	}
}
