package store

import (
	"context"
	"testing"

	"github.com/influbot/influbot/bot"
)

func TestUnansweredReport(t *testing.T) { bothEngines(t, testUnansweredReport) }

func testUnansweredReport(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	guildA := bot.UserRef{Platform: "discord", Tenant: "guildA", ID: "1"}
	guildB := bot.UserRef{Platform: "discord", Tenant: "guildB", ID: "2"}
	quiet := bot.UserRef{Platform: "discord", Tenant: "guildC", ID: "3"}
	for _, q := range []bot.UnansweredQuestion{
		{User: guildA, Text: "how do onsite video payouts work", Confidence: 0.4},
		{User: guildA, Text: "how do onsite video payouts work?", Confidence: 0.4},
		{User: guildA, Text: "what's the weather", OffTopic: true},
		{User: guildB, Text: "can I use a business page", Confidence: 0.3},
	} {
		clk.Add(1)
		q.Time = clk.Now()
		if err := db.LogUnanswered(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	// A workspace whose users asked nothing unanswered.
	if err := db.RecordEvent(ctx, bot.Event{User: quiet, Kind: "message", Time: clk.Now()}); err != nil {
		t.Fatal(err)
	}
	t.Run("without tenants every workspace with questions is listed, most asked first", func(t *testing.T) {
		groups, err := db.UnansweredReport(ctx, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 2 || groups[0].Tenant != guildA.TenantRef() || groups[1].Tenant != guildB.TenantRef() {
			t.Fatalf("groups %+v, want guildA then guildB", groups)
		}
		a := groups[0].Rows
		if len(a) != 2 || a[0].Count != 2 || a[0].OffTopic || !a[1].OffTopic || a[0].Tenant != "discord:guildA" {
			t.Errorf("guildA rows %+v", a)
		}
	})
	t.Run("named tenants limit the report to them", func(t *testing.T) {
		groups, err := db.UnansweredReport(ctx, []bot.TenantRef{guildB.TenantRef()}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 1 || len(groups[0].Rows) != 1 || groups[0].Rows[0].Text != "can I use a business page" {
			t.Errorf("groups %+v", groups)
		}
	})
	t.Run("the limit holds per workspace", func(t *testing.T) {
		groups, err := db.UnansweredReport(ctx, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range groups {
			if len(g.Rows) != 1 {
				t.Errorf("%s has %d rows", g.Tenant, len(g.Rows))
			}
		}
	})
}
