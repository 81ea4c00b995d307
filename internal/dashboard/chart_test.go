package dashboard

import (
	"strings"
	"testing"
	"time"

	"github.com/influbot/influbot/store"
)

func TestChartSVG(t *testing.T) {
	if chartSVG(nil) != "" {
		t.Error("a chart with no days")
	}
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	svg := string(chartSVG([]store.DayCounts{{Day: day, Asked: 10, Answered: 6, NotSure: 3, Declined: 1}, {Day: day.AddDate(0, 0, 1)}}))
	for _, want := range []string{"<svg", "Nov 1: 10 asked", "Nov 1: 6 answered", "Nov 1: 4 not answered", "Nov 2: 0 asked", `>10</text>`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	if strings.Contains(svg, "style=") || strings.Contains(svg, "<script") {
		t.Error("the chart needs inline style or script, which the CSP refuses")
	}
}
