package service

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("a log line is not JSON: %q", sc.Text())
		}
		out = append(out, m)
	}
	return out
}

// TestEveryLogLineOfARequestCarriesItsID: whatever a request logs, on its
// own goroutine or on one it hands work to, names the request's id, which
// the response echoes; a sane incoming id is kept, anything else replaced.
func TestEveryLogLineOfARequestCarriesItsID(t *testing.T) {
	var logs syncBuffer
	log := slog.New(LogHandler(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	s := New(log, nil)
	s.Mount("test", "work", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		log.InfoContext(ctx, "took a request", "what", r.URL.Query().Get("n"))
		sub := log.With("part", "worker")
		var wg sync.WaitGroup
		wg.Go(func() {
			bg := context.WithoutCancel(ctx)
			sub.DebugContext(bg, "working in the background", "what", r.URL.Query().Get("n"))
		})
		wg.Wait()
		log.WarnContext(ctx, "answered", "what", r.URL.Query().Get("n"))
		w.Write([]byte("ok"))
	}), "POST /work")
	s.SetReady(nil) // every route is mounted
	base, _, _ := start(t, s)

	for _, tc := range []struct {
		name     string
		incoming string
		keep     bool
	}{
		{"no id: one is made", "", false},
		{"a proxy's id is kept", "lb-7f3a9c:0001.abc_DEF", true},
		{"spaces and quotes are not", `x" level=ERROR msg="forged`, false},
		{"a newline is not", "abc\r\nSet-Cookie: x=y", false},
		{"too long is not", strings.Repeat("a", 200), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := strings.ReplaceAll(tc.name, " ", "_")
			req, err := http.NewRequest(http.MethodPost, base+"/work?n="+n, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.incoming != "" {
				req.Header[RequestIDHeader] = []string{tc.incoming}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				// Go's client refuses to send a header with a newline.
				if strings.ContainsAny(tc.incoming, "\r\n") {
					return
				}
				t.Fatal(err)
			}
			resp.Body.Close()
			id := resp.Header.Get(RequestIDHeader)
			if tc.keep && id != tc.incoming {
				t.Errorf("response id %q, want the incoming %q", id, tc.incoming)
			}
			if !tc.keep && (id == tc.incoming || !saneRequestID(id) || len(id) < 16) {
				t.Errorf("response id %q for incoming %q, want a fresh one", id, tc.incoming)
			}
			var mine int
			for _, l := range logs.lines(t) {
				if l["what"] != n {
					continue
				}
				mine++
				if l["request_id"] != id {
					t.Errorf("line %v has request_id %v, want %q", l["msg"], l["request_id"], id)
				}
			}
			if mine != 3 {
				t.Errorf("found %d log lines of the request, want 3", mine)
			}
		})
	}
}

func TestDistinctRequestsGetDistinctIDs(t *testing.T) {
	s := New(nil, nil)
	base, _, _ := start(t, s)
	seen := map[string]bool{}
	for range 50 {
		resp, err := http.Get(base + HealthPath)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		id := resp.Header.Get(RequestIDHeader)
		if id == "" || seen[id] {
			t.Fatalf("id %q empty or repeated", id)
		}
		seen[id] = true
	}
}
