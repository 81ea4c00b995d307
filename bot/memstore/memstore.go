// Package memstore keeps the core's history in memory: an in-memory fake
// of the store interfaces package bot declares (events, unanswered
// questions, checks, admins, history and conversation context), so core
// tests that are not about storage run without SQLite. It behaves as the
// SQLite store does where the core can tell (newest first, grouping of
// unanswered questions, forgetting a user erases everything about them),
// and keeps no plans or nudges: a test of those wires the real store.
package memstore

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/influbot/influbot/bot"
)

// Store is an in-memory history. The zero value is empty and ready; it is
// safe for concurrent use.
type Store struct {
	// Now stamps admin entries and exports; nil means time.Now.
	Now func() time.Time

	mu         sync.Mutex
	nextID     int64
	events     []bot.Event
	unanswered []bot.UnansweredQuestion
	checks     []bot.CheckRecord
	admins     map[bot.TenantRef][]bot.TenantAdmin
	contexts   map[bot.UserRef]bot.Conversation
}

// The interfaces of package bot a Store implements.
var (
	_ bot.EventRecorder = (*Store)(nil)
	_ bot.UnansweredLog = (*Store)(nil)
	_ bot.CheckStore    = (*Store)(nil)
	_ bot.HistoryStore  = (*Store)(nil)
	_ bot.AdminStore    = (*Store)(nil)
	_ bot.ContextStore  = (*Store)(nil)
)

// Config returns a bot.Config with every store field this Store
// implements set to it.
func (s *Store) Config() bot.Config {
	return bot.Config{Events: s, Unanswered: s, Checks: s, History: s, Admins: s, AdminList: s, Context: s}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Store) id() int64 {
	s.nextID++
	return s.nextID
}

// RecordEvent implements bot.EventRecorder.
func (s *Store) RecordEvent(ctx context.Context, e bot.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.ID = s.id()
	s.events = append(s.events, e)
	return nil
}

// LogUnanswered implements bot.UnansweredLog.
func (s *Store) LogUnanswered(ctx context.Context, q bot.UnansweredQuestion) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	q.Suggestions = slices.Clone(q.Suggestions)
	s.unanswered = append(s.unanswered, q)
	return nil
}

// SaveCheck implements bot.CheckStore.
func (s *Store) SaveCheck(ctx context.Context, c bot.CheckRecord) (int64, error) {
	if c.User == (bot.UserRef{}) {
		return 0, bot.Errorf(bot.EINVALID, "A check needs a user.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c.ID = s.id()
	c.Result = slices.Clone(c.Result)
	s.checks = append(s.checks, c)
	return c.ID, nil
}

// LatestChecks implements bot.CheckStore: newest first.
func (s *Store) LatestChecks(ctx context.Context, u bot.UserRef, limit int) ([]bot.CheckRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.CheckRecord
	for _, c := range s.checks {
		if c.User == u {
			out = append(out, c)
		}
	}
	newestFirst(out, func(c bot.CheckRecord) (time.Time, int64) { return c.Time, c.ID })
	return capped(out, limit), nil
}

// RecentEvents implements bot.HistoryStore: the user's events of kind (""
// for any), newest first.
func (s *Store) RecentEvents(ctx context.Context, u bot.UserRef, kind string, limit int) ([]bot.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.Event
	for _, e := range s.events {
		if e.User == u && (kind == "" || e.Kind == kind) {
			out = append(out, e)
		}
	}
	newestFirst(out, func(e bot.Event) (time.Time, int64) { return e.Time, e.ID })
	return capped(out, limit), nil
}

// Export implements bot.HistoryStore. It has no tasks or nudges to give.
func (s *Store) Export(ctx context.Context, u bot.UserRef) (*bot.UserExport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := &bot.UserExport{
		User:   bot.ExportedUser{Ref: u.String(), Platform: u.Platform, Tenant: u.Tenant, ID: u.ID, ExportedAt: s.now().UTC()},
		Events: []bot.ExportedEvent{}, Checks: []bot.ExportedCheck{}, Tasks: []bot.ExportedRow{},
		Nudges: []bot.ExportedRow{}, Unanswered: []bot.ExportedUnanswered{},
	}
	var first, last time.Time
	seen := func(t time.Time) {
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	for _, e := range s.events {
		if e.User == u {
			seen(e.Time)
			x.Events = append(x.Events, bot.ExportedEvent{ID: e.ID, Time: e.Time.UTC(), Kind: e.Kind, Command: e.Command, Text: e.Text,
				Topic: e.Topic, Confidence: e.Confidence, Answered: e.Answered, Reply: e.Reply, ErrorCode: e.ErrorCode,
				LatencyMS: float64(e.Latency) / float64(time.Millisecond)})
		}
	}
	for _, c := range s.checks {
		if c.User == u {
			seen(c.Time)
			ec := bot.ExportedCheck{ID: c.ID, Time: c.Time.UTC(), Platform: c.Platform, Followers: c.Followers, Likes: c.Likes,
				Comments: c.Comments, Shares: c.Shares, Views: c.Views, PostsPerWeek: c.PostsPerWeek, Niche: c.Niche,
				EngagementBasis: c.EngagementBasis, ViewRate: c.ViewRate, Verdict: c.Verdict, Score: c.Score, Result: slices.Clone(c.Result)}
			if er, ok := c.Engagement(); ok {
				ec.EngagementRate = &er
			}
			x.Checks = append(x.Checks, ec)
		}
	}
	for _, q := range s.unanswered {
		if q.User == u {
			seen(q.Time)
			x.Unanswered = append(x.Unanswered, bot.ExportedUnanswered{Time: q.Time.UTC(), Text: q.Text, Confidence: q.Confidence,
				OffTopic: q.OffTopic, Suggestions: append([]string{}, q.Suggestions...)})
		}
	}
	if !first.IsZero() {
		f, l := first.UTC(), last.UTC()
		x.User.FirstSeen, x.User.LastSeen = &f, &l
	}
	return x, nil
}

// Forget implements bot.HistoryStore: every row about u goes.
func (s *Store) Forget(ctx context.Context, u bot.UserRef) (bot.ForgetReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep := bot.ForgetReport{Rows: map[string]int64{}}
	var n int64
	s.events, n = without(s.events, func(e bot.Event) bool { return e.User == u })
	rep.Rows["events"] = n
	s.unanswered, n = without(s.unanswered, func(q bot.UnansweredQuestion) bool { return q.User == u })
	rep.Rows["unanswered"] = n
	s.checks, n = without(s.checks, func(c bot.CheckRecord) bool { return c.User == u })
	rep.Rows["checks"] = n
	if _, ok := s.contexts[u]; ok {
		delete(s.contexts, u)
		rep.Rows["context"] = 1
	}
	for k, v := range rep.Rows {
		if v == 0 {
			delete(rep.Rows, k)
		}
	}
	return rep, nil
}

// UnansweredTopics implements bot.HistoryStore: tenant t's unanswered
// questions grouped by bot.NormalizeQuestion and OffTopic, most asked
// first (then most recently asked), each with its latest wording.
func (s *Store) UnansweredTopics(ctx context.Context, t bot.TenantRef, limit int) ([]bot.UnansweredTopic, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	type key struct {
		text     string
		offTopic bool
	}
	groups := map[key]*bot.UnansweredTopic{}
	users := map[key]map[bot.UserRef]bool{}
	for _, q := range s.unanswered {
		if q.User.TenantRef() != t {
			continue
		}
		k := key{bot.NormalizeQuestion(q.Text), q.OffTopic}
		g := groups[k]
		if g == nil {
			g = &bot.UnansweredTopic{OffTopic: q.OffTopic, First: q.Time}
			groups[k] = g
			users[k] = map[bot.UserRef]bool{}
		}
		g.Count++
		users[k][q.User] = true
		if q.Time.Before(g.First) {
			g.First = q.Time
		}
		if !q.Time.Before(g.Last) {
			g.Last, g.Text = q.Time, q.Text
		}
	}
	var out []bot.UnansweredTopic
	for k, g := range groups {
		g.Users = len(users[k])
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b bot.UnansweredTopic) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), b.Last.Compare(a.Last), cmp.Compare(a.Text, b.Text))
	})
	return capped(out, limit), nil
}

// IsAdmin implements bot.AdminPolicy: whether u is on their tenant's list.
func (s *Store) IsAdmin(ctx context.Context, u bot.UserRef) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.ContainsFunc(s.admins[u.TenantRef()], func(a bot.TenantAdmin) bool { return a.UserID == u.ID }), nil
}

// AddAdmin implements bot.AdminStore.
func (s *Store) AddAdmin(ctx context.Context, t bot.TenantRef, userID, addedBy string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.ContainsFunc(s.admins[t], func(a bot.TenantAdmin) bool { return a.UserID == userID }) {
		return nil
	}
	if s.admins == nil {
		s.admins = map[bot.TenantRef][]bot.TenantAdmin{}
	}
	s.admins[t] = append(s.admins[t], bot.TenantAdmin{UserID: userID, AddedBy: addedBy, AddedAt: s.now()})
	return nil
}

// RemoveAdmin implements bot.AdminStore.
func (s *Store) RemoveAdmin(ctx context.Context, t bot.TenantRef, userID string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	s.admins[t], n = without(s.admins[t], func(a bot.TenantAdmin) bool { return a.UserID == userID })
	return n > 0, nil
}

// Admins implements bot.AdminStore: oldest first.
func (s *Store) Admins(ctx context.Context, t bot.TenantRef) ([]bot.TenantAdmin, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.admins[t]), nil
}

// LoadContext implements bot.ContextStore.
func (s *Store) LoadContext(ctx context.Context, u bot.UserRef) (bot.Conversation, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contexts[u]
	return c, ok, nil
}

// SaveContext implements bot.ContextStore.
func (s *Store) SaveContext(ctx context.Context, c bot.Conversation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.contexts == nil {
		s.contexts = map[bot.UserRef]bot.Conversation{}
	}
	s.contexts[c.User] = c
	return nil
}

// newestFirst sorts rows by time, then id, newest first.
func newestFirst[T any](rows []T, key func(T) (time.Time, int64)) {
	slices.SortStableFunc(rows, func(a, b T) int {
		ta, ia := key(a)
		tb, ib := key(b)
		return cmp.Or(tb.Compare(ta), cmp.Compare(ib, ia))
	})
}

// capped is the first limit rows; limit <= 0 means all.
func capped[T any](rows []T, limit int) []T {
	if limit > 0 && len(rows) > limit {
		return rows[:limit]
	}
	return rows
}

// without drops the rows match selects and says how many went.
func without[T any](rows []T, match func(T) bool) ([]T, int64) {
	kept := rows[:0:0]
	for _, r := range rows {
		if !match(r) {
			kept = append(kept, r)
		}
	}
	return kept, int64(len(rows) - len(kept))
}
