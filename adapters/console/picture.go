package console

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/influbot/influbot/bot"
)

// isPicture reports whether f is an image, which a terminal cannot show.
func isPicture(f *bot.File) bool {
	return f != nil && strings.HasPrefix(strings.ToLower(f.ContentType), "image/")
}

// savePicture writes a reply's picture (the history's progress chart) into
// dir, or the OS temp directory when dir is empty, and returns the reply
// pointing at the file instead of carrying it, so Render prints its path
// beside the text. A picture that cannot be written is replaced by a
// sentence saying so; the rest of the reply stands.
func savePicture(r bot.Reply, dir string) bot.Reply {
	if !isPicture(r.File) {
		return r
	}
	f := r.File
	r.File = nil
	if dir == "" {
		dir = os.TempDir()
	}
	name := filepath.Base(filepath.Clean("/" + f.Name))
	if name == "/" || name == "." {
		name = "influbot-picture.png"
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, f.Data, 0o600); err != nil {
		r.Image = nil
		r.Text = strings.TrimRight(r.Text, "\n") + fmt.Sprintf("\n\n_I couldn't save the picture in %s._", filepath.ToSlash(dir))
		return r
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	alt := f.Alt
	if r.Image != nil && r.Image.Alt != "" {
		alt = r.Image.Alt
	}
	r.Image = &bot.Image{URL: path, Alt: alt}
	return r
}
