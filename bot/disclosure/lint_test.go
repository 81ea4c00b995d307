package disclosure

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestLint(t *testing.T) {
	long := "Cozy fall evening with my favorite blanket and this gorgeous lamp that makes everything glow. I have had it for months and it is perfect. "
	tests := []struct {
		name    string
		caption string
		ok      bool
		rules   map[string]string // rule -> level expected among the findings
		absent  []string          // rules that must not appear
	}{
		{"an Amazon link without a disclosure fails", "Love this lamp! amzn.to/3xYz", false,
			map[string]string{RuleMissing: Fail}, nil},
		{"an amazon.com link without a disclosure fails", "My desk setup https://www.amazon.com/dp/B0TEST", false,
			map[string]string{RuleMissing: Fail}, nil},
		{"a storefront /shop/ link without a disclosure fails", "Everything I use is at amazon.com/shop/jane", false,
			map[string]string{RuleMissing: Fail}, nil},
		{"a UK Amazon link counts", "Grab it here amazon.co.uk/dp/B0TEST", false,
			map[string]string{RuleMissing: Fail}, nil},
		{"#ad up front passes", "#ad Love this lamp! amzn.to/3xYz", true,
			nil, []string{RuleMissing, RuleWeak, RuleBelowFold, RuleBuried}},
		{"Ad: up front passes", "Ad: my go-to blender amzn.to/3xYz", true, nil, []string{RuleMissing}},
		{"(paid link) passes", "My go-to blender (paid link) amzn.to/3xYz", true, nil, []string{RuleMissing, RuleWeak}},
		{"#commissionsearned passes", "Blender I use daily #commissionsearned amzn.to/3xYz", true, nil, []string{RuleMissing}},
		{"#sponsored passes", "#sponsored Trying this serum amzn.to/3xYz", true, nil, []string{RuleMissing}},
		{"I earn a commission passes", "I earn a commission if you buy through this link: amzn.to/3xYz", true, nil, []string{RuleMissing}},
		{"I may earn a small commission passes", "I may earn a small commission from purchases. amzn.to/3xYz", true, nil, []string{RuleMissing}},
		{"the Associates sentence passes", "As an Amazon Associate I earn from qualifying purchases. amzn.to/3xYz", true, nil, []string{RuleMissing}},
		{"not sponsored is no disclosure", "Not sponsored, I just love this lamp amzn.to/3xYz", false,
			map[string]string{RuleMissing: Fail}, nil},
		{"non-sponsored is no disclosure", "(non-sponsored) honest review amzn.to/3xYz", false, map[string]string{RuleMissing: Fail}, nil},
		{"not #ad is no disclosure", "this is not #ad, just love it amzn.to/3xYz", false, map[string]string{RuleMissing: Fail}, nil},
		{"a denial next to a real disclosure still passes", "Not sponsored by the brand, but I earn a commission from this link amzn.to/3xYz", true,
			nil, []string{RuleMissing}},
		{"no in another sentence does not deny", "No filter needed. #ad amzn.to/3xYz", true, nil, []string{RuleMissing}},
		{"#adidas is not #ad", "New #adidas runners amzn.to/3xYz", false, map[string]string{RuleMissing: Fail}, nil},
		{"#sp alone warns", "Love this lamp! amzn.to/3xYz #sp", true, map[string]string{RuleWeak: Warn}, []string{RuleMissing}},
		{"#spon alone warns", "#spon lamp amzn.to/3xYz", true, map[string]string{RuleWeak: Warn}, nil},
		{"#aff alone warns", "#aff lamp amzn.to/3xYz", true, map[string]string{RuleWeak: Warn}, nil},
		{"#affiliate alone warns", "#affiliate lamp amzn.to/3xYz", true, map[string]string{RuleWeak: Warn}, nil},
		{"#partner alone warns", "#partner lamp amzn.to/3xYz", true, map[string]string{RuleWeak: Warn}, nil},
		{"thanks <brand> alone warns", "Thanks Lumina for the lamp! amazon.com/shop/jane", true, map[string]string{RuleWeak: Warn}, nil},
		{"thanks for watching is not a brand", "Thanks for watching! amzn.to/3xYz", false, map[string]string{RuleMissing: Fail}, []string{RuleWeak}},
		{"a disclosure after 125 characters warns", long + "Get it here amzn.to/3x #ad", true,
			map[string]string{RuleBelowFold: Warn}, []string{RuleMissing}},
		{"a disclosure among trailing hashtags warns", "Love this lamp amzn.to/x #home #decor #ad #cozy", true,
			map[string]string{RuleBuried: Warn}, []string{RuleBelowFold}},
		{"a disclosure up front and in the hashtags is fine", "#ad Love this lamp amzn.to/x #home #decor #ad", true,
			nil, []string{RuleBuried, RuleBelowFold}},
		{"support-me wording warns and does not disclose", "Support me by shopping my link! amzn.to/x", false,
			map[string]string{RuleMissing: Fail, RuleSupport: Warn}, nil},
		{"support-me wording next to #ad still warns", "#ad Using my link supports the channel amzn.to/x", true,
			map[string]string{RuleSupport: Warn}, []string{RuleMissing}},
		{"a plain post is ok", "Sunset at the beach tonight", true, nil, []string{RuleMissing, RuleWeak, RulePromotional, RuleSupport}},
		{"a promotion without a link or disclosure warns", "Shop my Amazon storefront, link in bio!", true,
			map[string]string{RulePromotional: Warn}, []string{RuleMissing}},
		{"every report reminds about the Associates sentence", "Sunset at the beach tonight", true,
			map[string]string{RuleAssociates: Info}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Lint(tt.caption)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK != tt.ok {
				t.Errorf("ok = %v, want %v: %+v", rep.OK, tt.ok, rep.Findings)
			}
			got := map[string]string{}
			for _, f := range rep.Findings {
				got[f.Rule] = f.Level
				if f.Message == "" {
					t.Errorf("%s has no message", f.Rule)
				}
			}
			for rule, level := range tt.rules {
				if got[rule] != level {
					t.Errorf("%s: level %q, want %q (findings %+v)", rule, got[rule], level, rep.Findings)
				}
			}
			for _, rule := range tt.absent {
				if _, ok := got[rule]; ok {
					t.Errorf("unexpected %s finding: %+v", rule, rep.Findings)
				}
			}
			if got[RuleAssociates] != Info {
				t.Errorf("no Associates reminder: %+v", rep.Findings)
			}
			hasFail := false
			for _, f := range rep.Findings {
				hasFail = hasFail || f.Level == Fail
			}
			if rep.OK == hasFail {
				t.Errorf("ok must be false exactly when a finding fails")
			}
		})
	}
}

func TestLintRejects(t *testing.T) {
	tests := []struct{ name, caption, want string }{
		{"an empty caption is refused", "   ", "empty"},
		{"a huge caption is refused", strings.Repeat("a", MaxCaption+1), "characters long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Lint(tt.caption)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("invalid UTF-8 is read without a panic", func(t *testing.T) {
		if _, err := Lint("lamp \xff\xfe amzn.to/x"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestReportJSON(t *testing.T) {
	rep, err := Lint("Love this lamp! amzn.to/3xYz")
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		OK       *bool `json:"ok"`
		Findings []struct {
			Rule    string `json:"rule"`
			Level   string `json:"level"`
			Message string `json:"message"`
		} `json:"findings"`
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	if got.OK == nil || *got.OK || len(got.Findings) == 0 {
		t.Errorf("unexpected JSON %s", js)
	}
}

func FuzzLint(f *testing.F) {
	for _, s := range []string{"Love this lamp! amzn.to/3xYz", "#ad x", "thanks Brand", "#a #b #c", "Ad:", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rep, err := Lint(s)
		if err != nil {
			return
		}
		if len(rep.Findings) == 0 || rep.Findings[len(rep.Findings)-1].Rule != RuleAssociates {
			t.Fatalf("Lint(%q): the Associates reminder is missing: %+v", s, rep.Findings)
		}
	})
}

func BenchmarkLint(b *testing.B) {
	const caption = "Cozy fall evening with my favorite blanket and this lamp. Get it here amzn.to/3xYz #home #decor #ad #cozy"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Lint(caption); err != nil {
			b.Fatal(err)
		}
	}
}
