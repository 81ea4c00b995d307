package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/knowledge"
)

// optOuts are ways people ask a bot to stop messaging them; every one must
// stop it.
var optOuts = []string{
	"stop", "STOP", "Stop!", "stop reminders", "stop the reminders", "stop sending me messages please",
	"stop sending me messages", "turn off notifications", "turn notifications off", "mute", "unsubscribe",
	"unsubscribe me", "no more DMs", "no more dms please", "leave me alone", "please stop messaging me",
	"can you stop sending me reminders", "turn off reminders", "disable notifications", "stop the notifications pls",
	"dont send me any more messages", "don't send me any more messages", "do not send me messages", "no more reminders please",
	"stop pinging me", "opt out", "shut off the nudges", "stop notifying me", "i dont want any more notifications",
	"I don't want reminders anymore", "pause reminders", "stop dming me", "mute notifications", "quit sending me stuff",
	"stop messaging me", "stop texting me", "cancel my reminders", "cancel reminders", "switch off the nudges",
	"please stop the daily messages", "no more nudges", "stop the spam", "stop spamming me", "unsubscribe from reminders",
	"I want to unsubscribe from these messages", "how do i turn off notifications", "can you turn off the alerts",
	"stop bugging me", "go away", "shut up", "enough", "be quiet", "stp sending me reminders",
	"stop sending dms", "STOP SENDING ME MESSAGES", "pls stop the notifs", "no more messages",
	"can u stop", "pls stop", "stop!!!", "STOP ALL MESSAGES", "i want to stop receiving messages", "how do I unsubscribe",
	"remove me from the list", "take me off your list", "stop it now", "no more notifications thx", "i don't want to get reminders",
	"cancel all notifications", "unsubscribe pls", "dont message me again", "never message me again", "stop contacting me",
	"I don't want these reminders", "please unsubscribe me", "stop the daily nudges", "turn off all reminders please", "disable dms",
	"stop reminding me", "quit reminding me", "dont remind me anymore", "no reminders", "reminders off", "notifications off",
	"mute reminders", "silence notifications", "can you please stop messaging me", "i want out", "kill the reminders",
	"stop already", "ok stop", "you can stop now", "STOP!",
}

// notOptOuts mention stopping without asking the bot to stop messaging.
var notOptOuts = []string{
	"how do I stop getting rejected", "should I stop posting so much", "why did my reminders stop",
	"when will the reminders stop", "did you stop sending reminders", "what happens if I stop posting",
	"can I stop using hashtags", "stop motion videos for products?", "is it bad to stop posting for a week",
	"why was I rejected", "how do I turn on notifications for my storefront", "thanks", "how do I cancel my application",
	"my followers stopped engaging", "what does mute mean on instagram stories?",
	"I never got any messages from amazon about my application", "I have no messages from Amazon yet",
	"does amazon send notifications when I'm approved", "will I get an email when they decide",
	"my notifications from amazon are off, is that why", "how do I stop posting off-niche content",
}

func TestOptOutPhrasings(t *testing.T) {
	l := newLexicon()
	for _, s := range optOuts {
		t.Run("\""+s+"\" asks to stop", func(t *testing.T) {
			if !l.isOptOut(normalize(s)) {
				t.Errorf("%q is not read as an opt-out", s)
			}
		})
	}
	for _, s := range notOptOuts {
		t.Run("\""+s+"\" is not an opt-out", func(t *testing.T) {
			if l.isOptOut(normalize(s)) {
				t.Errorf("%q is read as an opt-out", s)
			}
		})
	}
}

func TestSmallTalkIntents(t *testing.T) {
	l := newLexicon()
	for _, tc := range []struct{ text, want string }{
		{"thanks!", intentThanks}, {"ok thanks", intentThanks}, {"thank you so much", intentThanks}, {"ty", intentThanks},
		{"Thanksss!!", intentThanks}, {"thnaks", intentThanks}, {"thank yuo so much bro", intentThanks},
		{"hi", intentGreeting}, {"hello there", intentGreeting}, {"good morning!", intentGreeting},
		{"bye", intentBye}, {"exit", intentBye}, {"quit", intentBye}, {"see ya", intentBye},
		{"who are you?", intentWho}, {"are you a bot", intentWho}, {"what can you do", intentAbility},
		{"ok", intentAck}, {"cool", intentAck}, {"got it", intentAck}, {"nice", intentAck},
		{"this is so unfair", intentDistress}, {"I'm so upset", intentDistress}, {"honestly so upset rn", intentDistress},
		{"what do I do now", intentNext}, {"what should I do now?", intentNext}, {"now what", intentNext},
		{"why was I rejected", ""}, {"how many followers do I need", ""}, {"thanks! and how long should I wait?", ""},
		{"what's the minimum payout", ""}, {"👍", intentAck}, {"thanks 🙏", intentThanks}, {"🙏🙏", intentThanks},
		{"😭😭", intentDistress}, {"ok 👍", intentAck}, {"do I need to pay taxes on my commission", ""},
		{"i'm honestly so upset right now, i worked so hard on my page", intentDistress},
		{"I'm upset, is my engagement too low to get accepted?", ""}, {"night, talk tomorrow", intentBye},
		{"my engagement is sad compared to my followers and brands notice that", ""},
		// Drawn-out words, phrases in a row, a leading "and", filler around distress.
		{"hiii 👋", intentGreeting}, {"heyy", intentGreeting}, {"byee", intentBye}, {"gotta go now, see ya", intentBye},
		{"ok cool thanks a lot", intentThanks}, {"and what can you do for me", intentAbility},
		{"ugh this is honestly so unfair", intentDistress}, {"good", intentAck}, {"see you soon about my storefront", ""},
		{"gotta go to the storefront settings", ""},
	} {
		t.Run("\""+tc.text+"\" is "+map[bool]string{true: "a question", false: tc.want}[tc.want == ""], func(t *testing.T) {
			if got := l.smallTalkIntent(normalize(tc.text)); got != tc.want {
				t.Errorf("intent = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAnswersToTheBotsQuestions(t *testing.T) {
	l := newLexicon()
	for _, tc := range []struct{ text, want string }{
		{"yes", "yes"}, {"Yep!", "yes"}, {"sure", "yes"}, {"ok", "yes"}, {"yes please", "yes"}, {"go ahead", "yes"},
		{"yes delete it", "yes"}, {"no", "no"}, {"nope", "no"}, {"cancel", "no"}, {"not now", "no"}, {"nah thanks", "no"},
		{"1", "numbers"}, {"1 3", "numbers"}, {"1 and 3", "numbers"}, {"the second one", "numbers"}, {"option 2", "numbers"},
		{"why was I rejected", ""}, {"weekdays", ""},
	} {
		t.Run("\""+tc.text+"\" answers "+tc.want, func(t *testing.T) {
			if got, _ := l.answerKind(normalize(tc.text)); got != tc.want {
				t.Errorf("answer = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEditDistance1(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"thanks", "thanks", true}, {"thnaks", "thanks", true}, {"thank", "thanks", true}, {"thanksx", "thanks", true},
		{"thankss", "thanks", true}, {"thanx", "thanks", false}, {"tahnsk", "thanks", false}, {"hello", "help", false},
	} {
		t.Run(tc.a+" against "+tc.b, func(t *testing.T) {
			if got := editDistance1(tc.a, tc.b); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func testKnowledge(t testing.TB) *knowledge.Base {
	t.Helper()
	kb, err := knowledge.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

func TestAnswersNameRelatedEntriesByTitle(t *testing.T) {
	kb := testKnowledge(t)
	b, err := New(Config{Knowledge: kb})
	if err != nil {
		t.Fatal(err)
	}
	e := knowledge.Entry{ID: "x", Answer: "Body.\n\nRelated: reapply-wait, no-such-entry"}
	wait, _ := kb.Entry("reapply-wait")
	got := b.answerText(kb, e)
	if strings.Contains(got, "reapply-wait") || strings.Contains(got, "no-such-entry") {
		t.Errorf("ids shown: %q", got)
	}
	if !strings.Contains(got, wait.Title) {
		t.Errorf("title %q missing: %q", wait.Title, got)
	}
	t.Run("a reply whose buttons name the related entries drops the line", func(t *testing.T) {
		got := dropShownRelated("Body.\n\nRelated: _A_ · _B_", []Button{{Label: "A"}, {Label: "B"}})
		if got != "Body." {
			t.Errorf("got %q", got)
		}
		if got := dropShownRelated("Body.\n\nRelated: _A_ · _C_", []Button{{Label: "A"}}); !strings.Contains(got, "Related") {
			t.Errorf("a title without a button was dropped: %q", got)
		}
	})
	for _, entry := range kb.Index.Entries() {
		if strings.Contains(b.entryReply(kb, entry).Text, "Related: "+strings.Join(entry.Related, ", ")) && len(entry.Related) > 0 {
			t.Errorf("%s: reply shows related ids", entry.ID)
		}
	}
}

func TestUnansweredListsGapsBeforeDeclinedQuestions(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	got := unansweredText([]UnansweredTopic{
		{Text: "what's the weather", Count: 3, Users: 2, Last: now, OffTopic: true},
		{Text: "how do payouts work for onsite video", Count: 1, Users: 1, Last: now},
	}, now)
	in, off := strings.Index(got, "onsite video"), strings.Index(got, "weather")
	if in < 0 || off < 0 || in > off || !strings.Contains(got, "Declined as off-topic") || !strings.Contains(got, "Not sure") {
		t.Errorf("got:\n%s", got)
	}
}

func TestContextExpiresAfterTTL(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	b, err := New(Config{Knowledge: testKnowledge(t), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	u := UserRef{Platform: PlatformSlack, Tenant: "T1", ID: "U1"}
	ctx := context.Background()
	b.saveContext(ctx, Conversation{User: u, LastCommand: "commission", LastArgs: "beauty 100", Updated: now})
	now = now.Add(ContextTTL)
	if c, _ := b.loadContext(ctx, u); c.LastCommand != "commission" {
		t.Errorf("context gone at exactly the TTL: %+v", c)
	}
	now = now.Add(time.Second)
	if c, _ := b.loadContext(ctx, u); c.LastCommand != "" {
		t.Errorf("context kept after the TTL: %+v", c)
	}
}

// BenchmarkHandleSmallTalk measures a small-talk message through the whole
// core (context in memory, no database).
func BenchmarkHandleSmallTalk(b *testing.B) {
	bot, err := New(Config{Knowledge: testKnowledge(b)})
	if err != nil {
		b.Fatal(err)
	}
	u := UserRef{Platform: PlatformConsole, Tenant: LocalTenant, ID: "bench"}
	lines := []string{"thanks!", "ok", "who are you", "what do I do now", "bye", "this is so unfair"}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bot.Handle(ctx, Request{User: u, Text: lines[i%len(lines)]})
	}
}

func TestASuggestedTopicIsPickedByNumberOrWords(t *testing.T) {
	kb := testKnowledge(t)
	wait, _ := kb.Entry("reapply-wait")
	niche, _ := kb.Entry("niche")
	ev := &Event{Kind: EventQuestion}
	notSure := Reply{Text: "I'm not sure...", Buttons: []Button{
		{ActionID: "ask:topic", Label: wait.Title, Value: wait.ID},
		{ActionID: "ask:topic", Label: niche.Title, Value: niche.ID},
	}}
	p := pendingFrom(notSure, ev)
	if p == nil || p.Command != "ask" {
		t.Fatalf("a not-sure answer asks nothing: %+v", p)
	}
	for _, tc := range []struct{ say, topic string }{
		{"2", "niche"}, {"the first one", "reapply-wait"}, {"niche", "niche"}, {"the last one", "niche"},
	} {
		t.Run("\""+tc.say+"\" picks "+tc.topic, func(t *testing.T) {
			b, err := New(Config{Knowledge: kb})
			if err != nil {
				t.Fatal(err)
			}
			u := UserRef{Platform: PlatformDiscord, Tenant: "g1", ID: "u1"}
			b.saveContext(context.Background(), Conversation{User: u, Pending: p, Updated: b.now()})
			rec := &recorder{}
			b.cfg.Events = rec
			r := b.Handle(context.Background(), Request{User: u, Text: tc.say})
			if len(rec.events) != 1 || rec.events[0].Topic != tc.topic || rec.events[0].Command != "ask" {
				t.Errorf("events %+v, reply %q", rec.events, r.Text)
			}
		})
	}
	t.Run("an FAQ answer's related entries are picked by number only", func(t *testing.T) {
		if p := pendingFrom(Reply{Buttons: notSure.Buttons}, &Event{Kind: EventQuestion, Topic: "niche"}); p == nil || !p.NumbersOnly {
			t.Errorf("pending %+v", p)
		}
	})
}

type recorder struct{ events []Event }

func (r *recorder) RecordEvent(_ context.Context, e Event) error {
	r.events = append(r.events, e)
	return nil
}

func TestDistressWithAQuestionIsAQuestion(t *testing.T) {
	l := newLexicon()
	for _, s := range []string{"I'm upset, why was I rejected?", "is it unfair to small creators", "so sad, how long do I wait"} {
		t.Run("\""+s+"\" goes to the FAQ", func(t *testing.T) {
			if got := l.smallTalkIntent(normalize(s)); got != "" {
				t.Errorf("intent %q", got)
			}
		})
	}
}

func TestCommandsInPlainWordsArePrivateLikeTheirCommands(t *testing.T) {
	b, err := New(Config{Knowledge: testKnowledge(t)})
	if err != nil {
		t.Fatal(err)
	}
	u := UserRef{Platform: PlatformDiscord, Tenant: "g", ID: "u"}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"stop sending me messages please", true}, {"delete my data", true}, {"what's my plan", true},
		{"I did the bio task", true}, {"why was I rejected", false}, {"thanks!", false},
	} {
		t.Run(fmt.Sprintf("%q is private: %v", tc.text, tc.want), func(t *testing.T) {
			if got := b.Private(Request{User: u, Text: tc.text}); got != tc.want {
				t.Errorf("Private = %v", got)
			}
		})
	}
}

func TestAskAnswersSmallTalkWithoutATopic(t *testing.T) {
	b, err := New(Config{Knowledge: testKnowledge(t)})
	if err != nil {
		t.Fatal(err)
	}
	u := UserRef{Platform: PlatformConsole, Tenant: LocalTenant, ID: "x"}
	for _, q := range []string{"thank you so much", "exit", "ok thanks", "bye", "👍"} {
		t.Run("\""+q+"\" gets no FAQ entry", func(t *testing.T) {
			a := b.Ask(context.Background(), u, q)
			if a.Topic != "" || a.OffTopic || strings.Contains(a.Text, "customer service") {
				t.Errorf("got %+v", a)
			}
		})
	}
	t.Run("small talk is not kept as unanswered", func(t *testing.T) {
		if qs := b.cfg.Unanswered.(*MemoryUnanswered).Questions(); len(qs) != 0 {
			t.Errorf("kept %v", qs)
		}
	})
	t.Run("a long story of discouragement still reaches the FAQ", func(t *testing.T) {
		if got := b.lex.smallTalkIntent(normalize("just got rejected and feeling really discouraged")); got != "" {
			t.Errorf("intent %q", got)
		}
	})
}

func TestMemoryContextDropsExpiredContextsWhenFull(t *testing.T) {
	m := NewMemoryContext()
	ctx := context.Background()
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for i := 0; i < memoryContextSweep; i++ {
		m.SaveContext(ctx, Conversation{User: UserRef{Platform: "console", Tenant: "local", ID: fmt.Sprint(i)}, Updated: t0})
	}
	fresh := UserRef{Platform: "console", Tenant: "local", ID: "fresh"}
	m.SaveContext(ctx, Conversation{User: fresh, Updated: t0.Add(ContextTTL + time.Minute)})
	if n := len(m.m); n != 1 {
		t.Errorf("%d contexts kept, want only the fresh one", n)
	}
}

func TestOptingOutWithoutADatabaseStillConfirms(t *testing.T) {
	b, err := New(Config{Knowledge: testKnowledge(t)})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	b.cfg.Events = rec
	u := UserRef{Platform: PlatformSlack, Tenant: "T", ID: "U"}
	r := b.Handle(context.Background(), Request{User: u, Text: "stop sending me messages please"})
	if len(rec.events) != 1 || rec.events[0].Command != "stop" || !rec.events[0].Answered || r.Tone == ToneError || !strings.Contains(r.Text, "nothing to stop") {
		t.Errorf("events %+v, reply %+v", rec.events, r)
	}
}

// TestOffTopicPointsShoppersToCustomerService: a declined question about
// shopping on Amazon is pointed at customer service; any other declined
// question is not.
func TestOffTopicPointsShoppersToCustomerService(t *testing.T) {
	b, err := New(Config{Knowledge: testKnowledge(t)})
	if err != nil {
		t.Fatal(err)
	}
	u := UserRef{Platform: PlatformConsole, Tenant: LocalTenant, ID: "x"}
	cases := []struct {
		q       string
		shopper bool
	}{
		{"where is my package", true},
		{"how do i return an item i ordered", true},
		{"my amazon account got hacked", true},
		{"whats the weather today", false},
		{"who won the game last night", false},
		{"whats the capital of france", false},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			a := b.Ask(context.Background(), u, tc.q)
			if !a.OffTopic {
				t.Fatalf("not declined: %+v", a)
			}
			if got := strings.Contains(a.Text, "customer service"); got != tc.shopper {
				t.Errorf("customer service named: %v, want %v: %q", got, tc.shopper, a.Text)
			}
		})
	}
}
