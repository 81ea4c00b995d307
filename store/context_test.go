package store

import (
	"context"
	"testing"

	"github.com/influbot/influbot/bot"
)

func TestConversationContext(t *testing.T) { bothEngines(t, testConversationContext) }

func testConversationContext(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	want := bot.Conversation{
		User: alice, LastTopic: "reapply-tips", LastCommand: "commission", LastArgs: "beauty 100", LastTask: "niche-hashtags",
		Pending: &bot.Pending{Command: "plan", NumberArgs: "accept", Choices: []bot.Button{
			{ActionID: "plan:accept", Label: "Accept all", Value: "all", Style: bot.ButtonPrimary},
			{ActionID: "plan:dismiss", Label: "Not now"},
		}},
		Updated: clk.Now(),
	}
	t.Run("a user with no context has none", func(t *testing.T) {
		if _, ok, err := db.LoadContext(ctx, alice); ok || err != nil {
			t.Errorf("ok=%v err=%v", ok, err)
		}
	})
	if err := db.SaveContext(ctx, want); err != nil {
		t.Fatal(err)
	}
	t.Run("a saved context reads back whole, pending question included", func(t *testing.T) {
		got, ok, err := db.LoadContext(ctx, alice)
		if err != nil || !ok {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
		if got.LastTopic != want.LastTopic || got.LastCommand != want.LastCommand || got.LastArgs != want.LastArgs ||
			got.LastTask != want.LastTask || !got.Updated.Equal(want.Updated) || got.Pending == nil ||
			got.Pending.Command != "plan" || got.Pending.NumberArgs != "accept" || len(got.Pending.Choices) != 2 ||
			got.Pending.Choices[0] != want.Pending.Choices[0] {
			t.Errorf("got %+v (pending %+v), want %+v", got, got.Pending, want)
		}
	})
	t.Run("saving again replaces it, and a cleared question stays cleared", func(t *testing.T) {
		next := want
		next.Pending, next.LastTopic = nil, "reapply-wait"
		if err := db.SaveContext(ctx, next); err != nil {
			t.Fatal(err)
		}
		got, _, _ := db.LoadContext(ctx, alice)
		if got.Pending != nil || got.LastTopic != "reapply-wait" {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("it survives reopening the database", func(t *testing.T) {
		// Saves are written behind: wait for their commit before another
		// connection looks.
		if err := db.flushBehind(ctx); err != nil {
			t.Fatal(err)
		}
		db2 := New(db.Path)
		db2.Now = clk.Now
		if err := db2.Open(ctx); err != nil {
			t.Fatal(err)
		}
		defer db2.Close()
		if got, ok, _ := db2.LoadContext(ctx, alice); !ok || got.LastArgs != "beauty 100" {
			t.Errorf("ok=%v got %+v", ok, got)
		}
	})
	t.Run("another user's context is their own", func(t *testing.T) {
		if _, ok, _ := db.LoadContext(ctx, bob); ok {
			t.Error("bob sees alice's context")
		}
	})
	t.Run("export includes it and forget erases it", func(t *testing.T) {
		x, err := db.Export(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Other["conversation_context"]) != 1 {
			t.Errorf("export: %v", x.Other)
		}
		if _, err := db.Forget(ctx, alice); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := db.LoadContext(ctx, alice); ok {
			t.Error("context kept after forget")
		}
	})
}
