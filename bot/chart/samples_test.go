package chart

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"
)

var sampleDir = flag.String("out", "", "write the sample charts as PNG files into this directory (TestWriteSamples)")

func day(month time.Month, d int) time.Time {
	return time.Date(2026, month, d, 15, 4, 0, 0, time.UTC)
}

func measured(t time.Time, followers int64, er float64, verdict string) Check {
	return Check{Time: t, Followers: followers, Engagement: er, Measured: true, Verdict: verdict}
}

// samples are the charts a creator sees most often, used by the rendering
// tests and written out by TestWriteSamples to be looked at.
var samples = []struct {
	name   string
	series []Series
}{
	{"one-check", []Series{{Platform: "Instagram", Audience: "followers", Benchmark: 1.5,
		Checks: []Check{measured(day(11, 30), 4200, 1.2, Borderline)}}}},
	{"rise", []Series{{Platform: "Instagram", Audience: "followers", Benchmark: 1.5, Checks: []Check{
		measured(day(10, 2), 3900, 1.1, Borderline),
		measured(day(10, 20), 4100, 1.3, Borderline),
		measured(day(11, 9), 4350, 1.6, Ready),
		measured(day(11, 30), 4600, 1.8, Ready),
	}}}},
	{"two-platforms", []Series{
		{Platform: "Instagram", Audience: "followers", Benchmark: 1.5, Checks: []Check{
			measured(day(10, 2), 3900, 1.1, Borderline),
			measured(day(10, 30), 4300, 1.4, Borderline),
			measured(day(11, 30), 4600, 1.8, Ready),
		}},
		{Platform: "TikTok", Audience: "followers", Benchmark: 4, Checks: []Check{
			measured(day(10, 12), 2100, 3.1, NotYet),
			measured(day(11, 5), 2600, 4.4, Borderline),
			measured(day(11, 28), 3300, 5.2, Ready),
		}},
	}},
	{"decline", []Series{{Platform: "YouTube", Audience: "subscribers", Benchmark: 3, OfViews: true, Checks: []Check{
		measured(day(9, 14), 5200, 4.8, Ready),
		measured(day(10, 15), 4900, 3.9, Borderline),
		measured(day(11, 16), 4400, 2.7, NotYet),
	}}}},
	{"missing-engagement", []Series{{Platform: "Instagram", Audience: "followers", Benchmark: 1.5, Checks: []Check{
		measured(day(10, 2), 3900, 1.1, Borderline),
		{Time: day(10, 25), Followers: 4200, Verdict: Borderline},
		measured(day(11, 12), 4400, 1.6, Ready),
		measured(day(11, 30), 4600, 1.7, Ready),
	}}}},
	{"far-apart-platforms", []Series{
		{Platform: "Instagram", Audience: "followers", Benchmark: 1.5, Checks: []Check{
			measured(day(10, 2), 38000, 1.2, Borderline),
			measured(day(11, 30), 41000, 1.6, Ready),
		}},
		{Platform: "YouTube", Audience: "subscribers", Benchmark: 3, OfViews: true, Checks: []Check{
			measured(day(10, 10), 600, 2.5, NotYet),
			measured(day(11, 20), 950, 3.0, NotYet),
		}},
	}},
	{"twenty-checks", twentyChecks()},
}

// twentyChecks is the most history shows: twenty checks over ten months,
// rising with a dip, engagement unmeasured twice.
func twentyChecks() []Series {
	s := Series{Platform: "Instagram", Audience: "followers", Benchmark: 1.5}
	followers := []int64{2100, 2250, 2400, 2380, 2600, 2900, 3100, 3050, 2950, 3200, 3500, 3700, 3900, 4100, 4000, 4300, 4600, 4900, 5200, 5600}
	for i, f := range followers {
		c := measured(time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, 15*i), f, 0.9+float64(i%7)*0.15+float64(i)*0.03, NotYet)
		switch {
		case i >= 14:
			c.Verdict = Ready
		case i >= 6:
			c.Verdict = Borderline
		}
		if i == 4 || i == 11 {
			c.Measured = false
		}
		s.Checks = append(s.Checks, c)
	}
	return []Series{s}
}

// TestWriteSamples writes each sample chart to -out, to be looked at at
// full size and at a preview's 400 pixels. Off unless -out is given.
func TestWriteSamples(t *testing.T) {
	if *sampleDir == "" {
		t.Skip("give -args -out DIR to write the sample charts")
	}
	if err := os.MkdirAll(*sampleDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		data, err := PNG(s.series, Options{})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		path := filepath.Join(*sampleDir, s.name+".png")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		small, err := downscale(data, 400)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*sampleDir, s.name+".400.png"), small, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s (%d bytes): %s", path, len(data), AltText(s.series))
	}
}

// downscale shrinks a PNG to width pixels wide, as a chat preview does.
func downscale(data []byte, width int) ([]byte, error) {
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, width, b.Dy()*width/b.Dx()))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, b, xdraw.Over, nil)
	var buf bytes.Buffer
	err = png.Encode(&buf, dst)
	return buf.Bytes(), err
}
