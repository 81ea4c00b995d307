package store

import (
	"context"
	"testing"

	"github.com/influbot/influbot/bot"
)

func TestUnansweredTopicsSeparateDeclinedFromNotSure(t *testing.T) {
	bothEngines(t, testUnansweredTopicsSeparateDeclinedFromNotSure)
}

func testUnansweredTopicsSeparateDeclinedFromNotSure(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	for _, q := range []bot.UnansweredQuestion{
		{User: alice, Text: "how do onsite video payouts work", Confidence: 0.4},
		{User: bob, Text: "How do onsite video payouts work?", Confidence: 0.45},
		{User: alice, Text: "what's the weather", OffTopic: true},
		{User: bob, Text: "what's the weather", OffTopic: true},
		{User: bob, Text: "whats the weather", OffTopic: false, Confidence: 0.3},
	} {
		clk.Add(1)
		q.Time = clk.Now()
		if err := db.LogUnanswered(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	topics, err := db.UnansweredTopics(ctx, alice.TenantRef(), 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[bool]map[string]int{true: {}, false: {}}
	for _, tp := range topics {
		got[tp.OffTopic][bot.NormalizeQuestion(tp.Text)] = tp.Count
	}
	t.Run("in-scope questions the bot was not sure about are marked so", func(t *testing.T) {
		if got[false]["how do onsite video payouts work"] != 2 {
			t.Errorf("got %v", got)
		}
	})
	t.Run("declined off-topic questions are marked off-topic", func(t *testing.T) {
		if got[true]["whats the weather"] != 2 {
			t.Errorf("got %v", got)
		}
	})
	t.Run("the same words judged both ways are counted apart", func(t *testing.T) {
		if got[false]["whats the weather"] != 1 || len(topics) != 3 {
			t.Errorf("got %v", got)
		}
	})
}
