package console

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The replies are Markdown as Discord and Slack take it: **bold**,
// _italic_ (or *italic*), `code`, [links](url), "- " bullets and "# "
// headings. markdown renders it for a terminal: ANSI styles on a TTY, and
// plain text with the markers removed when piped, the same rules for
// both.

// style is how one kind of span looks on a terminal: the codes that turn
// it on and off (off codes that end only this style, so spans nest).
type style struct{ on, off string }

var (
	styleBold   = style{"\x1b[1m", "\x1b[22m"}
	styleItalic = style{"\x1b[3m", "\x1b[23m"}
	styleCode   = style{"\x1b[36m", "\x1b[39m"}
	styleLink   = style{"\x1b[4m", "\x1b[24m"}
)

var (
	bulletRE  = regexp.MustCompile(`^(\s*)[-*•]\s+(.*)$`)
	headingRE = regexp.MustCompile(`^#{1,6}\s+(.*)$`)
	fenceRE   = regexp.MustCompile("^\\s*```")
)

// markdown renders text for a terminal (tty) or as plain text.
func markdown(text string, tty bool) string {
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	inFence := false
	for _, l := range lines {
		if fenceRE.MatchString(l) {
			inFence = !inFence
			continue
		}
		switch {
		case inFence:
			out = append(out, "    "+l)
		case headingRE.MatchString(l):
			h := headingRE.FindStringSubmatch(l)[1]
			out = append(out, styled(styleBold, inline(h, tty), tty))
		case bulletRE.MatchString(l) && !isRule(l):
			m := bulletRE.FindStringSubmatch(l)
			mark := "-"
			if tty {
				mark = "•"
			}
			out = append(out, m[1]+mark+" "+inline(m[2], tty))
		default:
			out = append(out, inline(l, tty))
		}
	}
	return strings.Join(out, "\n")
}

// isRule reports whether l is a horizontal rule ("---", "* * *").
func isRule(l string) bool {
	t := strings.ReplaceAll(strings.TrimSpace(l), " ", "")
	return len(t) >= 3 && (strings.Trim(t, "-") == "" || strings.Trim(t, "*") == "")
}

func styled(s style, text string, tty bool) string {
	if !tty || text == "" {
		return text
	}
	return s.on + text + s.off
}

// inline renders the spans of one line.
func inline(s string, tty bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte(escapable, s[i+1]) >= 0:
			// A backslash escape shows its character as typed: bot.Quote
			// escapes quoted user text this way.
			b.WriteByte(s[i+1])
			i += 2
			continue
		case c == '`':
			if end := strings.IndexByte(s[i+1:], '`'); end > 0 {
				b.WriteString(styled(styleCode, s[i+1:i+1+end], tty))
				i += end + 2
				continue
			}
		case c == '[':
			if m := linkAt(s[i:]); m != nil {
				label, url := m[1], m[2]
				b.WriteString(styled(styleLink, inline(label, tty), tty))
				if url != label {
					b.WriteString(" <" + url + ">")
				}
				i += len(m[0])
				continue
			}
		case (c == '*' || c == '_') && i+1 < len(s) && s[i+1] == c:
			if end := closing(s, i, s[i:i+2]); end > 0 {
				b.WriteString(styled(styleBold, inline(s[i+2:end], tty), tty))
				i = end + 2
				continue
			}
		case c == '*' || c == '_':
			if end := closing(s, i, s[i:i+1]); end > 0 {
				b.WriteString(styled(styleItalic, inline(s[i+1:end], tty), tty))
				i = end + 1
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// escapable are the characters a backslash escapes: Markdown's, and
// every one bot.Quote escapes in quoted user text.
const escapable = "\\`*_~[]()<>#|@!&:-"

var linkRE = regexp.MustCompile(`^\[([^\]]+)\]\(([^)\s]+)\)`)

func linkAt(s string) []string { return linkRE.FindStringSubmatch(s) }

// closing finds where the emphasis that opens with marker at s[i] closes,
// or -1. Like CommonMark, an opening marker is followed by a non-space
// and not preceded by a letter or digit (snake_case is not emphasis); a
// closing one is preceded by a non-space and not followed by a letter or
// digit.
func closing(s string, i int, marker string) int {
	start := i + len(marker)
	if start >= len(s) || isSpaceAt(s, start) || (i > 0 && isWordBefore(s, i)) {
		return -1
	}
	for j := start + 1; j+len(marker) <= len(s); j++ {
		if s[j] == '`' {
			// Markers inside a code span do not close anything.
			if end := strings.IndexByte(s[j+1:], '`'); end >= 0 {
				j += end + 1
				continue
			}
		}
		if s[j:j+len(marker)] != marker || isSpaceBefore(s, j) {
			continue
		}
		after := j + len(marker)
		if after < len(s) && (isWordAt(s, after) || s[after] == marker[0]) {
			continue
		}
		return j
	}
	return -1
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

func isSpaceBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsSpace(r)
}

func isWordAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isWordBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// Printable returns s made harmless for a terminal, as every reply is
// before it is rendered; see safeText. Other terminal output of text users
// typed (the admin tools' tables) uses it too.
func Printable(s string) string { return safeText(s) }

// safeText makes text that may quote users harmless for a terminal: ESC
// (which starts colour, cursor and title sequences), NUL, BEL and the
// other C0 and C1 controls and DEL are shown as \xNN; bidirectional
// overrides, which reorder what is shown, are dropped. Newlines and tabs
// stay. It runs before markdown adds styles of its own.
func safeText(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteString(`\x`)
			b.WriteByte(hex[r>>4&0xf])
			b.WriteByte(hex[r&0xf])
		case unsafeRune(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f:
		return true
	}
	return false
}
