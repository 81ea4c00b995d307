package dashboard

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// TestOverviewMatchesDatabase fills two workspaces through the core and
// the store, then checks the overview's numbers against counts read from
// the database with SQL and a connection of the test's own.
func TestOverviewMatchesDatabase(t *testing.T) { bothEngines(t, testOverviewMatchesDatabase) }

func testOverviewMatchesDatabase(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	ta := slackAdminA.TenantRef()
	members := []bot.UserRef{{Platform: "slack", Tenant: "TA", ID: "U1"}, {Platform: "slack", Tenant: "TA", ID: "U2"}}
	outsider := bot.UserRef{Platform: "slack", Tenant: "TB", ID: "U9"}
	questions := []string{"how long should I wait before reapplying", "why was I rejected", "what is the wifi password at the creator meetup",
		"how many followers do I need", "can you order me a pizza"}
	start := h.clock.Now()
	for day := range 5 {
		h.setClock(start.Add(-time.Duration(day*24+3) * time.Hour))
		for i, q := range questions[:1+day] {
			h.say(members[i%2], q)
			h.say(outsider, q) // another workspace: never counted
		}
		for _, v := range []string{"ready", "not_yet"}[:1+day%2] {
			if _, err := h.db.SaveCheck(ctx, bot.CheckRecord{User: members[day%2], Time: h.clock.Now(), Platform: "instagram", Followers: 1000, Verdict: v, Score: 50}); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.setClock(start)

	raw := rawDB(t, h)
	now := h.clock.Now().UTC()
	to := now.Truncate(24 * time.Hour).Add(24 * time.Hour).UnixMilli()
	from := to - 7*24*3600*1000
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := raw.QueryRowContext(ctx, raw.Rebind(q), args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	// Tasks and nudges, written straight into their tables.
	for _, stmt := range []string{
		`INSERT INTO tasks (platform, tenant, user_id, task_id, status, accepted_at, done_count) VALUES ('slack','TA','U1','t1','active',0,3), ('slack','TA','U1','t2','done',0,1), ('slack','TA','U2','t1','active',0,0), ('slack','TB','U9','t1','active',0,9)`,
		fmt.Sprintf(`INSERT INTO nudges (platform, tenant, user_id, kind, slot_at, due_at, status, attempts, idem_key, sent_at, created_at, updated_at) VALUES
			('slack','TA','U1','task',0,0,'sent',0,'k1',%[1]d,0,%[1]d), ('slack','TA','U1','summary',0,0,'sent',0,'k2',%[1]d,0,%[1]d),
			('slack','TA','U2','task',0,0,'dead',5,'k3',0,0,%[1]d), ('slack','TB','U9','task',0,0,'dead',5,'k4',0,0,%[1]d)`, now.Add(-time.Hour).UnixMilli()),
	} {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	scope := `FROM users u JOIN %s x ON x.user_pk = u.id WHERE u.platform = 'slack' AND u.tenant = 'TA' AND x.at >= ? AND x.at < ?`
	want := map[string]int{
		"n-asked":    count(fmt.Sprintf("SELECT COUNT(*) "+scope+" AND x.kind = 'question'", "events"), from, to),
		"n-answered": count(fmt.Sprintf("SELECT COUNT(*) "+scope+" AND x.kind = 'question' AND x.answered = 1", "events"), from, to),
		"n-notsure":  count(fmt.Sprintf("SELECT COUNT(*) "+scope+" AND x.off_topic = 0", "unanswered"), from, to),
		"n-declined": count(fmt.Sprintf("SELECT COUNT(*) "+scope+" AND x.off_topic = 1", "unanswered"), from, to),
		"n-plans":    count(`SELECT COUNT(DISTINCT user_id) FROM tasks WHERE platform = 'slack' AND tenant = 'TA' AND status = 'active'`),
		"n-sent":     count(`SELECT COUNT(*) FROM nudges WHERE platform = 'slack' AND tenant = 'TA' AND status = 'sent' AND sent_at >= ? AND sent_at < ?`, from, to),
		"n-dead":     count(`SELECT COUNT(*) FROM nudges WHERE platform = 'slack' AND tenant = 'TA' AND status = 'dead'`),
	}
	if want["n-asked"] < 10 || want["n-notsure"]+want["n-declined"] == 0 || want["n-plans"] != 2 {
		t.Fatalf("the fixture is too thin to test anything: %v", want)
	}

	b := h.browser()
	b.signIn(slackAdminA)
	p := b.get(wsPath(ta) + "/?days=7")
	for id, n := range want {
		m := regexp.MustCompile(`id="` + id + `">(?:<a [^>]*>)?(\d+)<`).FindStringSubmatch(p.body)
		if m == nil {
			t.Errorf("%s not on the page", id)
			continue
		}
		if got, _ := strconv.Atoi(m[1]); got != n {
			t.Errorf("%s = %d on the page, %d in the database", id, got, n)
		}
	}
	checks := count(fmt.Sprintf("SELECT COUNT(*) "+scope+" AND x.verdict = 'not_yet'", "checks"), from, to)
	if m := regexp.MustCompile(`<td>instagram</td><td>not_yet</td><td class="n">(\d+)</td>`).FindStringSubmatch(p.body); m == nil || m[1] != strconv.Itoa(checks) {
		t.Errorf("not_yet checks on the page %v, %d in the database", m, checks)
	}
	// The store's per-day series adds up to the same.
	ov, err := h.db.WorkspaceOverview(ctx, ta, time.UnixMilli(from), time.UnixMilli(to))
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	for _, d := range ov.Days {
		asked += d.Asked
	}
	if len(ov.Days) != 7 || asked != want["n-asked"] {
		t.Errorf("%d days adding up to %d questions, want 7 and %d", len(ov.Days), asked, want["n-asked"])
	}
}
