package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	testBotToken = "xoxb-1111111111-2222222222222-AbCdEfGhIjKlMnOpQrStUvWx"
	testSigning  = "8f742231b10e8888abcd99yyyzzz85a5"
	testDiscord  = "MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.secretdiscordtokenpart"
)

// configRows runs 'influbot config --json' and returns its settings by
// name.
func configRows(t *testing.T, envv map[string]string, args ...string) (int, map[string]resolved, string, string) {
	t.Helper()
	code, out, errOut := runMain(t, "", envv, append([]string{"config", "--json"}, args...)...)
	var rows []resolved
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("config --json printed no JSON (%v): %q, stderr %q", err, out, errOut)
	}
	byName := map[string]resolved{}
	for _, r := range rows {
		byName[r.Name] = r
	}
	return code, byName, out, errOut
}

func TestConfigShowsValuesAndWhereTheyCameFrom(t *testing.T) {
	envv := map[string]string{
		"INFLUBOT_HTTP_ADDR":   "127.0.0.1:4000",
		"INFLUBOT_LOG_LEVEL":   "debug",
		"INFLUBOT_LOG_FORMAT":  "json",
		"SLACK_BOT_TOKEN":      testBotToken,
		"SLACK_SIGNING_SECRET": testSigning,
		"DISCORD_TOKEN":        testDiscord,
		"INFLUBOT_SECRET_KEY":  "c2VjcmV0LWtleS0zMi1ieXRlcy1sb25nLWFhYWFhYWE=",
	}
	code, rows, out, errOut := configRows(t, envv, "--log-level", "warn", "--db", "/var/lib/influbot/x.db")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, tc := range []struct {
		name, value, source, from string
	}{
		{"INFLUBOT_ADDR", "127.0.0.1:4000", sourceEnv, "INFLUBOT_HTTP_ADDR"},
		{"INFLUBOT_DB", "/var/lib/influbot/x.db", sourceFlag, ""},
		{"INFLUBOT_LOG_LEVEL", "warn", sourceFlag, ""},
		{"INFLUBOT_LOG_FORMAT", "json", sourceEnv, ""},
		{"INFLUBOT_RETENTION", "0", sourceDefault, ""},
		{"INFLUBOT_NUDGE_RATE", "discord=40:10,slack=20:10", sourceDefault, ""},
		{"SLACK_BOT_TOKEN", "xoxb-…(set, 54 chars)", sourceEnv, ""},
		{"SLACK_SIGNING_SECRET", "…(set, 32 chars)", sourceEnv, ""},
		{"DISCORD_TOKEN", "…(set, 54 chars)", sourceEnv, ""},
		{"SLACK_APP_TOKEN", "(not set)", sourceDefault, ""},
		{"INFLUBOT_SECRET_KEY", "…(set, 44 chars)", sourceEnv, ""},
		{"INFLUBOT_SLACK_PURGE_AFTER", "30d", sourceDefault, ""},
	} {
		r, ok := rows[tc.name]
		if !ok {
			t.Errorf("%s is missing from the configuration", tc.name)
			continue
		}
		if r.Value != tc.value || r.Source != tc.source || r.From != tc.from {
			t.Errorf("%s = %q from %s (%s), want %q from %s (%s)", tc.name, r.Value, r.Source, r.From, tc.value, tc.source, tc.from)
		}
	}
	for _, secret := range []string{testBotToken, testSigning, testDiscord, "AbCdEf", "secretdiscord", "c2VjcmV0LWtleS0z"} {
		if strings.Contains(out, secret) {
			t.Errorf("a secret (%q) is in the output:\n%s", secret, out)
		}
	}
	// The table says the same.
	code, table, _ := runMain(t, "", envv, "config")
	if code != 0 || !strings.Contains(table, "xoxb-…(set, 54 chars)") || strings.Contains(table, testBotToken) {
		t.Errorf("exit %d, table:\n%s", code, table)
	}
	for _, line := range strings.Split(table, "\n") {
		if strings.HasPrefix(line, "INFLUBOT_ADDR ") && !strings.Contains(line, "env (INFLUBOT_HTTP_ADDR)") {
			t.Errorf("the table does not say where INFLUBOT_ADDR came from: %q", line)
		}
	}
}

// TestBadSettingsFailAtStartUp: serve, run and config refuse a bad value
// before anything starts, naming the variable or flag, and never
// echoing a secret.
func TestBadSettingsFailAtStartUp(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		want    string // in the error
		notWant string // never in stderr
	}{
		{"unparsable retention", map[string]string{"INFLUBOT_RETENTION": "forever"}, []string{"serve", "--addr", "127.0.0.1:0"}, `INFLUBOT_RETENTION: `, ""},
		{"retention flag", nil, []string{"serve", "--addr", "127.0.0.1:0", "--retention", "12 parsecs"}, `--retention: `, ""},
		{"bad address", map[string]string{"INFLUBOT_ADDR": "localhost"}, []string{"serve"}, `INFLUBOT_ADDR: not a listen address like :3000`, ""},
		{"bad port by its older name", map[string]string{"INFLUBOT_HTTP_ADDR": ":99999"}, []string{"serve"}, `INFLUBOT_HTTP_ADDR: port "99999" is not a number from 0 to 65535 (it is ":99999")`, ""},
		{"bad address flag", nil, []string{"serve", "--addr", "300.1.2.3:x"}, `--addr: port "x"`, ""},
		{"unknown log level", map[string]string{"INFLUBOT_LOG_LEVEL": "loud"}, []string{"serve", "--addr", "127.0.0.1:0"}, `INFLUBOT_LOG_LEVEL: use debug, info, warn or error (it is "loud")`, ""},
		{"bad log format", map[string]string{"INFLUBOT_LOG_FORMAT": "xml"}, []string{"serve", "--addr", "127.0.0.1:0"}, `INFLUBOT_LOG_FORMAT: use text or json (it is "xml")`, ""},
		{"bad log format flag in run", nil, []string{"run", "--log-format", "yaml"}, `--log-format: use text or json (it is "yaml")`, ""},
		{"bad nudge rate", map[string]string{"INFLUBOT_NUDGE_RATE": "slack=fast"}, []string{"serve", "--addr", "127.0.0.1:0"}, `INFLUBOT_NUDGE_RATE: `, ""},
		{"bad discord key", map[string]string{"DISCORD_PUBLIC_KEY": "zz", "DISCORD_APPLICATION_ID": "1"}, []string{"serve", "--addr", "127.0.0.1:0"}, `DISCORD_PUBLIC_KEY: not a public key`, ""},
		{"swapped slack token, not echoed", map[string]string{"SLACK_BOT_TOKEN": "xapp-1-A0-123-verysecretvalue", "SLACK_SIGNING_SECRET": testSigning}, []string{"serve", "--addr", "127.0.0.1:0"}, "SLACK_BOT_TOKEN: does not look like a bot token", "verysecretvalue"},
		{"config lists every bad one", map[string]string{"INFLUBOT_LOG_LEVEL": "loud", "INFLUBOT_ADDR": "nope"}, []string{"config"}, "2 bad settings", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runMain(t, "", tc.env, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", code, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q does not contain %q", errOut, tc.want)
			}
			if strings.Contains(errOut, "serving HTTP") || strings.Contains(errOut, "applied migration") {
				t.Errorf("it started before refusing the setting:\n%s", errOut)
			}
			if tc.notWant != "" && strings.Contains(errOut, tc.notWant) {
				t.Errorf("stderr echoes the secret: %q", errOut)
			}
		})
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "(not set)"},
		{"xoxb-123", "xoxb-…(set, 8 chars)"},
		{"xapp-1-A-2-zz", "xapp-…(set, 13 chars)"},
		{"plainsecret", "…(set, 11 chars)"},
	} {
		if got := mask(tc.in); got != tc.want {
			t.Errorf("mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
