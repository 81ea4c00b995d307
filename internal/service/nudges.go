package service

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/influbot/influbot/bot/nudge"
)

// nudgeCollector reads the running dispatcher's counts when /metrics is
// scraped: the dispatcher keeps them, so none is counted twice or lost.
type nudgeCollector struct {
	desc  *prometheus.Desc
	stats atomic.Pointer[func() nudge.DispatchStats]
}

func newNudgeCollector() *nudgeCollector {
	return &nudgeCollector{desc: prometheus.NewDesc("influbot_nudges_total",
		"Nudges the dispatcher handled, by outcome: sent (delivered and recorded), retried (queued again; rate_limited of those), dead (gave up; unreachable of those), canceled, deferred, fenced (withdrawn after the claim).",
		[]string{"outcome"}, nil)}
}

func (c *nudgeCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *nudgeCollector) Collect(ch chan<- prometheus.Metric) {
	var s nudge.DispatchStats
	if f := c.stats.Load(); f != nil {
		s = (*f)()
	}
	for _, o := range []struct {
		name string
		n    int64
	}{
		{"sent", s.Sent}, {"retried", s.Retried}, {"rate_limited", s.RateLimited}, {"dead", s.Dead},
		{"unreachable", s.Unreachable}, {"canceled", s.Canceled}, {"deferred", s.Deferred}, {"fenced", s.Fenced},
	} {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(o.n), o.name)
	}
}

// Nudges counts the nudges of the dispatcher whose counts stats returns
// (its Stats method) in influbot_nudges_total; every outcome reads 0
// until it is set.
func (m *Metrics) Nudges(stats func() nudge.DispatchStats) {
	m.nudges.stats.Store(&stats)
}
