package bot_test

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/bot"
)

func TestHistoryAttachesTheProgressChart(t *testing.T) {
	h := newHistoryBot(t)
	ctx := context.Background()
	start := *h.now
	day := 24 * time.Hour
	viaViews := func(c bot.CheckRecord, v float64) bot.CheckRecord {
		c.Views, c.EngagementBasis = &v, "views"
		return c
	}
	for _, c := range []bot.CheckRecord{
		check(h.User, start, "instagram", 3900, 1.1, "borderline"),
		unmeasured(h.User, start.Add(20*day), "instagram", 4200, "borderline"),
		check(h.User, start.Add(59*day), "instagram", 4600, 1.8, "ready"),
		viaViews(check(h.User, start.Add(10*day), "youtube", 5200, 4.8, "ready"), 5000),
		viaViews(check(h.User, start.Add(40*day), "youtube", 4400, 2.7, "not_yet"), 5000),
		// A rate of followers is not comparable with the newer rates
		// of views (nor with YouTube's views benchmark): it is left out
		// of the line.
		check(h.User, start.Add(3*day), "youtube", 5600, 9.9, "not_yet"),
	} {
		if _, err := h.db.SaveCheck(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	h.advance(60 * day)
	r := h.Say("history")

	t.Run("the reply carries a PNG named for the day", func(t *testing.T) {
		if r.File == nil {
			t.Fatalf("no file: %+v", r)
		}
		if r.File.Name != "influbot-progress-2026-12-01.png" || r.File.ContentType != "image/png" {
			t.Errorf("file %q (%s)", r.File.Name, r.File.ContentType)
		}
		img, err := png.Decode(bytes.NewReader(r.File.Data))
		if err != nil {
			t.Fatalf("not a PNG: %v", err)
		}
		if w := img.Bounds().Dx(); w < 800 {
			t.Errorf("%d pixels wide, too small to scale down legibly", w)
		}
	})
	t.Run("the image points at the attachment and its alt text is the trend", func(t *testing.T) {
		if r.Image == nil || r.Image.URL != "attachment://"+r.File.Name {
			t.Fatalf("image %+v", r.Image)
		}
		if r.Image.Alt != r.File.Alt {
			t.Errorf("the file's alt %q differs from the image's %q", r.File.Alt, r.Image.Alt)
		}
		for _, want := range []string{
			"Instagram (3 checks): followers 3,900 → 4,600 (+18%) from 2 Oct to 30 Nov; engagement 1.1% → 1.8% (benchmark 1.5%), not measured in 1 of 3 checks; verdict borderline → ready.",
			"YouTube (3 checks): subscribers 5,600 → 4,400 (-21%) from 5 Oct to 11 Nov",
			"engagement 4.8% → 2.7% of views (benchmark 3%), not measured in 1 of 3 checks",
		} {
			if !strings.Contains(r.Image.Alt, want) {
				t.Errorf("alt text lacks %q:\n%s", want, r.Image.Alt)
			}
		}
		if strings.Index(r.Image.Alt, "Instagram") > strings.Index(r.Image.Alt, "YouTube") {
			t.Errorf("the most recently checked platform should come first: %s", r.Image.Alt)
		}
	})
	t.Run("the text trend is still there beside it", func(t *testing.T) {
		if !strings.Contains(r.Text, "followers 3,900 → 4,600 (+18%) since 2 Oct") {
			t.Errorf("text:\n%s", r.Text)
		}
	})
}

func TestHistoryChartOnlyWithChecks(t *testing.T) {
	t.Run("a user without checks gets no picture", func(t *testing.T) {
		h := newHistoryBot(t)
		h.Say("why was I rejected?")
		if r := h.Say("history"); r.File != nil || r.Image != nil {
			t.Errorf("picture without checks: file %v image %+v", r.File != nil, r.Image)
		}
	})
	t.Run("one check is still charted", func(t *testing.T) {
		h := newHistoryBot(t)
		if _, err := h.db.SaveCheck(context.Background(), check(h.User, *h.now, "instagram", 4200, 1.2, "borderline")); err != nil {
			t.Fatal(err)
		}
		r := h.Say("history")
		if r.File == nil || r.Image == nil {
			t.Fatalf("no chart: %+v", r)
		}
		if want := "Instagram (1 check): followers 4,200 on 2 Oct; engagement 1.2% (benchmark 1.5%); verdict borderline."; !strings.Contains(r.Image.Alt, want) {
			t.Errorf("alt %q lacks %q", r.Image.Alt, want)
		}
	})
}
