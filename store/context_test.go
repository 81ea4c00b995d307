package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

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

// TestCachedPendingReadsAsItsJSON: a pending question LoadContext returns
// from the cache (not decoded) equals the one decoded from the row, for
// every shape of question, and neither the caller who saved it nor the
// one who loaded it can change the cached copy.
func TestCachedPendingReadsAsItsJSON(t *testing.T) {
	tests := []struct {
		name string
		p    *bot.Pending
	}{
		{"no choices", &bot.Pending{Command: "ask"}},
		{"empty choices", &bot.Pending{Command: "ask", Choices: []bot.Button{}}},
		{"related topics", &bot.Pending{Command: "ask", NumbersOnly: true, Choices: []bot.Button{
			{ActionID: "ask:topic", Label: "Reapplying <after> a \"rejection\" & more", Value: "reapply-wait", Style: bot.ButtonPrimary},
			{ActionID: "ask:topic", Label: "Engagement rate", Value: "engagement-rate"}}}},
		{"yes or no", &bot.Pending{Command: "forget", YesNo: true, Choices: []bot.Button{{ActionID: "forget:yes", Label: "Yes"}}}},
		{"numbers", &bot.Pending{Command: "plan", NumberArgs: "accept", Choices: []bot.Button{{Label: "émoji 🎉", Value: "1"}}}},
		{"invalid UTF-8", &bot.Pending{Command: "ask\xff", Choices: []bot.Button{{Label: "bad \xc3\x28", Value: "x"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, clk := openTestDB(t)
			ctx := context.Background()
			saved := clonePending(tt.p)
			if err := db.SaveContext(ctx, bot.Conversation{User: alice, LastTopic: "t", Pending: saved, Updated: clk.Now()}); err != nil {
				t.Fatal(err)
			}
			if len(saved.Choices) > 0 {
				saved.Choices[0].Label = "changed by the caller after saving"
			}
			cached, ok, err := db.LoadContext(ctx, alice)
			if err != nil || !ok {
				t.Fatalf("load: %v, %v", ok, err)
			}
			if err := db.flushBehind(ctx); err != nil {
				t.Fatal(err)
			}
			db2 := New(db.Path)
			if err := db2.Open(ctx); err != nil {
				t.Fatal(err)
			}
			defer db2.Close()
			decoded, ok, err := db2.LoadContext(ctx, alice)
			if err != nil || !ok {
				t.Fatalf("load from the row: %v, %v", ok, err)
			}
			if !reflect.DeepEqual(cached.Pending, decoded.Pending) {
				t.Errorf("from the cache %#v, from the row %#v", cached.Pending, decoded.Pending)
			}
			if len(cached.Pending.Choices) > 0 {
				cached.Pending.Choices[0].Label = "changed by the caller after loading"
			}
			again, _, _ := db.LoadContext(ctx, alice)
			if !reflect.DeepEqual(again.Pending, decoded.Pending) {
				t.Errorf("loaded again %#v, want %#v", again.Pending, decoded.Pending)
			}
		})
	}
}

// TestContextCarriedByEvents: a context saved in the same batch as its
// user's event is kept on the event (migration 0009), not in
// conversation_context; whichever of the two is newer is the user's
// context, for a fresh process, in the export, and until forget.
func TestContextCarriedByEvents(t *testing.T) { bothEngines(t, testContextCarriedByEvents) }

func testContextCarriedByEvents(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	t0 := clk.Now()
	// saveWithEvent saves c and records an event of its user, in one
	// batch on SQLite (both wait behind another program's write lock).
	saveWithEvent := func(t *testing.T, c bot.Conversation) {
		t.Helper()
		var release func()
		if !onPostgres(t) {
			release = holdWriteLock(t, db.Path)
		}
		if err := db.SaveContext(ctx, c); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			done <- db.RecordEvent(ctx, bot.Event{User: c.User, Time: c.Updated, Kind: bot.EventQuestion, Text: "q", Reply: "a"})
		}()
		if release != nil {
			time.Sleep(50 * time.Millisecond)
			release()
		}
		if err := <-done; err != nil && !errors.Is(err, bot.ErrNotKept) {
			t.Fatal(err)
		}
		if err := db.flushBehind(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// fresh loads alice's context as another process would: no cache.
	fresh := func(t *testing.T) (bot.Conversation, bool) {
		t.Helper()
		if err := db.flushBehind(ctx); err != nil {
			t.Fatal(err)
		}
		db.cache.drop()
		c, ok, err := db.LoadContext(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		return c, ok
	}
	steps := []struct {
		name      string
		save      bot.Conversation
		withEvent bool
		wantTopic string
	}{
		{"saved with its event: the event carries it", bot.Conversation{User: alice, LastTopic: "reapply-tips", LastArgs: "instagram 4k", Updated: t0}, true, "reapply-tips"},
		{"a later save without an event: the table's row wins", bot.Conversation{User: alice, LastTopic: "reapply-wait", Updated: t0.Add(time.Minute)}, false, "reapply-wait"},
		{"a later save with an event: the event's wins again", bot.Conversation{User: alice, LastTopic: "storefront-setup", Pending: &bot.Pending{Command: "plan", NumberArgs: "accept"}, Updated: t0.Add(2 * time.Minute)}, true, "storefront-setup"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := countRows(t, db, "conversation_context")
			if st.withEvent {
				saveWithEvent(t, st.save)
			} else if err := db.SaveContext(ctx, st.save); err != nil {
				t.Fatal(err)
			}
			c, ok := fresh(t)
			if !ok || c.LastTopic != st.wantTopic || !c.Updated.Equal(st.save.Updated) || (st.save.Pending == nil) != (c.Pending == nil) {
				t.Errorf("loaded %+v, %v; want topic %q of %v", c, ok, st.wantTopic, st.save.Updated)
			}
			if st.withEvent && !onPostgres(t) && countRows(t, db, "conversation_context") != before {
				t.Errorf("conversation_context written although the event carried the context")
			}
		})
	}
	t.Run("the export shows the latest as its conversation_context row", func(t *testing.T) {
		x, err := db.Export(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		rows := x.Other["conversation_context"]
		if len(rows) != 1 || rows[0]["last_topic"] != "storefront-setup" || rows[0]["user_id"] != alice.ID {
			t.Errorf("export: %v", rows)
		}
	})
	t.Run("forget erases it", func(t *testing.T) {
		if _, err := db.Forget(ctx, alice); err != nil {
			t.Fatal(err)
		}
		if c, ok := fresh(t); ok {
			t.Errorf("context kept after forget: %+v", c)
		}
	})
}

// TestEncodeContextRoundTrips: an event's context, written by hand, is
// valid JSON that reads back as the row, whatever its strings hold.
func TestEncodeContextRoundTrips(t *testing.T) {
	rows := []contextRow{
		{Updated: 1},
		{Topic: "reapply-tips", Command: "check", Args: "instagram 4.2k followers", Task: "post-3x", Pending: `{"command":"plan","choices":[{"label":"Yes \"now\""}]}`, Updated: 1767225600000},
		{Args: "quote \" backslash \\ newline \n tab \t bell \x07 del \x7f", Updated: -5},
		{Args: "émoji 👋 and \u2028 line separator, 中文", Task: "</script>&<>", Updated: 42},
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.IntN(128))
		}
		rows = append(rows, contextRow{Args: string(b), Topic: string(b[:len(b)/2]), Updated: rng.Int64()})
	}
	for _, row := range rows {
		text := encodeContext(row)
		if !json.Valid([]byte(text)) {
			t.Fatalf("not JSON: %s", text)
		}
		got, err := decodeContext(text)
		if err != nil || got != row {
			t.Fatalf("%q read back as %+v, %v; want %+v", text, got, err, row)
		}
		want, _ := json.Marshal(eventContext(row))
		var a, b any
		json.Unmarshal([]byte(text), &a)
		json.Unmarshal(want, &b)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%s is not what encoding/json writes: %s", text, want)
		}
	}
}

// TestContextSaveWaitsForItsEvent: a context save does not wake the commit
// loop by itself, so the request's event, queued right after it, carries it
// in the same batch, with no lock holding the batch back.
func TestContextSaveWaitsForItsEvent(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	for i := range 10 {
		u := bot.UserRef{Platform: "slack", Tenant: "T1", ID: fmt.Sprint("U", i)}
		if err := db.SaveContext(ctx, bot.Conversation{User: u, LastTopic: "reapply-tips", Updated: clk.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: "q", Reply: "a"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := countRows(t, db, "conversation_context"); n != 0 {
		t.Errorf("%d contexts written to conversation_context; their events should carry them", n)
	}
	var carried int
	if err := db.r.Get(&carried, `SELECT COUNT(*) FROM events WHERE context IS NOT NULL`); err != nil || carried != 10 {
		t.Errorf("%d events carry a context, %v; want 10", carried, err)
	}
}

// TestEncodePendingIsJSONMarshal: the hand-written encoding of a pending
// question is byte for byte what encoding/json writes, for every field and
// for text JSON must escape.
func TestEncodePendingIsJSONMarshal(t *testing.T) {
	if n := reflect.TypeFor[bot.Pending]().NumField(); n != 5 {
		t.Fatalf("bot.Pending has %d fields; encodePending writes 5: teach it the new ones", n)
	}
	if n := reflect.TypeFor[bot.Button]().NumField(); n != 4 {
		t.Fatalf("bot.Button has %d fields; encodePending writes 4: teach it the new ones", n)
	}
	odd := "a<b>&c \"q\" \\ \n\t\x01 \u2028\u2029 é 😀 \xff"
	tests := []bot.Pending{
		{},
		{Command: "ask", Choices: []bot.Button{}},
		{Command: "ask", NumbersOnly: true, Choices: []bot.Button{
			{ActionID: "ask:topic", Label: "How many followers do I need?", Value: "follower-requirement"},
			{ActionID: "ask:topic#2", Label: odd, Value: odd, Style: bot.ButtonPrimary},
		}},
		{Command: "plan", NumberArgs: "accept", Choices: []bot.Button{{ActionID: "plan:accept", Label: "Accept all", Style: bot.ButtonSuccess}}},
		{Command: "forget", YesNo: true, Choices: []bot.Button{{ActionID: "forget:yes", Label: "Yes", Style: bot.ButtonDanger}, {ActionID: "forget:no", Label: "No"}}},
		{Command: odd, NumberArgs: odd, NumbersOnly: true, YesNo: true},
	}
	for i, p := range tests {
		want, err := json.Marshal(&p)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodePending(&p); got != string(want) {
			t.Errorf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
