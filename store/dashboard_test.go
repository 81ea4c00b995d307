package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

var (
	dashAdmin = bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TA", ID: "UADMIN"}
	dashOther = bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TB", ID: "UADMIN"} // same id, another workspace
)

func TestLoginTokens(t *testing.T) { bothEngines(t, testLoginTokens) }

func testLoginTokens(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	for _, tok := range []LoginToken{
		{Hash: "admin", User: dashAdmin, PlatformAdmin: true, Expires: clk.Now().Add(15 * time.Minute)},
		{Hash: "member", User: dashOther, Expires: clk.Now().Add(15 * time.Minute)},
		{Hash: "short", User: dashAdmin, PlatformAdmin: true, Expires: clk.Now().Add(time.Minute)},
	} {
		if err := db.CreateLoginToken(ctx, tok); err != nil {
			t.Fatalf("create %s: %v", tok.Hash, err)
		}
	}
	if err := db.CreateLoginToken(ctx, LoginToken{Hash: "nobody", Expires: clk.Now().Add(time.Hour)}); err == nil {
		t.Error("a token for nobody was stored")
	}
	clk.Add(2 * time.Minute) // "short" has expired

	tests := []struct {
		name, hash string
		spend      bool
		want       *LoginToken // nil: ErrTokenSpent
	}{
		{"peek an admin's token", "admin", false, &LoginToken{Hash: "admin", User: dashAdmin, PlatformAdmin: true}},
		{"peeking again does not spend it", "admin", false, &LoginToken{Hash: "admin", User: dashAdmin, PlatformAdmin: true}},
		{"spend it", "admin", true, &LoginToken{Hash: "admin", User: dashAdmin, PlatformAdmin: true}},
		{"spent once only", "admin", true, nil},
		{"a spent token cannot be peeked", "admin", false, nil},
		{"a member's token says not admin", "member", true, &LoginToken{Hash: "member", User: dashOther}},
		{"an expired token cannot be peeked", "short", false, nil},
		{"an expired token cannot be spent", "short", true, nil},
		{"an unknown token", "nope", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := db.PeekLoginToken
			if tt.spend {
				f = db.SpendLoginToken
			}
			got, err := f(ctx, tt.hash)
			if tt.want == nil {
				if !errors.Is(err, ErrTokenSpent) {
					t.Fatalf("got %+v, %v; want ErrTokenSpent", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Hash != tt.want.Hash || got.User != tt.want.User || got.PlatformAdmin != tt.want.PlatformAdmin || !got.Expires.After(clk.Now()) {
				t.Fatalf("got %+v, want %+v", got, *tt.want)
			}
		})
	}
	t.Run("tokens a day past their end are deleted", func(t *testing.T) {
		clk.Add(25 * time.Hour)
		if err := db.CreateLoginToken(ctx, LoginToken{Hash: "new", User: dashAdmin, Expires: clk.Now().Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		var hashes []string
		if err := db.r.SelectContext(ctx, &hashes, `SELECT token_hash FROM dashboard_tokens ORDER BY token_hash`); err != nil {
			t.Fatal(err)
		}
		if strings.Join(hashes, ",") != "new" {
			t.Errorf("tokens left: %v", hashes)
		}
	})
}

// Two requests racing with one link: exactly one signs in.
func TestLoginTokenSpentOnceUnderRace(t *testing.T) { bothEngines(t, testLoginTokenSpentOnceUnderRace) }

func testLoginTokenSpentOnceUnderRace(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	if err := db.CreateLoginToken(ctx, LoginToken{Hash: "race", User: dashAdmin, Expires: clk.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() { _, err := db.SpendLoginToken(ctx, "race"); errs <- err }()
	}
	won := 0
	for range n {
		switch err := <-errs; {
		case err == nil:
			won++
		case !errors.Is(err, ErrTokenSpent):
			t.Errorf("spend: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d requests signed in with one link", won)
	}
}

func TestSessions(t *testing.T) { bothEngines(t, testSessions) }

func testSessions(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	const idle = 30 * time.Minute
	start := clk.Now()
	for _, s := range []Session{
		{Hash: "s1", User: dashAdmin, Role: RoleWrite, Expires: start.Add(8 * time.Hour)},
		{Hash: "s2", User: dashAdmin, Role: RoleWrite, Expires: start.Add(8 * time.Hour)},
		{Hash: "short", User: dashAdmin, Role: RoleRead, Expires: start.Add(40 * time.Minute)},
		{Hash: "idle", User: dashAdmin, Role: RoleRead, Expires: start.Add(8 * time.Hour)},
		{Hash: "other", User: dashOther, Role: RoleRead, Expires: start.Add(8 * time.Hour)},
	} {
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatalf("create %s: %v", s.Hash, err)
		}
	}
	if err := db.CreateSession(ctx, Session{Hash: "x", Role: RoleRead, Expires: start.Add(time.Hour)}); err == nil {
		t.Error("a session for nobody was stored")
	}
	steps := []struct {
		name    string
		advance time.Duration
		hash    string
		want    string // role, or "" for ErrNoSession
	}{
		{"a new session", 0, "s1", RoleWrite},
		{"the read role comes back", 0, "short", RoleRead},
		{"seen 20 minutes later", 20 * time.Minute, "s1", RoleWrite},
		{"also seen", 0, "short", RoleRead},
		{"20 more minutes: the seen ones are not idle", 20 * time.Minute, "s1", RoleWrite},
		{"the idle one has timed out", 0, "idle", ""},
		{"and is gone", 0, "idle", ""},
		{"past the absolute end, though seen", 0, "short", ""},
		{"another workspace's session is its own", 0, "other", ""}, // idle too: 40 minutes
		{"an unknown session", 0, "nope", ""},
	}
	for _, st := range steps {
		clk.Add(st.advance)
		s, err := db.Session(ctx, st.hash, idle)
		if st.want == "" {
			if !errors.Is(err, ErrNoSession) {
				t.Errorf("%s: got %+v, %v; want ErrNoSession", st.name, s, err)
			}
			continue
		}
		if err != nil || s.Role != st.want || s.Hash != st.hash || !s.Created.Equal(start) {
			t.Errorf("%s: got %+v, %v; want role %s", st.name, s, err, st.want)
		}
	}

	if err := db.DeleteSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Session(ctx, "s1", idle); !errors.Is(err, ErrNoSession) {
		t.Errorf("signed out session: %v", err)
	}
	for _, h := range []string{"s3", "s4"} {
		if err := db.CreateSession(ctx, Session{Hash: h, User: dashAdmin, Role: RoleWrite, Expires: clk.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CreateSession(ctx, Session{Hash: "keep", User: dashOther, Role: RoleWrite, Expires: clk.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	// s2 idled out unseen for 40 minutes but is still a row; s3, s4 live.
	n, err := db.DeleteSessions(ctx, dashAdmin)
	if err != nil || n != 3 {
		t.Errorf("sign out everywhere: %d, %v; want 3", n, err)
	}
	if _, err := db.Session(ctx, "keep", idle); err != nil {
		t.Errorf("another workspace's user was signed out: %v", err)
	}
	audit, err := db.Audit(ctx, dashAdmin.TenantRef(), 100)
	if err != nil {
		t.Fatal(err)
	}
	logins := 0
	for _, a := range audit {
		if a.Action == "login" {
			logins++
		}
	}
	if logins != 6 || audit[0].Action != "sign out everywhere" || audit[0].After != "3 sessions" || audit[0].Actor != dashAdmin.String() {
		t.Errorf("audit: %d logins, newest %+v", logins, audit[0])
	}
}

func TestDashboardRoles(t *testing.T) { bothEngines(t, testDashboardRoles) }

func testDashboardRoles(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	ta, tb := dashAdmin.TenantRef(), dashOther.TenantRef()
	member := bot.UserRef{Platform: ta.Platform, Tenant: ta.ID, ID: "UMEMBER"}
	if err := db.CreateSession(ctx, Session{Hash: "m", User: member, Role: RoleRead, Expires: clk.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		tenant  bot.TenantRef
		user    string
		role    string
		wantErr bool
	}{
		{"grant read", ta, "UMEMBER", RoleRead, false},
		{"grant another user write", ta, "UZED", RoleWrite, false},
		{"same user id in another workspace", tb, "UMEMBER", RoleWrite, false},
		{"upgrade to write", ta, "UMEMBER", RoleWrite, false},
		{"an unknown role", ta, "UMEMBER", "owner", true},
		{"no user", ta, "", RoleRead, true},
		{"remove a grant", ta, "UZED", "", false},
	}
	for _, st := range steps {
		err := db.SetDashboardRole(ctx, st.tenant, st.user, st.role, dashAdmin)
		if (err != nil) != st.wantErr {
			t.Errorf("%s: %v", st.name, err)
		}
		clk.Add(time.Second)
	}
	for _, tc := range []struct {
		u    bot.UserRef
		want string
	}{
		{member, RoleWrite},
		{bot.UserRef{Platform: ta.Platform, Tenant: ta.ID, ID: "UZED"}, ""},
		{bot.UserRef{Platform: tb.Platform, Tenant: tb.ID, ID: "UMEMBER"}, RoleWrite},
		{bot.UserRef{Platform: bot.PlatformDiscord, Tenant: ta.ID, ID: "UMEMBER"}, ""},
	} {
		if got, err := db.DashboardRoleOf(ctx, tc.u); err != nil || got != tc.want {
			t.Errorf("role of %s: %q, %v; want %q", tc.u, got, err, tc.want)
		}
	}
	roles, err := db.DashboardRoles(ctx, ta)
	if err != nil || len(roles) != 1 || roles[0].UserID != "UMEMBER" || roles[0].Role != RoleWrite || roles[0].AddedBy != dashAdmin.String() || roles[0].AddedAt.IsZero() {
		t.Errorf("roles of TA: %+v, %v", roles, err)
	}
	if roles, err := db.DashboardRoles(ctx, bot.TenantRef{Platform: bot.PlatformSlack, ID: "TNONE"}); err != nil || len(roles) != 0 {
		t.Errorf("roles of an empty workspace: %+v, %v", roles, err)
	}
	t.Run("listed in byte order on both engines", func(t *testing.T) {
		tc := bot.TenantRef{Platform: bot.PlatformSlack, ID: "TORDER"}
		for _, id := range []string{"ub", "UB", "Ua", "_x", "U-1"} {
			if err := db.SetDashboardRole(ctx, tc, id, RoleRead, dashAdmin); err != nil {
				t.Fatal(err)
			}
		}
		roles, err := db.DashboardRoles(ctx, tc)
		var ids []string
		for _, r := range roles {
			ids = append(ids, r.UserID)
		}
		if want := "U-1,UB,Ua,_x,ub"; err != nil || strings.Join(ids, ",") != want {
			t.Errorf("order %v, %v; want %s", ids, err, want)
		}
	})
	if _, err := db.Session(ctx, "m", time.Hour); !errors.Is(err, ErrNoSession) {
		t.Errorf("a changed right left the session live: %v", err)
	}
	audit, err := db.Audit(ctx, ta, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range audit {
		if a.Action == "role" {
			got = append(got, a.Subject+":"+a.Before+">"+a.After)
		}
	}
	if want := "UZED:write>,UMEMBER:read>write,UZED:>write,UMEMBER:>read"; strings.Join(got, ",") != want {
		t.Errorf("role audit %v, want %s", got, want)
	}
}

func TestAudit(t *testing.T) { bothEngines(t, testAudit) }

func testAudit(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	ta, tb := dashAdmin.TenantRef(), dashOther.TenantRef()
	start := clk.Now()
	for i, a := range []AuditEntry{
		{Tenant: ta, Actor: "a", Action: "edit", Subject: "one", Before: "x", After: "y"},
		{Tenant: ta, Actor: "a", Action: "hide", Subject: "two", At: start.Add(-time.Hour)}, // older, written later
		{Tenant: tb, Actor: "b", Action: "edit", Subject: "elsewhere"},
		{Tenant: ta, Actor: "a", Action: "import", Subject: "three"},
		{Tenant: ta, Actor: strings.Repeat("z", 1000), Action: "retry", Subject: "four"},
	} {
		if i > 0 {
			clk.Add(time.Minute)
		}
		if err := db.AddAudit(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		tenant bot.TenantRef
		limit  int
		want   string
	}{
		{"newest first", ta, 10, "four,three,one,two"},
		{"limited", ta, 2, "four,three"},
		{"another workspace", tb, 10, "elsewhere"},
		{"an empty workspace", bot.TenantRef{Platform: bot.PlatformDiscord, ID: "TA"}, 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Audit(ctx, tt.tenant, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var subjects []string
			for _, a := range got {
				subjects = append(subjects, a.Subject)
				if a.Tenant != tt.tenant || a.ID == 0 || a.At.IsZero() {
					t.Errorf("entry %+v", a)
				}
			}
			if strings.Join(subjects, ",") != tt.want {
				t.Errorf("got %v, want %s", subjects, tt.want)
			}
		})
	}
	all, _ := db.Audit(ctx, ta, 10)
	if len(all) == 4 && (len(all[0].Actor) != 400 || all[3].Before != "" || all[2].Before != "x" || all[2].After != "y" || !all[2].At.Equal(start)) {
		t.Errorf("entries: %+v", all)
	}
}

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
