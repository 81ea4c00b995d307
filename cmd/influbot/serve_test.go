package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// binary is the influbot executable TestMain builds for the tests that
// run it as a process.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "influbot-cmd-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "influbot")
	// -pgo=off: default.pgo changes how fast the binary runs, not what it
	// does, and a build with it compiles every dependency again.
	build := exec.Command("go", "build", "-pgo=off", "-o", binary, ".")
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

const serveSecret = "serve-test-signing-secret"

// syncBuffer is a bytes.Buffer safe for a process's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// served is `influbot serve` running as a process.
type served struct {
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
	done   chan error
}

// startServe runs `influbot serve` on a free port with the Slack signing
// secret and no bot token, its Web API pointed at a server that fails
// the test if called, and waits until /healthz answers.
func startServe(t *testing.T, dbPath string) *served {
	t.Helper()
	return startServeWith(t, dbPath, nil)
}

// startServeWith is startServe with more environment (NAME=value) and
// flags.
func startServeWith(t *testing.T, dbPath string, env []string, args ...string) *served {
	t.Helper()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("influbot called Slack's Web API without a token: %s %s", r.Method, r.URL.Path)
		http.Error(w, "no", http.StatusForbidden)
	}))
	t.Cleanup(api.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &served{base: "http://" + addr, stderr: &syncBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(binary, append([]string{"serve", "--addr", addr, "--db", dbPath}, args...)...)
	s.cmd.Env = append(os.Environ(), "SLACK_SIGNING_SECRET="+serveSecret, "SLACK_API_URL="+api.URL+"/", "SLACK_BOT_TOKEN=", "SLACK_APP_TOKEN=", "INFLUBOT_ADDR=", "INFLUBOT_HTTP_ADDR=")
	s.cmd.Env = append(s.cmd.Env, env...)
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			s.cmd.Process.Kill()
			<-s.done
		}
	})
	if !eventually(10*time.Second, func() bool { return s.status(t, "/healthz") == http.StatusOK }) {
		t.Fatalf("/healthz never answered 200:\n%s", s.stderr.String())
	}
	return s
}

// status GETs path and returns the status code, 0 when unreachable.
func (s *served) status(t *testing.T, path string) int {
	t.Helper()
	resp, err := http.Get(s.base + path)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func (s *served) get(t *testing.T, path string) string {
	t.Helper()
	resp, err := http.Get(s.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// slash posts a slash command signed with secret and returns the status
// and body.
func (s *served) slash(t *testing.T, secret, user, text string) (int, []byte) {
	t.Helper()
	form := url.Values{
		"token": {"x"}, "team_id": {"T1"}, "user_id": {user}, "user_name": {"creator"},
		"channel_id": {"C1"}, "command": {"/influbot"}, "text": {text},
		"response_url": {"https://hooks.slack.com/commands/T1/1/x"}, "trigger_id": {"t" + user + text},
	}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, "v0:"+ts+":"+form)
	req, err := http.NewRequest(http.MethodPost, s.base+"/slack/commands", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func eventually(within time.Duration, ok func() bool) bool {
	end := time.Now().Add(within)
	for {
		if ok() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// metric returns the value of the sample whose line starts with prefix
// in the /metrics text, or -1.
func metric(text, prefix string) float64 {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix+" ") {
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, prefix)), 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

// holdWriteLock takes the database's write lock as another program
// would, until release.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate&_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO store_meta (key, value) VALUES ('serve-test-lock', 'x') ON CONFLICT (key) DO UPDATE SET value = value || 'x'`); err != nil {
		tx.Rollback()
		db.Close()
		t.Fatal(err)
	}
	return func() { tx.Rollback(); db.Close() }
}

func TestServe(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "influbot.db")
	s := startServe(t, dbPath)

	t.Run("healthz answers 200 and readyz 200 once loaded", func(t *testing.T) {
		if got := s.status(t, "/healthz"); got != http.StatusOK {
			t.Errorf("/healthz %d", got)
		}
		if !eventually(10*time.Second, func() bool { return s.status(t, "/readyz") == http.StatusOK }) {
			t.Errorf("/readyz never 200: %s", s.get(t, "/readyz"))
		}
	})
	t.Run("a signed slash command is answered inline without a bot token", func(t *testing.T) {
		status, body := s.slash(t, serveSecret, "U1", "commission zzq1 80")
		var msg struct {
			ResponseType string            `json:"response_type"`
			Blocks       []json.RawMessage `json:"blocks"`
		}
		if status != http.StatusOK || json.Unmarshal(body, &msg) != nil {
			t.Fatalf("got %d %q, want 200 with a JSON answer", status, body)
		}
		if msg.ResponseType == "" || len(msg.Blocks) == 0 || !strings.Contains(string(body), "$3.20") {
			t.Errorf("the answer lacks response_type, blocks or the estimate: %s", body)
		}
	})
	t.Run("a bad signature is refused with 401", func(t *testing.T) {
		if status, body := s.slash(t, "not-the-secret", "U1", "help"); status != http.StatusUnauthorized {
			t.Errorf("got %d %q, want 401", status, body)
		}
	})
	t.Run("/slack/interactions is served as well as /slack/interactive", func(t *testing.T) {
		resp, err := http.Post(s.base+"/slack/interactions", "application/x-www-form-urlencoded", strings.NewReader("payload=%7B%7D"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("an unsigned interaction got %d, want 401 (not 404)", resp.StatusCode)
		}
	})
	t.Run("metrics count the requests by route and status", func(t *testing.T) {
		text := s.get(t, "/metrics")
		for prefix, want := range map[string]float64{
			`influbot_http_requests_total{platform="slack",route="slack_commands",status="200"}`:    1,
			`influbot_http_requests_total{platform="slack",route="slack_commands",status="401"}`:    1,
			`influbot_http_requests_total{platform="slack",route="slack_interactive",status="401"}`: 1,
			`influbot_http_request_duration_seconds_count{platform="slack",route="slack_commands"}`: 2,
		} {
			if got := metric(text, prefix); got != want {
				t.Errorf("%s = %v, want %v", prefix, got, want)
			}
		}
	})
	t.Run("FAQ outcomes are counted", func(t *testing.T) {
		before := metric(s.get(t, "/metrics"), `influbot_faq_questions_total{outcome="answered"}`)
		if status, body := s.slash(t, serveSecret, "U2", "how do I apply to the influencer program"); status != http.StatusOK {
			t.Fatalf("got %d %q", status, body)
		}
		if !eventually(5*time.Second, func() bool {
			return metric(s.get(t, "/metrics"), `influbot_faq_questions_total{outcome="answered"}`) == before+1
		}) {
			t.Errorf("answered questions did not go from %v to %v:\n%s", before, before+1, s.get(t, "/metrics"))
		}
	})
	t.Run("checks are counted by verdict", func(t *testing.T) {
		prefix := `influbot_checks_total{verdict="not_yet"}`
		before := metric(s.get(t, "/metrics"), prefix)
		if status, body := s.slash(t, serveSecret, "U4", "check instagram 300 followers 2 likes 0 comments"); status != http.StatusOK {
			t.Fatalf("got %d %q", status, body)
		}
		if got := metric(s.get(t, "/metrics"), prefix); got != before+1 {
			t.Errorf("%s went from %v to %v, want +1", prefix, before, got)
		}
	})
	t.Run("readyz is 503 while the database refuses writes and 200 again after", func(t *testing.T) {
		release := holdWriteLock(t, dbPath)
		s.slash(t, serveSecret, "U3", "commission zzq2 80")
		if !eventually(5*time.Second, func() bool { return s.status(t, "/readyz") == http.StatusServiceUnavailable }) {
			release()
			t.Fatalf("/readyz still %d with the write lock held", s.status(t, "/readyz"))
		}
		if body := s.get(t, "/readyz"); !strings.Contains(body, "refuses writes") {
			t.Errorf("/readyz does not say why: %q", body)
		}
		release()
		if !eventually(10*time.Second, func() bool { return s.status(t, "/readyz") == http.StatusOK }) {
			t.Errorf("/readyz still %d after the lock was released: %s", s.status(t, "/readyz"), s.get(t, "/readyz"))
		}
	})
	t.Run("SIGTERM stops it with exit status 0", func(t *testing.T) {
		start := time.Now()
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-s.done:
			s.done <- err // for the cleanup
			var ee *exec.ExitError
			if errors.As(err, &ee) || err != nil {
				t.Errorf("exit: %v\n%s", err, s.stderr.String())
			}
			t.Logf("stopped %v after SIGTERM", time.Since(start).Round(time.Millisecond))
		case <-time.After(15 * time.Second):
			t.Fatalf("still running 15 s after SIGTERM")
		}
		if s.status(t, "/healthz") != 0 {
			t.Error("still answering after exit")
		}
	})
	t.Run("without a token no nudge dispatcher claimed other platforms' nudges", func(t *testing.T) {
		if strings.Contains(s.stderr.String(), "nudge dispatcher started") {
			t.Errorf("a dispatcher ran with no platform able to send:\n%s", s.stderr.String())
		}
	})
}

func TestServeWithoutPlatformServesHealthAndMetrics(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(binary, "serve", "--db", filepath.Join(t.TempDir(), "influbot.db"))
	cmd.Env = append(os.Environ(), "INFLUBOT_ADDR="+addr, "SLACK_SIGNING_SECRET=", "SLACK_BOT_TOKEN=")
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		if err := <-done; err != nil {
			t.Errorf("exit: %v", err)
		}
	}()
	s := &served{base: "http://" + addr}
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/healthz", http.StatusOK},
		{"/readyz", http.StatusOK},
		{"/metrics", http.StatusOK},
		{"/slack/commands", http.StatusNotFound},
	} {
		t.Run(tc.path+" answers "+strconv.Itoa(tc.want), func(t *testing.T) {
			if !eventually(10*time.Second, func() bool { return s.status(t, tc.path) == tc.want }) {
				t.Errorf("GET %s: %d, want %d\n%s", tc.path, s.status(t, tc.path), tc.want, stderr.String())
			}
		})
	}
}

// influbot run with Slack over HTTP serves Slack and the operator
// endpoints on one server, at the address of INFLUBOT_HTTP_ADDR (the
// older name of INFLUBOT_ADDR).
func TestRunServesSlackAndOperatorEndpointsOnOneServer(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/auth.test"):
			io.WriteString(w, `{"ok":true,"user_id":"UBOT","bot_id":"B1","team_id":"T1","team":"Test"}`)
		case strings.HasSuffix(r.URL.Path, "/users.info"):
			io.WriteString(w, `{"ok":true,"user":{"id":"U1","profile":{"display_name":"creator"}}}`)
		default:
			io.WriteString(w, `{"ok":true}`)
		}
	}))
	defer api.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &served{base: "http://" + addr, stderr: &syncBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(binary, "run", "--db", filepath.Join(t.TempDir(), "influbot.db"))
	s.cmd.Env = append(os.Environ(), "SLACK_BOT_TOKEN=xoxb-run-test", "SLACK_SIGNING_SECRET="+serveSecret, "SLACK_API_URL="+api.URL+"/",
		"SLACK_APP_TOKEN=", "INFLUBOT_ADDR=", "INFLUBOT_HTTP_ADDR="+addr, "DISCORD_TOKEN=", "DISCORD_APPLICATION_ID=", "DISCORD_GUILD_ID=")
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	defer func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-s.done:
			if err != nil {
				t.Errorf("run exited with %v after SIGTERM:\n%s", err, s.stderr.String())
			}
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
			t.Error("run still going 15 s after SIGTERM")
		}
	}()
	if !eventually(10*time.Second, func() bool { return s.status(t, "/readyz") == http.StatusOK }) {
		t.Fatalf("/readyz never 200:\n%s", s.stderr.String())
	}
	t.Run("a slash command is answered inline", func(t *testing.T) {
		status, body := s.slash(t, serveSecret, "U1", "commission zzq1 80")
		if status != http.StatusOK || !strings.Contains(string(body), "$3.20") {
			t.Errorf("got %d %q", status, body)
		}
	})
	t.Run("the same server counts it in /metrics", func(t *testing.T) {
		prefix := `influbot_http_requests_total{platform="slack",route="slack_commands",status="200"}`
		if got := metric(s.get(t, "/metrics"), prefix); got != 1 {
			t.Errorf("%s = %v, want 1", prefix, got)
		}
	})
}

// SIGTERM while requests arrive: every request the server took on is
// answered and recorded, the rest are refused, and it exits 0.
func TestServeStopsCleanlyUnderLoad(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "influbot.db")
	s := startServe(t, dbPath)
	if !eventually(10*time.Second, func() bool { return s.status(t, "/readyz") == http.StatusOK }) {
		t.Fatalf("/readyz never 200:\n%s", s.stderr.String())
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	var (
		mu                sync.Mutex
		answered, refused int
		unexpected        []string
		wg                sync.WaitGroup
		stop              = make(chan struct{})
	)
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				form := url.Values{"team_id": {"T1"}, "user_id": {fmt.Sprint("U", w)}, "channel_id": {"C1"}, "command": {"/influbot"},
					"text": {fmt.Sprintf("commission load%d-%d 80", w, i)}, "response_url": {"https://hooks.slack.com/commands/T1/1/x"}}.Encode()
				ts := strconv.FormatInt(time.Now().Unix(), 10)
				mac := hmac.New(sha256.New, []byte(serveSecret))
				io.WriteString(mac, "v0:"+ts+":"+form)
				req, _ := http.NewRequest(http.MethodPost, s.base+"/slack/commands", strings.NewReader(form))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Slack-Request-Timestamp", ts)
				req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
				resp, err := client.Do(req)
				mu.Lock()
				switch {
				// Refused at connect, or connected in the kernel's
				// backlog but never accepted (closed with the
				// listener: EOF or reset before any answer). The
				// count of recorded events below shows such a request
				// was never taken on.
				case err != nil && (errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)):
					refused++
					mu.Unlock()
					return
				case err != nil:
					unexpected = append(unexpected, err.Error())
				default:
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK && strings.Contains(string(b), fmt.Sprintf("load%d-%d", w, i)) {
						answered++
					} else {
						unexpected = append(unexpected, fmt.Sprintf("%d %.100s", resp.StatusCode, b))
					}
				}
				mu.Unlock()
			}
		})
	}
	time.Sleep(500 * time.Millisecond)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var exitErr error
	select {
	case exitErr = <-s.done:
		s.done <- exitErr
	case <-time.After(15 * time.Second):
		t.Fatal("still running 15 s after SIGTERM")
	}
	close(stop)
	wg.Wait()
	t.Run("it exits with status 0", func(t *testing.T) {
		if exitErr != nil {
			t.Errorf("exit: %v\n%s", exitErr, s.stderr.String())
		}
	})
	t.Run("every accepted request was answered", func(t *testing.T) {
		if len(unexpected) > 0 {
			t.Errorf("%d requests failed, first: %s", len(unexpected), unexpected[0])
		}
		if answered == 0 {
			t.Error("no request was answered before the signal")
		}
	})
	t.Run("every answered request was recorded", func(t *testing.T) {
		db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM events WHERE text LIKE 'commission load%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != answered {
			t.Errorf("%d events recorded for %d answers", n, answered)
		}
	})
	t.Logf("SIGTERM under load: %d answered, %d workers refused afterwards", answered, refused)
}
