package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
	"github.com/influbot/influbot/store"
)

// BenchmarkKnowledgeFor is what each question costs the bot for its
// workspace's knowledge once built: one revision read and a map lookup.
func BenchmarkKnowledgeFor(b *testing.B) {
	db, ws, t := benchWorkspace(b)
	_ = db
	ctx := context.Background()
	if _, err := ws.KnowledgeFor(ctx, t); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := ws.KnowledgeFor(ctx, t); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWorkspaceRebuild is what a change costs: merging a workspace's
// overrides onto the shipped FAQ and indexing the result.
func BenchmarkWorkspaceRebuild(b *testing.B) {
	db, ws, t := benchWorkspace(b)
	_ = db
	ctx := context.Background()
	overrides, _, err := db.FAQOverrides(ctx, t)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		recs, err := records(ws.Base, "bench", overrides)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ws.Base.WithOverrides("bench", recs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverviewPage serves a signed-in overview (session check, the
// workspace's counts over 30 days, the chart and the template).
func BenchmarkOverviewPage(b *testing.B) {
	db, ws, t := benchWorkspace(b)
	ctx := context.Background()
	u := bot.UserRef{Platform: t.Platform, Tenant: t.ID, ID: "admin"}
	for i := range 2000 {
		db.RecordEvent(ctx, bot.Event{User: bot.UserRef{Platform: t.Platform, Tenant: t.ID, ID: "m" + string(rune('a'+i%20))}, Kind: bot.EventQuestion, Answered: i%3 != 0, Topic: "reapply-wait"})
	}
	s, err := New(Config{Store: db, Workspaces: ws})
	if err != nil {
		b.Fatal(err)
	}
	secret, hash, _ := newSecret()
	if err := db.CreateSession(ctx, store.Session{Hash: hash, User: u, Role: store.RoleWrite, Expires: db.Now().Add(DefaultAbsoluteTimeout)}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/dashboard/w/"+t.String()+"/", nil)
		req.AddCookie(&http.Cookie{Name: s.cookie, Value: secret})
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body.String())
		}
	}
}

func benchWorkspace(b *testing.B) (*store.DB, *Workspaces, bot.TenantRef) {
	b.Helper()
	ctx := context.Background()
	db := store.New(b.TempDir() + "/bench.db")
	if err := db.Open(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	t := bot.TenantRef{Platform: "slack", ID: "TBENCH"}
	put := []store.FAQOverride{
		{ID: "reapply-wait", Answer: "In this guild we wait 60 days.", Phrasings: []string{"cooling off before trying again"}},
		{ID: "guild-meetups", Title: "Guild meetups", Answer: "Fridays at 6pm.", Phrasings: []string{"when is the next guild meetup", "where do we meet"}},
	}
	if err := db.ChangeFAQ(ctx, store.FAQChange{Tenant: t, By: bot.UserRef{Platform: "slack", Tenant: "TBENCH", ID: "admin"}, Put: put}); err != nil {
		b.Fatal(err)
	}
	return db, &Workspaces{Base: bottest.Knowledge(b), Store: db}, t
}
