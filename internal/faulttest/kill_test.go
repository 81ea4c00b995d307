package faulttest

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Under load, SIGKILL at a random moment: every request Slack saw
// acknowledged must be answered and recorded, as found after a restart.
func TestSIGKILLUnderLoadOverSlackHTTP(t *testing.T) {
	runs := 2
	if full() {
		runs = 6
	}
	var acked, answered, recorded, lost, unacked int
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "influbot.db")
	var next atomic.Int64
	for run := range runs {
		f := newFakeSlack(t)
		s := startServer(t, f, dbPath)
		type result struct {
			token, kind string
			status      int
			body        []byte
		}
		var (
			mu      sync.Mutex
			results []result
			wg      sync.WaitGroup
			stop    atomic.Bool
		)
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !stop.Load() {
					n := next.Add(1)
					tok := fmt.Sprintf("zzq%d", n)
					text := "commission " + tok + " 80"
					var r result
					if n%2 == 0 {
						status, body, _ := s.post("/slack/commands", "application/x-www-form-urlencoded",
							slashCommand(f, fmt.Sprintf("U%d", w), "C1", text, tok))
						r = result{tok, "command", status, body}
					} else {
						status, body, _ := s.post("/slack/events", "application/json",
							directMessage("Ev"+tok, fmt.Sprintf("U%d", w), text))
						r = result{tok, "event", status, body}
					}
					mu.Lock()
					results = append(results, r)
					mu.Unlock()
					if r.status == 0 {
						return
					}
				}
			}()
		}
		time.Sleep(time.Duration(300+rand.IntN(700)) * time.Millisecond)
		s.kill()
		stop.Store(true)
		wg.Wait()

		// After a restart (the database is opened, its WAL recovered),
		// look for each acknowledged request's answer and record.
		texts := recordedTexts(t, dbPath)
		var runAcked, runLost int
		for _, r := range results {
			if r.status != 200 {
				unacked++
				continue
			}
			runAcked++
			shown := f.shown(r.token) || strings.Contains(string(r.body), r.token)
			kept := texts["commission "+r.token+" 80"]
			if shown {
				answered++
			}
			if kept {
				recorded++
			}
			if !shown || !kept {
				runLost++
				t.Errorf("run %d: %s %s was acknowledged but answered=%v recorded=%v (body %q)", run+1, r.kind, r.token, shown, kept, clipBody(r.body))
			}
		}
		acked += runAcked
		lost += runLost
		t.Logf("kill run %d: %d requests, %d acknowledged, %d of them lost", run+1, len(results), runAcked, runLost)
	}
	t.Logf("SIGKILL under load over Slack HTTP, %d runs: %d acknowledged, %d answered, %d recorded, %d lost; %d not acknowledged (in flight at the kill)",
		runs, acked, answered, recorded, lost, unacked)
	if acked == 0 {
		t.Fatal("no request was acknowledged: the load never reached the bot")
	}
}

func clipBody(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// The console: every answer printed was recorded, even when the process
// is killed right after printing it.
func TestSIGKILLUnderLoadOnTheConsole(t *testing.T) {
	runs := 2
	if full() {
		runs = 6
	}
	dbPath := filepath.Join(t.TempDir(), "influbot.db")
	var printed, recorded, lost int
	n := 0
	for run := range runs {
		cmd := exec.Command(binary, "chat", "--user=fault")
		cmd.Env = append(os.Environ(), "INFLUBOT_DB="+dbPath)
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var seen []string
		var mu sync.Mutex
		readDone := make(chan struct{})
		go func() {
			defer close(readDone)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				mu.Lock()
				seen = append(seen, tokens(sc.Text())...)
				mu.Unlock()
			}
		}()
		go func() {
			for i := 0; i < 100000; i++ {
				mu.Lock()
				n++
				line := fmt.Sprintf("commission zzq%d 80\n", n)
				mu.Unlock()
				if _, err := io.WriteString(stdin, line); err != nil {
					return
				}
			}
		}()
		// Kill it a moment after its first answer, mid-stream.
		for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(10 * time.Millisecond) {
			mu.Lock()
			started := len(seen) > 0
			mu.Unlock()
			if started {
				break
			}
		}
		time.Sleep(time.Duration(100+rand.IntN(700)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		<-readDone
		texts := recordedTexts(t, dbPath)
		mu.Lock()
		runLost := 0
		for _, tok := range seen {
			printed++
			if texts["commission "+tok+" 80"] {
				recorded++
			} else {
				runLost++
				t.Errorf("run %d: the answer for %s was printed but not recorded", run+1, tok)
			}
		}
		lost += runLost
		t.Logf("console kill run %d: %d answers printed, %d not recorded", run+1, len(seen), runLost)
		mu.Unlock()
	}
	t.Logf("SIGKILL under load on the console, %d runs: %d answers printed, %d recorded, %d lost", runs, printed, recorded, lost)
	if printed == 0 {
		t.Fatal("no answer was printed")
	}
}
