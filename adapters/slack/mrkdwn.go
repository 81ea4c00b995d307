package slack

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mrkdwn converts the core's Markdown (**bold**, _italic_, *italic*,
// ~~strike~~, `code`, fenced code, [text](url), "# heading", "- bullet")
// to Slack's mrkdwn, escaping &, < and > everywhere so user text cannot
// inject mentions or links.
func mrkdwn(md string) string {
	var sb strings.Builder
	sb.Grow(len(md) + len(md)/8)
	inFence := false
	for i, line := range lines(md) {
		if i > 0 {
			sb.WriteByte('\n')
		}
		trimmed := strings.TrimSpace(line)
		if code, ok := oneLineFence(trimmed); ok && !inFence {
			sb.WriteString("```" + escape(code) + "```")
			continue
		}
		if strings.HasPrefix(trimmed, "```") {
			inFence = !inFence
			// A language tag ("```go") means nothing to Slack.
			sb.WriteString("```")
			continue
		}
		if inFence {
			sb.WriteString(escape(line))
			continue
		}
		if h, ok := heading(trimmed); ok {
			sb.WriteByte('*')
			sb.WriteString(strings.ReplaceAll(inline(h), "*", ""))
			sb.WriteByte('*')
			continue
		}
		indent, rest, ok := bullet(line)
		if ok {
			sb.WriteString(indent)
			sb.WriteString("• ")
			inlineTo(&sb, rest)
			continue
		}
		inlineTo(&sb, line)
	}
	return sb.String()
}

// plainText renders the core's Markdown as text without markup, for the
// notification fallback of a message. &, < and > are escaped because Slack
// parses the fallback text for links and mentions too.
func plainText(md string) string {
	var sb strings.Builder
	sb.Grow(len(md))
	inFence := false
	for i, line := range lines(md) {
		if i > 0 {
			sb.WriteByte('\n')
		}
		trimmed := strings.TrimSpace(line)
		if code, ok := oneLineFence(trimmed); ok && !inFence {
			sb.WriteString(escape(code))
			continue
		}
		if strings.HasPrefix(trimmed, "```") {
			inFence = !inFence
			continue
		}
		if inFence {
			sb.WriteString(escape(line))
			continue
		}
		if h, ok := heading(trimmed); ok {
			line = h
		} else if indent, rest, ok := bullet(line); ok {
			// indent and the bullet hold no markup: stripping the
			// whole line strips rest.
			sb.WriteString(indent)
			sb.WriteString("• ")
			stripInlineTo(&sb, rest)
			continue
		}
		stripInlineTo(&sb, line)
	}
	return strings.TrimSpace(sb.String())
}

// lines yields the index and text of each line of s, as the elements of
// strings.Split(s, "\n") without making the slice.
func lines(s string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for i := 0; ; i++ {
			line, rest, more := strings.Cut(s, "\n")
			if !yield(i, line) || !more {
				return
			}
			s = rest
		}
	}
}

// oneLineFence recognises "```code```" on a single line.
func oneLineFence(line string) (string, bool) {
	if len(line) > 6 && strings.HasPrefix(line, "```") && strings.HasSuffix(line, "```") {
		return line[3 : len(line)-3], true
	}
	return "", false
}

func heading(line string) (string, bool) {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n >= len(line) || line[n] != ' ' {
		return "", false
	}
	return strings.TrimSpace(line[n:]), true
}

func bullet(line string) (indent, rest string, ok bool) {
	t := strings.TrimLeft(line, " \t")
	if len(t) < 2 || (t[0] != '-' && t[0] != '*' && t[0] != '+') || t[1] != ' ' {
		return "", "", false
	}
	return line[:len(line)-len(t)], strings.TrimLeft(t[2:], " "), true
}

// verbatimAt reads what stands for itself at s[i] in both renderings: a
// backslash escape (the core's bot.Quote) as its literal character, the
// core's own mention as a live <@id>, any other '<' escaped. ok is false
// when s[i] starts none of them.
func verbatimAt(s string, i int) (out string, n int, ok bool) {
	switch {
	case s[i] == '\\' && i+1 < len(s) && quotable(s[i+1]):
		return literal(s[i+1]), 2, true
	case s[i] == '<':
		if id, n, ok := mention(s[i:]); ok {
			return "<@" + id + ">", n, true
		}
		return "&lt;", 1, true
	}
	return "", 0, false
}

// inline converts the inline markup of one line.
func inline(s string) string {
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	inlineTo(&sb, s)
	return sb.String()
}

// markup marks the bytes at which inline markup, an escape or a character
// to escape may start; runs of other bytes are copied as they are.
var markup = func() (t [256]bool) {
	for _, c := range []byte("\\<`[*_~&>") {
		t[c] = true
	}
	return t
}()

// plainRun returns the end of the run of bytes from s[i] that are no
// markup.
func plainRun(s string, i int) int {
	for i < len(s) && !markup[s[i]] {
		i++
	}
	return i
}

// inlineTo writes inline(s) to sb.
func inlineTo(sb *strings.Builder, s string) {
	for i := 0; i < len(s); {
		if j := plainRun(s, i); j > i {
			sb.WriteString(s[i:j])
			i = j
			continue
		}
		c := s[i]
		switch {
		case c == '\\' || c == '<':
			if out, n, ok := verbatimAt(s, i); ok {
				sb.WriteString(out)
				i += n
				continue
			}
		case c == '`':
			if j := indexUnescaped(s[i+1:], "`"); j >= 0 {
				sb.WriteByte('`')
				sb.WriteString(escape(s[i+1 : i+1+j]))
				sb.WriteByte('`')
				i += j + 2
				continue
			}
		case c == '[':
			if text, url, n, ok := link(s[i:]); ok {
				sb.WriteByte('<')
				sb.WriteString(escapeURL(url))
				sb.WriteByte('|')
				stripInlineTo(sb, text)
				sb.WriteByte('>')
				i += n
				continue
			}
		case strings.HasPrefix(s[i:], "**"), strings.HasPrefix(s[i:], "__"):
			if j := indexUnescaped(s[i+2:], s[i:i+2]); j > 0 {
				sb.WriteByte('*')
				inlineTo(sb, s[i+2:i+2+j])
				sb.WriteByte('*')
				i += j + 4
				continue
			}
		case strings.HasPrefix(s[i:], "~~"):
			if j := indexUnescaped(s[i+2:], "~~"); j > 0 {
				sb.WriteByte('~')
				inlineTo(sb, s[i+2:i+2+j])
				sb.WriteByte('~')
				i += j + 4
				continue
			}
		case c == '*':
			// Markdown's *italic* is mrkdwn's _italic_; a lone star
			// ("5 * 3") stays as it is.
			if j := emphasisEnd(s, i); j > 0 {
				sb.WriteByte('_')
				inlineTo(sb, s[i+1:j])
				sb.WriteByte('_')
				i = j + 1
				continue
			}
		case c == '&':
			sb.WriteString("&amp;")
			i++
			continue
		case c == '>':
			sb.WriteString("&gt;")
			i++
			continue
		}
		sb.WriteByte(c)
		i++
	}
}

// emphasisEnd returns the index of the marker (s[i], a star or an
// underscore) closing the emphasis it opens, or -1. Like Markdown, it
// wants the markers at word edges, so "5 * 3" and snake_case stay.
func emphasisEnd(s string, i int) int {
	m := s[i]
	if i+1 >= len(s) || s[i+1] == ' ' || s[i+1] == m || (i > 0 && isWordByte(s[i-1])) {
		return -1
	}
	for j := i + 1; j < len(s); j++ {
		if s[j] == '\\' {
			j++ // an escaped character closes nothing
			continue
		}
		if s[j] != m {
			continue
		}
		if s[j-1] == ' ' || (j+1 < len(s) && (s[j+1] == m || isWordByte(s[j+1]))) {
			return -1
		}
		return j
	}
	return -1
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// link parses "[text](url)" at the start of s and returns its parts and
// length.
func link(s string) (text, url string, n int, ok bool) {
	closeText := strings.Index(s, "](")
	if closeText < 1 {
		return "", "", 0, false
	}
	closeURL := strings.IndexByte(s[closeText+2:], ')')
	if closeURL < 1 {
		return "", "", 0, false
	}
	text = s[1:closeText]
	url = strings.TrimSpace(s[closeText+2 : closeText+2+closeURL])
	if strings.ContainsAny(url, " \t") || strings.Contains(text, "[") {
		return "", "", 0, false
	}
	return text, url, closeText + 3 + closeURL, true
}

// stripInline removes inline markup, keeping the words and escaping &, <
// and >; a link becomes "text (url)".
func stripInline(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	stripInlineTo(&sb, s)
	return sb.String()
}

// stripInlineTo writes stripInline(s) to sb.
func stripInlineTo(sb *strings.Builder, s string) {
	for i := 0; i < len(s); {
		if j := plainRun(s, i); j > i {
			sb.WriteString(s[i:j])
			i = j
			continue
		}
		c := s[i]
		switch {
		case c == '\\' || c == '<':
			if out, n, ok := verbatimAt(s, i); ok {
				sb.WriteString(out)
				i += n
				continue
			}
		case c == '`':
			if j := indexUnescaped(s[i+1:], "`"); j >= 0 {
				sb.WriteString(escape(s[i+1 : i+1+j]))
				i += j + 2
				continue
			}
		case c == '[':
			if text, url, n, ok := link(s[i:]); ok {
				text = stripInline(text)
				sb.WriteString(text)
				if u := escape(url); text != u {
					sb.WriteString(" (")
					sb.WriteString(u)
					sb.WriteByte(')')
				}
				i += n
				continue
			}
		case strings.HasPrefix(s[i:], "**"), strings.HasPrefix(s[i:], "__"), strings.HasPrefix(s[i:], "~~"):
			if j := indexUnescaped(s[i+2:], s[i:i+2]); j > 0 {
				stripInlineTo(sb, s[i+2:i+2+j])
				i += j + 4
				continue
			}
		case c == '*', c == '_':
			if j := emphasisEnd(s, i); j > 0 {
				stripInlineTo(sb, s[i+1:j])
				i = j + 1
				continue
			}
		case c == '&', c == '>':
			sb.WriteString(escape(s[i : i+1]))
			i++
			continue
		}
		sb.WriteByte(c)
		i++
	}
}

// stripInlineUnescaped removes inline markup for plain_text objects (a
// header, a button label), which Slack shows verbatim.
func stripInlineUnescaped(s string) string {
	return unescape(stripInline(s))
}

// quotable reports whether c is one of the characters the core escapes
// with a backslash in quoted user text (bot.Quote).
func quotable(c byte) bool {
	return c < 0x80 && strings.IndexByte("\\`*_~[]()<>#|@!&:", c) >= 0
}

// literal is how an escaped character of quoted user text is shown:
// as itself, unless mrkdwn has no way to escape it. Slack has no escape for
// its emphasis and code markers, so those become lookalikes that format
// nothing; "@" is followed by a zero-width space, so "@channel" typed by a
// user is never read as a mention.
func literal(c byte) string {
	switch c {
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '*':
		return "\u2217" // ∗ asterisk operator
	case '_':
		return "\uFF3F" // ＿ fullwidth low line
	case '~':
		return "\u02DC" // ˜ small tilde
	case '`':
		return "\u02CB" // ˋ modifier grave accent
	case '@':
		return "@\u200B"
	}
	return string(c)
}

// mention recognises the core's mention of a Slack user, "<@U024BE7LH>",
// at the start of s, and returns the id and the length it spans. The core
// writes mentions only for ids it means to mention; user text reaches the
// renderer escaped (bot.Quote), so it cannot forge one.
func mention(s string) (id string, n int, ok bool) {
	if !strings.HasPrefix(s, "<@") {
		return "", 0, false
	}
	end := strings.IndexByte(s, '>')
	if end < 4 || end > 24 {
		return "", 0, false
	}
	id = s[2:end]
	if id[0] != 'U' && id[0] != 'W' && id[0] != 'B' {
		return "", 0, false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", 0, false
		}
	}
	return id, end + 1, true
}

// indexUnescaped is strings.Index that skips backslash-escaped
// characters, so an escaped marker in quoted user text closes nothing.
func indexUnescaped(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], sub) {
			return i
		}
	}
	return -1
}

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escape(s string) string { return mrkdwnEscaper.Replace(s) }

var urlEscaper = strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C")

// escapeURL escapes a link target; "|" and ">" would end it early.
func escapeURL(u string) string { return urlEscaper.Replace(u) }

var mrkdwnUnescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

func unescape(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s // every entity starts with one
	}
	return mrkdwnUnescaper.Replace(s)
}

// clip cuts s to at most n characters, ending with "…" when it cut.
func clip(s string, n int) string {
	// No more bytes than n is no more characters: skip counting them.
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:n-1]), unicode.IsSpace) + "…"
}

// incomingText turns Slack's formatted message text into the plain text the
// core reads: the bot's own mention is dropped, other mentions, channels
// and links become readable, and entities are unescaped.
func incomingText(s, botUserID string) string {
	var sb strings.Builder
	for {
		open := strings.IndexByte(s, '<')
		if open < 0 {
			sb.WriteString(s)
			break
		}
		end := strings.IndexByte(s[open:], '>')
		if end < 0 {
			sb.WriteString(s)
			break
		}
		sb.WriteString(s[:open])
		sb.WriteString(slackEntity(s[open+1:open+end], botUserID))
		s = s[open+end+1:]
	}
	return strings.Join(strings.Fields(unescape(sb.String())), " ")
}

// slackEntity renders the inside of one <...> of Slack's message format.
func slackEntity(e, botUserID string) string {
	target, label, hasLabel := strings.Cut(e, "|")
	switch {
	case strings.HasPrefix(target, "@"):
		if botUserID != "" && target[1:] == botUserID {
			return ""
		}
		// The id, not the label: "admin add @maria" must name the user
		// the core can mention back (<@U024BE7LH>) and look up.
		return target
	case strings.HasPrefix(target, "#"):
		if hasLabel {
			return "#" + label
		}
		return target
	case strings.HasPrefix(target, "!"):
		// <!here>, <!channel>, <!subteam^ID|@team>
		if hasLabel {
			return label
		}
		return "@" + strings.TrimPrefix(target, "!")
	default:
		if strings.HasPrefix(target, "mailto:") {
			target = strings.TrimPrefix(target, "mailto:")
		}
		return target
	}
}
