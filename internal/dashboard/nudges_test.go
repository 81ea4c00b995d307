package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

// The Nudges page shows the workspace's dead nudges and unreachable
// members, not another workspace's; "Retry all" re-queues only its own,
// and the Admins page's role form grants and takes rights.
func TestNudgeHealthAndRolesPages(t *testing.T) { bothEngines(t, testNudgeHealthAndRolesPages) }

func testNudgeHealthAndRolesPages(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	raw := rawDB(t, h)
	now := h.clock.Now().UnixMilli()
	for _, stmt := range []string{
		fmt.Sprintf(`INSERT INTO nudges (platform, tenant, user_id, kind, slot_at, due_at, status, attempts, last_error, idem_key, created_at, updated_at) VALUES
			('slack','TA','UDEAD1','task',%[1]d,%[1]d,'dead',5,'dm_closed','k1',%[1]d,%[1]d), ('slack','TA','UDEAD2','summary',%[1]d,%[1]d,'dead',5,'rate limited','k2',%[1]d,%[1]d),
			('slack','TA','ULIVE','task',%[1]d,%[1]d,'pending',0,'','k3',%[1]d,%[1]d), ('slack','TB','UOTHERDEAD','task',%[1]d,%[1]d,'dead',5,'gone','k4',%[1]d,%[1]d)`, now),
		fmt.Sprintf(`INSERT INTO reminders (platform, tenant, user_id, unreachable, updated_at) VALUES
			('slack','TA','UGONE','left the workspace',%[1]d), ('slack','TB','UOTHERGONE','left',%[1]d)`, now),
	} {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	b := h.browser()
	b.signIn(slackAdminA)
	ws := wsPath(slackAdminA.TenantRef())
	p := b.get(ws + "/nudges")
	for _, want := range []string{"UDEAD1", "UDEAD2", "dm_closed", "rate limited", "UGONE", "left the workspace", "Retry all dead nudges"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("nudges page lacks %q", want)
		}
	}
	for _, other := range []string{"UOTHERDEAD", "UOTHERGONE", "ULIVE"} {
		if strings.Contains(p.body, other) {
			t.Errorf("nudges page shows %q", other)
		}
	}
	p = b.post(ws+"/nudges/retry", url.Values{})
	if loc, _ := url.QueryUnescape(p.header.Get("Location")); p.code != http.StatusSeeOther || !strings.Contains(loc, "Re-queued 2 dead nudges") {
		t.Fatalf("retry: %d %s", p.code, loc)
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := raw.GetContext(ctx, &n, q); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT COUNT(*) FROM nudges WHERE tenant = 'TA' AND status = 'dead'`); n != 0 {
		t.Errorf("%d dead nudges left in TA", n)
	}
	if n := count(`SELECT COUNT(*) FROM nudges WHERE tenant = 'TB' AND status = 'dead'`); n != 1 {
		t.Errorf("another workspace's dead nudge was retried (%d left)", n)
	}
	if p := b.get(ws + "/nudges"); !strings.Contains(p.body, "No dead nudges.") {
		t.Error("the page still lists dead nudges")
	}

	// Roles: grant read, then take it away.
	for _, step := range []struct{ role, want string }{{"read", store.RoleRead}, {"none", ""}} {
		if p := b.post(ws+"/admins/role", url.Values{"user": {"UHELPER"}, "role": {step.role}}); p.code != http.StatusSeeOther {
			t.Fatalf("role %s: %d %s", step.role, p.code, p.body)
		}
		got, err := h.db.DashboardRoleOf(ctx, bot.UserRef{Platform: bot.PlatformSlack, Tenant: "TA", ID: "UHELPER"})
		if err != nil || got != step.want {
			t.Errorf("role after %s: %q, %v", step.role, got, err)
		}
		if shown := strings.Contains(b.get(ws+"/admins").body, "UHELPER"); shown != (step.want != "") {
			t.Errorf("admins page after %s: UHELPER shown = %v", step.role, shown)
		}
	}
	log, err := h.db.Audit(ctx, slackAdminA.TenantRef(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range log {
		actions = append(actions, a.Action)
	}
	if got := strings.Join(actions, ","); got != "role,role,retry nudges,login" {
		t.Errorf("audit %s", got)
	}
}
