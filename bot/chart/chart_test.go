package chart

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/influbot/influbot/bot/numfmt"
)

// decode parses a PNG or fails the test.
func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("not a PNG: starts with %q", data[:min(8, len(data))])
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return img
}

// inkShare is the share of pixels in r that are not near-white.
func inkShare(img image.Image, r image.Rectangle) float64 {
	ink, all := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr < 0xe000 || cg < 0xe000 || cb < 0xe000 {
				ink++
			}
			all++
		}
	}
	return float64(ink) / float64(all)
}

// hasColor reports whether some pixel in img is close to c.
func hasColor(img image.Image, c [3]uint8) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r>>8, c[0]) && near(g>>8, c[1]) && near(bl>>8, c[2]) {
				return true
			}
		}
	}
	return false
}

func near(a uint32, b uint8) bool { d := int(a) - int(b); return d > -12 && d < 12 }

func TestPNG(t *testing.T) {
	for _, s := range samples {
		t.Run("the "+s.name+" chart is a legible PNG of the default size", func(t *testing.T) {
			data, err := PNG(s.series, Options{})
			if err != nil {
				t.Fatal(err)
			}
			img := decode(t, data)
			if got := img.Bounds().Size(); got != (image.Point{DefaultWidth, DefaultHeight}) {
				t.Fatalf("size %v, want %dx%d", got, DefaultWidth, DefaultHeight)
			}
			// The plot area (below the legend, right of the y labels) has
			// lines and markers in it, and is still mostly background.
			plotArea := image.Rect(120, 120, DefaultWidth-30, DefaultHeight-60)
			if share := inkShare(img, plotArea); share < 0.02 || share > 0.5 {
				t.Errorf("ink covers %.1f%% of the plot area, want between 2%% and 50%%", share*100)
			}
			again, err := PNG(s.series, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, again) {
				t.Error("the same input gave different bytes")
			}
			if len(data) > 200<<10 {
				t.Errorf("%d bytes; a chat preview wants it small", len(data))
			}
		})
	}
	t.Run("a chart takes the size it is given", func(t *testing.T) {
		data, err := PNG(samples[1].series, Options{Width: 600, Height: 340})
		if err != nil {
			t.Fatal(err)
		}
		if got := decode(t, data).Bounds().Size(); got != (image.Point{600, 340}) {
			t.Fatalf("size %v, want 600x340", got)
		}
	})
	t.Run("no checks is an error, not an empty picture", func(t *testing.T) {
		for _, in := range [][]Series{nil, {{Platform: "Instagram"}}} {
			if _, err := PNG(in, Options{}); !errors.Is(err, ErrNoChecks) {
				t.Errorf("PNG(%v) error %v, want ErrNoChecks", in, err)
			}
		}
	})
	t.Run("each verdict is drawn in its colour", func(t *testing.T) {
		data, err := PNG(samples[2].series, Options{}) // two platforms: all three verdicts
		if err != nil {
			t.Fatal(err)
		}
		img := decode(t, data)
		for v, c := range verdictColors {
			if !hasColor(img, [3]uint8{c.R, c.G, c.B}) {
				t.Errorf("no %s marker colour in the picture", v)
			}
		}
	})
	t.Run("checks given newest first draw the same chart as oldest first", func(t *testing.T) {
		s := samples[1].series[0]
		rev := s
		rev.Checks = nil
		for i := len(s.Checks) - 1; i >= 0; i-- {
			rev.Checks = append(rev.Checks, s.Checks[i])
		}
		a, _ := PNG([]Series{s}, Options{})
		b, _ := PNG([]Series{rev}, Options{})
		if !bytes.Equal(a, b) {
			t.Error("the order of the checks changed the picture")
		}
	})
	t.Run("an unmeasured engagement rate leaves a gap instead of dropping to zero", func(t *testing.T) {
		// Two checks 60 days apart, the first without engagement: the
		// engagement panel holds one marker and no line, so the bottom
		// of its plot area (where a zero would be) stays background left
		// of the measured check.
		gap := []Series{{Platform: "Instagram", Checks: []Check{
			{Time: day(10, 1), Followers: 4000, Verdict: Borderline},
			measured(day(11, 30), 4200, 2, Ready),
		}}}
		zero := []Series{{Platform: "Instagram", Checks: []Check{
			measured(day(10, 1), 4000, 0, Borderline),
			measured(day(11, 30), 4200, 2, Ready),
		}}}
		// Bottom strip of the engagement panel, left half, above the axis.
		strip := image.Rect(140, DefaultHeight-110, DefaultWidth/2, DefaultHeight-62)
		g, _ := PNG(gap, Options{})
		z, _ := PNG(zero, Options{})
		gs, zs := inkShare(decode(t, g), strip), inkShare(decode(t, z), strip)
		t.Logf("ink near zero: gap %.2f%%, zero %.2f%%", gs*100, zs*100)
		if gs >= zs/2 {
			t.Errorf("ink near zero: %.2f%% with the rate missing, %.2f%% with a rate of 0; want the missing one far lighter", gs*100, zs*100)
		}
	})
}

func TestAltText(t *testing.T) {
	tests := []struct {
		name   string
		series []Series
		want   []string // each must appear
		not    []string // none may appear
	}{
		{"one check states the numbers and the verdict once", samples[0].series,
			[]string{"Instagram (1 check): followers 4,200 on 30 Nov", "engagement 1.2% (benchmark 1.5%)", "verdict borderline."},
			[]string{"→"}},
		{"a rise gives both ends, the change, the dates and the verdicts", samples[1].series,
			[]string{"Instagram (4 checks): followers 3,900 → 4,600 (+18%) from 2 Oct to 30 Nov; engagement 1.1% → 1.8% (benchmark 1.5%); verdict borderline → ready."},
			nil},
		{"a decline is stated as a fall", samples[3].series,
			[]string{"YouTube (3 checks): subscribers 5,200 → 4,400 (-15%)", "engagement 4.8% → 2.7% of views (benchmark 3%)", "verdict ready → not yet"},
			[]string{"+"}},
		{"a missing engagement rate is counted, not read as zero", samples[4].series,
			[]string{"engagement 1.1% → 1.7% (benchmark 1.5%), not measured in 1 of 4 checks"},
			[]string{"0.0%"}},
		{"engagement never measured says so", []Series{{Platform: "TikTok", Benchmark: 4, Checks: []Check{
			{Time: day(11, 1), Followers: 900, Verdict: NotYet}, {Time: day(11, 20), Followers: 1200, Verdict: NotYet}}}},
			[]string{"TikTok (2 checks): followers 900 → 1,200 (+33%)", "engagement not measured (benchmark 4%)", "verdict still not yet"},
			nil},
		{"several platforms get a sentence each, in the order given", samples[2].series,
			[]string{"Instagram (3 checks): followers 3,900 → 4,600", "TikTok (3 checks): followers 2,100 → 3,300 (+57%) from 12 Oct to 28 Nov; engagement 3.1% → 5.2% (benchmark 4%); verdict not yet → ready."},
			nil},
		{"checks across a new year carry the years", []Series{{Platform: "Instagram", Checks: []Check{
			measured(day(12, 20).AddDate(-1, 0, 0), 3000, 1, Borderline), measured(day(1, 10), 3100, 1.2, Borderline)}}},
			[]string{"from 20 Dec 2025 to 10 Jan 2026", "verdict still borderline"},
			nil},
		{"nothing to chart says so", nil, []string{"No checks yet"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AltText(tt.series)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("alt text\n  %s\nlacks\n  %s", got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("alt text\n  %s\nhas %q", got, n)
				}
			}
		})
	}
	t.Run("platforms come in the order given", func(t *testing.T) {
		got := AltText(samples[2].series)
		if strings.Index(got, "Instagram") > strings.Index(got, "TikTok") {
			t.Errorf("order lost: %s", got)
		}
	})
}

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want string
	}{{0, "0"}, {950, "950"}, {4600, "4.6k"}, {4000, "4k"}, {12000, "12k"}, {1_250_000, "1.3M"}} {
		t.Run(tt.want+" labels "+strings.TrimSpace(numfmt.Thousands(int64(tt.in))), func(t *testing.T) {
			if got := Count(tt.in); got != tt.want {
				t.Errorf("Count(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAxisTicks(t *testing.T) {
	t.Run("a count axis has at most six round ticks and no negative zero", func(t *testing.T) {
		for _, r := range [][2]float64{{4200, 4200}, {3900, 4600}, {2100, 4600}, {0, 0}, {38000, 41000}} {
			lo, hi, tk := countAxis(r[0], r[1])
			ts := tk.Ticks(lo, hi)
			if len(ts) < 2 || len(ts) > 6 {
				t.Errorf("%v: %d ticks %v", r, len(ts), ts)
			}
			for _, x := range ts {
				if strings.HasPrefix(x.Label, "-") {
					t.Errorf("%v: tick %q", r, x.Label)
				}
			}
			if lo > r[0] || hi < r[1] {
				t.Errorf("%v: axis %v-%v does not hold the data", r, lo, hi)
			}
		}
	})
	t.Run("a log axis keeps to four labels", func(t *testing.T) {
		if ts := (logTicks{}).Ticks(400, 60000); len(ts) > 4 || len(ts) < 2 {
			t.Errorf("%d ticks: %v", len(ts), ts)
		}
	})
	t.Run("dates are at most four, and one check gets one", func(t *testing.T) {
		if ts := (dateTicks{min: day(10, 2), max: day(11, 30)}).Ticks(0, 0); len(ts) != 4 || ts[0].Label != "2 Oct" || ts[3].Label != "30 Nov" {
			t.Errorf("ticks %v", ts)
		}
		if ts := (dateTicks{min: day(11, 30), max: day(11, 30)}).Ticks(0, 0); len(ts) != 1 || ts[0].Label != "30 Nov" {
			t.Errorf("ticks %v", ts)
		}
	})
}

func TestEngagementTitleSaysWhichRatesAreOfViews(t *testing.T) {
	ig := Series{Platform: "Instagram"}
	yt := Series{Platform: "YouTube", OfViews: true}
	tt := Series{Platform: "TikTok", OfViews: true}
	for _, tc := range []struct {
		name   string
		series []Series
		want   string
	}{
		{"rates of followers need no note", []Series{ig}, "Engagement rate"},
		{"rates all of views say so once", []Series{yt, tt}, "Engagement rate (of views)"},
		{"a mix names the platforms measured by views", []Series{ig, yt}, "Engagement rate (YouTube: of views)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := engagementTitle(tc.series); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func BenchmarkPNG(b *testing.B) {
	series := samples[2].series // two platforms, three checks each
	for b.Loop() {
		if _, err := PNG(series, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
