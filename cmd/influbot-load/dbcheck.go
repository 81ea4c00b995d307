package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"
)

// DBCheck compares what the server recorded with what it answered.
type DBCheck struct {
	Rows       int64 `json:"rows"`       // events of the run's users in the run's window
	Successful int64 `json:"successful"` // requests answered, not busy
	Equal      bool  `json:"equal"`
}

// countRecorded counts the rows of the events table for users whose ids
// start with one of prefixes, recorded in [from, to]. It reads both the
// bot's schema (events joined to users) and the peer's flat one.
func countRecorded(ctx context.Context, db *sql.DB, prefixes []string, from, to time.Time) (int64, error) {
	var columns, joined int
	if err := db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE name = 'user_pk') FROM pragma_table_info('events')`).Scan(&columns, &joined); err != nil {
		return 0, fmt.Errorf("read the events table's columns: %w", err)
	}
	if columns == 0 {
		return 0, errors.New("there is no events table: is this the server's database?")
	}
	q := `SELECT count(*) FROM events WHERE user_id LIKE ? || '%' AND at BETWEEN ? AND ?`
	if joined > 0 {
		q = `SELECT count(*) FROM events e JOIN users u ON u.id = e.user_pk WHERE u.user_id LIKE ? || '%' AND e.at BETWEEN ? AND ?`
	}
	var total int64
	for _, p := range prefixes {
		var n int64
		if err := db.QueryRowContext(ctx, q, p, from.UnixMilli(), to.UnixMilli()).Scan(&n); err != nil {
			return 0, fmt.Errorf("count events: %w", err)
		}
		total += n
	}
	return total, nil
}

// checkRecorded waits (up to wait) for the server to record what it
// answered, since some servers record after answering, then compares.
// It stops waiting once the count equals successful or has not moved for
// two seconds.
func checkRecorded(ctx context.Context, path string, prefixes []string, from, to time.Time, successful int64, wait time.Duration) (*DBCheck, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("--db: %w", err)
	}
	db, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	deadline := time.Now().Add(wait)
	var last int64 = -1
	still := 0
	for {
		n, err := countRecorded(ctx, db, prefixes, from, to)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if n == successful || time.Now().After(deadline) || still >= 4 {
			return &DBCheck{Rows: n, Successful: successful, Equal: n == successful}, nil
		}
		if n == last {
			still++
		} else {
			still = 0
		}
		last = n
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
