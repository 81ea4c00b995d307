package bot

import (
	"context"
	"strings"

	"github.com/influbot/influbot/bot/disclosure"
)

// A caption to check in plain words: "is this caption ok: ...", "check my
// caption - ...", "is this disclosure enough? ...", `is "link in bio!" a
// good caption`. The caption runs through
// lint as typed (its hashtags, emoji and links are what lint reads), so it
// is taken from the message itself, not from its normalised words.
var captionAsk = mustPattern(`(?is)^\s*(?:is|does)\s+(?:this|my)\s+(?:caption|post|disclosure|description)\s+(?:ok|okay|fine|good|enough|compliant|legal|look ok|look good|work)\s*(?:\?|:|-|–|—)\s*(\S.*)$` +
	// check my caption - X / can u check my caption "X"
	`|^\s*(?:(?:can|could)\s+(?:you|u)\s+|pls\s+|please\s+)?(?:check|lint|review|look at)\s+(?:my|this)\s+(?:caption|post|disclosure)` +
	`(?:\s*(?:please|pls)?\s*(?:\?|:|-|–|—)\s*(\S.*)|\s+["“”'‘’](\S.*?)["“”'‘’]\s*(?:please|pls)?\s*[?.!]*\s*)$` +
	// is "link in bio!" a good caption / is 'X' enough disclosure?
	`|^\s*is\s+["“”'‘’](\S.*?)["“”'‘’]\s+(?:a\s+|an\s+)?(?:ok|okay|good|fine|proper|compliant|legal|enough|valid)(?:\s+(?:caption|disclosure|post))?(?:\s+for\s+(?:amazon|the\s+ftc|instagram|tiktok))?\s*[?.!]*\s*$`)

// captionRevised is a caption sent again right after a lint, with a word
// that says it was changed: "fixed: ...", "how about now - ...", "updated
// version: ...", "try this: ...".
var captionRevised = mustPattern(`(?is)^\s*(?:ok(?:ay)?\s*,?\s*)?(?:fixed(?:\s+it)?|updated(?:\s+(?:it|version|caption))?|revised(?:\s+(?:it|version|caption))?|new\s+(?:version|caption)|changed\s+it|edited(?:\s+it)?|how\s+about(?:\s+(?:now|this|this\s+one))?|what\s+about(?:\s+(?:now|this|this\s+one))?|is\s+this\s+(?:better|ok|okay|good|fine)(?:\s+now)?|and\s+now|now|try(?:\s+this(?:\s+one)?)?|second\s+try|v2|(?:can\s+you\s+|pls\s+|please\s+)?check\s+(?:this(?:\s+one)?|it\s+now|again|the\s+new\s+one)|this\s+one)\s*(?:\?|:|-|–|—)\s*(\S.*)$`)

// lintFixAsk asks, right after a lint, how to fix the caption: "what
// should i add", "how do i fix it", "what's missing".
var lintFixAsk = mustPattern(`^(?:(?:so|ok|okay|then|and|hmm|um)\s+)*(?:what (?:should|do|would|can) i (?:add|write|put|say|change|use|do)|how (?:do|can|should) i (?:fix|change|word|write|reword) (?:it|this|that|my caption|the caption)|whats missing|what is missing|what should it say|how should it look|(?:can you )?fix it(?: for me)?|what do you suggest|any suggestions?|(?:whats|what is|so whats) (?:wrong|the problem|the issue)(?: with (?:it|this|that|my caption|the caption))?|why|why not|how so|what do you mean|why (?:is|was) (?:it|that|this)(?: caption)? (?:flagged|wrong|bad|not ok|not okay|a problem)|whats wrong)(?:\s+(?:then|instead|to it|there|please|pls))*$`)

// captionAsked lints a caption asked about in plain words; ok is false when
// the message is not such a question.
func (b *Bot) captionAsked(ctx context.Context, t *turn, text string, msg *reading) (Reply, bool, error) {
	if t.conv.LastCommand == "lint" {
		if m := captionRevised.FindStringSubmatch(text); m != nil {
			r, err := b.runNamed(ctx, t, "lint", strings.TrimSpace(m[1]))
			return r, true, err
		}
		if caption := strings.TrimSpace(t.conv.LastArgs); caption != "" && lintFixAsk.MatchString(strings.TrimRight(msg.norm, " .")) {
			return lintFix(t, caption), true, nil
		}
	}
	if !strings.ContainsAny(text, ":?-–—\"“”'‘’") || !captionWord(msg) {
		return Reply{}, false, nil // most messages: no regular expression run
	}
	m := captionAsk.FindStringSubmatch(text)
	if m == nil {
		return Reply{}, false, nil
	}
	caption := strings.TrimSpace(m[1] + m[2] + m[3] + m[4])
	if caption == "" {
		return Reply{}, false, nil
	}
	r, err := b.runNamed(ctx, t, "lint", caption)
	return r, true, err
}

// captionWord reports whether msg names what captionAsk asks about.
func captionWord(msg *reading) bool {
	for _, w := range msg.all {
		switch w {
		case "caption", "post", "disclosure", "description":
			return true
		}
	}
	return false
}

// lintFix shows the caption just linted with a disclosure where it is seen
// first, in two wordings, and how to check it again.
func lintFix(t *turn, caption string) Reply {
	ev := t.call.Event
	ev.Kind, ev.Command = EventChat, "chat"
	ev.OneOffReply = true
	if rep, err := disclosure.Lint(caption); err == nil && rep.HasDisclosure {
		return Reply{Text: "Nothing to add: that caption already discloses clearly. Keep the disclosure where it is seen first, " +
			"and keep Amazon's sentence (“As an Amazon Associate I earn from qualifying purchases.”) on your profile.", Ephemeral: true}
	}
	c := codeSafe(caption, 200)
	return Reply{
		Title: "How to fix it",
		Text: "Put the disclosure first, where it's seen before \"more\" and before any hashtags:\n" +
			"• `#ad " + c + "`\n" +
			"• or in words: `I earn a commission if you buy through my link. " + c + "`\n\n" +
			"Not enough on their own: \"#sp\", \"#collab\", a disclosure only in your bio, or #ad among the hashtags at the end. " +
			"In a video, say it too. Send the new caption (`fixed: <caption>` works) and I'll check it again.",
		Ephemeral: true,
	}
}
