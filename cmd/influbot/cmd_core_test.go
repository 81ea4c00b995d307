package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runMain runs the CLI in-process and returns its exit status and output.
func runMain(t *testing.T, stdin string, envv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	// Each run gets its own database unless the test names one, so no run
	// writes into the source tree.
	db := filepath.Join(t.TempDir(), "influbot.db")
	getenv := func(k string) string {
		if v, ok := envv[k]; ok {
			return v
		}
		if k == "INFLUBOT_DB" {
			return db
		}
		return ""
	}
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: getenv}
	code := run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

func TestAskJSON(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantTopic string
		anyTopic  bool
	}{
		{"a clear question gets its topic", []string{"ask", "--json", "how", "long", "should", "I", "wait", "before", "reapplying?"}, "reapply-wait", false},
		{"flags may follow the question", []string{"ask", "how many followers do I need?", "--json"}, "follower-requirement", false},
		{"an off-topic question gets no topic", []string{"ask", "--json", "where is my package"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, "", nil, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			var got struct {
				Topic       *string  `json:"topic"`
				Confidence  *float64 `json:"confidence"`
				Answer      *string  `json:"answer"`
				Suggestions []struct {
					Topic, Title string
				} `json:"suggestions"`
			}
			dec := json.NewDecoder(strings.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
			}
			if dec.More() {
				t.Fatalf("more than one JSON value on stdout: %s", out)
			}
			if got.Topic == nil || got.Confidence == nil || got.Answer == nil || got.Suggestions == nil {
				t.Fatalf("missing keys: %s", out)
			}
			if *got.Topic != tt.wantTopic {
				t.Errorf("topic %q, want %q", *got.Topic, tt.wantTopic)
			}
			if *got.Confidence < 0 || *got.Confidence > 1 || *got.Answer == "" {
				t.Errorf("confidence %v, answer %q", *got.Confidence, *got.Answer)
			}
		})
	}
}

func TestAskText(t *testing.T) {
	code, out, _ := runMain(t, "", nil, "ask", "what is the amazon influencer program")
	if code != 0 || !strings.Contains(out, "Amazon") {
		t.Errorf("exit %d, out %q", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ask without a question", []string{"ask"}, "ask needs a question"},
		{"ask with an unknown flag", []string{"ask", "--jsn", "hi"}, "flag provided but not defined"},
		{"an unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"chat with arguments", []string{"chat", "hello"}, "chat takes no arguments"},
		{"a missing knowledge directory", []string{"ask", "--knowledge", "/nonexistent/dir", "hi"}, "knowledge directory"},
		{"a huge question", []string{"ask", strings.Repeat("x", 5000)}, "keep it under"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, "", nil, tt.args...)
			if code == 0 {
				t.Fatalf("exit 0, want failure; out %q", out)
			}
			if lines := strings.Count(strings.TrimSpace(errOut), "\n"); lines > 0 {
				t.Errorf("stderr has %d lines, want one: %q", lines+1, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q lacks %q", errOut, tt.want)
			}
		})
	}
	if code, _, _ := runMain(t, "", nil, "ask"); code != 2 {
		t.Errorf("usage error exit %d, want 2", code)
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := runMain(t, "", nil, "help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, sc := range subcommands() {
		if !strings.Contains(out, "  "+sc.name) {
			t.Errorf("help does not list %q", sc.name)
		}
		code, sub, errOut := runMain(t, "", nil, sc.name, "-h")
		if code != 0 || !strings.Contains(sub, "Usage: influbot "+sc.name) {
			t.Errorf("%s -h: exit %d, out %q, err %q", sc.name, code, sub, errOut)
		}
	}
}

func TestChatPiped(t *testing.T) {
	code, out, errOut := runMain(t, "help\nwhy was my application rejected?\nquit\n", map[string]string{"USER": "alice"}, "chat")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{"Hi alice", "What I can do", "Bye!"} {
		if !strings.Contains(out, w) {
			t.Errorf("chat output lacks %q", w)
		}
	}
}

func TestKnowledgeOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "faq"), 0o755); err != nil {
		t.Fatal(err)
	}
	entry := "id: tiktok-shop\ntitle: TikTok Shop vs Amazon\ntags: tiktok shop\nsource: community\nphrasings:\n  - is tiktok shop better than the amazon influencer program\n  - tiktok shop affiliate vs amazon\n---\nOur community's take on TikTok Shop.\n"
	if err := os.WriteFile(filepath.Join(dir, "faq", "community.md"), []byte(entry), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runMain(t, "", nil, "ask", "--json", "--knowledge", dir, "is tiktok shop better than amazon's influencer program?")
	if code != 0 || !strings.Contains(out, `"topic":"tiktok-shop"`) {
		t.Errorf("exit %d, out %s, err %s", code, out, errOut)
	}
	if err := os.WriteFile(filepath.Join(dir, "faq", "broken.md"), []byte("id: x\nthis line is broken\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runMain(t, "", nil, "ask", "--knowledge", dir, "hello")
	if code == 0 || !strings.Contains(errOut, "broken.md:2:") {
		t.Errorf("exit %d, stderr %q: want the file and line named", code, errOut)
	}
}

func TestAskLeavesNoDatabaseBehind(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, out, errOut := runMain(t, "", map[string]string{"INFLUBOT_DB": ""}, "ask", "how long should I wait before reapplying?")
	if code != 0 || out == "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, defaultDB)); !os.IsNotExist(err) {
		t.Errorf("ask created %s in the working directory", defaultDB)
	}
	t.Run("with --db it records there", func(t *testing.T) {
		path := filepath.Join(dir, "asked.db")
		if code, _, errOut := runMain(t, "", map[string]string{"INFLUBOT_DB": ""}, "ask", "--db", path, "hi there"); code != 0 {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("--db was not used: %v", err)
		}
	})
}

func TestChatKeepsLogsOutOfTheConversation(t *testing.T) {
	t.Run("on a terminal a warning is not printed into the chat", func(t *testing.T) {
		code, out, errOut := runMainTTY(t, "tasks\n", "chat", "--db=", "--user", "alice")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if strings.Contains(out+errOut, "level=WARN") {
			t.Errorf("a warning reached the chat:\n%s\n%s", out, errOut)
		}
		if !strings.Contains(out, "need a database") {
			t.Errorf("the reply is missing:\n%s", out)
		}
	})
	t.Run("piped, warnings go to stderr only", func(t *testing.T) {
		code, out, errOut := runMain(t, "tasks\n", nil, "chat", "--db=", "--user", "alice")
		if code != 0 || strings.Contains(out, "level=") {
			t.Errorf("exit %d; stdout holds a log line:\n%s", code, out)
		}
		if !strings.Contains(errOut, "level=WARN") {
			t.Errorf("the warning is lost: stderr %q", errOut)
		}
	})
	t.Run("--log-level still shows warnings on a terminal, on their own line", func(t *testing.T) {
		_, out, errOut := runMainTTY(t, "tasks\n", "chat", "--db=", "--user", "alice", "--log-level", "warn")
		if !strings.Contains(errOut, "level=WARN") || strings.Contains(out, "level=") {
			t.Errorf("stdout %q\nstderr %q", out, errOut)
		}
	})
}

func TestChatSaysOnceWhenTZIsUnknown(t *testing.T) {
	code, out, errOut := runMain(t, "help\nhelp\n", map[string]string{"TZ": "Mars/Olympus_Mons"}, "chat", "--db=", "--user", "alice")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, `TZ="Mars/Olympus_Mons" is not a time zone I know`); n != 1 {
		t.Errorf("said %d times:\n%s", n, out)
	}
	_, out, _ = runMain(t, "help\n", map[string]string{"TZ": "Europe/Berlin"}, "chat", "--db=", "--user", "alice")
	if strings.Contains(out, "not a time zone") {
		t.Errorf("a known zone was questioned:\n%s", out)
	}
}
