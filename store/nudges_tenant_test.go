package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

func TestCancelTenantNudges(t *testing.T) { bothEngines(t, testCancelTenantNudges) }

func testCancelTenantNudges(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	now := clk.Now()
	gone := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "100", ID: "1"}
	goneToo := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "100", ID: "2"}
	other := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "200", ID: "1"}
	for i, u := range []bot.UserRef{gone, goneToo, other} {
		if ok, err := db.Enqueue(ctx, taskNudge(u, "post-a-video", now.Add(-time.Minute), "k"+string(rune('a'+i)))); err != nil || !ok {
			t.Fatalf("enqueue: %v %v", ok, err)
		}
	}
	claimed, err := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "d", Now: now, LeaseUntil: now.Add(time.Minute), Limit: 2})
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	t.Run("the tenants with live nudges are listed once each", func(t *testing.T) {
		got, err := db.NudgeTenants(ctx, bot.PlatformDiscord)
		if err != nil || strings.Join(got, ",") != "100,200" {
			t.Errorf("tenants %v, %v; want 100,200", got, err)
		}
	})
	const reason = "the bot was removed from this Discord server"
	n, err := db.CancelTenantNudges(ctx, bot.PlatformDiscord, "100", reason)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("every live nudge of the tenant is canceled, claimed ones too", func(t *testing.T) {
		if n != 2 {
			t.Errorf("canceled %d, want 2", n)
		}
		list, err := db.ListNudges(ctx, bot.NudgeFilter{User: bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "100"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, nd := range list {
			if nd.Status != bot.NudgeCanceled || nd.LastError != reason {
				t.Errorf("%s: status %s, last error %q; want canceled with the reason", nd.User, nd.Status, nd.LastError)
			}
		}
	})
	t.Run("another tenant's nudges stay", func(t *testing.T) {
		list, _ := db.ListNudges(ctx, bot.NudgeFilter{User: other})
		if len(list) != 1 || list[0].Status == bot.NudgeCanceled {
			t.Errorf("other tenant: %+v", list)
		}
	})
	t.Run("a dispatcher holding a canceled nudge cannot record it", func(t *testing.T) {
		for _, c := range claimed {
			held, err := db.Held(ctx, c.ID, "d", now)
			if want := c.User.Tenant != "100"; held != want || err != nil {
				t.Errorf("%s: claim held = %v (%v), want %v", c.User, held, err, want)
			}
		}
	})
	t.Run("a tenant whose nudges are all canceled is no longer listed", func(t *testing.T) {
		got, err := db.NudgeTenants(ctx, bot.PlatformDiscord)
		if err != nil || strings.Join(got, ",") != "200" {
			t.Errorf("tenants %v, %v; want 200", got, err)
		}
	})
	t.Run("a tenant is required", func(t *testing.T) {
		if _, err := db.CancelTenantNudges(ctx, bot.PlatformDiscord, "", reason); err == nil {
			t.Errorf("canceled without a tenant")
		}
	})
}
