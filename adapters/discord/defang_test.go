package discord

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/knowledge"
	"github.com/influbot/influbot/store"
)

// hostile is a corpus of what users type to plant links, pings and
// formatting in what the bot quotes back.
var hostile = []string{
	"[Verify your Amazon account](https://evil.example/login) *bold* @everyone",
	"@here the payouts changed, read this",
	"ping <@&400000000000000001> and see <#200000000000000001>",
	"[click here](<https://evil.example/a>)",
	"[amazon.com](https://evil.example \"Amazon\")",
	"[one](https://a.example)[two](https://b.example)",
	"[[nested]](https://evil.example/n)",
	"[https://affiliate-program.amazon.com](https://evil.example/p)",
	"[x](https://evil.example/a_(b))",
	"@everyone@here@everyone",
	"[multi word label](  https://evil.example/spaces  )",
}

// discordMaskedLink is Discord's own rule for a masked link (after
// simple-markdown), used to check the output independently of defang.
var discordMaskedLink = regexp.MustCompile(`(^|[^\\])\[((?:\[[^\]]*\]|[^\[\]])*)\]\(\s*<?(https?://(?:\([^)]*\)|[^\s\\]|\\.)*?)>?(?:\s+['"][\s\S]*?['"])?\s*\)`)

// unsafe reports what in s Discord would turn into a link, ping or mention.
func unsafe(s string) string {
	switch {
	case discordMaskedLink.MatchString(s):
		return "a masked link"
	case strings.Contains(s, "@everyone") || strings.Contains(s, "@here"):
		return "a mass ping"
	case regexp.MustCompile(`(^|[^\\])<(@&|#)[0-9]+>`).MatchString(s):
		return "a role or channel mention"
	}
	return ""
}

func TestHostileTextIsDefanged(t *testing.T) {
	for _, h := range hostile {
		replies := map[string]bot.Reply{
			"as message content":   {Text: "1. “" + h + "”: asked 2 times"},
			"in an embed":          {Title: "Unanswered questions", Text: h, Tone: bot.ToneWarning},
			"as a title":           {Title: h, Text: "x"},
			"in a field":           {Title: "History", Fields: []bot.Field{{Name: h, Value: h}}},
			"in a long split text": {Title: "History", Text: strings.Repeat("filler words here. ", 300) + h},
		}
		for where, r := range replies {
			t.Run(where+": "+h, func(t *testing.T) {
				msgs := render(r, plainEncoder)
				checkValid(t, msgs)
				var texts []string
				for _, m := range msgs {
					texts = append(texts, m.Content)
					for _, e := range m.Embeds {
						texts = append(texts, e.Title, e.Description)
						for _, f := range e.Fields {
							texts = append(texts, f.Name, f.Value)
						}
					}
				}
				all := strings.Join(texts, "\n")
				if what := unsafe(all); what != "" {
					t.Errorf("%s survived: %q", what, all)
				}
				if strings.Contains(h, "evil.example") && !strings.Contains(all, "evil.example") {
					t.Errorf("the address was hidden instead of shown: %q", all)
				}
			})
		}
	}
	for _, tc := range []struct{ name, in, want string }{
		{"a masked link shows its address", "[Verify](https://evil.example/login)", "Verify (https://evil.example/login)"},
		{"an escaped link stays as the core wrote it", `\[Verify\](https://evil.example/login)`, `\[Verify\](https://evil.example/login)`},
		{"a user mention the core means stays", "<@300000000000000001> is now an admin", "<@300000000000000001> is now an admin"},
		{"a role mention shows as typed", "<@&4>", `\<@&4>`},
		{"an escaped role mention is not escaped twice", `\<@&4>`, `\<@&4>`},
		{"a mass ping is broken invisibly", "@everyone", "@\u200beveryone"},
		{"plain text is untouched", "Post 3 times a week; reply to comments (all of them).", "Post 3 times a week; reply to comments (all of them)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := defang(tc.in); got != tc.want {
				t.Errorf("defang(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestHostileQuestionsInTheUnansweredList(t *testing.T) {
	t.Parallel()
	// End to end: a member asks hostile questions the bot cannot answer;
	// an admin lists them; nothing in the list may link, ping or mention.
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "influbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	kb, err := knowledge.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Config{Knowledge: kb, Events: db, Unanswered: db, History: db})
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeDiscord(t, fakeGuild{ID: guildA, OwnerID: ownerID})
	startAdapter(t, f, b)
	questions := []string{
		"[Verify your Amazon account](https://evil.example/login) *bold* @everyone is the storefront widget gluten free?",
		"@here <@&400000000000000001> <#200000000000000001> can my storefront widget be gluten free?",
		"[amazon.com](<https://evil.example/p>) does the storefront widget come in gluten free?",
	}
	for i, q := range questions {
		f.message(guildA, channelA, alice, "<@"+fakeBotID+"> "+q, true)
		f.waitRequests(t, i+1, "POST", "/channels/"+channelA+"/messages")
	}
	id, _ := f.slash(guildA, channelA, fakeUser{ID: ownerID, Name: "owner"}, discordgo.PermissionManageGuild, "unanswered", nil)
	in := f.waitAnswered(t, id)
	var texts []string
	for _, m := range append([]map[string]any{in.Original}, in.Followups...) {
		texts = append(texts, str(m["content"]))
		for i := 0; jsonPath(m, "embeds", i) != nil; i++ {
			texts = append(texts, str(jsonPath(m, "embeds", i, "title")), str(jsonPath(m, "embeds", i, "description")))
		}
		if p := jsonPath(m, "allowed_mentions", "parse"); p == nil || len(p.([]any)) != 0 {
			t.Errorf("allowed_mentions = %v, want an empty parse list", m["allowed_mentions"])
		}
	}
	all := strings.Join(texts, "\n")
	if !strings.Contains(all, "evil.example") {
		t.Fatalf("the hostile questions are not in the unanswered list:\n%s", all)
	}
	if what := unsafe(all); what != "" {
		t.Errorf("%s survived in the unanswered list:\n%s", what, all)
	}
}
