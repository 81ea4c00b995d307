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

// influbot serve with DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID
// answers Discord's HTTP interactions: signed requests only, PING with
// PONG, a slash command inline with the core's answer.
func TestServeAnswersDiscordInteractions(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(binary, "serve", "--addr", addr, "--db", filepath.Join(t.TempDir(), "influbot.db"))
	cmd.Env = append(os.Environ(), "DISCORD_PUBLIC_KEY="+hex.EncodeToString(pub), "DISCORD_APPLICATION_ID=100000000000000001",
		"DISCORD_TOKEN=", "DISCORD_API_URL=http://127.0.0.1:1/api", "SLACK_SIGNING_SECRET=", "SLACK_BOT_TOKEN=", "INFLUBOT_ADDR=", "INFLUBOT_HTTP_ADDR=")
	var stderr syncBuffer
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
				t.Errorf("exit after SIGTERM: %v\n%s", err, stderr.String())
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Errorf("no exit within 20 s of SIGTERM")
		}
	}()
	base := "http://" + addr
	s := &served{base: base}
	if !eventually(15*time.Second, func() bool { return s.status(t, "/readyz") == http.StatusOK }) {
		t.Fatalf("/readyz never answered 200:\n%s", stderr.String())
	}
	post := func(body string, sign bool, at time.Time) (int, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, base+"/discord/interactions", bytes.NewBufferString(body))
		if err != nil {
			t.Fatal(err)
		}
		ts := strconv.FormatInt(at.Unix(), 10)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature-Timestamp", ts)
		sig := ed25519.Sign(priv, []byte(ts+body))
		if !sign {
			sig[0] ^= 0xff
		}
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		var out map[string]any
		json.Unmarshal(data, &out)
		return resp.StatusCode, out
	}
	const user = `{"id":"300000000000000001","username":"maya"}`
	command := `{"type":2,"id":"400000000000000001","application_id":"100000000000000001","token":"tok","version":1,` +
		`"guild_id":"100000000000000009","channel_id":"200000000000000001","member":{"user":` + user + `,"permissions":"0"},` +
		`"data":{"id":"500000000000000001","name":"commission","type":1,"options":[{"name":"category","type":3,"value":"kitchen"},{"name":"amount","type":3,"value":"80"}]}}`
	t.Run("a PING gets a PONG", func(t *testing.T) {
		code, out := post(`{"type":1,"id":"1","application_id":"100000000000000001","token":"t","version":1}`, true, time.Now())
		if code != http.StatusOK || out["type"] != float64(1) {
			t.Errorf("got %d %v", code, out)
		}
	})
	t.Run("a slash command is answered inline with the core's answer", func(t *testing.T) {
		code, out := post(command, true, time.Now())
		data, _ := out["data"].(map[string]any)
		text, _ := json.Marshal(data)
		if code != http.StatusOK || out["type"] != float64(4) || !strings.Contains(string(text), "3.60") {
			t.Errorf("got %d %v", code, out)
		}
	})
	interaction := func(typ int, id, data string) string {
		return `{"type":` + strconv.Itoa(typ) + `,"id":"` + id + `","application_id":"100000000000000001","token":"tok-` + id + `","version":1,` +
			`"guild_id":"100000000000000009","channel_id":"200000000000000001","member":{"user":` + user + `,"permissions":"0"},"data":` + data + `}`
	}
	native := []struct {
		name     string
		body     string
		wantType float64
		want     []string
	}{
		{"an autocomplete is answered with FAQ titles", interaction(4, "400000000000000011",
			`{"id":"500000000000000002","name":"ask","type":1,"options":[{"name":"question","type":3,"value":"reaply","focused":true}]}`),
			8, []string{`"value":"reapply-tips"`}},
		{"/check with no options is answered with a modal", interaction(2, "400000000000000012",
			`{"id":"500000000000000003","name":"check","type":1}`),
			9, []string{`"custom_id":"form:check"`, `"custom_id":"followers"`}},
		{"a modal submission with an invalid value is answered privately, with the form a press away", interaction(5, "400000000000000013",
			`{"custom_id":"form:check","components":[{"type":1,"components":[{"type":4,"custom_id":"platform","value":"instagram"}]},{"type":1,"components":[{"type":4,"custom_id":"followers","value":"many"}]}]}`),
			4, []string{`"flags":64`, "Fix my numbers", "check:form|"}},
		{"the message command Check disclosure lints the message", interaction(2, "400000000000000014",
			`{"id":"500000000000000004","name":"Check disclosure","type":3,"target_id":"600000000000000001","resolved":{"messages":{"600000000000000001":{"id":"600000000000000001","channel_id":"200000000000000001","content":"obsessed with this lamp amzn.to/3xYz","author":{"id":"300000000000000002","username":"bob"}}}}}`),
			4, []string{`"flags":64`, "isclos"}},
	}
	for _, tt := range native {
		t.Run(tt.name, func(t *testing.T) {
			code, out := post(tt.body, true, time.Now())
			text, _ := json.Marshal(out)
			if code != http.StatusOK || out["type"] != tt.wantType {
				t.Fatalf("got %d %s, want type %v", code, text, tt.wantType)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(text), w) {
					t.Errorf("response %s lacks %s", text, w)
				}
			}
		})
	}
	t.Run("a bad signature is refused with 401", func(t *testing.T) {
		if code, _ := post(command, false, time.Now()); code != http.StatusUnauthorized {
			t.Errorf("got %d", code)
		}
	})
	t.Run("a stale timestamp is refused with 401", func(t *testing.T) {
		if code, _ := post(command, true, time.Now().Add(-10*time.Minute)); code != http.StatusUnauthorized {
			t.Errorf("got %d", code)
		}
	})
	t.Run("a malformed body is a 4xx, never a 5xx", func(t *testing.T) {
		if code, _ := post(`{"type":`, true, time.Now()); code < 400 || code >= 500 {
			t.Errorf("got %d", code)
		}
	})
	t.Run("the metrics count Discord's requests", func(t *testing.T) {
		if body := s.get(t, "/metrics"); !strings.Contains(body, `platform="discord"`) {
			t.Errorf("no discord series in /metrics")
		}
	})
}
