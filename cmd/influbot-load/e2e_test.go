package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const testSecret = "test-signing-secret"

// testSeed is a Discord signing seed for tests.
var testSeed = strings.Repeat("11", 32)

// startPeer runs a peer on loopback and returns its URL and database path.
func startPeer(t *testing.T) (string, string, *peer) {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "peer.db")
	db, err := openPeerDB(t.Context(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	key, err := discordKey(testSeed, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := newPeer(db, testSecret, key.Public().(ed25519.PublicKey), slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("peer: %v", err)
		}
		db.Close()
	})
	return "http://" + ln.Addr().String(), dbPath, p
}

func peerRows(t *testing.T, p *peer) int64 {
	t.Helper()
	var n int64
	if err := p.db.QueryRow(`SELECT count(*) FROM events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLoadAgainstThePeerCountsWhatThePeerRecorded(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"a closed loop of Slack and Discord requests is all recorded", []string{"--platform", "both", "--concurrency", "4", "--duration", "1500ms", "--commissions", "1", "--lints", "1"}},
		{"an open loop of Slack requests is all recorded", []string{"--platform", "slack", "--rate", "300", "--duration", "1s"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target, dbPath, p := startPeer(t)
			args := append([]string{"--target", target, "--db", dbPath, "--db-wait", "2s", "--json", "--discord-key", testSeed, "--users", "50", "--workspaces", "5"}, tc.args...)
			var stdout, stderr bytes.Buffer
			getenv := func(k string) string {
				if k == "SLACK_SIGNING_SECRET" {
					return testSecret
				}
				return ""
			}
			if err := run(t.Context(), args, getenv, &stdout, &stderr); err != nil {
				t.Fatalf("run: %v\n%s", err, stderr.String())
			}
			var s Summary
			if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
				t.Fatalf("summary: %v\n%s", err, stdout.String())
			}
			rows := peerRows(t, p)
			if s.Answered == 0 || s.Errors != 0 || s.Busy != 0 || s.Sent != s.Answered {
				t.Errorf("sent %d answered %d busy %d errors %d (%v), want all answered", s.Sent, s.Answered, s.Busy, s.Errors, s.ErrorKinds)
			}
			if s.Answered != rows {
				t.Errorf("answered %d, the peer recorded %d", s.Answered, rows)
			}
			if s.Recorded == nil || !s.Recorded.Equal || s.Recorded.Rows != rows {
				t.Errorf("--db check %+v, want equal at %d rows", s.Recorded, rows)
			}
			if s.Latency.P50 <= 0 || s.Latency.Max < s.Latency.P99 || s.Latency.P99 < s.Latency.P50 {
				t.Errorf("latency %+v out of order", s.Latency)
			}
			if !strings.Contains(stderr.String(), "answered") {
				t.Errorf("no progress line on stderr: %q", stderr.String())
			}
		})
	}
}

func TestPeerRefusesWhatItCannotVerify(t *testing.T) {
	target, _, p := startPeer(t)
	now := strconv.FormatInt(time.Now().Unix(), 10)
	form := url.Values{"team_id": {"T1"}, "user_id": {"U1"}, "command": {"/influbot"}, "text": {"hi"}}.Encode()
	key, _ := discordKey(testSeed, nil)
	ping := `{"type":1}`
	tests := []struct {
		name        string
		path        string
		contentType string
		body        string
		headers     map[string]string
		want        int
		recorded    bool
	}{
		{"a signed slash command is answered and recorded", slackCommandsPath, "application/x-www-form-urlencoded", form,
			map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": slackSignature(testSecret, now, []byte(form))}, 200, true},
		{"a slash command signed with another secret is refused", slackCommandsPath, "application/x-www-form-urlencoded", form,
			map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": slackSignature("other", now, []byte(form))}, 401, false},
		{"a signed slash command sent as text/plain is refused", slackCommandsPath, "text/plain", form,
			map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": slackSignature(testSecret, now, []byte(form))}, 415, false},
		{"a signed form without a user is refused", slackCommandsPath, "application/x-www-form-urlencoded", "team_id=T1&command=%2Finflubot",
			map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": slackSignature(testSecret, now, []byte("team_id=T1&command=%2Finflubot"))}, 400, false},
		{"a signed Discord PING is answered with PONG", discordInteractionsPath, "application/json", ping,
			map[string]string{"X-Signature-Timestamp": now, "X-Signature-Ed25519": discordSignature(key, now, []byte(ping))}, 200, false},
		{"a Discord request with no signature is refused", discordInteractionsPath, "application/json", ping, nil, 401, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := peerRows(t, p)
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, target+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.contentType)
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("status %d (%s), want %d", resp.StatusCode, body, tc.want)
			}
			if got := peerRows(t, p) - before; (got == 1) != tc.recorded || got > 1 {
				t.Errorf("recorded %d rows, want recorded=%v", got, tc.recorded)
			}
		})
	}
}

func TestFakeSlackAnswersThroughTheProxyOverTLS(t *testing.T) {
	f, err := newFakeSlack()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.serve(ctx, ln) }()
	defer func() { cancel(); <-done }()

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(f.caPEM)
	proxy, _ := url.Parse("http://" + ln.Addr().String())
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: roots}}}
	defer client.CloseIdleConnections()
	tests := []struct {
		name, url, want string
	}{
		{"a response_url post is answered ok", "https://hooks.slack.com/commands/T1/1/abc", "ok"},
		{"auth.test names the bot", "https://slack.com/api/auth.test", `"user_id":"U0BOT"`},
		{"chat.postMessage is answered ok", "https://slack.com/api/chat.postMessage", `"ok":true`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := client.Post(tc.url, "application/json", strings.NewReader(`{"text":"hi"}`))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !strings.Contains(string(body), tc.want) {
				t.Errorf("body %q, want %q in it", body, tc.want)
			}
		})
	}
	c := f.Counts()
	if c["response_url"] != 1 || c["auth.test"] != 1 || c["chat.postMessage"] != 1 {
		t.Errorf("counts %v, want one of each", c)
	}
}
