package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/memstore"
	"github.com/influbot/influbot/knowledge"
)

// BenchmarkLoadMix sends the core what influbot-load sends a server by
// default, four questions to one check from 500 users, with the context
// and history in memory: the core's own CPU per request, without HTTP or
// SQLite.
func BenchmarkLoadMix(b *testing.B) {
	benchLoadMix(b, bot.Config{Events: &chkEvents{}, Checks: &chkStore{}})
}

// BenchmarkLoadMixRemembered is BenchmarkLoadMix with every store the
// server has, in memory (bot/memstore): each user's conversation is loaded
// and saved, and the layers that read it (a question asked again, "am I
// eligible?" answered from the last check) run as they do in a server.
func BenchmarkLoadMixRemembered(b *testing.B) {
	cfg := (&memstore.Store{}).Config()
	cfg.Checks = &userChecks{byUser: map[bot.UserRef][]bot.CheckRecord{}}
	benchLoadMix(b, cfg)
}

// userChecks keeps each user's checks apart, as the store's index does:
// memstore's scan of every check would measure itself, not the core.
type userChecks struct {
	mu     sync.Mutex
	id     int64
	byUser map[bot.UserRef][]bot.CheckRecord
}

func (s *userChecks) SaveCheck(_ context.Context, c bot.CheckRecord) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.id++
	c.ID = s.id
	s.byUser[c.User] = append(s.byUser[c.User], c)
	return c.ID, nil
}

func (s *userChecks) LatestChecks(_ context.Context, u bot.UserRef, limit int) ([]bot.CheckRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.byUser[u]
	var out []bot.CheckRecord
	for i := len(cs) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, cs[i])
	}
	return out, nil
}

func benchLoadMix(b *testing.B, cfg bot.Config) {
	kb, err := knowledge.LoadDir("")
	if err != nil {
		b.Fatal(err)
	}
	cfg.Knowledge = kb
	core, err := bot.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	questions := []string{
		"how many followers do I need to join the influencer program",
		"why was I rejected from the amazon influencer program?",
		"can I reapply after getting rejected",
		"how long does approval take",
		"do I need a website to apply",
		"what counts as engagement for amazon",
		"how do I add shoppable videos to my storefront",
		"whats the difference between associates and influencer program",
		"do youtube shorts count towards eligibility",
		"how do I disclose affiliate links on instagram",
		"is #ad enough or do I need to say amazon commission",
		"what happens if I don't make a sale in 180 days",
		"how do cookies work for amazon links, 24 hours?",
		"is my account eligible with 2k followers and good engagement",
	}
	platforms := []string{"instagram", "youtube", "tiktok", "facebook", "x"}
	niches := []string{"home decor", "beauty", "fitness", "tech", "kitchen"}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: fmt.Sprintf("T%02d", i%20), ID: fmt.Sprintf("U%03d", i%500)}
		text := questions[i%len(questions)]
		if i%5 == 4 {
			text = fmt.Sprintf("check %s %d.%dk followers %d likes %d comments %d posts a week niche %s",
				platforms[i%len(platforms)], 2+i%40, i%10, 50+i%300, 3+i%40, 1+i%6, niches[i%len(niches)])
		}
		core.HandleInvoked(ctx, bot.Request{User: u, Text: text})
		i++
	}
}
