package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"sync/atomic"

	"github.com/jmoiron/sqlx"

	"github.com/influbot/influbot/bot"
)

// SaveCheck implements bot.CheckStore. It returns the check's id when
// c.WantID asks for it (it then waits for the commit), and 0 otherwise or
// when the check is still queued because the database refuses writes.
func (db *DB) SaveCheck(ctx context.Context, c bot.CheckRecord) (int64, error) {
	if !c.User.Valid() {
		return 0, bot.Errorf(bot.EINVALID, "I couldn't tell who ran that check, so I can't keep it.")
	}
	if err := validCheck(c); err != nil {
		return 0, err
	}
	at := db.timeOr(c.Time)
	// row is the check as stored, and as a read gives it back: what is
	// inserted, and what the cache keeps once it is committed.
	row := checkRow{At: at.UnixMilli(), Platform: clip(c.Platform, 32), Followers: c.Followers,
		Likes: nullFloat(c.Likes), Comments: nullFloat(c.Comments), Shares: nullFloat(c.Shares), Views: nullFloat(c.Views),
		PostsPerWeek: nullFloat(c.PostsPerWeek), Niche: clip(c.Niche, 200), EngagementRate: c.EngagementRate,
		EngagementBasis: clip(c.EngagementBasis, 32), ViewRate: nullFloat(c.ViewRate), Verdict: clip(c.Verdict, 32),
		Score: c.Score}
	if len(c.Result) > 0 {
		row.Result = sql.NullString{String: string(c.Result), Valid: true}
	}
	var id atomic.Int64 // set by the commit loop, maybe after SaveCheck returned
	// The user's latest check is cached (LatestChecks): not while this
	// one is on its way, and this one once it is committed.
	var saved func(error)
	if db.caching() {
		u := c.User
		db.cache.checkSaving(u)
		saved = func(err error) {
			if err != nil {
				db.cache.checkSaved(u, nil)
				return
			}
			committed := row
			committed.ID = id.Load()
			db.cache.checkSaved(u, &committed)
		}
	}
	// A check is history queued ahead of its request's event (see
	// spooledAhead): SaveCheck returns once it is queued, with id 0,
	// unless c.WantID asked to wait for the id.
	err := db.enqueueAfter(ctx, "save check", func(ctx context.Context, tx *sqlx.Tx) error {
		pk, err := db.upsertUser(ctx, tx, c.User, at)
		if err != nil {
			return err
		}
		pk2, err := db.insertID(ctx, tx, db.st.addCheck,
			pk, row.At, row.Platform, row.Followers, row.Likes, row.Comments, row.Shares, row.Views,
			row.PostsPerWeek, row.Niche, row.EngagementRate, row.EngagementBasis, row.ViewRate,
			row.Verdict, row.Score, row.Result)
		id.Store(pk2)
		return err
	}, true, c.WantID, saved) // queued ahead of the event (spooledAhead) unless the id is wanted
	return id.Load(), err
}

// nullFloat is p as the column it is stored in reads back.
func nullFloat(p *float64) sql.NullFloat64 {
	if p == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *p, Valid: true}
}

func validCheck(c bot.CheckRecord) error {
	if c.Followers < 0 {
		return bot.Errorf(bot.EINVALID, "A follower count can't be negative.")
	}
	for _, f := range []*float64{c.Likes, c.Comments, c.Shares, c.Views, c.PostsPerWeek, c.ViewRate, &c.EngagementRate} {
		if f != nil && (math.IsNaN(*f) || math.IsInf(*f, 0) || *f < 0) {
			return bot.Errorf(bot.EINVALID, "That check has a number I can't store (negative or not a number).")
		}
	}
	if c.Verdict == "" {
		return bot.Errorf(bot.EINVALID, "That check has no verdict, so I can't keep it.")
	}
	if len(c.Result) > 0 && !json.Valid(c.Result) {
		return bot.Errorf(bot.EINVALID, "That check's result is not valid JSON, so I can't keep it.")
	}
	return nil
}

// LatestChecks implements bot.CheckStore: the user's most recent checks,
// newest first.
func (db *DB) LatestChecks(ctx context.Context, u bot.UserRef, limit int) ([]bot.CheckRecord, error) {
	limit = clampLimit(limit)
	const op = "latest checks"
	if err := db.opened(op); err != nil {
		return nil, err
	}
	// The latest check alone ("am I eligible?", "is that bad?") is
	// cached: read from SQLite each time, it took 2% of a server's CPU,
	// its row's pages read afresh after every commit.
	one := limit == 1 && db.caching()
	var tok checkToken
	if one {
		var row *checkRow
		var ok bool
		if row, ok, tok = db.cache.latestCheck(u, db.now()); ok {
			if row == nil {
				return []bot.CheckRecord{}, nil
			}
			return []bot.CheckRecord{row.record(u)}, nil
		}
	}
	db.settle(ctx)
	// A prepared statement of the hot path (readStmts): "am I eligible?"
	// and "is that bad?" read the last check. Prepared for each call, in
	// a transaction of its own, it took 3.2-3.7% of the server's CPU at
	// 128 clients (half of it preparing).
	s, err := db.readStmt(ctx, latestChecksSQL)
	if err != nil {
		return nil, formatError(op, err)
	}
	var rows []checkRow
	if err := s.SelectContext(ctx, &rows, u.Platform, u.Tenant, u.ID, limit); err != nil {
		return nil, formatError(op, err)
	}
	if one {
		var latest *checkRow
		if len(rows) > 0 {
			latest = &rows[0]
		}
		db.cache.fillLatestCheck(u, latest, tok)
	}
	out := make([]bot.CheckRecord, len(rows))
	for i, r := range rows {
		out[i] = r.record(u)
	}
	return out, nil
}

const latestChecksSQL = checkSelect + `
	WHERE u.platform = ? AND u.tenant = ? AND u.user_id = ?
	ORDER BY c.at DESC, c.id DESC LIMIT ?`

const checkSelect = `SELECT c.id, c.at, c.platform, c.followers, c.likes, c.comments, c.shares, c.views,
		c.posts_per_week, c.niche, c.engagement_rate, c.engagement_basis, c.view_rate, c.verdict, c.score, c.result
	FROM users u JOIN checks c ON c.user_pk = u.id`

type checkRow struct {
	ID              int64           `db:"id"`
	At              int64           `db:"at"`
	Platform        string          `db:"platform"`
	Followers       int64           `db:"followers"`
	Likes           sql.NullFloat64 `db:"likes"`
	Comments        sql.NullFloat64 `db:"comments"`
	Shares          sql.NullFloat64 `db:"shares"`
	Views           sql.NullFloat64 `db:"views"`
	PostsPerWeek    sql.NullFloat64 `db:"posts_per_week"`
	Niche           string          `db:"niche"`
	EngagementRate  float64         `db:"engagement_rate"`
	EngagementBasis string          `db:"engagement_basis"`
	ViewRate        sql.NullFloat64 `db:"view_rate"`
	Verdict         string          `db:"verdict"`
	Score           int             `db:"score"`
	Result          sql.NullString  `db:"result"`
}

func (r checkRow) record(u bot.UserRef) bot.CheckRecord {
	c := bot.CheckRecord{
		ID: r.ID, User: u, Time: fromMilli(r.At), Platform: r.Platform, Followers: r.Followers,
		Likes: ptr(r.Likes), Comments: ptr(r.Comments), Shares: ptr(r.Shares), Views: ptr(r.Views),
		PostsPerWeek: ptr(r.PostsPerWeek), Niche: r.Niche, EngagementRate: r.EngagementRate,
		EngagementBasis: r.EngagementBasis, ViewRate: ptr(r.ViewRate), Verdict: r.Verdict, Score: r.Score,
	}
	if r.Result.Valid {
		c.Result = []byte(r.Result.String)
	}
	return c
}

func (r checkRow) exported() bot.ExportedCheck {
	c := r.record(bot.UserRef{})
	e := bot.ExportedCheck{
		ID: c.ID, Time: c.Time, Platform: c.Platform, Followers: c.Followers, Likes: c.Likes,
		Comments: c.Comments, Shares: c.Shares, Views: c.Views, PostsPerWeek: c.PostsPerWeek, Niche: c.Niche,
		EngagementBasis: c.EngagementBasis, ViewRate: c.ViewRate,
		Verdict: c.Verdict, Score: c.Score, Result: json.RawMessage("null"),
	}
	if er, ok := c.Engagement(); ok {
		e.EngagementRate = &er
	}
	if len(c.Result) > 0 {
		e.Result = json.RawMessage(c.Result)
	}
	return e
}

func ptr(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Float64
}

const addCheckSQL = `INSERT INTO checks
	(user_pk, at, platform, followers, likes, comments, shares, views, posts_per_week, niche,
	 engagement_rate, engagement_basis, view_rate, verdict, score, result)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)` // + RETURNING id on PostgreSQL (returningID)
