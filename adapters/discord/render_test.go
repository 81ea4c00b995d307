package discord

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/influbot/influbot/bot"
)

// checkValid fails the test if Discord would refuse any of the messages.
func checkValid(t *testing.T, msgs []message) {
	t.Helper()
	if len(msgs) == 0 || len(msgs) > maxMessages {
		t.Fatalf("%d messages", len(msgs))
	}
	for i, m := range msgs {
		b, err := json.Marshal(outgoing{Content: m.Content, Embeds: m.Embeds, Components: m.Components})
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		files := 0
		if m.File != nil {
			files = 1
		}
		if msg := validateMessage(v, files); msg != "" {
			t.Errorf("message %d would be refused: %s", i, msg)
		}
	}
}

func plainEncoder(b bot.Button) (string, bool) { return encodeButton(b, newRecent[bot.Action](10)) }

func descriptions(msgs []message) string {
	var parts []string
	for _, m := range msgs {
		for _, e := range m.Embeds {
			parts = append(parts, e.Description)
		}
	}
	return strings.Join(parts, "\n\n")
}

func TestRender(t *testing.T) {
	paragraph := strings.Repeat("Post consistently and reply to every comment. ", 20) // ~940 chars
	long := strings.TrimSpace(strings.Repeat(paragraph+"\n\n", 12))                   // ~11k chars
	manyFields := make([]bot.Field, 40)
	for i := range manyFields {
		manyFields[i] = bot.Field{Name: "Field", Value: "value"}
	}
	bigFields := make([]bot.Field, 10)
	for i := range bigFields {
		bigFields[i] = bot.Field{Name: "Big", Value: strings.Repeat("x", 1000)}
	}
	var manyButtons []bot.Button
	for i := range 30 {
		manyButtons = append(manyButtons, bot.Button{ActionID: "ask:topic", Label: "Topic", Value: strconv.Itoa(i)})
	}
	tests := []struct {
		name  string
		reply bot.Reply
		check func(t *testing.T, msgs []message)
	}{
		{"short plain text goes out as message content", bot.Reply{Text: "  Hello **there**  "}, func(t *testing.T, msgs []message) {
			if len(msgs) != 1 || msgs[0].Content != "Hello **there**" || len(msgs[0].Embeds) != 0 {
				t.Errorf("got %+v", msgs)
			}
		}},
		{"a title makes an embed coloured by tone", bot.Reply{Title: "Not yet", Text: "Grow first.", Tone: bot.ToneWarning}, func(t *testing.T, msgs []message) {
			e := msgs[0].Embeds[0]
			if e.Title != "Not yet" || e.Description != "Grow first." || e.Color != 0xFEE75C || msgs[0].Content != "" {
				t.Errorf("embed %+v", e)
			}
		}},
		{"text over 2000 characters becomes an embed", bot.Reply{Text: strings.Repeat("a", 2001)}, func(t *testing.T, msgs []message) {
			if msgs[0].Content != "" || len(msgs[0].Embeds) != 1 {
				t.Errorf("got content %d chars, %d embeds", len(msgs[0].Content), len(msgs[0].Embeds))
			}
		}},
		{"emoji count as two characters against the limit", bot.Reply{Text: strings.Repeat("😀", 1001)}, func(t *testing.T, msgs []message) {
			if len(msgs[0].Embeds) != 1 {
				t.Errorf("1001 emoji (2002 UTF-16 units) stayed plain content")
			}
		}},
		{"long text is split at paragraph breaks and nothing is lost", bot.Reply{Title: "Growing", Text: long}, func(t *testing.T, msgs []message) {
			got := descriptions(msgs)
			if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(long), " ") {
				t.Errorf("text changed in splitting")
			}
			for _, m := range msgs {
				for _, e := range m.Embeds {
					if !strings.HasSuffix(e.Description, ".") {
						t.Errorf("a chunk ends mid-paragraph: %q", e.Description[max(0, len(e.Description)-30):])
					}
				}
			}
			if msgs[0].Embeds[0].Title != "Growing" {
				t.Errorf("the first embed lost the title")
			}
		}},
		{"a code block cut in two is closed and reopened", bot.Reply{Text: "```\n" + strings.Repeat("line of code\n", 400) + "```"}, func(t *testing.T, msgs []message) {
			for _, m := range msgs {
				for _, e := range m.Embeds {
					if strings.Count(e.Description, "```")%2 != 0 {
						t.Errorf("a chunk leaves a code block open: ...%q", e.Description[len(e.Description)-20:])
					}
				}
			}
		}},
		{"more than 25 fields spill into another embed", bot.Reply{Title: "Numbers", Fields: manyFields}, func(t *testing.T, msgs []message) {
			n := 0
			for _, e := range msgs[0].Embeds {
				n += len(e.Fields)
			}
			if n != 40 || len(msgs[0].Embeds) != 2 {
				t.Errorf("%d fields in %d embeds", n, len(msgs[0].Embeds))
			}
		}},
		{"embeds over 6000 characters in total go into another message", bot.Reply{Title: "Big", Fields: bigFields}, func(t *testing.T, msgs []message) {
			if len(msgs) != 2 {
				t.Errorf("%d messages, want 2", len(msgs))
			}
		}},
		{"an answer longer than five messages is cut with a note", bot.Reply{Text: strings.Repeat(paragraph+"\n\n", 60)}, func(t *testing.T, msgs []message) {
			if len(msgs) != maxMessages || msgs[maxMessages-1].Content != cutNote {
				t.Errorf("%d messages, last content %q", len(msgs), msgs[len(msgs)-1].Content)
			}
		}},
		{"long field names and values are cut, empty ones filled", bot.Reply{Fields: []bot.Field{{Name: strings.Repeat("n", 300), Value: strings.Repeat("v", 2000)}, {Name: "", Value: " "}}}, func(t *testing.T, msgs []message) {
			f := msgs[0].Embeds[0].Fields
			if textLen(f[0].Name) != maxFieldName || textLen(f[0].Value) != maxFieldValue || !strings.HasSuffix(f[0].Value, "…") {
				t.Errorf("field 0 = %d/%d chars", textLen(f[0].Name), textLen(f[0].Value))
			}
			if f[1].Name != "\u200b" || f[1].Value != "\u200b" {
				t.Errorf("empty field = %q/%q", f[1].Name, f[1].Value)
			}
		}},
		{"buttons go in rows of five, at most twenty-five", bot.Reply{Text: "Pick", Buttons: manyButtons}, func(t *testing.T, msgs []message) {
			rows := msgs[0].Components
			n := 0
			for _, r := range rows {
				n += len(r.(discordgo.ActionsRow).Components)
			}
			if len(rows) != maxRows || n != 25 {
				t.Errorf("%d rows, %d buttons", len(rows), n)
			}
		}},
		{"repeated buttons are shown once", bot.Reply{Text: "Pick", Buttons: []bot.Button{
			{ActionID: "ask:topic", Label: "A", Value: "a"}, {ActionID: "ask:topic", Label: "A again", Value: "a"}, {ActionID: "ask:topic", Label: "B", Value: "b"},
		}}, func(t *testing.T, msgs []message) {
			if row := msgs[0].Components[0].(discordgo.ActionsRow).Components; len(row) != 2 {
				t.Errorf("%d buttons, want 2", len(row))
			}
		}},
		{"button labels are cut to 80 characters and styles mapped", bot.Reply{Text: "x", Buttons: []bot.Button{
			{ActionID: "a:b", Label: strings.Repeat("L", 100), Style: bot.ButtonDanger},
			{ActionID: "a:c", Value: "fallback label", Style: bot.ButtonSuccess},
			{ActionID: "", Label: "no action"},
		}}, func(t *testing.T, msgs []message) {
			row := msgs[0].Components[0].(discordgo.ActionsRow).Components
			b0, b1 := row[0].(discordgo.Button), row[1].(discordgo.Button)
			if len(row) != 2 || textLen(b0.Label) != maxButtonLabel || b0.Style != discordgo.DangerButton || b1.Label != "fallback label" || b1.Style != discordgo.SuccessButton {
				t.Errorf("buttons %+v", row)
			}
		}},
		{"a file travels with the last message", bot.Reply{Title: "Export", File: &bot.File{Name: "../export.json", Data: []byte("{}")}}, func(t *testing.T, msgs []message) {
			last := msgs[len(msgs)-1]
			if last.File == nil || last.File.Name != ".._export.json" || len(last.files()) != 1 {
				t.Errorf("file %+v", last.File)
			}
		}},
		{"a file over the upload limit becomes a note", bot.Reply{Text: "Here it is.", File: &bot.File{Name: "big.csv", Data: make([]byte, maxFileSize+1)}}, func(t *testing.T, msgs []message) {
			if msgs[0].File != nil || !strings.Contains(msgs[0].Content, "too large") {
				t.Errorf("got %+v", msgs[0].Content)
			}
		}},
		{"an image with a bad URL is left out, a good one kept", bot.Reply{Title: "Chart", Image: &bot.Image{URL: "javascript:alert(1)"}}, func(t *testing.T, msgs []message) {
			if msgs[0].Embeds[0].Image != nil {
				t.Errorf("image kept")
			}
			good := render(bot.Reply{Image: &bot.Image{URL: "https://example.com/c.png"}}, plainEncoder)
			if good[0].Embeds[0].Image == nil || good[0].Embeds[0].Image.URL != "https://example.com/c.png" {
				t.Errorf("good image dropped")
			}
		}},
		{"an empty reply still says something", bot.Reply{}, func(t *testing.T, msgs []message) {
			if msgs[0].Content != "Done." {
				t.Errorf("content %q", msgs[0].Content)
			}
		}},
		{"a reply with only a tone says something", bot.Reply{Tone: bot.ToneError}, func(t *testing.T, msgs []message) {
			if msgs[0].Content != "Done." || len(msgs[0].Embeds) != 0 {
				t.Errorf("got %+v", msgs[0])
			}
		}},
		{"invalid UTF-8 is dropped", bot.Reply{Title: "T\xff", Text: "ok\xfe"}, func(t *testing.T, msgs []message) {
			if msgs[0].Embeds[0].Title != "T" || msgs[0].Embeds[0].Description != "ok" {
				t.Errorf("got %+v", msgs[0].Embeds[0])
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msgs := render(tc.reply, plainEncoder)
			checkValid(t, msgs)
			tc.check(t, msgs)
		})
	}
}

func TestSplitText(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
	}{
		{"one word longer than the limit is cut hard", strings.Repeat("x", 50), 20},
		{"multi-byte characters are never split", strings.Repeat("é😀", 30), 15},
		{"lines are preferred to words", strings.Repeat("word word word\n", 20), 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chunks := splitText(tc.text, tc.max)
			joined := ""
			for _, c := range chunks {
				if textLen(c) > tc.max {
					t.Errorf("chunk of %d > %d", textLen(c), tc.max)
				}
				if !strings.Contains(tc.text, strings.TrimSpace(c)) && !strings.Contains(c, "```") {
					t.Errorf("chunk %q is not part of the text", c)
				}
				joined += c
			}
			if strings.Join(strings.Fields(joined), "") != strings.Join(strings.Fields(tc.text), "") {
				t.Errorf("characters lost: %q", joined)
			}
		})
	}
}
