package store

import (
	"context"
	"fmt"
	"time"

	"github.com/influbot/influbot/bot"
)

// The operator's reports: what "influbot unanswered" and "influbot nudges"
// print, as data. The command line only formats them.

// UnansweredRow is one question the bot could not answer, in one
// workspace, as "influbot unanswered --json" prints it.
type UnansweredRow struct {
	Tenant string    `json:"tenant"`
	Text   string    `json:"text"`
	Count  int       `json:"count"`
	Users  int       `json:"users"`
	First  time.Time `json:"first"`
	Last   time.Time `json:"last"`
	// OffTopic separates declined off-topic questions from in-scope ones
	// the bot was not sure about.
	OffTopic bool `json:"off_topic"`
}

// UnansweredGroup is one workspace's unanswered questions, most asked
// first.
type UnansweredGroup struct {
	Tenant bot.TenantRef
	Rows   []UnansweredRow
}

// UnansweredReport lists the unanswered questions of each of tenants (every
// workspace the database knows when tenants is empty), at most limit per
// workspace; workspaces with none are left out.
func (db *DB) UnansweredReport(ctx context.Context, tenants []bot.TenantRef, limit int) ([]UnansweredGroup, error) {
	db.settle(ctx) // the questions and events just asked count
	if len(tenants) == 0 {
		var err error
		if tenants, err = db.Tenants(ctx); err != nil {
			return nil, err
		}
	}
	var groups []UnansweredGroup
	for _, t := range tenants {
		topics, err := db.UnansweredTopics(ctx, t, limit)
		if err != nil {
			return nil, err
		}
		if len(topics) == 0 {
			continue
		}
		g := UnansweredGroup{Tenant: t}
		for _, q := range topics {
			g.Rows = append(g.Rows, UnansweredRow{Tenant: t.String(), Text: q.Text, Count: q.Count, Users: q.Users, First: q.First, Last: q.Last, OffTopic: q.OffTopic})
		}
		groups = append(groups, g)
	}
	return groups, nil
}

// NudgeRecord is one nudge as "influbot nudges --json" prints it: every
// key always present, times in RFC 3339 (UTC), null for what is not there.
type NudgeRecord struct {
	ID        int64      `json:"id"`
	User      string     `json:"user"`
	Kind      string     `json:"kind"`
	Task      *string    `json:"task"`
	Slot      time.Time  `json:"slot"`
	Due       time.Time  `json:"due"`
	Status    string     `json:"status"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error"`
	SentAt    *time.Time `json:"sent_at"`
}

// NudgeReport lists the nudges f selects, newest first, as records.
func (db *DB) NudgeReport(ctx context.Context, f bot.NudgeFilter) ([]NudgeRecord, error) {
	ns, err := db.ListNudges(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list nudges: %w", err)
	}
	recs := make([]NudgeRecord, 0, len(ns))
	for _, n := range ns {
		recs = append(recs, nudgeRecord(n))
	}
	return recs, nil
}

func nudgeRecord(n bot.Nudge) NudgeRecord {
	r := NudgeRecord{ID: n.ID, User: n.User.String(), Kind: n.Kind, Slot: n.Slot.UTC(),
		Due: n.Due.UTC(), Status: n.Status, Attempts: n.Attempts, LastError: n.LastError}
	if n.TaskID != "" {
		r.Task = &n.TaskID
	}
	if !n.SentAt.IsZero() {
		at := n.SentAt.UTC()
		r.SentAt = &at
	}
	return r
}
