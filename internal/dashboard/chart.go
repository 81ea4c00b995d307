package dashboard

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/influbot/influbot/store"
)

// chartSVG draws the questions per day as an inline SVG: a bar per day
// for the questions asked, the answered part of it darker, with the
// largest day's count on the axis. Only numbers and dates the server
// formats go into it (no user text), and only presentation attributes
// (the CSP allows no inline style).
func chartSVG(days []store.DayCounts) template.HTML {
	const w, h, left, bottom, top = 720.0, 220.0, 40.0, 24.0, 12.0
	max := 1
	for _, d := range days {
		if d.Asked > max {
			max = d.Asked
		}
		if d.NotSure+d.Declined > max {
			max = d.NotSure + d.Declined
		}
	}
	n := len(days)
	if n == 0 {
		return ""
	}
	slot := (w - left - 8) / float64(n)
	bar := slot * 0.7
	scale := (h - bottom - top) / float64(max)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="chart-title" preserveAspectRatio="xMidYMid meet">`, w, h)
	sb.WriteString(`<title id="chart-title">Questions per day: asked, answered and not answered</title>`)
	base := h - bottom
	fmt.Fprintf(&sb, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8a8f98" stroke-width="1"/>`, left, base, w-4, base)
	fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="end" fill="#555">%d</text>`, left-6, top+4, max)
	fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="end" fill="#555">0</text>`, left-6, base)
	for i, d := range days {
		x := left + float64(i)*slot + (slot-bar)/2
		asked, answered := float64(d.Asked)*scale, float64(d.Answered)*scale
		missed := float64(d.NotSure+d.Declined) * scale
		fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#b8d4f0"><title>%s: %d asked</title></rect>`, x, base-asked, bar, asked, d.Day.Format("Jan 2"), d.Asked)
		fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#2a6cb0"><title>%s: %d answered</title></rect>`, x, base-answered, bar, answered, d.Day.Format("Jan 2"), d.Answered)
		if missed > 0 {
			fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="3" fill="#d9822b"><title>%s: %d not answered</title></rect>`, x, base-missed-1.5, bar, d.Day.Format("Jan 2"), d.NotSure+d.Declined)
		}
		if n <= 10 || i%(n/7+1) == 0 || i == n-1 {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="#555">%s</text>`, x+bar/2, h-8, d.Day.Format("Jan 2"))
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}
