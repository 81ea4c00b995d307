package discord

import (
	"regexp"
	"strings"

	"github.com/influbot/influbot/bot"
)

// Replies quote what users typed (the unanswered list, history, echoes of
// input). The core escapes Markdown in the text it quotes; the adapter
// adds what only Discord does with text, and what the bot never means to
// send, so that a user's text cannot ping people or plant a disguised
// link whatever it holds:
//
//   - no message allows any mention (allowed_mentions is empty on every
//     send), and "@everyone" and "@here" are broken with a zero-width
//     space so they do not even look like pings;
//   - role and channel mentions (<@&id>, <#id>) are escaped to show as
//     typed: the bot never sends them;
//   - a masked link [label](url) shows its address, "label (url)": the
//     bot's own text has none, and a label is how a link is disguised.
//
// Mentions of users (<@id>) stay: the core writes them on purpose (the
// admin list), and they notify nobody.

// zwsp is the zero-width space that breaks a ping without showing.
const zwsp = "\u200b"

var (
	// massPing matches @everyone and @here.
	massPing = regexp.MustCompile(`@(everyone|here)`)
	// roleOrChannel matches a role or channel mention not already escaped.
	roleOrChannel = regexp.MustCompile(`(^|[^\\])(<(?:@&|#)[0-9]+>)`)
	// maskedLink matches [label](url) or [label](<url>) with an optional
	// title, not escaped: Discord's masked link.
	maskedLink = regexp.MustCompile(`(^|[^\\])\[((?:\[[^\[\]\n]*\]|[^\[\]\\\n]|\\.)*)\]\(\s*<?([a-zA-Z][a-zA-Z0-9+.-]*:[^\s)>]*)>?(?:\s+"[^"\n]*")?\s*\)`)
)

// defang makes text safe to show on Discord as described above.
func defang(s string) string {
	if s == "" {
		return s
	}
	if strings.Contains(s, "](") {
		s = replaceAllRepeated(maskedLink, s, func(m []string) string {
			label := strings.TrimSpace(m[2])
			if label == "" || label == m[3] {
				return m[1] + m[3]
			}
			return m[1] + label + " (" + m[3] + ")"
		})
	}
	if strings.Contains(s, "<") {
		s = replaceAllRepeated(roleOrChannel, s, func(m []string) string { return m[1] + `\` + m[2] })
	}
	if strings.Contains(s, "@") {
		s = massPing.ReplaceAllString(s, "@"+zwsp+"$1")
	}
	return s
}

// replaceAllRepeated replaces every match of re by f's answer, again until
// nothing matches: matches share their leading character, so one pass can
// leave every other one of "[a](x)[b](y)".
func replaceAllRepeated(re *regexp.Regexp, s string, f func(groups []string) string) string {
	for range 8 {
		next := re.ReplaceAllStringFunc(s, func(m string) string { return f(re.FindStringSubmatch(m)) })
		if next == s {
			return s
		}
		s = next
	}
	return s
}

// defangReply returns r with its text, title and fields defanged; r's
// own fields slice is left alone.
func defangReply(r bot.Reply) bot.Reply {
	r.Title = defang(r.Title)
	r.Text = defang(r.Text)
	if len(r.Fields) > 0 {
		fields := make([]bot.Field, len(r.Fields))
		for i, f := range r.Fields {
			f.Name, f.Value = defang(f.Name), defang(f.Value)
			fields[i] = f
		}
		r.Fields = fields
	}
	return r
}
