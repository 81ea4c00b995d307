package main

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func testRunner(target string, timeout time.Duration) *runner {
	key, _ := discordKey(testSeed, nil)
	wire, err := newWireTarget(target)
	if err != nil {
		panic(err)
	}
	return &runner{
		client: &http.Client{}, wire: wire, target: target, platform: "slack", secret: testSecret, key: key,
		w:   &workload{mix: Mix{Questions: 4, Checks: 1}, users: 10, workspaces: 2, runID: "123456", responseURL: "https://hooks.slack.com", appID: "1"},
		rec: newRecorder(), busyText: "a lot of people right now", timeout: timeout, clk: realClock(), seed: 1,
	}
}

func TestSendTellsOutcomesApart(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    outcome
		kind    string
	}{
		{"an empty 200 is answered", func(w http.ResponseWriter, r *http.Request) {}, answered, ""},
		{"an inline answer is answered", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"response_type":"ephemeral","text":"You need 1,000 followers."}`)
		}, answered, ""},
		{"the bot's busy reply is busy", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"response_type":"ephemeral","text":"I'm answering a lot of people right now. Please try again in a minute."}`)
		}, busy, ""},
		{"a 401 is an error by its status", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
		}, failed, "status 401"},
		{"an answer slower than the timeout is a timeout", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(time.Second):
			case <-r.Context().Done():
			}
		}, failed, "timeout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			r := testRunner(srv.URL, 100*time.Millisecond)
			res := r.send(context.Background(), r.newSender(context.Background()), time.Now())
			if res.outcome != tc.want || res.kind != tc.kind {
				t.Errorf("outcome %d %q, want %d %q", res.outcome, res.kind, tc.want, tc.kind)
			}
		})
	}
}

func TestSendToAClosedPortIsATransportError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	if res := sendOne(testRunner(url, time.Second), time.Now()); res.outcome != failed || res.kind != "transport" {
		t.Errorf("outcome %d %q, want a transport error", res.outcome, res.kind)
	}
}

func TestLatencyIsTimedFromTheIntendedStart(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	res := sendOne(testRunner(srv.URL, time.Second), time.Now().Add(-time.Second))
	if res.latency < time.Second {
		t.Errorf("latency %v for a request due a second ago, want at least a second", res.latency)
	}
}

// naiveContainsFold is containsFold as first written: every offset.
func naiveContainsFold(s []byte, lower string) bool {
	for i := 0; i+len(lower) <= len(s); i++ {
		if equalFold(s[i:i+len(lower)], lower) {
			return true
		}
	}
	return false
}

func BenchmarkContainsFold(b *testing.B) {
	answer := bytes.Repeat([]byte("Why was I rejected? Amazon rarely gives a specific reason, but rejections usually trace back to one of the things it reviews. "), 24)
	b.SetBytes(int64(len(answer)))
	for b.Loop() {
		if containsFold(answer, "a lot of people right now") {
			b.Fatal("found")
		}
	}
}

func TestContainsFold(t *testing.T) {
	const busy = "a lot of people right now"
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"as written", `{"text":"I'm answering a lot of people right now."}`, true},
		{"capitalised", `{"text":"A LOT of People Right Now"}`, true},
		{"among non-ASCII text", "• busy — A lot of people right now —", true},
		{"at the very end", "x a lot of people right now", true},
		{"cut short", "a lot of people right no", false},
		{"another answer", `{"text":"Why was I rejected?"}`, false},
		{"empty body", "", false},
		{"shorter than the words", "now", false},
		{"the rare letter early, the match later", "wow, wow: A lot of people RIGHT now", true},
		{"both cases of the rare letter before it", "W w W w a lot of people right now", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := containsFold([]byte(tt.body), busy); got != tt.want {
				t.Errorf("containsFold(%q) = %v, want %v", tt.body, got, tt.want)
			}
		})
	}
	// Every offset, against the obvious byte-by-byte comparison.
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "aAlLoOtTwW pPeE"
	for range 20000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		for _, pat := range []string{"a lot", "w", "ow ", "  ", "people right now"} {
			if got, want := containsFold(b, pat), naiveContainsFold(b, pat); got != want {
				t.Fatalf("containsFold(%q, %q) = %v, want %v", b, pat, got, want)
			}
		}
	}
	if got := asciiLowerString("A Lot Of PEOPLE — É"); got != "a lot of people — É" {
		t.Errorf("asciiLowerString = %q", got)
	}
}

// sendOne sends one request on a new sender.
func sendOne(r *runner, intended time.Time) result {
	s := r.newSender(context.Background())
	defer s.close()
	return r.send(context.Background(), s, intended)
}
