package bot_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
	"github.com/influbot/influbot/bot/eligibility"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

const chkExample = "check instagram 4.2k followers 150 likes 12 comments 3 posts a week niche home decor"

func TestCheckCommand(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	tests := []struct {
		name, text string
		want       func(t *testing.T, r bot.Reply)
	}{
		{"the issue's example gets a verdict, the rate and every criterion", chkExample, func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Title, "Borderline") || r.Tone != bot.ToneWarning {
				t.Errorf("title %q tone %v", r.Title, r.Tone)
			}
			for _, want := range []string{"3.86%", "of followers", "✅ **Engagement**", "⚠️ **Followers**", "✅ **Niche**", "Next steps", "no follower minimum"} {
				if !strings.Contains(r.Text, want) {
					t.Errorf("reply lacks %q:\n%s", want, r.Text)
				}
			}
		}},
		{"a ready creator is told so", "check tiktok 20k followers 30k views 2k likes 100 comments daily niche makeup", func(t *testing.T, r bot.Reply) {
			if r.Title != "Ready to apply" || r.Tone != bot.ToneSuccess || !strings.Contains(r.Text, "of views") {
				t.Errorf("got %q %v\n%s", r.Title, r.Tone, r.Text)
			}
		}},
		{"a creator far from ready gets not yet", "check ig 600 followers 3 likes", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Title, "Not yet") || r.Tone != bot.ToneError || !strings.Contains(r.Text, "❌") {
				t.Errorf("got %q\n%s", r.Title, r.Text)
			}
		}},
		{"a missing niche is asked for", "check ig 10k followers 300 likes 4 posts a week", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Text, "your niche") {
				t.Errorf("no niche question:\n%s", r.Text)
			}
		}},
		{"flags are shown", "check instagram 100k followers 50 likes 3 posts a week", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Text, "bought followers") {
				t.Errorf("no flag:\n%s", r.Text)
			}
		}},
		{"YouTube shows the view rate", "check youtube 12k subs 800 views 40 likes weekly", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Text, "View rate: **6.67%**") {
				t.Errorf("no view rate:\n%s", r.Text)
			}
		}},
		{"views beyond the subscribers are a multiple, not a share who watch", "check youtube 1.7k subs 2400 views 90 likes 10 comments", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Text, "View rate: a typical video gets **1.41×** your subscriber count in views (141%)") || strings.Contains(r.Text, "of subscribers watch") {
				t.Errorf("view rate over 100%%:\n%s", r.Text)
			}
		}},
		{"check alone explains how", "check", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Text, "4.2k followers") || r.Tone == bot.ToneError {
				t.Errorf("got %+v", r)
			}
		}},
		{"an attempted check without followers says what is missing", "check instagram", func(t *testing.T, r bot.Reply) {
			if r.Tone != bot.ToneError || !strings.Contains(r.Text, "followers") {
				t.Errorf("got %+v", r)
			}
		}},
		{"numbers without a platform ask for it", "check 4k followers 200 likes", func(t *testing.T, r bot.Reply) {
			if r.Tone != bot.ToneError || !strings.Contains(r.Text, "instagram") {
				t.Errorf("got %+v", r)
			}
		}},
		{"a negative number is refused kindly", "check instagram -5 followers", func(t *testing.T, r bot.Reply) {
			if r.Tone != bot.ToneError || !strings.Contains(r.Text, "can't be negative") {
				t.Errorf("got %+v", r)
			}
		}},
		{"an unknown platform names the accepted ones", "check myspace 4k followers", func(t *testing.T, r bot.Reply) {
			// "myspace" is not a platform, so the text is a niche without one.
			if r.Tone != bot.ToneError || !strings.Contains(r.Text, "youtube") {
				t.Errorf("got %+v", r)
			}
		}},
		{"a question after check goes to the FAQ", "check if I'm eligible?", func(t *testing.T, r bot.Reply) {
			if strings.Contains(r.Text, "couldn't run that check") || strings.Contains(r.Title, "Borderline") || r.Title == "" {
				t.Errorf("not answered from the FAQ: %q\n%s", r.Title, r.Text)
			}
		}},
		{"check what goes to the FAQ", "check what?", func(t *testing.T, r bot.Reply) {
			if strings.Contains(r.Text, "couldn't run that check") {
				t.Errorf("treated as a check: %s", r.Text)
			}
		}},
		{"a question with a number and no platform goes to the FAQ", "check if 5k followers is enough?", func(t *testing.T, r bot.Reply) {
			if strings.Contains(r.Text, "couldn't run that check") {
				t.Errorf("treated as a check: %s", r.Text)
			}
		}},
		{"a question wrapped around real numbers is checked", "check if my ig with 5k followers and 200 likes is enough", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Text, "4.00%") {
				t.Errorf("not checked:\n%s", r.Text)
			}
		}},
		{"the eligibility alias works", "eligibility fb 3k followers 20 likes", func(t *testing.T, r bot.Reply) {
			if !strings.Contains(r.Text, "Facebook") {
				t.Errorf("got %q", r.Text)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want(t, b.Say(tt.text))
		})
	}
}

func TestCheckStructuredMatchesFreeText(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	free := b.Say(chkExample)
	opts := b.Run("check", map[string]string{
		"platform": "Instagram", "followers": "4.2k", "likes": "150", "comments": "12", "posts_per_week": "3/week", "niche": "home decor",
	})
	if free.Title != opts.Title || free.Text != opts.Text {
		t.Errorf("slash options and free text differ:\n%s\n---\n%s", free.Text, opts.Text)
	}
	t.Run("a bad option value is refused kindly", func(t *testing.T) {
		r := b.Run("check", map[string]string{"platform": "instagram", "followers": "lots"})
		if r.Tone != bot.ToneError || !strings.Contains(r.Text, "followers") {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("a missing required option is named", func(t *testing.T) {
		r := b.Run("check", map[string]string{"platform": "youtube"})
		if r.Tone != bot.ToneError || !strings.Contains(r.Text, "subscribers") {
			t.Errorf("got %+v", r)
		}
	})
}

// chkStore keeps checks in memory and can be made to fail.
type chkStore struct {
	mu   sync.Mutex
	recs []bot.CheckRecord
	err  error
}

func (s *chkStore) SaveCheck(_ context.Context, c bot.CheckRecord) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	s.recs = append(s.recs, c)
	return int64(len(s.recs)), nil
}

func (s *chkStore) LatestChecks(_ context.Context, u bot.UserRef, limit int) ([]bot.CheckRecord, error) {
	return nil, nil
}

type chkEvents struct {
	mu     sync.Mutex
	events []bot.Event
}

func (r *chkEvents) RecordEvent(_ context.Context, e bot.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return nil
}

func TestChecksAreSavedToSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "influbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b := bottest.New(t, bot.Config{Checks: db, Events: db, Now: func() time.Time { return at }})
	alice := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "guild1", ID: "alice"}
	aliceElsewhere := bot.UserRef{Platform: bot.PlatformDiscord, Tenant: "guild2", ID: "alice"}
	b.As(alice).Say(chkExample)

	got, err := db.LatestChecks(ctx, alice, 5)
	if err != nil || len(got) != 1 {
		t.Fatalf("latest checks: %v, %d", err, len(got))
	}
	rec := got[0]
	in, err := eligibility.ParseFreeText(chkExample)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := knowledge.LoadRules(knowledge.Embedded(), "rules")
	if err != nil {
		t.Fatal(err)
	}
	res, err := eligibility.Check(in, rules)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := res.JSON()
	if string(rec.Result) != string(want) {
		t.Errorf("stored result differs from check --json:\n%s\n%s", rec.Result, want)
	}
	if rec.Platform != "instagram" || rec.Followers != 4200 || rec.EngagementRate != 3.86 || rec.EngagementBasis != "followers" ||
		rec.Verdict != "borderline" || rec.Niche != "home decor" || rec.Likes == nil || *rec.Likes != 150 || rec.Shares != nil ||
		rec.PostsPerWeek == nil || *rec.PostsPerWeek != 3 || !rec.Time.Equal(at) {
		t.Errorf("stored record: %+v", rec)
	}
	t.Run("a check stays in its own workspace", func(t *testing.T) {
		other, err := db.LatestChecks(ctx, aliceElsewhere, 5)
		if err != nil || len(other) != 0 {
			t.Errorf("the same user id in another guild sees %d checks (%v)", len(other), err)
		}
	})
}

func TestCheckEventsAndSaveFailures(t *testing.T) {
	cs := &chkStore{}
	ev := &chkEvents{}
	b := bottest.New(t, bot.Config{Checks: cs, Events: ev})
	b.Say(chkExample)
	b.Say("check instagram -5 followers")
	b.Say("check if I'm eligible?")
	if len(cs.recs) != 1 {
		t.Fatalf("%d checks saved, want 1 (only the valid one)", len(cs.recs))
	}
	if len(ev.events) != 3 {
		t.Fatalf("%d events", len(ev.events))
	}
	tests := []struct {
		name               string
		e                  bot.Event
		kind, cmd, errCode string
		answered, oneOff   bool
	}{
		{"a check is a command that answered, its verdict one-off", ev.events[0], bot.EventCommand, "check", "", true, true},
		{"bad input is recorded as invalid", ev.events[1], bot.EventCommand, "check", bot.EINVALID, false, false},
		{"a question is recorded as a question", ev.events[2], bot.EventQuestion, "ask", "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.e.Kind != tt.kind || tt.e.Command != tt.cmd || tt.e.ErrorCode != tt.errCode || (tt.e.ErrorCode == "" && tt.e.Answered != tt.answered) || tt.e.OneOffReply != tt.oneOff {
				t.Errorf("event %+v", tt.e)
			}
		})
	}
	t.Run("a failed save still shows the result and says so", func(t *testing.T) {
		cs.err = bot.Errorf(bot.EUNAVAILABLE, "database is locked")
		r := b.Say(chkExample)
		if !strings.Contains(r.Title, "Borderline") || !strings.Contains(r.Text, "couldn't save this check") {
			t.Errorf("got %q\n%s", r.Title, r.Text)
		}
		if strings.Contains(r.Text, "locked") {
			t.Errorf("the database detail leaked: %s", r.Text)
		}
	})
}

func TestCommissionCommand(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	tests := []struct {
		name, text string
		want       []string
		isError    bool
	}{
		{"an estimate names the rate and the amount", "commission electronics 250", []string{"$250.00", "**All other categories**", "$10.00", "4%", "no separate electronics line"}, false},
		{"a loose name says what it matched", "commission home & garden $80", []string{"Amazon's **Home** line", "$2.40"}, false},
		{"an unknown category says it used all other categories", "commission widgets 100", []string{"all other categories", "$4.00"}, false},
		{"a category alone shows its rate", "commission kitchen", []string{"4.5%"}, false},
		{"a negative amount is refused", "commission kitchen -5", []string{"can't be negative"}, true},
		{"two amounts are refused", "commission kitchen 80 90", []string{"one amount"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.Say(tt.text)
			if (r.Tone == bot.ToneError) != tt.isError {
				t.Errorf("tone %v: %s", r.Tone, r.Text)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Title+"\n"+r.Text, w) {
					t.Errorf("reply lacks %q:\n%s", w, r.Text)
				}
			}
		})
	}
	t.Run("a question about commissions goes to the FAQ", func(t *testing.T) {
		for _, q := range []string{"commission", "commission rates?", "commission how much would i make on a $100 sale?"} {
			r := b.Say(q)
			if strings.HasPrefix(r.Title, "Commission estimate") || r.Tone == bot.ToneError {
				t.Errorf("%q: %q %s", q, r.Title, r.Text)
			}
		}
	})
	t.Run("slash options give the same estimate", func(t *testing.T) {
		r := b.Run("commission", map[string]string{"category": "electronics", "amount": "250"})
		if !strings.Contains(r.Text, "$10.00") {
			t.Errorf("got %s", r.Text)
		}
	})
}

func TestLintCommand(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	tests := []struct {
		name, text, title string
		tone              bot.Tone
		want              string
	}{
		{"a link without a disclosure is flagged", "lint Love this lamp! amzn.to/3xYz", "Missing disclosure", bot.ToneError, "❌"},
		{"a clear disclosure passes", "lint #ad Love this lamp! amzn.to/3xYz", "Disclosure looks good", bot.ToneSuccess, "As an Amazon Associate"},
		{"a weak tag warns", "lint Love this lamp! amzn.to/3xYz #sp", "Disclosure could be clearer", bot.ToneWarning, "⚠️"},
		{"a plain post has nothing to disclose", "lint Sunset at the beach", "Nothing to disclose", bot.ToneSuccess, "ℹ️"},
		{"lint alone explains how", "lint", "Disclosure lint", bot.ToneInfo, "Paste your caption"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.Say(tt.text)
			if r.Title != tt.title || r.Tone != tt.tone || !strings.Contains(r.Text, tt.want) {
				t.Errorf("got %q %v\n%s", r.Title, r.Tone, r.Text)
			}
		})
	}
	t.Run("the caption keeps its case and lines", func(t *testing.T) {
		r := b.Run("lint", map[string]string{"caption": "My FAVORITE lamp\nAd: amzn.to/3xYz"})
		if r.Title != "Disclosure looks good" {
			t.Errorf("got %q %s", r.Title, r.Text)
		}
	})
}

func TestCheckCommandsNeverPanic(t *testing.T) {
	b := bottest.New(t, bot.Config{Checks: &chkStore{}})
	inputs := []string{
		"check " + strings.Repeat("9", 3000), "check \x00\xff", "check instagram 1e400 followers", "check ig NaN followers",
		"check youtube 0 subs 0 views 0 likes", "check tiktok 5k followers 0 views 10 likes", "commission " + strings.Repeat("$", 200),
		"commission tv 1e400", "lint " + strings.Repeat("#ad ", 900), "check x x x x 3x", "check every 0 days ig 4k followers",
	}
	for _, in := range inputs {
		r := b.Say(in)
		if strings.Contains(r.Text, "something went wrong") {
			t.Errorf("%q: internal error: %s", in, r.Text)
		}
	}
}

func TestCheckReplyIsStableJSONSource(t *testing.T) {
	// The reply and the stored JSON come from one Result: the JSON must
	// decode into the fields.
	cs := &chkStore{}
	b := bottest.New(t, bot.Config{Checks: cs})
	b.Say("check youtube 12k subs 800 views 40 likes weekly")
	if len(cs.recs) != 1 {
		t.Fatal("not saved")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(cs.recs[0].Result, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"platform", "followers", "engagement_rate", "engagement_basis", "view_rate", "verdict", "score", "criteria", "flags", "next_steps"} {
		if _, ok := m[k]; !ok {
			t.Errorf("stored JSON lacks %q", k)
		}
	}
	if len(m) != 10 {
		t.Errorf("stored JSON has %d keys, want 10", len(m))
	}
	if cs.recs[0].ViewRate == nil || *cs.recs[0].ViewRate != 6.67 {
		t.Errorf("view rate %v", cs.recs[0].ViewRate)
	}
}

func TestCheckReplyNamesTheBenchmarkAsInflubots(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	tests := []struct{ name, text, want string }{
		{"an Instagram check", chkExample, "(influbot's benchmark for Instagram accounts: about 1.5% of followers)"},
		{"a YouTube check by views", "check youtube 12k subs 800 views 40 likes weekly", "(influbot's benchmark for YouTube accounts: about 3% of views)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.Say(tt.text)
			if !strings.Contains(r.Text, tt.want) || !strings.Contains(r.Text, "benchmarks are influbot's defaults") {
				t.Errorf("reply lacks %q or the defaults note:\n%s", tt.want, r.Text)
			}
			for _, w := range []string{"norm", "standard", "the usual"} {
				if strings.Contains(strings.ToLower(r.Text), w) {
					t.Errorf("reply calls a benchmark %q:\n%s", w, r.Text)
				}
			}
		})
	}
}
