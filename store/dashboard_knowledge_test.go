package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

func TestFAQOverrides(t *testing.T) { bothEngines(t, testFAQOverrides) }

func testFAQOverrides(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	ta, tb := dashAdmin.TenantRef(), dashOther.TenantRef()
	refuse := errors.New("refused")
	steps := []struct {
		name     string
		change   FAQChange
		wantErr  error // nil: accepted
		wantRev  int64
		wantList string // id:title:hidden:phrasings, by id
	}{
		{"no overrides yet", FAQChange{}, nil, 0, ""},
		{"a new entry", FAQChange{Put: []FAQOverride{{ID: "meetups", Title: "Meetups", Answer: "Fridays.", Phrasings: []string{"when do we meet", " ", "meetup day"}}}},
			nil, 1, "meetups:Meetups:false:when do we meet|meetup day"},
		{"hide a shipped entry", FAQChange{Put: []FAQOverride{{ID: "apply-wait", Hidden: true}}},
			nil, 2, "apply-wait::true:,meetups:Meetups:false:when do we meet|meetup day"},
		{"edit replaces the earlier override", FAQChange{Put: []FAQOverride{{ID: "meetups", Title: "Meetups!", Answer: "Saturdays."}}},
			nil, 3, "apply-wait::true:,meetups:Meetups!:false:"},
		{"a refused check changes nothing", FAQChange{Put: []FAQOverride{{ID: "bad"}}, Check: func(all []FAQOverride) error {
			if len(all) != 3 {
				return fmt.Errorf("check saw %d overrides, want 3", len(all))
			}
			return refuse
		}}, refuse, 3, "apply-wait::true:,meetups:Meetups!:false:"},
		{"an accepted check sees the change", FAQChange{Delete: []string{"apply-wait"}, Check: func(all []FAQOverride) error {
			if len(all) != 1 || all[0].ID != "meetups" {
				return fmt.Errorf("check saw %+v", all)
			}
			return nil
		}}, nil, 4, "meetups:Meetups!:false:"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.change.Put != nil || st.change.Delete != nil {
				c := st.change
				c.Tenant, c.By, c.Audit = ta, dashAdmin, AuditEntry{Action: "edit", Subject: st.name}
				clk.Add(time.Minute)
				if err := db.ChangeFAQ(ctx, c); !errors.Is(err, st.wantErr) {
					t.Fatalf("change: %v, want %v", err, st.wantErr)
				}
			}
			list, rev, err := db.FAQOverrides(ctx, ta)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range list {
				got = append(got, fmt.Sprintf("%s:%s:%v:%s", o.ID, o.Title, o.Hidden, strings.Join(o.Phrasings, "|")))
				if o.UpdatedBy != dashAdmin.String() || o.UpdatedAt.IsZero() {
					t.Errorf("override %+v", o)
				}
			}
			if rev != st.wantRev || strings.Join(got, ",") != st.wantList {
				t.Errorf("revision %d, overrides %v; want %d, %s", rev, got, st.wantRev, st.wantList)
			}
			if r, err := db.KnowledgeRevision(ctx, ta); err != nil || r != st.wantRev {
				t.Errorf("KnowledgeRevision %d, %v", r, err)
			}
		})
	}
	t.Run("another workspace has none", func(t *testing.T) {
		list, rev, err := db.FAQOverrides(ctx, tb)
		if r, err2 := db.KnowledgeRevision(ctx, tb); err != nil || err2 != nil || rev != 0 || r != 0 || len(list) != 0 {
			t.Errorf("%+v %d %d %v %v", list, rev, r, err, err2)
		}
	})
	t.Run("no workspace", func(t *testing.T) {
		if err := db.ChangeFAQ(ctx, FAQChange{Put: []FAQOverride{{ID: "x"}}}); err == nil {
			t.Error("accepted")
		}
	})
	t.Run("each accepted change is in the audit log", func(t *testing.T) {
		audit, err := db.Audit(ctx, ta, 10)
		if err != nil || len(audit) != 4 || audit[0].Subject != "an accepted check sees the change" || audit[0].Action != "edit" || audit[0].Actor != dashAdmin.String() {
			t.Errorf("%+v %v", audit, err)
		}
	})
}

func TestUnansweredQueue(t *testing.T) { bothEngines(t, testUnansweredQueue) }

func testUnansweredQueue(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	ta := dashAdmin.TenantRef()
	u1 := bot.UserRef{Platform: ta.Platform, Tenant: ta.ID, ID: "U1"}
	u2 := bot.UserRef{Platform: ta.Platform, Tenant: ta.ID, ID: "U2"}
	elsewhere := bot.UserRef{Platform: ta.Platform, Tenant: "TB", ID: "U1"}
	ask := func(u bot.UserRef, text string, off bool) {
		t.Helper()
		clk.Add(time.Minute)
		if err := db.LogUnanswered(ctx, bot.UnansweredQuestion{User: u, Text: text, OffTopic: off}); err != nil {
			t.Fatal(err)
		}
	}
	start := clk.Now().Add(time.Minute) // the first ask's time
	ask(u1, "When is the meetup?", false)
	ask(u2, "when is the meetup", false)
	ask(u1, "WHEN is the meetup??", false)
	ask(u1, "order me a pizza", true)
	ask(u2, "order me a pizza", true)
	ask(u2, "what is the wifi password", false)
	ask(elsewhere, "when is the meetup", false)
	ask(elsewhere, "something only TB asks", false)

	type row struct {
		text          string
		count, users  int
		off           bool
		first, lastAt time.Duration // after start
	}
	check := func(name string, want []row) {
		t.Helper()
		q, err := db.UnansweredQueue(ctx, ta, 50)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got, exp []string
		for _, g := range q {
			got = append(got, fmt.Sprintf("%s/%d/%d/%v/%v/%v", g.Text, g.Count, g.Users, g.OffTopic, g.First.Sub(start), g.Last.Sub(start)))
			if g.Norm != bot.NormalizeQuestion(g.Text) {
				t.Errorf("%s: norm %q of %q", name, g.Norm, g.Text)
			}
		}
		for _, w := range want {
			exp = append(exp, fmt.Sprintf("%s/%d/%d/%v/%v/%v", w.text, w.count, w.users, w.off, w.first, w.lastAt))
		}
		if strings.Join(got, "\n") != strings.Join(exp, "\n") {
			t.Errorf("%s:\ngot  %s\nwant %s", name, strings.Join(got, "\n     "), strings.Join(exp, "\n     "))
		}
	}
	check("grouped, most asked first, latest wording", []row{
		{"WHEN is the meetup??", 3, 2, false, 0, 2 * time.Minute},
		{"order me a pizza", 2, 2, true, 3 * time.Minute, 4 * time.Minute},
		{"what is the wifi password", 1, 1, false, 5 * time.Minute, 5 * time.Minute},
	})
	if q, err := db.UnansweredQueue(ctx, ta, 1); err != nil || len(q) != 1 {
		t.Errorf("limit 1: %d, %v", len(q), err)
	}
	if q, err := db.UnansweredQueue(ctx, bot.TenantRef{Platform: bot.PlatformSlack, ID: "TNONE"}, 50); err != nil || len(q) != 0 {
		t.Errorf("an empty workspace: %+v, %v", q, err)
	}

	clk.Add(time.Minute)
	if err := db.DismissUnanswered(ctx, ta, bot.NormalizeQuestion("order me a pizza"), "order me a pizza", dashAdmin); err != nil {
		t.Fatal(err)
	}
	if err := db.ChangeFAQ(ctx, FAQChange{Tenant: ta, By: dashAdmin, Put: []FAQOverride{{ID: "meetups", Answer: "Fridays."}},
		Resolves: bot.NormalizeQuestion("when is the meetup"), Resolution: "answered", Audit: AuditEntry{Action: "answer"}}); err != nil {
		t.Fatal(err)
	}
	check("dismissed and answered groups leave the queue", []row{
		{"what is the wifi password", 1, 1, false, 5 * time.Minute, 5 * time.Minute},
	})
	var res []struct {
		Norm       string `db:"norm"`
		Resolution string `db:"resolution"`
		Entry      string `db:"entry_id"`
	}
	if err := db.r.SelectContext(ctx, &res, `SELECT norm, resolution, entry_id FROM unanswered_resolved WHERE platform = ? AND tenant = ? ORDER BY norm`, ta.Platform, ta.ID); err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Resolution != "dismissed" || res[1].Resolution != "answered" || res[1].Entry != "meetups" {
		t.Errorf("resolved: %+v", res)
	}
	if q, err := db.UnansweredQueue(ctx, elsewhere.TenantRef(), 50); err != nil || len(q) != 2 {
		t.Errorf("another workspace's queue changed: %+v, %v", q, err)
	}

	ask(u2, "order me a pizza please", true) // another norm
	ask(u1, "order me a pizza", true)        // asked again after the dismissal
	check("a dismissed group asked again comes back", []row{
		{"order me a pizza", 3, 2, true, 3 * time.Minute, 10 * time.Minute},
		{"order me a pizza please", 1, 1, true, 9 * time.Minute, 9 * time.Minute},
		{"what is the wifi password", 1, 1, false, 5 * time.Minute, 5 * time.Minute},
	})
	audit, err := db.Audit(ctx, ta, 10)
	if err != nil || len(audit) != 2 || audit[1].Action != "dismiss" || audit[1].Subject != "order me a pizza" {
		t.Errorf("audit %+v %v", audit, err)
	}
}

func TestWorkspaceOverview(t *testing.T) { bothEngines(t, testWorkspaceOverview) }

func testWorkspaceOverview(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	ta := dashAdmin.TenantRef()
	u1 := bot.UserRef{Platform: ta.Platform, Tenant: ta.ID, ID: "U1"}
	u2 := bot.UserRef{Platform: ta.Platform, Tenant: ta.ID, ID: "U2"}
	outsider := bot.UserRef{Platform: ta.Platform, Tenant: "TB", ID: "U1"}
	day0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	at := func(day int, h int) time.Time {
		return day0.Add(time.Duration(day)*24*time.Hour + time.Duration(h)*time.Hour)
	}
	event := func(u bot.UserRef, when time.Time, kind, topic string, answered bool) {
		t.Helper()
		if err := db.RecordEvent(ctx, bot.Event{User: u, Time: when, Kind: kind, Command: "ask", Text: "q", Topic: topic, Answered: answered}); err != nil {
			t.Fatal(err)
		}
	}
	unanswered := func(u bot.UserRef, when time.Time, off bool) {
		t.Helper()
		if err := db.LogUnanswered(ctx, bot.UnansweredQuestion{User: u, Time: when, Text: "something " + when.String(), OffTopic: off}); err != nil {
			t.Fatal(err)
		}
	}
	// Day 0: 3 questions, 2 answered (apply-wait twice); day 2: 1 question
	// not answered; one the day before the range and one after it.
	for _, who := range []bot.UserRef{u1, outsider} {
		event(who, at(0, 1), bot.EventQuestion, "apply-wait", true)
		event(who, at(0, 23), bot.EventQuestion, "apply-wait", true)
		event(who, at(0, 5), bot.EventQuestion, "", false)
		event(who, at(2, 0), bot.EventQuestion, "", false)
		event(who, at(2, 1), bot.EventCommand, "", true)
		event(who, at(1, 3), bot.EventQuestion, "rejection", true)
		event(who, at(-1, 23), bot.EventQuestion, "apply-wait", true)
		event(who, at(3, 0), bot.EventQuestion, "apply-wait", true)
		unanswered(who, at(0, 5), false)
		unanswered(who, at(2, 0), false)
		unanswered(who, at(2, 2), true)
		unanswered(who, at(2, 3), true)
		unanswered(who, at(3, 1), true)
		for _, v := range []string{"ready", "not_yet", "not_yet"} {
			if _, err := db.SaveCheck(ctx, bot.CheckRecord{User: who, Time: at(1, 4), Platform: "instagram", Followers: 1000, Verdict: v, Score: 50, Result: []byte(`{}`)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SaveCheck(ctx, bot.CheckRecord{User: who, Time: at(1, 4), Platform: "tiktok", Followers: 1000, Verdict: "ready", Score: 50, Result: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	event(u2, at(1, 5), bot.EventQuestion, "rejection", true)
	inRange := at(1, 0).UnixMilli()
	for _, stmt := range []string{
		`INSERT INTO tasks (platform, tenant, user_id, task_id, status, accepted_at, done_count) VALUES
			('slack','TA','U1','t1','active',0,3), ('slack','TA','U1','t2','done',0,1), ('slack','TA','U2','t1','active',0,0), ('slack','TB','U1','t1','active',0,9)`,
		fmt.Sprintf(`INSERT INTO nudges (platform, tenant, user_id, kind, slot_at, due_at, status, attempts, idem_key, sent_at, created_at, updated_at) VALUES
			('slack','TA','U1','task',0,0,'sent',0,'k1',%[1]d,0,%[1]d), ('slack','TA','U1','summary',0,0,'sent',0,'k2',%[2]d,0,%[2]d),
			('slack','TA','U2','task',0,0,'dead',5,'k3',0,0,%[1]d), ('slack','TA','U2','summary',0,0,'dead',5,'k4',0,0,%[2]d),
			('slack','TA','U2','task',1,0,'pending',2,'k5',0,0,%[1]d), ('slack','TA','U1','task',1,0,'pending',0,'k6',0,0,%[1]d),
			('slack','TB','U1','task',0,0,'dead',5,'k7',0,0,%[1]d), ('slack','TB','U1','task',1,0,'pending',1,'k8',0,0,%[1]d)`, inRange, at(5, 0).UnixMilli()),
	} {
		if _, err := db.w.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}

	day := func(d, asked, answered, notSure, declined int) DayCounts {
		return DayCounts{Day: at(d, 0), Asked: asked, Answered: answered, NotSure: notSure, Declined: declined}
	}
	tests := []struct {
		name     string
		tenant   bot.TenantRef
		from, to time.Time
		want     Overview
	}{
		{"three days", ta, at(0, 0), at(3, 0), Overview{
			Days:        []DayCounts{day(0, 3, 2, 1, 0), day(1, 2, 2, 0, 0), day(2, 1, 0, 1, 2)},
			TopTopics:   []Count{{"apply-wait", 2}, {"rejection", 2}},
			Checks:      []CheckCount{{"instagram", "not_yet", 2}, {"instagram", "ready", 1}, {"tiktok", "ready", 1}},
			ActivePlans: 2, TasksActive: 2, TasksDone: 1, TimesDone: 4, NudgesSent: 1, NudgesRetry: 1, NudgesDead: 1,
		}},
		{"times inside the days are truncated", ta, at(0, 7), at(2, 5), Overview{
			Days:        []DayCounts{day(0, 3, 2, 1, 0), day(1, 2, 2, 0, 0)},
			TopTopics:   []Count{{"apply-wait", 2}, {"rejection", 2}},
			Checks:      []CheckCount{{"instagram", "not_yet", 2}, {"instagram", "ready", 1}, {"tiktok", "ready", 1}},
			ActivePlans: 2, TasksActive: 2, TasksDone: 1, TimesDone: 4, NudgesSent: 1, NudgesRetry: 1, NudgesDead: 1,
		}},
		{"an empty range is one day", ta, at(2, 0), at(2, 0), Overview{
			Days:        []DayCounts{day(2, 1, 0, 1, 2)},
			ActivePlans: 2, TasksActive: 2, TasksDone: 1, TimesDone: 4, NudgesRetry: 1,
		}},
		{"a workspace with nothing (SUM over no rows)", bot.TenantRef{Platform: bot.PlatformSlack, ID: "TNONE"}, at(0, 0), at(2, 0), Overview{
			Days: []DayCounts{day(0, 0, 0, 0, 0), day(1, 0, 0, 0, 0)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.WorkspaceOverview(ctx, tt.tenant, tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.From, want.To = want.Days[0].Day, want.Days[len(want.Days)-1].Day.Add(24*time.Hour)
			if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
		})
	}
	_ = clk
}

func TestUnreachableUsers(t *testing.T) { bothEngines(t, testUnreachableUsers) }

func testUnreachableUsers(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ta := dashAdmin.TenantRef()
	if _, err := db.w.ExecContext(ctx, `INSERT INTO reminders (platform, tenant, user_id, unreachable, updated_at) VALUES
		('slack','TA','U1','dm_closed',1000), ('slack','TA','U2','',2000), ('slack','TA','U3','left',3000), ('slack','TB','U4','left',4000)`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		tenant bot.TenantRef
		want   string
	}{
		{ta, "U3:left:3000,U1:dm_closed:1000"},
		{bot.TenantRef{Platform: bot.PlatformSlack, ID: "TB"}, "U4:left:4000"},
		{bot.TenantRef{Platform: bot.PlatformDiscord, ID: "TA"}, ""},
	}
	for _, tt := range tests {
		got, err := db.UnreachableUsers(ctx, tt.tenant)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, u := range got {
			s = append(s, fmt.Sprintf("%s:%s:%d", u.UserID, u.Reason, u.Since.UnixMilli()))
		}
		if strings.Join(s, ",") != tt.want {
			t.Errorf("%s: %v, want %s", tt.tenant, s, tt.want)
		}
	}
}

// BenchmarkDashboardQueries times the dashboard's two heaviest reads, the
// 30-day overview and the unanswered queue, for a workspace of 200
// members with 100 questions and 20 unanswered a day over 90 days, next to
// another workspace of the same size, on each engine (the PostgreSQL half
// with INFLUBOT_TEST_POSTGRES).
func BenchmarkDashboardQueries(b *testing.B) {
	for _, engine := range []string{EngineSQLite, EnginePostgres} {
		b.Run(engine, func(b *testing.B) {
			if engine == EnginePostgres {
				requirePostgres(b)
			}
			db := New(testDBPath(b, "influbot.db"))
			ctx := context.Background()
			if err := db.Open(ctx); err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			end := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
			seedDashboard(b, db, end, []string{"TA", "TB"}, 200, 90, 100, 20)
			ta := bot.TenantRef{Platform: bot.PlatformSlack, ID: "TA"}
			b.Run("overview-30d", func(b *testing.B) {
				for b.Loop() {
					ov, err := db.WorkspaceOverview(ctx, ta, end.Add(-30*24*time.Hour), end)
					if err != nil || len(ov.Days) != 30 || ov.Days[0].Asked != 100 {
						b.Fatalf("%+v %v", ov.Days[:1], err)
					}
				}
			})
			b.Run("unanswered-queue", func(b *testing.B) {
				for b.Loop() {
					q, err := db.UnansweredQueue(ctx, ta, 100)
					if err != nil || len(q) != 100 {
						b.Fatalf("%d groups, %v", len(q), err)
					}
				}
			})
		})
	}
}

// seedDashboard writes users, questions and unanswered questions straight
// into their tables, in multi-row INSERTs: days days before end, perDay
// questions (every fourth unanswered by the FAQ) and unPerDay unanswered
// ones (over 300 distinct wordings) a day in each tenant.
func seedDashboard(b *testing.B, db *DB, end time.Time, tenants []string, users, days, perDay, unPerDay int) {
	b.Helper()
	ctx := context.Background()
	var pk int64
	flush := func(head string, rows []string) {
		for len(rows) > 0 {
			n := min(len(rows), 500)
			if _, err := db.w.ExecContext(ctx, head+strings.Join(rows[:n], ",")); err != nil {
				b.Fatal(err)
			}
			rows = rows[n:]
		}
	}
	for _, tenant := range tenants {
		first := pk + 1
		var us, evs, uns []string
		for i := range users {
			pk++
			us = append(us, fmt.Sprintf("(%d, 'slack', '%s', 'U%d', 0, 0)", pk, tenant, i))
		}
		for d := range days {
			day := end.Add(-time.Duration(d+1) * 24 * time.Hour).UnixMilli()
			for i := range perDay {
				answered, topic := 1, fmt.Sprintf("topic-%d", i%12)
				if i%4 == 0 {
					answered, topic = 0, ""
				}
				evs = append(evs, fmt.Sprintf("(%d, %d, 'question', 'ask', 'q', '%s', 0.7, %d)", first+int64((d*perDay+i)%users), day+int64(i)*60000, topic, answered))
			}
			for i := range unPerDay {
				w := (d*unPerDay + i) % 300
				uns = append(uns, fmt.Sprintf("(%d, %d, 'question %d', 'question %d', %d)", first+int64(i%users), day+int64(i)*60000, w, w, i%5/4))
			}
		}
		flush(`INSERT INTO users (id, platform, tenant, user_id, first_seen, last_seen) VALUES `, us)
		flush(`INSERT INTO events (user_pk, at, kind, command, text, topic, confidence, answered) VALUES `, evs)
		flush(`INSERT INTO unanswered (user_pk, at, text, norm, off_topic) VALUES `, uns)
	}
	if db.isPG() {
		if _, err := db.w.ExecContext(ctx, `ANALYZE users, events, unanswered`); err != nil {
			b.Fatal(err)
		}
	}
}
