package faulttest

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mountTmpfs mounts a tmpfs of size bytes on a new directory and returns
// it; it is unmounted at the end of the test.
func mountTmpfs(t *testing.T, size int) string {
	t.Helper()
	if ok, why := linuxRoot(); !ok {
		t.Skip("skipped: " + why)
	}
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("skipped: cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

func remount(t *testing.T, dir, opts string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,"+opts, dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s %s: %v: %s", dir, opts, err, out)
	}
}

// fill writes a file until the file system is full, and returns it.
func fill(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return path
			}
			t.Fatalf("fill: %v", err)
		}
	}
}

// storeFault drives requests through influbot while the database cannot
// be written (break), then again once it can (mend), and checks that the
// users were told, the operator warned, and the records saved after all.
func storeFault(t *testing.T, name, warnWords string, breakIt, mendIt func(t *testing.T, dir string)) {
	dir := mountTmpfs(t, 4<<20)
	dbPath := filepath.Join(dir, "influbot.db")
	f := newFakeSlack(t)
	s := startServer(t, f, dbPath)
	if status, _, _ := s.post("/slack/commands", "application/x-www-form-urlencoded", slashCommand(f, "U0", "C1", "help", "warm")); status != 200 {
		t.Fatalf("warm-up request got %d", status)
	}
	breakIt(t, dir)
	// SQLite writes a WAL it has checkpointed over again from its start,
	// so a few writes may still fit in space the file already has; write
	// (as a user the checks below leave out) until the database refuses.
	for i := 0; ; i++ {
		if i == 500 {
			t.Fatalf("%s: 500 requests later the database still takes writes", name)
		}
		_, body, _ := s.post("/slack/commands", "application/x-www-form-urlencoded", slashCommand(f, "U0", "C1", fmt.Sprintf("commission fill%d 80", i), fmt.Sprint("f", i)))
		if strings.Contains(string(body), "save your history") {
			break
		}
	}

	users, perUser := 3, 3
	if full() {
		users, perUser = 10, 10
	}
	var sent []string
	told := map[string]int{}
	var slowest time.Duration
	for i := range users * perUser {
		user := fmt.Sprint("U", i%users+1)
		text := fmt.Sprintf("commission zzq%d 80", i+1)
		status, body, took := s.post("/slack/commands", "application/x-www-form-urlencoded", slashCommand(f, user, "C1", text, fmt.Sprint("r", i)))
		slowest = max(slowest, took)
		if status != 200 || !strings.Contains(string(body), fmt.Sprintf("zzq%d", i+1)) {
			t.Errorf("%s: %q got %d %q, want its answer", name, text, status, clipBody(body))
		}
		if strings.Contains(string(body), "save your history") {
			told[user]++
		}
		sent = append(sent, text)
	}
	t.Run("each user is told once that their history is not kept", func(t *testing.T) {
		for u := 1; u <= users; u++ {
			if n := told[fmt.Sprint("U", u)]; n != 1 {
				t.Errorf("user U%d was told %d times", u, n)
			}
		}
	})
	t.Run("the operator is warned what is not saved", func(t *testing.T) {
		if !containsAll(s.stderr.String(), "history is not being saved", warnWords) {
			t.Errorf("no WARN saying %q:\n%s", warnWords, tail(s.stderr.String(), 3000))
		}
	})
	t.Run("readiness reports it", func(t *testing.T) {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz answered %d, want 503", resp.StatusCode)
		}
	})
	mendIt(t, dir)
	saved := 0
	deadline := time.Now().Add(15 * time.Second)
	for {
		texts := recordedTexts(t, dbPath)
		saved = 0
		for _, text := range sent {
			if texts[text] {
				saved++
			}
		}
		if saved == len(sent) || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Run("once mended, the records kept in memory are saved", func(t *testing.T) {
		if saved != len(sent) {
			t.Errorf("%d of %d records saved", saved, len(sent))
		}
		if !strings.Contains(s.stderr.String(), "the database takes writes again") {
			t.Errorf("no log line says the database recovered:\n%s", tail(s.stderr.String(), 2000))
		}
	})
	t.Logf("%s: %d requests answered (slowest %v), %d users told once, %d of %d records saved after recovery",
		name, len(sent), slowest.Round(time.Millisecond), len(told), saved, len(sent))
}

func TestDiskFullThenFreed(t *testing.T) {
	var filler string
	storeFault(t, "disk full then freed", "disk is full",
		func(t *testing.T, dir string) { filler = fill(t, dir) },
		func(t *testing.T, dir string) {
			if err := os.Remove(filler); err != nil {
				t.Fatal(err)
			}
		})
}

// A database file influbot may not write: it says so at start, naming
// the file and the problem, rather than answering without keeping
// anything. (A database that turns read-only while influbot runs is
// covered by the store's tests: store.TestReadOnlyDatabaseIsVisibleAndRecovers.)
func TestReadOnlyDatabaseFile(t *testing.T) {
	if ok, why := linuxRoot(); !ok {
		t.Skip("skipped: " + why + " (to run influbot as another user)")
	}
	dir, err := os.MkdirTemp("", "influbot-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	dbPath := filepath.Join(dir, "influbot.db")
	f := newFakeSlack(t)
	s := startServer(t, f, dbPath)
	s.post("/slack/commands", "application/x-www-form-urlencoded", slashCommand(f, "U0", "C1", "commission zzq1 80", "warm"))
	s.cmd.Process.Signal(syscall.SIGTERM)
	<-s.done
	files, _ := filepath.Glob(dbPath + "*")
	for _, p := range append(files, dir) {
		mode := os.FileMode(0o444)
		if p == dir {
			mode = 0o755
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(binary, "run")
	cmd.Env = append(os.Environ(), "SLACK_BOT_TOKEN="+botToken, "SLACK_SIGNING_SECRET="+signingSecret, "SLACK_API_URL="+f.apiURL(),
		"INFLUBOT_HTTP_ADDR="+freeAddr(t), "INFLUBOT_DB="+dbPath)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() == 0 {
		t.Fatalf("influbot on a read-only database: %v, want it to refuse to start:\n%s", err, out)
	}
	if !(strings.Contains(string(out), "read-only") || strings.Contains(string(out), "cannot write")) || !strings.Contains(string(out), dbPath) {
		t.Errorf("the error does not name the read-only file:\n%s", out)
	}
	t.Logf("read-only database file: influbot refused to start (exit %d): %s", ee.ExitCode(), strings.TrimSpace(tail(string(out), 300)))
}
