package bot_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
	"github.com/influbot/influbot/bot/memstore"
	"github.com/influbot/influbot/store"
)

// historyBot is a core wired to a history store, with a settable clock.
type historyBot struct {
	*bottest.Bot
	db interface {
		bot.CheckStore
		bot.HistoryStore
	}
	now *time.Time
}

// newHistoryBot keeps the history in memory (memstore): for tests of what
// the commands show, not of storage.
func newHistoryBot(t *testing.T) *historyBot {
	t.Helper()
	now := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	mem := &memstore.Store{Now: clock}
	cfg := mem.Config()
	cfg.Now = clock
	return &historyBot{Bot: bottest.New(t, cfg), db: mem, now: &now}
}

// newSQLiteHistoryBot keeps the history in a real SQLite file: for tests of
// what is stored and erased.
func newSQLiteHistoryBot(t *testing.T) *historyBot {
	t.Helper()
	now := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db := store.New(filepath.Join(t.TempDir(), "influbot.db"))
	db.Now = clock
	if err := db.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := bottest.New(t, bot.Config{Events: db, Unanswered: db, Checks: db, History: db, Admins: db, AdminList: db, Now: clock})
	return &historyBot{Bot: b, db: db, now: &now}
}

func (h *historyBot) advance(d time.Duration) { *h.now = h.now.Add(d) }

// check is a stored check with engagement measured from likes.
func check(u bot.UserRef, at time.Time, platform string, followers int64, er float64, verdict string) bot.CheckRecord {
	likes := er * float64(followers) / 100
	return bot.CheckRecord{User: u, Time: at, Platform: platform, Followers: followers, Likes: &likes, EngagementRate: er,
		EngagementBasis: "followers", Verdict: verdict, Score: 50, Result: []byte(`{}`)}
}

// unmeasured is a stored check given without likes: its engagement is
// unknown, and stored as 0.
func unmeasured(u bot.UserRef, at time.Time, platform string, followers int64, verdict string) bot.CheckRecord {
	return bot.CheckRecord{User: u, Time: at, Platform: platform, Followers: followers,
		EngagementBasis: "followers", Verdict: verdict, Score: 40, Result: []byte(`{}`)}
}

func TestHistoryShowsTheTrendACreatorCaresAbout(t *testing.T) {
	h := newHistoryBot(t)
	ctx := context.Background()
	start := *h.now
	for _, c := range []bot.CheckRecord{
		check(h.User, start, "instagram", 3900, 1.1, "borderline"),
		check(h.User, start.Add(10*24*time.Hour), "tiktok", 12000, 4.2, "not_yet"),
		check(h.User, start.Add(20*24*time.Hour), "instagram", 4200, 1.4, "borderline"),
		check(h.User, start.Add(30*24*time.Hour), "instagram", 4600, 1.8, "ready"),
	} {
		if _, err := h.db.SaveCheck(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	h.advance(31 * 24 * time.Hour)
	h.Say("why was I rejected?")
	h.Say("can my parrot run the quux frobnicator")

	r := h.Say("history")
	tests := []struct{ name, want string }{
		{"followers move with the change in percent since the first check", "followers 3,900 → 4,600 (+18%) since 2 Oct"},
		{"engagement moves", "engagement 1.1% → 1.8%"},
		{"the verdict moves", "verdict borderline → ready"},
		{"a platform checked once shows its numbers", "**TikTok** (12 Oct): 12,000 followers, engagement 4.2%, verdict not yet"},
		{"an answered question shows how to see it again", "“why was I rejected?” → `ask "},
		{"a question without an answer says so", "“can my parrot run the quux frobnicator” → not answered yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(r.Text, tt.want) {
				t.Errorf("history lacks %q:\n%s", tt.want, r.Text)
			}
		})
	}
	t.Run("the most recently checked platform comes first", func(t *testing.T) {
		if strings.Index(r.Text, "Instagram") > strings.Index(r.Text, "TikTok") {
			t.Errorf("order:\n%s", r.Text)
		}
	})
	t.Run("it is private and offers the export", func(t *testing.T) {
		if !r.Ephemeral || len(r.Buttons) != 1 || r.Buttons[0].ActionID != "export:me" {
			t.Errorf("reply %+v", r)
		}
	})
	t.Run("a question that starts with history goes to the FAQ", func(t *testing.T) {
		if r := h.Say("history of the amazon influencer program?"); r.Title == "Your progress" {
			t.Errorf("treated as the command: %+v", r)
		}
	})
}

func TestHistoryNeverShowsUnmeasuredEngagementAsZero(t *testing.T) {
	h := newHistoryBot(t)
	ctx := context.Background()
	start := *h.now
	day := 24 * time.Hour
	views := func(c bot.CheckRecord, v float64) bot.CheckRecord {
		c.Views, c.EngagementBasis = &v, "views"
		return c
	}
	for _, c := range []bot.CheckRecord{
		unmeasured(h.User, start, "instagram", 4000, "borderline"),
		check(h.User, start.Add(day), "instagram", 4500, 2.2, "borderline"),
		unmeasured(h.User, start.Add(2*day), "instagram", 4700, "borderline"),
		unmeasured(h.User, start.Add(3*day), "tiktok", 8000, "not_yet"),
		unmeasured(h.User, start.Add(4*day), "tiktok", 9000, "not_yet"),
		views(unmeasured(h.User, start.Add(5*day), "youtube", 900, "not_yet"), 5000),
		views(check(h.User, start.Add(6*day), "youtube", 1200, 3.1, "borderline"), 8000),
		unmeasured(h.User, start.Add(7*day), "facebook", 700, "not_yet"),
	} {
		if _, err := h.db.SaveCheck(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	r := h.Say("history")
	tests := []struct{ name, want string }{
		{"a platform measured once shows that one rate", "**Instagram**: followers 4,000 → 4,700 (+18%) since 2 Oct; engagement 2.2%; verdict still borderline (3 checks)"},
		{"a platform never measured leaves engagement out", "**TikTok**: followers 8,000 → 9,000 (+13%) since 5 Oct; verdict still not yet (2 checks)"},
		{"YouTube counts subscribers and says what engagement is of", "**YouTube**: subscribers 900 → 1,200 (+33%) since 7 Oct; engagement 3.1% of views; verdict not yet → borderline (2 checks)"},
		{"a single unmeasured check leaves engagement out", "**Facebook** (9 Oct): 700 followers, verdict not yet."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(r.Text, tt.want) {
				t.Errorf("history lacks %q:\n%s", tt.want, r.Text)
			}
		})
	}
	t.Run("no rate reads 0%", func(t *testing.T) {
		if strings.Contains(r.Text, "0.0%") {
			t.Errorf("an unmeasured rate shows as zero:\n%s", r.Text)
		}
	})
}

func TestHistoryListsOnlyRealQuestions(t *testing.T) {
	h := newHistoryBot(t)
	h.Say("hello")
	h.Say("ask")
	r := h.Say("how do I get paid for my cat videos on mars")
	if len(r.Buttons) == 0 || r.Buttons[0].ActionID != "ask:topic" {
		t.Fatalf("no suggestions to pick from: %+v", r)
	}
	picked := h.Press(r.Buttons[0])
	r = h.Say("history")
	t.Run("a greeting and a bare ask are not listed as unanswered questions", func(t *testing.T) {
		if strings.Contains(r.Text, "“hello”") || strings.Contains(r.Text, "“ask”") {
			t.Errorf("listed:\n%s", r.Text)
		}
	})
	t.Run("a suggestion picked by button shows as its title", func(t *testing.T) {
		if strings.Contains(r.Text, "ask:topic") || !strings.Contains(r.Text, "“"+bot.Quote(picked.Title)+"” → `ask ") {
			t.Errorf("want “%s”:\n%s", picked.Title, r.Text)
		}
	})
	t.Run("the unanswered question is listed", func(t *testing.T) {
		if !strings.Contains(r.Text, "“how do I get paid for my cat videos on mars” → not answered yet") {
			t.Errorf("got:\n%s", r.Text)
		}
	})
}

func TestHistoryOfANewUser(t *testing.T) {
	h := newHistoryBot(t)
	r := h.Say("history")
	if !strings.Contains(r.Text, "haven't run an eligibility check yet") || !strings.Contains(r.Text, "haven't asked me anything") {
		t.Errorf("got %q", r.Text)
	}
}

// TestHistoryAfterACheckAndItsFollowUps: talk about a check is not a
// question about the program, and the history says so without claiming
// the user never asked anything.
func TestHistoryAfterACheckAndItsFollowUps(t *testing.T) {
	h := newHistoryBot(t)
	h.Say("check instagram 4200 followers 150 likes 12 comments 3 posts a week niche home decor")
	h.Say("what should I improve?")
	r := h.Say("history")
	if strings.Contains(r.Text, "haven't asked me anything") {
		t.Errorf("says nothing was asked after a check and a follow-up:\n%s", r.Text)
	}
	if !strings.Contains(r.Text, "No questions about the program itself yet") || !strings.Contains(r.Text, "4,200 followers") {
		t.Errorf("got:\n%s", r.Text)
	}
}

func TestExportThenForgetLeavesNothing(t *testing.T) {
	h := newSQLiteHistoryBot(t)
	ctx := context.Background()
	secret := "is my zebra-print storefront idea allowed"
	h.Say(secret)
	h.Say("why was I rejected?")
	if _, err := h.db.SaveCheck(ctx, check(h.User, *h.now, "instagram", 3900, 1.1, "borderline")); err != nil {
		t.Fatal(err)
	}
	other := h.As(bot.UserRef{Platform: bot.PlatformConsole, Tenant: bot.LocalTenant, ID: "someone-else"})
	other.Say("what is the storefront?")

	var x bot.UserExport
	t.Run("export attaches everything as JSON", func(t *testing.T) {
		r := h.Say("export")
		if r.File == nil || r.File.ContentType != "application/json" || !strings.HasSuffix(r.File.Name, ".json") {
			t.Fatalf("no JSON file: %+v", r)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(r.File.Data, &keys); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"user", "events", "checks", "tasks", "nudges"} {
			if _, ok := keys[k]; !ok {
				t.Errorf("export lacks %q", k)
			}
		}
		if err := json.Unmarshal(r.File.Data, &x); err != nil {
			t.Fatal(err)
		}
		if len(x.Events) < 2 || len(x.Checks) != 1 || !strings.Contains(string(r.File.Data), secret) {
			t.Errorf("export: %d events, %d checks", len(x.Events), len(x.Checks))
		}
		if strings.Contains(string(r.File.Data), "someone-else") || strings.Contains(string(r.File.Data), "what is the storefront") {
			t.Error("export holds another user's data")
		}
		if !strings.Contains(r.Text, "1 eligibility check") || !r.Ephemeral {
			t.Errorf("reply %q", r.Text)
		}
	})

	t.Run("export all my data is the export too", func(t *testing.T) {
		if r := h.Say("export all my data"); r.File == nil {
			t.Errorf("no file: %q", r.Text)
		}
	})

	prompt := h.Say("forget me")
	t.Run("forget me asks first, with buttons", func(t *testing.T) {
		if len(prompt.Buttons) != 2 || prompt.Buttons[0].ActionID != "forget:confirm" || prompt.Buttons[1].ActionID != "forget:cancel" {
			t.Fatalf("prompt %+v", prompt)
		}
		if x, _ := h.db.Export(ctx, h.User); len(x.Events) == 0 {
			t.Fatal("asking erased already")
		}
	})
	t.Run("cancel keeps everything", func(t *testing.T) {
		r := h.Press(prompt.Buttons[1])
		if !strings.Contains(r.Text, "Nothing was erased") {
			t.Errorf("got %q", r.Text)
		}
	})
	t.Run("someone else pressing the button erases nothing", func(t *testing.T) {
		r := other.Press(prompt.Buttons[0])
		if !strings.Contains(r.Text, "someone else") {
			t.Errorf("got %q", r.Text)
		}
		if x, _ := h.db.Export(ctx, other.User); len(x.Events) == 0 {
			t.Error("the presser's data went")
		}
	})
	t.Run("an old confirmation has expired", func(t *testing.T) {
		h.advance(16 * time.Minute)
		r := h.Press(prompt.Buttons[0])
		h.advance(-16 * time.Minute)
		if !strings.Contains(r.Text, "expired") {
			t.Errorf("got %q", r.Text)
		}
	})
	t.Run("confirming erases every row and records nothing new", func(t *testing.T) {
		r := h.Press(prompt.Buttons[0])
		if !strings.HasPrefix(r.Text, "Done.") || !strings.Contains(r.Text, "1 eligibility check") {
			t.Errorf("got %q", r.Text)
		}
		x, err := h.db.Export(ctx, h.User)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Events)+len(x.Checks)+len(x.Unanswered)+len(x.Tasks)+len(x.Nudges) != 0 || x.User.FirstSeen != nil {
			t.Errorf("left after forget: %+v", x)
		}
	})
	t.Run("other users keep their history", func(t *testing.T) {
		if x, _ := h.db.Export(ctx, other.User); len(x.Events) == 0 {
			t.Error("someone else's history went too")
		}
	})
	t.Run("typing forget me confirm works without buttons", func(t *testing.T) {
		h.Say("one more question about storefronts")
		r := h.Say("forget me confirm")
		if !strings.HasPrefix(r.Text, "Done.") {
			t.Errorf("got %q", r.Text)
		}
		if x, _ := h.db.Export(ctx, h.User); len(x.Events) != 0 {
			t.Errorf("%d events left", len(x.Events))
		}
	})
	t.Run("forget me now still asks first", func(t *testing.T) {
		h.Say("a question to keep")
		r := h.Say("forget me now")
		if len(r.Buttons) == 0 || r.Buttons[0].ActionID != "forget:confirm" {
			t.Errorf("no confirmation asked: %+v", r)
		}
		if x, _ := h.db.Export(ctx, h.User); len(x.Events) == 0 {
			t.Error("erased without confirmation")
		}
	})
	t.Run("a question that starts with forget goes to the FAQ", func(t *testing.T) {
		if r := h.Say("forget my password for amazon?"); len(r.Buttons) > 0 && r.Buttons[0].ActionID == "forget:confirm" {
			t.Errorf("treated as forget me: %+v", r)
		}
	})
}

func TestUnansweredIsForAdminsOfThatWorkspace(t *testing.T) {
	h := newHistoryBot(t)
	guild := func(g, id string) bot.UserRef { return bot.UserRef{Platform: bot.PlatformDiscord, Tenant: g, ID: id} }
	ask := func(u bot.UserRef, text string) {
		h.Handle(context.Background(), bot.Request{User: u, Text: text})
	}
	ask(guild("g1", "1"), "can my parrot run the quux frobnicator")
	ask(guild("g1", "2"), "Can my parrot run the QUUX frobnicator??")
	ask(guild("g1", "3"), "zebra zebra zebra")
	ask(guild("g2", "1"), "a question only guild two asked about wibble widgets")

	run := func(u bot.UserRef, admin bool, text string) bot.Reply {
		return h.Handle(context.Background(), bot.Request{User: u, Admin: admin, Text: text})
	}
	t.Run("a member who is not an admin is refused", func(t *testing.T) {
		r := run(guild("g1", "1"), false, "unanswered")
		if !strings.Contains(r.Text, "Only admins") {
			t.Errorf("got %q", r.Text)
		}
	})
	r := run(guild("g1", "9"), true, "unanswered")
	t.Run("a platform admin sees the questions grouped and counted, most asked first", func(t *testing.T) {
		lines := strings.Split(r.Text, "\n")
		if len(lines) < 2 || !strings.HasPrefix(lines[1], "1. “Can my parrot run the QUUX frobnicator??”: asked twice by 2 people") {
			t.Errorf("got:\n%s", r.Text)
		}
	})
	t.Run("another workspace's questions are not shown", func(t *testing.T) {
		if strings.Contains(r.Text, "wibble") {
			t.Errorf("leaked:\n%s", r.Text)
		}
	})
	t.Run("an admin added by an admin may look too", func(t *testing.T) {
		if r := run(guild("g1", "9"), true, "admin add <@!5>"); !strings.Contains(r.Text, "<@5> is now an admin") {
			t.Fatalf("add: %q", r.Text)
		}
		if r := run(guild("g1", "5"), false, "unanswered 1"); !strings.Contains(r.Text, "\n1. ") || strings.Contains(r.Text, "2. ") {
			t.Errorf("got %q", r.Text)
		}
		if r := run(guild("g2", "5"), false, "unanswered"); !strings.Contains(r.Text, "Only admins") {
			t.Errorf("an admin of g1 is an admin of g2: %q", r.Text)
		}
	})
	t.Run("a bad count is explained", func(t *testing.T) {
		if r := run(guild("g1", "9"), true, "unanswered 500"); !strings.Contains(r.Text, "from 1 to 50") {
			t.Errorf("got %q", r.Text)
		}
	})
}

func TestAdminList(t *testing.T) {
	h := newHistoryBot(t)
	owner := bot.UserRef{Platform: bot.PlatformSlack, Tenant: "T1", ID: "UOWNER"}
	run := func(text string) bot.Reply {
		return h.Handle(context.Background(), bot.Request{User: owner, Admin: true, Text: text})
	}
	steps := []struct{ name, say, want string }{
		{"an empty list says who counts anyway", "admin list", "No one is on the list yet"},
		{"a Slack mention adds a user", "admin add <@U024BE7LH|maria>", "<@U024BE7LH> is now an admin"},
		{"the list names them and who added them", "admin", "<@U024BE7LH>, since 2 Oct (added by <@UOWNER>)"},
		{"removing someone not listed says so", "admin remove U999", "isn't on this workspace's admin list"},
		{"removing them works", "admin remove U024BE7LH", "no longer on this workspace's admin list"},
		{"a missing user is explained", "admin add", "Tell me who"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if r := run(s.say); !strings.Contains(r.Text, s.want) {
				t.Errorf("%q: got %q, want %q", s.say, r.Text, s.want)
			}
		})
	}
	t.Run("on the console everyone is an admin", func(t *testing.T) {
		if r := h.Say("admin add bob"); !strings.Contains(r.Text, "everyone is an admin") {
			t.Errorf("got %q", r.Text)
		}
	})
}

func TestHistoryCommandsWithoutADatabase(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	b.Say("can my parrot run the quux frobnicator")
	for _, tt := range []struct{ say, want string }{
		{"history", "no database is configured"},
		{"export", "nothing about you to export"},
		{"forget me", "nothing stored about you to erase"},
		{"unanswered", "quux frobnicator"},
		{"unanswered", "only questions since I last started"},
	} {
		t.Run(tt.say+" explains kindly", func(t *testing.T) {
			if r := b.Say(tt.say); !strings.Contains(r.Text, tt.want) {
				t.Errorf("got %q, want %q", r.Text, tt.want)
			}
		})
	}
}

func TestParseUserID(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"123456789012345678", "123456789012345678", true},
		{"<@123456789012345678>", "123456789012345678", true},
		{"<@!123456789012345678>", "123456789012345678", true},
		{"<@U024BE7LH|maria>", "U024BE7LH", true},
		{"@maria", "maria", true},
		{"", "", false},
		{"two words", "", false},
		{"<@>", "", false},
		{strings.Repeat("9", 65), "", false},
	}
	for _, tt := range tests {
		t.Run("reading "+tt.in, func(t *testing.T) {
			got, ok := bot.ParseUserID(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseUserID(%q) = %q, %v", tt.in, got, ok)
			}
		})
	}
}

func TestGroupUnanswered(t *testing.T) {
	at := time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)
	u := func(tenant, id string) bot.UserRef { return bot.UserRef{Platform: "discord", Tenant: tenant, ID: id} }
	qs := []bot.UnansweredQuestion{
		{User: u("g", "1"), Time: at, Text: "What's a storefront?"},
		{User: u("g", "1"), Time: at.Add(time.Hour), Text: "whats a storefront"},
		{User: u("g", "2"), Time: at.Add(2 * time.Hour), Text: "What's a STOREFRONT"},
		{User: u("g", "2"), Time: at.Add(3 * time.Hour), Text: "threads?"},
		{User: u("other", "2"), Time: at, Text: "threads?"},
		{User: u("g", "3"), Time: at, Text: "?!"},
	}
	got := bot.GroupUnanswered(qs, bot.TenantRef{Platform: "discord", ID: "g"}, 10)
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	if got[0].Count != 3 || got[0].Users != 2 || got[0].Text != "What's a STOREFRONT" || !got[0].First.Equal(at) {
		t.Errorf("first group %+v", got[0])
	}
	if got[1].Count != 1 || got[1].Text != "threads?" {
		t.Errorf("second group %+v", got[1])
	}
	t.Run("ties are ordered by their text, as the store orders them", func(t *testing.T) {
		tied := []bot.UnansweredQuestion{
			{User: u("g", "1"), Time: at, Text: "zebra prints?"},
			{User: u("g", "1"), Time: at, Text: "apple pie?"},
			{User: u("g", "1"), Time: at, Text: "Mango?"},
		}
		for range 20 {
			got := bot.GroupUnanswered(tied, bot.TenantRef{Platform: "discord", ID: "g"}, 10)
			if got[0].Text != "apple pie?" || got[1].Text != "Mango?" || got[2].Text != "zebra prints?" {
				t.Fatalf("order %q, %q, %q", got[0].Text, got[1].Text, got[2].Text)
			}
		}
	})
}
