package main

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/influbot/influbot/bot/nudge"
	"github.com/influbot/influbot/store"
)

// Bounds of the database settings read from the environment.
const (
	maxDBConns          = 1000
	maxStatementTimeout = 10 * time.Minute
	maxNudgeInstances   = 100
)

// configureDB applies the operator's database settings to db before it
// opens: INFLUBOT_DB_MAX_CONNS (PostgreSQL's pool size) and
// INFLUBOT_DB_STATEMENT_TIMEOUT (PostgreSQL's statement_timeout, e.g.
// 30s). SQLite ignores both. A bad value is a usage error.
func configureDB(e *env, db *store.DB) error {
	if v := strings.TrimSpace(e.getenv("INFLUBOT_DB_MAX_CONNS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxDBConns {
			return usagef("INFLUBOT_DB_MAX_CONNS %q: use a whole number of connections from 1 to %d", v, maxDBConns)
		}
		db.MaxConns = n
	}
	if v := strings.TrimSpace(e.getenv("INFLUBOT_DB_STATEMENT_TIMEOUT")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond || d > maxStatementTimeout {
			return usagef("INFLUBOT_DB_STATEMENT_TIMEOUT %q: use a duration from 100ms to %s, like 30s", v, maxStatementTimeout)
		}
		db.StatementTimeout = d
	}
	return nil
}

// historyBehind reads INFLUBOT_HISTORY_BEHIND: whether a service's
// answers go out before their history is committed (default no).
func historyBehind(e *env) (bool, error) {
	v := strings.TrimSpace(e.getenv("INFLUBOT_HISTORY_BEHIND"))
	b, err := parseHistoryBehind(v)
	if err != nil {
		return false, usagef("INFLUBOT_HISTORY_BEHIND %q: %v", v, err)
	}
	return b, nil
}

// parseHistoryBehind reads INFLUBOT_HISTORY_BEHIND's value; "" is 0.
func parseHistoryBehind(v string) (bool, error) {
	if v = strings.TrimSpace(v); v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errors.New("use 1 (answer first, commit the history just behind) or 0 (the default: an answer waits until its history is committed)")
	}
	return b, nil
}

// shareLimits divides the nudge send rates among the instances that send
// for one database, INFLUBOT_NUDGE_INSTANCES of them (nudge.ShareLimits):
// the limits then hold for all of them together.
func shareLimits(e *env, limits map[string]nudge.RateLimit) (map[string]nudge.RateLimit, error) {
	v := strings.TrimSpace(e.getenv("INFLUBOT_NUDGE_INSTANCES"))
	if v == "" {
		return limits, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxNudgeInstances {
		return nil, usagef("INFLUBOT_NUDGE_INSTANCES %q: use the number of instances sending nudges, 1 to %d", v, maxNudgeInstances)
	}
	return nudge.ShareLimits(limits, n), nil
}

// registerDBMetrics adds the database pool's statistics to /metrics,
// labelled by engine (db_name="sqlite" or "postgres"), and
// influbot_db_engine{engine} = 1.
func registerDBMetrics(reg prometheus.Registerer, db *store.DB) {
	reg.MustRegister(collectors.NewDBStatsCollector(db.Pool(), db.Engine()))
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "influbot_db_engine", Help: "The database engine in use (1 for the one in use)."}, []string{"engine"})
	g.WithLabelValues(db.Engine()).Set(1)
	reg.MustRegister(g)
}

// readyTimeout bounds /readyz's look at the database.
const readyTimeout = 2 * time.Second

// dbReady is the database's part of /readyz.
func dbReady(db *store.DB) error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	return db.Ready(ctx)
}
