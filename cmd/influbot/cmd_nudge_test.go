package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/nudge"
	"github.com/influbot/influbot/store"
)

func TestNudgesCommand(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "influbot.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	maya := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "g1", ID: "maya"}
	theo := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T1", ID: "theo"}
	now := time.Now()
	for i, u := range []bot.UserRef{maya, theo} {
		db.Enqueue(ctx, bot.Nudge{User: u, Kind: bot.NudgeTask, TaskID: "reply-to-comments", Slot: now, Due: now, Key: "k" + string(rune('a'+i))})
	}
	claimed, _ := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "o", Now: now, LeaseUntil: now.Add(time.Minute), Limit: 1, User: maya})
	db.Finish(ctx, claimed[0].ID, "o", bot.NudgeDead, "gave up after 5 attempts: discord: 500")
	db.Close()
	env := map[string]string{"INFLUBOT_DB": path}
	tests := []struct {
		name     string
		args     []string
		code     int
		want     string
		dontWant string
	}{
		{"lists every nudge with its status and last error", []string{"nudges"}, 0, "gave up after 5 attempts", ""},
		{"filters by status", []string{"nudges", "--status", "pending"}, 0, "slack:T1:theo", "discord:g1:maya"},
		{"filters by user", []string{"nudges", "--user", "discord:g1:maya"}, 0, "dead", "theo"},
		{"prints a JSON array", []string{"nudges", "--json", "--status", "dead"}, 0, `"status": "dead"`, ""},
		{"re-queues dead nudges", []string{"nudges", "--retry-dead"}, 0, "Re-queued 1 dead nudge", ""},
		{"after which none are dead", []string{"nudges", "--status", "dead"}, 0, "No nudges match", ""},
		{"and re-queueing again says there is nothing to do", []string{"nudges", "--retry-dead"}, 0, "No dead nudges to re-queue", ""},
		{"refuses an unknown status", []string{"nudges", "--status", "lost"}, 2, "--status \"lost\"", ""},
		{"refuses a malformed user", []string{"nudges", "--user", "maya"}, 2, "platform:tenant:user", ""},
		{"refuses a negative limit", []string{"nudges", "--limit", "-3"}, 2, "--limit -3", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, "", env, tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) || (tt.dontWant != "" && strings.Contains(out, tt.dontWant)) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, tt.code, tt.want)
			}
		})
	}
	t.Run("--json prints one array of records with every key", func(t *testing.T) {
		_, out, _ := runMain(t, "", env, "nudges", "--json")
		var rows []map[string]any
		if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 2 {
			t.Fatalf("not one JSON array of 2 nudges: %v\n%s", err, out)
		}
		for _, k := range []string{"id", "user", "kind", "task", "slot", "due", "status", "attempts", "last_error", "sent_at"} {
			if _, ok := rows[0][k]; !ok {
				t.Errorf("key %q missing: %v", k, rows[0])
			}
		}
		if _, err := time.Parse(time.RFC3339, rows[0]["slot"].(string)); err != nil {
			t.Errorf("slot is not RFC 3339: %v", err)
		}
	})
	t.Run("--json with nothing to list prints an empty array", func(t *testing.T) {
		_, out, _ := runMain(t, "", env, "nudges", "--json", "--status", "claimed")
		if strings.TrimSpace(out) != "[]" {
			t.Errorf("stdout %q, want []", out)
		}
	})
	t.Run("a missing database is an error, not a new empty file", func(t *testing.T) {
		code, _, errOut := runMain(t, "", nil, "nudges", "--db", filepath.Join(t.TempDir(), "none.db"))
		if code != 1 || !strings.Contains(errOut, "no database") {
			t.Fatalf("exit %d, %q", code, errOut)
		}
	})
	t.Run("an empty --db is a usage error", func(t *testing.T) {
		if code, _, errOut := runMain(t, "", nil, "nudges", "--db="); code != 2 || !strings.Contains(errOut, "--db") {
			t.Fatalf("exit %d, %q", code, errOut)
		}
	})
}

func TestNudgeSettingsFromTheEnvironment(t *testing.T) {
	read := func(vars map[string]string) (map[string]nudge.RateLimit, bot.NudgeConfig, error) {
		var cfg bot.NudgeConfig
		limits, err := nudgeEnv(&env{getenv: func(k string) string { return vars[k] }}, &cfg)
		return limits, cfg, err
	}
	t.Run("nothing set keeps the platforms' default rates and the default quiet hours", func(t *testing.T) {
		limits, cfg, err := read(nil)
		if err != nil || limits[bot.PlatformDiscord] != nudge.DefaultLimits[bot.PlatformDiscord] || cfg.Quiet != nil || cfg.RecheckAfter != 0 {
			t.Fatalf("got %v %+v %v", limits, cfg, err)
		}
	})
	t.Run("INFLUBOT_NUDGE_RATE, INFLUBOT_QUIET_HOURS and INFLUBOT_RECHECK_AFTER are read", func(t *testing.T) {
		limits, cfg, err := read(map[string]string{"INFLUBOT_NUDGE_RATE": "discord=50:1", "INFLUBOT_QUIET_HOURS": "23:00-07:00", "INFLUBOT_RECHECK_AFTER": "14d"})
		if err != nil {
			t.Fatal(err)
		}
		if limits[bot.PlatformDiscord] != (nudge.RateLimit{PerSecond: 50, Burst: 1}) || limits[bot.PlatformSlack] != nudge.DefaultLimits[bot.PlatformSlack] {
			t.Errorf("limits %v", limits)
		}
		if cfg.Quiet == nil || cfg.Quiet.String() != "23:00-07:00" || cfg.RecheckAfter != 14*24*time.Hour {
			t.Errorf("quiet %v, recheck %s", cfg.Quiet, cfg.RecheckAfter)
		}
	})
	bad := []struct{ name, value, want string }{
		{"INFLUBOT_NUDGE_RATE", "discord=-5", "INFLUBOT_NUDGE_RATE: discord send rate"},
		{"INFLUBOT_NUDGE_RATE", "whatsapp=5", "not a platform"},
		{"INFLUBOT_QUIET_HOURS", "late", "INFLUBOT_QUIET_HOURS"},
		{"INFLUBOT_RECHECK_AFTER", "2h", "1d to 366d"},
		{"INFLUBOT_RECHECK_AFTER", "-3d", "INFLUBOT_RECHECK_AFTER"},
	}
	for _, tt := range bad {
		t.Run(tt.name+"="+tt.value+" stops the bot with exit 2 before it opens a database", func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "influbot.db")
			code, _, errOut := runMain(t, "", map[string]string{tt.name: tt.value, "INFLUBOT_DB": db}, "chat")
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and %q", code, errOut, tt.want)
			}
			if _, err := os.Stat(db); err == nil {
				t.Error("a database was created")
			}
		})
	}
}

func TestPruneReportsOldNudges(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "influbot.db")
	yearAgo := time.Now().Add(-365 * 24 * time.Hour)
	db := store.New(path)
	db.Now = func() time.Time { return yearAgo }
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	maya := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "g1", ID: "maya"}
	db.Enqueue(ctx, bot.Nudge{User: maya, Kind: bot.NudgeTask, TaskID: "reply-to-comments", Slot: yearAgo, Due: yearAgo, Key: "old1"})
	ns, _ := db.ClaimDue(ctx, bot.ClaimRequest{Owner: "o", Now: yearAgo, LeaseUntil: yearAgo.Add(time.Minute), Limit: 1})
	db.MarkSent(ctx, "o", []bot.SentNudge{{ID: ns[0].ID, At: yearAgo}})
	db.LogTaskEvent(ctx, bot.TaskEvent{User: maya, TaskID: "reply-to-comments", Kind: "done", Time: yearAgo})
	db.Close()
	code, out, errOut := runMain(t, "", map[string]string{"INFLUBOT_DB": path}, "prune", "--older-than", "30d", "--yes")
	if code != 0 || !strings.Contains(out, "1 sent or canceled nudge and 1 task event.") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
