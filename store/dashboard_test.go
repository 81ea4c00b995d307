package store

import (
	"context"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// An uninstalled Slack workspace's dashboard data (its FAQ edits, roles,
// sessions, sign-in links, dealt-with questions and audit log) goes with
// it when it is purged; another workspace's stays.
func TestPurgeSlackWorkspaceErasesItsDashboard(t *testing.T) {
	bothEngines(t, testPurgeSlackWorkspaceErasesItsDashboard)
}

func testPurgeSlackWorkspaceErasesItsDashboard(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	gone, kept := bot.TenantRef{Platform: bot.PlatformSlack, ID: "TD"}, bot.TenantRef{Platform: bot.PlatformSlack, ID: "TE"}
	for _, ws := range []bot.TenantRef{gone, kept} {
		admin := bot.UserRef{Platform: ws.Platform, Tenant: ws.ID, ID: "UADMIN"}
		if err := db.ChangeFAQ(ctx, FAQChange{Tenant: ws, By: admin, Put: []FAQOverride{{ID: "guild-meetups", Title: "Meetups", Answer: "Fridays.", Phrasings: []string{"when do we meet"}}},
			Resolves: "when do we meet", Resolution: "answered", Audit: AuditEntry{Action: "answer"}}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetDashboardRole(ctx, ws, "UREADER", RoleRead, admin); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateLoginToken(ctx, LoginToken{Hash: "h-" + ws.ID, User: admin, Expires: clk.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSession(ctx, Session{Hash: "s-" + ws.ID, User: admin, Role: RoleWrite, Expires: clk.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveSlackInstall(ctx, SlackInstall{ID: "TD", TeamID: "TD", BotToken: "v1:k:d"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RevokeSlackInstall(ctx, "TD", clk.Now()); err != nil {
		t.Fatal(err)
	}
	clk.Add(31 * 24 * time.Hour)
	if _, err := db.PurgeSlackWorkspaces(ctx, clk.Now().Add(-30*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"workspace_faq", "workspace_knowledge", "unanswered_resolved", "dashboard_audit", "dashboard_roles", "dashboard_sessions", "dashboard_tokens"} {
		for _, tc := range []struct {
			ws   bot.TenantRef
			want bool
		}{{gone, false}, {kept, true}} {
			var n int
			if err := db.r.GetContext(ctx, &n, `SELECT COUNT(*) FROM `+table+` WHERE platform = ? AND tenant = ?`, tc.ws.Platform, tc.ws.ID); err != nil {
				t.Fatal(err)
			}
			if (n > 0) != tc.want {
				t.Errorf("%s of %s: %d rows after the purge", table, tc.ws, n)
			}
		}
	}
}
