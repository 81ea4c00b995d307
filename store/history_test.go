package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

func f64(f float64) *float64 { return &f }

func sampleCheck(u bot.UserRef, at time.Time, followers int64, er float64, verdict string) bot.CheckRecord {
	return bot.CheckRecord{
		User: u, Time: at, Platform: "instagram", Followers: followers, Likes: f64(120), Comments: f64(9),
		PostsPerWeek: f64(3), Niche: "home decor", EngagementRate: er, EngagementBasis: "followers",
		Verdict: verdict, Score: 60, Result: []byte(fmt.Sprintf(`{"followers":%d,"verdict":%q}`, followers, verdict)),
	}
}

func TestRecordAndReadBack(t *testing.T) { bothEngines(t, testRecordAndReadBack) }

func testRecordAndReadBack(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	start := clk.Now()
	for i, e := range []bot.Event{
		{Kind: bot.EventQuestion, Command: "ask", Text: "why was I rejected?", Topic: "rejection-reasons", Confidence: 0.82, Answered: true, Reply: "Amazon looks at..."},
		{Kind: bot.EventCommand, Command: "check", Text: "check instagram 3.9k", Answered: true, Reply: "Borderline"},
		{Kind: bot.EventQuestion, Command: "ask", Text: "how do I link my tiktok", Answered: false, Reply: "I'm not sure I understood that", Latency: 1500 * time.Microsecond},
		{Kind: bot.EventQuestion, Command: "ask", Text: "why was I rejected?", Topic: "rejection-reasons", Answered: true, Reply: "Amazon looks at..."},
	} {
		e.User = alice
		e.Time = start.Add(time.Duration(i) * time.Minute)
		if err := db.RecordEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("recent questions come newest first with their replies", func(t *testing.T) {
		evs, err := db.RecentEvents(ctx, alice, bot.EventQuestion, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].Text != "why was I rejected?" || evs[1].Text != "how do I link my tiktok" {
			t.Fatalf("got %+v", evs)
		}
		if evs[1].Answered || evs[1].Latency != 1500*time.Microsecond || evs[1].Reply != "I'm not sure I understood that" {
			t.Errorf("fields lost: %+v", evs[1])
		}
		if !evs[0].Time.Equal(start.Add(3*time.Minute)) || evs[0].User != alice {
			t.Errorf("time or user lost: %+v", evs[0])
		}
	})
	t.Run("any kind means every event", func(t *testing.T) {
		evs, err := db.RecentEvents(ctx, alice, "", 0)
		if err != nil || len(evs) != 4 {
			t.Fatalf("got %d events, %v", len(evs), err)
		}
	})
	t.Run("an identical reply is stored once", func(t *testing.T) {
		var n int
		db.r.Get(&n, "SELECT COUNT(*) FROM replies WHERE text = 'Amazon looks at...'")
		if n != 1 {
			t.Errorf("%d copies", n)
		}
	})
	t.Run("a one-off reply is kept as it is, never shared nor looked up", func(t *testing.T) {
		const verdict = "Instagram: almost ready (score 72/100)."
		for range 2 {
			if err := db.RecordEvent(ctx, bot.Event{User: bob, Kind: bot.EventCommand, Command: "check", Reply: verdict, OneOffReply: true}); err != nil {
				t.Fatal(err)
			}
		}
		// A shared reply with the same words is not one of them.
		if err := db.RecordEvent(ctx, bot.Event{User: bob, Kind: bot.EventCommand, Command: "check", Reply: verdict}); err != nil {
			t.Fatal(err)
		}
		var oneOff, shared int
		db.r.Get(&oneOff, "SELECT COUNT(*) FROM replies WHERE text = ? AND hash = 0", verdict)
		db.r.Get(&shared, "SELECT COUNT(*) FROM replies WHERE text = ? AND hash <> 0", verdict)
		if oneOff != 2 || shared != 1 {
			t.Errorf("%d one-off rows and %d shared, want 2 and 1", oneOff, shared)
		}
		evs, err := db.RecentEvents(ctx, bob, bot.EventCommand, 3)
		if err != nil || len(evs) != 3 {
			t.Fatalf("got %d events, %v", len(evs), err)
		}
		for _, e := range evs {
			if e.Reply != verdict {
				t.Errorf("reply read back as %q", e.Reply)
			}
		}
	})
	t.Run("user text is capped", func(t *testing.T) {
		long := strings.Repeat("é", bot.MaxStoredText) // 2 bytes each
		if err := db.RecordEvent(ctx, bot.Event{User: bob, Kind: bot.EventQuestion, Text: long, Reply: long + long}); err != nil {
			t.Fatal(err)
		}
		evs, _ := db.RecentEvents(ctx, bob, "", 1)
		if len(evs) != 1 || len(evs[0].Text) > bot.MaxStoredText || len(evs[0].Reply) > bot.MaxStoredText || !strings.HasPrefix(long, evs[0].Text) {
			t.Errorf("text of %d bytes stored as %d", len(long), len(evs[0].Text))
		}
	})
	t.Run("an event without a user is refused", func(t *testing.T) {
		err := db.RecordEvent(ctx, bot.Event{Text: "who am I"})
		if bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a user with no history reads as empty", func(t *testing.T) {
		evs, err := db.RecentEvents(ctx, bot.UserRef{Platform: "discord", Tenant: "1", ID: "2"}, "", 10)
		if err != nil || len(evs) != 0 {
			t.Errorf("got %v, %v", evs, err)
		}
	})
}

func TestChecks(t *testing.T) { bothEngines(t, testChecks) }

func testChecks(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	for i, c := range []bot.CheckRecord{
		sampleCheck(alice, clk.Now(), 3900, 1.1, "borderline"),
		sampleCheck(alice, clk.Now().Add(24*time.Hour), 4200, 1.4, "borderline"),
		sampleCheck(alice, clk.Now().Add(48*time.Hour), 4600, 1.8, "ready"),
	} {
		// Without WantID a check is queued ahead of its request's event
		// and its id is not waited for (see TestHistoryBehindCheckID).
		c.WantID = i%2 == 0
		id, err := db.SaveCheck(ctx, c)
		if err != nil || (c.WantID && id <= 0) {
			t.Fatalf("check %d: id %d, %v", i, id, err)
		}
	}
	t.Run("latest checks come newest first with every number", func(t *testing.T) {
		cs, err := db.LatestChecks(ctx, alice, 2)
		if err != nil || len(cs) != 2 {
			t.Fatalf("got %d, %v", len(cs), err)
		}
		c := cs[0]
		if c.Followers != 4600 || c.EngagementRate != 1.8 || c.Verdict != "ready" || *c.Likes != 120 || c.Shares != nil ||
			c.Niche != "home decor" || string(c.Result) != `{"followers":4600,"verdict":"ready"}` || cs[1].Followers != 4200 {
			t.Errorf("got %+v", c)
		}
	})
	t.Run("an export says null for an engagement rate that was not measured", func(t *testing.T) {
		c := sampleCheck(bob, clk.Now(), 5000, 0, "borderline")
		c.Likes = nil
		if _, err := db.SaveCheck(ctx, c); err != nil {
			t.Fatal(err)
		}
		x, err := db.Export(ctx, bob)
		if err != nil || len(x.Checks) != 1 {
			t.Fatalf("%v, %v", x, err)
		}
		if x.Checks[0].EngagementRate != nil {
			t.Errorf("engagement_rate %v, want null", *x.Checks[0].EngagementRate)
		}
		if x, _ := db.Export(ctx, alice); x.Checks[0].EngagementRate == nil || *x.Checks[0].EngagementRate != 1.1 {
			t.Errorf("a measured rate: %v", x.Checks[0].EngagementRate)
		}
	})
	bad := []struct {
		name string
		mod  func(*bot.CheckRecord)
	}{
		{"negative followers are refused", func(c *bot.CheckRecord) { c.Followers = -1 }},
		{"a negative rate is refused", func(c *bot.CheckRecord) { c.EngagementRate = -3 }},
		{"a result that is not JSON is refused", func(c *bot.CheckRecord) { c.Result = []byte("{oops") }},
		{"a check without a verdict is refused", func(c *bot.CheckRecord) { c.Verdict = "" }},
		{"a check without a user is refused", func(c *bot.CheckRecord) { c.User = bot.UserRef{} }},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			c := sampleCheck(alice, clk.Now(), 100, 1, "not_yet")
			tt.mod(&c)
			if _, err := db.SaveCheck(ctx, c); bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("got %v, want %s", err, bot.EINVALID)
			}
		})
	}
}

func TestUnansweredTopicsGroupAndCount(t *testing.T) {
	bothEngines(t, testUnansweredTopicsGroupAndCount)
}

func testUnansweredTopicsGroupAndCount(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	carol := bot.UserRef{Platform: "console", Tenant: "local", ID: "carol"}
	ask := func(u bot.UserRef, text string) {
		t.Helper()
		clk.Add(time.Minute)
		if err := db.LogUnanswered(ctx, bot.UnansweredQuestion{User: u, Time: clk.Now(), Text: text, Suggestions: []string{"platforms"}}); err != nil {
			t.Fatal(err)
		}
	}
	ask(alice, "How do I link TikTok??")
	ask(bob, "how do i link tiktok")
	ask(carol, "How do I link TikTok")
	ask(alice, "can I use two storefronts")
	ask(bob, "can i use two storefronts?")
	ask(alice, "what about threads")
	ask(alice, "???") // nothing to answer: not logged

	topics, err := db.UnansweredTopics(ctx, alice.TenantRef(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(topics) != 3 {
		t.Fatalf("got %d groups: %+v", len(topics), topics)
	}
	want := []struct {
		text         string
		count, users int
	}{{"How do I link TikTok", 3, 3}, {"can i use two storefronts?", 2, 2}, {"what about threads", 1, 1}}
	for i, w := range want {
		g := topics[i]
		if g.Text != w.text || g.Count != w.count || g.Users != w.users {
			t.Errorf("group %d = %+v, want %+v", i, g, w)
		}
	}
	if !topics[0].Last.After(topics[0].First) {
		t.Errorf("first %v, last %v", topics[0].First, topics[0].Last)
	}
	if top, _ := db.UnansweredTopics(ctx, alice.TenantRef(), 1); len(top) != 1 {
		t.Errorf("limit 1 gave %d", len(top))
	}
}

func TestTenantsCannotSeeOrChangeEachOther(t *testing.T) {
	bothEngines(t, testTenantsCannotSeeOrChangeEachOther)
}

func testTenantsCannotSeeOrChangeEachOther(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	// The same user id in three workspaces is three users.
	a := bot.UserRef{Platform: "discord", Tenant: "guildA", ID: "42"}
	b := bot.UserRef{Platform: "discord", Tenant: "guildB", ID: "42"}
	s := bot.UserRef{Platform: "slack", Tenant: "guildA", ID: "42"}
	users := []bot.UserRef{a, b, s}
	for _, u := range users {
		for i := range 3 {
			if err := db.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: "question from " + u.String(), Reply: fmt.Sprint(i)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SaveCheck(ctx, sampleCheck(u, clk.Now(), 1000, 2, "not_yet")); err != nil {
			t.Fatal(err)
		}
		if err := db.LogUnanswered(ctx, bot.UnansweredQuestion{User: u, Text: "unanswered in " + u.String()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddAdmin(ctx, a.TenantRef(), "42", "7"); err != nil {
		t.Fatal(err)
	}

	for _, u := range users {
		t.Run(u.String()+" reads only its own rows", func(t *testing.T) {
			evs, err := db.RecentEvents(ctx, u, "", 100)
			if err != nil || len(evs) != 3 {
				t.Fatalf("%d events, %v", len(evs), err)
			}
			for _, e := range evs {
				if e.Text != "question from "+u.String() {
					t.Errorf("sees %q", e.Text)
				}
			}
			cs, _ := db.LatestChecks(ctx, u, 100)
			if len(cs) != 1 {
				t.Errorf("%d checks", len(cs))
			}
			topics, _ := db.UnansweredTopics(ctx, u.TenantRef(), 100)
			if len(topics) != 1 || topics[0].Text != "unanswered in "+u.String() {
				t.Errorf("unanswered %+v", topics)
			}
			x, err := db.Export(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(x)
			for _, other := range users {
				if other != u && bytes.Contains(raw, []byte(other.String())) {
					t.Errorf("export of %s mentions %s", u, other)
				}
			}
		})
	}
	t.Run("an admin of one workspace is not an admin of another", func(t *testing.T) {
		for u, want := range map[bot.UserRef]bool{a: true, b: false, s: false} {
			if got, err := db.IsAdmin(ctx, u); got != want || err != nil {
				t.Errorf("IsAdmin(%s) = %v, %v", u, got, err)
			}
		}
		if removed, _ := db.RemoveAdmin(ctx, b.TenantRef(), "42"); removed {
			t.Error("removed an admin of another workspace")
		}
		if ok, _ := db.IsAdmin(ctx, a); !ok {
			t.Error("removing in guildB removed in guildA")
		}
	})
	t.Run("forgetting a user in one workspace leaves the same id elsewhere", func(t *testing.T) {
		if _, err := db.Forget(ctx, a); err != nil {
			t.Fatal(err)
		}
		for _, u := range []bot.UserRef{b, s} {
			evs, _ := db.RecentEvents(ctx, u, "", 100)
			cs, _ := db.LatestChecks(ctx, u, 100)
			topics, _ := db.UnansweredTopics(ctx, u.TenantRef(), 100)
			if len(evs) != 3 || len(cs) != 1 || len(topics) != 1 {
				t.Errorf("%s lost data: %d events, %d checks, %d unanswered", u, len(evs), len(cs), len(topics))
			}
		}
	})
}

func TestEveryTableIsPerUserOrKnownShared(t *testing.T) {
	bothEngines(t, testEveryTableIsPerUserOrKnownShared)
}

func testEveryTableIsPerUserOrKnownShared(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	// Tables that hold no row about one user, or (replies) whose rows forget
	// erases with the user's events. replays holds opaque keys (hashes,
	// event ids) that expire within minutes, and replay_marks their
	// fingerprints (0008). answers holds the shipped knowledge's answers
	// word for word (0011), nothing a user wrote. slack_installs and
	// slack_install_teams are per workspace, erased with it
	// (PurgeSlackWorkspaces).
	shared := map[string]bool{"users": true, "replies": true, "answers": true, "store_meta": true, "schema_migrations": true, "replays": true, "replay_marks": true,
		"slack_installs": true, "slack_install_teams": true}
	// The dashboard's (0006): a workspace's own knowledge and audit log,
	// and sign-in tokens and sessions (credentials, kept out of exports).
	for _, name := range []string{"dashboard_tokens", "dashboard_sessions", "workspace_faq", "workspace_knowledge", "unanswered_resolved", "dashboard_audit"} {
		shared[name] = true
	}
	tables, err := db.userTables(ctx, db.r)
	if err != nil {
		t.Fatal(err)
	}
	perUser := map[string]bool{}
	for _, ut := range tables {
		perUser[ut.name] = true
	}
	for _, name := range tableNames(t, db) {
		t.Run("table "+name+" is exported and erased with its user, or shared", func(t *testing.T) {
			if !perUser[name] && !shared[name] {
				t.Errorf("table %s has neither platform, tenant, user_id columns nor a foreign key to users: "+
					"export and forget would miss its rows", name)
			}
		})
	}
}

// perUserTables is a stand-in for a later migration's tables: scoped by
// columns, by a foreign key without cascade, and one that refers to
// another per-user table.
const perUserTables = `
CREATE TABLE tasks (
	id INTEGER PRIMARY KEY, platform TEXT NOT NULL, tenant TEXT NOT NULL, user_id TEXT NOT NULL,
	title TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE nudges (
	id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL REFERENCES tasks (id),
	platform TEXT NOT NULL, tenant TEXT NOT NULL, user_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE plans (
	id INTEGER PRIMARY KEY, owner INTEGER NOT NULL REFERENCES users (id), note BLOB);
CREATE TABLE settings (k TEXT PRIMARY KEY, v TEXT);
`

// TestExportAndForgetCoverEveryRowAboutAUser is SQLite's: it reads the
// database file's bytes. PostgreSQL's export and forget run over the real
// schema in TestExportAndForgetCoverPlansAndNudges and the history tests.
func TestExportAndForgetCoverEveryRowAboutAUser(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "influbot.db")
	// Version 0001 (with the conversation context's table of 0003, the
	// events' context column of 0009 and the answers of 0011, which the
	// store's reads and writes need) and stand-ins for later tables, which the store's code does
	// not know.
	db, err := openWith(t, path, embeddedUpTo(t, 1, map[string]string{
		"0003_conversation_context.sql": embeddedSQL(t, 3),
		"0009_event_context.sql":        embeddedSQL(t, 9),
		"0011_answers.sql":              embeddedSQL(t, 11),
		"9001_test_tasks.sql":           perUserTables,
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	secret := "MY-SECRET-QUESTION-ABOUT-XYZZY-STOREFRONTS"
	seed := func(u bot.UserRef, marker string) {
		t.Helper()
		for i := range 300 {
			text := fmt.Sprintf("%s #%d %s", marker, i, strings.Repeat("padding ", 20))
			if err := db.RecordEvent(ctx, bot.Event{User: u, Kind: bot.EventQuestion, Text: text, Reply: "reply to " + text}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.LogUnanswered(ctx, bot.UnansweredQuestion{User: u, Text: marker + " unanswered", Suggestions: []string{"a", "b"}}); err != nil {
			t.Fatal(err)
		}
		c := sampleCheck(u, time.Time{}, 4000, 1.5, "borderline")
		c.Niche = marker + " niche"
		if _, err := db.SaveCheck(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := db.AddAdmin(ctx, u.TenantRef(), u.ID, ""); err != nil {
			t.Fatal(err)
		}
		res := db.w.MustExec(`INSERT INTO tasks (platform, tenant, user_id, title, created_at) VALUES (?, ?, ?, ?, 1)`, u.Platform, u.Tenant, u.ID, marker+" task")
		task, _ := res.LastInsertId()
		db.w.MustExec(`INSERT INTO nudges (task_id, platform, tenant, user_id, body) VALUES (?, ?, ?, ?, ?)`, task, u.Platform, u.Tenant, u.ID, marker+" nudge")
		var pk int64
		db.w.Get(&pk, `SELECT id FROM users WHERE platform = ? AND tenant = ? AND user_id = ?`, u.Platform, u.Tenant, u.ID)
		db.w.MustExec(`INSERT INTO plans (owner, note) VALUES (?, ?)`, pk, []byte(marker+" plan"))
	}
	seed(alice, secret)
	seed(bob, "BOB-KEEPS-HIS-DATA")
	db.w.MustExec(`INSERT INTO settings VALUES ('k', 'v')`)
	// Part of alice's history reaches the database file, part stays in the WAL.
	db.w.MustExec("PRAGMA wal_checkpoint(TRUNCATE)")
	for i := range 50 {
		if err := db.RecordEvent(ctx, bot.Event{User: alice, Kind: bot.EventQuestion, Text: fmt.Sprintf("%s late #%d", secret, i)}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("export holds every row about the user", func(t *testing.T) {
		x, err := db.Export(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Events) != 350 || len(x.Checks) != 1 || len(x.Unanswered) != 1 || len(x.Tasks) != 1 || len(x.Nudges) != 1 {
			t.Fatalf("events %d checks %d unanswered %d tasks %d nudges %d", len(x.Events), len(x.Checks), len(x.Unanswered), len(x.Tasks), len(x.Nudges))
		}
		if len(x.Other["plans"]) != 1 || len(x.Other["tenant_admins"]) != 1 || x.Other["settings"] != nil {
			t.Errorf("other tables: %v", x.Other)
		}
		if x.Tasks[0]["title"] != secret+" task" || x.Other["plans"][0]["note"] != secret+" plan" {
			t.Errorf("rows: %v %v", x.Tasks, x.Other["plans"])
		}
		if x.User.Ref != "console:local:alice" || x.User.FirstSeen == nil {
			t.Errorf("user: %+v", x.User)
		}
		raw, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("BOB-KEEPS")) {
			t.Error("export holds another user's data")
		}
		if !json.Valid(raw) || !bytes.Contains(raw, []byte(`"result":{"followers":4000`)) {
			t.Errorf("check result not embedded as JSON: %s", raw[:200])
		}
	})

	t.Run("the secret is in the files before forgetting", func(t *testing.T) {
		if !inFiles(t, path, secret) {
			t.Fatal("the test proves nothing: the secret was never written")
		}
	})

	rep, err := db.Forget(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("forget reports what it erased", func(t *testing.T) {
		want := map[string]int64{"events": 350, "checks": 1, "unanswered": 1, "tasks": 1, "nudges": 1, "plans": 1, "tenant_admins": 1, "users": 1}
		for k, v := range want {
			if rep.Rows[k] != v {
				t.Errorf("%s: %d erased, want %d (report %v)", k, rep.Rows[k], v, rep.Rows)
			}
		}
	})
	t.Run("nothing about the user is left", func(t *testing.T) {
		x, err := db.Export(ctx, alice)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Events)+len(x.Checks)+len(x.Unanswered)+len(x.Tasks)+len(x.Nudges)+len(x.Other) != 0 || x.User.FirstSeen != nil {
			t.Errorf("left: %+v", x)
		}
		raw, _ := json.Marshal(x)
		for _, key := range []string{`"events":[]`, `"checks":[]`, `"tasks":[]`, `"nudges":[]`, `"unanswered":[]`} {
			if !bytes.Contains(raw, []byte(key)) {
				t.Errorf("export of nothing lacks %s: %s", key, raw)
			}
		}
	})
	t.Run("the forgotten text is in neither the database file nor the WAL", func(t *testing.T) {
		if inFiles(t, path, secret) {
			t.Error("found the forgotten text in the raw bytes")
		}
		if inFiles(t, path, "MY-SECRET") {
			t.Error("found part of the forgotten text in the raw bytes")
		}
	})
	t.Run("other users keep everything", func(t *testing.T) {
		x, err := db.Export(ctx, bob)
		if err != nil || len(x.Events) != 300 || len(x.Tasks) != 1 || len(x.Nudges) != 1 || len(x.Other["plans"]) != 1 {
			t.Fatalf("bob: %v, %v", x, err)
		}
		if x.Events[0].Reply == "" {
			t.Error("bob's replies went with alice's")
		}
		if !inFiles(t, path, "BOB-KEEPS-HIS-DATA") {
			t.Error("bob's text is gone from the files")
		}
	})
	t.Run("the database is consistent", func(t *testing.T) {
		var res string
		db.r.Get(&res, "PRAGMA integrity_check")
		var fk []struct {
			Table string `db:"table"`
		}
		db.r.Select(&fk, `SELECT "table" FROM pragma_foreign_key_check`)
		var orphans int
		db.r.Get(&orphans, `SELECT COUNT(*) FROM replies WHERE NOT EXISTS (SELECT 1 FROM events WHERE reply_pk = replies.id)`)
		if res != "ok" || len(fk) != 0 || orphans != 0 {
			t.Errorf("integrity %q, foreign key violations %v, orphan replies %d", res, fk, orphans)
		}
	})
	t.Run("forgetting someone unknown erases nothing and succeeds", func(t *testing.T) {
		rep, err := db.Forget(ctx, bot.UserRef{Platform: "slack", Tenant: "T1", ID: "U1"})
		if err != nil || rep.Total() != 0 {
			t.Errorf("got %v, %v", rep, err)
		}
	})
}

// inFiles reports whether s occurs in the raw bytes of the database, its
// WAL or its shared-memory file.
func inFiles(t *testing.T, path, s string) bool {
	t.Helper()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			t.Logf("%q found in %s", s, filepath.Base(p))
			return true
		}
	}
	return false
}

func TestAdmins(t *testing.T) { bothEngines(t, testAdmins) }

func testAdmins(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	g := bot.TenantRef{Platform: "discord", ID: "g1"}
	if err := db.AddAdmin(ctx, g, "100", "1"); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Minute)
	if err := db.AddAdmin(ctx, g, "200", "1"); err != nil {
		t.Fatal(err)
	}
	t.Run("adding twice is not an error", func(t *testing.T) {
		if err := db.AddAdmin(ctx, g, "100", "9"); err != nil {
			t.Error(err)
		}
	})
	t.Run("the list is oldest first", func(t *testing.T) {
		as, err := db.Admins(ctx, g)
		if err != nil || len(as) != 2 || as[0].UserID != "100" || as[0].AddedBy != "1" || as[1].UserID != "200" {
			t.Errorf("got %+v, %v", as, err)
		}
	})
	t.Run("removing reports whether they were there", func(t *testing.T) {
		if ok, err := db.RemoveAdmin(ctx, g, "100"); !ok || err != nil {
			t.Errorf("first removal: %v, %v", ok, err)
		}
		if ok, err := db.RemoveAdmin(ctx, g, "100"); ok || err != nil {
			t.Errorf("second removal: %v, %v", ok, err)
		}
	})
	for _, bad := range []string{"", "has space", "a:b", strings.Repeat("x", MaxUserID+1)} {
		t.Run(fmt.Sprintf("the user id %.12q is refused", bad), func(t *testing.T) {
			if err := db.AddAdmin(ctx, g, bad, ""); bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("got %v", err)
			}
		})
	}
}
