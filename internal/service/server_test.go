package service

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func start(t *testing.T, s *Server) (base string, cancel context.CancelFunc, done chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done = make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
	})
	return "http://" + ln.Addr().String(), cancel, done
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestReadiness(t *testing.T) {
	s := New(nil, nil)
	base, _, _ := start(t, s)
	for _, tc := range []struct {
		name     string
		set      bool
		ready    func() error
		want     int
		wantText string
	}{
		{"it is not ready while starting", false, nil, http.StatusServiceUnavailable, "starting"},
		{"it is ready once nothing is wrong", true, func() error { return nil }, http.StatusOK, "ok"},
		{"it says why it is not ready", true, func() error { return io.ErrClosedPipe }, http.StatusServiceUnavailable, "closed pipe"},
		{"it is ready again once mended", true, nil, http.StatusOK, "ok"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.set {
				s.SetReady(tc.ready)
			}
			status, body := get(t, base+ReadyPath)
			if status != tc.want || !strings.Contains(body, tc.wantText) {
				t.Errorf("/readyz %d %q, want %d with %q", status, body, tc.want, tc.wantText)
			}
			if status, _ := get(t, base+HealthPath); status != http.StatusOK {
				t.Errorf("/healthz %d while readiness is %d", status, tc.want)
			}
		})
	}
}

func TestShutdownAnswersRequestsInFlight(t *testing.T) {
	s := New(nil, nil)
	started := make(chan struct{})
	s.Mount("test", "slow", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "answered")
	}), "POST /slow")
	s.SetReady(nil) // every route is mounted
	base, cancel, done := start(t, s)
	type result struct {
		status int
		body   string
		err    error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Post(base+"/slow", "text/plain", nil)
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		res <- result{status: resp.StatusCode, body: string(b)}
	}()
	<-started
	cancel()
	t.Run("the request in flight is answered", func(t *testing.T) {
		r := <-res
		if r.err != nil || r.status != http.StatusOK || r.body != "answered" {
			t.Errorf("got %d %q %v", r.status, r.body, r.err)
		}
	})
	t.Run("Serve returns nil after a clean shutdown", func(t *testing.T) {
		select {
		case err := <-done:
			done <- err // for the cleanup
			if err != nil {
				t.Errorf("Serve = %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Serve did not return")
		}
	})
	t.Run("new connections are refused", func(t *testing.T) {
		if _, err := http.Get(base + HealthPath); err == nil {
			t.Error("still accepting")
		}
	})
	t.Run("the request was counted with its status", func(t *testing.T) {
		_, text := getMetrics(t, s)
		if !strings.Contains(text, `influbot_http_requests_total{platform="test",route="slow",status="200"} 1`) {
			t.Errorf("no count for the slow route:\n%s", text)
		}
	})
}

func TestShutdownIsBounded(t *testing.T) {
	s := New(nil, nil)
	s.ShutdownTimeout = 100 * time.Millisecond
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	started := make(chan struct{})
	s.Mount("test", "stuck", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	}), "GET /stuck")
	s.SetReady(nil) // every route is mounted
	base, cancel, done := start(t, s)
	go http.Get(base + "/stuck")
	<-started
	begin := time.Now()
	cancel()
	select {
	case err := <-done:
		done <- err // for the cleanup
		if err == nil {
			t.Error("Serve = nil, want the shutdown's timeout")
		}
		if took := time.Since(begin); took > 2*time.Second {
			t.Errorf("shutdown took %v with a 100 ms bound", took)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return within 5 s with a stuck request")
	}
}

// getMetrics renders the registry as /metrics would.
func getMetrics(t *testing.T, s *Server) (int, string) {
	t.Helper()
	rec := &recorder{header: http.Header{}}
	req, _ := http.NewRequest(http.MethodGet, MetricsPath, nil)
	s.ServeHTTP(rec, req)
	return rec.status, rec.body.String()
}

type recorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }
func (r *recorder) WriteHeader(code int)        { r.status = code }

func TestCoreCountersAreExposed(t *testing.T) {
	s := New(nil, nil)
	busy := s.Metrics().Busy("slack")
	busy()
	busy()
	_, text := getMetrics(t, s)
	for _, want := range []string{
		`influbot_busy_refusals_total{platform="slack"} 2`,
		`influbot_faq_questions_total{outcome="declined"} 0`,
		`influbot_checks_total{verdict="ready"} 0`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestRequestsWhileStarting(t *testing.T) {
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "answered") })
	post := func(url string) (int, string, http.Header) {
		resp, err := http.Post(url, "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	t.Run("a request before the routes are mounted waits for them and is answered", func(t *testing.T) {
		s := New(nil, nil)
		base, _, _ := start(t, s)
		got := make(chan string, 1)
		go func() {
			status, body, _ := post(base + "/hook")
			got <- fmt.Sprint(status, " ", body)
		}()
		// The request is held, not refused: nothing comes back yet.
		select {
		case g := <-got:
			t.Fatalf("answered %q before the routes were mounted", g)
		case <-time.After(200 * time.Millisecond):
		}
		s.Mount("test", "hook", echo, "POST /hook")
		s.SetReady(nil)
		select {
		case g := <-got:
			if g != "200 answered" {
				t.Errorf("got %q, want 200 answered", g)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the held request was never answered")
		}
	})
	t.Run("one that waits too long gets 503 with Retry-After, and the operator endpoints never wait", func(t *testing.T) {
		s := New(nil, nil)
		s.StartWait = 50 * time.Millisecond
		base, _, _ := start(t, s)
		status, body, h := post(base + "/hook")
		if status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.Contains(body, "starting") {
			t.Errorf("got %d %q Retry-After %q, want 503 starting with Retry-After", status, body, h.Get("Retry-After"))
		}
		for _, p := range []string{HealthPath, MetricsPath} {
			if status, _ := get(t, base+p); status != http.StatusOK {
				t.Errorf("%s %d while starting, want 200", p, status)
			}
		}
		if status, _ := get(t, base+ReadyPath); status != http.StatusServiceUnavailable {
			t.Errorf("/readyz %d while starting, want 503", status)
		}
	})
	t.Run("once started an unknown path is 404 and a wrong method 405, at once", func(t *testing.T) {
		s := New(nil, nil)
		s.StartWait = time.Minute
		base, _, _ := start(t, s)
		s.Mount("test", "hook", echo, "POST /hook")
		s.SetReady(nil)
		if status, _, _ := post(base + "/nowhere"); status != http.StatusNotFound {
			t.Errorf("unknown path %d, want 404", status)
		}
		if status, _ := get(t, base+"/hook"); status != http.StatusMethodNotAllowed {
			t.Errorf("GET on a POST route %d, want 405", status)
		}
	})
}
