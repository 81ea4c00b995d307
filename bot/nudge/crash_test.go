package nudge_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

// seedDueNudges gives users*len(tasks) task nudges due at due, each user
// with a daily reminder and the tasks in their plan, through the store's
// API (fast enough for tens of thousands).
func seedDueNudges(tb testing.TB, db *store.DB, platform string, users int, tasks []string, due time.Time) []string {
	tb.Helper()
	ctx := context.Background()
	var keys []string
	for i := range users {
		u := bot.UserRef{Platform: platform, Tenant: "g" + fmt.Sprint(i%20), ID: fmt.Sprintf("u%06d", i)}
		if err := db.SaveReminder(ctx, bot.Reminder{User: u, Every: "daily", Minute: due.UTC().Hour()*60 + due.UTC().Minute(), Zone: "UTC", Quiet: "off"}); err != nil {
			tb.Fatal(err)
		}
		for _, id := range tasks {
			if err := db.SaveTask(ctx, bot.TaskState{User: u, TaskID: id, Status: bot.TaskActive, Reason: "engagement: 0.8% (want 1%+)", AcceptedAt: due.Add(-time.Hour)}); err != nil {
				tb.Fatal(err)
			}
			var b [10]byte
			rand.Read(b[:])
			key := hex.EncodeToString(b[:])
			if ok, err := db.Enqueue(ctx, bot.Nudge{User: u, Kind: bot.NudgeTask, TaskID: id, Slot: due, Due: due, Key: key}); err != nil || !ok {
				tb.Fatalf("enqueue: %v %v", ok, err)
			}
			keys = append(keys, key)
		}
	}
	return keys
}

func catalogIDs(tb testing.TB, n int) []string {
	kb, err := knowledge.LoadDir("")
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for _, t := range kb.Tasks[:n] {
		ids = append(ids, t.ID)
	}
	return ids
}

// fileNotifier is the crash test's platform: a delivery is a line appended
// to a file (one write, so SIGKILL cannot tear it), and like Discord with
// enforce_nonce it drops a key it has seen before, logging the repeat.
type fileNotifier struct {
	mu   sync.Mutex
	f    *os.File
	seen map[string]bool
}

func openFileNotifier(path string) (*fileNotifier, error) {
	n := &fileNotifier{seen: map[string]bool{}}
	if data, err := os.ReadFile(path); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, ok := strings.CutPrefix(line, "D "); ok {
				n.seen[k] = true
			}
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	n.f = f
	return n, err
}

func (n *fileNotifier) Notify(_ context.Context, _ bot.UserRef, _ bot.Reply, key string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.seen[key] {
		_, err := n.f.WriteString("R " + key + "\n")
		return err
	}
	n.seen[key] = true
	_, err := n.f.WriteString("D " + key + "\n")
	return err
}

// TestDispatchCrashChild is the dispatcher process TestDispatchSurvivesSIGKILL
// starts (twice) and kills; on its own it does nothing.
func TestDispatchCrashChild(t *testing.T) {
	dbPath, logPath := os.Getenv("INFLUBOT_CRASH_DB"), os.Getenv("INFLUBOT_CRASH_LOG")
	if dbPath == "" {
		t.Skip("helper process for TestDispatchSurvivesSIGKILL")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kb, err := knowledge.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Config{Knowledge: kb, Plans: db, Checks: db})
	if err != nil {
		t.Fatal(err)
	}
	note, err := openFileNotifier(logPath)
	if err != nil {
		t.Fatal(err)
	}
	// A send is bounded well inside the short lease, so a killed
	// process's claims run out within seconds.
	d := &nudge.Dispatcher{Composer: b, Queue: db, Notifier: note, Lease: 2 * time.Second, NotifyTimeout: time.Second, Limits: map[string]nudge.RateLimit{}}
	for {
		n, err := d.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			continue
		}
		// Leases left by a killed process run out within seconds.
		next, ok, err := db.NextDue(ctx, bot.ClaimRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if !ok || time.Until(next) > 10*time.Second {
			return
		}
		time.Sleep(max(time.Until(next), 10*time.Millisecond))
	}
}

// TestDispatchSurvivesSIGKILL kills a dispatcher with SIGKILL in the middle
// of sending 10,000 due nudges, restarts it, and checks the platform saw
// each nudge exactly once.
func TestDispatchSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns two processes and sends 10,000 nudges")
	}
	dir := t.TempDir()
	dbPath, logPath := filepath.Join(dir, "influbot.db"), filepath.Join(dir, "deliveries.log")
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	keys := seedDueNudges(t, db, bot.PlatformDiscord, 2000, catalogIDs(t, 5), time.Now().Add(-time.Minute))
	db.Close()

	child := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDispatchCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "INFLUBOT_CRASH_DB="+dbPath, "INFLUBOT_CRASH_LOG="+logPath)
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("child output:\n%s", out)
			}
		})
		return cmd
	}
	first := child()
	deadline := time.Now().Add(60 * time.Second)
	for lines(t, logPath) < 3000 {
		if time.Now().After(deadline) {
			first.Process.Kill()
			t.Fatal("the first dispatcher did not get going")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil { // SIGKILL: no cleanup, no deferred writes
		t.Fatal(err)
	}
	first.Wait()
	atKill := lines(t, logPath)
	if atKill >= len(keys) {
		t.Fatalf("the first dispatcher finished (%d deliveries) before it was killed; the test proves nothing", atKill)
	}

	second := child()
	done := make(chan error, 1)
	go func() { done <- second.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("restarted dispatcher: %v", err)
		}
	case <-time.After(2 * time.Minute):
		second.Process.Kill()
		t.Fatal("restarted dispatcher did not finish")
	}

	delivered, repeats := map[string]int{}, 0
	f, _ := os.Open(logPath)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		switch kind, key, _ := strings.Cut(sc.Text(), " "); kind {
		case "D":
			delivered[key]++
		case "R":
			repeats++
		case "U":
			t.Errorf("nudge %s handed to the platform again without MaybeSent", key)
		}
	}
	for _, k := range keys {
		if delivered[k] != 1 {
			t.Errorf("nudge %s delivered %d times", k, delivered[k])
		}
	}
	if len(delivered) != len(keys) {
		t.Errorf("%d distinct deliveries, want %d", len(delivered), len(keys))
	}
	db, err = store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sent, _ := db.ListNudges(context.Background(), bot.NudgeFilter{Status: bot.NudgeSent})
	if len(sent) != len(keys) {
		t.Errorf("%d nudges recorded as sent, want %d", len(sent), len(keys))
	}
	t.Logf("killed after %d of %d deliveries; after the restart every nudge was delivered exactly once; %d repeats reached the notifier (sent but not yet recorded at the kill) and were dropped by their idempotency key, each marked MaybeSent", atKill, len(keys), repeats)
}

func lines(t *testing.T, path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return strings.Count(string(data), "\n")
}
