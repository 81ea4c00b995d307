package slack

// The Markdown conversion as it was before runs of plain text were copied
// whole (mrkdwn.go at commit d685ebd), kept to check that the faster one
// writes the same: see TestMarkdownMatchesReference.

import "strings"

// mrkdwn converts the core's Markdown (**bold**, _italic_, *italic*,
// ~~strike~~, `code`, fenced code, [text](url), "# heading", "- bullet")
// to Slack's mrkdwn, escaping &, < and > everywhere so user text cannot
// inject mentions or links.
func refMrkdwn(md string) string {
	var sb strings.Builder
	sb.Grow(len(md) + len(md)/8)
	inFence := false
	for i, line := range strings.Split(md, "\n") {
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
			sb.WriteString(strings.ReplaceAll(refInline(h), "*", ""))
			sb.WriteByte('*')
			continue
		}
		indent, rest, ok := bullet(line)
		if ok {
			sb.WriteString(indent)
			sb.WriteString("• ")
			sb.WriteString(refInline(rest))
			continue
		}
		sb.WriteString(refInline(line))
	}
	return sb.String()
}

// plainText renders the core's Markdown as text without markup, for the
// notification fallback of a message. &, < and > are escaped because Slack
// parses the fallback text for links and mentions too.
func refPlainText(md string) string {
	var sb strings.Builder
	sb.Grow(len(md))
	inFence := false
	for i, line := range strings.Split(md, "\n") {
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
			line = indent + "• " + rest
		}
		sb.WriteString(refStripInline(line))
	}
	return strings.TrimSpace(sb.String())
}

// inline converts the inline markup of one line.
func refInline(s string) string {
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	for i := 0; i < len(s); {
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
				sb.WriteString(refStripInline(text))
				sb.WriteByte('>')
				i += n
				continue
			}
		case strings.HasPrefix(s[i:], "**"), strings.HasPrefix(s[i:], "__"):
			if j := indexUnescaped(s[i+2:], s[i:i+2]); j > 0 {
				sb.WriteByte('*')
				sb.WriteString(refInline(s[i+2 : i+2+j]))
				sb.WriteByte('*')
				i += j + 4
				continue
			}
		case strings.HasPrefix(s[i:], "~~"):
			if j := indexUnescaped(s[i+2:], "~~"); j > 0 {
				sb.WriteByte('~')
				sb.WriteString(refInline(s[i+2 : i+2+j]))
				sb.WriteByte('~')
				i += j + 4
				continue
			}
		case c == '*':
			// Markdown's *italic* is mrkdwn's _italic_; a lone star
			// ("5 * 3") stays as it is.
			if j := emphasisEnd(s, i); j > 0 {
				sb.WriteByte('_')
				sb.WriteString(refInline(s[i+1 : j]))
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
	return sb.String()
}

// stripInline removes inline markup, keeping the words and escaping &, <
// and >; a link becomes "text (url)".
func refStripInline(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	for i := 0; i < len(s); {
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
				text = refStripInline(text)
				sb.WriteString(text)
				if text != escape(url) {
					sb.WriteString(" (" + escape(url) + ")")
				}
				i += n
				continue
			}
		case strings.HasPrefix(s[i:], "**"), strings.HasPrefix(s[i:], "__"), strings.HasPrefix(s[i:], "~~"):
			if j := indexUnescaped(s[i+2:], s[i:i+2]); j > 0 {
				sb.WriteString(refStripInline(s[i+2 : i+2+j]))
				i += j + 4
				continue
			}
		case c == '*', c == '_':
			if j := emphasisEnd(s, i); j > 0 {
				sb.WriteString(refStripInline(s[i+1 : j]))
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
	return sb.String()
}

// markdownSamples are replies' Markdown: the typical FAQ answer, the
// fuzz seeds, and random mixtures of markup, escapes, mentions and text.
func markdownSamples() []string {
	out := []string{
		typicalReply.Text, typicalReply.Title, "", "**bold** _it_ `code` [l](https://x.y)", "```\ncode\n```", "```x```", "# h\n- a\n* b",
		strings.Repeat("<&>", 12), "*" + strings.Repeat("a ", 20) + "*", "\xff\xfe", "~~a~~ __b__", "5 * 3 and snake_case",
		`\*not bold\* \<@U123\> <@U024BE7LH> <@X1> \@channel \& \_x\_ \~ \` + "`", "[a [b](c)](d) [t](u v) [x](https://e.com/?a=1&b=<2>|3)",
		"**a _b_ ~~c~~ `d` [e](f)**", "a**b**c __d__e ~~~~ ** __ *a*b *a* _a_", "- **x**\n  + y\n    * `z`", "## **Title** with *it*",
	}
	pieces := []string{"**", "__", "~~", "*", "_", "`", "[", "](", ")", "]", "<", ">", "&", "\\", "\\*", "<@U1A2B3C>", "<@", " ", "\n", "- ",
		"# ", "```", "word", "x", "é", "https://a.b/c?d=1&e=2", "|", "#", "!"}
	seed := uint64(14)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(n))
	}
	for k := 0; k < 20000; k++ {
		var sb strings.Builder
		for m := next(24); m >= 0; m-- {
			sb.WriteString(pieces[next(len(pieces))])
		}
		out = append(out, sb.String())
	}
	return out
}
