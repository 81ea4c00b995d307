package console_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/adapters/console"
	"github.com/influbot/influbot/bot"
	"github.com/influbot/influbot/bot/bottest"
	"github.com/influbot/influbot/store"
)

func TestHistoryChartIsSavedAndItsPathPrinted(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	db := store.New(filepath.Join(t.TempDir(), "influbot.db"))
	db.Now = func() time.Time { return now }
	if err := db.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := bottest.New(t, bot.Config{Events: db, Checks: db, History: db, Now: db.Now})
	for i, f := range []int64{3900, 4600} {
		likes := float64(f) / 50
		c := bot.CheckRecord{User: b.User, Time: now.AddDate(0, 0, -30*(1-i)), Platform: "instagram", Followers: f, Likes: &likes,
			EngagementRate: 2, EngagementBasis: "followers", Verdict: "ready", Score: 80, Result: []byte(`{}`)}
		if _, err := db.SaveCheck(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	var out bytes.Buffer
	c := &console.Console{Bot: b, In: strings.NewReader("history\n"), Out: &out, User: b.User, Name: "tester", PictureDir: dir}
	if err := c.Run(ctx); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "influbot-progress-2026-11-30.png")
	t.Run("the path is printed beside the text trend", func(t *testing.T) {
		for _, want := range []string{"followers 3,900 → 4,600 (+18%)", "Picture saved to " + path} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, clip(out.String()))
			}
		}
	})
	t.Run("the file is the chart as a PNG", func(t *testing.T) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("not a PNG: %v", err)
		}
	})
	t.Run("no picture bytes reach the terminal", func(t *testing.T) {
		if strings.Contains(out.String(), "PNG") || strings.Contains(out.String(), "IHDR") {
			t.Errorf("binary in the output:\n%s", clip(out.String()))
		}
	})
}

func TestPictureThatCannotBeSaved(t *testing.T) {
	b := bottest.New(t, bot.Config{})
	var out bytes.Buffer
	missing := filepath.Join(t.TempDir(), "no", "such", "dir")
	c := &console.Console{Bot: b, In: strings.NewReader(""), Out: &out, User: b.User, PictureDir: missing}
	r := bot.Reply{Text: "Your trend.", File: &bot.File{Name: "chart.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\n")}}
	if err := c.Deliver(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "Your trend.") || !strings.Contains(got, "couldn't save the picture") || strings.Contains(got, "\x89PNG") {
		t.Errorf("got %q", got)
	}
}

func TestRenderNeverPrintsPictureBytes(t *testing.T) {
	var out bytes.Buffer
	console.Render(&out, bot.Reply{Text: "x", File: &bot.File{Name: "chart.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\nIHDR")}}, false)
	if strings.Contains(out.String(), "IHDR") || !strings.Contains(out.String(), "chart.png (a picture, 12 bytes, not shown here)") {
		t.Errorf("got %q", out.String())
	}
}
