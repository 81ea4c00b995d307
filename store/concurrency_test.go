package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

func TestConcurrentWritersNeverFail(t *testing.T) { bothEngines(t, testConcurrentWritersNeverFail) }

func testConcurrentWritersNeverFail(t *testing.T) {
	const writers = 8
	perWriter := 10_000
	if testing.Short() || onPostgres(t) {
		// PostgreSQL: each event is three round trips to the server in
		// its batch's transaction; 8,000 events prove the same as
		// 80,000, in seconds rather than minutes under -race.
		perWriter = 1_000
	}
	db, _ := openTestDB(t)
	ctx := context.Background()
	var failures atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	stopReaders := make(chan struct{})
	var readerWG sync.WaitGroup
	// Readers run alongside, as the history command would.
	for r := range 2 {
		readerWG.Add(1)
		go func() {
			defer readerWG.Done()
			u := bot.UserRef{Platform: "discord", Tenant: "g", ID: fmt.Sprint(r)}
			for {
				select {
				case <-stopReaders:
					return
				default:
				}
				if _, err := db.RecentEvents(ctx, u, bot.EventQuestion, 5); err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
				time.Sleep(time.Millisecond)
			}
		}()
	}
	start := time.Now()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := bot.UserRef{Platform: "discord", Tenant: "g", ID: fmt.Sprint(w)}
			for i := range perWriter {
				e := bot.Event{User: u, Kind: bot.EventQuestion, Command: "ask", Text: fmt.Sprintf("question %d from %d", i, w), Reply: "an answer", Answered: true}
				if err := db.RecordEvent(ctx, e); err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
				if i%1000 == 0 {
					// Unanswered questions and checks share the writer.
					db.LogUnanswered(ctx, bot.UnansweredQuestion{User: u, Text: "what about threads"})
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopReaders)
	readerWG.Wait()
	if n := failures.Load(); n != 0 {
		t.Fatalf("%d operations failed; first: %v", n, firstErr.Load())
	}
	var n int
	if err := db.r.Get(&n, "SELECT COUNT(*) FROM events"); err != nil {
		t.Fatal(err)
	}
	if n != writers*perWriter {
		t.Errorf("%d events stored, want %d", n, writers*perWriter)
	}
	t.Logf("%d events from %d writers in %v: %.0f events/s", n, writers, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
}

// crashChildEnv names the database a re-executed test binary writes to
// until it is killed.
const crashChildEnv = "INFLUBOT_STORE_CRASH_CHILD_DB"

func TestKilledWriterLosesNoCommittedRow(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterLosesNoCommittedRow$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed := map[string]bool{}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if text, ok := strings.CutPrefix(line, "committed "); ok {
			committed[text] = true
		}
		if len(committed) == 3000 {
			// Kill it in the middle of writing.
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	cmd.Wait()
	if len(committed) < 3000 {
		t.Fatalf("the child reported only %d commits before ending", len(committed))
	}

	db, err = Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer db.Close()
	var check string
	if err := db.r.Get(&check, "PRAGMA integrity_check"); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q, %v", check, err)
	}
	var texts []string
	if err := db.r.Select(&texts, "SELECT text FROM events"); err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	for _, s := range texts {
		stored[s] = true
	}
	missing := 0
	for text := range committed {
		if !stored[text] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d committed rows are missing after SIGKILL", missing, len(committed))
	}
	t.Logf("%d rows reported committed before SIGKILL, %d stored; all committed present", len(committed), len(stored))
}

// crashChild records events from four goroutines and reports each one on
// stdout once RecordEvent has returned, until it is killed.
func crashChild(path string) {
	db, err := Open(context.Background(), path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var mu sync.Mutex
	w := bufio.NewWriter(os.Stdout)
	for g := range 4 {
		go func() {
			u := bot.UserRef{Platform: "console", Tenant: "local", ID: fmt.Sprint("writer", g)}
			for i := 0; ; i++ {
				text := fmt.Sprintf("g%d-%d", g, i)
				if err := db.RecordEvent(context.Background(), bot.Event{User: u, Kind: bot.EventCommand, Text: text, Reply: "ok"}); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				mu.Lock()
				fmt.Fprintf(w, "committed %s\n", text)
				w.Flush()
				mu.Unlock()
			}
		}()
	}
	time.Sleep(time.Minute) // killed long before
	os.Exit(2)
}
