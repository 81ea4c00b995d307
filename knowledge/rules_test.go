package knowledge

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestShippedRules(t *testing.T) {
	r, err := LoadRules(Embedded(), "rules")
	if err != nil {
		t.Fatalf("load shipped rules: %v", err)
	}
	t.Run("every platform has the issue's default benchmark", func(t *testing.T) {
		want := map[string]struct {
			rate  float64
			basis string
		}{
			"instagram": {1.5, "followers"}, "tiktok": {4.0, "views"}, "youtube": {3.0, "views"},
			"facebook": {0.2, "followers"}, "x": {0.2, "followers"},
		}
		for p, w := range want {
			b, ok := r.Benchmark(p, 0)
			if !ok || b.Rate != w.rate || b.Basis != w.basis {
				t.Errorf("%s: got %+v, want rate %v by %s", p, b, w.rate, w.basis)
			}
			if b.Source == "" || b.Date == "" {
				t.Errorf("%s: benchmark has no source or date", p)
			}
		}
	})
	t.Run("thresholds match the issue", func(t *testing.T) {
		if r.Followers.Pass != 5000 || r.Followers.Warn != 1000 {
			t.Errorf("followers: %+v", r.Followers)
		}
		if c := r.CadenceFor("instagram"); c.Pass != 3 || c.Warn != 1 {
			t.Errorf("default cadence: %+v", c)
		}
		if c := r.CadenceFor("youtube"); c.Pass != 1 || c.Warn != 12.0/52 {
			t.Errorf("youtube cadence: %+v", c)
		}
		if !strings.Contains(r.Followers.Note, "no follower minimum") {
			t.Errorf("the followers note must say Amazon publishes no minimum: %q", r.Followers.Note)
		}
	})
	t.Run("the commission table has the US rates of Amazon's Standard Commission Income Statement", func(t *testing.T) {
		want := map[string]float64{
			"Amazon Games": 20, "Luxury Beauty": 10, "Luxury Stores Beauty": 10, "Amazon Explore": 10,
			"Digital Music": 5, "Physical Music": 5, "Handmade": 5, "Digital Videos": 5,
			"Physical Books": 4.5, "Kitchen": 4.5, "Automotive": 4.5,
			"Amazon devices": 4, "Fire TV Edition Smart TVs": 4, "Fashion and apparel": 4, "Watches": 4, "Jewelry": 4, "Luggage": 4, "Shoes": 4, "Handbags": 4, "All other categories": 4,
			"Toys": 3, "Furniture": 3, "Home": 3, "Home Improvement": 3, "Lawn & Garden": 3, "Pets": 3, "Headphones": 3, "Beauty": 3,
			"Musical Instruments": 3, "Business & Industrial": 3, "Outdoors": 3, "Tools": 3, "Sports": 3, "Baby": 3, "Amazon Coins": 3,
			"PC": 2.5, "PC components": 2.5, "DVD & Blu-Ray": 2.5,
			"Televisions": 2, "Digital Video Games": 2,
			"Amazon Fresh": 1, "Physical Video Games & Consoles": 1, "Grocery": 1, "Health & Personal Care": 1,
			"Gift Cards": 0, "Alcoholic Beverages": 0, "Wireless Service Plans": 0, "Digital Kindle Products purchased as a subscription": 0,
		}
		got := map[string]float64{}
		for _, c := range r.Commission {
			got[c.Category] = c.Rate
			if c.Source == "" || c.Date == "" {
				t.Errorf("%s has no source or date", c.Category)
			}
		}
		for cat, rate := range want {
			if g, ok := got[cat]; !ok || g != rate {
				t.Errorf("%s: got %v (present %v), want %v", cat, g, ok, rate)
			}
		}
		for cat := range got {
			if _, ok := want[cat]; !ok {
				t.Errorf("%q is not a line of Amazon's table; file it under the line Amazon uses", cat)
			}
		}
		if d, ok := r.DefaultCommission(); !ok || d.Category != "All other categories" {
			t.Errorf("default line: %+v", d)
		}
	})
	t.Run("there are dozens of niches", func(t *testing.T) {
		if len(r.Niches) < 30 {
			t.Errorf("only %d niches", len(r.Niches))
		}
	})
	t.Run("every criterion that can fail or warn has steps on every platform", func(t *testing.T) {
		for _, p := range TaskPlatforms {
			for _, c := range []string{"followers", "engagement", "cadence"} {
				for _, s := range []string{"fail", "warn", "unknown"} {
					if c == "followers" && s == "unknown" {
						continue
					}
					if _, ok := r.StepsFor(c, s, p); !ok {
						t.Errorf("no %s/%s steps for %s", c, s, p)
					}
				}
			}
			for _, cs := range [][2]string{{"niche", "warn"}, {"niche", "unknown"}, {"ready", "pass"}} {
				if _, ok := r.StepsFor(cs[0], cs[1], p); !ok {
					t.Errorf("no %s/%s steps for %s", cs[0], cs[1], p)
				}
			}
		}
	})
}

func TestRulesOverlay(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "rules", "local.md"), `kind: benchmark
id: instagram
platform: instagram
basis: followers
rate: 2.5
source: our community's numbers
date: 2026-01
===
kind: benchmark
id: instagram-100k
platform: instagram
basis: followers
rate: 1
min-followers: 100000
source: our community's numbers
date: 2026-01
`)
	src, err := WithDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := LoadRules(src, "rules")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		platform  string
		followers int64
		want      float64
	}{
		{"a record with a shipped id replaces it", "instagram", 5000, 2.5},
		{"a tier applies from its follower count up", "instagram", 250000, 1},
		{"other platforms keep the shipped benchmark", "tiktok", 5000, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, ok := r.Benchmark(tt.platform, tt.followers)
			if !ok || b.Rate != tt.want {
				t.Errorf("got %+v, want rate %v", b, tt.want)
			}
		})
	}
	t.Run("a same-named file replaces the shipped one", func(t *testing.T) {
		// Replacing steps.md with one record leaves only that record.
		mustWrite(t, filepath.Join(dir, "rules", "steps.md"), "kind: step\nid: only\ncriterion: ready\nstatus: pass\nplatform: all\nsteps:\n  - Apply now on {platform}.\n")
		r, err := LoadRules(src, "rules")
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Steps) != 1 || r.Steps[0].ID != "only" {
			t.Errorf("steps: %+v", r.Steps)
		}
	})
}

func TestRulesErrors(t *testing.T) {
	base := map[string]string{}
	for _, p := range TaskPlatforms {
		base[p] = "kind: benchmark\nid: " + p + "\nplatform: " + p + "\nbasis: followers\nrate: 1\nsource: s\ndate: 2024\n"
	}
	valid := strings.Join([]string{base["instagram"], base["youtube"], base["tiktok"], base["facebook"], base["x"],
		"kind: threshold\nid: followers\npass: 5000\nwarn: 1000\nsource: s\ndate: 2024\n",
		"kind: threshold\nid: cadence\nplatform: all\npass: 3/week\nwarn: 1/week\nsource: s\ndate: 2024\n",
		"kind: flag\nid: engagement-far-above-norm\ntimes: 5\nsource: s\ndate: 2024\n",
		"kind: flag\nid: large-following-low-engagement\ntimes: 0.1\nmin-followers: 10000\nsource: s\ndate: 2024\n",
		"kind: flag\nid: low-view-rate\nbelow: 2\nmin-followers: 10000\nsource: s\ndate: 2024\n",
	}, "===\n")
	tests := []struct {
		name, extra, want string
	}{
		{"a minimal valid set loads", "", ""},
		{"an unknown kind is named with its line", "kind: widget\nid: w\n", `rules/x.md:1: unknown kind "widget"`},
		{"a benchmark needs a source", "kind: benchmark\nid: b\nplatform: x\nbasis: views\nrate: 1\ndate: 2024\n", `missing "source"`},
		{"a date must be a date", "kind: benchmark\nid: b\nplatform: x\nbasis: views\nrate: 1\nsource: s\ndate: last year\n", `rules/x.md:7: date "last year"`},
		{"an unknown platform is refused", "kind: benchmark\nid: b\nplatform: myspace\nbasis: views\nrate: 1\nsource: s\ndate: 2024\n", `platform "myspace"`},
		{"a basis must be followers or views", "kind: benchmark\nid: b\nplatform: x\nbasis: reach\nrate: 1\nsource: s\ndate: 2024\n", `basis "reach"`},
		{"a negative rate is refused", "kind: benchmark\nid: b\nplatform: x\nbasis: views\nrate: -1\nsource: s\ndate: 2024\n", `rate "-1"`},
		{"a cadence needs a period", "kind: threshold\nid: cadence-x\nplatform: x\npass: 3\nwarn: 1/week\nsource: s\ndate: 2024\n", `pass "3"`},
		{"a step placeholder must be known", "kind: step\nid: s\ncriterion: ready\nstatus: pass\nplatform: all\nsteps:\n  - Do {magic}\n", `unknown placeholder {magic}`},
		{"a step needs a known criterion", "kind: step\nid: s\ncriterion: vibes\nstatus: pass\nplatform: all\nsteps:\n  - x\n", `criterion "vibes"`},
		{"a niche needs categories", "kind: niche\nid: n\nsynonyms: a, b\n", `has no categories`},
		{"the commission table needs one default", "kind: commission\nid: c\ncategory: C\nrate: 3\nsource: s\ndate: 2024\n", `exactly one line with ` + "`default: yes`"},
		{"one commission line has one rate",
			"kind: commission\nid: other\ncategory: All other categories\nrate: 4\ndefault: yes\nsource: s\ndate: 2024\n===\n" +
				"kind: commission\nid: electronics\ncategory: All Other Categories\nrate: 5\naliases: electronics\nsource: s\ndate: 2024\n",
			`commission "electronics" gives "All Other Categories" 5%, but "other" (rules/x.md:1) gives it 4%`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := valid
			if tt.extra != "" {
				data = tt.extra + "===\n" + valid
			}
			_, err := LoadRules(FromFS(fstest.MapFS{"rules/x.md": {Data: []byte(data)}}), "rules")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one containing %q", err, tt.want)
			}
			var ke *Error
			if !errors.As(err, &ke) || ke.File == "" {
				t.Errorf("error does not name its file: %v", err)
			}
		})
	}
	t.Run("a platform without a base benchmark is refused", func(t *testing.T) {
		data := strings.Replace(valid, base["x"], "kind: benchmark\nid: x\nplatform: x\nbasis: followers\nrate: 1\nmin-followers: 100\nsource: s\ndate: 2024\n", 1)
		_, err := LoadRules(FromFS(fstest.MapFS{"rules/x.md": {Data: []byte(data)}}), "rules")
		if err == nil || !strings.Contains(err.Error(), "no base benchmark for x") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestMatchKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Home & Garden", "home and garden"},
		{"  DOGS ", "dog"},
		{"Accessories", "accessory"},
		{"watches", "watch"},
		{"fitness", "fitness"},
		{"Men's grooming", "men s grooming"},
		{"PC", "pc"},
	}
	for _, tt := range tests {
		t.Run(tt.in+" becomes "+tt.want, func(t *testing.T) {
			if got := MatchKey(tt.in); got != tt.want {
				t.Errorf("MatchKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
