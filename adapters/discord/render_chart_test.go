package discord

import (
	"testing"

	"github.com/influbot/influbot/bot"
)

// The history's chart comes as a PNG file and an image pointing at it with
// attachment://; Discord shows it inside the embed only when the file
// travels in the same message as the embed that names it.
func TestRenderShowsAnAttachedPictureInTheEmbed(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nfake")
	r := bot.Reply{
		Title:   "Your progress",
		Text:    "**Instagram**: followers 3,900 → 4,600 (+18%) since 2 Oct",
		Image:   &bot.Image{URL: "attachment://influbot-progress-2026-11-30.png", Alt: "Progress chart."},
		File:    &bot.File{Name: "influbot-progress-2026-11-30.png", ContentType: "image/png", Data: png, Alt: "Progress chart."},
		Buttons: []bot.Button{{ActionID: "export:me", Label: "Export my data"}},
	}
	msgs := render(r, plainEncoder)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.File == nil || m.File.Name != "influbot-progress-2026-11-30.png" || m.File.ContentType != "image/png" {
		t.Fatalf("file %+v", m.File)
	}
	last := m.Embeds[len(m.Embeds)-1]
	if last.Image == nil || last.Image.URL != "attachment://"+m.File.Name {
		t.Errorf("embed image %+v, want attachment://%s", last.Image, m.File.Name)
	}
	if fs := m.files(); len(fs) != 1 || fs[0].ContentType != "image/png" {
		t.Errorf("files %+v", fs)
	}
}
