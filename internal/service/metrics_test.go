package service

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
)

// failingEvents refuses every write after the first ok ones.
type failingEvents struct {
	ok    int
	calls atomic.Int32
}

func (f *failingEvents) RecordEvent(context.Context, bot.Event) error {
	if int(f.calls.Add(1)) > f.ok {
		return errors.New("disk I/O error")
	}
	return nil
}

func TestDatabaseWritesAreTimedAndFailuresCounted(t *testing.T) {
	for _, tc := range []struct {
		name         string
		ok, writes   int
		wantCount    string
		wantFailures string
	}{
		{"all succeed", 3, 3, `influbot_db_write_duration_seconds_count{op="event"} 3`, `influbot_db_write_failures_total{op="event"} 0`},
		{"some fail", 1, 4, `influbot_db_write_duration_seconds_count{op="event"} 4`, `influbot_db_write_failures_total{op="event"} 3`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(nil, nil)
			rec := s.Metrics().Events(&failingEvents{ok: tc.ok})
			u := bot.UserRef{Platform: "slack", Tenant: "T1", ID: "U1"}
			var failed int
			for range tc.writes {
				if err := rec.RecordEvent(context.Background(), bot.Event{User: u, Kind: bot.EventQuestion}); err != nil {
					failed++
				}
			}
			if failed != tc.writes-tc.ok {
				t.Errorf("%d writes failed through the wrapper, want %d (errors must pass through)", failed, tc.writes-tc.ok)
			}
			_, text := getMetrics(t, s)
			for _, want := range []string{tc.wantCount, tc.wantFailures, `influbot_db_write_failures_total{op="check"} 0`} {
				if !strings.Contains(text, want) {
					t.Errorf("/metrics lacks %q", want)
				}
			}
		})
	}
}

func TestContextSavesAreTimed(t *testing.T) {
	s := New(nil, nil)
	store := s.Metrics().Context(bot.NewMemoryContext())
	u := bot.UserRef{Platform: "slack", Tenant: "T1", ID: "U1"}
	for range 2 {
		if err := store.SaveContext(context.Background(), bot.Conversation{User: u}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := store.LoadContext(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	_, text := getMetrics(t, s)
	if want := `influbot_db_write_duration_seconds_count{op="context"} 2`; !strings.Contains(text, want) {
		t.Errorf("/metrics lacks %q (loads are not writes)", want)
	}
}

func TestNudgesByOutcome(t *testing.T) {
	s := New(nil, nil)
	_, text := getMetrics(t, s)
	if want := `influbot_nudges_total{outcome="sent"} 0`; !strings.Contains(text, want) {
		t.Errorf("before a dispatcher runs, /metrics lacks %q", want)
	}
	var sent atomic.Int64
	s.Metrics().Nudges(func() nudge.DispatchStats {
		return nudge.DispatchStats{Sent: sent.Load(), Retried: 3, RateLimited: 2, Dead: 1, Unreachable: 1, Canceled: 4}
	})
	sent.Store(7)
	_, text = getMetrics(t, s)
	for _, want := range []string{
		`influbot_nudges_total{outcome="sent"} 7`,
		`influbot_nudges_total{outcome="retried"} 3`,
		`influbot_nudges_total{outcome="rate_limited"} 2`,
		`influbot_nudges_total{outcome="dead"} 1`,
		`influbot_nudges_total{outcome="unreachable"} 1`,
		`influbot_nudges_total{outcome="canceled"} 4`,
		`influbot_nudges_total{outcome="fenced"} 0`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestRequestsAreCountedByStatus(t *testing.T) {
	s := New(nil, nil)
	var status atomic.Int32
	h := s.Metrics().instrument("slack", "/slack/commands", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch code := int(status.Load()); code {
		case 0:
			io.WriteString(w, "implicit 200")
		default:
			w.WriteHeader(code)
		}
	}))
	_, before := getMetrics(t, s)
	if strings.Contains(before, `route="/slack/commands",status="200"`) {
		t.Fatal("a 200 series before any request")
	}
	for _, code := range []int{0, 200, 0, 401, 200, 503} {
		status.Store(int32(code))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/slack/commands", nil))
	}
	_, text := getMetrics(t, s)
	for _, want := range []string{
		`influbot_http_requests_total{platform="slack",route="/slack/commands",status="200"} 4`,
		`influbot_http_requests_total{platform="slack",route="/slack/commands",status="401"} 1`,
		`influbot_http_requests_total{platform="slack",route="/slack/commands",status="503"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
