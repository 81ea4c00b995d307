package bot

import (
	"strconv"
	"strings"
	"unicode"
)

// markdownSpecial are the characters that carry meaning in the core's
// Markdown or in a platform's markup once rendered: emphasis, code, links,
// headings, quotes, tables, mentions (<@id>, @everyone) and entities.
const markdownSpecial = "\\`*_~[]()<>#|@!&:"

// Quote makes text a user typed safe to show inside a reply's Markdown:
// every character with a meaning in Markdown or in a platform's markup is
// escaped with a backslash, so that an adapter's renderer shows it as
// typed; control characters are dropped and line breaks become spaces, so
// quoted text cannot start a heading, a list or a code block. Use it
// wherever the bot quotes a user's words back: a link, a mention or
// formatting in them must never become live.
func Quote(text string) string {
	var sb strings.Builder
	sb.Grow(len(text) + len(text)/8)
	space := false
	for _, r := range text {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || isInvisibleFormat(r):
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		if r < 0x80 && strings.ContainsRune(markdownSpecial, r) {
			sb.WriteByte('\\')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// QuoteClip quotes at most n characters of text, ending with "…" when it
// cut. It cuts before quoting, so an escape is never split.
func QuoteClip(text string, n int) string {
	return Quote(clipRunes(strings.Join(strings.Fields(text), " "), n))
}

// Unquote reverses Quote's escapes (not its dropping of control
// characters nor its joining of lines), for renderers that show text
// without markup.
func Unquote(md string) string {
	if !strings.Contains(md, `\`) {
		return md
	}
	var sb strings.Builder
	sb.Grow(len(md))
	for i := 0; i < len(md); i++ {
		if md[i] == '\\' && i+1 < len(md) && strings.IndexByte(markdownSpecial, md[i+1]) >= 0 {
			i++
		}
		sb.WriteByte(md[i])
	}
	return sb.String()
}

// isInvisibleFormat reports the format characters that change how text
// around them is shown without being seen themselves: bidirectional
// overrides and isolates (which can reverse a quoted URL) and the zero
// width spaces used to hide markup. (Joiners stay: emoji need them.)
func isInvisibleFormat(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	case r == 0x200B, r == 0x2060, r == 0xFEFF:
		return true
	}
	return false
}

// QuoteEchoes makes the Go-quoted strings ("...", as fmt's %q writes them)
// in a message safe to show: each becomes “text” with its text escaped
// by Quote. The pure-logic packages (eligibility, disclosure) echo the
// user's words with %q; the core passes their messages through this
// before they reach a reply.
func QuoteEchoes(msg string) string {
	if !strings.Contains(msg, `"`) {
		return msg
	}
	var sb strings.Builder
	for {
		i := strings.IndexByte(msg, '"')
		if i < 0 {
			sb.WriteString(msg)
			return sb.String()
		}
		sb.WriteString(msg[:i])
		lit, err := strconv.QuotedPrefix(msg[i:])
		if err != nil {
			sb.WriteByte('"') // a lone quote means nothing in markup
			msg = msg[i+1:]
			continue
		}
		text, _ := strconv.Unquote(lit)
		sb.WriteString("“" + Quote(text) + "”")
		msg = msg[i+len(lit):]
	}
}
