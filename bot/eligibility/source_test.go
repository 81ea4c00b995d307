package eligibility

import (
	"strings"
	"testing"

	"github.com/influbot/influbot/knowledge"
)

func TestRateSourceNamesOnlyPublicSources(t *testing.T) {
	tests := []struct {
		name, source, date, want string
	}{
		{"an issue reference is dropped and the date follows the public source",
			"Amazon Associates Program Standard Commission Income Statement, US fixed rates (affiliate-program.amazon.com/help/operating/schedule), as listed in influbot issue 3", "2026-11-24",
			"Amazon Associates Program Standard Commission Income Statement, US fixed rates (affiliate-program.amazon.com/help/operating/schedule), as of 2026-11-24"},
		{"a parenthesised issue is dropped", "influbot default (issue 3), in line with HypeAuditor's 2023 study", "2026-11-24",
			"influbot default, in line with HypeAuditor's 2023 study, as of 2026-11-24"},
		{"a seed article is not cited", "Amazon's help page, per the seed article", "2026-01-01", "Amazon's help page, as of 2026-01-01"},
		{"a clean source is kept as it is", "Amazon Associates Program Standard Commission Income Statement", "2026-11-24",
			"Amazon Associates Program Standard Commission Income Statement, as of 2026-11-24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RateSource(knowledge.CommissionRate{Sourced: knowledge.Sourced{Source: tt.source, Date: tt.date}})
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
	t.Run("no shipped commission line cites an internal record", func(t *testing.T) {
		for _, r := range testRules(t).Commission {
			if s := strings.ToLower(RateSource(r)); strings.Contains(s, "issue") || strings.Contains(s, "seed article") {
				t.Errorf("%s: %q", r.Category, s)
			}
		}
	})
}

func TestCheckRepliesNameNoInternalRecords(t *testing.T) {
	rules := testRules(t)
	for _, text := range []string{
		"instagram 900 followers 10 likes 1 comment 1 post a month niche memes",
		"youtube 50k subs 100 views 2 likes weekly niche tech",
		"tiktok 200k followers 50k views 20k likes daily beauty",
		"x 6k followers 300 likes 40 replies 3 tweets a day finance",
	} {
		res := checkText(t, rules, text)
		js, err := res.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if s := strings.ToLower(string(js)); strings.Contains(s, "issue") || strings.Contains(s, "seed article") {
			t.Errorf("%q: the result names an internal record: %s", text, js)
		}
	}
}
