package nudge_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
)

// keyCounter is a notifier that, like Slack without a history check, shows
// every call: a repeated key is a nudge shown twice. It takes delay of real
// time per call, and can be held (a notifier that ignores its context).
type keyCounter struct {
	mu        sync.Mutex
	delay     time.Duration
	hold      chan struct{} // when set, calls block on it, ignoring ctx
	per       map[string]int
	calls     int
	maybeSent map[string]bool // MaybeSent of the last call per key
}

func (k *keyCounter) count(key string, maybe bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.per == nil {
		k.per, k.maybeSent = map[string]int{}, map[string]bool{}
	}
	k.per[key]++
	k.calls++
	k.maybeSent[key] = maybe
}

func (k *keyCounter) Notify(ctx context.Context, u bot.UserRef, r bot.Reply, key string) error {
	return k.NotifyNudge(ctx, bot.Outgoing{User: u, Reply: r, Key: key})
}

func (k *keyCounter) NotifyNudge(ctx context.Context, o bot.Outgoing) error {
	k.count(o.Key, o.MaybeSent)
	if k.hold != nil {
		<-k.hold
	}
	time.Sleep(k.delay)
	return nil
}

func (k *keyCounter) snapshot() (map[string]int, int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := map[string]int{}
	for key, n := range k.per {
		out[key] = n
	}
	return out, k.calls
}

// TestSlowRateLimitedBatchSendsEachKeyOnce is issue 15 finding 1: a batch
// that takes longer than the record deadline must still fence and record
// every send, so no key is sent twice and none is held back.
func TestSlowRateLimitedBatchSendsEachKeyOnce(t *testing.T) {
	e := newEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
	var users []bot.UserRef
	for i := range 20 {
		users = append(users, bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T1", ID: fmt.Sprint("U", i)})
	}
	seedDue(t, e, users)
	due, err := e.db.DueWithin(context.Background(), e.clk.Now(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	note := &keyCounter{delay: 4 * time.Millisecond}
	e.disp.Notifier = note
	e.disp.Limits = map[string]nudge.RateLimit{bot.PlatformSlack: {PerSecond: 20, Burst: 10}}
	// The batch takes about 20 x 3 x 4ms = 240ms of real time, well past
	// the deadline each database step gets.
	e.disp.RecordTimeout = 60 * time.Millisecond
	e.runUntil(e.clk.Now().Add(30 * time.Minute))
	per, calls := note.snapshot()
	for key, n := range per {
		if n != 1 {
			t.Errorf("key %s sent %d times", key, n)
		}
	}
	if len(per) != len(due) || calls != len(due) {
		t.Errorf("%d calls for %d keys, want exactly one per each of the %d due nudges", calls, len(per), len(due))
	}
}

// TestNotifierIgnoringItsContext: the send timeout is the dispatcher's,
// not the notifier's; a hung send is not started again while it hangs,
// and the retry after it tells the notifier it may have been shown.
func TestNotifierIgnoringItsContext(t *testing.T) {
	e := newEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
	seedDue(t, e, []bot.UserRef{theo})
	note := &keyCounter{hold: make(chan struct{})}
	e.disp.Notifier = note
	e.disp.Concurrency = 4
	e.disp.NotifyTimeout = 50 * time.Millisecond
	done := make(chan error, 1)
	go func() { _, err := e.disp.RunOnce(context.Background()); done <- err }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		close(note.hold)
		t.Fatal("RunOnce waited on a notifier that ignores its context")
	}
	_, first := note.snapshot()
	// Well past every lease and retry: still hung, so not called again.
	for range 5 {
		e.clk.Add(2 * time.Hour)
		e.run()
	}
	if _, calls := note.snapshot(); calls != first {
		t.Fatalf("notifier called %d times while its first %d calls hung", calls, first)
	}
	close(note.hold)
	time.Sleep(20 * time.Millisecond) // let the hung calls return
	e.clk.Add(2 * time.Hour)
	e.run()
	per, _ := note.snapshot()
	for key, n := range per {
		if n > 1 && !note.maybeSent[key] {
			t.Errorf("key %s sent again without MaybeSent", key)
		}
	}
}

// TestReclaimedNudgeIsMaybeSent is issue 15 finding 2 (dispatch side): a
// nudge handed to the platform by a dispatcher that died before recording
// it reaches the next dispatcher marked MaybeSent; a fresh one does not.
func TestReclaimedNudgeIsMaybeSent(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
	seedDue(t, e, []bot.UserRef{theo})
	now := e.clk.Now()
	claimed, err := e.db.ClaimDue(ctx, bot.ClaimRequest{Owner: "dead", Now: now, LeaseUntil: now.Add(time.Minute), Limit: 1})
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %d %v", len(claimed), err)
	}
	if n, err := e.db.MarkSending(ctx, "dead", []int64{claimed[0].ID}, now); err != nil || n != 1 {
		t.Fatalf("mark sending: %d %v", n, err)
	}
	// The dispatcher dies here, after the post and before the record.
	e.clk.Add(2 * time.Minute)
	note := &keyCounter{}
	e.disp.Notifier = note
	e.run()
	per, _ := note.snapshot()
	if per[claimed[0].Key] != 1 || !note.maybeSent[claimed[0].Key] {
		t.Errorf("reclaimed nudge: sent %d times, MaybeSent %v; want once with MaybeSent", per[claimed[0].Key], note.maybeSent[claimed[0].Key])
	}
	for key := range per {
		if key != claimed[0].Key && note.maybeSent[key] {
			t.Errorf("fresh nudge %s marked MaybeSent", key)
		}
	}
}
