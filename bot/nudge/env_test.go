package nudge_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
	"github.com/influbot/influbot/bot/nudge"
	"github.com/influbot/influbot/internal/fakeclock"
	"github.com/influbot/influbot/store"
)

var (
	maya = bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "maya"}
	theo = bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "guild1", ID: "theo"}
)

// simClock is the settable clock shared by the bot, the store and the
// dispatcher, so a test can live through weeks in milliseconds.
type simClock = fakeclock.Clock

// delivery is one message a fake notifier accepted.
type delivery struct {
	User  bot.UserRef
	Reply bot.Reply
	Key   string
	At    time.Time
}

// fakeNotifier records deliveries and, like Discord with enforce_nonce,
// drops a repeat of an idempotency key it has already seen (counting it).
// fail, when set, decides the outcome of each call first.
type fakeNotifier struct {
	mu      sync.Mutex
	now     func() time.Time
	seen    map[string]bool
	got     []delivery
	repeats int
	calls   int
	fail    func(call int, u bot.UserRef) error
	after   func(d delivery) // runs after a delivery, outside the lock
}

func (f *fakeNotifier) Notify(ctx context.Context, u bot.UserRef, r bot.Reply, key string) error {
	f.mu.Lock()
	f.calls++
	if f.fail != nil {
		if err := f.fail(f.calls, u); err != nil {
			f.mu.Unlock()
			return err
		}
	}
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if f.seen[key] {
		f.repeats++
		f.mu.Unlock()
		return nil
	}
	f.seen[key] = true
	d := delivery{User: u, Reply: r, Key: key, At: f.now()}
	f.got = append(f.got, d)
	after := f.after
	f.mu.Unlock()
	if after != nil {
		after(d)
	}
	return nil
}

func (f *fakeNotifier) deliveries() []delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]delivery(nil), f.got...)
}

// env is a dispatcher working for a core with a real SQLite store, all on
// a simulated clock.
type env struct {
	t    testing.TB
	clk  *simClock
	db   *store.DB
	bot  *bottest.Bot
	note *fakeNotifier
	disp *nudge.Dispatcher
}

func newEnv(t testing.TB, start time.Time) *env {
	t.Helper()
	clk := fakeclock.New(start)
	db := store.New(filepath.Join(t.TempDir(), "influbot.db"))
	db.Now = clk.Now
	if err := db.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := bottest.New(t, bot.Config{Plans: db, Checks: db, Now: clk.Now})
	note := &fakeNotifier{now: clk.Now}
	disp := &nudge.Dispatcher{Composer: b.Bot, Queue: db, Notifier: note, Now: clk.Now, Sleep: clk.Sleep, Limits: map[string]nudge.RateLimit{}, Concurrency: 1}
	return &env{t: t, clk: clk, db: db, bot: b, note: note, disp: disp}
}

// saveCheck stores a check for u with the given criterion statuses, the
// way the check command would.
func (e *env) saveCheck(u bot.UserRef, platform string, statuses map[string]string) {
	e.t.Helper()
	type crit struct {
		Name   string `json:"name"`
		Status string `json:"status"`
		Detail string `json:"detail"`
	}
	var cs []crit
	for _, name := range []string{"followers", "engagement", "cadence"} {
		if st, ok := statuses[name]; ok {
			cs = append(cs, crit{name, st, fmt.Sprintf("%s is %s", name, st)})
		}
	}
	res, _ := json.Marshal(map[string]any{"platform": platform, "verdict": "not_yet", "score": 40, "criteria": cs})
	if _, err := e.db.SaveCheck(context.Background(), bot.CheckRecord{User: u, Time: e.clk.Now(), Platform: platform, Followers: 3200, EngagementRate: 0.8, Verdict: "not_yet", Score: 40, Result: res}); err != nil {
		e.t.Fatal(err)
	}
}

// run dispatches until nothing is due at the current simulated time.
func (e *env) run() {
	e.t.Helper()
	for range 1000 {
		n, err := e.disp.RunOnce(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	e.t.Fatal("dispatch did not settle")
}

// runUntil lives through simulated time up to end, jumping from one due
// nudge to the next.
func (e *env) runUntil(end time.Time) {
	e.t.Helper()
	ctx := context.Background()
	for {
		e.run()
		next, ok, err := e.db.NextDue(ctx, bot.ClaimRequest{})
		if err != nil {
			e.t.Fatal(err)
		}
		if !ok || next.After(end) {
			e.clk.Set(end)
			return
		}
		e.clk.Set(next)
	}
}

func (e *env) as(u bot.UserRef) *bottest.Bot { return e.bot.As(u) }

func countPrefix(ds []delivery, prefix string) int {
	n := 0
	for _, d := range ds {
		if strings.HasPrefix(d.Reply.Title, prefix) {
			n++
		}
	}
	return n
}

// seedDue gives each user a plan of accepted tasks and a daily reminder so
// that their task nudges are due now.
func seedDue(t testing.TB, e *env, users []bot.UserRef) {
	t.Helper()
	for _, u := range users {
		e.saveCheck(u, "instagram", map[string]string{"followers": "fail", "engagement": "fail", "cadence": "warn"})
		b := e.as(u)
		b.Say("plan")
		b.Say("plan accept")
		now := e.clk.Now().UTC()
		if r := b.Say(fmt.Sprintf("remind daily at %02d:%02d UTC", now.Hour(), now.Minute()+1)); r.Title != "Reminders on" {
			t.Fatalf("remind: %s", r.Text)
		}
	}
	e.clk.Add(time.Minute)
}
