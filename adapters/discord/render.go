package discord

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/influbot/influbot/bot"
)

// Discord's documented message limits. Lengths are counted in UTF-16 code
// units, which is never less than Discord's own count.
const (
	maxContent       = 2000
	maxEmbedTitle    = 256
	maxEmbedDesc     = 4096
	maxFieldName     = 256
	maxFieldValue    = 1024
	maxFields        = 25
	maxEmbedTotal    = 6000 // all embeds of one message together
	maxEmbedsPerMsg  = 10
	maxButtonsPerRow = 5
	maxRows          = 5
	maxButtonLabel   = 80
	// maxFileSize is the upload limit every bot has, whatever the server's
	// boost level.
	maxFileSize = 10 << 20
	// maxMessages bounds how many messages one reply may become.
	maxMessages = 5
)

// cutNote ends a reply cut short at maxMessages.
const cutNote = "(The rest of this answer was too long for Discord and was cut.)"

// Embed colours by tone: Discord's own blurple, green, yellow and red.
var toneColors = [...]int{
	bot.ToneInfo:    0x5865F2,
	bot.ToneSuccess: 0x57F287,
	bot.ToneWarning: 0xFEE75C,
	bot.ToneError:   0xED4245,
}

// message is one Discord message of a rendered reply. A long reply becomes
// several; buttons and the file travel with the last one.
type message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	File       *bot.File
}

// files returns the message's attachment as discordgo wants it. Each call
// returns a fresh reader, so a message can be sent again.
func (m message) files() []*discordgo.File {
	if m.File == nil {
		return nil
	}
	ct := m.File.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	return []*discordgo.File{{Name: m.File.Name, ContentType: ct, Reader: bytes.NewReader(m.File.Data)}}
}

// noMentions keeps every message from pinging anyone: replies echo user
// text, and "@everyone" in a question must not become a ping.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// buttonEncoder turns a button into a custom_id; ok is false when the
// button cannot be shown.
type buttonEncoder func(bot.Button) (customID string, ok bool)

// render turns a reply into one or more messages within Discord's limits.
// Plain short text goes out as message content; anything with a title,
// fields, a picture, a tone or more than 2000 characters becomes embeds.
func render(r bot.Reply, encode buttonEncoder) []message {
	r = defangReply(r)
	text := strings.TrimSpace(strings.ToValidUTF8(r.Text, ""))
	rich := r.Title != "" || len(r.Fields) > 0 || validImage(r.Image) || r.Tone != bot.ToneInfo || textLen(text) > maxContent
	msgs := []message{{Content: text}}
	if rich {
		msgs = packEmbeds(buildEmbeds(r, text))
		if len(msgs) == 0 {
			msgs = []message{{}}
		}
		if len(msgs) > maxMessages {
			msgs = msgs[:maxMessages]
			msgs[maxMessages-1].Content = cutNote
		}
	}
	last := &msgs[len(msgs)-1]
	if f := r.File; f != nil {
		switch {
		case len(f.Data) > maxFileSize:
			note := fmt.Sprintf("(The file %s is too large to attach here: %d MB.)", fileName(f.Name), (len(f.Data)+(1<<20)-1)>>20)
			last.Content = joinContent(last.Content, note)
		default:
			last.File = &bot.File{Name: fileName(f.Name), ContentType: f.ContentType, Data: f.Data}
		}
	}
	last.Components = buttonRows(r.Buttons, encode)
	if last.Content == "" && len(last.Embeds) == 0 && last.File == nil && len(last.Components) == 0 {
		last.Content = "Done."
	}
	return msgs
}

// joinContent appends a line to message content, keeping it in bounds.
func joinContent(content, line string) string {
	if content == "" {
		return clip(line, maxContent)
	}
	if textLen(content)+1+textLen(line) > maxContent {
		return content
	}
	return content + "\n" + line
}

func buildEmbeds(r bot.Reply, text string) []*discordgo.MessageEmbed {
	color := toneColors[bot.ToneInfo]
	if r.Tone >= 0 && int(r.Tone) < len(toneColors) {
		color = toneColors[r.Tone]
	}
	var embeds []*discordgo.MessageEmbed
	newEmbed := func() *discordgo.MessageEmbed {
		e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Color: color}
		embeds = append(embeds, e)
		return e
	}
	first := newEmbed()
	first.Title = clip(strings.TrimSpace(strings.ToValidUTF8(r.Title, "")), maxEmbedTitle)
	for i, chunk := range splitText(text, maxEmbedDesc) {
		e := first
		if i > 0 {
			e = newEmbed()
		}
		e.Description = chunk
	}
	cur := embeds[len(embeds)-1]
	for _, f := range r.Fields {
		field := &discordgo.MessageEmbedField{
			Name:   nonEmpty(clip(strings.TrimSpace(strings.ToValidUTF8(f.Name, "")), maxFieldName)),
			Value:  nonEmpty(clip(strings.TrimSpace(strings.ToValidUTF8(f.Value, "")), maxFieldValue)),
			Inline: f.Inline,
		}
		if len(cur.Fields) == maxFields || embedSize(cur)+textLen(field.Name)+textLen(field.Value) > maxEmbedTotal {
			cur = newEmbed()
		}
		cur.Fields = append(cur.Fields, field)
	}
	if validImage(r.Image) {
		cur.Image = &discordgo.MessageEmbedImage{URL: r.Image.URL}
	}
	// Discord refuses an empty embed (a reply with only a tone, say).
	kept := embeds[:0]
	for _, e := range embeds {
		if embedSize(e) > 0 || e.Image != nil {
			kept = append(kept, e)
		}
	}
	return kept
}

// packEmbeds spreads embeds over as few messages as Discord allows: at
// most ten embeds and 6000 characters of embed text per message.
func packEmbeds(embeds []*discordgo.MessageEmbed) []message {
	var msgs []message
	size := 0
	for _, e := range embeds {
		n := embedSize(e)
		if len(msgs) == 0 || len(msgs[len(msgs)-1].Embeds) == maxEmbedsPerMsg || size+n > maxEmbedTotal {
			msgs = append(msgs, message{})
			size = 0
		}
		m := &msgs[len(msgs)-1]
		m.Embeds = append(m.Embeds, e)
		size += n
	}
	return msgs
}

// embedSize counts the characters Discord adds up against the 6000 limit.
func embedSize(e *discordgo.MessageEmbed) int {
	n := textLen(e.Title) + textLen(e.Description)
	for _, f := range e.Fields {
		n += textLen(f.Name) + textLen(f.Value)
	}
	if e.Footer != nil {
		n += textLen(e.Footer.Text)
	}
	if e.Author != nil {
		n += textLen(e.Author.Name)
	}
	return n
}

// buttonRows lays buttons out in rows of five, at most five rows. Buttons
// that cannot be encoded, and repeats (Discord refuses a message whose
// custom_ids are not unique), are left out.
func buttonRows(buttons []bot.Button, encode buttonEncoder) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	seen := map[string]bool{}
	for _, b := range buttons {
		if len(rows) == maxRows {
			break
		}
		id, ok := encode(b)
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		label := strings.TrimSpace(strings.ToValidUTF8(b.Label, ""))
		if label == "" {
			label = strings.TrimSpace(strings.ToValidUTF8(b.Value, ""))
		}
		if label == "" {
			label = "Open"
		}
		row = append(row, discordgo.Button{Label: clip(label, maxButtonLabel), Style: buttonStyle(b.Style), CustomID: id})
		if len(row) == maxButtonsPerRow {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
		}
	}
	if len(row) > 0 && len(rows) < maxRows {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows
}

func buttonStyle(s bot.ButtonStyle) discordgo.ButtonStyle {
	switch s {
	case bot.ButtonPrimary:
		return discordgo.PrimaryButton
	case bot.ButtonDanger:
		return discordgo.DangerButton
	case bot.ButtonSuccess:
		return discordgo.SuccessButton
	}
	return discordgo.SecondaryButton
}

// validImage reports whether Discord will accept the picture's URL; a bad
// one would make Discord refuse the whole message.
func validImage(img *bot.Image) bool {
	if img == nil || img.URL == "" || len(img.URL) > 2048 {
		return false
	}
	u, err := url.Parse(img.URL)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "https", "http":
		return u.Host != ""
	case "attachment":
		return u.Opaque != "" || u.Host != ""
	}
	return false
}

func fileName(name string) string {
	name = strings.TrimSpace(strings.ToValidUTF8(name, ""))
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 0x20 {
			return '_'
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		return "influbot.txt"
	}
	return clip(name, 100)
}

// nonEmpty returns s, or a zero-width space where Discord requires text.
func nonEmpty(s string) string {
	if s == "" {
		return "\u200b"
	}
	return s
}

// textLen is the length Discord's limits are checked against: UTF-16 code
// units, which counts an emoji outside the BMP as two.
func textLen(s string) int {
	// Every character is one unit except those outside the BMP, whose
	// UTF-8 form starts with a byte of 0xF0 or more.
	n := utf8.RuneCountInString(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xF0 {
			n++
		}
	}
	return n
}

// clip cuts s to at most max UTF-16 units, ending in "…" when it cut.
func clip(s string, max int) string {
	if textLen(s) <= max {
		return s
	}
	return prefix(s, max-1) + "…"
}

// prefix returns the longest prefix of s of at most max UTF-16 units that
// does not split a character.
func prefix(s string, max int) string {
	n := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if n == max {
				return s[:i]
			}
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		u := utf16.RuneLen(r)
		if u < 1 {
			u = 1
		}
		if n+u > max {
			return s[:i]
		}
		n += u
		i += size
	}
	return s
}

// splitText cuts text into chunks of at most max UTF-16 units, at a
// paragraph, line or word break where it can. A ``` code block cut in two
// is closed at the end of one chunk and reopened in the next.
func splitText(text string, max int) []string {
	const fence = "```"
	var chunks []string
	reopen := false
	for text != "" {
		if reopen {
			text = fence + "\n" + text
		}
		// A UTF-16 unit never takes less than a byte, so a text of at most
		// max bytes fits; otherwise only the first max units are looked at.
		if len(text) <= max || len(prefix(text, max)) == len(text) {
			chunks = append(chunks, text)
			break
		}
		// Leave room to close a code block.
		head := prefix(text, max-len("\n"+fence))
		cut := breakPoint(head)
		if cut == 0 {
			// max is smaller than one character; take the character anyway.
			_, cut = utf8.DecodeRuneInString(text)
		}
		chunk := strings.TrimRight(text[:cut], " \n")
		rest := strings.TrimLeft(text[cut:], " \n")
		reopen = strings.Count(chunk, fence)%2 == 1
		if reopen {
			chunk += "\n" + fence
		}
		chunks = append(chunks, chunk)
		text = rest
	}
	if len(chunks) == 0 {
		return []string{""}
	}
	return chunks
}

// breakPoint returns where to cut head: after its last paragraph break,
// else line break, else space, in its second half; else at its end.
func breakPoint(head string) int {
	half := len(head) / 2
	for _, sep := range []string{"\n\n", "\n", " "} {
		if i := strings.LastIndex(head, sep); i > half {
			return i + len(sep)
		}
	}
	return len(head)
}
