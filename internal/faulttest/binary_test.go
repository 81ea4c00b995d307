package faulttest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the influbot executable TestMain builds.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "influbot-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Readable by everyone: one test runs influbot as another user.
	os.Chmod(dir, 0o755)
	binary = filepath.Join(dir, "influbot")
	build := exec.Command("go", "build", "-pgo=off", "-o", binary, "github.com/influbot/influbot/cmd/influbot") // see cmd/influbot/serve_test.go
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build influbot:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// full reports whether the full form of the suite was asked for.
func full() bool { return os.Getenv("INFLUBOT_FAULTS") == "full" }

// lockedBuffer is a bytes.Buffer safe for a process's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// server is influbot running against the fake Slack over HTTP.
type server struct {
	cmd    *exec.Cmd
	addr   string
	db     string
	stderr *lockedBuffer
	done   chan struct{}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs influbot with Slack pointed at f and its database at
// dbPath, and waits until it answers its health check.
func startServer(t *testing.T, f *fakeSlack, dbPath string, extraEnv ...string) *server {
	t.Helper()
	s := &server{addr: freeAddr(t), db: dbPath, stderr: &lockedBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(binary, "run", "--log-level=info")
	s.cmd.Env = append(os.Environ(),
		"SLACK_BOT_TOKEN="+botToken, "SLACK_SIGNING_SECRET="+signingSecret, "SLACK_API_URL="+f.apiURL(),
		"INFLUBOT_HTTP_ADDR="+s.addr, "INFLUBOT_DB="+dbPath, "DISCORD_TOKEN=", "SLACK_APP_TOKEN=")
	s.cmd.Env = append(s.cmd.Env, extraEnv...)
	s.cmd.Stdout, s.cmd.Stderr = s.stderr, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() { s.kill() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + s.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			return s
		}
		select {
		case <-s.done:
			t.Fatalf("influbot exited at start:\n%s", s.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("influbot did not start:\n%s", s.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL, as an OOM killer or a power cut of
// the container would.
func (s *server) kill() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-s.done
}

// post sends a signed request to the server and returns the status, the
// body and how long the answer took. A request that got no answer (the
// process died) has status 0.
func (s *server) post(path, contentType string, body []byte) (int, []byte, time.Duration) {
	h := http.Header{}
	sign(h, body, time.Now())
	return s.postWith(path, contentType, body, h)
}

// postWith sends body with the given signature headers: a replay.
func (s *server) postWith(path, contentType string, body []byte, h http.Header) (int, []byte, time.Duration) {
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+path, bytes.NewReader(body))
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	client := &http.Client{Timeout: 10 * time.Second}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, time.Since(start)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		return 0, nil, time.Since(start)
	}
	return resp.StatusCode, b.Bytes(), time.Since(start)
}

// recordedTexts returns the text of every event in the database.
func recordedTexts(t *testing.T, path string) map[string]bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rows, err := rawTexts(ctx, path)
	if err != nil {
		t.Fatalf("read the database after the run: %v", err)
	}
	texts := map[string]bool{}
	for _, r := range rows {
		texts[r] = true
	}
	return texts
}

// tokens finds every "zzq<digits>" in s.
func tokens(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "zzq")
		if i < 0 {
			return out
		}
		j := i + 3
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > i+3 {
			out = append(out, s[i:j])
		}
		s = s[j:]
	}
}

func linuxRoot() (bool, string) {
	if runtime.GOOS != "linux" {
		return false, "needs Linux to mount a tmpfs"
	}
	if os.Geteuid() != 0 {
		return false, "needs root to mount a tmpfs (run the suite as root, e.g. in a container)"
	}
	return true, ""
}
