package service

import (
	"context"
	"net/http"
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
	m.reg.MustRegister(m.requests, m.latency, m.faq, m.checks, m.busy,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, o := range []string{FAQAnswered, FAQNotSure, FAQDeclined} {
		m.faq.WithLabelValues(o)
	}
	for _, v := range []string{"ready", "borderline", "not_yet"} {
		m.checks.WithLabelValues(v)
	}
	return m
}

// Registry is where the metrics live, for tests and further collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

func (m *Metrics) instrument(platform, route string, h http.Handler) http.Handler {
	hist := m.latency.WithLabelValues(platform, route)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			hist.Observe(time.Since(start).Seconds())
			m.requests.WithLabelValues(platform, route, statusText(rec.status)).Inc()
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
	return c.next.RecordEvent(ctx, e)
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
	return c.next.LogUnanswered(ctx, q)
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
	id, err := c.CheckStore.SaveCheck(ctx, r)
	if err == nil && r.Verdict != "" {
		c.m.checks.WithLabelValues(r.Verdict).Inc()
	}
	return id, err
}

// Busy returns the function an adapter calls each time it refuses a
// request as too busy, counted under platform.
func (m *Metrics) Busy(platform string) func() {
	c := m.busy.WithLabelValues(platform)
	return c.Inc
}
