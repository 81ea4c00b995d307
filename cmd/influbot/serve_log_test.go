package main

import (
	"bufio"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeLogsJSONWithRequestIDs runs the binary with --log-format json
// at debug level, sends requests that log (a bad signature, a malformed
// command, an unsigned Discord interaction) and some that do not, and
// checks: every line is JSON; every line about a request names its id,
// the one its response echoed (a proxy's sane X-Request-Id is kept); and
// no secret reaches the log.
func TestServeLogsJSONWithRequestIDs(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := startServeWith(t, filepath.Join(t.TempDir(), "influbot.db"),
		[]string{"DISCORD_PUBLIC_KEY=" + hex.EncodeToString(pub), "DISCORD_APPLICATION_ID=100000000000000001", "DISCORD_API_URL=http://127.0.0.1:1/api", "INFLUBOT_LOG_FORMAT=json"},
		"--log-level", "debug")
	if !eventually(15*time.Second, func() bool { return s.status(t, "/readyz") == http.StatusOK }) {
		t.Fatalf("/readyz never 200:\n%s", s.stderr.String())
	}
	signed := func(secret, body string) http.Header {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(secret))
		io.WriteString(mac, "v0:"+ts+":"+body)
		return http.Header{
			"Content-Type":              {"application/x-www-form-urlencoded"},
			"X-Slack-Request-Timestamp": {ts},
			"X-Slack-Signature":         {"v0=" + hex.EncodeToString(mac.Sum(nil))},
		}
	}
	command := "team_id=T1&user_id=U1&channel_id=C1&command=%2Finflubot&text=why+was+I+rejected&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fx"
	ids := map[string]bool{}
	for _, tc := range []struct {
		name     string
		path     string
		body     string
		header   http.Header
		incoming string // X-Request-Id sent
		keep     bool   // the response echoes incoming
		status   int
	}{
		{"answered command", "/slack/commands", command, signed(serveSecret, command), "lb-0001", true, http.StatusOK},
		{"bad signature", "/slack/commands", command, signed("wrong-secret", command), "lb-0002", true, http.StatusUnauthorized},
		{"malformed command", "/slack/commands", "a=%zz", signed(serveSecret, "a=%zz"), "lb-0003", true, http.StatusBadRequest},
		{"unsigned discord", "/discord/interactions", `{"type":1}`, http.Header{"Content-Type": {"application/json"}}, "lb-0004", true, http.StatusUnauthorized},
		{"an id with spaces is replaced", "/slack/commands", command, signed("wrong-secret", command), "x y", false, http.StatusUnauthorized},
		{"no id", "/healthz", "", nil, "", false, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method := http.MethodPost
			if tc.body == "" {
				method = http.MethodGet
			}
			req, err := http.NewRequest(method, s.base+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.header {
				req.Header[k] = v
			}
			if tc.incoming != "" {
				req.Header.Set("X-Request-Id", tc.incoming)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			id := resp.Header.Get("X-Request-Id")
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.keep != (id == tc.incoming) || id == "" {
				t.Errorf("response id %q for incoming %q; want kept: %v", id, tc.incoming, tc.keep)
			}
			ids[id] = true
		})
	}
	// Let the lines of the last requests land, then stop cleanly.
	time.Sleep(200 * time.Millisecond)
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err
	case <-time.After(15 * time.Second):
		t.Fatal("no exit 15 s after SIGTERM")
	}

	logs := s.stderr.String()
	seen := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Errorf("a log line is not JSON: %q", sc.Text())
			continue
		}
		id, hasID := line["request_id"].(string)
		_, hasPath := line["path"]
		_, hasRemote := line["remote"]
		switch {
		case hasID && !ids[id]:
			t.Errorf("line %q names request %q, which no response did", line["msg"], id)
		case hasID:
			seen[id]++
		case hasPath || hasRemote:
			t.Errorf("a line about a request has no request_id: %s", sc.Text())
		}
	}
	for _, want := range []string{"lb-0002", "lb-0003", "lb-0004"} {
		if seen[want] == 0 {
			t.Errorf("no log line names request %s; logs:\n%s", want, logs)
		}
	}
	for _, secret := range []string{serveSecret, hex.EncodeToString(priv), hex.EncodeToString(priv.Seed())} {
		if strings.Contains(logs, secret) {
			t.Errorf("a secret is in the log:\n%s", logs)
		}
	}
}
