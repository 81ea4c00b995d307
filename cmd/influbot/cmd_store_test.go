package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/store"
)

// exportDoc is what "influbot export" prints.
type exportDoc struct {
	User   map[string]any   `json:"user"`
	Events []map[string]any `json:"events"`
	Checks []map[string]any `json:"checks"`
	Tasks  []map[string]any `json:"tasks"`
	Nudges []map[string]any `json:"nudges"`
	Unans  []map[string]any `json:"unanswered"`
}

func exportOf(t *testing.T, envv map[string]string, args ...string) (exportDoc, map[string]json.RawMessage) {
	t.Helper()
	code, out, errOut := runMain(t, "", envv, append([]string{"export"}, args...)...)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("export printed no JSON object: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("export printed more than one JSON value:\n%s", out)
	}
	var doc exportDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc, raw
}

func TestANewUserChatsExportsAndIsForgotten(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "history.db")
	// Bob asks the same question in other words; its normalized form,
	// which bob's row keeps, differs from alice's text as she typed it.
	secret := "Can my parrot run the quux-frobnicator?"
	envv := map[string]string{"INFLUBOT_USER": "bob"}

	code, out, errOut := runMain(t, "why was I rejected?\n"+secret+"\nhistory\n", envv, "chat", "--db", db, "--user", "alice", "--retention", "365d")
	if code != 0 {
		t.Fatalf("chat: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Your progress") {
		t.Errorf("history in chat:\n%s", out)
	}
	if code, _, errOut := runMain(t, "", envv, "ask", "--db", db, "can my parrot run the QUUX frobnicator"); code != 0 {
		t.Fatalf("ask: exit %d: %s", code, errOut)
	}

	t.Run("export prints one object with every key, holding the chat", func(t *testing.T) {
		doc, raw := exportOf(t, envv, "--db", db, "--user", "console:local:alice")
		for _, k := range []string{"user", "events", "checks", "tasks", "nudges"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("no key %q", k)
			}
		}
		for _, k := range []string{"events", "checks", "tasks", "nudges", "unanswered"} {
			if string(raw[k]) == "null" {
				t.Errorf("%s is null, want a list", k)
			}
		}
		if doc.User["ref"] != "console:local:alice" {
			t.Errorf("user %v", doc.User)
		}
		var texts []string
		for _, e := range doc.Events {
			texts = append(texts, e["text"].(string))
		}
		joined := strings.Join(texts, "|")
		if !strings.Contains(joined, "why was I rejected?") || !strings.Contains(joined, secret) || !strings.Contains(joined, "history") {
			t.Errorf("events: %q", joined)
		}
		if len(doc.Unans) != 1 || doc.Unans[0]["text"] != secret {
			t.Errorf("unanswered: %v", doc.Unans)
		}
	})
	t.Run("ask records its unanswered question as the console user", func(t *testing.T) {
		doc, _ := exportOf(t, envv, "--db", db, "--user", "console:local:bob")
		if len(doc.Unans) != 1 {
			t.Errorf("bob's unanswered: %v", doc.Unans)
		}
	})
	t.Run("unanswered groups the two wordings", func(t *testing.T) {
		code, out, errOut := runMain(t, "", envv, "unanswered", "--db", db)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if !strings.Contains(out, "console:local") || !strings.Contains(strings.ToLower(out), "can my parrot run the quux") {
			t.Errorf("got:\n%s", out)
		}
		code, out, _ = runMain(t, "", envv, "unanswered", "--db", db, "--tenant", "console:local", "--json")
		var rows []struct {
			Tenant string
			Count  int
			Users  int
		}
		if err := json.Unmarshal([]byte(out), &rows); err != nil || code != 0 {
			t.Fatalf("exit %d, %v:\n%s", code, err, out)
		}
		if len(rows) != 1 || rows[0].Count != 2 || rows[0].Users != 2 || rows[0].Tenant != "console:local" {
			t.Errorf("rows %+v", rows)
		}
	})
	t.Run("INFLUBOT_DB is the default database", func(t *testing.T) {
		doc, _ := exportOf(t, map[string]string{"INFLUBOT_DB": db}, "--user", "console:local:alice")
		if len(doc.Events) == 0 {
			t.Error("nothing exported through INFLUBOT_DB")
		}
	})
	t.Run("forget leaves nothing, not even in the raw files", func(t *testing.T) {
		code, out, errOut := runMain(t, "", envv, "forget", "--db", db, "--user", "console:local:alice")
		if code != 0 || !strings.Contains(out, "Erased") {
			t.Fatalf("exit %d: %s %s", code, out, errOut)
		}
		doc, _ := exportOf(t, envv, "--db", db, "--user", "console:local:alice")
		if len(doc.Events)+len(doc.Checks)+len(doc.Tasks)+len(doc.Nudges)+len(doc.Unans) != 0 || doc.User["first_seen"] != nil {
			t.Errorf("left: %+v", doc)
		}
		for _, p := range []string{db, db + "-wal"} {
			b, err := os.ReadFile(p)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s still holds the forgotten question", filepath.Base(p))
			}
		}
		if doc, _ := exportOf(t, envv, "--db", db, "--user", "console:local:bob"); len(doc.Unans) != 1 {
			t.Error("forgetting alice erased bob's question")
		}
	})
}

func TestPruneDeletesOldHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	u := bot.UserRef{Platform: "discord", Tenant: "g", ID: "1"}
	for _, age := range []time.Duration{400 * 24 * time.Hour, 366 * 24 * time.Hour, 10 * 24 * time.Hour} {
		if err := db.RecordEvent(ctx, bot.Event{User: u, Time: time.Now().Add(-age), Kind: bot.EventQuestion, Text: "old"}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	code, out, errOut := runMain(t, "", nil, "prune", "--db", path, "--older-than", "365d", "--yes")
	if code != 0 || !strings.Contains(out, "Deleted 2 events, 0 unanswered questions") {
		t.Fatalf("exit %d: %q %s", code, out, errOut)
	}
	code, out, _ = runMain(t, "", map[string]string{"INFLUBOT_RETENTION": "5d"}, "prune", "--db", path, "--yes")
	if code != 0 || !strings.Contains(out, "Deleted 1 event, ") {
		t.Errorf("with INFLUBOT_RETENTION: exit %d: %q", code, out)
	}
}

// runMainTTY runs the CLI with stdin taken for a terminal a person types at.
func runMainTTY(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
		isTTY: func(any) bool { return true }}
	code := run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

func TestPruneShowsCountsAndAsksFirst(t *testing.T) {
	seed := func(t *testing.T) string {
		path := filepath.Join(t.TempDir(), "history.db")
		ctx := context.Background()
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		u := bot.UserRef{Platform: "discord", Tenant: "g", ID: "1"}
		for _, age := range []time.Duration{400 * 24 * time.Hour, 90 * 24 * time.Hour, 10 * time.Minute} {
			if err := db.RecordEvent(ctx, bot.Event{User: u, Time: time.Now().Add(-age), Kind: bot.EventQuestion, Text: "q"}); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		return path
	}
	left := func(t *testing.T, path string) int {
		db, err := store.OpenExisting(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		x, err := db.Export(context.Background(), bot.UserRef{Platform: "discord", Tenant: "g", ID: "1"})
		if err != nil {
			t.Fatal(err)
		}
		return len(x.Events)
	}
	t.Run("1m is refused as ambiguous and nothing is deleted", func(t *testing.T) {
		path := seed(t)
		code, _, errOut := runMain(t, "", nil, "prune", "--db", path, "--older-than", "1m", "--yes")
		if code != 2 || !strings.Contains(errOut, "1min or 1mo") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		if n := left(t, path); n != 3 {
			t.Errorf("%d events left, want 3", n)
		}
	})
	t.Run("without a terminal and without --yes it only counts", func(t *testing.T) {
		path := seed(t)
		code, out, errOut := runMain(t, "yes\n", nil, "prune", "--db", path, "--older-than", "30 days")
		if code != 2 || !strings.Contains(out, "This deletes 2 events") || !strings.Contains(errOut, "--yes") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		if n := left(t, path); n != 3 {
			t.Errorf("%d events left, want 3", n)
		}
	})
	t.Run("on a terminal it asks, and no keeps everything", func(t *testing.T) {
		path := seed(t)
		code, out, _ := runMainTTY(t, "no\n", "prune", "--db", path, "--older-than", "6mo")
		if code != 0 || !strings.Contains(out, "This deletes 1 event") || !strings.Contains(out, "Nothing deleted") {
			t.Errorf("exit %d, stdout %q", code, out)
		}
		if n := left(t, path); n != 3 {
			t.Errorf("%d events left, want 3", n)
		}
	})
	t.Run("on a terminal yes deletes", func(t *testing.T) {
		path := seed(t)
		code, out, _ := runMainTTY(t, "yes\n", "prune", "--db", path, "--older-than", "1min")
		if code != 0 || !strings.Contains(out, "Deleted 3 events") {
			t.Errorf("exit %d, stdout %q", code, out)
		}
		if n := left(t, path); n != 0 {
			t.Errorf("%d events left, want 0", n)
		}
	})
}

func TestStoreCommandsRefuseBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	db, err := store.Open(context.Background(), good)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	notDB := filepath.Join(dir, "notes.db")
	os.WriteFile(notDB, bytes.Repeat([]byte("not a database "), 300), 0o644)
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string
	}{
		{"export without a user", []string{"export", "--db", good}, nil, 2, "--user is required"},
		{"a user without platform and tenant", []string{"export", "--db", good, "--user", "alice"}, nil, 2, "platform:tenant:user"},
		{"a missing database is not created", []string{"export", "--db", filepath.Join(dir, "missing.db"), "--user", "console:local:a"}, nil, 1, "no database at"},
		{"a file that is not a database", []string{"forget", "--db", notDB, "--user", "console:local:a"}, nil, 1, "not an influbot database"},
		{"prune without an age", []string{"prune", "--db", good}, nil, 2, "needs --older-than"},
		{"a zero age", []string{"prune", "--db", good, "--older-than", "0d"}, nil, 2, "more than zero"},
		{"a negative age", []string{"prune", "--db", good, "--older-than", "-3d"}, nil, 2, "more than zero"},
		{"an absurd age", []string{"prune", "--db", good, "--older-than", "9999999999d"}, nil, 2, "too large"},
		{"an unknown unit", []string{"prune", "--db", good, "--older-than", "3 fortnights"}, nil, 2, "unknown unit"},
		{"a bad tenant", []string{"unanswered", "--db", good, "--tenant", "discord"}, nil, 2, "platform:tenant"},
		{"a bad limit", []string{"unanswered", "--db", good, "--limit", "-1"}, nil, 2, "--limit"},
		{"stray arguments", []string{"forget", "--db", good, "--user", "console:local:a", "now"}, nil, 2, "takes no arguments"},
		{"a bad retention", []string{"ask", "--db", good, "--retention", "soon", "hi"}, nil, 2, "INFLUBOT_RETENTION"},
		{"a database in a missing directory", []string{"ask", "--db", filepath.Join(dir, "no", "dir", "x.db"), "hi"}, nil, 1, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused with one line", func(t *testing.T) {
			code, _, errOut := runMain(t, "", tt.env, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tt.code, tt.want)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("more than one line: %q", errOut)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Error("export created a database")
	}
}

func TestAnEmptyDBFlagKeepsNoHistory(t *testing.T) {
	code, out, errOut := runMain(t, "history\n", nil, "chat", "--db=", "--user", "alice")
	if code != 0 || !strings.Contains(out, "no database is configured") {
		t.Errorf("exit %d: %s %s", code, out, errOut)
	}
}

// TestExportFollowsTheJSONConventions: RFC 3339 times everywhere, arrays
// for lists, nested objects rather than JSON inside strings.
func TestExportFollowsTheJSONConventions(t *testing.T) {
	db := filepath.Join(t.TempDir(), "conv.db")
	envv := map[string]string{"INFLUBOT_DB": db}
	script := "check instagram 900 followers 10 likes 1 post a week\nplan\nplan accept\nremind daily at 9:00 UTC\n"
	if code, out, errOut := runMain(t, script, envv, "chat", "--user", "maya"); code != 0 {
		t.Fatalf("chat: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut := runMain(t, "", envv, "export", "--user", "console:local:maya")
	if code != 0 {
		t.Fatalf("export: exit %d, %s", code, errOut)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	tasks, _ := doc["tasks"].([]any)
	nudges, _ := doc["nudges"].([]any)
	if len(tasks) == 0 || len(nudges) == 0 {
		t.Fatalf("the script made no tasks or nudges: %s", out)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				walk(path+"."+k, c)
				if k != "at" && !strings.HasSuffix(k, "_at") && k != "time" && !strings.HasSuffix(k, "_seen") {
					continue
				}
				switch c := c.(type) {
				case nil:
				case string:
					if _, err := time.Parse(time.RFC3339, c); err != nil {
						t.Errorf("%s.%s = %q is not RFC 3339", path, k, c)
					}
				default:
					t.Errorf("%s.%s = %v (%T) is not an RFC 3339 time", path, k, c, c)
				}
			}
		case []any:
			for i, c := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		case string:
			if s := strings.TrimSpace(v); strings.HasPrefix(s, "[{") || strings.HasPrefix(s, "{\"") {
				t.Errorf("%s holds JSON as a string: %.60s", path, v)
			}
		}
	}
	walk("export", doc)
	plans, _ := doc["other"].(map[string]any)["plans"].([]any)
	if len(plans) != 1 {
		t.Fatalf("plans: %v", doc["other"])
	}
	if pt, ok := plans[0].(map[string]any)["tasks"].([]any); !ok || len(pt) == 0 {
		t.Errorf("plans[0].tasks is not an array of objects: %v", plans[0])
	}
}

// TestTablesEscapeTerminalControls: text users typed reaches an admin's
// terminal in unanswered and nudges; escape sequences in it must not act.
func TestTablesEscapeTerminalControls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ctl.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	u := bot.UserRef{Platform: "discord", Tenant: "g", ID: "1"}
	evil := "how do i \x1b]0;owned\x07 clear \x1b[2J the screen\x00 \u202eevil \u009b31m"
	if err := db.LogUnanswered(ctx, bot.UnansweredQuestion{User: u, Text: evil}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errOut := runMain(t, "", nil, "unanswered", "--db", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, bad := range []string{"\x1b", "\x07", "\x00", "\u202e", "\u009b"} {
		if strings.Contains(out, bad) {
			t.Errorf("unanswered printed control %q: %q", bad, out)
		}
	}
	if !strings.Contains(out, `\x1B]0;owned\x07 clear \x1B[2J the screen\x00 evil \x9B31m`) {
		t.Errorf("the question is not shown with its controls made visible: %q", out)
	}
	_, out, _ = runMain(t, "", nil, "unanswered", "--db", path, "--json")
	if !strings.Contains(out, `\u001b]0;owned\u0007`) {
		t.Errorf("JSON does not escape the controls: %q", out)
	}
}
