package dashboard

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/influbot/influbot/store"
)

// chartSVG draws the questions per day as an inline SVG: for each day a
// bar of the questions asked with its answered part darker, and beside it
// a bar of the questions left unanswered (not sure or declined), on one
// scale whose top is the busiest day. Only numbers and dates the server
// formats go into it (no user text), and only presentation attributes
// (the CSP allows no inline style).
func chartSVG(days []store.DayCounts) template.HTML {
	n := len(days)
	if n == 0 {
		return ""
	}
	const w, h, left, bottom, top = 720.0, 260.0, 44.0, 30.0, 14.0
	max := 1
	for _, d := range days {
		max = maxInt(max, d.Asked, d.NotSure+d.Declined)
	}
	slot := (w - left - 8) / float64(n)
	bar := slot * 0.5
	side := slot * 0.22
	scale := (h - bottom - top) / float64(max)
	base := h - bottom
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="chart-title" preserveAspectRatio="xMidYMid meet">`, w, h)
	sb.WriteString(`<title id="chart-title">Questions per day: asked, answered and not answered</title>`)
	fmt.Fprintf(&sb, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d9dde3" stroke-width="1"/>`, left, top, w-4, top)
	fmt.Fprintf(&sb, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8a8f98" stroke-width="1"/>`, left, base, w-4, base)
	fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" font-size="16" text-anchor="end" fill="#555">%d</text>`, left-8, top+6, max)
	fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" font-size="16" text-anchor="end" fill="#555">0</text>`, left-8, base+5)
	every := (n + 6) / 7 // at most about 7 date labels
	for i, d := range days {
		x := left + float64(i)*slot + (slot-bar-side-2)/2
		day := d.Day.Format("Jan 2")
		asked, answered := float64(d.Asked)*scale, float64(d.Answered)*scale
		missed := d.NotSure + d.Declined
		fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#b8d4f0"><title>%s: %d asked</title></rect>`, x, base-asked, bar, asked, day, d.Asked)
		fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#2a6cb0"><title>%s: %d answered</title></rect>`, x, base-answered, bar, answered, day, d.Answered)
		fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#d9822b"><title>%s: %d not answered</title></rect>`, x+bar+2, base-float64(missed)*scale, side, float64(missed)*scale, day, missed)
		if (n-1-i)%every == 0 {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" font-size="15" text-anchor="middle" fill="#555">%s</text>`, x+bar/2, h-8, day)
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

func maxInt(v ...int) int {
	m := v[0]
	for _, x := range v[1:] {
		if x > m {
			m = x
		}
	}
	return m
}
