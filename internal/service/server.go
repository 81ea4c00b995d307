// Package service is influbot's one HTTP server: the endpoints of every
// HTTP-mode platform (mounted as http.Handlers) beside the operator's
// /healthz, /readyz and /metrics, with request metrics and a graceful
// shutdown. It knows no platform: cmd/influbot mounts the adapters.
package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Operator endpoints.
const (
	HealthPath  = "/healthz"
	ReadyPath   = "/readyz"
	MetricsPath = "/metrics"
)

// DefaultAddr is where the server listens when Addr is empty.
const DefaultAddr = ":3000"

// DefaultShutdownTimeout bounds how long a shutdown waits for requests in
// flight.
const DefaultShutdownTimeout = 10 * time.Second

// errStarting is the readiness before SetReady is called.
var errStarting = errors.New("starting: the database and the knowledge are still loading")

// DefaultStartWait bounds how long a request that comes before SetReady
// waits for the routes to be mounted: under the 3 s both Slack and
// Discord give an answer.
const DefaultStartWait = 2500 * time.Millisecond

// Server serves mounted handlers and the operator endpoints. Create it
// with New, Mount handlers (before or while it serves), then Run.
type Server struct {
	// Addr is the listen address, e.g. ":3000"; "" means DefaultAddr.
	Addr string
	// ShutdownTimeout bounds the wait for requests in flight once the
	// context ends; 0 means DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// StartWait bounds how long a request other than the operator
	// endpoints' waits, while the server starts, for SetReady (which the
	// caller makes once every route is mounted); past it the request is
	// answered 503 with Retry-After. 0 means DefaultStartWait.
	StartWait time.Duration

	log     *slog.Logger
	metrics *Metrics
	mux     *http.ServeMux
	ready   atomic.Pointer[func() error]
	// started is closed by the first SetReady; isStarted says so without
	// a channel operation on the hot path.
	started     chan struct{}
	isStarted   atomic.Bool
	startedOnce sync.Once
}

// New returns a server that logs to log (nil discards) and counts into
// m (nil: a fresh registry). Until SetReady is called, /readyz answers
// 503 "starting".
func New(log *slog.Logger, m *Metrics) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics()
	}
	s := &Server{log: log, metrics: m, mux: http.NewServeMux(), started: make(chan struct{})}
	notYet := func() error { return errStarting }
	s.ready.Store(&notYet)
	s.mux.HandleFunc("GET "+HealthPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	s.mux.HandleFunc("GET "+ReadyPath, s.handleReady)
	s.mux.Handle("GET "+MetricsPath, promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	return s
}

// Metrics returns the server's metrics, for the core's counters.
func (s *Server) Metrics() *Metrics { return s.metrics }

// SetReady sets what /readyz reports: nil from ready means ready, an
// error is the reason it is not (answered with 503). The first call also
// says every route is mounted: requests that came before it, held while
// the server started, are served then.
func (s *Server) SetReady(ready func() error) {
	if ready == nil {
		ready = func() error { return nil }
	}
	s.ready.Store(&ready)
	s.startedOnce.Do(func() {
		s.isStarted.Store(true)
		close(s.started)
	})
}

func (s *Server) startWait() time.Duration {
	if s.StartWait <= 0 {
		return DefaultStartWait
	}
	return s.StartWait
}

// operatorPath reports whether path is one of the endpoints served from
// the moment the server listens.
func operatorPath(path string) bool {
	return path == HealthPath || path == ReadyPath || path == MetricsPath
}

// awaitStart holds a request that came while the server was starting
// until SetReady, the request's end or StartWait, and reports whether the
// server started.
func (s *Server) awaitStart(r *http.Request) bool {
	t := time.NewTimer(s.startWait())
	defer t.Stop()
	select {
	case <-s.started:
		return true
	case <-t.C:
	case <-r.Context().Done():
	}
	return false
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := (*s.ready.Load())(); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "not ready: "+err.Error()+"\n")
		return
	}
	io.WriteString(w, "ok\n")
}

// Mount serves h on each pattern (http.ServeMux patterns such as
// "POST /slack/commands"), counted in the metrics under the route name
// (e.g. "slack_commands") and platform. Safe to call while serving.
func (s *Server) Mount(platform, route string, h http.Handler, patterns ...string) {
	counted := s.metrics.instrument(platform, route, h)
	for _, p := range patterns {
		s.mux.Handle(p, counted)
	}
}

// ServeHTTP serves the mounted handlers and the operator endpoints. Each
// request gets an id (RequestIDHeader's when the request brings a sane
// one, otherwise a new one), echoed in the response and carried in its
// context, so every log line of the request names it (LogHandler).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get(RequestIDHeader)
	if !saneRequestID(id) {
		id = NewRequestID()
	}
	w.Header().Set(RequestIDHeader, id)
	r = r.WithContext(WithRequestID(r.Context(), id))
	// Until SetReady the platforms' routes may not be mounted yet: a
	// request sent as soon as /healthz answers waits for them instead of
	// getting a 404.
	if !s.isStarted.Load() && !operatorPath(r.URL.Path) && !s.awaitStart(r) {
		s.log.WarnContext(r.Context(), "refused a request while starting", "path", r.URL.Path, "waited", s.startWait())
		w.Header().Set("Retry-After", "1")
		http.Error(w, "influbot is starting; try again in a moment", http.StatusServiceUnavailable)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Listen opens the server's address.
func (s *Server) Listen(ctx context.Context) (net.Listener, error) {
	addr := s.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve answers requests on ln until ctx ends, then stops accepting,
// lets the requests in flight finish (at most ShutdownTimeout) and
// returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		// Requests keep their context through a shutdown: the ones in
		// flight are answered, not canceled.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.InfoContext(ctx, "serving HTTP", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serve HTTP: %w", err)
	case <-ctx.Done():
	}
	timeout := s.ShutdownTimeout
	if timeout <= 0 {
		timeout = DefaultShutdownTimeout
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shut down HTTP server: %w", err)
	}
	s.log.InfoContext(ctx, "HTTP server stopped", "addr", ln.Addr().String())
	return nil
}

// Run listens on Addr and serves until ctx ends (see Serve).
func (s *Server) Run(ctx context.Context) error {
	ln, err := s.Listen(ctx)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(p)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func statusText(code int) string {
	if code == 0 {
		code = http.StatusOK
	}
	return strconv.Itoa(code)
}
