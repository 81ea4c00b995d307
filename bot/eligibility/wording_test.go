package eligibility

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/influbot/influbot/knowledge"
)

// normWords imply an industry standard the benchmarks are not: they are
// influbot's defaults set near published figures.
var normWords = []string{"norm", "standard", "usual", "typical engagement", "industry"}

func TestBenchmarkIsNamedAsInflubotsDefault(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name, text, criterion string
		want                  []string
	}{
		{"a passing rate names influbot's benchmark and its size", "instagram 10k followers 300 likes", "engagement",
			[]string{"at or above influbot's benchmark for Instagram accounts, about 1.5%", "Amazon publishes no target"}},
		{"a warning rate names influbot's benchmark", "instagram 10k followers 100 likes", "engagement",
			[]string{"below influbot's benchmark for Instagram accounts (about 1.5%)"}},
		{"a failing rate names influbot's benchmark", "instagram 10k followers 50 likes", "engagement",
			[]string{"less than half of influbot's benchmark for Instagram accounts (about 1.5%)"}},
		{"an unmeasured rate names influbot's benchmark", "instagram 10k followers", "engagement",
			[]string{"influbot's benchmark for Instagram accounts is about 1.5% of followers"}},
		{"a rate by followers where views are the basis names influbot's benchmark", "youtube 12k subs 40 likes", "engagement",
			[]string{"influbot's benchmark for YouTube accounts is about 3% of views"}},
		{"the bought-engagement flag compares with influbot's benchmark", "instagram 5k followers 500 likes", "",
			[]string{"times influbot's benchmark for Instagram accounts (about 1.5%)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := checkText(t, rules, tt.text)
			text := strings.Join(res.Flags, "\n")
			if tt.criterion != "" {
				c, _ := res.Criterion(tt.criterion)
				text = c.Detail
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%q lacks %q", text, w)
				}
			}
			for _, w := range normWords {
				if strings.Contains(strings.ToLower(text), w) {
					t.Errorf("%q calls the benchmark %q", text, w)
				}
			}
		})
	}
}

func TestATieredBenchmarkNamesTheTier(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "rules", "tiers.md")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("kind: benchmark\nid: instagram-100k\nplatform: instagram\nbasis: followers\nrate: 1\nmin-followers: 100000\nsource: a published study\ndate: 2026\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := knowledge.WithDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := knowledge.LoadRules(src, "rules")
	if err != nil {
		t.Fatal(err)
	}
	res := checkText(t, rules, "instagram 150k followers 1800 likes")
	c, _ := res.Criterion("engagement")
	if want := "at or above influbot's benchmark for Instagram accounts with 100,000+ followers, about 1%"; !strings.Contains(c.Detail, want) {
		t.Errorf("%q lacks %q", c.Detail, want)
	}
	if got := checkText(t, rules, "instagram 50k followers 1200 likes").BenchmarkName(); got != "influbot's benchmark for Instagram accounts" {
		t.Errorf("below the tier: %q", got)
	}
}
