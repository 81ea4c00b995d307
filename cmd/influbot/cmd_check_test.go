package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
)

// checkJSON is the exact shape "influbot check --json" prints.
type checkJSON struct {
	Platform        *string  `json:"platform"`
	Followers       *int64   `json:"followers"`
	EngagementRate  *float64 `json:"engagement_rate"`
	EngagementBasis *string  `json:"engagement_basis"`
	ViewRate        *float64 `json:"view_rate"`
	Verdict         *string  `json:"verdict"`
	Score           *int     `json:"score"`
	Criteria        []struct {
		Name   string `json:"name"`
		Status string `json:"status"`
		Detail string `json:"detail"`
	} `json:"criteria"`
	Flags     []string `json:"flags"`
	NextSteps []string `json:"next_steps"`
}

// decodeOne decodes stdout as exactly one JSON object with no unknown
// fields.
func decodeOne(t *testing.T, out string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not one JSON object of the documented shape: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value on stdout: %s", out)
	}
}

func TestCheckCLI(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		platform  string
		followers int64
		er        float64 // -1: null
		basis     string
		viewRate  float64 // -1: null
		verdict   string
		statuses  map[string]string
	}{
		{"flags give the issue's example", []string{"check", "--json", "--platform", "instagram", "--followers", "4.2k", "--likes", "150", "--comments", "12", "--posts-per-week", "3", "--niche", "home decor"},
			"instagram", 4200, 3.86, "followers", -1, "borderline", map[string]string{"followers": "warn", "engagement": "pass", "cadence": "pass", "niche": "pass"}},
		{"free text gives the same", []string{"check", "--json", "instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor"},
			"instagram", 4200, 3.86, "followers", -1, "borderline", nil},
		{"free text may be several arguments and --json may come last", []string{"check", "ig", "4200", "followers,", "avg", "150", "likes", "--json"},
			"instagram", 4200, 3.57, "followers", -1, "borderline", map[string]string{"cadence": "unknown", "niche": "unknown"}},
		{"YouTube reports views and the view rate", []string{"check", "--json", "youtube 12k subs 800 views 40 likes weekly"},
			"youtube", 12000, 5, "views", 6.67, "ready", nil},
		{"an alias and creator number formats work", []string{"check", "--json", "--platform", "YT", "--followers", "12,300", "--views", "1.5k", "--likes", "60", "--posts-per-week", "twice a month"},
			"youtube", 12300, 4, "views", 12.2, "borderline", map[string]string{"cadence": "warn"}},
		{"TikTok is measured by views", []string{"check", "--json", "--platform", "tiktok", "--followers", "20k", "--views", "30k", "--likes", "2k", "--comments", "100", "--shares", "50", "--posts-per-week", "daily"},
			"tiktok", 20000, 7.17, "views", -1, "ready", nil},
		{"X counts shares", []string{"check", "--json", "--platform", "twitter", "--followers", "10000", "--likes", "20", "--comments", "5", "--shares", "5", "--posts-per-week", "7"},
			"x", 10000, 0.3, "followers", -1, "ready", nil},
		{"Facebook below half the benchmark is not yet", []string{"check", "--json", "--platform", "FB", "--followers", "50k", "--likes", "20", "--posts-per-week", "5"},
			"facebook", 50000, 0.04, "followers", -1, "not_yet", map[string]string{"engagement": "fail"}},
		{"missing likes leave the rate null", []string{"check", "--json", "--platform", "instagram", "--followers", "50k", "--posts-per-week", "5"},
			"instagram", 50000, -1, "followers", -1, "borderline", map[string]string{"engagement": "unknown"}},
		{"flags may give what the text leaves out", []string{"check", "--json", "--platform", "instagram", "5k followers 100 likes 3 posts a week"},
			"instagram", 5000, 2, "followers", -1, "ready", map[string]string{"cadence": "pass"}},
		{"flags override the text", []string{"check", "--json", "--followers", "900", "instagram 4.2k followers 150 likes"},
			"instagram", 900, 16.67, "followers", -1, "not_yet", map[string]string{"followers": "fail"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, "", nil, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			var got checkJSON
			decodeOne(t, out, &got)
			if got.Platform == nil || *got.Platform != tt.platform || got.Followers == nil || *got.Followers != tt.followers {
				t.Errorf("platform/followers: %s", out)
			}
			switch {
			case tt.er < 0 && got.EngagementRate != nil:
				t.Errorf("engagement_rate %v, want null", *got.EngagementRate)
			case tt.er >= 0 && (got.EngagementRate == nil || math.Abs(*got.EngagementRate-tt.er) > 0.001):
				t.Errorf("engagement_rate %v, want %v", got.EngagementRate, tt.er)
			}
			if got.EngagementBasis == nil || *got.EngagementBasis != tt.basis {
				t.Errorf("engagement_basis %v, want %s", got.EngagementBasis, tt.basis)
			}
			switch {
			case tt.viewRate < 0 && got.ViewRate != nil:
				t.Errorf("view_rate %v, want null", *got.ViewRate)
			case tt.viewRate >= 0 && (got.ViewRate == nil || math.Abs(*got.ViewRate-tt.viewRate) > 0.001):
				t.Errorf("view_rate %v, want %v", got.ViewRate, tt.viewRate)
			}
			if got.Verdict == nil || *got.Verdict != tt.verdict {
				t.Errorf("verdict %v, want %s", got.Verdict, tt.verdict)
			}
			if got.Score == nil || *got.Score < 0 || *got.Score > 100 || got.Flags == nil || got.NextSteps == nil || len(got.Criteria) != 4 {
				t.Errorf("score, flags, next_steps or criteria missing: %s", out)
			}
			for _, c := range got.Criteria {
				if want, ok := tt.statuses[c.Name]; ok && c.Status != want {
					t.Errorf("%s: %s, want %s", c.Name, c.Status, want)
				}
			}
		})
	}
}

func TestCheckCLIRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no input at all", []string{"check", "--json"}, "needs a platform and a follower count"},
		{"an unknown platform", []string{"check", "--json", "--platform", "myspace", "--followers", "5k"}, "unknown platform \"myspace\"; use instagram"},
		{"missing followers", []string{"check", "--json", "--platform", "youtube"}, "subscribers"},
		{"negative followers", []string{"check", "--json", "--platform", "ig", "--followers", "-5"}, "followers can't be negative"},
		{"absurd followers", []string{"check", "--json", "--platform", "ig", "--followers", "1e13"}, "more than any account has"},
		{"NaN likes", []string{"check", "--json", "--platform", "ig", "--followers", "5k", "--likes", "NaN"}, "likes"},
		{"absurd likes", []string{"check", "--json", "--platform", "ig", "--followers", "5k", "--likes", "20000000000000"}, "more than any account has"},
		{"five billion followers", []string{"check", "--followers", "5000000000", "--platform", "instagram"}, "at most 1 billion"},
		{"five billion followers in free text", []string{"check", "instagram 5b followers"}, "at most 1 billion"},
		{"likes far beyond the followers", []string{"check", "--json", "--platform", "ig", "--followers", "1000", "--likes", "500k"}, "not the total"},
		{"too many posts a week", []string{"check", "--json", "--platform", "ig", "--followers", "5k", "--posts-per-week", "500"}, "more than anyone posts"},
		{"an unreadable rhythm", []string{"check", "--json", "--platform", "ig", "--followers", "5k", "--posts-per-week", "sometimes"}, "posting rhythm"},
		{"free text it cannot parse", []string{"check", "--json", "instagram banana 4k followers apple"}, "didn't understand"},
		{"free text without a platform", []string{"check", "--json", "4k followers 200 likes"}, "tell me the platform"},
		{"text and flags without a platform", []string{"check", "--json", "--likes", "100", "4k followers"}, "the platform is missing"},
		{"an unknown flag", []string{"check", "--json", "--saves", "10"}, "flag provided but not defined"},
		{"a negative number as its own argument", []string{"check", "--json", "instagram", "-5", "followers"}, "numbers can't be negative (got -5)"},
		{"a negative amount as its own argument", []string{"commission", "--json", "kitchen", "-5"}, "numbers can't be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, "", nil, tt.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", code, errOut)
			}
			if out != "" {
				t.Errorf("stdout should be empty, got %q", out)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q, want one line containing %q", errOut, tt.want)
			}
		})
	}
}

func TestCheckCLIText(t *testing.T) {
	code, out, errOut := runMain(t, "", nil, "check", "instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Borderline", "3.86%", "Followers", "Next steps"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	t.Run("-h prints usage and exits 0", func(t *testing.T) {
		code, out, _ := runMain(t, "", nil, "check", "-h")
		if code != 0 || !strings.Contains(out, "--posts-per-week") || !strings.Contains(out, "engagement_basis") {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})
}

func TestCheckCLIKnowledgeOverride(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "rules", "ours.md"), "kind: benchmark\nid: instagram\nplatform: instagram\nbasis: followers\nrate: 5\nsource: our community\ndate: 2026-01\n")
	args := []string{"check", "--json", "--platform", "instagram", "--followers", "10k", "--likes", "300", "--posts-per-week", "3"}
	_, out, _ := runMain(t, "", nil, args...)
	var before checkJSON
	decodeOne(t, out, &before)
	code, out, errOut := runMain(t, "", map[string]string{"INFLUBOT_KNOWLEDGE": dir}, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var after checkJSON
	decodeOne(t, out, &after)
	if *before.Verdict != "ready" || *after.Verdict != "borderline" {
		t.Errorf("a 5%% benchmark should turn 3%% engagement from pass to warn: before %s, after %s", *before.Verdict, *after.Verdict)
	}
	t.Run("a bad rules file is reported with its name and line", func(t *testing.T) {
		writeFile(t, filepath.Join(dir, "rules", "bad.md"), "kind: benchmark\nid: x\nplatform: x\nbasis: reach\nrate: 1\nsource: s\ndate: 2024\n")
		code, _, errOut := runMain(t, "", nil, append(args, "--knowledge", dir)...)
		if code != 1 || !strings.Contains(errOut, "bad.md:4") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

func TestCommissionCLI(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		category string
		rate     float64
		amount   float64
		want     float64
	}{
		{"flags give an estimate", []string{"commission", "--json", "--category", "electronics", "--amount", "250"}, "All other categories", 4, 250, 10},
		{"the chat form works as arguments", []string{"commission", "--json", "home & garden", "$80"}, "Home", 3, 80, 2.4},
		{"pc matches PC", []string{"commission", "--json", "--category", "pc", "--amount", "1,000"}, "PC", 2.5, 1000, 25},
		{"an unknown category falls under all other categories", []string{"commission", "--json", "--category", "widgets", "--amount", "100"}, "All other categories", 4, 100, 4},
		{"gift cards earn nothing", []string{"commission", "--json", "--category", "Gift Cards", "--amount", "50"}, "Gift Cards", 0, 50, 0},
		{"amazon games earn 20%", []string{"commission", "--json", "--category", "amazon games", "--amount", "19.99"}, "Amazon Games", 20, 19.99, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, "", nil, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got struct {
				Category    *string  `json:"category"`
				RatePercent *float64 `json:"rate_percent"`
				Amount      *float64 `json:"amount"`
				Commission  *float64 `json:"commission"`
				Matched     *bool    `json:"matched"`
			}
			decodeOne(t, out, &got)
			if got.Category == nil || *got.Category != tt.category || *got.RatePercent != tt.rate || *got.Amount != tt.amount || *got.Commission != tt.want {
				t.Errorf("got %s", out)
			}
			if wantMatched := !strings.Contains(tt.name, "unknown"); got.Matched == nil || *got.Matched != wantMatched {
				t.Errorf("matched: got %s, want %v", out, wantMatched)
			}
		})
	}
	bad := []struct {
		name string
		args []string
		want string
	}{
		{"a missing amount", []string{"commission", "--json", "--category", "kitchen"}, "needs an amount"},
		{"a missing category", []string{"commission", "--json", "--amount", "80"}, "needs a category"},
		{"a negative amount", []string{"commission", "--json", "--category", "kitchen", "--amount", "-5"}, "can't be negative"},
		{"an unreadable amount", []string{"commission", "--json", "--category", "kitchen", "--amount", "lots"}, "not an amount"},
		{"an absurd amount", []string{"commission", "--json", "--category", "kitchen", "--amount", "1e15"}, "more than a sale can be"},
	}
	for _, tt := range bad {
		t.Run(tt.name+" exits 2", func(t *testing.T) {
			code, out, errOut := runMain(t, "", nil, tt.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
	t.Run("text output says what it matched", func(t *testing.T) {
		_, out, _ := runMain(t, "", nil, "commission", "--category", "widgets", "--amount", "100")
		if !strings.Contains(out, "all other categories") {
			t.Errorf("got %s", out)
		}
	})
}

type lintJSON struct {
	OK       *bool `json:"ok"`
	Findings []struct {
		Rule    string `json:"rule"`
		Level   string `json:"level"`
		Message string `json:"message"`
	} `json:"findings"`
}

func TestLintCLI(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		ok    bool
		level string // a level some finding must have
	}{
		{"a link without a disclosure fails", []string{"lint", "--json", "Love this lamp! amzn.to/3xYz"}, "", false, "fail"},
		{"a clear disclosure passes", []string{"lint", "--json", "#ad Love this lamp! amzn.to/3xYz"}, "", true, "info"},
		{"a weak tag warns", []string{"lint", "--json", "Love", "this", "lamp", "amzn.to/3xYz", "#sp"}, "", true, "warn"},
		{"a caption from stdin is read", []string{"lint", "--json", "-"}, "Obsessed!\nGet it: amazon.com/shop/jane\n", false, "fail"},
		{"a plain post is ok", []string{"lint", "--json", "Sunset tonight"}, "", true, "info"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, tt.stdin, nil, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got lintJSON
			decodeOne(t, out, &got)
			if got.OK == nil || *got.OK != tt.ok {
				t.Errorf("ok: %s", out)
			}
			found, fails := false, false
			for _, f := range got.Findings {
				found = found || f.Level == tt.level
				fails = fails || f.Level == "fail"
			}
			if !found || fails == *got.OK {
				t.Errorf("findings: %s", out)
			}
		})
	}
	for _, ending := range []string{"", "\n", "\r\n"} {
		t.Run(fmt.Sprintf("a caption from stdin too long reports its real length (ending %q)", ending), func(t *testing.T) {
			code, out, errOut := runMain(t, strings.Repeat("é", 5_000_001)+ending, nil, "lint", "-")
			if code != 2 || out != "" || !strings.Contains(errOut, "5000001 characters") {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
	t.Run("an empty caption exits 2", func(t *testing.T) {
		code, out, errOut := runMain(t, "", nil, "lint", "--json", "  ")
		if code != 2 || out != "" || !strings.Contains(errOut, "needs a caption") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("--strict exits 1 on a failing caption", func(t *testing.T) {
		code, out, _ := runMain(t, "", nil, "lint", "--strict", "--json", "Love this lamp! amzn.to/3xYz")
		var got lintJSON
		decodeOne(t, out, &got)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
	})
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestErrorsDoNotPassControlCharactersToTheTerminal(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"an unreadable number", []string{"check", "--platform", "ig", "--followers", "12\x1b[2J"}},
		{"an unknown platform", []string{"check", "--platform", "my\x1b]0;x\x07space", "--followers", "5k"}},
		{"an unreadable amount", []string{"commission", "--category", "kitchen", "--amount", "\x1b[31mlots"}},
		{"a negative count", []string{"check", "--platform", "ig", "--followers", "-5\x1b[2J"}},
		{"an unknown flag", []string{"check", "--\x1b[2Jfollowers", "5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runMain(t, "", nil, tt.args...)
			if code != 2 || strings.ContainsAny(errOut, "\x1b\x07") {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
		})
	}
}

func TestOneShotCommandsStyleOnlyATerminal(t *testing.T) {
	args := []string{"commission", "kitchen", "80"}
	_, piped, _ := runMain(t, "", nil, args...)
	if strings.Contains(piped, "\x1b[") || strings.Contains(piped, "_Standard") || strings.Contains(piped, "**") {
		t.Errorf("piped output has styles or Markdown markers: %q", piped)
	}
	_, tty, _ := runMainTTY(t, "", args...)
	if !strings.Contains(tty, "\x1b[3mStandard US rates") {
		t.Errorf("terminal output is not styled: %q", tty)
	}
}

func TestOneShotFlagsComeFromTheCommandRecords(t *testing.T) {
	for _, c := range bot.StandaloneCommands() {
		t.Run("influbot "+c.Name+" -h lists a flag for each of its options", func(t *testing.T) {
			code, out, _ := runMain(t, "", nil, c.Name, "-h")
			if code != 0 {
				t.Fatalf("exit %d", code)
			}
			for _, o := range c.Options {
				if o.Rest {
					continue // free text fills it: lint's caption is its argument
				}
				if want := "-" + strings.ReplaceAll(o.Name, "_", "-") + " string\n    \t" + o.Description; !strings.Contains(out, want) {
					t.Errorf("no %q in:\n%s", want, out)
				}
			}
		})
	}
	t.Run("a flag set to nothing is a usage error", func(t *testing.T) {
		code, _, stderr := runMain(t, "", nil, "check", "--platform", "instagram", "--followers", "4k", "--likes", " ")
		if code != 2 || !strings.Contains(stderr, "--likes needs a value") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("flags override what the text says", func(t *testing.T) {
		code, out, _ := runMain(t, "", nil, "commission", "--json", "--amount", "100", "kitchen 50")
		if code != 0 || !strings.Contains(out, `"amount":100`) {
			t.Errorf("exit %d, stdout %s", code, out)
		}
	})
}
