package main

import (
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version", "-version"} {
		t.Run(arg+" prints the version", func(t *testing.T) {
			code, out, errOut := runMain(t, "", nil, arg)
			if code != 0 || !strings.HasPrefix(out, "influbot ") || errOut != "" {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
	t.Run("the line names the module version and the commit", func(t *testing.T) {
		info := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0c01f66abc"}, {Key: "vcs.time", Value: "2026-11-30T01:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
		got := versionLine(info)
		want := "influbot v1.4.0 (commit 0c01f66abc, 2026-11-30T01:00:00Z, with uncommitted changes) go1.26.0"
		if got != want {
			t.Errorf("got %q\nwant %q", got, want)
		}
	})
}

func TestGlobalFlagsWithoutRun(t *testing.T) {
	t.Run("influbot --db x.db chats like influbot run --db x.db", func(t *testing.T) {
		code, out, errOut := runMain(t, "help\n", nil, "--db=", "--user", "alice")
		if code != 0 || strings.Contains(errOut, "unknown command") || !strings.Contains(out, "check") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("global flags may come before a command", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "g.db")
		if code, _, errOut := runMain(t, "check ig 5k followers\n", nil, "--db", db, "chat", "--user", "gina"); code != 0 {
			t.Fatalf("chat: exit %d, %s", code, errOut)
		}
		code, out, errOut := runMain(t, "", nil, "--db", db, "export", "--user", "console:local:gina")
		if code != 0 || !strings.Contains(out, `"followers": 5000`) {
			t.Errorf("exit %d, stdout %.200q, stderr %q", code, out, errOut)
		}
	})
	t.Run("version and help after global flags are commands", func(t *testing.T) {
		if code, out, errOut := runMain(t, "", nil, "--db", "x.db", "version"); code != 0 || !strings.Contains(out, "influbot") {
			t.Errorf("version: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		if code, out, errOut := runMain(t, "", nil, "--log-level", "warn", "help", "check"); code != 0 || !strings.Contains(out, "check") {
			t.Errorf("help: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("an unknown flag is still named", func(t *testing.T) {
		code, _, errOut := runMain(t, "", nil, "--no-such-flag")
		if code != 2 || !strings.Contains(errOut, "no-such-flag") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}
