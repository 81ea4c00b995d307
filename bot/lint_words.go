package bot

import (
	"context"
	"regexp"
	"strings"
)

// A caption to check in plain words: "is this caption ok: ...", "check my
// caption - ...", "is this disclosure enough? ...", `is "link in bio!" a
// good caption`. The caption runs through
// lint as typed (its hashtags, emoji and links are what lint reads), so it
// is taken from the message itself, not from its normalised words.
var captionAsk = regexp.MustCompile(`(?is)^\s*(?:is|does)\s+(?:this|my)\s+(?:caption|post|disclosure|description)\s+(?:ok|okay|fine|good|enough|compliant|legal|look ok|look good|work)\s*(?:\?|:|-|–|—)\s*(\S.*)$` +
	// check my caption - X / can u check my caption "X"
	`|^\s*(?:(?:can|could)\s+(?:you|u)\s+|pls\s+|please\s+)?(?:check|lint|review|look at)\s+(?:my|this)\s+(?:caption|post|disclosure)` +
	`(?:\s*(?:please|pls)?\s*(?:\?|:|-|–|—)\s*(\S.*)|\s+["“”'‘’](\S.*?)["“”'‘’]\s*(?:please|pls)?\s*[?.!]*\s*)$` +
	// is "link in bio!" a good caption / is 'X' enough disclosure?
	`|^\s*is\s+["“”'‘’](\S.*?)["“”'‘’]\s+(?:a\s+|an\s+)?(?:ok|okay|good|fine|proper|compliant|legal|enough|valid)(?:\s+(?:caption|disclosure|post))?(?:\s+for\s+(?:amazon|the\s+ftc|instagram|tiktok))?\s*[?.!]*\s*$`)

// captionRevised is a caption sent again right after a lint, with a word
// that says it was changed: "fixed: ...", "how about now - ...", "updated
// version: ...", "try this: ...".
var captionRevised = regexp.MustCompile(`(?is)^\s*(?:ok(?:ay)?\s*,?\s*)?(?:fixed(?:\s+it)?|updated(?:\s+(?:it|version|caption))?|revised(?:\s+(?:it|version|caption))?|new\s+(?:version|caption)|changed\s+it|edited(?:\s+it)?|how\s+about(?:\s+(?:now|this|this\s+one))?|what\s+about(?:\s+(?:now|this|this\s+one))?|is\s+this\s+(?:better|ok|okay|good|fine)(?:\s+now)?|and\s+now|now|try(?:\s+this(?:\s+one)?)?|second\s+try|v2)\s*(?:\?|:|-|–|—)\s*(\S.*)$`)

// captionAsked lints a caption asked about in plain words; ok is false when
// the message is not such a question.
func (b *Bot) captionAsked(ctx context.Context, t *turn, text string, msg *reading) (Reply, bool, error) {
	if t.conv.LastCommand == "lint" {
		if m := captionRevised.FindStringSubmatch(text); m != nil {
			r, err := b.runNamed(ctx, t, "lint", strings.TrimSpace(m[1]))
			return r, true, err
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
