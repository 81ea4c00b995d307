package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

// otherProcess opens a second connection pool on db's file, as the CLI's
// forget or a second influbot would: its commits are another
// connection's.
func otherProcess(t *testing.T, db *DB) *sql.DB {
	t.Helper()
	other, err := sql.Open("sqlite3", db.Path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// commitSomething makes the commit loop run a batch (which checks for
// other processes' commits) and waits for it.
func commitSomething(t *testing.T, db *DB) {
	t.Helper()
	if err := db.RecordEvent(context.Background(), bot.Event{User: bob, Kind: bot.EventCommand, Command: "help"}); err != nil {
		t.Fatal(err)
	}
}

// noticeOthers are the two ways the store comes to see another process's
// commit: the commit loop's check at its next batch, or that check
// growing older than cacheFresh.
func noticeOthers() []struct {
	name   string
	notice func(t *testing.T, db *DB, clk *clock)
} {
	return []struct {
		name   string
		notice func(t *testing.T, db *DB, clk *clock)
	}{
		{"after the next batch", func(t *testing.T, db *DB, _ *clock) { commitSomething(t, db) }},
		{"once the last check is no longer fresh", func(t *testing.T, _ *DB, clk *clock) { clk.Add(cacheFresh + time.Millisecond) }},
	}
}

// TestCachesSeeOtherProcesses: the hot path's caches (conversation context,
// knowledge revision, interned replies) never serve what another process
// changed once the commit loop has run a batch since, nor once cacheFresh
// has passed without one.
func TestCachesSeeOtherProcesses(t *testing.T) {
	for _, tt := range noticeOthers() {
		t.Run(tt.name, func(t *testing.T) {
			db, clk := openTestDB(t)
			ctx := context.Background()
			tenant := alice.TenantRef()
			if err := db.SaveContext(ctx, bot.Conversation{User: alice, LastTopic: "reapply-tips", Updated: clk.Now()}); err != nil {
				t.Fatal(err)
			}
			if err := db.RecordEvent(ctx, bot.Event{User: alice, Kind: bot.EventQuestion, Text: "q", Reply: "the answer"}); err != nil {
				t.Fatal(err)
			}
			if err := db.SaveTask(ctx, bot.TaskState{User: alice, TaskID: "post-3x", Status: bot.TaskActive}); err != nil {
				t.Fatal(err)
			}
			if ts, err := db.Tasks(ctx, alice); len(ts) != 1 || err != nil {
				t.Fatalf("tasks = %v, %v", ts, err)
			}
			if _, err := db.SaveCheck(ctx, bot.CheckRecord{User: alice, Platform: "tiktok", Followers: 5000, Verdict: "not-yet"}); err != nil {
				t.Fatal(err)
			}
			if cs, err := db.LatestChecks(ctx, alice, 1); len(cs) != 1 || err != nil {
				t.Fatalf("latest check = %v, %v", cs, err)
			}
			// All are cached now, and fresh.
			if c, ok, err := db.LoadContext(ctx, alice); !ok || err != nil || c.LastTopic != "reapply-tips" {
				t.Fatalf("load = %+v, %v, %v", c, ok, err)
			}
			if rev, err := db.KnowledgeRevision(ctx, tenant); rev != 0 || err != nil {
				t.Fatalf("revision = %d, %v", rev, err)
			}

			other := otherProcess(t, db)
			for _, q := range []string{
				// The context, wherever it is kept (0009).
				`DELETE FROM conversation_context`,
				`UPDATE events SET context = NULL`,
				`DELETE FROM tasks`,
				`DELETE FROM checks`,
				`INSERT INTO workspace_knowledge (platform, tenant, revision) VALUES ('` + tenant.Platform + `', '` + tenant.ID + `', 7)`,
				`UPDATE events SET reply_pk = NULL`,
				`DELETE FROM replies`,
				// Another text takes the deleted reply's id.
				`INSERT INTO replies (id, hash, text) SELECT 1, 0, 'another text'`,
			} {
				if _, err := other.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			tt.notice(t, db, clk)

			if c, ok, err := db.LoadContext(ctx, alice); ok || err != nil {
				t.Errorf("context deleted by another process: load = %+v, %v, %v; want none", c, ok, err)
			}
			if ts, err := db.Tasks(ctx, alice); len(ts) != 0 || err != nil {
				t.Errorf("tasks deleted by another process: %v, %v; want none", ts, err)
			}
			if cs, err := db.LatestChecks(ctx, alice, 1); len(cs) != 0 || err != nil {
				t.Errorf("checks deleted by another process: %v, %v; want none", cs, err)
			}
			if rev, err := db.KnowledgeRevision(ctx, tenant); rev != 7 || err != nil {
				t.Errorf("revision = %d, %v; want 7, set by another process", rev, err)
			}
			if err := db.RecordEvent(ctx, bot.Event{User: alice, Kind: bot.EventQuestion, Text: "q2", Reply: "the answer"}); err != nil {
				t.Fatal(err)
			}
			evs, err := db.RecentEvents(ctx, alice, bot.EventQuestion, 1)
			if err != nil || len(evs) != 1 || evs[0].Reply != "the answer" {
				t.Errorf("latest event = %+v, %v; want its reply to read %q", evs, err, "the answer")
			}
		})
	}
}

// TestCachesFollowThisProcessWrites: a write of this process outside the
// hot path (forget, a knowledge edit) is seen at once, though the cache is
// fresh.
func TestCachesFollowThisProcessWrites(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	tenant := alice.TenantRef()
	if err := db.SaveContext(ctx, bot.Conversation{User: alice, LastTopic: "reapply-tips", Updated: clk.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordEvent(ctx, bot.Event{User: alice, Kind: bot.EventQuestion, Text: "q", Reply: "the answer"}); err != nil {
		t.Fatal(err)
	}
	if rev, err := db.KnowledgeRevision(ctx, tenant); rev != 0 || err != nil {
		t.Fatalf("revision = %d, %v", rev, err)
	}
	if ts, err := db.Tasks(ctx, alice); len(ts) != 0 || err != nil {
		t.Fatalf("tasks = %v, %v", ts, err)
	}
	if err := db.SaveTask(ctx, bot.TaskState{User: alice, TaskID: "post-3x", Status: bot.TaskActive}); err != nil {
		t.Fatal(err)
	}
	if ts, err := db.Tasks(ctx, alice); len(ts) != 1 || err != nil {
		t.Errorf("tasks after saving one = %v, %v; want it", ts, err)
	}
	// The latest check: none, cached as none, then each one saved, at
	// once, whether or not the save waited for its commit.
	if cs, err := db.LatestChecks(ctx, alice, 1); len(cs) != 0 || err != nil {
		t.Fatalf("latest check = %v, %v; want none", cs, err)
	}
	for i, want := range []int64{1200, 3400, 5600} {
		if _, err := db.SaveCheck(ctx, bot.CheckRecord{User: alice, Platform: "tiktok", Followers: want, Verdict: "not-yet", WantID: i == 1}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // read, then cached
			if cs, err := db.LatestChecks(ctx, alice, 1); len(cs) != 1 || err != nil || cs[0].Followers != want {
				t.Fatalf("latest check after saving %d = %+v, %v", want, cs, err)
			}
		}
	}
	if err := db.ChangeFAQ(ctx, FAQChange{Tenant: tenant, By: alice, Put: []FAQOverride{{ID: "new-entry", Title: "T", Answer: "A"}}}); err != nil {
		t.Fatal(err)
	}
	if rev, err := db.KnowledgeRevision(ctx, tenant); rev != 1 || err != nil {
		t.Errorf("revision after an edit = %d, %v; want 1", rev, err)
	}
	if _, err := db.Forget(ctx, alice); err != nil {
		t.Fatal(err)
	}
	if c, ok, err := db.LoadContext(ctx, alice); ok || err != nil {
		t.Errorf("context after forget = %+v, %v, %v; want none", c, ok, err)
	}
	if ts, err := db.Tasks(ctx, alice); len(ts) != 0 || err != nil {
		t.Errorf("tasks after forget = %v, %v; want none", ts, err)
	}
	if cs, err := db.LatestChecks(ctx, alice, 1); len(cs) != 0 || err != nil {
		t.Errorf("latest check after forget = %v, %v; want none", cs, err)
	}
	// The forgotten reply's row is gone; the same text is interned anew.
	if err := db.RecordEvent(ctx, bot.Event{User: alice, Kind: bot.EventQuestion, Text: "q", Reply: "the answer"}); err != nil {
		t.Fatalf("event after forget: %v", err)
	}
	evs, err := db.RecentEvents(ctx, alice, bot.EventQuestion, 1)
	if err != nil || len(evs) != 1 || evs[0].Reply != "the answer" {
		t.Errorf("latest event = %+v, %v", evs, err)
	}
}

// TestLatestCheckReadsItsOwnWrites: users saving checks and asking about
// them at the same time each read back the check they just saved, never
// an older one nor another user's (a cached entry is dropped while a
// check is on its way, and a read that raced a save is not kept).
func TestLatestCheckReadsItsOwnWrites(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T" + strconv.Itoa(w%2), ID: "U" + strconv.Itoa(w/2)}
			for i := range 40 {
				want := int64(1000*w + i + 1)
				if _, err := db.SaveCheck(ctx, bot.CheckRecord{User: u, Platform: "instagram", Followers: want, Verdict: "not-yet"}); err != nil {
					errs <- err
					return
				}
				for range 2 {
					cs, err := db.LatestChecks(ctx, u, 1)
					if err != nil || len(cs) != 1 || cs[0].Followers != want {
						errs <- fmt.Errorf("%s after saving %d: %+v, %v", u, want, cs, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestSavedCheckIsCachedAsItReadsBack: once a user's latest check is
// known, the check they save next is cached as it is committed, field for
// field what the database gives back (clipped text, missing numbers, the
// result JSON), with no read.
func TestSavedCheckIsCachedAsItReadsBack(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	commitSomething(t, db) // the first batch drops every cache: nothing is known of the file yet
	if cs, err := db.LatestChecks(ctx, alice, 1); len(cs) != 0 || err != nil {
		t.Fatalf("latest check = %v, %v; want none", cs, err)
	}
	likes, views := 412.5, 9000.0
	saved := bot.CheckRecord{User: alice, Time: clk.Now(), Platform: "instagram", Followers: 5200, Likes: &likes, Views: &views,
		Niche: strings.Repeat("home decor ", 30), EngagementRate: 0.081, EngagementBasis: "followers", Verdict: "almost", Score: 64,
		Result: []byte(`{"verdict":"almost","reasons":["few comments"]}`)}
	if _, err := db.SaveCheck(ctx, saved); err != nil {
		t.Fatal(err)
	}
	commitSomething(t, db) // the save's after hook has run
	db.cache.mu.Lock()
	row, cached := db.cache.checks[alice]
	db.cache.mu.Unlock()
	if !cached || row == nil {
		t.Fatalf("the saved check is not cached (%v, %v)", cached, row)
	}
	fromCache, err := db.LatestChecks(ctx, alice, 1)
	if err != nil || len(fromCache) != 1 {
		t.Fatalf("cached latest = %v, %v", fromCache, err)
	}
	fromDB, err := db.LatestChecks(ctx, alice, 2) // more than one: read from the database
	if err != nil || len(fromDB) != 1 {
		t.Fatalf("latest from the database = %v, %v", fromDB, err)
	}
	if !reflect.DeepEqual(fromCache[0], fromDB[0]) {
		t.Errorf("cached check\n%+v\nthe database's\n%+v", fromCache[0], fromDB[0])
	}
	if fromDB[0].Niche == saved.Niche || fromDB[0].Likes == nil || *fromDB[0].Likes != likes || fromDB[0].Comments != nil {
		t.Errorf("the test does not cover clipping and missing numbers: %+v", fromDB[0])
	}
	// A check saved with an earlier time (an import) is not the latest.
	older := bot.CheckRecord{User: alice, Time: clk.Now().Add(-time.Hour), Platform: "tiktok", Followers: 10, Verdict: "not-yet"}
	if _, err := db.SaveCheck(ctx, older); err != nil {
		t.Fatal(err)
	}
	commitSomething(t, db)
	if cs, err := db.LatestChecks(ctx, alice, 1); err != nil || len(cs) != 1 || cs[0].Platform != "instagram" {
		t.Errorf("after an older check was saved, latest = %+v, %v; want the instagram one still", cs, err)
	}
}

// TestCachedContextsStayInTheirWorkspace: the same user id in two
// workspaces (or on two platforms) has two contexts.
func TestCachedContextsStayInTheirWorkspace(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	users := []bot.UserRef{
		{Platform: bot.PlatformSlack, Tenant: "T1", ID: "U1"},
		{Platform: bot.PlatformSlack, Tenant: "T2", ID: "U1"},
		{Platform: bot.PlatformDiscord, Tenant: "T1", ID: "U1"},
	}
	if err := db.SaveContext(ctx, bot.Conversation{User: users[0], LastTopic: "only-T1", Updated: clk.Now()}); err != nil {
		t.Fatal(err)
	}
	commitSomething(t, db)
	for round := range 2 { // cold, then cached
		for i, u := range users {
			c, ok, err := db.LoadContext(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if want := i == 0; ok != want || (ok && c.LastTopic != "only-T1") {
				t.Errorf("round %d: %s: ok=%v topic=%q; want ok=%v", round, u, ok, c.LastTopic, want)
			}
		}
	}
}

// TestCachesStayBounded: many users and workspaces do not grow the caches
// past their limits.
func TestCachesStayBounded(t *testing.T) {
	var c caches
	now := time.Now()
	c.validated = now
	for i := range maxCachedContexts + 500 {
		u := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T", ID: string(rune('a'+i%26)) + time.Duration(i).String()}
		c.fillContext(u, contextRow{Topic: "x"}, true, c.gen)
		seq := c.saveContext(u, contextRow{Topic: "y"}, nil)
		c.saved(u, seq, nil, true)
		c.fillRevision(bot.TenantRef{Platform: bot.PlatformSlack, ID: u.ID}, 1, c.gen)
	}
	if n := len(c.contexts); n > maxCachedContexts {
		t.Errorf("%d contexts cached; limit %d", n, maxCachedContexts)
	}
	for i := range maxCachedChecks + 10 {
		c.fillLatestCheck(bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T", ID: time.Duration(i).String()}, &checkRow{}, checkToken{epoch: c.checkEpoch, saves: c.checkSaves})
		c.checkSaving(bot.UserRef{Platform: bot.PlatformSlack, Tenant: "S", ID: time.Duration(i).String()})
	}
	if n := len(c.checks); n > maxCachedChecks {
		t.Errorf("%d latest checks cached; limit %d", n, maxCachedChecks)
	}
	if n := len(c.lastCheckSave); n > 4*maxCachedChecks {
		t.Errorf("%d users' last check saves kept; limit %d", n, 4*maxCachedChecks)
	}
	if n := len(c.revs); n > maxCachedRevisions {
		t.Errorf("%d revisions cached; limit %d", n, maxCachedRevisions)
	}
	for i := range maxCachedReplies + 10 {
		c.fillReply(time.Duration(i).String(), int64(i))
		c.publishIDs(true)
	}
	if n := len(c.replies); n > maxCachedReplies {
		t.Errorf("%d replies cached; limit %d", n, maxCachedReplies)
	}
}

// TestLastSeenIsWrittenAtMostOnceAMinute: a user who keeps talking has
// their row's last_seen rewritten once a minute, not by every batch; an
// earlier first_seen is always written.
func TestLastSeenIsWrittenAtMostOnceAMinute(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	t0 := clk.Now()
	steps := []struct {
		name        string
		at          time.Duration // of the event, from t0
		first, last time.Duration // seen times stored after it
	}{
		{"a new user's row", 0, 0, 0},
		{"the first event with the id cached writes", 10 * time.Second, 0, 10 * time.Second},
		{"within a minute of that write: not written", 50 * time.Second, 0, 10 * time.Second},
		{"a minute later: written", 71 * time.Second, 0, 71 * time.Second},
		{"an earlier first_seen is always written", -time.Hour, -time.Hour, 71 * time.Second},
	}
	for _, st := range steps {
		if err := db.RecordEvent(ctx, bot.Event{User: alice, Time: t0.Add(st.at), Kind: bot.EventCommand, Command: "help"}); err != nil {
			t.Fatal(err)
		}
		var first, last int64
		if err := db.r.QueryRowContext(ctx, `SELECT first_seen, last_seen FROM users WHERE user_id = ?`, alice.ID).Scan(&first, &last); err != nil {
			t.Fatal(err)
		}
		if first != t0.Add(st.first).UnixMilli() || last != t0.Add(st.last).UnixMilli() {
			t.Errorf("%s: seen from %v to %v; want %v to %v", st.name, fromMilli(first).Sub(t0), fromMilli(last).Sub(t0), st.first, st.last)
		}
	}
}

// TestUserSeenTimesWithCachedIDs: with the user's row id cached, events
// (one by one and many in one batch) still widen first_seen and last_seen
// exactly as the upsert did; a row deleted by another process is made
// again.
func TestUserSeenTimesWithCachedIDs(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	t0 := clk.Now()
	record := func(at time.Time) {
		t.Helper()
		if err := db.RecordEvent(ctx, bot.Event{User: alice, Time: at, Kind: bot.EventCommand, Command: "help"}); err != nil {
			t.Fatal(err)
		}
	}
	seenTimes := func() (first, last int64) {
		t.Helper()
		if err := db.r.QueryRowContext(ctx, `SELECT first_seen, last_seen FROM users WHERE user_id = ?`, alice.ID).Scan(&first, &last); err != nil {
			t.Fatal(err)
		}
		return first, last
	}
	record(t0)
	record(t0.Add(time.Hour))
	record(t0.Add(-time.Hour))
	errs := make(chan error, 20)
	for i := range 20 { // some of these share a batch
		go func() {
			errs <- db.RecordEvent(ctx, bot.Event{User: alice, Time: t0.Add(time.Duration(i-10) * time.Minute), Kind: bot.EventCommand, Command: "help"})
		}()
	}
	for range 20 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if first, last := seenTimes(); first != t0.Add(-time.Hour).UnixMilli() || last != t0.Add(time.Hour).UnixMilli() {
		t.Errorf("seen from %v to %v; want %v to %v", fromMilli(first), fromMilli(last), t0.Add(-time.Hour), t0.Add(time.Hour))
	}

	other := otherProcess(t, db)
	for _, q := range []string{`DELETE FROM events`, `DELETE FROM users`} {
		if _, err := other.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	record(t0.Add(2 * time.Hour))
	if first, last := seenTimes(); first != t0.Add(2*time.Hour).UnixMilli() || last != first {
		t.Errorf("after another process deleted the user: seen from %v to %v; want both %v", fromMilli(first), fromMilli(last), t0.Add(2*time.Hour))
	}
}

// TestUnknownUsersHaveNoStoredContext: a user with no users row and no
// stored context is answered "no context" from the caches' list of known
// users, without a query; what another process stores, and what this
// process saved, are still found.
func TestUnknownUsersHaveNoStoredContext(t *testing.T) {
	for _, tt := range noticeOthers() {
		t.Run(tt.name, func(t *testing.T) {
			db, clk := openTestDB(t)
			ctx := context.Background()
			carol := bot.UserRef{Platform: "slack", Tenant: "T1", ID: "UCAROL"}
			erin := bot.UserRef{Platform: "slack", Tenant: "T1", ID: "UERIN"}
			commitSomething(t, db)
			if e, ok, _ := db.cache.context(carol, clk.Now()); !ok || e.exists {
				t.Fatalf("a user new to the database: cached %+v, %v; want no context, without reading it", e, ok)
			}
			if c, ok, err := db.LoadContext(ctx, carol); ok || err != nil {
				t.Fatalf("load = %+v, %v, %v; want none", c, ok, err)
			}

			// This process saves erin's context; once committed, its
			// entry goes (as the bound on entries would make it go).
			if err := db.SaveContext(ctx, bot.Conversation{User: erin, LastTopic: "storefront", Updated: clk.Now()}); err != nil {
				t.Fatal(err)
			}
			if err := db.RecordEvent(ctx, bot.Event{User: erin, Kind: bot.EventQuestion, Text: "q"}); err != nil {
				t.Fatal(err)
			}
			db.cache.mu.Lock()
			delete(db.cache.contexts, erin)
			db.cache.mu.Unlock()
			if c, ok, err := db.LoadContext(ctx, erin); !ok || err != nil || c.LastTopic != "storefront" {
				t.Errorf("a context this process saved, its entry gone: load = %+v, %v, %v; want it", c, ok, err)
			}

			// Another process stores carol's.
			other := otherProcess(t, db)
			if _, err := other.ExecContext(ctx, `INSERT INTO conversation_context
				(platform, tenant, user_id, last_topic, last_command, last_args, last_task, pending, updated_at)
				VALUES (?, ?, ?, 'payouts', '', '', '', '', ?)`, carol.Platform, carol.Tenant, carol.ID, clk.Now().UnixMilli()); err != nil {
				t.Fatal(err)
			}
			tt.notice(t, db, clk)
			if c, ok, err := db.LoadContext(ctx, carol); !ok || err != nil || c.LastTopic != "payouts" {
				t.Errorf("a context another process stored: load = %+v, %v, %v; want it", c, ok, err)
			}
		})
	}
}

// rereadKnown empties the known-users list and lets the next batch read
// it again at once.
func rereadKnown(c *caches) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.known, c.knownRead = nil, time.Time{}
}

// TestKnownUsersIncludeContextsOnTheirWay: the list of known users, read
// while a context is saved and not yet committed, has that user.
func TestKnownUsersIncludeContextsOnTheirWay(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	frank := bot.UserRef{Platform: "discord", Tenant: "G1", ID: "42"}
	c := &db.cache
	rereadKnown(c)
	c.saveContext(frank, contextRow{Topic: "giveaways", Updated: clk.Now().UnixMilli()}, nil) // queued, not committed
	tx, err := db.w.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := db.readKnown(ctx, tx); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.known == nil {
		t.Fatal("no list of known users after reading it")
	}
	if _, ok := c.known[frank]; !ok {
		t.Errorf("a user whose context is on its way is not in the known users %v", c.known)
	}
}

// TestKnownUsersListWhatABatchCommits: a context committed by a batch is
// listed even when its cache entry went before the batch (forget erased
// an earlier save) and the list was read in that batch.
func TestKnownUsersListWhatABatchCommits(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	gail := bot.UserRef{Platform: "slack", Tenant: "T2", ID: "UGAIL"}
	c := &db.cache
	rereadKnown(c)
	if err := db.SaveContext(ctx, bot.Conversation{User: gail, LastTopic: "taxes", Updated: clk.Now()}); err != nil {
		t.Fatal(err)
	}
	c.forgetUser(gail) // as a forget between the save and its batch would
	commitSomething(t, db)
	if c, ok, err := db.LoadContext(ctx, gail); !ok || err != nil || c.LastTopic != "taxes" {
		t.Errorf("load = %+v, %v, %v; want the committed context", c, ok, err)
	}
}
