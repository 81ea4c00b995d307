package faulttest

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// A captured slash command or event sent again within Slack's five-minute
// window, before and after a restart, runs once.
func TestReplaysRunOnceAcrossARestart(t *testing.T) {
	f := newFakeSlack(t)
	dbPath := filepath.Join(t.TempDir(), "influbot.db")
	cmd := slashCommand(f, "U1", "C1", "commission zzq777 80", "replay")
	ev := directMessage("EvReplay778", "U2", "commission zzq778 80")
	cmdSig, evSig := http.Header{}, http.Header{}
	sign(cmdSig, cmd, time.Now())
	sign(evSig, ev, time.Now())
	sends := 0
	for range 2 {
		s := startServer(t, f, dbPath)
		for range 5 {
			if st, _, _ := s.postWith("/slack/commands", "application/x-www-form-urlencoded", cmd, cmdSig); st != 200 {
				t.Errorf("replayed command got %d", st)
			}
			if st, _, _ := s.postWith("/slack/events", "application/json", ev, evSig); st != 200 {
				t.Errorf("retried event got %d", st)
			}
			sends++
		}
		s.kill()
	}
	rows, err := rawTexts(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range rows {
		count[r]++
	}
	if n := count["commission zzq777 80"]; n != 1 {
		t.Errorf("the slash command ran %d times, want once", n)
	}
	if n := count["commission zzq778 80"]; n != 1 {
		t.Errorf("the event was answered %d times, want once", n)
	}
	t.Logf("replays: the same slash command and event each sent %d times across a SIGKILL and restart: command ran %d time(s), event answered %d time(s)",
		sends, count["commission zzq777 80"], count["commission zzq778 80"])
}
