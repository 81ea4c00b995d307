package memstore_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/memstore"
	"github.com/influbot/influbot/store"
)

// history is what the core needs of a history store.
type history interface {
	bot.EventRecorder
	bot.UnansweredLog
	bot.CheckStore
	bot.HistoryStore
	bot.AdminStore
}

// TestMatchesTheSQLiteStore plays the same history into the fake and the
// real store and compares what the core reads back, so the fake cannot
// drift from the store it stands in for.
func TestMatchesTheSQLiteStore(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)
	alice := bot.UserRef{Platform: "discord", Tenant: "g1", ID: "1"}
	bob := bot.UserRef{Platform: "discord", Tenant: "g1", ID: "2"}
	carol := bot.UserRef{Platform: "discord", Tenant: "g2", ID: "3"}

	play := func(t *testing.T, h history) {
		for i, q := range []bot.UnansweredQuestion{
			{User: alice, Text: "how do onsite video payouts work", Confidence: 0.4},
			{User: bob, Text: "How do onsite video payouts work?", Confidence: 0.45},
			{User: alice, Text: "what's the weather", OffTopic: true},
			{User: alice, Text: "whats the weather", Confidence: 0.3},
			{User: carol, Text: "a g2 question", Confidence: 0.2},
		} {
			q.Time = start.Add(time.Duration(i) * time.Minute)
			if err := h.LogUnanswered(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		for i, e := range []bot.Event{
			{User: alice, Kind: bot.EventQuestion, Command: "ask", Text: "first", Answered: true},
			{User: alice, Kind: bot.EventCommand, Command: "history", Text: "history"},
			{User: alice, Kind: bot.EventQuestion, Command: "ask", Text: "second"},
			{User: bob, Kind: bot.EventQuestion, Command: "ask", Text: "bob's"},
		} {
			e.Time = start.Add(time.Duration(i) * time.Hour)
			if err := h.RecordEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		likes := 50.0
		for i, f := range []int64{3900, 4200} {
			c := bot.CheckRecord{User: alice, Time: start.Add(time.Duration(i) * 24 * time.Hour), Platform: "instagram", Followers: f,
				Likes: &likes, EngagementRate: 1.2, EngagementBasis: "followers", Verdict: "borderline", Score: 50, Result: []byte(`{}`)}
			if _, err := h.SaveCheck(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := h.AddAdmin(ctx, alice.TenantRef(), bob.ID, alice.ID); err != nil {
			t.Fatal(err)
		}
	}
	type reading struct {
		Topics     []bot.UnansweredTopic
		Questions  []string
		Followers  []int64
		BobAdmin   bool
		AliceAdmin bool
		Forgot     int64
		AfterTexts []string
	}
	read := func(t *testing.T, h history) reading {
		var r reading
		var err error
		if r.Topics, err = h.UnansweredTopics(ctx, alice.TenantRef(), 10); err != nil {
			t.Fatal(err)
		}
		for i := range r.Topics { // stored times may lose their zone
			r.Topics[i].First, r.Topics[i].Last = r.Topics[i].First.UTC(), r.Topics[i].Last.UTC()
		}
		evs, err := h.RecentEvents(ctx, alice, bot.EventQuestion, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			r.Questions = append(r.Questions, e.Text)
		}
		cs, err := h.LatestChecks(ctx, alice, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			r.Followers = append(r.Followers, c.Followers)
		}
		r.BobAdmin, _ = h.IsAdmin(ctx, bob)
		r.AliceAdmin, _ = h.IsAdmin(ctx, alice)
		rep, err := h.Forget(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		r.Forgot = rep.Rows["events"] + rep.Rows["checks"]
		x, err := h.Export(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range x.Events {
			r.AfterTexts = append(r.AfterTexts, e.Text)
		}
		return r
	}

	db := store.New(filepath.Join(t.TempDir(), "influbot.db"))
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	play(t, db)
	want := read(t, db)
	mem := &memstore.Store{}
	play(t, mem)
	got := read(t, mem)

	t.Run("the fake reads back what the SQLite store reads back", func(t *testing.T) {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("memstore:\n%+v\nSQLite:\n%+v", got, want)
		}
	})
	t.Run("the comparison is not of empty readings", func(t *testing.T) {
		if len(want.Topics) != 3 || len(want.Questions) != 2 || len(want.Followers) != 2 || !want.BobAdmin || want.Forgot != 5 {
			t.Errorf("SQLite reading %+v", want)
		}
	})
}
