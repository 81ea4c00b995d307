package store

import (
	"context"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

func TestSlackInstalls(t *testing.T) { bothEngines(t, testSlackInstalls) }

func testSlackInstalls(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	save := func(in SlackInstall) {
		t.Helper()
		if err := db.SaveSlackInstall(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	save(SlackInstall{ID: "TA", TeamID: "TA", TeamName: "Team A", BotUserID: "UB", BotToken: "v1:k:sealed-a", Scopes: "commands", InstalledBy: "U1"})
	save(SlackInstall{ID: "E1", EnterpriseID: "E1", EnterpriseInstall: true, BotToken: "v1:k:sealed-e"})

	tests := []struct {
		name, id, wantID, wantToken string
		ok                          bool
	}{
		{"a workspace install by team", "TA", "TA", "v1:k:sealed-a", true},
		{"an org install by enterprise", "E1", "E1", "v1:k:sealed-e", true},
		{"an unknown team", "TZ", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, ok, err := db.SlackInstall(ctx, tt.id)
			if err != nil || ok != tt.ok || in.ID != tt.wantID || in.BotToken != tt.wantToken {
				t.Fatalf("got %+v %v %v", in, ok, err)
			}
		})
	}
	t.Run("a noted team of the organisation finds its install", func(t *testing.T) {
		if err := db.NoteSlackInstallTeam(ctx, "E1", "TG"); err != nil {
			t.Fatal(err)
		}
		in, ok, err := db.SlackInstall(ctx, "TG")
		if err != nil || !ok || in.ID != "E1" || !in.EnterpriseInstall {
			t.Fatalf("got %+v %v %v", in, ok, err)
		}
	})

	u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TA", ID: "U1"}
	grid := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TG", ID: "U7"}
	kept := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TB", ID: "U1"}
	for _, who := range []bot.UserRef{u, grid, kept} {
		if _, err := db.SaveCheck(ctx, bot.CheckRecord{User: who, Time: clk.Now(), Platform: "instagram", Followers: 4200, Verdict: "ready", Score: 80, Result: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddAdmin(ctx, u.TenantRef(), "U1", "U0"); err != nil {
		t.Fatal(err)
	}

	t.Run("revoking empties the token and hides the install", func(t *testing.T) {
		ok, err := db.RevokeSlackInstall(ctx, "TA", clk.Now())
		if err != nil || !ok {
			t.Fatalf("%v %v", ok, err)
		}
		if _, found, _ := db.SlackInstall(ctx, "TA"); found {
			t.Error("a revoked install is still found")
		}
		if again, _ := db.RevokeSlackInstall(ctx, "TA", clk.Now()); again {
			t.Error("revoked twice")
		}
		var token string
		db.r.GetContext(ctx, &token, `SELECT bot_token FROM slack_installs WHERE install_id = 'TA'`)
		if token != "" {
			t.Errorf("token %q kept after revocation", token)
		}
	})

	t.Run("nothing is purged within the grace period", func(t *testing.T) {
		rep, err := db.PurgeSlackWorkspaces(ctx, clk.Now().Add(-time.Hour))
		if err != nil || rep.Workspaces != 0 || rep.Users != 0 {
			t.Fatalf("%+v %v", rep, err)
		}
	})

	clk.Add(31 * 24 * time.Hour)
	if _, err := db.RevokeSlackInstall(ctx, "E1", clk.Now().Add(-31*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	t.Run("after it, the workspaces' users, admins and installs are erased; others are kept", func(t *testing.T) {
		rep, err := db.PurgeSlackWorkspaces(ctx, clk.Now().Add(-30*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Workspaces != 2 || rep.Users != 2 || rep.Rows < 5 {
			t.Errorf("report %+v, want 2 workspaces and 2 users", rep)
		}
		for _, who := range []bot.UserRef{u, grid} {
			if cs, _ := db.LatestChecks(ctx, who, 10); len(cs) != 0 {
				t.Errorf("%s still has checks", who)
			}
		}
		if cs, _ := db.LatestChecks(ctx, kept, 10); len(cs) != 1 {
			t.Errorf("another workspace lost its data")
		}
		if admins, _ := db.Admins(ctx, u.TenantRef()); len(admins) != 0 {
			t.Errorf("admins kept: %v", admins)
		}
		var n int
		db.r.GetContext(ctx, &n, `SELECT COUNT(*) FROM slack_installs`)
		var teams int
		db.r.GetContext(ctx, &teams, `SELECT COUNT(*) FROM slack_install_teams`)
		if n != 0 || teams != 0 {
			t.Errorf("%d installs and %d teams left", n, teams)
		}
	})

	t.Run("installing again within the grace period keeps the data", func(t *testing.T) {
		save(SlackInstall{ID: "TC", TeamID: "TC", BotToken: "v1:k:c"})
		db.RevokeSlackInstall(ctx, "TC", clk.Now())
		save(SlackInstall{ID: "TC", TeamID: "TC", BotToken: "v1:k:c2"})
		rep, err := db.PurgeSlackWorkspaces(ctx, clk.Now().Add(time.Hour))
		if err != nil || rep.Workspaces != 0 {
			t.Fatalf("%+v %v", rep, err)
		}
		if in, ok, _ := db.SlackInstall(ctx, "TC"); !ok || in.BotToken != "v1:k:c2" || !in.RevokedAt.IsZero() {
			t.Errorf("%+v %v", in, ok)
		}
	})
}

func TestSlackInstallFields(t *testing.T) { bothEngines(t, testSlackInstallFields) }

// Every field round-trips on both engines, a workspace's own install wins
// over the organisation's, and bad input is refused or ignored.
func testSlackInstallFields(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	at := clk.Now().Add(-time.Hour).Truncate(time.Millisecond)
	org := SlackInstall{ID: "E1", EnterpriseID: "E1", EnterpriseName: "Grid Co", EnterpriseInstall: true, BotUserID: "UBOT",
		BotToken: "v1:k:org", Scopes: "commands,chat:write", InstalledBy: "UINST", InstalledAt: at}
	own := SlackInstall{ID: "TG", TeamID: "TG", TeamName: "Grid team", BotToken: "v1:k:own"}
	for _, in := range []SlackInstall{org, own} {
		if err := db.SaveSlackInstall(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []SlackInstall{{ID: "TX"}, {BotToken: "v1:k:x"}} {
		if err := db.SaveSlackInstall(ctx, bad); err == nil {
			t.Errorf("saved %+v", bad)
		}
	}
	for _, note := range [][2]string{{"E1", "TG"}, {"E1", "TH"}, {"ENONE", "TI"}, {"E1", ""}, {"E1", "E1"}} {
		if err := db.NoteSlackInstallTeam(ctx, note[0], note[1]); err != nil {
			t.Fatalf("note %v: %v", note, err)
		}
	}
	tests := []struct {
		name, id string
		want     *SlackInstall
	}{
		{"every field of the org install", "E1", &org},
		{"a noted team finds the org install", "TH", &org},
		{"a team with its own install gets its own", "TG", &own},
		{"a team noted under an unknown install", "TI", nil},
		{"nothing for an empty id", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := db.SlackInstall(ctx, tt.id)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if ok {
					t.Errorf("found %+v", got)
				}
				return
			}
			want := *tt.want
			if want.InstalledAt.IsZero() {
				want.InstalledAt = clk.Now()
			}
			if !ok || !got.InstalledAt.Equal(want.InstalledAt) || !got.RevokedAt.IsZero() {
				t.Fatalf("got %+v %v, want %+v", got, ok, want)
			}
			got.InstalledAt, want.InstalledAt = time.Time{}, time.Time{}
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
	t.Run("the revocation time is kept", func(t *testing.T) {
		if ok, err := db.RevokeSlackInstall(ctx, "TG", at); err != nil || !ok {
			t.Fatal(ok, err)
		}
		var revoked []int64
		if err := db.r.SelectContext(ctx, &revoked, `SELECT revoked_at FROM slack_installs WHERE revoked_at IS NOT NULL`); err != nil {
			t.Fatal(err)
		}
		if len(revoked) != 1 || revoked[0] != at.UnixMilli() {
			t.Errorf("revoked_at %v, want [%d]", revoked, at.UnixMilli())
		}
		// TG now falls back to the organisation's install it was noted in.
		if got, ok, err := db.SlackInstall(ctx, "TG"); err != nil || !ok || got.ID != "E1" {
			t.Errorf("TG after its own install was revoked: %+v %v %v", got, ok, err)
		}
	})
}
