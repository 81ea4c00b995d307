package slack

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"

	"github.com/influbot/influbot/bot"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
const (
	maxBlocks       = 50   // per message
	maxHeader       = 150  // header text
	maxSectionText  = 3000 // section text
	maxFields       = 10   // fields per section
	maxFieldText    = 2000 // one field
	maxButtons      = 25   // elements per actions block
	maxButtonLabel  = 75   // button text
	maxButtonValue  = 2000 // button value
	maxActionID     = 255  // action_id
	maxImageURL     = 3000 // image_url
	maxAltText      = 2000 // alt_text
	maxFallbackText = 3000 // the message's top-level text, kept short for notifications

	// maxMessages is how many messages one reply may become: a runaway
	// reply is shortened rather than flooding a channel.
	maxMessages = 4
)

// message is one chat message: Block Kit blocks and the plain-text
// fallback Slack shows in notifications.
type message struct {
	Blocks []slackapi.Block
	Text   string
}

// render turns a reply into Block Kit messages, splitting what does not fit
// Slack's limits. A reply with nothing to show renders as no message.
func render(r bot.Reply) []message {
	var blocks []slackapi.Block
	title := strings.TrimSpace(stripInlineUnescaped(r.Title))
	if title != "" {
		blocks = append(blocks, slackapi.NewHeaderBlock(plain(clip(title, maxHeader))))
	}
	for _, chunk := range splitText(mrkdwn(strings.TrimSpace(r.Text)), maxSectionText) {
		blocks = append(blocks, slackapi.NewSectionBlock(markdown(chunk), nil, nil))
	}
	blocks = append(blocks, fieldBlocks(r.Fields)...)
	if img := imageBlock(r.Image); img != nil {
		blocks = append(blocks, img)
	}
	blocks = append(blocks, actionBlocks(r.Buttons)...)
	if len(blocks) == 0 {
		return nil
	}

	fallback := plainText(r.Text)
	if title != "" {
		fallback = strings.TrimSpace(escape(title) + "\n" + fallback)
	}
	if fallback == "" {
		fallback = escape(title)
	}
	if fallback == "" {
		fallback = "influbot"
	}

	var msgs []message
	for len(blocks) > 0 {
		n := min(len(blocks), maxBlocks)
		if len(msgs) == maxMessages-1 && len(blocks) > maxBlocks {
			n = maxBlocks - 1
			blocks = append(blocks[:n:n], slackapi.NewContextBlock("", markdown("_This reply was too long for Slack, so I shortened it._")))
			n++
		}
		text := fallback
		if len(msgs) > 0 {
			text = "(continued)"
			if title != "" {
				text = escape(title) + " (continued)"
			}
		}
		msgs = append(msgs, message{Blocks: blocks[:n:n], Text: clip(text, maxFallbackText)})
		blocks = blocks[n:]
		if len(msgs) == maxMessages {
			break
		}
	}
	return msgs
}

func plain(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, s, true, false)
}

func markdown(s string) *slackapi.TextBlockObject {
	// Verbatim: Slack must not turn bare URLs, channel names or
	// "@channel" into links or mentions; the renderer writes every link
	// and mention the core means as <...> itself.
	return slackapi.NewTextBlockObject(slackapi.MarkdownType, s, false, true)
}

// fieldBlocks lays out fields: runs of inline fields share sections (at
// most ten to a section, shown in two columns); a field that is not inline
// gets a section of its own.
func fieldBlocks(fields []bot.Field) []slackapi.Block {
	var blocks []slackapi.Block
	var run []*slackapi.TextBlockObject
	flush := func() {
		if len(run) > 0 {
			blocks = append(blocks, slackapi.NewSectionBlock(nil, run, nil))
			run = nil
		}
	}
	for _, f := range fields {
		name := strings.TrimSpace(f.Name)
		value := strings.TrimSpace(f.Value)
		if name == "" && value == "" {
			continue
		}
		text := mrkdwn(value)
		if name != "" {
			text = "*" + strings.ReplaceAll(stripInline(name), "*", "") + "*\n" + text
		}
		if !f.Inline {
			flush()
			for _, chunk := range splitText(text, maxSectionText) {
				blocks = append(blocks, slackapi.NewSectionBlock(markdown(chunk), nil, nil))
			}
			continue
		}
		run = append(run, markdown(clip(text, maxFieldText)))
		if len(run) == maxFields {
			flush()
		}
	}
	flush()
	return blocks
}

func imageBlock(img *bot.Image) slackapi.Block {
	if img == nil {
		return nil
	}
	u := strings.TrimSpace(img.URL)
	if len(u) > maxImageURL || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
		return nil
	}
	alt := strings.TrimSpace(img.Alt)
	if alt == "" {
		alt = "image"
	}
	return slackapi.NewImageBlock(u, clip(alt, maxAltText), "", nil)
}

// actionBlocks turns buttons into actions blocks of at most 25 buttons.
// Slack wants action_id unique within a message, and the core may reuse one
// ActionID for several buttons ("ask:topic" with different values), so a
// repeat gets a "#n" suffix that actionID strips when the press comes back.
// A button whose value Slack cannot carry is dropped rather than truncated:
// a cut value would do the wrong thing when pressed.
func actionBlocks(buttons []bot.Button) []slackapi.Block {
	var blocks []slackapi.Block
	var row []slackapi.BlockElement
	// seen counts the buttons of each ActionID so far; a reply has few.
	type count struct {
		id string
		n  int
	}
	var seen []count
	for _, b := range buttons {
		label := strings.TrimSpace(stripInlineUnescaped(b.Label))
		if b.ActionID == "" || label == "" || len(b.ActionID) > maxActionID-4 ||
			utf8.RuneCountInString(b.Value) > maxButtonValue || strings.Contains(b.ActionID, "#") {
			continue
		}
		id := b.ActionID
		k := slices.IndexFunc(seen, func(c count) bool { return c.id == id })
		if k < 0 {
			k = len(seen)
			seen = append(seen, count{id: id})
		}
		seen[k].n++
		if n := seen[k].n; n > 1 {
			id += "#" + strconv.Itoa(n)
		}
		btn := slackapi.NewButtonBlockElement(id, b.Value, plain(clip(label, maxButtonLabel)))
		switch b.Style {
		case bot.ButtonPrimary, bot.ButtonSuccess:
			btn.Style = slackapi.StylePrimary
		case bot.ButtonDanger:
			btn.Style = slackapi.StyleDanger
		}
		row = append(row, btn)
		if len(row) == maxButtons {
			blocks = append(blocks, slackapi.NewActionBlock("", row...))
			row = nil
		}
	}
	if len(row) > 0 {
		blocks = append(blocks, slackapi.NewActionBlock("", row...))
	}
	return blocks
}

// actionID recovers the core's ActionID from a Block Kit action_id.
func actionID(id string) string {
	i := strings.LastIndexByte(id, '#')
	if i < 0 {
		return id
	}
	if _, err := strconv.Atoi(id[i+1:]); err != nil {
		return id
	}
	return id[:i]
}

// splitText cuts mrkdwn into pieces of at most limit characters, at
// paragraph, line or word boundaries where it can. A cut inside a code
// block closes the block and reopens it in the next piece.
func splitText(s string, limit int) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if len(s) <= limit || utf8.RuneCountInString(s) <= limit {
		return []string{s}
	}
	const fence = "```"
	var out []string
	for s != "" {
		room := limit - len(fence) - 1 // leave space to close a code block
		cut := cutPoint(s, room)
		piece := strings.TrimRight(s[:cut], " \n")
		s = strings.TrimLeft(s[cut:], " \n")
		if strings.Count(piece, fence)%2 == 1 {
			piece += "\n" + fence
			if s != "" {
				s = fence + "\n" + s
			}
		}
		if piece != "" {
			out = append(out, piece)
		}
	}
	return out
}

// cutPoint returns a byte index at most room characters into s, preferring
// a blank line, then a line break, then a space.
func cutPoint(s string, room int) int {
	if len(s) <= room || utf8.RuneCountInString(s) <= room {
		return len(s)
	}
	end := 0
	for i := range s {
		if room == 0 {
			end = i
			break
		}
		room--
	}
	window := s[:end]
	for _, sep := range []string{"\n\n", "\n", " "} {
		if i := strings.LastIndex(window, sep); i > len(window)/2 {
			return i + len(sep)
		}
	}
	// No boundary in the second half: cut inside a word, but not inside a
	// <link|text> or an &entity; unless the link is longer than half the
	// window (the piece must make progress).
	if i := strings.LastIndexByte(window, '<'); i > len(window)/2 && !strings.Contains(window[i:], ">") {
		return i
	}
	if i := strings.LastIndexByte(window, '&'); i > len(window)/2 && !strings.Contains(window[i:], ";") && len(window)-i < 6 {
		return i
	}
	return end
}
