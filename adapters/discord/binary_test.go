package discord

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

// TestTheBinaryAgainstTheFake runs the real influbot binary against the
// fake Discord through DISCORD_API_URL: a nudge run after a restart (no DM
// channel cached) keeps every one-second window under Discord's global
// limit of 50 requests and shows every nudge once, a DM is answered, and
// /check alone opens a modal and an autocomplete gets choices.
func TestTheBinaryAgainstTheFake(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "influbot")
	build := exec.Command("go", "build", "-pgo=off", "-o", bin, "github.com/influbot/influbot/cmd/influbot") // see cmd/influbot/serve_test.go
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	const nudges = 120
	dbPath := filepath.Join(dir, "influbot.db")
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(-time.Minute)
	for i := range nudges {
		u := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: guildA, ID: fmt.Sprintf("7%017d", i)}
		n := bot.Nudge{User: u, Kind: bot.NudgeReady, TaskID: fmt.Sprintf("check%d", i), Slot: due, Due: due, Key: fmt.Sprintf("ready%d", i)}
		if ok, err := db.Enqueue(ctx, n); err != nil || !ok {
			t.Fatalf("enqueue: %v %v", ok, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	logs := &syncBuffer{}
	cmd := exec.Command(bin, "run", "--db", dbPath)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"DISCORD_TOKEN="+fakeToken,
		"DISCORD_API_URL="+f.srv.URL+"/api",
		"INFLUBOT_QUIET_HOURS=off",
		"INFLUBOT_LOG_LEVEL=debug",
	)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Errorf("the binary did not stop within 20 s of SIGTERM")
		}
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("binary log:\n%s", logs)
		}
		if strings.Contains(logs.String(), fakeToken) {
			t.Errorf("the token appeared in the binary's log")
		}
	})

	// Every nudge shown once: count messages per nonce in DM channels.
	posted := func() map[string]int {
		perKey := map[string]int{}
		for _, r := range f.requests {
			if r.Method == "POST" && strings.HasPrefix(r.Path, "/channels/") && r.Status == 200 {
				if nonce := str(r.JSON["nonce"]); strings.HasPrefix(nonce, "ready") {
					perKey[nonce]++
				}
			}
		}
		return perKey
	}
	// The dispatcher may start before the adapter registers; it then puts
	// the nudges back for 30 seconds.
	if !f.waitFor(90*time.Second, func() bool { return len(posted()) == nudges }) {
		t.Fatalf("not all %d nudges were sent; requests so far:\n%s", nudges, f.describe())
	}

	f.message("", dmChan, alice, "help", false)
	f.waitRequests(t, 1, "POST", "/channels/"+dmChan+"/messages")
	// The native interactions through the gateway: /check alone opens the
	// form, and an option being typed gets the core's choices.
	id, _ := f.slash(guildA, channelA, alice, 0, "check", nil)
	if in := f.waitAck(t, id); in.AckType != 9 || str(in.AckData["custom_id"]) != "form:check" {
		t.Errorf("/check with no options: response type %d data %v, want the check modal (9)", in.AckType, in.AckData)
	}
	id = f.autocomplete(guildA, channelA, alice, "ask", "question", "how many foll")
	if in := f.waitAck(t, id); in.AckType != 8 || !strings.Contains(fmt.Sprint(in.AckData["choices"]), "follower-requirement") {
		t.Errorf("autocomplete: response type %d data %v, want choices (8) with the follower requirement", in.AckType, in.AckData)
	}
	stop()

	f.mu.Lock()
	reqs := append([]fakeRequest(nil), f.requests...)
	perKey := posted()
	f.mu.Unlock()
	for key, n := range perKey {
		if n != 1 {
			t.Errorf("nudge %s posted %d times", key, n)
		}
	}
	opens := 0
	for _, r := range reqs {
		if r.Path == "/users/@me/channels" {
			opens++
		}
	}
	busiest := busiestSecond(reqs)
	t.Logf("%d nudges after a restart: %d requests (%d DM channel opens); busiest second: %d requests", nudges, len(reqs), opens, busiest)
	if busiest > 50 {
		t.Errorf("the busiest second held %d requests; Discord's global limit is 50", busiest)
	}
}
