// Package chart draws a creator's progress across their eligibility checks
// as a PNG small enough to read on a phone: followers on top, engagement
// rate below with the platform's benchmark as a dashed line, a marker per
// check whose shape and colour give its verdict, and dates along the
// bottom. AltText says the same in words.
//
// The package is a leaf: it knows nothing of the bot, the store or the
// platforms. Rendering is pure computation, so it takes no context.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Verdicts, as the eligibility check names them.
const (
	Ready      = "ready"
	Borderline = "borderline"
	NotYet     = "not_yet"
)

// Check is one eligibility check as the chart shows it.
type Check struct {
	Time      time.Time
	Followers int64
	// Engagement is the engagement rate in percent; it is drawn only when
	// Measured is true (an unmeasured rate is a gap, not zero).
	Engagement float64
	Measured   bool
	Verdict    string // Ready, Borderline or NotYet
}

// Series is one social platform's checks.
type Series struct {
	Platform string // as shown: "Instagram"
	Audience string // "followers" or "subscribers"; "" means followers
	// Benchmark is the platform's engagement benchmark in percent, drawn
	// as a dashed line; 0 draws none.
	Benchmark float64
	// OfViews says the engagement rates (and the benchmark) are of views
	// rather than of the audience.
	OfViews bool
	Checks  []Check // in any order; drawn oldest first
}

// Default size in pixels: wide enough for Discord's and Slack's previews,
// which show it at about 400 pixels wide, where every text is still
// about 11 pixels tall.
const (
	DefaultWidth  = 1000
	DefaultHeight = 560
)

// Options size the picture; zero values take the defaults.
type Options struct {
	Width, Height int // pixels
}

// ErrNoChecks is returned when there is nothing to draw.
var ErrNoChecks = errors.New("chart: no checks to draw")

// Sizes at the default size, in pixels (the canvas runs at 72 dpi, so a
// point is a pixel); scaled with the picture's width.
const (
	tickFontPx   = 27
	titleFontPx  = 28
	legendFontPx = 27
	lineWidthPx  = 5
	markerPx     = 11
)

// Colours. Platforms get dark, saturated line colours that stay apart
// from the verdict colours (green, amber, red), so a line never reads as
// a verdict.
var (
	platformColors = []color.RGBA{
		{R: 0x1f, G: 0x4e, B: 0xb4, A: 0xff}, // blue
		{R: 0x6a, G: 0x3d, B: 0x9a, A: 0xff}, // purple
		{R: 0x33, G: 0x33, B: 0x33, A: 0xff}, // charcoal
		{R: 0x8c, G: 0x56, B: 0x1e, A: 0xff}, // brown
		{R: 0x00, G: 0x7c, B: 0x91, A: 0xff}, // teal
	}
	verdictColors = map[string]color.RGBA{
		Ready:      {R: 0x1a, G: 0x98, B: 0x50, A: 0xff},
		Borderline: {R: 0xe0, G: 0x8e, B: 0x00, A: 0xff},
		NotYet:     {R: 0xd7, G: 0x30, B: 0x27, A: 0xff},
	}
	unknownVerdict = color.RGBA{R: 0x88, G: 0x88, B: 0x88, A: 0xff}
	gridColor      = color.RGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
	axisColor      = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
)

// verdictOrder is the legend's order, best first.
var verdictOrder = []string{Ready, Borderline, NotYet}

// VerdictLabel is how the legend and the alt text name a verdict.
func VerdictLabel(v string) string {
	switch v {
	case NotYet:
		return "not yet"
	case "":
		return "unknown"
	}
	return v
}

// style holds the sizes for one rendering, scaled to its width.
type style struct {
	scale float64
	tick  text.Style
	title text.Style
	legnd text.Style
	line  vg.Length
	mark  vg.Length
}

func newStyle(width int) style {
	s := float64(width) / DefaultWidth
	px := func(n float64) vg.Length { return vg.Length(math.Max(1, math.Round(n*s))) }
	sans := func(size vg.Length, w xfont.Weight) text.Style {
		return text.Style{
			Color:   color.Black,
			Font:    font.Font{Typeface: "Liberation", Variant: "Sans", Weight: w, Size: size},
			Handler: plot.DefaultTextHandler,
		}
	}
	return style{
		scale: s,
		tick:  sans(px(tickFontPx), xfont.WeightNormal),
		title: sans(px(titleFontPx), xfont.WeightBold),
		legnd: sans(px(legendFontPx), xfont.WeightNormal),
		line:  px(lineWidthPx),
		mark:  px(markerPx),
	}
}

func (s style) px(n float64) vg.Length { return vg.Length(math.Max(1, math.Round(n*s.scale))) }

// PNG draws the series and returns the picture as PNG bytes. The same
// input always gives the same bytes.
func PNG(series []Series, o Options) ([]byte, error) {
	series = normalize(series)
	if len(series) == 0 {
		return nil, ErrNoChecks
	}
	w, h := o.Width, o.Height
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
	}
	st := newStyle(w)
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(w), vg.Length(h)), vgimg.UseDPI(72), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(c)

	legendH := drawLegend(dc, series, st)
	body := dc
	body.Max.Y -= legendH

	tmin, tmax := timeRange(series)
	top, err := followersPlot(series, st, tmin, tmax)
	if err != nil {
		return nil, err
	}
	bottom, err := engagementPlot(series, st, tmin, tmax)
	if err != nil {
		return nil, err
	}
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: st.px(6), PadBottom: st.px(10), PadLeft: st.px(12), PadRight: st.px(28), PadY: st.px(14)}
	canvases := plot.Align([][]*plot.Plot{{top}, {bottom}}, tiles, body)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])

	var buf bytes.Buffer
	if err := png.Encode(&buf, c.Image()); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// normalize drops empty series and sorts each one's checks oldest first,
// without changing the caller's slices.
func normalize(in []Series) []Series {
	var out []Series
	for _, s := range in {
		if len(s.Checks) == 0 {
			continue
		}
		cs := append([]Check(nil), s.Checks...)
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Time.Before(cs[j].Time) })
		s.Checks = cs
		if s.Audience == "" {
			s.Audience = "followers"
		}
		out = append(out, s)
	}
	return out
}

func timeRange(series []Series) (min, max time.Time) {
	for i, s := range series {
		first, last := s.Checks[0].Time, s.Checks[len(s.Checks)-1].Time
		if i == 0 || first.Before(min) {
			min = first
		}
		if i == 0 || last.After(max) {
			max = last
		}
	}
	return min, max
}

func unix(t time.Time) float64 { return float64(t.Unix()) }

// newPlot is a plot with the shared look: big tick labels, light
// horizontal grid lines, the x axis spanning the checks' dates with a
// little room either side for the markers.
func newPlot(st style, title string, tmin, tmax time.Time) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle = st.title
	p.Title.TextStyle.XAlign = draw.XCenter
	p.Title.TextStyle.YAlign = draw.YTop
	p.Title.Padding = st.px(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Label = st.tick
		a.LineStyle = draw.LineStyle{Color: axisColor, Width: st.px(2)}
		a.Tick.LineStyle = draw.LineStyle{Color: axisColor, Width: st.px(2)}
		a.Tick.Length = st.px(8)
		a.Padding = st.px(6)
	}
	p.X.Tick.Label.XAlign = draw.XCenter
	p.X.Tick.Label.YAlign = draw.YTop
	p.Y.Tick.Label.XAlign = draw.XRight
	p.Y.Tick.Label.YAlign = draw.YCenter
	// A single check (or checks on one day) still needs a span to sit in.
	span := tmax.Sub(tmin)
	pad := span / 12
	if pad < 36*time.Hour {
		pad = 36 * time.Hour
	}
	p.X.Min, p.X.Max = unix(tmin.Add(-pad)), unix(tmax.Add(pad))
	p.X.Tick.Marker = dateTicks{min: tmin, max: tmax}
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal = draw.LineStyle{Color: gridColor, Width: st.px(2)}
	p.Add(grid)
	return p
}

func followersPlot(series []Series, st style, tmin, tmax time.Time) (*plot.Plot, error) {
	p := newPlot(st, audienceTitle(series), tmin, tmax)
	// The dates are under the engagement panel; here the ticks stay, as
	// guides, without their labels.
	p.X.Tick.Marker = unlabelled{p.X.Tick.Marker}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, s := range series {
		xys := make(plotter.XYs, len(s.Checks))
		for j, c := range s.Checks {
			xys[j] = plotter.XY{X: unix(c.Time), Y: float64(c.Followers)}
			lo, hi = math.Min(lo, xys[j].Y), math.Max(hi, xys[j].Y)
		}
		if err := addLine(p, xys, platformColor(i), st); err != nil {
			return nil, err
		}
		addVerdicts(p, xys, s.Checks, st)
	}
	p.Y.Min, p.Y.Max, p.Y.Tick.Marker = countAxis(lo, hi)
	if lo > 0 && hi/lo > 8 {
		// Platforms far apart (40k followers, 600 subscribers): a log
		// scale keeps both lines readable.
		p.Y.Scale = plot.LogScale{}
		p.Y.Min, p.Y.Max = lo/1.3, hi*1.3
		p.Y.Tick.Marker = logTicks{}
	}
	return p, nil
}

func engagementPlot(series []Series, st style, tmin, tmax time.Time) (*plot.Plot, error) {
	p := newPlot(st, engagementTitle(series), tmin, tmax)
	hi := 0.0
	for i, s := range series {
		// A line joins consecutive measured checks; an unmeasured one
		// breaks it, so a gap reads as "not measured", never as zero.
		var run plotter.XYs
		var runChecks []Check
		flush := func() error {
			if len(run) > 1 {
				if err := addLine(p, run, platformColor(i), st); err != nil {
					return err
				}
			}
			addVerdicts(p, run, runChecks, st)
			run, runChecks = nil, nil
			return nil
		}
		for _, c := range s.Checks {
			if !c.Measured || math.IsNaN(c.Engagement) || math.IsInf(c.Engagement, 0) {
				if err := flush(); err != nil {
					return nil, err
				}
				continue
			}
			run = append(run, plotter.XY{X: unix(c.Time), Y: c.Engagement})
			runChecks = append(runChecks, c)
			hi = math.Max(hi, c.Engagement)
		}
		if err := flush(); err != nil {
			return nil, err
		}
		if s.Benchmark > 0 {
			hi = math.Max(hi, s.Benchmark)
			b := plotter.NewFunction(func(float64) float64 { return s.Benchmark })
			b.LineStyle = draw.LineStyle{Color: benchmarkColor(series, i), Width: st.px(3), Dashes: []vg.Length{st.px(14), st.px(9)}}
			p.Add(b)
		}
	}
	if hi == 0 {
		hi = 1 // nothing measured and no benchmark: an empty 0-1% panel
	}
	p.Y.Min, p.Y.Max, p.Y.Tick.Marker = percentAxis(hi)
	return p, nil
}

func addLine(p *plot.Plot, xys plotter.XYs, c color.Color, st style) error {
	if len(xys) < 2 {
		return nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return fmt.Errorf("chart: line: %w", err)
	}
	l.LineStyle = draw.LineStyle{Color: c, Width: st.line}
	p.Add(l)
	return nil
}

// addVerdicts marks each check with its verdict: a white halo, then the
// verdict's shape in its colour.
func addVerdicts(p *plot.Plot, xys plotter.XYs, checks []Check, st style) {
	for j := range xys {
		p.Add(marker{at: xys[j], verdict: checks[j].Verdict, st: st})
	}
}

// marker is one verdict marker; it implements plot.Plotter and
// plot.DataRanger.
type marker struct {
	at      plotter.XY
	verdict string
	st      style
}

func (m marker) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	pt := vg.Point{X: x(m.at.X), Y: y(m.at.Y)}
	shape, col := verdictGlyph(m.verdict)
	halo := m.st.mark + m.st.px(3)
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: color.White, Radius: halo, Shape: shape}, pt)
	c.DrawGlyphNoClip(draw.GlyphStyle{Color: col, Radius: m.st.mark, Shape: shape}, pt)
}

func (m marker) DataRange() (xmin, xmax, ymin, ymax float64) {
	return m.at.X, m.at.X, m.at.Y, m.at.Y
}

func verdictGlyph(v string) (draw.GlyphDrawer, color.Color) {
	switch v {
	case Ready:
		return draw.CircleGlyph{}, verdictColors[Ready]
	case Borderline:
		return draw.PyramidGlyph{}, verdictColors[Borderline]
	case NotYet:
		return draw.BoxGlyph{}, verdictColors[NotYet]
	}
	return draw.RingGlyph{}, unknownVerdict
}

func platformColor(i int) color.RGBA { return platformColors[i%len(platformColors)] }

// benchmarkColor is the colour of series i's benchmark line: dark grey
// when it is the only platform, so the line of its rates stays apart from
// it where they meet; its platform's colour when several share the panel.
func benchmarkColor(series []Series, i int) color.RGBA {
	if len(series) == 1 {
		return axisColor
	}
	return platformColor(i)
}

// audienceTitle names the top panel after what the platforms count.
func audienceTitle(series []Series) string {
	word := series[0].Audience
	for _, s := range series[1:] {
		if s.Audience != word {
			return "Followers and subscribers"
		}
	}
	return capitalize(word)
}

// engagementTitle names the bottom panel, saying which rates are of views.
func engagementTitle(series []Series) string {
	var views []string
	for _, s := range series {
		if s.OfViews {
			views = append(views, s.Platform)
		}
	}
	switch {
	case len(views) == 0:
		return "Engagement rate"
	case len(views) == len(series):
		return "Engagement rate (of views)"
	}
	return "Engagement rate (" + strings.Join(views, ", ") + ": of views)"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// legendEntry is one item of the key drawn above the panels.
type legendEntry struct {
	label string
	draw  func(c draw.Canvas, at vg.Point) // draws the swatch centred at
}

// drawLegend draws the key along the top of dc, wrapping onto a second
// row when it does not fit, and returns the height it took.
func drawLegend(dc draw.Canvas, series []Series, st style) vg.Length {
	var entries []legendEntry
	swatchW := st.px(40)
	for i, s := range series {
		col := platformColor(i)
		entries = append(entries, legendEntry{label: s.Platform, draw: func(c draw.Canvas, at vg.Point) {
			c.StrokeLine2(draw.LineStyle{Color: col, Width: st.line}, at.X-swatchW/2, at.Y, at.X+swatchW/2, at.Y)
		}})
	}
	for _, v := range verdictOrder {
		shape, col := verdictGlyph(v)
		entries = append(entries, legendEntry{label: VerdictLabel(v), draw: func(c draw.Canvas, at vg.Point) {
			c.DrawGlyphNoClip(draw.GlyphStyle{Color: col, Radius: st.mark, Shape: shape}, at)
		}})
	}
	if hasBenchmark(series) {
		col := benchmarkColor(series, 0)
		if len(series) > 1 {
			col = axisColor // each line wears its platform's colour
		}
		entries = append(entries, legendEntry{label: "benchmark", draw: func(c draw.Canvas, at vg.Point) {
			c.StrokeLine2(draw.LineStyle{Color: col, Width: st.px(3), Dashes: []vg.Length{st.px(10), st.px(6)}},
				at.X-swatchW/2, at.Y, at.X+swatchW/2, at.Y)
		}})
	}
	rowH := st.legnd.Font.Size * 1.6
	margin := st.px(16)
	gap, textGap := st.px(30), st.px(10)
	width := func(e legendEntry) vg.Length { return swatchW + textGap + st.legnd.Width(e.label) }
	// Lay out rows.
	var rows [][]legendEntry
	var cur []legendEntry
	var used vg.Length
	avail := dc.Max.X - dc.Min.X - 2*margin
	for _, e := range entries {
		w := width(e)
		if len(cur) > 0 && used+gap+w > avail {
			rows, cur, used = append(rows, cur), nil, 0
		}
		if len(cur) > 0 {
			used += gap
		}
		cur, used = append(cur, e), used+w
	}
	rows = append(rows, cur)
	lbl := st.legnd
	lbl.XAlign, lbl.YAlign = draw.XLeft, draw.YCenter
	for r, row := range rows {
		y := dc.Max.Y - st.px(10) - rowH*vg.Length(r) - rowH/2
		x := dc.Min.X + margin
		for _, e := range row {
			e.draw(dc, vg.Point{X: x + swatchW/2, Y: y})
			dc.FillText(lbl, vg.Point{X: x + swatchW + textGap, Y: y}, e.label)
			x += width(e) + gap
		}
	}
	return st.px(22) + rowH*vg.Length(len(rows))
}

func hasBenchmark(series []Series) bool {
	for _, s := range series {
		if s.Benchmark > 0 {
			return true
		}
	}
	return false
}

// dateTicks labels at most four dates between min and max: every check's
// day when there are few, else evenly spaced days.
type dateTicks struct{ min, max time.Time }

func (d dateTicks) Ticks(lo, hi float64) []plot.Tick {
	const most = 4
	span := d.max.Sub(d.min)
	layout := "2 Jan"
	if d.min.UTC().Year() != d.max.UTC().Year() {
		layout = "Jan 2006"
	}
	n := most
	if span < 24*time.Hour {
		n = 1
	} else if days := int(span.Hours()/24) + 1; days < most {
		n = days
	}
	var ticks []plot.Tick
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		t := d.min
		if n > 1 {
			t = d.min.Add(time.Duration(float64(span) * float64(i) / float64(n-1)))
		}
		label := t.UTC().Format(layout)
		if seen[label] {
			continue
		}
		seen[label] = true
		ticks = append(ticks, plot.Tick{Value: unix(t), Label: label})
	}
	return ticks
}

// unlabelled keeps a ticker's marks and drops their labels (a mark
// without a label is drawn as a minor tick, so they keep a long one by
// using a space).
type unlabelled struct{ plot.Ticker }

func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	ts := u.Ticker.Ticks(lo, hi)
	for i := range ts {
		ts[i].Label = " "
	}
	return ts
}

// countAxis picks a range from 0 or just below lo up to hi and three to
// five round ticks labelled "4.6k", "12k", "1.2M".
func countAxis(lo, hi float64) (min, max float64, t plot.Ticker) {
	if hi <= 0 {
		hi = 1
	}
	spread := hi - lo
	if spread < hi*0.1 {
		spread = math.Max(hi*0.1, 10)
	}
	min = lo - spread*0.35
	if min < 0 {
		min = 0
	}
	max = hi + spread*0.35
	step := niceStep((max - min) / 4)
	min = math.Floor(min/step) * step
	max = math.Ceil(max/step) * step
	return min, max, stepTicks{step: step, format: Count}
}

// percentAxis runs from 0 to a little above hi, in round percent steps.
func percentAxis(hi float64) (min, max float64, t plot.Ticker) {
	step := niceStep(hi * 1.15 / 4)
	max = math.Ceil(hi*1.15/step) * step
	return 0, max, stepTicks{step: step, format: percent}
}

// niceStep rounds x up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if x <= m*p*1.0000001 {
			return m * p
		}
	}
	return 10 * p
}

type stepTicks struct {
	step   float64
	format func(float64) string
}

func (s stepTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for v := math.Ceil(lo/s.step-1e-9) * s.step; v <= hi+s.step*1e-9; v += s.step {
		if math.Abs(v) < s.step*1e-9 {
			v = 0 // not -0 or 1e-17 from the float steps
		}
		ts = append(ts, plot.Tick{Value: v, Label: s.format(v)})
	}
	return ts
}

// logTicks marks 1, 2 and 5 times powers of ten, or 1 and 3 times, or
// powers of ten alone: the first of these with at most four marks.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for _, ms := range [][]float64{{1, 2, 5}, {1, 3}, {1}} {
		ts = ts[:0]
		for p := math.Pow(10, math.Floor(math.Log10(math.Max(lo, 1)))); p <= hi; p *= 10 {
			for _, m := range ms {
				if v := m * p; v >= lo && v <= hi {
					ts = append(ts, plot.Tick{Value: v, Label: Count(v)})
				}
			}
		}
		if len(ts) <= 4 {
			break
		}
	}
	return ts
}

// Count formats a follower count briefly: 950, 4.6k, 12k, 1.2M.
func Count(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e6:
		return short(v/1e6) + "M"
	case a >= 1e3:
		return short(v/1e3) + "k"
	}
	return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
}

// short is v with one decimal below 10 and none above, without ".0".
func short(v float64) string {
	if math.Abs(v) >= 10 {
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func percent(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) + "%"
}
