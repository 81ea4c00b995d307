package faulttest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Another program holds the database's write lock: replies must not wait
// for it beyond a few seconds, and nothing may be lost once it lets go.
func TestExternalWriteLock(t *testing.T) {
	hold := 5 * time.Second
	if full() {
		hold = 30 * time.Second
	}
	const maxReplyWait = 3 * time.Second
	f := newFakeSlack(t)
	dbPath := filepath.Join(t.TempDir(), "influbot.db")
	s := startServer(t, f, dbPath)
	if status, _, _ := s.post("/slack/commands", "application/x-www-form-urlencoded", slashCommand(f, "U0", "C1", "help", "warm")); status != 200 {
		t.Fatalf("warm-up request got %d", status)
	}

	release, err := holdLock(context.Background(), dbPath)
	if err != nil {
		t.Fatalf("take the write lock: %v", err)
	}
	type result struct {
		text, kind string
		status     int
		body       []byte
		took       time.Duration
	}
	var (
		mu      sync.Mutex
		results []result
		wg      sync.WaitGroup
	)
	end := time.Now().Add(hold)
	n := 0
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				mu.Lock()
				n++
				i := n
				mu.Unlock()
				var r result
				switch i % 3 {
				case 0:
					r.text, r.kind = fmt.Sprintf("commission zzq%d 80", i), "command"
					r.status, r.body, r.took = s.post("/slack/commands", "application/x-www-form-urlencoded", slashCommand(f, fmt.Sprint("U", w), "C1", r.text, fmt.Sprint("lock", i)))
				case 1:
					r.text, r.kind = fmt.Sprintf("commission zzq%d 80", i), "event"
					r.status, r.body, r.took = s.post("/slack/events", "application/json", directMessage(fmt.Sprint("EvLock", i), fmt.Sprint("U", w), r.text))
				default:
					r.text, r.kind = fmt.Sprintf("does the zzq%d flibbertigibbet count for quixotic zorbs", i), "question"
					r.status, r.body, r.took = s.post("/slack/events", "application/json", directMessage(fmt.Sprint("EvLock", i), fmt.Sprint("U", w), r.text))
				}
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	release()

	// Once the lock goes the queued records are saved: give them a moment.
	var texts, unanswered map[string]bool
	deadline := time.Now().Add(10 * time.Second)
	for {
		texts = recordedTexts(t, dbPath)
		unanswered, err = unansweredTexts(context.Background(), dbPath)
		if err != nil {
			t.Fatal(err)
		}
		missing := 0
		for _, r := range results {
			if !texts[r.text] {
				missing++
			}
		}
		if missing == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	var took []time.Duration
	var answered, recorded, questions, logged, failed int
	for _, r := range results {
		took = append(took, r.took)
		if r.status != 200 {
			failed++
			t.Errorf("%s %q got status %d", r.kind, r.text, r.status)
			continue
		}
		if r.took > maxReplyWait {
			t.Errorf("%s %q waited %v for its acknowledgement, want at most %v", r.kind, r.text, r.took, maxReplyWait)
		}
		if r.kind == "question" {
			questions++
			if unanswered[r.text] {
				logged++
			} else {
				t.Errorf("unanswered question %q was not kept", r.text)
			}
		} else if tok := tokens(r.text)[0]; f.shown(tok) || slices.Contains(tokens(string(r.body)), tok) {
			answered++
		} else {
			t.Errorf("%s %q was not answered", r.kind, r.text)
		}
		if texts[r.text] {
			recorded++
		} else {
			t.Errorf("%s %q was not recorded", r.kind, r.text)
		}
	}
	slices.Sort(took)
	if len(took) == 0 {
		t.Fatal("no requests were sent")
	}
	t.Logf("write lock held %v: %d requests, %d refused, slowest acknowledgement %v (median %v); %d of %d commands and events answered, %d of %d recorded, %d of %d unanswered questions kept",
		hold, len(results), failed, took[len(took)-1].Round(time.Millisecond), took[len(took)/2].Round(time.Millisecond),
		answered, len(results)-questions, recorded, len(results), logged, questions)
	if !containsAll(s.stderr.String(), "history is not being saved", "write lock") {
		t.Errorf("no WARN told the operator what was not saved:\n%s", tail(s.stderr.String(), 3000))
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
