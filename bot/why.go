package bot

import (
	"context"
	"strings"
)

// A bare "why?" right after an answer ("why tho", "but why", "how come")
// asks what the answer rests on. Read as a question, it only finds the
// same entry again and repeats it word for word; instead the bot says
// where that answer comes from, what in it is guidance rather than rule,
// and offers the related questions.

// whyWords are the words a bare why is made of.
var whyWords = wordSet("why", "tho", "though", "but", "how", "come", "so", "is", "that", "the", "reason", "reasons", "really",
	"and", "whats", "what", "s", "huh", "exactly", "explain", "is", "it", "this", "pls", "please", "wait", "hmm", "ok", "okay", "for", "behind")

// bareWhy reports whether msg is only a why about what came before.
func bareWhy(msg *reading) bool {
	w := msg.all
	if len(w) == 0 || len(w) > 6 {
		return false
	}
	why := false
	for i, x := range w {
		if !whyWords[x] {
			return false
		}
		why = why || x == "why" || x == "reason" || x == "reasons" || x == "explain" || (x == "come" && i > 0 && w[i-1] == "how")
	}
	return why
}

// doubtPhrases question what was just said ("really?", "are you sure",
// "is that true", "says who"): like a bare why, they ask what an answer
// rests on. Read as questions they find nothing, or the same entry again.
var doubtPhrases = wordSet("really", "seriously", "for real", "are you sure", "you sure", "are u sure", "u sure",
	"r u sure", "are you certain", "is that true", "is this true", "is it true", "is that right",
	"is this right", "is that correct", "is that accurate", "is that official", "is that a rule", "is that an official rule",
	"no way", "how do you know", "how do u know", "how would you know", "says who", "who says", "according to who",
	"according to whom", "source", "sources", "whats your source", "what is your source", "whats the source",
	"where did you get that", "where did you hear that", "where does that come from", "where is that from")

// doubtLeads may come before a doubt ("wait, really?", "hmm are you sure")
// and doubtTails after it ("really tho").
var doubtLeads, doubtTails = wordSet("wait", "but", "hmm", "hm", "oh", "ok", "okay", "um", "uh", "so", "and", "lol", "wow"),
	wordSet("tho", "though", "lol", "now", "about that", "about this", "on that")

// doubting reports whether msg only questions what was just said.
func doubting(msg *reading) bool {
	w := msg.all
	for len(w) > 1 && doubtLeads[w[0]] {
		w = w[1:]
	}
	if len(w) == 0 || len(w) > 7 {
		return false
	}
	s := strings.Join(w, " ")
	if doubtPhrases[s] {
		return true
	}
	for tail := range doubtTails {
		if rest, ok := strings.CutSuffix(s, " "+tail); ok && doubtPhrases[rest] {
			return true
		}
	}
	return false
}

// whyAgain answers a bare why, or a doubt, about the last answer; ok is
// false when msg is not one or there was no answer just before.
func (b *Bot) whyAgain(ctx context.Context, t *turn, msg *reading) (Reply, bool) {
	if t.conv.LastTopic == "" || t.conv.LastCommand != "" && t.conv.LastCommand != checkOffered || !(bareWhy(msg) || doubting(msg)) {
		return Reply{}, false
	}
	kb := b.knowledgeFor(ctx, t.call.User.TenantRef())
	e, ok := kb.Entry(t.conv.LastTopic)
	if !ok {
		return Reply{}, false
	}
	ev := t.call.Event
	ev.Kind, ev.Command = EventQuestion, "ask"
	ev.Topic, ev.Confidence, ev.Answered = e.ID, 1, true
	var sb strings.Builder
	sb.WriteString("My answer on **" + e.Title + "** rests on ")
	if e.Source != "" {
		sb.WriteString("these sources: " + strings.TrimSuffix(e.Source, ".") + ".")
	} else {
		sb.WriteString("your community's own knowledge base, written by its admins.")
	}
	sb.WriteString("\n\nWhere Amazon publishes a rule, the answer gives it as one; where it publishes nothing, what you read is creators' experience, marked as guidance, not a rule. " +
		"Amazon rarely explains its decisions, so for some points that is all anyone has. If one part doesn't fit your situation, tell me which, with your details, and I'll look at that.")
	r := Reply{Title: "Why I said that", Text: sb.String(), Buttons: relatedButtons(kb, e)}
	r.Buttons = r.Buttons[:min(len(r.Buttons), 3)]
	return r, true
}

// verdictOtherWords make a message with "not ready" or "not good" about
// something besides the verdict.
var verdictOtherWords = wordSet("apply", "post", "posting", "should", "can", "do", "does", "grow", "get", "make", "use")

// disputesVerdict reports whether a short message, right after a check,
// pushes back on its verdict ("what?? 1.2 mil and not ready??", "how am
// i not eligible"): it is answered by reading the check back.
func disputesVerdict(msg *reading) bool {
	w := msg.all
	if len(w) > 12 {
		return false
	}
	for _, x := range w {
		if verdictOtherWords[x] {
			return false // "not yet, how do i apply": a question of its own
		}
	}
	for i := 0; i+1 < len(w); i++ {
		if w[i] == "not" || w[i] == "isnt" || w[i] == "arent" {
			switch w[i+1] {
			case "ready", "eligible", "good", "enough", "yet", "qualified":
				return true
			}
		}
	}
	return false
}
