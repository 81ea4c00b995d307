package service

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/influbot/influbot/bot"
)

// Metrics are the counters /metrics exposes, in their own registry (no
// package-level state).
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	faq      *prometheus.CounterVec
	checks   *prometheus.CounterVec
	busy     *prometheus.CounterVec
	writes   *prometheus.HistogramVec
	failures *prometheus.CounterVec
	nudges   *nudgeCollector
	// writeOps holds the histogram and failure counter of each of
	// WriteOps, looked up once: TimeWrite runs several times a request.
	writeOps map[string]writeMetrics
}

type writeMetrics struct {
	took   prometheus.Observer
	failed prometheus.Counter
}

// FAQ outcomes counted in influbot_faq_questions_total.
const (
	FAQAnswered = "answered"
	FAQNotSure  = "not_sure"
	FAQDeclined = "declined"
)

// NewMetrics registers influbot's metrics and the Go runtime's.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "influbot_http_requests_total",
			Help: "HTTP requests answered, by platform, route and status code.",
		}, []string{"platform", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "influbot_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by platform and route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"platform", "route"}),
		faq: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "influbot_faq_questions_total",
			Help: "Questions for the FAQ, by outcome: answered, not_sure (logged as unanswered) or declined (off-topic).",
		}, []string{"outcome"}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "influbot_checks_total",
			Help: "Eligibility checks saved, by verdict: ready, borderline or not_yet.",
		}, []string{"verdict"}),
		busy: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "influbot_busy_refusals_total",
			Help: "Requests answered with the busy message instead of being taken on, by platform.",
		}, []string{"platform"}),
	}
	m.writes = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "influbot_db_write_duration_seconds",
		Help:    "Time a database write took as its caller waited for it (the group commit included), by operation.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"op"})
	m.failures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "influbot_db_write_failures_total",
		Help: "Database writes that returned an error, by operation.",
	}, []string{"op"})
	m.nudges = newNudgeCollector()
	m.reg.MustRegister(m.requests, m.latency, m.faq, m.checks, m.busy, m.writes, m.failures, m.nudges,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, o := range []string{FAQAnswered, FAQNotSure, FAQDeclined} {
		m.faq.WithLabelValues(o)
	}
	for _, v := range []string{"ready", "borderline", "not_yet"} {
		m.checks.WithLabelValues(v)
	}
	m.writeOps = map[string]writeMetrics{}
	for _, op := range WriteOps() {
		m.writeOps[op] = writeMetrics{took: m.writes.WithLabelValues(op), failed: m.failures.WithLabelValues(op)}
	}
	return m
}

// Registry is where the metrics live, for tests and further collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

func (m *Metrics) instrument(platform, route string, h http.Handler) http.Handler {
	hist := m.latency.WithLabelValues(platform, route)
	// The 200s' counter, looked up at the first one (not before: the
	// series appears with its first request, as the others do).
	var ok atomic.Pointer[prometheus.Counter]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			hist.Observe(time.Since(start).Seconds())
			if rec.status != 0 && rec.status != http.StatusOK {
				m.requests.WithLabelValues(platform, route, statusText(rec.status)).Inc()
				return
			}
			c := ok.Load()
			if c == nil {
				c = new(prometheus.Counter)
				*c = m.requests.WithLabelValues(platform, route, statusText(http.StatusOK))
				ok.Store(c)
			}
			(*c).Inc()
		}()
		h.ServeHTTP(rec, r)
	})
}

// Events counts answered FAQ questions as they are recorded in next.
func (m *Metrics) Events(next bot.EventRecorder) bot.EventRecorder {
	return countingEvents{next: next, m: m}
}

// Unanswered counts the questions the core could not answer (not sure)
// or declined as off-topic, as they are logged in next.
func (m *Metrics) Unanswered(next bot.UnansweredLog) bot.UnansweredLog {
	return countingUnanswered{next: next, m: m}
}

type countingEvents struct {
	next bot.EventRecorder
	m    *Metrics
}

func (c countingEvents) RecordEvent(ctx context.Context, e bot.Event) error {
	if e.Kind == bot.EventQuestion && e.Answered {
		c.m.faq.WithLabelValues(FAQAnswered).Inc()
	}
	return c.m.TimeWrite(WriteEvent, func() error { return c.next.RecordEvent(ctx, e) })
}

type countingUnanswered struct {
	next bot.UnansweredLog
	m    *Metrics
}

func (c countingUnanswered) LogUnanswered(ctx context.Context, q bot.UnansweredQuestion) error {
	outcome := FAQNotSure
	if q.OffTopic {
		outcome = FAQDeclined
	}
	c.m.faq.WithLabelValues(outcome).Inc()
	return c.m.TimeWrite(WriteUnanswered, func() error { return c.next.LogUnanswered(ctx, q) })
}

// Checks counts eligibility checks by verdict as they are saved in next.
func (m *Metrics) Checks(next bot.CheckStore) bot.CheckStore {
	return countingChecks{CheckStore: next, m: m}
}

type countingChecks struct {
	bot.CheckStore
	m *Metrics
}

func (c countingChecks) SaveCheck(ctx context.Context, r bot.CheckRecord) (int64, error) {
	var id int64
	err := c.m.TimeWrite(WriteCheck, func() error {
		var err error
		id, err = c.CheckStore.SaveCheck(ctx, r)
		return err
	})
	if err == nil && r.Verdict != "" {
		c.m.checks.WithLabelValues(r.Verdict).Inc()
	}
	return id, err
}

// Database write operations timed in influbot_db_write_duration_seconds.
const (
	WriteEvent      = "event"
	WriteUnanswered = "unanswered"
	WriteCheck      = "check"
	WriteContext    = "context"
	WriteReplay     = "replay"
	WriteNudge      = "nudge"
)

// WriteOps are the operations shown from the start (at 0).
func WriteOps() []string {
	return []string{WriteEvent, WriteUnanswered, WriteCheck, WriteContext, WriteReplay, WriteNudge}
}

// TimeWrite runs write, a database write of operation op, and counts its
// duration and, when it fails, the failure. It returns write's error.
func (m *Metrics) TimeWrite(op string, write func() error) error {
	start := time.Now()
	err := write()
	wm, ok := m.writeOps[op]
	if !ok {
		wm = writeMetrics{took: m.writes.WithLabelValues(op), failed: m.failures.WithLabelValues(op)}
	}
	wm.took.Observe(time.Since(start).Seconds())
	if err != nil {
		wm.failed.Inc()
	}
	return err
}

// Context times the conversation context's saves in next.
func (m *Metrics) Context(next bot.ContextStore) bot.ContextStore {
	return timedContext{ContextStore: next, m: m}
}

type timedContext struct {
	bot.ContextStore
	m *Metrics
}

func (c timedContext) SaveContext(ctx context.Context, conv bot.Conversation) error {
	return c.m.TimeWrite(WriteContext, func() error { return c.ContextStore.SaveContext(ctx, conv) })
}

// Busy returns the function an adapter calls each time it refuses a
// request as too busy, counted under platform.
func (m *Metrics) Busy(platform string) func() {
	c := m.busy.WithLabelValues(platform)
	return c.Inc
}
