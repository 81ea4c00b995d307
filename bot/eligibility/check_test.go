package eligibility

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/influbot/influbot/knowledge"
)

func testRules(t testing.TB) *knowledge.Rules {
	t.Helper()
	r, err := knowledge.LoadRules(knowledge.Embedded(), "rules")
	if err != nil {
		t.Fatalf("load rules: %v", err)
	}
	return r
}

// checkText parses text and checks it.
func checkText(t *testing.T, rules *knowledge.Rules, text string) Result {
	t.Helper()
	in, err := ParseFreeText(text)
	if err != nil {
		t.Fatalf("parse %q: %v", text, err)
	}
	res, err := Check(in, rules)
	if err != nil {
		t.Fatalf("check %q: %v", text, err)
	}
	return res
}

func statuses(r Result) map[string]string {
	m := map[string]string{}
	for _, c := range r.Criteria {
		m[c.Name] = c.Status
	}
	return m
}

func TestCheckVerdicts(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name     string
		text     string
		verdict  string
		statuses map[string]string // criteria to compare; others are not checked
		er       float64           // -1: null
		basis    string
	}{
		{"an Instagram creator who passes everything is ready",
			"instagram 10k followers 300 likes 20 comments 4 posts a week niche home decor", Ready,
			map[string]string{"followers": Pass, "engagement": Pass, "cadence": Pass, "niche": Pass}, 3.2, BasisFollowers},
		{"the issue's example is borderline on followers",
			"instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor", Borderline,
			map[string]string{"followers": Warn, "engagement": Pass, "cadence": Pass, "niche": Pass}, 3.86, BasisFollowers},
		{"under a thousand followers is not yet",
			"instagram 800 followers 60 likes 5 comments 5 posts a week niche makeup", NotYet,
			map[string]string{"followers": Fail, "engagement": Pass}, 8.13, BasisFollowers},
		{"Instagram engagement between half and the benchmark warns",
			"instagram 10k followers 100 likes 4 posts a week", Borderline,
			map[string]string{"engagement": Warn}, 1, BasisFollowers},
		{"Instagram engagement under half the benchmark fails",
			"instagram 10k followers 50 likes 4 posts a week", NotYet,
			map[string]string{"engagement": Fail}, 0.5, BasisFollowers},
		{"Facebook counts shares against followers",
			"facebook 20k followers 50 likes 5 comments 5 shares 3 posts a week niche cooking", Ready,
			map[string]string{"engagement": Pass}, 0.3, BasisFollowers},
		{"X below its benchmark warns",
			"x 10k followers 10 likes 2 replies 2 retweets daily", Borderline,
			map[string]string{"engagement": Warn, "cadence": Pass}, 0.14, BasisFollowers},
		{"TikTok with views is measured against views",
			"tiktok 20k followers 30k views 2k likes 100 comments 50 shares daily niche makeup", Ready,
			map[string]string{"engagement": Pass}, 7.17, BasisViews},
		{"TikTok without views cannot be graded on engagement",
			"tiktok 20k followers 2k likes 100 comments daily niche makeup", Borderline,
			map[string]string{"engagement": Unknown}, 10.5, BasisFollowers},
		{"YouTube with views leaves shares out",
			"youtube 12k subs 800 views 40 likes 5 comments 10 shares weekly niche tech", Ready,
			map[string]string{"engagement": Pass, "cadence": Pass}, 5.63, BasisViews},
		{"YouTube without views is measured by subscribers but not graded",
			"youtube 12k subs 400 likes 20 comments weekly", Borderline,
			map[string]string{"engagement": Unknown}, 3.5, BasisFollowers},
		{"missing likes can never make a creator ready",
			"instagram 50k followers 5 posts a week niche fitness", Borderline,
			map[string]string{"followers": Pass, "engagement": Unknown, "cadence": Pass}, -1, BasisFollowers},
		{"missing cadence keeps a strong creator borderline",
			"instagram 50k followers 2k likes 50 comments niche fitness", Borderline,
			map[string]string{"cadence": Unknown}, 4.1, BasisFollowers},
		{"a missing niche does not block ready",
			"instagram 50k followers 2k likes 50 comments 4 posts a week", Ready,
			map[string]string{"niche": Unknown}, 4.1, BasisFollowers},
		{"a weekly YouTube upload passes cadence", "youtube 6k subs 1k views 50 likes weekly", Ready,
			map[string]string{"cadence": Pass}, 5, BasisViews},
		{"two YouTube videos a month warn", "youtube 6k subs 1k views 50 likes 2 videos a month", Borderline,
			map[string]string{"cadence": Warn}, 5, BasisViews},
		{"one Instagram post a week warns", "instagram 6k followers 200 likes once a week", Borderline,
			map[string]string{"cadence": Warn}, 3.33, BasisFollowers},
		{"every other week on Instagram fails", "instagram 6k followers 200 likes every other week", NotYet,
			map[string]string{"cadence": Fail}, 3.33, BasisFollowers},
		{"a broad niche warns", "instagram 6k followers 200 likes 3 posts a week niche lifestyle", Ready,
			map[string]string{"niche": Warn}, 3.33, BasisFollowers},
		{"an unknown niche warns", "instagram 6k followers 200 likes 3 posts a week niche quantum basket weaving", Ready,
			map[string]string{"niche": Warn}, 3.33, BasisFollowers},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := checkText(t, rules, tt.text)
			if res.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s (criteria %+v)", res.Verdict, tt.verdict, res.Criteria)
			}
			got := statuses(res)
			for name, want := range tt.statuses {
				if got[name] != want {
					t.Errorf("%s: %s, want %s", name, got[name], want)
				}
			}
			switch {
			case tt.er < 0 && res.EngagementRate != nil:
				t.Errorf("engagement rate %v, want null", *res.EngagementRate)
			case tt.er >= 0 && (res.EngagementRate == nil || math.Abs(*res.EngagementRate-tt.er) > 0.005):
				t.Errorf("engagement rate %v, want %.2f", res.EngagementRate, tt.er)
			}
			if res.EngagementBasis != tt.basis {
				t.Errorf("basis %s, want %s", res.EngagementBasis, tt.basis)
			}
			for _, c := range res.Criteria {
				if strings.TrimSpace(c.Detail) == "" {
					t.Errorf("%s has no detail", c.Name)
				}
			}
		})
	}
}

func TestCheckThresholdEdges(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name              string
		followers, likes  float64
		criterion, status string
	}{
		{"exactly 5,000 followers pass", 5000, 200, "followers", Pass},
		{"4,999 followers warn", 4999, 200, "followers", Warn},
		{"exactly 1,000 followers warn", 1000, 200, "followers", Warn},
		{"999 followers fail", 999, 200, "followers", Fail},
		{"0 followers fail", 0, 0, "followers", Fail},
		{"exactly the Instagram benchmark passes", 10000, 150, "engagement", Pass},
		{"exactly half the benchmark warns", 10000, 75, "engagement", Warn},
		{"just under half the benchmark fails", 10000, 74, "engagement", Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Check(Input{Platform: "instagram", Followers: f(tt.followers), Likes: f(tt.likes)}, rules)
			if err != nil {
				t.Fatal(err)
			}
			if got := statuses(res)[tt.criterion]; got != tt.status {
				t.Errorf("%s: %s, want %s", tt.criterion, got, tt.status)
			}
		})
	}
}

func TestCheckDetails(t *testing.T) {
	rules := testRules(t)
	t.Run("the followers detail says Amazon publishes no minimum", func(t *testing.T) {
		for _, text := range []string{"instagram 500 followers", "instagram 3k followers", "instagram 30k followers"} {
			c, _ := checkText(t, rules, text).Criterion("followers")
			if !strings.Contains(c.Detail, "no follower minimum") || !strings.Contains(c.Detail, "community guidance") {
				t.Errorf("%q: %q", text, c.Detail)
			}
		}
	})
	t.Run("YouTube reports the view rate", func(t *testing.T) {
		res := checkText(t, rules, "youtube 12k subs 800 views 40 likes weekly")
		if res.ViewRate == nil || *res.ViewRate != 6.67 {
			t.Errorf("view rate %v, want 6.67", res.ViewRate)
		}
	})
	t.Run("other platforms have no view rate", func(t *testing.T) {
		res := checkText(t, rules, "tiktok 20k followers 30k views 2k likes")
		if res.ViewRate != nil {
			t.Errorf("view rate %v, want null", *res.ViewRate)
		}
	})
	t.Run("views without likes are heard, and set the target", func(t *testing.T) {
		cases := []struct {
			text      string
			want, not []string
		}{
			{"tiktok 8k followers 500 views", []string{"you gave 500 views per video", "likes, comments and shares", "about 20 likes, comments and shares together on 500 views"}, []string{"give your average likes, comments and views"}},
			{"youtube 2300 subs 900 views", []string{"you gave 900 views per video", "about 27 likes and comments together on 900 views"}, []string{"shares"}},
			// Too few views for a whole target: no "about 1".
			{"tiktok 8k followers 20 views", []string{"you gave 20 views per video", "about 4% of views)"}, []string{"together on"}},
			// Without views, views are still asked for.
			{"tiktok 8k followers", []string{"give your average likes, comments and views per video"}, []string{"you gave"}},
			// Instagram does not measure against views.
			{"instagram 8k followers 500 views", []string{"give your average likes and comments per post"}, []string{"you gave"}},
		}
		for _, tc := range cases {
			c, _ := checkText(t, rules, tc.text).Criterion("engagement")
			if c.Status != Unknown {
				t.Errorf("%q: status %s, want unknown", tc.text, c.Status)
			}
			for _, w := range tc.want {
				if !strings.Contains(c.Detail, w) {
					t.Errorf("%q: %q lacks %q", tc.text, c.Detail, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(c.Detail, w) {
					t.Errorf("%q: %q has %q", tc.text, c.Detail, w)
				}
			}
		}
	})
	t.Run("a niche maps to Amazon categories", func(t *testing.T) {
		for text, cat := range map[string]string{
			"home decor": "Home", "makeup": "Beauty", "skincare": "Beauty", "fitness": "Sports", "tech gadgets": "Electronics",
			"home cooking": "Kitchen", "dog mom": "Pets", "mommy blogger": "Baby", "Gaming": "Physical Video Games & Consoles",
		} {
			res, err := Check(Input{Platform: "instagram", Followers: f(6000), Niche: text}, rules)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := res.Criterion("niche")
			if c.Status != Pass || !strings.Contains(c.Detail, cat) {
				t.Errorf("niche %q: %s %q, want pass naming %s", text, c.Status, c.Detail, cat)
			}
		}
	})
	t.Run("home cooking is cooking, not home decor", func(t *testing.T) {
		m := MatchNiche("home cooking", rules.Niches)
		if len(m) != 1 || m[0].ID != "cooking" {
			t.Errorf("got %+v", m)
		}
	})
	t.Run("two niches in one text are both found", func(t *testing.T) {
		m := MatchNiche("home decor and cooking", rules.Niches)
		if len(m) != 2 || m[0].ID != "home-decor" || m[1].ID != "cooking" {
			t.Errorf("got %+v", m)
		}
	})
}

func TestCheckFlags(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name, text, want string
	}{
		{"engagement far above the norm suggests bought engagement", "instagram 5k followers 500 likes", "bought likes"},
		{"a large following with almost no engagement suggests bought followers", "instagram 100k followers 50 likes", "inactive or bought followers"},
		{"a low YouTube view rate suggests inactive subscribers", "youtube 100k subs 1k views 50 likes", "inactive subscribers"},
		{"more likes than views is questioned", "tiktok 10k followers 100 views 200 likes", "More likes (200) than views (100)"},
		{"more interactions than followers is questioned", "instagram 1000 followers 2000 likes", "More interactions per post than followers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := checkText(t, rules, tt.text)
			if !strings.Contains(strings.Join(res.Flags, "\n"), tt.want) {
				t.Errorf("flags %q do not mention %q", res.Flags, tt.want)
			}
		})
	}
	t.Run("ordinary numbers raise no flag", func(t *testing.T) {
		res := checkText(t, rules, "instagram 10k followers 300 likes 20 comments")
		if len(res.Flags) != 0 {
			t.Errorf("flags: %q", res.Flags)
		}
	})
}

func TestCheckScore(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name, text string
		min, max   int
	}{
		{"a ready creator scores 80 or more", "instagram 60k followers 2k likes 100 comments 6 posts a week niche home decor", 80, 100},
		{"a borderline creator scores 50 to 79", "instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor", 50, 79},
		{"a creator who is not yet ready scores under 50", "instagram 300 followers 5 likes", 0, 49},
		{"the strongest creator scores 100", "instagram 100k followers 4k likes 200 comments 7 posts a week niche makeup", 100, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := checkText(t, rules, tt.text)
			if res.Score < tt.min || res.Score > tt.max {
				t.Errorf("score %d, want %d..%d", res.Score, tt.min, tt.max)
			}
		})
	}
	t.Run("more engagement never lowers the score", func(t *testing.T) {
		prev := -1
		for likes := 0.0; likes <= 700; likes += 25 {
			res, err := Check(Input{Platform: "instagram", Followers: f(10000), Likes: f(likes), PostsPerWeek: f(3)}, rules)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Flags) == 0 && res.Score < prev {
				t.Errorf("%v likes scored %d, below %d", likes, res.Score, prev)
			}
			if len(res.Flags) == 0 {
				prev = res.Score
			}
		}
	})
}

func TestCheckNextSteps(t *testing.T) {
	rules := testRules(t)
	t.Run("failing criteria give concrete platform steps", func(t *testing.T) {
		res := checkText(t, rules, "instagram 600 followers 3 likes every other week")
		joined := strings.Join(res.NextSteps, "\n")
		if !strings.Contains(joined, "Reels") || !strings.Contains(joined, "weeks") {
			t.Errorf("steps are not concrete: %q", res.NextSteps)
		}
		if len(res.NextSteps) > MaxNextSteps {
			t.Errorf("%d steps, want at most %d", len(res.NextSteps), MaxNextSteps)
		}
	})
	t.Run("steps come from the platform's own templates", func(t *testing.T) {
		res := checkText(t, rules, "youtube 600 subs 2k views 10 likes weekly")
		if !strings.Contains(strings.Join(res.NextSteps, "\n"), "video") {
			t.Errorf("steps: %q", res.NextSteps)
		}
	})
	t.Run("placeholders are filled in", func(t *testing.T) {
		for _, text := range []string{"instagram 3k followers 100 likes 2 posts a week", "x 2k followers 3 likes 2 posts a week niche lifestyle", "youtube 9k subs 2 videos a month"} {
			for _, s := range checkText(t, rules, text).NextSteps {
				if strings.ContainsAny(s, "{}") {
					t.Errorf("%q: unfilled step %q", text, s)
				}
			}
		}
	})
	t.Run("a ready creator is told to apply", func(t *testing.T) {
		res := checkText(t, rules, "instagram 10k followers 300 likes 4 posts a week niche home decor")
		if len(res.NextSteps) == 0 || !strings.Contains(res.NextSteps[0], "Apply") {
			t.Errorf("steps: %q", res.NextSteps)
		}
	})
	t.Run("a missing niche is asked for", func(t *testing.T) {
		res := checkText(t, rules, "instagram 10k followers 300 likes 4 posts a week")
		if !res.NeedsNiche() || !strings.Contains(strings.Join(res.NextSteps, "\n"), "niche") {
			t.Errorf("steps: %q", res.NextSteps)
		}
	})
	t.Run("data requests survive the cap", func(t *testing.T) {
		long := *rules
		long.Steps = append([]knowledge.StepTemplate{{ID: "many", Criterion: "followers", Status: Fail, Platform: "tiktok",
			Steps: []string{"one", "two", "three", "four", "five", "six", "seven"}}}, rules.Steps...)
		in, _ := ParseFreeText("tiktok 600 followers 3 likes")
		res, err := Check(in, &long)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.NextSteps) != MaxNextSteps {
			t.Fatalf("%d steps, want the cap of %d: %q", len(res.NextSteps), MaxNextSteps, res.NextSteps)
		}
		if res.NextSteps[0] != "one" || !strings.Contains(res.NextSteps[len(res.NextSteps)-1], "niche") {
			t.Errorf("failing steps must come first and the niche request last: %q", res.NextSteps)
		}
	})
}

func TestCheckRejects(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"an unknown platform names the accepted ones", Input{Platform: "myspace", Followers: f(1)}, "unknown platform"},
		{"missing followers are asked for", Input{Platform: "youtube"}, "subscribers"},
		{"negative followers are refused", Input{Platform: "instagram", Followers: f(-1)}, "can't be negative"},
		{"absurd followers are refused", Input{Platform: "instagram", Followers: f(2e10)}, "more than any account has"},
		{"NaN likes are refused", Input{Platform: "instagram", Followers: f(10), Likes: f(math.NaN())}, "must be a number"},
		{"infinite views are refused", Input{Platform: "tiktok", Followers: f(10), Views: f(math.Inf(1))}, "must be a number"},
		{"more than 100 posts a week are refused", Input{Platform: "instagram", Followers: f(10), PostsPerWeek: f(101)}, "more than anyone posts"},
		{"five billion followers are refused", Input{Platform: "instagram", Followers: f(5e9)}, "at most 1 billion"},
		{"just over a billion followers are refused", Input{Platform: "youtube", Followers: f(1e9 + 1)}, "more than any account has"},
		{"likes over 100 times the followers are refused", Input{Platform: "instagram", Followers: f(1000), Likes: f(100001)}, "not the total"},
		{"comments over 100 times the followers are refused", Input{Platform: "tiktok", Followers: f(50), Comments: f(50000)}, "not the total"},
		{"two billion likes a post are refused", Input{Platform: "instagram", Followers: f(1e8), Likes: f(2e9)}, "more than any account has"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Check(tt.in, rules)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(ie.Msg, tt.want) {
				t.Fatalf("got %v, want an *InputError containing %q", err, tt.want)
			}
		})
	}
}

func TestCheckAcceptsRealAccounts(t *testing.T) {
	rules := testRules(t)
	tests := []struct {
		name string
		in   Input
	}{
		{"the largest accounts pass the follower limit", Input{Platform: "instagram", Followers: f(6.5e8), Likes: f(4e6)}},
		{"a viral post on a new account stays in", Input{Platform: "tiktok", Followers: f(5), Likes: f(900), Views: f(5e4)}},
		{"likes 100 times the followers are allowed", Input{Platform: "instagram", Followers: f(1000), Likes: f(100000)}},
		{"views far above the followers are normal on TikTok", Input{Platform: "tiktok", Followers: f(1000), Likes: f(500), Views: f(2e6)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Check(tt.in, rules); err != nil {
				t.Fatalf("Check: %v", err)
			}
		})
	}
}

func TestResultJSON(t *testing.T) {
	rules := testRules(t)
	res := checkText(t, rules, "instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home & decor")
	js, err := res.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Platform        string   `json:"platform"`
		Followers       int64    `json:"followers"`
		EngagementRate  *float64 `json:"engagement_rate"`
		EngagementBasis string   `json:"engagement_basis"`
		ViewRate        *float64 `json:"view_rate"`
		Verdict         string   `json:"verdict"`
		Score           int      `json:"score"`
		Criteria        []struct {
			Name, Status, Detail string
		} `json:"criteria"`
		Flags     []string `json:"flags"`
		NextSteps []string `json:"next_steps"`
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode %s: %v", js, err)
	}
	if got.Platform != "instagram" || got.Followers != 4200 || got.EngagementRate == nil || *got.EngagementRate != 3.86 ||
		got.EngagementBasis != "followers" || got.ViewRate != nil || got.Verdict != "borderline" || got.Flags == nil || len(got.Criteria) != 4 {
		t.Errorf("unexpected JSON: %s", js)
	}
	for _, key := range []string{`"view_rate":null`, `"flags":[]`, `"engagement_rate":3.86`} {
		if !bytes.Contains(js, []byte(key)) {
			t.Errorf("JSON lacks %s: %s", key, js)
		}
	}
	if bytes.Contains(js, []byte(`\u0026`)) {
		t.Errorf("JSON escapes HTML: %s", js)
	}
	if bytes.ContainsRune(js, '\n') {
		t.Errorf("JSON is not one line: %s", js)
	}
}

func BenchmarkCheckFreeText(b *testing.B) {
	rules := testRules(b)
	const text = "check instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor"
	b.ReportAllocs()
	for b.Loop() {
		in, err := ParseFreeText(text)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Check(in, rules); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseFreeText(b *testing.B) {
	const text = "check instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseFreeText(text); err != nil {
			b.Fatal(err)
		}
	}
}
