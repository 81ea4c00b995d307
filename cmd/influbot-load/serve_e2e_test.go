package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// metricValue is the value of the /metrics sample named exactly name
// (labels included), or -1.
func metricValue(text, name string) float64 {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}

// TestServeMetricsCountWhatTheLoadSent builds influbot, runs 'influbot
// serve' with Slack and Discord, drives it with this load tool (signed
// Slack slash commands and Discord interactions, closed loop), and checks
// /metrics: the answered requests by route equal what the tool sent and
// saw answered, none refused as busy, no database write failed, and the
// database recorded every one (--db).
// It runs with history committed before each answer (the default) and
// just behind it (INFLUBOT_HISTORY_BEHIND=1): either way every answered
// request is recorded.
func TestServeMetricsCountWhatTheLoadSent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the influbot binary")
	}
	for _, mode := range []string{"0", "1"} {
		t.Run("INFLUBOT_HISTORY_BEHIND="+mode, func(t *testing.T) { testServeMetrics(t, "INFLUBOT_HISTORY_BEHIND="+mode) })
	}
}

func testServeMetrics(t *testing.T, historyEnv string) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "influbot")
	build := exec.Command("go", "build", "-pgo=off", "-o", bin, "../influbot") // see cmd/influbot/serve_test.go
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("build influbot: %v", err)
	}
	key, err := discordKey(testSeed, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dbPath := filepath.Join(dir, "influbot.db")
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", dbPath)
	cmd.Env = append(os.Environ(), "SLACK_SIGNING_SECRET="+testSecret, "SLACK_BOT_TOKEN=", "SLACK_APP_TOKEN=",
		"DISCORD_PUBLIC_KEY="+hex.EncodeToString(key.Public().(ed25519.PublicKey)), "DISCORD_APPLICATION_ID=100000000000000001",
		"DISCORD_TOKEN=", "DISCORD_API_URL=http://127.0.0.1:1/api", "INFLUBOT_ADDR=", "INFLUBOT_HTTP_ADDR=", "INFLUBOT_LOG_LEVEL=warn", historyEnv)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("influbot serve exit: %v\n%s", err, stderr.String())
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Error("influbot serve still running 20 s after SIGTERM")
		}
	}()
	base := "http://" + addr

	var out, progress bytes.Buffer
	getenv := func(k string) string {
		if k == "SLACK_SIGNING_SECRET" {
			return testSecret
		}
		return ""
	}
	args := []string{"--target", base, "--wait-ready", "60s", "--platform", "both", "--concurrency", "8", "--duration", "2s",
		"--db", dbPath, "--json", "--discord-key", testSeed, "--users", "40", "--workspaces", "4", "--commissions", "1", "--lints", "1"}
	if err := run(t.Context(), args, getenv, &out, &progress); err != nil {
		t.Fatalf("load: %v\n%s\nserver:\n%s", err, progress.String(), stderr.String())
	}
	var s Summary
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatalf("summary: %v\n%s", err, out.String())
	}
	if s.Sent == 0 || s.Answered != s.Sent || s.Errors != 0 || s.Busy != 0 {
		t.Fatalf("sent %d answered %d busy %d errors %d (%v), want all answered", s.Sent, s.Answered, s.Busy, s.Errors, s.ErrorKinds)
	}
	if s.Recorded == nil || !s.Recorded.Equal {
		t.Errorf("--db check %+v, want every answered request recorded", s.Recorded)
	}

	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(body)
	slack := metricValue(text, `influbot_http_requests_total{platform="slack",route="slack_commands",status="200"}`)
	discord := metricValue(text, `influbot_http_requests_total{platform="discord",route="discord_interactions",status="200"}`)
	if slack <= 0 || discord <= 0 || int64(slack+discord) != s.Sent {
		t.Errorf("/metrics counted %v Slack and %v Discord requests answered 200, the load tool sent %d", slack, discord, s.Sent)
	}
	hist := metricValue(text, `influbot_http_request_duration_seconds_count{platform="slack",route="slack_commands"}`) +
		metricValue(text, `influbot_http_request_duration_seconds_count{platform="discord",route="discord_interactions"}`)
	if int64(hist) != s.Sent {
		t.Errorf("the latency histograms counted %v requests, the load tool sent %d", hist, s.Sent)
	}
	for name, want := range map[string]float64{
		`influbot_busy_refusals_total{platform="slack"}`:       0,
		`influbot_db_write_failures_total{op="event"}`:         0,
		`influbot_db_write_failures_total{op="context"}`:       0,
		`influbot_db_write_duration_seconds_count{op="event"}`: float64(s.Sent),
	} {
		if got := metricValue(text, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	t.Logf("sent %d: %v Slack, %v Discord; throughput %.0f/s p99 %.1f ms", s.Sent, slack, discord, s.Throughput, s.Latency.P99)
}
