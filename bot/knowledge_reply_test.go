package bot_test

import (
	"strings"
	"testing"

	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
)

// TestKnowledgeReplyMarksOnlyAnswersWordForWord: the store keeps a reply
// marked KnowledgeReply once for everyone and keeps it when it forgets a
// user, so the mark must never go on a reply with anything of the user's
// in it.
func TestKnowledgeReplyMarksOnlyAnswersWordForWord(t *testing.T) {
	ev := &chkEvents{}
	b := bottest.New(t, bot.Config{Events: ev, Checks: &chkStore{}})
	kb := b.Bot.Knowledge()
	tests := []struct {
		say  string
		want bool
	}{
		{"how many followers do I need", true},
		{"check instagram 4200 followers 150 likes 12 comments 3 posts a week niche home decor", false},
		{"do I qualify?", false}, // answered from the check just made
		{"why tho", false},       // what the last answer rests on
		{"thanks!", false},
		{"whats the commission on a $60 kitchen order", false},
		{"what is the airspeed of an unladen swallow", false},
	}
	for i, tt := range tests {
		b.Say(tt.say)
		if len(ev.events) != i+1 {
			t.Fatalf("%q: %d events recorded, want %d", tt.say, len(ev.events), i+1)
		}
		e := ev.events[i]
		if e.KnowledgeReply != tt.want {
			t.Errorf("%q: KnowledgeReply %v, want %v (topic %q, reply %.80q)", tt.say, e.KnowledgeReply, tt.want, e.Topic, e.Reply)
		}
		if !e.KnowledgeReply {
			continue
		}
		entry, ok := kb.Entry(e.Topic)
		if !ok || e.Reply == "" || !strings.Contains(e.Reply, strings.SplitN(entry.Answer, "\n", 2)[0][:20]) {
			t.Errorf("%q: marked reply %.80q is not entry %q's answer", tt.say, e.Reply, e.Topic)
		}
	}
}
